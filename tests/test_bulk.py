"""Bulk writes (an import) retrain the article head once, at their end; closing stops a
training in progress instead of leaving it to die with the interpreter."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from responder.index import head_keeper
from responder.index.article_head import TrainingStopped
from responder.models import ArticleContent
from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.test_index import make_settings


def import_articles(services, count: int, pause: float) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        services.kb.upsert_article(ArticleContent(
            slug=f"topic-{n}", language="en", title=f"Topic {n}", short_answer=f"Answer {n}."),
            (f"question about topic {n}",), edited_by="import")
        time.sleep(pause)


@pytest.fixture
def trainings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of texts of every fit the head keeper starts; pauses of 50 ms count as
    writes having stopped (1 s in production)."""
    fits: list[int] = []
    real = head_keeper.train

    def counting(data, **kwargs):  # type: ignore[no-untyped-def]
        fits.append(len(data.labels))
        return real(data, **kwargs)

    monkeypatch.setattr(head_keeper, "train", counting)
    monkeypatch.setattr(head_keeper, "QUIET_SECONDS", 0.05)
    return fits


def test_writes_one_by_one_retrain_after_each_pause(tmp_path: Path, trainings: list[int]):
    services = build_services(make_settings(tmp_path, head_weight=0.1), embedder=FakeEmbedder())
    import_articles(services, 6, pause=0.3)
    assert services.index.wait_for_head(30)
    assert len(trainings) >= 2  # the contrast for the test below
    services.close()


def test_a_bulk_import_retrains_once_at_its_end(tmp_path: Path, trainings: list[int]):
    services = build_services(make_settings(tmp_path, head_weight=0.1), embedder=FakeEmbedder())
    with services.kb.bulk():
        import_articles(services, 6, pause=0.3)
    assert services.index.wait_for_head(30)
    assert trainings == [12]  # one fit, on every text of the six articles
    services.close()


def test_another_process_bulk_import_also_costs_one_fit(tmp_path: Path, trainings: list[int]):
    settings = make_settings(tmp_path, head_weight=0.1)
    server = build_services(settings.model_copy(update={"index_dir": tmp_path / "b"}),
                            embedder=FakeEmbedder())
    server.follow()
    importer = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    with importer.kb.bulk():
        import_articles(importer, 6, pause=0.3)
    importer.close()
    deadline = time.monotonic() + 10
    while server.index.revision < importer.store.revision() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.index.wait_for_head(30)
    assert trainings == [12]
    server.close()


def test_close_stops_a_training_in_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    started = threading.Event()
    stopped: list[bool] = []

    def slow_train(data, *, stop, **_):  # type: ignore[no-untyped-def]
        started.set()
        while not stop():
            time.sleep(0.01)
        stopped.append(True)
        raise TrainingStopped

    monkeypatch.setattr(head_keeper, "train", slow_train)
    services = build_services(make_settings(tmp_path, head_weight=0.1), embedder=FakeEmbedder())
    import_articles(services, 2, pause=0)
    services.index._head_keeper.wait(0)  # hurry: no pause before the fit
    assert started.wait(10)
    begun = time.monotonic()
    services.close()
    assert stopped == [True] and time.monotonic() - begun < 5
    assert services.index._head_keeper._thread is not None
    assert not services.index._head_keeper._thread.is_alive()
