"""The product's loop, end to end through the HTTP API with the real model (slow):
a question nobody has answered is handed off; a person resolves it in English; the same
question, a paraphrase and a German translation are then answered automatically (the
translation from the English article, since no German version exists yet)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from responder.wiring import Services
from tests.staff import api_client

pytestmark = pytest.mark.slow

QUESTION = "Can I bring my bicycle to your store to have the tyres fixed?"
PARAPHRASE = "do you repair flat bike tyres in the shop?"
TRANSLATION = ("Kann ich mein Fahrrad in Ihren Laden bringen, um die Reifen reparieren zu "
               "lassen?", "de")


def answer(client: TestClient, text: str, language: str | None = None) -> dict:
    response = client.post("/answer", json={"text": text, "channel": "email",
                                            "language": language, "customer_name": "Ole"})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_resolved_escalation_answers_the_question_paraphrase_and_translation(
    demo_services: Services,
) -> None:
    with api_client(demo_services) as client:
        first = answer(client, QUESTION)
        assert first["decision"]["kind"] == "handoff", first["decision"]
        escalation_id = first["escalation"]["escalation_id"]
        assert "#" + str(escalation_id) in first["reply"]["text"]

        resolved = client.post(f"/escalations/{escalation_id}/resolve", json={
            "resolution": "Pointed the customer to our partner bicycle workshops.",
            "new_article": {
                "slug": "bicycle-repair", "language": "en", "category": "products",
                "title": "Bicycle and tyre repairs",
                "short_answer": "We do not repair bicycles in our stores; our partner "
                                "workshops fix tyres and brakes, usually within 2 days.",
                "options": ["Book a partner workshop on our website",
                            "Bring the bicycle to any partner workshop without booking"],
                "agreement": "The workshop confirms the price before it starts.",
                "timeframe": "usually within 2 days"}})
        assert resolved.status_code == 200, resolved.text
        # Matchable at once by retrieval (tests/test_article_head.py); here the article head
        # has also learnt it, as it has a second after the resolution on a KB this size.
        assert demo_services.index.wait_for_head(60)

        for text in (QUESTION, PARAPHRASE):
            body = answer(client, text)
            assert body["decision"]["kind"] != "handoff", (text, body["decision"],
                                                           body["matches"][:2])
            assert body["matches"][0]["slug"] == "bicycle-repair", (text, body["matches"][:2])
            assert "partner workshop" in body["reply"]["text"], body["reply"]["text"]
        translated = answer(client, *TRANSLATION)
        assert translated["language"]["code"] == "de"
        assert translated["decision"]["kind"] != "handoff", translated["decision"]
        assert translated["matches"][0]["slug"] == "bicycle-repair", translated["matches"][:2]
        assert translated["matches"][0]["fallback_language"], translated["matches"][0]
        assert client.get(f"/escalations/{escalation_id}").json()["status"] == "resolved"


ANGRY = [
    ("Your stupid machine ATE MY CARD and nobody helps!!!", "en", "card-swallowed"),
    ("Jeres dumme automat har SLUGT MIT KORT og ingen hjælper mig!!!", "da", "card-swallowed"),
    ("Euer blöder Automat hat MEINE KARTE EINGEZOGEN und keiner hilft!!!", "de",
     "card-swallowed"),
    ("ЧТО ЗА БАРДАК?! Я забыл пароль и не могу войти уже третий день!!!", "ru",
     "password-reset"),
]


@pytest.mark.parametrize("text, language, slug", ANGRY)
def test_angry_wording_does_not_hide_the_request(
    demo_services: Services, text: str, language: str, slug: str,
) -> None:
    from responder.pipeline import Message

    outcome = demo_services.responder.respond(Message(text, "chat", language))
    assert outcome.tone.escalated, outcome.tone
    assert outcome.hits[0].article.slug == slug, [h.article.slug for h in outcome.hits]
