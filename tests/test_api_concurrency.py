"""The issue's write races, replayed through HTTP: many editors saving one article, many agents
resolving one escalation, all at once. No 5xx, a gap-free history, one resolution."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.auth.roles import Role
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff import api_client, token_for
from tests.test_index import make_settings

ARTICLE = {"slug": "parcel-customs", "language": "en", "title": "Parcel held in customs",
           "short_answer": "Customs release most parcels within 3 working days.",
           "category": "delivery", "examples": ["my parcel is stuck in customs"]}


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with api_client(services) as test_client:
        yield test_client


def as_user(services: Services, role: Role, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(services.accounts, role, name)}"}


def all_at_once(count: int, call: Callable[[int], int]) -> list[int]:
    """Statuses of `count` calls started together on their own threads."""
    barrier = threading.Barrier(count)
    statuses: list[int] = [0] * count

    def run(n: int) -> None:
        barrier.wait()
        statuses[n] = call(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def test_twelve_editors_saving_one_article_at_once(client: TestClient,
                                                   services: Services) -> None:
    article_id = client.post("/articles", json=ARTICLE).json()["id"]
    editors = [as_user(services, Role.EDITOR, f"editor-{n}") for n in range(12)]

    def save(n: int) -> int:
        body = {**ARTICLE, "title": f"Parcel held in customs ({n})"}
        body.pop("examples")
        return client.put(f"/articles/{article_id}", json=body,
                          headers=editors[n]).status_code

    assert all_at_once(12, save) == [200] * 12
    revisions = client.get(f"/articles/{article_id}/revisions").json()
    assert sorted(r["revision"] for r in revisions) == list(range(1, 14))
    assert {r["edited_by"] for r in revisions} >= {f"editor-{n}" for n in range(12)}
    assert client.get(f"/articles/{article_id}").json()["revision"] == 13
    assert client.get("/health").status_code == 200  # the connection pool is still sound


def test_eight_agents_resolving_one_escalation_at_once(client: TestClient,
                                                       services: Services) -> None:
    agents = [as_user(services, Role.AGENT, f"agent-{n}") for n in range(8)]
    article_id = client.post("/articles", json=ARTICLE).json()["id"]
    escalation = client.post("/escalations", json={
        "message": "the courier says my parcel is held at the border", "channel": "email",
        "language": "en"}).json()

    def resolve(n: int) -> int:
        return client.post(f"/escalations/{escalation['id']}/resolve", json={
            "resolution": f"Asked customs to release it ({n})",
            "article_id": article_id}, headers=agents[n]).status_code

    statuses = all_at_once(8, resolve)
    assert sorted(statuses) == [200] + [409] * 7
    resolved = client.get(f"/escalations/{escalation['id']}").json()
    assert resolved["status"] == "resolved"
    winner = statuses.index(200)
    assert resolved["resolved_by"] == f"agent-{winner}"
    questions = [q["text"] for q in client.get(f"/articles/{article_id}/questions").json()]
    assert questions.count("the courier says my parcel is held at the border") == 1
