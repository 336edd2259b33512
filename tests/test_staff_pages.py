"""The staff side's frame: a page answers a caller who is not signed in with the sign-in
form; signing in returns them where they were going (never to another site); sign-out needs
the form's CSRF token and this site's origin; the words follow the browser's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.auth.roles import Role
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff_pages import PASSWORD, SITE, csrf_of, signed_in
from tests.test_index import make_settings

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=SITE) as test_client:
        yield test_client


def test_a_page_answers_a_stranger_with_the_sign_in_form(client: TestClient) -> None:
    page = client.get("/staff/?x=1")
    assert page.status_code == 401
    assert '<form class="stack" method="post" action="/staff/sign-in">' in page.text
    assert 'name="next" value="/staff/?x=1"' in page.text
    assert client.get("/staff", follow_redirects=False).status_code in (307, 308)


def test_signing_in_returns_to_the_page_and_signing_out_ends_the_session(
        services: Services, client: TestClient) -> None:
    services.accounts.create_user("tove", Role.EDITOR, PASSWORD)
    answer = client.post("/staff/sign-in", data={
        "username": "tove", "password": PASSWORD, "next": "/staff/?from=sign-in"},
        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/?from=sign-in"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    home = client.get("/staff/")
    assert home.status_code == 200 and "<strong>tove</strong>" in home.text
    token = csrf_of(home.text)
    assert client.post("/staff/sign-out").status_code == 403  # no CSRF token
    assert client.post("/staff/sign-out", data={"csrf_token": token},
                       headers={"Origin": "https://evil.example"}).status_code == 403
    out = client.post("/staff/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/staff/sign-in"
    assert client.get("/staff/").status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "javascript:alert(1)", "staff"])
def test_sign_in_never_sends_anyone_to_another_site(services: Services, client: TestClient,
                                                    target: str) -> None:
    services.accounts.create_user("ulf", Role.AGENT, PASSWORD)
    answer = client.post("/staff/sign-in", data={
        "username": "ulf", "password": PASSWORD, "next": target}, follow_redirects=False)
    assert answer.headers["location"] == "/staff/"


def test_a_wrong_password_says_so_keeps_the_name_escaped_and_is_limited(
        client: TestClient) -> None:
    wrong = client.post("/staff/sign-in", data={"username": SCRIPT, "password": "nope"})
    assert wrong.status_code == 401
    assert "The username or password is wrong" in wrong.text
    assert SCRIPT not in wrong.text and "&lt;script&gt;" in wrong.text
    statuses = [client.post("/staff/sign-in", data={"username": "x", "password": "y"})
                .status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_another_site_cannot_sign_a_browser_in(services: Services,
                                               client: TestClient) -> None:
    services.accounts.create_user("vera", Role.AGENT, PASSWORD)
    refused = client.post("/staff/sign-in", data={"username": "vera", "password": PASSWORD},
                          headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "kb_session" not in refused.headers.get(
        "set-cookie", "")


def test_the_words_follow_the_browser_and_an_unknown_page_is_a_404(
        services: Services, client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    danish = client.get("/staff/", headers={"Accept-Language": "da"})
    assert "Logget ind som" in danish.text and '<html lang="da">' in danish.text
    assert client.get("/staff/no-such-page").status_code == 404
