"""Signing a test browser in to the staff pages, as a person does: the sign-in form."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from responder.auth.roles import Role
from responder.wiring import Services

PASSWORD = "correct horse battery staple"
SITE = "https://testserver"


def signed_in(services: Services, client: TestClient, role: Role = Role.AGENT,
              username: str | None = None) -> str:
    """Signs `client` in as a new user with `role`; returns the page's CSRF token."""
    name = username or f"{role.value}-{len(services.accounts.list_users()) + 1}"
    services.accounts.create_user(name, role, PASSWORD)
    answer = client.post("/staff/sign-in", data={"username": name, "password": PASSWORD},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/staff/").text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found is not None and found.group(1), "the page has no CSRF token"
    return unescape(found.group(1))
