"""POST /answer, GET /agent/search, lint and escalation queues, with the fake embedder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.staff import api_client
from tests.test_api import assert_error
from tests.test_index import make_settings

CARD = {"slug": "card-swallowed", "language": "en", "title": "A cash machine kept my card",
        "short_answer": "Block the card in the app and order a free replacement.",
        "options": ["Block the card in the app", "Call the 24-hour card line"],
        "agreement": "Your new card arrives within 5-7 working days.",
        "timeframe": "within 5-7 working days", "category": "payment-card",
        "examples": ["the machine ate my card", "the ATM kept my card"]}
CARD_DA = {**CARD, "language": "da", "title": "En hæveautomat har beholdt mit kort",
           "short_answer": "Spær kortet i appen, og bestil et nyt gratis kort.",
           "options": ["Spær kortet i appen", "Ring til vores kortlinje"],
           "agreement": "Dit nye kort kommer inden for 5-7 hverdage.",
           "timeframe": "inden for 5-7 hverdage",
           "examples": ["automaten har slugt mit kort"]}

OTHERS = [
    {"slug": "password-reset", "language": "en", "title": "Reset your password",
     "short_answer": "Use the forgotten password link on the login page.", "category": "password",
     "examples": ["I forgot my password", "password reset link does not work"]},
    {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
     "short_answer": "Refunds reach your account within 5 working days.", "category": "refunds",
     "examples": ["where is my refund", "refund not received yet"]},
]


@pytest.fixture
def client(tmp_path: Path):
    services = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    with api_client(services) as test_client:
        for article in (CARD, CARD_DA, *OTHERS):
            assert test_client.post("/articles", json=article).status_code == 201
        yield test_client
    services.close()


def ask(client: TestClient, text: str, channel: str = "email", **extra: object) -> dict:
    response = client.post("/answer", json={"text": text, "channel": channel, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_confident_calm_question_is_answered_in_the_channel_form(client):
    body = ask(client, "the ATM kept my card", customer_name="Anna")
    assert body["decision"]["kind"] == "answer", body["decision"]
    assert body["matches"][0]["slug"] == "card-swallowed"
    assert body["escalation"] is None and body["tone"]["level"] == "calm"
    reply = body["reply"]
    assert reply["channel"] == "email" and reply["subject"] and reply["html"]
    assert "Anna" in reply["text"] and "Call the 24-hour card line" in reply["text"]


def test_help_page_reply_is_the_dry_answer(client):
    reply = ask(client, "the ATM kept my card", channel="helppage")["reply"]
    assert "Block the card in the app" in reply["text"] and reply["subject"] is None


def test_angry_wording_does_not_hide_what_is_asked(client):
    body = ask(client, "Your stupid machine ATE MY CARD and nobody helps!!!")
    assert body["matches"][0]["slug"] == "card-swallowed"
    kinds = {cue["kind"] for cue in body["tone"]["cues"]}
    assert {"insult", "shouting"} <= kinds
    # an insult goes to a supervisor at once, and the reply does not repeat it
    assert body["decision"]["kind"] == "handoff" and body["decision"]["rule"] == "abuse-or-threat"
    assert body["escalation"]["kind"] == "hierarchical"
    assert "stupid" not in body["reply"]["text"].lower()


def test_no_good_match_is_handed_off_with_an_honest_due_time(client):
    before = datetime.now(UTC)
    body = ask(client, "do you sell vegan dog food in bulk for kennels", channel="chat")
    assert body["decision"]["kind"] == "handoff" and body["decision"]["rule"] == "no-good-match"
    escalation = body["escalation"]
    due = datetime.fromisoformat(escalation["due_at"])
    assert before + timedelta(hours=23) < due < datetime.now(UTC) + timedelta(hours=25)
    stored = client.get(f"/escalations/{escalation['escalation_id']}").json()
    assert stored["status"] == "open" and stored["queue"] == escalation["queue"]
    assert "no-good-match" in stored["reason"]


def test_asking_for_a_manager_hands_off_even_with_a_match(client):
    body = ask(client, "the ATM kept my card, I want to speak to a manager")
    assert body["decision"]["rule"] == "asks-for-a-person"
    assert body["escalation"]["queue"] == "cards"


def test_language_hint_wins_for_a_short_message_and_accept_language_is_used(client):
    assert ask(client, "kort", language="da")["language"]["code"] == "da"
    response = client.post("/answer", json={"text": "kort", "channel": "chat"},
                           headers={"Accept-Language": "fr-FR, da;q=0.8, en;q=0.5"})
    assert response.json()["language"]["code"] == "da"


def test_the_reply_comes_in_the_customers_language(client):
    body = ask(client, "automaten har slugt mit kort, hvad gør jeg nu?", language="da")
    assert body["matches"][0]["language"] == "da"
    assert "Spær kortet i appen" in body["reply"]["text"]


@pytest.mark.parametrize("payload, field", [
    ({"text": "", "channel": "email"}, "text"),
    ({"text": "   \n ", "channel": "email"}, "text"),
    ({"text": "x" * 9000, "channel": "email"}, "text"),
    ({"text": "bad \x00 bytes", "channel": "email"}, "text"),
    ({"text": "broken \ufffd text", "channel": "email"}, "text"),
    ({"text": "hello", "channel": "fax"}, "channel"),
    ({"text": "hello", "channel": "email", "language": "xx"}, "language"),
    ({"text": "hello", "channel": "email", "customer_email": "not an address"},
     "customer_email"),
])
def test_bad_input_gets_a_clear_4xx_with_the_field(client, payload, field):
    error = assert_error(client.post("/answer", json=payload), 422, "invalid_input", field)
    assert len(error["message"]) > 20


def test_unknown_fields_and_wrong_types_are_refused(client):
    response = client.post("/answer", json={"text": "hi", "channel": "email", "colour": 1})
    assert response.status_code == 422 and response.json()["error"]["field"]


def test_html_in_any_field_is_escaped_in_html_output(client):
    evil = {**CARD, "slug": "evil", "short_answer": "<script>alert(1)</script> Block it.",
            "options": ["<script>alert(2)</script> Call us"], "examples": ["zzz evil question"]}
    assert client.post("/articles", json=evil).status_code == 201
    body = ask(client, "zzz evil question", customer_name="<b>Eve</b>")
    assert body["matches"][0]["slug"] == "evil"
    html = body["reply"]["html"]
    page = ask(client, "zzz evil question", channel="helppage")["reply"]["html"]
    assert "<script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>Eve</b>" not in html


def test_agent_search_shows_resolutions_and_suggested_replies(client):
    handed = ask(client, "do you sell vegan dog food in bulk for kennels")
    escalation_id = handed["escalation"]["escalation_id"]
    article_id = client.get("/search", params={"q": "ATM kept my card"}).json()["hits"][0][
        "article_id"]
    resolved = client.post(f"/escalations/{escalation_id}/resolve", json={
        "resolution": "Told the customer we do not sell pet food.", "article_id": article_id})
    assert resolved.status_code == 200, resolved.text
    found = client.get("/agent/search", params={"q": "ATM kept my card", "source": "resolution"})
    assert found.status_code == 200, found.text
    (hit,) = found.json()["hits"]
    assert hit["resolutions"][0]["resolution"].startswith("Told the customer")
    assert set(hit["suggested_replies"]) == {"helppage", "email", "chat"}
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    none = client.get("/agent/search", params={"q": "ATM kept my card", "since": later})
    assert none.json()["hits"] == []
    for vague in ["0", "1733011200", "2026-12-01T09:00:00", "yesterday"]:
        refused = client.get("/agent/search", params={"q": "card", "since": vague})
        assert refused.status_code == 422, vague
        assert "RFC 3339" in refused.text
    wrong = client.get("/agent/search", params={"q": "card", "source": "rumours"})
    assert wrong.status_code == 422


def test_escalations_by_queue_and_due(client):
    ask(client, "do you sell vegan dog food in bulk for kennels")
    ask(client, "the ATM kept my card, you idiots")
    by_due = client.get("/escalations", params={"status": "open", "order": "due"}).json()
    dues = [e["due_at"] for e in by_due]
    assert dues == sorted(dues) and len(dues) == 2
    supervisors = client.get("/escalations", params={"queue": "supervisors"}).json()
    assert [e["tone"] for e in supervisors] == ["hostile"]


def test_a_learnt_insult_score_is_shown_with_its_threshold_and_in_the_reason(client):
    abusive = "you people are pathetic worthless liars and idiots and I am sick of you"
    body = ask(client, abusive)
    (score,) = body["tone"]["learnt"]
    assert score["kind"] == "insult" and score["flagged"] is True
    assert 0 < score["support"] <= score["threshold"] <= score["score"] <= 1
    (opened,) = client.get("/escalations", params={"queue": "supervisors"}).json()
    assert (f"learnt insult score {score['score']:.2f} >= {score['threshold']:.2f}"
            in opened["reason"])
    calm = ask(client, "where is my refund")["tone"]["learnt"]
    assert [s["flagged"] for s in calm] == [False]


def test_lint_flags_phrases_to_avoid(client):
    body = client.post("/lint", json={"text": "Please calm down, that's not our policy.",
                                      "language": "en"}).json()
    assert body["errors"] >= 2
    assert client.post("/lint", json={"text": "x", "language": "zz"}).status_code == 422
    article_id = client.get("/search", params={"q": "ATM kept my card"}).json()["hits"][0][
        "article_id"]
    assert client.get(f"/articles/{article_id}/lint").json()["errors"] == 0


def test_an_unsupported_language_is_answered_in_the_default_and_the_reply_says_so(client):
    body = ask(client, "Bonjour, je voudrais savoir quand je vais recevoir mon remboursement, "
                       "merci beaucoup pour votre aide", channel="chat")
    assert body["language"]["unsupported"] == "fr" and body["language"]["code"] == "en"
    assert "French" in body["reply"]["text"]


def test_a_preview_changes_nothing(tmp_path: Path) -> None:
    from responder.events import EventFilter
    from responder.pipeline import Message

    services = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    try:
        kept = services.responder.preview(Message("the ATM kept my card", "chat"))
        assert kept.decision.kind.value == "handoff" and kept.escalation is None
        assert kept.reply.text.strip()  # the hand-off notice, without a reference
        assert services.store.list_escalations() == []
        assert services.events.page(EventFilter()) == []
    finally:
        services.close()
