"""The widget's endpoints: a signed form token with a minimum fill time, a honeypot, the form
answered as a chat message, deflections recorded, and cross-origin calls only from the
origins the operator allows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.api.routes_widget import MIN_FILL_SECONDS, check_form_token, sign_form_token
from responder.auth.keys import secret_key
from responder.errors import InvalidInput
from responder.events import EventFilter
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff import API
from tests.test_index import make_settings

SHOP = "https://shop.example"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, widget_origins=[SHOP]),
                           embedder=FakeEmbedder())
    built.kb.create_article({"slug": "refund-status", "language": "en",
                             "title": "When do I get my refund", "category": "refunds",
                             "short_answer": "Refunds arrive within 5 working days."},
                            ["where is my refund", "refund not received"], edited_by="t")
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=API) as test_client:
        yield test_client


def aged_token(services: Services, seconds: float) -> str:
    """A form token issued `seconds` ago (the form was open that long)."""
    return sign_form_token(secret_key(services.settings), int(time.time() - seconds))


def test_the_form_is_answered_like_a_chat_message(client: TestClient,
                                                  services: Services) -> None:
    issued = client.get("/contact/form").json()
    assert issued["min_fill_seconds"] == MIN_FILL_SECONDS
    sent = client.post("/contact", json={"message": "where is my refund", "language": "en",
                                         "customer_name": "Anna",
                                         "form_token": aged_token(services, 10)})
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["reply"]["channel"] == "chat" and "Anna" in body["reply"]["text"]
    assert body["matches"][0]["slug"] == "refund-status"
    (event,) = services.events.page(EventFilter(kind="answer"))
    assert event.data["channel"] == "chat" and event.public_id == body["answer_id"]


def test_spam_is_refused_with_a_clear_reason(client: TestClient, services: Services) -> None:
    form = {"message": "buy cheap watches", "language": "en"}
    fast = client.post("/contact", json={**form, "form_token": aged_token(services, 0)})
    assert fast.status_code == 422 and "too fast" in fast.json()["error"]["message"]
    bot = client.post("/contact", json={**form, "form_token": aged_token(services, 10),
                                        "website": "http://spam.example"})
    assert bot.status_code == 422 and bot.json()["error"]["field"] == "website"
    forged = client.post("/contact", json={**form, "form_token": "1700000000.0000"})
    assert forged.status_code == 422 and forged.json()["error"]["field"] == "form_token"
    for odd in ("².x", "١٢٣.x", "9" * 40 + ".x", ".", ""):  # digits Python reads, no number
        refused = client.post("/contact", json={**form, "form_token": odd})
        assert refused.status_code == 422, (odd, refused.text)
    stale = client.post("/contact", json={**form, "form_token": aged_token(services, 90000)})
    assert stale.status_code == 422 and "a day old" in stale.json()["error"]["message"]
    assert services.events.page(EventFilter(kind="answer")) == []
    with pytest.raises(InvalidInput):
        check_form_token(b"another key", aged_token(services, 10), time.time())


def test_a_deflection_is_recorded_and_nothing_is_sent(client: TestClient,
                                                      services: Services) -> None:
    article = services.store.find_article("refund-status", "en")
    assert article is not None
    made = client.post("/deflections", json={"question": "where is my refund money",
                                             "article_id": article.id})
    assert made.status_code == 201, made.text
    (event,) = services.events.page(EventFilter(kind="deflection"))
    assert event.subject_id == article.id and event.data["source"] == "widget"
    assert services.store.list_escalations() == []
    missing = client.post("/deflections", json={"question": "x", "article_id": 999})
    assert missing.status_code == 404


def test_only_allowed_origins_may_call_from_a_browser(client: TestClient) -> None:
    allowed = client.options("/contact", headers={
        "Origin": SHOP, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SHOP
    other = client.get("/search", params={"q": "refund"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    staff = client.options("/articles", headers={
        "Origin": SHOP, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert staff.status_code == 400  # a token cannot be sent cross-origin from a browser


def test_the_widget_script_is_served(services: Services) -> None:
    with TestClient(create_app(services=services)) as client:
        script = client.get("/widget.js")
    assert script.status_code == 200 and "attachShadow" in script.text
