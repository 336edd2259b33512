"""The storage contract, run against every backend (SQLite always, PostgreSQL as integration)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from responder.errors import Conflict, InvalidInput, NotFound
from responder.kb.store import Resolution
from responder.models import (
    ArticleContent,
    EscalationInput,
    EscalationStatus,
    Status,
    TextSource,
)


def content(slug: str = "order-status", language: str = "en", **changes: object) -> ArticleContent:
    base = ArticleContent(
        slug=slug, language=language, title="Where is my order?",
        short_answer="Track it with the link in your shipping email.", category="orders",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_create_and_read_article_with_questions(store):
    article, change = store.create_article(content(), ["where is my parcel"], edited_by="ed")
    assert article.revision == 1
    assert store.get_article(article.id).content == content()
    assert [q.text for q in store.questions(article.id)] == ["where is my parcel"]
    kinds = sorted(t.kind for t in change.added)
    assert kinds == ["article", "question"]
    assert store.search_text_ids() == {t.id for t in change.added}


def test_a_deleted_question_is_named_as_removed_from_the_searchable_texts(store):
    article, _ = store.create_article(content(), ["where is my parcel", "parcel late"],
                                      edited_by="ed")
    question = store.questions(article.id)[1]
    text_id = next(t.id for t in store.search_texts() if t.text == "parcel late")
    change = store.delete_question(question.id)
    assert change.removed == [text_id] and change.added == [] and change.revision
    assert text_id not in store.search_text_ids()
    assert [q.text for q in store.questions(article.id)] == ["where is my parcel"]


def test_full_answer_is_one_more_searchable_text(store):
    article, change = store.create_article(
        content(options=("Track it yourself",), body="Parcels take 2 days."), edited_by="ed")
    body = [t for t in change.added if t.kind == "body"]
    assert [t.text for t in body] == ["Where is my order?\nTrack it yourself\nParcels take 2 days."]
    edited = content(options=("Track it yourself",), body="Parcels take 3 days.")
    _, change = store.update_article(article.id, edited, edited_by="ed")
    assert [t.kind for t in change.added] == ["body"] and change.removed == [body[0].id]


def test_duplicate_slug_and_language_is_a_conflict(store):
    store.create_article(content(), edited_by="ed")
    with pytest.raises(Conflict, match="order-status"):
        store.create_article(content(), edited_by="ed")
    # the same slug in another language is a translation, not a duplicate
    store.create_article(content(language="de", title="Wo ist meine Bestellung?"), edited_by="ed")
    assert {a.language for a in store.translations("order-status")} == {"en", "de"}


def test_every_edit_is_a_revision_and_any_can_be_restored(store):
    article, _ = store.create_article(content(), edited_by="ed")
    store.update_article(article.id, content(title="Order tracking"), edited_by="kim")
    restored, change = store.restore_revision(article.id, 1, edited_by="kim")
    assert restored.revision == 3
    assert restored.content.title == "Where is my order?"
    assert [(r.revision, r.edited_by) for r in store.revisions(article.id)] == [
        (1, "ed"), (2, "kim"), (3, "kim")]
    assert len(change.added) == 1 and len(change.removed) == 1  # the title vector changed


def test_unchanged_text_keeps_its_search_text(store):
    article, first = store.create_article(content(), ["q1"], edited_by="ed")
    edited = content(timeframe="2 days", tags=("orders",), agreement="We check.")
    _, change = store.update_article(article.id, edited, edited_by="ed")
    assert change.added == [] and change.removed == []
    assert store.search_text_ids() == {t.id for t in first.added}


def test_archiving_removes_from_search_and_publishing_restores(store):
    article, created = store.create_article(content(), ["q1"], edited_by="ed")
    _, archived = store.set_status(article.id, Status.ARCHIVED, edited_by="ed")
    assert sorted(archived.removed) == sorted(t.id for t in created.added)
    assert store.search_text_ids() == set()
    _, published = store.set_status(article.id, Status.PUBLISHED, edited_by="ed")
    assert len(published.added) == 2


def test_delete_article_removes_everything(store):
    article, created = store.create_article(content(), ["q1"], edited_by="ed")
    change = store.delete_article(article.id)
    assert sorted(change.removed) == sorted(t.id for t in created.added)
    with pytest.raises(NotFound):
        store.get_article(article.id)
    assert store.search_text_ids() == set()


def test_upsert_is_idempotent(store):
    first, _, changed = store.upsert_article(content(), ["a", "b"], edited_by="import")
    again, change, changed_again = store.upsert_article(content(), ["a", "b"], edited_by="import")
    assert changed and not changed_again
    assert again.revision == first.revision == 1
    assert change.added == []
    _, change, changed = store.upsert_article(content(), ["a", "b", "c"], edited_by="import")
    assert changed and [t.text for t in change.added] == ["c"]


def test_resolution_becomes_an_example_question(store):
    article, _ = store.create_article(content(), edited_by="ed")
    escalation = store.open_escalation(
        EscalationInput(message="parcel stuck in customs?", channel="email", language="en")
    )
    assert escalation.status is EscalationStatus.OPEN
    assert [e.id for e in store.list_escalations(EscalationStatus.OPEN)] == [escalation.id]
    resolved, target, change = store.resolve_escalation(
        escalation.id,
        Resolution(text="Customs take 2 days", resolved_by="t2", article_id=article.id),
    )
    assert resolved.status is EscalationStatus.RESOLVED and resolved.resolved_at is not None
    assert resolved.article_id == target.id == article.id
    assert [t.text for t in change.added] == ["parcel stuck in customs?"]
    question = store.questions(article.id)[-1]
    assert question.source is TextSource.ESCALATION and question.escalation_id == escalation.id
    with pytest.raises(Conflict, match="already resolved"):
        store.resolve_escalation(
            escalation.id, Resolution(text="again", resolved_by="x", article_id=article.id)
        )


def test_resolution_becomes_a_new_article(store):
    escalation = store.open_escalation(
        EscalationInput(message="Can I pay in instalments?", channel="chat", language="en")
    )
    new = content(slug="instalments", title="Paying in instalments", status=Status.DRAFT)
    _, article, change = store.resolve_escalation(
        escalation.id, Resolution(text="Yes via Klarna", resolved_by="t2", new_article=new)
    )
    assert article.content.status is Status.DRAFT
    assert {t.kind for t in change.added} == {"article", "question"}


def test_resolution_needs_exactly_one_target(store):
    escalation = store.open_escalation(EscalationInput(message="hi", channel="chat", language="en"))
    with pytest.raises(InvalidInput, match="exactly one target"):
        store.resolve_escalation(escalation.id, Resolution(text="x", resolved_by="y"))
    assert store.get_escalation(escalation.id).status is EscalationStatus.OPEN


def test_failed_resolution_changes_nothing(store):
    escalation = store.open_escalation(EscalationInput(message="hi", channel="chat", language="en"))
    revision = store.revision()
    with pytest.raises(NotFound):
        store.resolve_escalation(
            escalation.id, Resolution(text="x", resolved_by="y", article_id=999)
        )
    assert store.get_escalation(escalation.id).status is EscalationStatus.OPEN
    assert store.revision() == revision


def test_revision_counts_writes(store):
    start = store.revision()
    article, _ = store.create_article(content(), edited_by="ed")
    store.add_question(article.id, "hello", "en")
    assert store.revision() == start + 2


def test_vectors_are_cached_by_model_and_hash(store):
    store.put_vectors("m1", {"h1": b"\x00\x01", "h2": b"\x02"})
    store.put_vectors("m1", {"h1": b"\x00\x01"})  # a repeat is not an error
    assert store.get_vectors("m1", ["h1", "h3"]) == {"h1": b"\x00\x01"}
    assert store.get_vectors("m2", ["h1"]) == {}


def test_missing_things_are_not_found(store):
    with pytest.raises(NotFound):
        store.get_article(12345)
    with pytest.raises(NotFound):
        store.get_escalation(12345)
    with pytest.raises(NotFound):
        store.delete_question(12345)


def test_escalations_by_queue_and_soonest_sla_first(store):
    now = datetime.now(UTC)
    late = store.open_escalation(EscalationInput(
        message="a", channel="email", language="en", queue="billing",
        due_at=now + timedelta(hours=8)))
    soon = store.open_escalation(EscalationInput(
        message="b", channel="chat", language="da", queue="billing",
        due_at=now + timedelta(hours=1), tone="hostile"))
    store.open_escalation(EscalationInput(message="c", channel="chat", language="en",
                                          queue="cards"))
    listed = store.list_escalations(EscalationStatus.OPEN, queue="billing", by_due=True)
    assert [e.id for e in listed] == [soon.id, late.id]
    assert listed[0].input.tone == "hostile"
    assert abs(listed[0].input.due_at - (now + timedelta(hours=1))) < timedelta(seconds=1)


def test_resolutions_are_found_by_the_articles_they_taught(store):
    article, _ = store.create_article(content(), [], edited_by="ed")
    escalation = store.open_escalation(EscalationInput(message="q?", channel="chat", language="en"))
    assert store.resolutions_for([article.id]) == []
    store.resolve_escalation(escalation.id, Resolution(text="did X", resolved_by="anna",
                                                       article_id=article.id))
    (found,) = store.resolutions_for([article.id])
    assert found.id == escalation.id and found.resolution == "did X"
