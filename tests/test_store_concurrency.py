"""Concurrent writers on one store (SQLite always, PostgreSQL as integration): every write
takes its lock first, so revisions never collide, a resolve succeeds once, and the change log
is gap-free and in commit order."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from responder.errors import Conflict
from responder.kb import changelog
from responder.kb.store import Resolution
from responder.models import ArticleContent, EscalationInput, EscalationStatus
from tests.test_store_contract import content


def run_together(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start `count` threads at one barrier; their results and their exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def body(n: int) -> None:
        barrier.wait()
        try:
            value = work(n)
        except BaseException as exc:  # collected and asserted on by the test
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(value)

    threads = [threading.Thread(target=body, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results, errors


def test_concurrent_updates_of_one_article_make_a_gap_free_history(store):
    article, _ = store.create_article(content(), edited_by="ed")

    def edit(n: int) -> None:
        for round_ in range(5):
            title = f"Where is my order? ({n}.{round_})"
            store.update_article(article.id, replace(content(), title=title),
                                 edited_by=f"editor-{n}")

    _, errors = run_together(12, edit)
    assert errors == []
    numbers = [r.revision for r in store.revisions(article.id)]
    assert numbers == list(range(1, 12 * 5 + 2))
    assert store.get_article(article.id).revision == numbers[-1]


def test_concurrent_resolves_of_one_escalation_succeed_once(store):
    article, _ = store.create_article(content(), edited_by="ed")
    escalation = store.open_escalation(
        EscalationInput(message="parcel stuck in customs", channel="email", language="en"))

    def resolve(n: int) -> str:
        store.resolve_escalation(escalation.id, Resolution(
            text=f"fixed by {n}", resolved_by=f"agent-{n}", article_id=article.id))
        return f"agent-{n}"

    winners, errors = run_together(8, resolve)
    assert len(winners) == 1 and len(errors) == 7
    assert all(isinstance(e, Conflict) for e in errors), errors
    resolved = store.get_escalation(escalation.id)
    assert resolved.status is EscalationStatus.RESOLVED and resolved.resolved_by == winners[0]
    assert [q.text for q in store.questions(article.id)] == ["parcel stuck in customs"]


def test_concurrent_creates_log_every_write_once_in_order(store):
    start = store.revision()

    def create(n: int) -> int:
        _, change = store.create_article(
            content(slug=f"topic-{n}", title=f"Topic {n}"), [f"question {n}"], edited_by="ed")
        return change.revision

    revisions, errors = run_together(8, create)
    assert errors == []
    assert sorted(revisions) == list(range(start + 1, start + 9))
    batch = store.changes_since(start)
    assert batch.complete and batch.revision == start + 8
    assert len(batch.added) == 16 and len(batch.articles) == 8
    assert batch.kinds == [changelog.WRITE] * 8


def test_the_log_folds_what_was_added_and_removed_again(store):
    article, _ = store.create_article(content(), ["q1"], edited_by="ed")
    since = store.revision()
    _, added = store.add_question(article.id, "short-lived", "en")
    store.delete_question(store.questions(article.id)[-1].id)
    store.update_article(article.id, replace(content(), title="Order tracking"),
                         edited_by="ed")
    batch = store.changes_since(since)
    assert batch.revision == since + 3
    assert added.added[0].id in batch.removed
    assert [t.kind for t in batch.added] == ["article"]  # the new title; not the dead question
    assert batch.articles[0].content.title == "Order tracking"
    assert store.changes_since(batch.revision).empty


def test_a_deleted_article_is_reported_deleted(store):
    article, _ = store.create_article(content(), ["q1"], edited_by="ed")
    since = store.revision()
    store.delete_article(article.id)
    batch = store.changes_since(since)
    assert batch.deleted_articles == {article.id} and batch.articles == []
    assert len(batch.removed) == 2


def test_bulk_writes_are_logged_as_one_operation(store):
    since = store.revision()
    with store.bulk():
        for n in range(3):
            store.create_article(ArticleContent(
                slug=f"bulk-{n}", language="en", title=f"Bulk {n}", short_answer="Yes."),
                edited_by="import")
    assert store.changes_since(since).kinds == [changelog.BULK] * 3 + [changelog.BULK_END]


def test_a_reader_behind_the_pruned_log_is_told_to_compare_everything(store, monkeypatch):
    store.create_article(content(), edited_by="ed")
    monkeypatch.setattr(changelog, "PRUNE_EVERY", 1)
    monkeypatch.setattr(changelog, "KEEP_ENTRIES", 1)
    monkeypatch.setattr(changelog, "KEEP_AGE", changelog.timedelta(0))
    for n in range(3):
        store.create_article(content(slug=f"more-{n}"), edited_by="ed")
    assert not store.changes_since(0).complete
    assert store.changes_since(store.revision() - 1).complete


@pytest.mark.parametrize("writers", [4])
def test_vectors_cached_by_many_writers_at_once_do_not_conflict(store, writers):
    def put(n: int) -> None:
        store.put_vectors("m", {f"h{i}": bytes([i]) for i in range(50)})

    _, errors = run_together(writers, put)
    assert errors == []
    assert len(store.get_vectors("m", [f"h{i}" for i in range(50)])) == 50
