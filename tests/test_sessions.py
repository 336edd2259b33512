"""Signing in with a browser session, CSRF, API tokens, and the limits on public endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.auth.roles import Role
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff import API, PASSWORD, token_for
from tests.test_index import make_settings

ARTICLE = {"slug": "refund-status", "language": "en", "title": "When do I get my refund",
           "short_answer": "Refunds arrive within 5 working days.", "category": "refunds"}


def build(tmp_path: Path, **overrides: object) -> Services:
    services = build_services(make_settings(tmp_path, **overrides), embedder=FakeEmbedder())
    services.accounts.create_user("anna", Role.EDITOR, PASSWORD)
    return services


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build(tmp_path)
    yield built
    built.close()


@pytest.fixture
def browser(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=API) as client:
        yield client


def sign_in(client: TestClient, password: str = PASSWORD) -> str:
    response = client.post("/session", json={"username": "anna", "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def test_a_browser_session_is_a_secure_httponly_samesite_cookie(browser: TestClient) -> None:
    response = browser.post("/session", json={"username": "Anna", "password": PASSWORD})
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"].lower()
    assert "kb_session=kbs_" in cookie
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert PASSWORD not in response.text
    me = browser.get("/session").json()
    assert (me["user"], me["role"], me["via"]) == ("anna", "editor", "session")
    assert me["csrf_token"] == response.json()["csrf_token"]


def test_a_change_with_the_session_needs_its_csrf_token(browser: TestClient) -> None:
    csrf = sign_in(browser)
    refused = browser.post("/articles", json=ARTICLE)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    wrong = browser.post("/articles", json=ARTICLE, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    created = browser.post("/articles", json=ARTICLE, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201, created.text
    revisions = browser.get(f"/articles/{created.json()['id']}/revisions").json()
    assert revisions[0]["edited_by"] == "anna"  # who is signed in, not who a body claims


def test_a_cross_site_form_post_cannot_use_the_session(browser: TestClient,
                                                      services: Services) -> None:
    csrf = sign_in(browser)
    article_id = browser.post("/articles", json=ARTICLE,
                              headers={"X-CSRF-Token": csrf}).json()["id"]
    # What a form on another site makes the browser send: the cookie, a form body, its Origin.
    attack = browser.post(f"/articles/{article_id}/archive",
                          headers={"Origin": "https://evil.example",
                                   "Content-Type": "application/x-www-form-urlencoded"},
                          content=b"x=1")
    assert attack.status_code == 403
    assert services.store.get_article(article_id).content.status.value == "published"
    # Even with the token (a page on another site cannot read it, but still): not from there.
    stolen = browser.post(f"/articles/{article_id}/archive",
                          headers={"Origin": "https://evil.example", "X-CSRF-Token": csrf})
    assert stolen.status_code == 403
    same_site = browser.post(f"/articles/{article_id}/archive",
                             headers={"Origin": "https://testserver", "X-CSRF-Token": csrf})
    assert same_site.status_code == 200


def test_signing_out_ends_the_session(browser: TestClient) -> None:
    csrf = sign_in(browser)
    assert browser.delete("/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert browser.get("/session").status_code == 401


def test_a_wrong_password_and_an_unknown_user_are_the_same_401(browser: TestClient) -> None:
    wrong = browser.post("/session", json={"username": "anna", "password": "not it at all"})
    unknown = browser.post("/session", json={"username": "nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_sign_in_attempts_are_throttled(browser: TestClient, services: Services) -> None:
    statuses = [browser.post("/session", json={"username": "anna", "password": "guess"})
                for _ in range(6)]
    assert [r.status_code for r in statuses] == [401] * 5 + [429]
    assert int(statuses[-1].headers["retry-after"]) >= 1
    app = create_app(services=services)
    with TestClient(app, base_url=API, client=("10.0.0.9", 5000)) as elsewhere:
        # Per username too: another address is no way around it for anna...
        assert elsewhere.post("/session", json={"username": "anna", "password": PASSWORD}
                              ).status_code == 429
    services.accounts.create_user("ben", Role.AGENT, PASSWORD)
    with TestClient(app, base_url=API, client=("10.0.0.10", 5000)) as other:
        # ...while another user from another address signs in.
        assert other.post("/session", json={"username": "ben", "password": PASSWORD}
                          ).status_code == 200


def test_an_api_token_acts_with_its_role_until_revoked(services: Services) -> None:
    editor = token_for(services.accounts, Role.EDITOR, "anna")
    with TestClient(create_app(services=services), base_url=API) as client:
        auth = {"Authorization": f"Bearer {editor}"}
        made = client.post("/tokens", json={"name": "read only", "role": "agent"},
                           headers=auth)
        assert made.status_code == 201, made.text
        agent = {"Authorization": f"Bearer {made.json()['token']}"}
        assert client.get("/articles", headers=agent).status_code == 200
        assert client.post("/articles", json=ARTICLE, headers=agent).status_code == 403
        higher = client.post("/tokens", json={"name": "x", "role": "admin"}, headers=auth)
        assert higher.status_code == 403
        listed = client.get("/tokens", headers=auth).json()
        assert all("token" not in t for t in listed)
        assert next(t for t in listed if t["id"] == made.json()["id"])["last_used_at"]
        assert client.delete(f"/tokens/{made.json()['id']}", headers=auth).status_code == 200
        assert client.get("/articles", headers=agent).status_code == 401
        assert client.get("/articles", headers={"Authorization": "Basic abc"}).status_code == 401


def test_a_disabled_or_demoted_user_loses_what_their_tokens_could_do(
        services: Services) -> None:
    token = token_for(services.accounts, Role.EDITOR, "anna")
    user = services.accounts.find_user("anna")
    assert user is not None
    with TestClient(create_app(services=services), base_url=API) as client:
        auth = {"Authorization": f"Bearer {token}"}
        services.accounts.update_user(user.id, role=Role.AGENT)
        assert client.post("/articles", json=ARTICLE, headers=auth).status_code == 403
        services.accounts.update_user(user.id, disabled=True)
        assert client.get("/articles", headers=auth).status_code == 401


def test_public_endpoints_are_limited_per_address(tmp_path: Path) -> None:
    services = build(tmp_path, public_per_minute=3)
    try:
        with TestClient(create_app(services=services), base_url=API) as client:
            statuses = [client.get("/search", params={"q": "refund"}).status_code
                        for _ in range(4)]
            assert statuses == [200, 200, 200, 429]
            limited = client.get("/search", params={"q": "refund"})
            assert limited.json()["error"]["code"] == "too_many_requests"
            assert 1 <= int(limited.headers["retry-after"]) <= 20
            # Staff are not customers: a signed-in caller is not limited.
            token = token_for(services.accounts, Role.AGENT, "agent")
            assert client.get("/search", params={"q": "refund"},
                              headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        services.close()


def test_anonymous_hand_offs_are_limited_and_staff_ones_are_not(tmp_path: Path) -> None:
    services = build(tmp_path, anonymous_handoffs_per_hour=2)
    try:
        with TestClient(create_app(services=services), base_url=API) as client:
            message = {"text": "I want to speak to a manager about my order", "channel": "chat",
                       "language": "en"}
            first = [client.post("/answer", json=message) for _ in range(2)]
            assert all(r.json()["escalation"] for r in first), [r.text for r in first]
            third = client.post("/answer", json=message)
            assert third.status_code == 429 and "person" in third.json()["error"]["message"]
            assert len(services.store.list_escalations()) == 2
            token = token_for(services.accounts, Role.AGENT, "agent")
            staff = client.post("/answer", json=message,
                                headers={"Authorization": f"Bearer {token}"})
            assert staff.status_code == 200 and staff.json()["escalation"]
    finally:
        services.close()
