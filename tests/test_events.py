"""The event log: every use case leaves exactly one event, with the right actor, written in the
same transaction as its change (so a change that is rolled back leaves none), and an answer's
event is what a customer's "did this help?" refers to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.auth.roles import Role
from responder.kb import changelog
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff import API, PASSWORD, token_for
from tests.test_index import make_settings

ARTICLE = {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
           "short_answer": "Refunds arrive within 5 working days.", "category": "refunds",
           "examples": ["where is my refund", "refund not received"]}


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=API) as test_client:
        yield test_client


def as_(services: Services, role: Role, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(services.accounts, role, name)}"}


def events(client: TestClient, services: Services, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/events", params=params,
                          headers=as_(services, Role.ADMIN, "auditor"))
    assert response.status_code == 200, response.text
    return list(response.json())


def test_every_use_case_leaves_one_event_with_its_actor(client: TestClient,
                                                        services: Services) -> None:
    editor, agent = as_(services, Role.EDITOR, "eva"), as_(services, Role.AGENT, "aksel")
    admin = as_(services, Role.ADMIN, "root")
    article = client.post("/articles", json=ARTICLE, headers=editor).json()
    body = {k: v for k, v in ARTICLE.items() if k != "examples"}
    client.put(f"/articles/{article['id']}", json={**body, "title": "Refunds"},
               headers=editor)
    client.post(f"/articles/{article['id']}/archive", headers=editor)
    client.post(f"/articles/{article['id']}/publish", headers=editor)
    client.post(f"/articles/{article['id']}/revisions/1/restore", headers=editor)
    asked = client.post(f"/articles/{article['id']}/questions",
                        json={"text": "refund missing", "language": "en"}, headers=editor)
    removed = client.delete(f"/articles/{article['id']}/questions/{asked.json()['id']}",
                            headers=editor)
    assert removed.status_code == 204
    opened = client.post("/escalations", json={"message": "refund is late", "language": "en"},
                         headers=agent).json()
    client.post(f"/escalations/{opened['id']}/resolve",
                json={"resolution": "Sent again", "article_id": article["id"]}, headers=agent)
    client.post("/answer", json={"text": "where is my refund", "channel": "chat"})
    client.post("/users", json={"username": "new-agent", "role": "agent",
                                "password": PASSWORD}, headers=admin)
    made = client.post("/tokens", json={"name": "crm"}, headers=agent).json()
    client.delete(f"/tokens/{made['id']}", headers=agent)
    client.post("/session", json={"username": "eva", "password": PASSWORD})

    seen = Counter((e["kind"], e["actor"]) for e in events(client, services))
    assert seen == Counter({
        ("article.create", "eva"): 1, ("article.update", "eva"): 1,
        ("article.archive", "eva"): 1, ("article.publish", "eva"): 1,
        ("article.restore", "eva"): 1, ("article.question", "eva"): 1,
        ("article.question_delete", "eva"): 1,
        ("escalation.open", "aksel"): 1, ("escalation.resolve", "aksel"): 1,
        ("answer", "anonymous"): 1, ("user.create", "root"): 1,
        ("token.create", "aksel"): 1, ("token.revoke", "aksel"): 1,
        ("session.sign_in", "eva"): 1,
    })
    created = events(client, services, kind="article.create")[0]
    assert (created["subject"], created["subject_id"]) == ("article", article["id"])
    assert created["actor_role"] == "editor" and created["via"] == "token"
    resolved = events(client, services, kind="escalation.resolve")[0]
    assert resolved["subject_id"] == opened["id"]
    assert resolved["data"]["article_id"] == article["id"]
    assert [e["kind"] for e in events(client, services, kind="article.", actor="eva")] == [
        "article.question_delete", "article.question", "article.restore",
        "article.publish", "article.archive",
        "article.update", "article.create"]
    assert PASSWORD not in str(events(client, services))


def test_a_write_rolled_back_halfway_leaves_no_event(client: TestClient, services: Services,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    editor = as_(services, Role.EDITOR, "eva")

    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")  # after the article and its event are written

    monkeypatch.setattr(changelog, "record", fail)
    with TestClient(create_app(services=services), base_url=API,
                    raise_server_exceptions=False) as failing:
        assert failing.post("/articles", json=ARTICLE, headers=editor).status_code == 500
    monkeypatch.undo()
    assert services.store.list_articles() == []
    assert events(client, services, kind="article.") == []
    # A refused resolve (someone was first) is no event either.
    agent = as_(services, Role.AGENT, "aksel")
    article = client.post("/articles", json=ARTICLE, headers=editor).json()
    opened = client.post("/escalations", json={"message": "late", "language": "en"},
                         headers=agent).json()
    resolve = {"resolution": "Sent", "article_id": article["id"]}
    assert client.post(f"/escalations/{opened['id']}/resolve", json=resolve,
                       headers=agent).status_code == 200
    assert client.post(f"/escalations/{opened['id']}/resolve", json=resolve,
                       headers=agent).status_code == 409
    assert len(events(client, services, kind="escalation.resolve")) == 1


def test_an_answer_is_a_decision_record_and_feedback_refers_to_it(
        client: TestClient, services: Services) -> None:
    client.post("/articles", json=ARTICLE, headers=as_(services, Role.EDITOR, "eva"))
    answered = client.post("/answer", json={"text": "where is my refund", "channel": "email",
                                            "language": "en"}).json()
    (event,) = events(client, services, kind="answer")
    facts = event["data"]
    assert facts["channel"] == "email" and facts["language"] == "en"
    assert facts["language_source"] == answered["language"]["source"]
    assert (facts["decision"], facts["rule"]) == (answered["decision"]["kind"],
                                                  answered["decision"]["rule"])
    assert facts["matches"][0]["slug"] == "refund-status"
    assert facts["tone"] == "calm" and facts["latency_ms"] > 0
    assert str(event["id"]) != answered["answer_id"] and len(answered["answer_id"]) >= 20

    article_id = facts["matches"][0]["article_id"]
    given = client.post("/feedback", json={"answer_id": answered["answer_id"],
                                           "helpful": False, "article_id": article_id,
                                           "comment": "it was not a refund"})
    assert given.status_code == 201, given.text
    (feedback,) = events(client, services, kind="feedback")
    assert (feedback["subject"], feedback["subject_id"]) == ("event", event["id"])
    assert feedback["data"] == {"helpful": False, "article_id": article_id,
                                "comment": "it was not a refund"}
    unknown = client.post("/feedback", json={"answer_id": "x" * 24, "helpful": True})
    assert unknown.status_code == 404
    elsewhere = client.post("/feedback", json={"answer_id": answered["answer_id"],
                                               "helpful": True, "article_id": 999})
    assert elsewhere.status_code == 422 and elsewhere.json()["error"]["field"] == "article_id"


def test_the_log_pages_back_newest_first(client: TestClient, services: Services) -> None:
    for n in range(5):
        client.post("/answer", json={"text": f"question {n}", "channel": "chat"})
    first = events(client, services, kind="answer", limit=2)
    rest = events(client, services, kind="answer", before=first[-1]["id"], limit=10)
    texts = [e["data"]["text"] for e in first + rest]
    assert texts == [f"question {n}" for n in reversed(range(5))]


def test_an_answer_that_hands_off_is_recorded_with_its_escalation(
        client: TestClient, services: Services) -> None:
    answered = client.post("/answer", json={"text": "I want to talk to a manager right now",
                                            "channel": "chat", "language": "en"}).json()
    escalation_id = answered["escalation"]["escalation_id"]
    (event,) = events(client, services, kind="answer")
    assert (event["subject"], event["subject_id"]) == ("escalation", escalation_id)
    assert event["data"]["escalation_id"] == escalation_id
    assert event["data"]["decision"] == "handoff"
    assert events(client, services, kind="escalation.open") == []  # one use case, one event
    feedback = client.post("/feedback", json={"answer_id": answered["answer_id"],
                                              "helpful": True})
    assert feedback.status_code == 201
