"""The index follows the KB's change log: in order, across processes (here: two services on
one database), while many threads search and write at once."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from responder.errors import Conflict, IndexBehind, NotFound
from responder.knowledge import ResolutionRequest
from responder.models import EscalationInput, Status
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.test_index import article, make_settings, seed


def open_services(tmp_path: Path, name: str, **overrides: object) -> Services:
    """A service on the shared KB under tmp_path, with an index folder of its own."""
    settings = make_settings(tmp_path, index_dir=tmp_path / f"index-{name}", **overrides)
    return build_services(settings, embedder=FakeEmbedder())


def assert_index_equals_database(services: Services) -> None:
    snapshot = services.store.read_all()
    index = services.index
    assert index.revision == snapshot.revision
    assert {t.id: t.content_hash for t in snapshot.texts} == \
        {i: t.content_hash for i, t in index.texts.items()}
    assert index.vectors.ids == {t.id for t in snapshot.texts}
    assert {a.id: a.revision for a in snapshot.articles} == \
        {i: a.revision for i, a in index.articles.items()}
    fresh = FakeEmbedder()
    for text in snapshot.texts:  # each vector is its own text's
        prefix = "query: " if text.kind == "question" else "passage: "
        expected = fresh.embed([text.text], prefix=prefix)[0]
        assert np.allclose(index.vectors.vectors_of([text.id])[0], expected, atol=1e-5)


def test_another_process_write_is_applied_on_catch_up(tmp_path):
    writer, reader = open_services(tmp_path, "a"), open_services(tmp_path, "b")
    seed(writer)
    assert reader.retriever.search("where is my refund", "en").hits == []
    reader.index.catch_up()
    assert reader.retriever.search("where is my refund", "en").hits[0].article.slug == \
        "refund-status"
    refund = writer.store.find_article("refund-status", "en")
    writer.kb.set_status(refund.id, Status.ARCHIVED, edited_by="t")
    reader.index.catch_up()
    slugs = [h.article.slug for h in reader.retriever.search("where is my refund", "en").hits]
    assert "refund-status" not in slugs
    assert_index_equals_database(reader)
    writer.close()
    reader.close()


def test_a_following_process_sees_writes_and_archives_within_two_seconds(tmp_path):
    writer, reader = open_services(tmp_path, "a"), open_services(tmp_path, "b")
    reader.follow()
    seed(writer)
    deadline = time.monotonic() + 2.0
    while not reader.retriever.search("where is my refund", "en").hits:
        assert time.monotonic() < deadline, "the write was not seen within 2 s"
        time.sleep(0.05)
    refund = writer.store.find_article("refund-status", "en")
    writer.kb.set_status(refund.id, Status.ARCHIVED, edited_by="t")
    deadline = time.monotonic() + 2.0
    while "refund-status" in [h.article.slug for h in
                              reader.retriever.search("where is my refund", "en").hits]:
        assert time.monotonic() < deadline, "the archived article was still used after 2 s"
        time.sleep(0.05)
    reader.close()
    writer.close()


def test_a_search_waits_for_a_revision_it_knows_of(tmp_path):
    writer, reader = open_services(tmp_path, "a"), open_services(tmp_path, "b")
    seed(writer)
    reader.index.note_revision(writer.store.revision())  # as the follower would
    hits = reader.retriever.search("where is my refund", "en").hits
    assert hits and hits[0].article.slug == "refund-status"
    writer.close()
    reader.close()


def test_a_search_never_answers_from_an_index_known_to_be_behind(tmp_path):
    services = open_services(tmp_path, "a", catch_up_timeout=0.2)
    seed(services)
    services.index.note_revision(services.index.revision + 1)
    # another thread is busy applying
    with services.index._apply_lock, pytest.raises(IndexBehind, match="catching up"):
        services.retriever.search("where is my refund", "en")
    services.close()


def test_the_index_applies_changes_in_revision_order(tmp_path):
    """Writes committed by another process while this one applies: nothing is applied twice,
    skipped, or ahead of the database."""
    writer, reader = open_services(tmp_path, "a"), open_services(tmp_path, "b")
    seed(writer)
    refund = writer.store.find_article("refund-status", "en")
    for n in range(20):
        writer.kb.add_question(refund.id, f"refund question number {n}", "en")
        if n % 3 == 0:
            reader.index.catch_up()
    reader.index.catch_up()
    assert_index_equals_database(reader)
    writer.close()
    reader.close()


def test_many_readers_and_writers_at_once_leave_the_index_equal_to_the_database(tmp_path):
    services = open_services(tmp_path, "a")
    other = open_services(tmp_path, "b")  # a second process writing to the same KB
    seed(services)
    stop = threading.Event()
    errors: list[BaseException] = []
    searches = [0]

    def reader(n: int) -> None:
        words = ["refund", "password", "money", "topic", "question", "reset"]
        rng = random.Random(n)
        while not stop.is_set():
            try:
                services.retriever.search_many(
                    [" ".join(rng.sample(words, 3)), rng.choice(words)], "en", k=3)
                services.retriever.search(rng.choice(words), "en", k=5)
                searches[0] += 1
            except BaseException as exc:
                errors.append(exc)
                return

    def writer(who: Services, n: int) -> None:
        rng = random.Random(100 + n)
        try:
            for round_ in range(12):
                slug = f"topic-{n}-{round_}"
                created = who.kb.create_article(
                    article(slug, "en", f"Topic {n} {round_}", f"Answer {round_}"),
                    [f"question about topic {n} {round_}"], edited_by=f"w{n}")
                who.kb.update_article(created.id, article(
                    slug, "en", f"Topic {n} {round_} revised", "Answer"), edited_by=f"w{n}")
                if rng.random() < 0.4:
                    who.kb.set_status(created.id, Status.ARCHIVED, edited_by=f"w{n}")
                escalation = who.kb.open_escalation(EscalationInput(
                    message=f"topic {n} {round_} help", channel="chat", language="en"))
                who.kb.resolve_escalation(escalation.id, ResolutionRequest(
                    text="done", resolved_by=f"w{n}", article_id=created.id))
        except (Conflict, NotFound) as exc:  # no such race is scripted here
            errors.append(exc)
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(16)]
    writers = [threading.Thread(target=writer, args=(services, 0)),
               threading.Thread(target=writer, args=(services, 1)),
               threading.Thread(target=writer, args=(other, 2))]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(300)
    stop.set()
    for thread in readers:
        thread.join(60)
    assert errors == []
    assert searches[0] > 16
    services.index.catch_up()
    assert_index_equals_database(services)
    services.close()
    other.close()
    reopened = open_services(tmp_path, "a")
    assert reopened.index.verify().ok
    reopened.close()


def test_verify_compares_content_not_ids(tmp_path):
    services = open_services(tmp_path, "a")
    seed(services)
    services.index.save()
    report = services.index.verify()
    assert report.ok, report
    # the database's text changes behind the saved index's back, under the same id
    with services.store.engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("UPDATE search_texts SET text = 'something else', "
                          "content_hash = 'x' WHERE id = 1"))
    report = services.index.verify()
    assert not report.ok and report.changed == [1] and not report.missing
    services.close()
