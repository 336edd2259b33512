"""The staff side's frame: sign-in and sign-out pages, who may see a page, and the one way
staff pages are rendered. The agent console, the editor and the admin pages build on it.

A staff page takes the same callers as the API (a browser session, or an API token) and
declares the role it needs with `AgentPage`, `EditorPage` or `AdminPage`. A caller who is
not signed in gets the sign-in form itself (401, it returns them to the page they wanted);
a signed-in caller without the role gets a 403 page. Every change a page makes is a form
post that carries the session's CSRF token in the field `csrf_token` and must come from
this site (Origin/Referer), as the API's cookie-authenticated changes do.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from responder.api.auth import SAFE_METHODS, SESSION_COOKIE, Public, client_address, cross_site
from responder.api.deps import ServicesDep
from responder.auth.accounts import Session
from responder.auth.roles import Actor, Role
from responder.errors import Forbidden, ResponderError, Unauthorized
from responder.language import preferred_language
from responder.web.staff_wording import STAFF_WORDS
from responder.wiring import Services

router = APIRouter(prefix="/staff", include_in_schema=False)
CSRF_FIELD = "csrf_token"
MAX_FIELD = 200
# The staff areas, by the role each needs: (wording key, start page, role). An area's
# router adds itself here when it is included (responder/api/app.py).
SECTIONS: list[tuple[str, str, Role]] = []


class SignInNeeded(Unauthorized):
    """Answered with the sign-in form (status 401), not an error message."""


def staff_language(request: Request) -> str:
    """The browser's language among the five (staff pages follow Accept-Language)."""
    return preferred_language(request.headers.get("accept-language")) or "en"


def _session_of(request: Request, services: Services) -> Session | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return services.accounts.session(cookie) if cookie else None


async def _caller(request: Request, services: Services) -> tuple[Actor, str | None]:
    """(who, the session's CSRF token, None for an API token)."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        actor = (services.accounts.actor_for_token(token.strip())
                 if scheme.lower() == "bearer" else None)
        if actor is None:
            raise Unauthorized("The API token is unknown, revoked, or its user is disabled.")
        return actor, None
    session = _session_of(request, services)
    if session is None:
        raise SignInNeeded("Sign in to see this page.")
    if request.method not in SAFE_METHODS:
        problem = cross_site(request)
        if problem:
            raise Forbidden(problem)
        form = await request.form()  # Starlette keeps it: the route's Form fields still read
        sent = str(form.get(CSRF_FIELD) or request.headers.get("x-csrf-token") or "")
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise Forbidden("This form has expired or did not come from this site; reload "
                            "the page and send it again.")
    return session.actor, session.csrf_token


def _page_actor(needed: Role) -> Callable[..., Awaitable[StaffCaller]]:
    async def dependency(request: Request, services: ServicesDep) -> StaffCaller:
        actor, csrf = await _caller(request, services)
        actor.require(needed)
        return StaffCaller(actor, csrf or "", staff_language(request))

    dependency.__name__ = f"page_requires_{needed.value}"
    return dependency


class StaffCaller:
    """Who is looking at a staff page, the CSRF token its forms carry, and its language."""

    def __init__(self, actor: Actor, csrf_token: str, language: str) -> None:
        self.actor = actor
        self.csrf_token = csrf_token
        self.language = language

    def may(self, role: Role) -> bool:
        return self.actor.role.allows(role)


AgentPage = Annotated[StaffCaller, Depends(_page_actor(Role.AGENT))]
EditorPage = Annotated[StaffCaller, Depends(_page_actor(Role.EDITOR))]
AdminPage = Annotated[StaffCaller, Depends(_page_actor(Role.ADMIN))]


def render_staff(services: Services, name: str, caller: StaffCaller | None, title: str, *,
                 language: str = "en", status_code: int = 200,
                 **variables: Any) -> HTMLResponse:
    """A staff page from templates/web/staff/, in the one template environment."""
    code = caller.language if caller else language
    html = services.responder.renderer.page(f"web/staff/{name}.html.j2", {
        "brand": services.settings.brand, "w": STAFF_WORDS[code], "language": code,
        "title": title, "staff": caller, "csrf_field": CSRF_FIELD, "Role": Role,
        "sections": [(key, url) for key, url, role in SECTIONS
                     if caller is not None and caller.may(role)], **variables})
    return HTMLResponse(html, status_code=status_code)


def safe_next(target: str) -> str:
    """Only a path on this site: a sign-in must never send anyone elsewhere."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/staff/"
    return target


def error_page(services: Services, request: Request, exc: ResponderError) -> HTMLResponse:
    language = staff_language(request)
    if isinstance(exc, SignInNeeded):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return sign_in_page(services, language, next_path=target, status_code=401)
    return render_staff(services, "error", None, STAFF_WORDS[language]["error"],
                        language=language, status_code=exc.status_code, message=exc.message)


def sign_in_page(services: Services, language: str, *, next_path: str = "/staff/",
                 username: str = "", problem: str = "", status_code: int = 200
                 ) -> HTMLResponse:
    return render_staff(services, "sign_in", None, STAFF_WORDS[language]["sign_in"],
                        language=language, status_code=status_code,
                        next_path=safe_next(next_path), username=username, problem=problem)


@router.get("/", response_class=HTMLResponse)
def home(services: ServicesDep, caller: AgentPage) -> HTMLResponse:
    """Where each role's work is."""
    return render_staff(services, "home", caller, caller.actor.name)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(services: ServicesDep, _actor: Public, request: Request,
                 next: str = "/staff/") -> HTMLResponse:
    return sign_in_page(services, staff_language(request), next_path=next)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(services: ServicesDep, _actor: Public, request: Request,
            username: Annotated[str, Form(max_length=MAX_FIELD)] = "",
            password: Annotated[str, Form(max_length=1000)] = "",
            next: Annotated[str, Form(max_length=2000)] = "/staff/") -> HTMLResponse:
    """Another site must not sign a browser in (login CSRF): the Origin is checked; attempts
    are limited per address and per username as on the API."""
    language = staff_language(request)
    problem = cross_site(request)
    if problem:
        raise Forbidden(problem)
    services.limits.sign_in.check(f"address {client_address(request)}", "sign-in attempts")
    services.limits.sign_in.check(f"user {username.strip().lower()}",
                                  "sign-in attempts for this user")
    try:
        plain, _session = services.cases.sign_in(username, password,
                                                 services.settings.session_hours)
    except Unauthorized:
        return sign_in_page(services, language, next_path=next, username=username,
                            problem=STAFF_WORDS[language]["sign_in_failed"], status_code=401)
    response = HTMLResponse("", status_code=303, headers={"Location": safe_next(next)})
    response.set_cookie(SESSION_COOKIE, plain, max_age=int(services.settings.session_hours
                                                           * 3600),
                        httponly=True, samesite="lax", secure=services.settings.cookie_secure,
                        path="/")
    return response


@router.post("/sign-out", response_class=RedirectResponse)
def sign_out(services: ServicesDep, request: Request, caller: AgentPage) -> RedirectResponse:
    services.cases.sign_out(caller.actor, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/staff/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=services.settings.cookie_secure)
    return response
