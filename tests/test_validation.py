"""The input rules of the domain, shared by the API and the CLI: text, one-line fields, ids,
categories, and the escalation and answer paths that apply them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from responder.errors import InvalidInput
from responder.kb.validation import (
    MAX_ID,
    MAX_REASON,
    article_from_mapping,
    check_id,
    clean_category,
    clean_email,
    clean_line,
    clean_text,
    clip_text,
    normalise_language,
)
from responder.knowledge import ResolutionRequest
from responder.models import EscalationInput
from responder.pipeline import Message
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.test_index import make_settings

ARTICLE = {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
           "short_answer": "Refunds arrive within 5 working days.", "category": "refunds"}


def refused(call: object, *args: object, **kwargs: object) -> InvalidInput:
    assert callable(call)
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize("text, code, position", [
    ("a\ud800b", "D800", 1), ("\udfffend", "DFFF", 0), ("pair split \ud83d here", "D83D", 11),
])
def test_a_lone_surrogate_is_refused_with_where_it_is(text: str, code: str, position: int) -> None:
    error = refused(clean_text, text, "text", 100)
    assert error.field == "text" and "lone UTF-16 surrogate" in error.message
    assert f"U+{code} at position {position}" in error.message and "UTF-8" in error.message


def test_a_complete_surrogate_pair_is_a_character_and_accepted() -> None:
    assert clean_text("smile \U0001f600", "text", 100) == "smile \U0001f600"


@pytest.mark.parametrize("value, code", [("Anna\r\nBcc: x@evil", "000D"), ("Anna\nBerg", "000A"),
                                         ("Anna\u2028Berg", "2028"), ("Anna\x85Berg", "0085")])
def test_a_line_break_in_a_one_line_field_is_refused(value: str, code: str) -> None:
    error = refused(clean_line, value, "customer_name", 200)
    assert error.field == "customer_name"
    assert "must be one line" in error.message and f"U+{code}" in error.message


def test_text_keeps_its_line_breaks_and_tabs_but_a_line_does_not_take_a_tab() -> None:
    assert clean_text("line one\r\nline\ttwo", "body", 100) == "line one\r\nline\ttwo"
    error = refused(clean_line, "Anna\tBerg", "customer_name", 200)
    assert "control character U+0009" in error.message


@pytest.mark.parametrize("cleaner", [clean_text, clean_line])
def test_nul_and_other_controls_are_refused_in_both(cleaner: object) -> None:
    assert callable(cleaner)
    error = refused(cleaner, "bad\x00byte", "message", 100)
    assert "control character U+0000 at position 3" in error.message
    assert "Send UTF-8 text" in error.message


def test_length_is_counted_after_trimming_and_the_limit_is_named() -> None:
    assert clean_line("  " + "x" * 120 + "  ", "edited_by", 120) == "x" * 120
    error = refused(clean_line, "x" * 121, "edited_by", 120)
    assert error.field == "edited_by" and "121 characters long; the limit is 120" in error.message


def test_text_the_product_writes_is_clipped_not_refused() -> None:
    reason = clip_text("cue " * 1000, "reason", MAX_REASON)
    assert len(reason) == MAX_REASON and reason.endswith("…")
    assert clip_text("short", "reason", MAX_REASON) == "short"
    assert refused(clip_text, "a\x00b", "reason", MAX_REASON).field == "reason"


@pytest.mark.parametrize("value", ["anna@example.com", ""])
def test_an_email_address_or_none(value: str) -> None:
    assert clean_email(value) == value


@pytest.mark.parametrize("value, words", [
    ("anna@example.com\r\nBcc: all@example.com", "must be one line"),
    ("not an address", "not an email address"),
    ("a" * 321 + "@x", "the limit is 320"),
])
def test_a_bad_email_is_refused(value: str, words: str) -> None:
    error = refused(clean_email, value)
    assert error.field == "customer_email" and words in error.message


def test_a_category_must_be_one_the_matrix_routes() -> None:
    assert clean_category(" Billing ", ["billing", "legal"]) == "billing"
    assert clean_category("general", []) == "general"
    error = refused(clean_category, "anything", ["legal", "billing"])
    assert error.field == "category"
    assert "Unknown category 'anything'" in error.message
    assert "['billing', 'general', 'legal']" in error.message


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, 2**63])
def test_an_id_outside_postgresql_integer_is_refused(value: int) -> None:
    error = refused(check_id, value, "article_id")
    assert error.field == "article_id" and f"ids run from 1 to {MAX_ID}" in error.message


def test_a_language_code_is_checked_before_it_is_echoed() -> None:
    assert normalise_language("en-GB") == "en"
    error = refused(normalise_language, "x" * 10_000)
    assert error.field == "language" and "the limit is 35" in error.message
    assert refused(normalise_language, "e\ud800").field == "language"


@pytest.mark.parametrize("field, value, words", [
    ("title", "Refunds\r\nBcc: x@evil", "must be one line"),
    ("category", "refunds\nlegal", "must be one line"),
    ("timeframe", "within\n5 days", "must be one line"),
    ("tags", ["ok", "bad\ttag"], "control character U+0009"),
    ("body", "fine\x00", "control character U+0000"),
    ("slug", "a\ud800", "lone UTF-16 surrogate"),
])
def test_article_fields_follow_the_same_rules(field: str, value: object, words: str) -> None:
    error = refused(article_from_mapping, {**ARTICLE, field: value})
    assert words in error.message and error.field == field


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    yield built
    built.close()


def escalation(**fields: object) -> EscalationInput:
    values: dict[str, object] = {"message": "my parcel never came", "channel": "email",
                                 "language": "en", **fields}
    return EscalationInput(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("fields, field, words", [
    ({"customer_name": "Anna\r\nBcc: all@example.com"}, "customer_name", "must be one line"),
    ({"customer_name": "Anna\x00"}, "customer_name", "control character U+0000"),
    ({"customer_email": "anna@example.com\nBcc: x@y"}, "customer_email", "must be one line"),
    ({"customer_email": "nobody"}, "customer_email", "not an email address"),
    ({"category": "bill\ring"}, "category", "must be one line"),
    ({"category": "x" * 65}, "category", "the limit is 64"),
    ({"reason": "bad\x00"}, "reason", "control character"),
    ({"message": "a\ud800b"}, "message", "lone UTF-16 surrogate"),
])
def test_opening_an_escalation_applies_the_rules(
    services: Services, fields: dict[str, object], field: str, words: str
) -> None:
    error = refused(services.kb.open_escalation, escalation(**fields))
    assert error.field == field and words in error.message


def test_trailing_whitespace_is_trimmed_before_a_line_is_checked(services: Services) -> None:
    opened = services.kb.open_escalation(
        escalation(category=" Billing\r\n", customer_name=" Anna "))
    assert (opened.input.category, opened.input.customer_name) == ("billing", "Anna")


def test_an_escalation_reason_is_kept_to_its_cap(services: Services) -> None:
    opened = services.kb.open_escalation(escalation(reason="shouting: WHY " * 1000))
    assert len(opened.input.reason) == MAX_REASON
    assert len(services.store.get_escalation(opened.id).input.reason) == MAX_REASON


def test_resolving_applies_the_rules_for_the_cli_too(services: Services) -> None:
    opened = services.kb.open_escalation(escalation())
    article = services.kb.create_article(ARTICLE, ["where is my refund"], edited_by="test")
    for request, field, words in [
        (ResolutionRequest("Sent again", "x" * 121, article_id=article.id), "resolved_by",
         "the limit is 120"),
        (ResolutionRequest("Sent again", "tier2\r\nX: y", article_id=article.id),
         "resolved_by", "must be one line"),
        (ResolutionRequest("Sent again", "tier2", article_id=2**63), "article_id",
         "out of range"),
    ]:
        error = refused(services.kb.resolve_escalation, opened.id, request)
        assert error.field == field and words in error.message
    error = refused(services.kb.resolve_escalation, 2**63,
                    ResolutionRequest("Sent again", "tier2", article_id=article.id))
    assert error.field == "escalation_id"
    resolved, _ = services.kb.resolve_escalation(
        opened.id, ResolutionRequest("Sent again", "  tier2  ", article_id=article.id))
    assert resolved.resolved_by == "tier2"


@pytest.mark.parametrize("fields, field, words", [
    ({"customer_name": "Eve\r\nBcc: all@example.com"}, "customer_name", "must be one line"),
    ({"customer_email": "eve@example.com\r\nBcc: x@y"}, "customer_email", "must be one line"),
    ({"text": "hi \ud800"}, "text", "lone UTF-16 surrogate"),
])
def test_the_answer_path_applies_the_rules(
    services: Services, fields: dict[str, object], field: str, words: str
) -> None:
    values: dict[str, object] = {"text": "where is my refund", "channel": "email", **fields}
    message = Message(**values)  # type: ignore[arg-type]
    error = refused(services.responder.validate, message)
    assert error.field == field and words in error.message
