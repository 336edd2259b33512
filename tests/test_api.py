"""The HTTP API: thin routes, one error shape, the resolution loop."""

from __future__ import annotations

from pathlib import Path

import pytest

from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.staff import api_client
from tests.test_index import make_settings

ARTICLE = {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
           "short_answer": "Refunds arrive within 5 working days.", "category": "refunds",
           "examples": ["where is my refund", "refund not received"]}


@pytest.fixture
def client(tmp_path: Path):
    services = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    with api_client(services) as test_client:
        yield test_client
    services.close()


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert error["code"] == code and error["message"]
    if field is not None:
        assert error["field"] == field
    return error


def test_article_lifecycle(client):
    created = client.post("/articles", json=ARTICLE)
    assert created.status_code == 201, created.text
    article_id = created.json()["id"]
    updated = client.put(f"/articles/{article_id}", json={
        **{k: v for k, v in ARTICLE.items() if k != "examples"}, "title": "Refund timing"})
    assert updated.json()["revision"] == 2
    assert client.post(f"/articles/{article_id}/archive").json()["content"]["status"] == \
        "archived"
    assert client.get("/search", params={"q": "where is my refund"}).json()["hits"] == []
    client.post(f"/articles/{article_id}/publish")
    restored = client.post(f"/articles/{article_id}/revisions/1/restore").json()
    assert restored["content"]["title"] == "When do I get my refund"
    revisions = client.get(f"/articles/{article_id}/revisions").json()
    assert [r["revision"] for r in revisions] == [1, 2, 3, 4, 5]
    hits = client.get("/search", params={"q": "where is my refund", "language": "en"}).json()
    assert hits["hits"][0]["slug"] == "refund-status"


def test_escalation_resolution_teaches_the_kb(client):
    client.post("/articles", json=ARTICLE)
    question = "my money back never showed up on the card statement"
    opened = client.post("/escalations", json={"message": question, "channel": "email",
                                               "language": "en"}).json()
    assert [e["id"] for e in client.get("/escalations?status=open").json()] == [opened["id"]]
    resolved = client.post(f"/escalations/{opened['id']}/resolve", json={
        "resolution": "Refund was sent; banks take 3 days", "article_id": 1})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
    hit = client.get("/search", params={"q": question, "language": "en"}).json()["hits"][0]
    assert hit["slug"] == "refund-status" and hit["matched_text"] == question


def test_errors_share_one_shape(client):
    assert_error(client.get("/articles/999"), 404, "not_found", "article_id")
    assert_error(client.get("/search", params={"q": "   "}), 422, "invalid_input", "q")
    assert_error(client.get("/search", params={"q": "x", "language": "xx"}), 422,
                 "invalid_input", "language")
    assert_error(client.get("/search", params={"q": "x" * 9000}), 422, "invalid_input", "q")
    assert_error(client.get("/search"), 422, "invalid_input", "q")
    assert_error(client.post("/articles", json={**ARTICLE, "colour": "red"}), 422,
                 "invalid_input", "colour")
    assert_error(client.post("/articles", json={**ARTICLE, "slug": "Bad Slug"}), 422,
                 "invalid_input", "slug")
    client.post("/articles", json=ARTICLE)
    assert_error(client.post("/articles", json=ARTICLE), 409, "conflict", "slug")
    assert_error(client.post("/escalations", json={"message": "hi", "channel": "fax"}), 422,
                 "invalid_input", "channel")
    assert_error(client.post("/escalations", json={"message": "bad \x00 bytes"}), 422,
                 "invalid_input", "message")
    opened = client.post("/escalations", json={"message": "help me please", "language": "en"})
    assert_error(client.post(f"/escalations/{opened.json()['id']}/resolve", json={
        "resolution": "x"}), 422, "invalid_input", "article_id")


def test_health_reports_the_index(client):
    client.post("/articles", json=ARTICLE)
    body = client.get("/health").json()
    assert body["model"] == "fake-bow-64" and body["vectors"] == 3 and body["articles"] == 1
    assert body["article_head"] == {"enabled": False, "articles": 0, "up_to_date": False}
