"""Every route in the OpenAPI document, called with no credentials, with each role, and with a
revoked token: the status must be the one this table says. A route that is not in the table
fails the test, so no route is added without deciding who may call it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.api.errors import flat_routes
from responder.auth.roles import Role
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.staff import PASSWORD, token_for
from tests.test_index import make_settings

PUBLIC, AGENT, EDITOR, ADMIN, SIGNED_IN = "public", "agent", "editor", "admin", "signed in"

# (method, path) -> who may call it. Public routes answer anonymous callers (rate-limited).
RULES: dict[tuple[str, str], str] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/api/v1/health"): PUBLIC,
    ("POST", "/api/v1/answer"): PUBLIC,
    ("GET", "/api/v1/search"): PUBLIC,
    ("POST", "/api/v1/session"): PUBLIC,
    ("GET", "/api/v1/session"): SIGNED_IN,
    ("DELETE", "/api/v1/session"): SIGNED_IN,
    ("GET", "/api/v1/tokens"): SIGNED_IN,
    ("POST", "/api/v1/tokens"): SIGNED_IN,
    ("DELETE", "/api/v1/tokens/{token_id}"): SIGNED_IN,
    ("GET", "/api/v1/agent/search"): AGENT,
    ("POST", "/api/v1/lint"): AGENT,
    ("GET", "/api/v1/articles/{article_id}/lint"): AGENT,
    ("GET", "/api/v1/articles"): AGENT,
    ("GET", "/api/v1/articles/{article_id}"): AGENT,
    ("GET", "/api/v1/articles/{article_id}/revisions"): AGENT,
    ("GET", "/api/v1/articles/{article_id}/translations"): AGENT,
    ("GET", "/api/v1/articles/{article_id}/questions"): AGENT,
    ("GET", "/api/v1/escalations"): AGENT,
    ("POST", "/api/v1/escalations"): AGENT,
    ("GET", "/api/v1/escalations/{escalation_id}"): AGENT,
    ("POST", "/api/v1/escalations/{escalation_id}/resolve"): AGENT,
    ("POST", "/api/v1/articles"): EDITOR,
    ("PUT", "/api/v1/articles/{article_id}"): EDITOR,
    ("POST", "/api/v1/articles/{article_id}/publish"): EDITOR,
    ("POST", "/api/v1/articles/{article_id}/archive"): EDITOR,
    ("POST", "/api/v1/articles/{article_id}/revisions/{revision}/restore"): EDITOR,
    ("POST", "/api/v1/articles/{article_id}/questions"): EDITOR,
    ("DELETE", "/api/v1/articles/{article_id}/questions/{question_id}"): EDITOR,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): ADMIN,
    ("POST", "/api/v1/feedback"): PUBLIC,
    ("GET", "/api/v1/events"): ADMIN,
    ("GET", "/api/v1/mail/inbox"): AGENT,
    ("GET", "/api/v1/mail/outbox"): AGENT,
    # The help centre's pages (not in the OpenAPI document).
    ("GET", "/"): PUBLIC,
    ("GET", "/help"): PUBLIC,
    ("GET", "/help/"): PUBLIC,
    ("GET", "/help/{language}/"): PUBLIC,
    ("GET", "/help/{language}/categories/{category}"): PUBLIC,
    ("GET", "/help/{language}/articles/{slug}"): PUBLIC,
    ("POST", "/help/{language}/articles/{slug}/feedback"): PUBLIC,
    ("GET", "/help/{language}/search"): PUBLIC,
    ("GET", "/help/{language}/suggest"): PUBLIC,
    ("GET", "/help/{language}/contact"): PUBLIC,
    ("POST", "/help/{language}/contact"): PUBLIC,
    ("POST", "/help/{language}/contact/feedback"): PUBLIC,
    ("GET", "/help/{language}/contact/feedback"): PUBLIC,
    ("GET", "/help/assets/help.js"): PUBLIC,
    ("GET", "/widget.js"): PUBLIC,
    ("GET", "/api/v1/contact/form"): PUBLIC,
    ("POST", "/api/v1/contact"): PUBLIC,
    ("POST", "/api/v1/deflections"): PUBLIC,
    # Staff pages (responder/web/staff.py and the areas built on it).
    ("GET", "/staff/"): AGENT,
    ("GET", "/staff/sign-in"): PUBLIC,
    ("POST", "/staff/sign-in"): PUBLIC,
    ("POST", "/staff/sign-out"): AGENT,
    # -- console pages --
    ("GET", "/staff/console/"): AGENT,
    ("GET", "/staff/console/escalations"): AGENT,
    ("GET", "/staff/console/escalations/{escalation_id}"): AGENT,
    ("POST", "/staff/console/escalations/{escalation_id}/claim"): AGENT,
    ("POST", "/staff/console/escalations/{escalation_id}/release"): AGENT,
    ("POST", "/staff/console/escalations/{escalation_id}/move"): AGENT,
    ("POST", "/staff/console/escalations/{escalation_id}/resolve"): AGENT,
    # -- editor pages --
    ("GET", "/staff/editor/"): EDITOR,
    ("GET", "/staff/editor/articles/new"): EDITOR,
    ("POST", "/staff/editor/articles/new"): EDITOR,
    ("GET", "/staff/editor/articles/{article_id}"): EDITOR,
    ("POST", "/staff/editor/articles/{article_id}"): EDITOR,
    ("POST", "/staff/editor/articles/{article_id}/questions"): EDITOR,
    ("POST", "/staff/editor/articles/{article_id}/questions/{question_id}/delete"): EDITOR,
    ("GET", "/staff/editor/articles/{article_id}/versions"): EDITOR,
    ("GET", "/staff/editor/articles/{article_id}/preview"): EDITOR,
    ("POST", "/staff/editor/preview"): EDITOR,
    ("GET", "/staff/editor/articles/{article_id}/revisions"): EDITOR,
    ("POST", "/staff/editor/articles/{article_id}/revisions/{revision}/restore"): EDITOR,
    ("GET", "/staff/editor/try"): EDITOR,
    # -- admin pages --
    ("GET", "/staff/admin/"): ADMIN,
    ("GET", "/staff/admin/users"): ADMIN,
    ("POST", "/staff/admin/users"): ADMIN,
    ("POST", "/staff/admin/users/{user_id}/role"): ADMIN,
    ("POST", "/staff/admin/users/{user_id}/state"): ADMIN,
    ("GET", "/staff/admin/tokens"): SIGNED_IN,
    ("POST", "/staff/admin/tokens"): SIGNED_IN,
    ("POST", "/staff/admin/tokens/{token_id}/revoke"): SIGNED_IN,
    ("GET", "/staff/admin/events"): ADMIN,
    ("GET", "/staff/admin/mail/inbox"): AGENT,
    ("GET", "/staff/admin/mail/outbox"): AGENT,
}
EDITED_REFUND = {"slug": "refund-status", "language": "en", "title": "Refunds",
                 "short_answer": "Within 5 days.", "category": "refunds", "action": "publish"}
# FastAPI's own documentation routes: public by design, and not ours to rule.
DOCUMENTATION = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
FORMS = {("POST", "/staff/sign-in"): {"username": "walk-signin", "password": PASSWORD},
         ("POST", "/staff/console/escalations/{escalation_id}/move"): {"queue": "billing"},
         ("POST", "/staff/console/escalations/{escalation_id}/resolve"): {
             "resolution": "Done", "target": "existing", "article_id": "1"},
         # user 1 (walk-signin) keeps its role and stays enabled: the sign-in walk needs it
         ("POST", "/staff/admin/users"): {"username": "page-walker", "role": "agent",
                                          "password": "a long enough password"},
         ("POST", "/staff/admin/users/{user_id}/role"): {"role": "agent"},
         ("POST", "/staff/admin/users/{user_id}/state"): {"disabled": "no"},
         ("POST", "/staff/admin/tokens"): {"name": "walk"},
         # the editor: article 1 keeps its slug, language and category
         ("POST", "/staff/editor/articles/new"): {
             "slug": "walk-page", "language": "en", "title": "Walk", "short_answer": "A walk.",
             "action": "draft"},
         ("POST", "/staff/editor/articles/{article_id}"): EDITED_REFUND,
         ("POST", "/staff/editor/preview"): EDITED_REFUND,
         ("POST", "/staff/editor/articles/{article_id}/questions"): {
             "question": "refund?", "question_language": "en"},
         ("POST", "/help/{language}/articles/{slug}/feedback"): {"helpful": "yes"},
         ("POST", "/help/{language}/contact"): {"message": "hello", "form_token": "1.x"},
         ("POST", "/help/{language}/contact/feedback"): {"answer": "no-such-answer",
                                                         "helpful": "yes"}}
NEEDED = {AGENT: Role.AGENT, EDITOR: Role.EDITOR, ADMIN: Role.ADMIN, SIGNED_IN: Role.AGENT}

# A body each write accepts, so an allowed caller gets past validation. The status only has
# to show the caller was let in: anything but 401 and 403.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/answer"): {"text": "where is my refund", "channel": "chat"},
    ("POST", "/api/v1/session"): {"username": "walk-signin", "password": PASSWORD},
    ("POST", "/api/v1/tokens"): {"name": "walk"},
    ("POST", "/api/v1/lint"): {"text": "Calm down.", "language": "en"},
    ("POST", "/api/v1/escalations"): {"message": "help", "language": "en"},
    ("POST", "/api/v1/escalations/{escalation_id}/resolve"): {
        "resolution": "Done", "article_id": 1},
    ("POST", "/api/v1/articles"): {"slug": "walk", "language": "en", "title": "Walk",
                                   "short_answer": "A walk."},
    ("PUT", "/api/v1/articles/{article_id}"): {"slug": "refund-status", "language": "en",
                                               "title": "Refunds", "short_answer": "Soon."},
    ("POST", "/api/v1/articles/{article_id}/questions"): {"text": "refund?", "language": "en"},
    ("POST", "/api/v1/users"): {"username": "walker", "role": "agent",
                                "password": "a long enough password"},
    ("PATCH", "/api/v1/users/{user_id}"): {"display_name": "Walker"},
    ("POST", "/api/v1/feedback"): {"answer_id": "no-such-answer", "helpful": True},
    ("POST", "/api/v1/contact"): {"message": "hello", "form_token": "1.x"},
    ("POST", "/api/v1/deflections"): {"question": "refund?", "article_id": 1},
}
QUERIES = {("GET", "/api/v1/search"): {"q": "refund"},
           ("GET", "/api/v1/agent/search"): {"q": "refund"}}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path_factory.mktemp("authz")),
                           embedder=FakeEmbedder())
    built.kb.create_article({"slug": "refund-status", "language": "en", "title": "Refunds",
                             "short_answer": "Within 5 days.", "category": "refunds"},
                            ["where is my refund"],
                            edited_by="seed")
    built.accounts.create_user("walk-signin", Role.AGENT, PASSWORD)
    yield built
    built.close()


def routes(services: Services) -> list[tuple[str, str]]:
    """Every route of the app: those in the OpenAPI document and the pages outside it."""
    app = create_app(services=services)
    document = app.openapi()
    found = {(method.upper(), path) for path, item in document["paths"].items()
             for method in item}
    for route in flat_routes(app.router.routes):
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path and methods and path not in DOCUMENTATION:
            found |= {(method, path) for method in methods if method != "HEAD"}
    return sorted(found)


def test_every_route_has_a_rule(services: Services) -> None:
    missing = [route for route in routes(services) if route not in RULES]
    assert missing == [], f"decide who may call these routes and add them to RULES: {missing}"
    stale = [route for route in RULES if route not in routes(services)]
    assert stale == []


def call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> int:
    # No token 999999: only a token's owner or an admin may touch one, a check past the
    # route's rule that this table is not about.
    url = path.format(article_id=1, escalation_id=1, revision=1, user_id=1, token_id=999999,
                      question_id=999999,
                      language="en", category="refunds", slug="refund-status")
    key = (method, path)
    status = client.request(method, url, json=BODIES.get(key), data=FORMS.get(key),
                            params=QUERIES.get(key), headers=headers).status_code
    client.cookies.clear()  # the sign-in's session must not carry over to the next route
    return status


@pytest.mark.parametrize("caller", ["anonymous", "revoked", *[r.value for r in Role]])
def test_each_caller_gets_the_status_the_table_says(services: Services, caller: str) -> None:
    headers: dict[str, str] = {}
    role = Role(caller) if caller in {r.value for r in Role} else None
    if role is not None:
        headers["Authorization"] = f"Bearer {token_for(services.accounts, role, caller)}"
    elif caller == "revoked":
        token = token_for(services.accounts, Role.ADMIN, "revoked-admin")
        actor = services.accounts.actor_for_token(token)
        assert actor is not None and actor.token_id is not None
        services.accounts.revoke_token(actor.token_id)
        headers["Authorization"] = f"Bearer {token}"
    wrong = []
    with TestClient(create_app(services=services), base_url="https://testserver") as client:
        for method, path in routes(services):
            rule = RULES[(method, path)]
            status = call(client, method, path, headers)
            if caller == "revoked":
                expected: set[int] | str = {401}
            elif rule == PUBLIC:
                expected = "let in"
            elif role is None:
                expected = {401}
            elif not role.allows(NEEDED[rule]):
                expected = {403}
            else:
                expected = "let in"
            if expected == "let in":
                if status in (401, 403):
                    wrong.append((method, path, status))
            elif status not in expected:
                wrong.append((method, path, status))
    assert wrong == [], f"{caller}: {wrong}"
