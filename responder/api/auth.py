"""Who is calling, and may they: the dependencies every route declares.

Two ways in. An integration sends `Authorization: Bearer <token>` (a personal API token); a
browser holds a session cookie (HttpOnly, SameSite=Lax, Secure unless configured off) set by
`POST /api/v1/session`. A browser sends its cookie on requests other sites make it send, so
every state-changing request authenticated by the cookie must also carry the session's CSRF
token in the `X-CSRF-Token` header (a form posts it as `csrf_token` once pages exist), and
must not come from another origin; a bearer token is never sent by a browser on its own and
needs neither.

Every route declares exactly one of: `Public` (rate-limited per client address; staff are
not limited), `Agent`, `Editor`, `Admin` or `SignedIn`. tests/test_authorization.py walks
the OpenAPI document and fails on a route without an entry in its table.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPBearer

from responder.api.deps import ServicesDep
from responder.auth.roles import Actor, Role
from responder.errors import Forbidden, Unauthorized

SESSION_COOKIE = "kb_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Only for the OpenAPI document (the lock icons in /docs); the header and cookie are read
# below, so that a malformed one is a 401 in the one error shape.
_bearer = HTTPBearer(auto_error=False, description="A personal API token.")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="A browser session; writes also need X-CSRF-Token.")
_DocumentedToken = Annotated[Any, Depends(_bearer)]
_DocumentedSession = Annotated[Any, Depends(_cookie)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _from_token(request: Request, services: ServicesDep) -> Actor | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The Authorization header must be 'Bearer <API token>'.")
    actor = services.accounts.actor_for_token(token.strip())
    if actor is None:
        raise Unauthorized("The API token is unknown, revoked, or its user is disabled.")
    return actor


def _from_session(request: Request, services: ServicesDep, *, strict: bool) -> Actor | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    session = services.accounts.session(cookie)
    if session is None:
        if strict:
            raise Unauthorized("The session has ended; sign in again.")
        return None
    if request.method not in SAFE_METHODS:
        problem = cross_site(request) or _csrf_problem(request, session.csrf_token)
        if problem:
            if strict:
                raise Forbidden(problem)
            return None  # on a public route the request is served as an anonymous one
    return session.actor


def cross_site(request: Request) -> str | None:
    """Why a change from this request's Origin (or Referer) is refused: another site's."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return None
    sent = urlsplit(origin)
    if (sent.scheme, sent.netloc) != (request.url.scheme, request.url.netloc):
        return (f"A request from another site ({sent.scheme}://{sent.netloc}) cannot use "
                "this browser session.")
    return None


def _csrf_problem(request: Request, expected: str) -> str | None:
    sent = request.headers.get(CSRF_HEADER, "")
    if sent and hmac.compare_digest(sent.encode(), expected.encode()):
        return None
    return (f"A browser session's change needs its CSRF token in the {CSRF_HEADER} header "
            "(from POST or GET /api/v1/session).")


def optional_actor(request: Request, services: ServicesDep) -> Actor | None:
    return _from_token(request, services) or _from_session(request, services, strict=False)


def _staff(needed: Role) -> Callable[..., Actor]:
    def dependency(request: Request, services: ServicesDep, _token: _DocumentedToken,
                   _session: _DocumentedSession) -> Actor:
        actor = _from_token(request, services) or _from_session(request, services,
                                                                strict=True)
        if actor is None:
            raise Unauthorized("Sign in, or send an API token as 'Authorization: Bearer "
                               "<token>'.")
        actor.require(needed)
        return actor

    dependency.__name__ = f"requires_{needed.value}"
    return dependency


def _public(request: Request, services: ServicesDep, _token: _DocumentedToken,
            _session: _DocumentedSession) -> Actor | None:
    actor = optional_actor(request, services)
    if actor is None:
        services.limits.public.check(f"{request.url.path} {client_address(request)}",
                                     "requests")
    return actor


def hand_off_limit(request: Request, services: ServicesDep,
                   actor: Actor | None) -> Callable[[], None] | None:
    """What an answering route passes as `before_hand_off`: an anonymous caller's hand-offs
    are limited per address (RESPONDER_ANONYMOUS_HANDOFFS_PER_HOUR); staff's are not."""
    if actor is not None:
        return None
    address = client_address(request)

    def check() -> None:
        services.limits.handoffs.check(address, "requests for a person")

    return check


Public = Annotated[Actor | None, Depends(_public)]
Agent = Annotated[Actor, Depends(_staff(Role.AGENT))]
Editor = Annotated[Actor, Depends(_staff(Role.EDITOR))]
Admin = Annotated[Actor, Depends(_staff(Role.ADMIN))]
SignedIn = Agent  # every account has at least the agent role
