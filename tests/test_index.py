"""The derived index: live updates, caching of vectors, persistence, verify and rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from responder.config import Settings
from responder.index.retriever import Audience
from responder.models import Status
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "kb_dir": tmp_path / "kb", "index_dir": tmp_path / "index", "seed_demo": False,
        "data_dir": tmp_path / "data",
        # The fake's 64-dim bag of words has no language directions to remove: removing two
        # per language would only delete words. tests/test_language_subspace.py covers them.
        "language_components": 0,
        # The article head trains in a background thread; tests of everything else score by
        # retrieval alone so they never race it. tests/test_article_head.py covers the head.
        "head_weight": 0.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def article(slug: str, language: str, title: str, answer: str, **extra: object) -> dict:
    return {"slug": slug, "language": language, "title": title, "short_answer": answer, **extra}


@pytest.fixture
def services(tmp_path: Path):
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    yield built
    built.close()


def seed(services: Services) -> None:
    kb = services.kb
    kb.create_article(article("password-reset", "en", "Reset your password",
                              "Use the forgot password link."),
                      ["I forgot my password", "password reset link not working"], edited_by="t")
    kb.create_article(article("password-reset", "de", "Passwort zurücksetzen",
                              "Nutzen Sie den Link 'Passwort vergessen'."),
                      ["Ich habe mein Passwort vergessen"], edited_by="t")
    kb.create_article(article("refund-status", "en", "When do I get my refund",
                              "Refunds arrive within 5 working days."),
                      ["where is my refund", "refund not received"], edited_by="t")


def test_new_article_is_searchable_at_once(services):
    seed(services)
    hits = services.retriever.search("refund not received yet", "en").hits
    assert hits[0].article.slug == "refund-status"
    assert 0.0 <= hits[0].score <= 1.0
    assert hits[0].score > hits[1].score


def test_prefers_the_customers_language_version(services):
    seed(services)
    hit = services.retriever.search("I forgot my password", "de").hits[0]
    assert hit.article.slug == "password-reset"
    assert hit.article.language == "de" and not hit.fallback_language


def test_falls_back_to_another_language_and_says_so(services):
    seed(services)
    hit = services.retriever.search("where is my refund", "ru").hits[0]
    assert hit.article.slug == "refund-status"
    assert hit.article.language == "en" and hit.fallback_language


def test_archived_and_internal_articles_are_hidden_from_customers(services):
    seed(services)
    internal = services.kb.create_article(
        article("fraud-playbook", "en", "Fraud playbook", "Escalate suspected fraud.",
                visibility="internal"), ["suspected fraud on account"], edited_by="t")
    customer = services.retriever.search("suspected fraud on account", "en").hits
    agent = services.retriever.search("suspected fraud on account", "en",
                                      audience=Audience.AGENT).hits
    assert all(h.article.id != internal.id for h in customer)
    assert agent[0].article.id == internal.id
    refund = services.store.find_article("refund-status", "en")
    services.kb.set_status(refund.id, Status.ARCHIVED, edited_by="t")
    slugs = [h.article.slug for h in services.retriever.search("where is my refund", "en").hits]
    assert "refund-status" not in slugs


def test_unchanged_text_is_never_embedded_twice(tmp_path):
    embedder = FakeEmbedder()
    services = build_services(make_settings(tmp_path), embedder=embedder)
    seed(services)
    before = embedder.texts_embedded
    refund = services.store.find_article("refund-status", "en")
    fields = article("refund-status", "en", "When do I get my refund",
                     "Refunds arrive within 5 working days.")
    services.kb.update_article(refund.id, {**fields, "timeframe": "5 days", "tags": ["money"]},
                               edited_by="t")
    assert embedder.texts_embedded == before  # neither is a searchable text
    services.kb.update_article(refund.id, {**fields, "body": "New details."}, edited_by="t")
    assert embedder.texts_embedded == before + 1  # only the new body vector
    services.index.rebuild()
    assert embedder.texts_embedded == before + 1  # vectors come from the database cache
    services.close()


def test_index_survives_restart_and_catches_up(tmp_path):
    settings = make_settings(tmp_path)
    first = build_services(settings, embedder=FakeEmbedder())
    seed(first)
    first.close()
    # a write the saved index never saw, as if the process died before saving
    second = build_services(settings, embedder=FakeEmbedder(), open_index=False)
    second.store.add_question(second.store.find_article("refund-status", "en").id,
                              "money back missing", "en")
    assert not second.index.verify().ok
    second.close()
    third = build_services(settings, embedder=FakeEmbedder())
    assert third.sync.loaded_from_disk and third.sync.added == 1
    assert third.index.verify().ok
    assert third.retriever.search("money back missing", "en").hits[0].article.slug == \
        "refund-status"
    third.close()


def test_index_of_another_model_is_rebuilt_not_used(tmp_path):
    settings = make_settings(tmp_path)
    first = build_services(settings, embedder=FakeEmbedder("model-a"))
    seed(first)
    first.close()
    second = build_services(settings, embedder=FakeEmbedder("model-b"))
    assert not second.sync.loaded_from_disk
    assert "model_id" in (second.sync.rebuilt_reason or "")
    assert second.index.verify().ok
    second.close()


def test_corrupt_index_file_is_rebuilt(tmp_path):
    settings = make_settings(tmp_path)
    first = build_services(settings, embedder=FakeEmbedder())
    seed(first)
    first.close()
    from responder.index.manifest import Manifest

    manifest = Manifest.load(settings.index_dir / "manifest.json")
    assert manifest is not None
    (settings.index_dir / manifest.vectors_file).write_bytes(b"garbage")
    second = build_services(settings, embedder=FakeEmbedder())
    assert not second.sync.loaded_from_disk and second.sync.rebuilt_reason
    assert second.retriever.search("where is my refund", "en").hits[0].article.slug == \
        "refund-status"
    second.close()


def test_hnsw_index_supports_removal_by_hiding(tmp_path):
    services = build_services(make_settings(tmp_path, index_kind="hnsw"), embedder=FakeEmbedder())
    seed(services)
    refund = services.store.find_article("refund-status", "en")
    services.kb.delete_article(refund.id)
    slugs = [h.article.slug for h in services.retriever.search("where is my refund", "en").hits]
    assert "refund-status" not in slugs
    services.close()
    reopened = build_services(make_settings(tmp_path, index_kind="hnsw"), embedder=FakeEmbedder())
    assert reopened.sync.loaded_from_disk and reopened.index.verify().ok
    reopened.close()


def test_resolved_escalation_is_matchable_without_rebuild(services):
    from responder.knowledge import ResolutionRequest
    from responder.models import EscalationInput

    seed(services)
    question = "my parcel is stuck in customs for weeks"
    escalation = services.kb.open_escalation(
        EscalationInput(message=question, channel="email", language="en"))
    _, new = services.kb.resolve_escalation(escalation.id, ResolutionRequest(
        text="Customs clearance", resolved_by="tier2",
        new_article=article("customs-delay", "en", "Parcel held by customs",
                            "Customs clearance takes up to 10 days.")))
    assert services.retriever.search(question, "en").hits[0].article.id == new.id


def test_prototypes_stay_equal_to_a_fresh_rebuild(services):
    import numpy as np

    seed(services)
    kb, store = services.kb, services.store
    refund = store.find_article("refund-status", "en")
    kb.add_question(refund.id, "money back please", "en")
    kb.update_article(refund.id, article("refund-status", "en", "Refund timing",
                                         "Five working days.", body="Details."), edited_by="t")
    german = store.find_article("password-reset", "de")
    kb.delete_article(german.id)
    live = {slug: services.index.prototype(slug) for slug in ("refund-status", "password-reset")}
    services.index.rebuild()
    for slug, vector in live.items():
        assert np.allclose(vector, services.index.prototype(slug), atol=1e-5)
    assert services.index.prototype("no-such-article") is None
