"""The product's loop, end to end through the HTTP API with the real model (slow):
a question nobody has answered is handed off; a person resolves it; the same question, a
paraphrase and a translation are then answered automatically."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.wiring import Services

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
    with TestClient(create_app(services=demo_services)) as client:
        first = answer(client, QUESTION)
        assert first["decision"]["kind"] == "handoff", first["decision"]
        escalation_id = first["escalation"]["escalation_id"]
        assert "#" + str(escalation_id) in first["reply"]["text"]

        resolved = client.post(f"/escalations/{escalation_id}/resolve", json={
            "resolution": "Pointed the customer to our partner bicycle workshops.",
            "resolved_by": "tier2-anna",
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

        for text, language in [(QUESTION, None), (PARAPHRASE, None), TRANSLATION]:
            body = answer(client, text, language)
            assert body["decision"]["kind"] != "handoff", (text, body["decision"],
                                                           body["matches"][:2])
            assert body["matches"][0]["slug"] == "bicycle-repair", (text, body["matches"][:2])
            assert "partner" in body["reply"]["text"].lower() or language, body["reply"]["text"]
        assert client.get(f"/escalations/{escalation_id}").json()["status"] == "resolved"
