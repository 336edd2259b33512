"""The article head: a classifier over articles, retrained in the background as the KB changes."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from responder.index import article_head, head_keeper
from responder.index.article_head import TrainingSet, train
from responder.index.calibration import Calibration
from responder.index.head_keeper import HeadKeeper
from responder.index.retriever import Retriever
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff import api_client
from tests.test_index import article, make_settings, seed


def clusters(generation: int = 1) -> TrainingSet:
    """Two articles whose texts lie around two different directions."""
    rng = np.random.default_rng(7)
    centres = np.eye(8, dtype=np.float32)[:2] * 3
    rows = np.vstack([centres[i] + rng.standard_normal((20, 8)).astype(np.float32)
                      for i in (0, 1)])
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return TrainingSet(generation, rows, ["alpha"] * 20 + ["beta"] * 20,
                       ["en"] * 20 + ["en"] * 10 + ["de"] * 10)


def test_the_head_tells_the_articles_apart() -> None:
    head = train(clusters(), weight_decay=1e-4, max_iter=100)
    assert head.slugs == ("alpha", "beta")
    near_beta = np.eye(8, dtype=np.float32)[1]
    scores = head.log_probabilities(near_beta, ["alpha", "beta"])
    assert scores["beta"] > math.log(0.9) > scores["alpha"]
    assert math.isclose(sum(math.exp(v) for v in scores.values()), 1.0, rel_tol=1e-5)


def test_a_warm_start_reaches_the_same_fit() -> None:
    cold = train(clusters(), weight_decay=1e-3, max_iter=200)
    warm = train(clusters(2), weight_decay=1e-3, max_iter=200, previous=cold)
    assert warm.generation == 2
    np.testing.assert_allclose(warm.weights, cold.weights, atol=1e-3)


def test_the_head_judges_only_articles_it_learnt_in_the_questions_language() -> None:
    head = train(clusters(), weight_decay=1e-4, max_iter=50)
    assert head.knows(["alpha", "beta"], "en")
    assert head.knows(["beta"], "de")
    assert not head.knows(["alpha", "beta"], "de")  # alpha exists in English only
    assert not head.knows(["alpha", "gamma"], "en")  # gamma is newer than the head


def test_the_keeper_trains_for_the_newest_generation_only_once_asked() -> None:
    calls: list[int] = []
    generation = 3

    def snapshot() -> TrainingSet:
        calls.append(generation)
        return clusters(generation)

    keeper = HeadKeeper(snapshot, weight_decay=1e-4, max_iter=50)
    assert keeper.head is None and keeper.wait(0.1)  # nothing asked yet
    keeper.changed(1)
    keeper.changed(2)
    keeper.changed(3)
    assert keeper.wait(30)
    assert keeper.head is not None and keeper.head.generation == 3
    assert calls == [3]  # the burst cost one fit
    keeper.close()


def test_one_article_is_nothing_to_classify() -> None:
    one = TrainingSet(1, np.eye(4, dtype=np.float32), ["alpha"] * 4, ["en"] * 4)
    keeper = HeadKeeper(lambda: one, weight_decay=1e-4, max_iter=50)
    keeper.changed(1)
    assert keeper.wait(30) and keeper.head is None
    keeper.close()


def test_a_failed_fit_keeps_the_previous_head() -> None:
    good = clusters(1)
    state = {"fail": False}

    def snapshot() -> TrainingSet:
        if state["fail"]:
            raise RuntimeError("disk on fire")
        return good

    keeper = HeadKeeper(snapshot, weight_decay=1e-4, max_iter=50)
    keeper.changed(1)
    assert keeper.wait(30)
    before = keeper.head
    state["fail"] = True
    keeper.changed(2)
    assert keeper.wait(30)  # the failure does not leave waiters hanging
    assert keeper.head is before
    keeper.close()


# -- saved beside the index ----------------------------------------------------------------------
def fit_key(data: TrainingSet) -> str:
    return article_head.fingerprint(data, weight_decay=1e-4, max_iter=50)


def test_a_saved_head_loads_only_for_the_data_it_was_fitted_on(tmp_path: Path) -> None:
    data = clusters()
    head = train(data, weight_decay=1e-4, max_iter=50)
    path = tmp_path / "head.npz"
    article_head.save(head, path, fit_key(data))
    loaded = article_head.load(path, fit_key(data), generation=9)
    assert loaded is not None and loaded.generation == 9
    assert loaded.slugs == head.slugs and loaded.languages == head.languages
    np.testing.assert_array_equal(loaded.weights, head.weights)
    np.testing.assert_array_equal(loaded.bias, head.bias)
    moved = TrainingSet(1, data.vectors[::-1].copy(), data.labels, data.languages)
    assert article_head.load(path, fit_key(moved), generation=9) is None
    relabelled = TrainingSet(1, data.vectors, ["beta", *data.labels[1:]], data.languages)
    assert article_head.load(path, fit_key(relabelled), generation=9) is None
    other_fit = article_head.fingerprint(data, weight_decay=1e-3, max_iter=50)
    assert article_head.load(path, other_fit, generation=9) is None


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b""])
def test_a_damaged_head_file_is_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "head.npz"
    path.write_bytes(content)
    assert article_head.load(path, fit_key(clusters()), generation=1) is None
    assert "ignoring the saved article head" in caplog.text


def test_a_restarted_keeper_loads_the_saved_head_instead_of_refitting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index" / "article_head.npz"
    first = HeadKeeper(clusters, weight_decay=1e-4, max_iter=50, path=path)
    first.changed(1)
    assert first.wait(30) and first.head is not None
    first.close()
    assert path.exists()

    def must_not_train(*args: object, **kwargs: object) -> None:
        raise AssertionError("refitted although the KB did not change")

    monkeypatch.setattr(head_keeper, "train", must_not_train)
    second = HeadKeeper(clusters, weight_decay=1e-4, max_iter=50, path=path)
    second.changed(1)
    assert second.wait(30)
    assert second.head is not None
    np.testing.assert_array_equal(second.head.weights, first.head.weights)
    second.close()


def test_a_keeper_refits_when_the_kb_changed_since_the_head_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "article_head.npz"
    first = HeadKeeper(clusters, weight_decay=1e-4, max_iter=50, path=path)
    first.changed(1)
    assert first.wait(30)
    first.close()
    saved_before = path.read_bytes()
    data = clusters()
    changed = TrainingSet(1, data.vectors[:30], data.labels[:30], data.languages[:30])
    second = HeadKeeper(lambda: changed, weight_decay=1e-4, max_iter=50, path=path)
    second.changed(1)
    assert second.wait(30)
    assert second.head is not None and second.head.languages["beta"] == frozenset({"en"})
    assert path.read_bytes() != saved_before  # the new fit replaced the old file
    second.close()


# -- in the retriever ----------------------------------------------------------------------------
RETRIEVAL_ONLY = 0.25  # constant confidences that say which calibration scored a hit
WITH_HEAD = 0.75


def constant(confidence: float) -> Calibration:
    return Calibration(0.0, 0.0, math.log(confidence / (1 - confidence)))


@pytest.fixture
def headed(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, head_weight=0.1), embedder=FakeEmbedder())
    built.retriever = Retriever(built.index, constant(RETRIEVAL_ONLY), built.settings,
                                head_calibration=constant(WITH_HEAD))
    yield built
    built.close()


def test_queries_use_the_head_once_it_has_learnt_the_kb(headed: Services) -> None:
    seed(headed)
    assert headed.index.wait_for_head(30)
    head = headed.index.head()
    assert head is not None and set(head.slugs) == {"password-reset", "refund-status"}
    assert headed.index.head_path.exists()  # saved beside the index for the next start
    hits = headed.retriever.search("refund not received yet", "en").hits
    assert hits[0].article.slug == "refund-status"
    assert hits[0].score == pytest.approx(WITH_HEAD)


def test_a_new_article_is_matched_at_once_before_the_head_knows_it(headed: Services) -> None:
    seed(headed)
    assert headed.index.wait_for_head(30)
    hold = threading.Lock()
    hold.acquire()
    real_snapshot = headed.index._head_keeper._snapshot
    headed.index._head_keeper._snapshot = lambda: (hold.acquire(), real_snapshot())[1]
    try:
        headed.kb.create_article(article("gift-card", "en", "Gift cards",
                                         "Gift cards never expire."),
                                 ["my gift card balance"], edited_by="t")
        hits = headed.retriever.search("gift card balance", "en").hits
        assert hits[0].article.slug == "gift-card"
        assert hits[0].score == pytest.approx(RETRIEVAL_ONLY)  # the head is still training
    finally:
        hold.release()
    assert headed.index.wait_for_head(30)
    assert headed.retriever.search("gift card balance", "en").hits[0].score == pytest.approx(
        WITH_HEAD)


def test_a_question_about_an_article_missing_in_its_language_is_scored_by_retrieval(
    headed: Services,
) -> None:
    seed(headed)  # refund-status exists in English only, password-reset also in German
    assert headed.index.wait_for_head(30)
    german = headed.retriever.search("Ich habe mein Passwort vergessen", "de").hits
    assert {h.article.slug for h in german} == {"password-reset", "refund-status"}
    assert german[0].score == pytest.approx(RETRIEVAL_ONLY)
    english = headed.retriever.search("I forgot my password", "en").hits
    assert english[0].score == pytest.approx(WITH_HEAD)


def test_health_says_whether_the_head_has_learnt_the_newest_write(headed: Services) -> None:


    seed(headed)
    assert headed.index.wait_for_head(30)
    with api_client(headed) as client:
        status = client.get("/health").json()["article_head"]
    assert status == {"enabled": True, "articles": 2, "up_to_date": True}


def test_head_weight_zero_turns_the_head_off(tmp_path: Path) -> None:
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    seed(built)
    assert built.index.wait_for_head(0.1)
    assert built.index.head() is None
    built.close()
