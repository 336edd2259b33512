"""Signed-in test clients: a user of the given role and an API token for them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from responder.api.app import API_PREFIX, create_app
from responder.auth.accounts import Accounts
from responder.auth.keys import secret_key
from responder.auth.roles import Role
from responder.config import Settings
from responder.kb.sql import SqlStore
from responder.wiring import Services

API = f"https://testserver{API_PREFIX}"
PASSWORD = "correct horse battery staple"


def token_for(accounts: Accounts, role: Role = Role.ADMIN, username: str | None = None) -> str:
    name = username or f"{role.value}-{len(accounts.list_users()) + 1}"
    user = accounts.find_user(name)
    if user is None:
        user = accounts.create_user(name, role, PASSWORD)
    elif user.role is not role or user.disabled:  # changed by the test since
        user = accounts.update_user(user.id, role=role, disabled=False)
    return accounts.create_token(user.id, "tests", role)[1]


def token_in(settings: Settings, role: Role = Role.ADMIN) -> str:
    """A token in the database `settings` name, for servers running in other processes."""
    store = SqlStore.from_url(settings.resolved_database_url)
    try:
        return token_for(Accounts(store.engine, secret_key(settings)), role)
    finally:
        store.close()


def api_client(services: Services, role: Role | None = Role.ADMIN) -> TestClient:
    """A client of the JSON API (paths relative to /api/v1) acting with `role`, or anonymous
    with None. Use it as a context manager, like TestClient."""
    headers = {}
    if role is not None:
        headers["Authorization"] = f"Bearer {token_for(services.accounts, role)}"
    return TestClient(create_app(services=services), base_url=API, headers=headers)
