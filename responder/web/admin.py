"""The admin pages: users and roles, API tokens, the event log, and what the mail channel did,
in the browser (issue 13; issue 12 wants relay failures visible to staff, not only to the API).

Each page calls the same use cases as the JSON API, so the rules are the API's: only an admin
manages users and reads the event log; whoever is signed in manages their own API tokens (an
admin everyone's); agents and above see the mail. A form that fails is shown again with the
message at its field and what was typed kept, except a password, which never travels back.
A new token's secret is shown once, in the answer to the form that made it, and is stored
nowhere a later page could show it again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from responder.api.deps import ServicesDep
from responder.api.params import TokenId, UserId
from responder.auth.accounts import ApiToken
from responder.auth.passwords import MIN_LENGTH
from responder.auth.roles import Role
from responder.errors import Conflict, InvalidInput
from responder.events import Event, EventFilter
from responder.kb.validation import MAX_ID
from responder.web.staff import SECTIONS, AdminPage, AgentPage, StaffCaller, render_staff
from responder.web.staff_wording import STAFF_WORDS
from responder.wiring import Services

router = APIRouter(prefix="/staff/admin", include_in_schema=False)
SECTIONS.append(("admin", "/staff/admin/", Role.ADMIN))
SECTIONS.append(("a_mail", "/staff/admin/mail/inbox", Role.AGENT))

PAGE = 50
MAX_LIMIT = 200  # rows a page may ask for (`limit`)
MAX_FORM = 2000  # a bound on what a form field may carry; the use cases check the real limits
MAX_PASSWORD_FIELD = 4096
INBOX_STATUSES = ("pending", "answered", "handed_off", "follow_up", "skipped", "failed")
OUTBOX_STATUSES = ("pending", "sent", "failed")
# What a change's redirect may announce: fixed words, never text from the query string.
DONE = ("user_created", "role_changed", "disabled", "enabled", "token_revoked")
# The API's limits on the event filters (responder/api/routes_events.py).
EVENT_TEXT_LIMITS = {"kind": 48, "actor": 64, "subject": 32}
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?")

Text = Annotated[str, Form(max_length=MAX_FORM)]


# -- helpers shared by the pages -----------------------------------------------------------------
def when(moment: datetime | None) -> str:
    """A time as staff read it in a table: UTC, to the minute."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "–"


def _page(services: Services, name: str, caller: StaffCaller, title: str, *,
          status_code: int = 200, **variables: Any) -> HTMLResponse:
    return render_staff(services, f"admin/{name}", caller, title, status_code=status_code,
                        when=when, **variables)


def _words(caller: StaffCaller) -> dict[str, str]:
    return STAFF_WORDS[caller.language]


def _done(caller: StaffCaller, done: str) -> str:
    return _words(caller)[f"a_done_{done}"] if done in DONE else ""


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@dataclass
class Query:
    """Query-string filters read by hand, so a wrong value is shown on the page at its field
    (a 422 page) rather than as the API's JSON error."""

    raw: Mapping[str, str]
    words: Mapping[str, str]
    problems: dict[str, str] = field(default_factory=dict)

    def text(self, name: str, most: int) -> str | None:
        value = self.raw.get(name, "").strip()
        if len(value) > most:
            self.problems[name] = self.words["a_too_long"].format(n=most)
            return None
        return value or None

    def number(self, name: str, top: int = MAX_ID) -> int | None:
        value = self.raw.get(name, "").strip()
        if not value:
            return None
        # At most 10 digits: Python refuses to read a number thousands of digits long.
        if not (value.isascii() and value.isdigit() and len(value) <= 10
                and 1 <= int(value) <= top):
            self.problems[name] = self.words["a_bad_number"].format(most=top)
            return None
        return int(value)

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.raw.get(name, "").strip()
        if value and value not in allowed:
            self.problems[name] = self.words["a_bad_status"]
            return None
        return value or None

    def moment(self, name: str) -> datetime | None:
        """RFC 3339 as the API takes it, or a browser's date-time field (no zone: UTC)."""
        value = self.raw.get(name, "").strip()
        if not value:
            return None
        try:
            if not _MOMENT.fullmatch(value):
                raise ValueError(value)
            parsed = datetime.fromisoformat(value.upper().replace(" ", "T"))
        except ValueError:
            self.problems[name] = self.words["a_bad_time"]
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def limit(self) -> int:
        return self.number("limit", MAX_LIMIT) or PAGE


def _link(path: str, raw: Mapping[str, str], before: int | None) -> str:
    """A page of a list with the same filters: the one before `before`, or the newest."""
    kept = {k: v for k, v in raw.items() if v and k != "before"}
    if before is not None:
        kept["before"] = str(before)
    return f"{path}?{urlencode(kept)}" if kept else path


def _browser_time(moment: datetime | None) -> str:
    """A time as a date-time field shows it (UTC, no zone): a filter sent with a zone is
    shown, and sent again, as the same moment."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") if moment else ""


# -- the overview -------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def overview(services: ServicesDep, caller: AdminPage) -> HTMLResponse:
    return _page(services, "overview", caller, _words(caller)["admin"])


# -- users --------------------------------------------------------------------------------------
def _users_page(services: Services, caller: StaffCaller, *, status_code: int = 200,
                done: str = "", form: Mapping[str, str] | None = None,
                problem: tuple[str | None, str] | None = None,
                row_problem: tuple[int, str] | None = None) -> HTMLResponse:
    """The users, the create form (with `problem` at its field) and each row's forms (with
    `row_problem` at the user it refused)."""
    return _page(services, "users", caller, _words(caller)["users"], status_code=status_code,
                 users=services.cases.users(caller.actor), roles=list(Role),
                 done=_done(caller, done), min_password=MIN_LENGTH,
                 form=form or {"username": "", "display_name": "", "role": Role.AGENT.value},
                 problem=problem, row_problem=row_problem)


@router.get("/users", response_class=HTMLResponse)
def users(services: ServicesDep, caller: AdminPage, done: str = "") -> HTMLResponse:
    return _users_page(services, caller, done=done)


@router.post("/users", response_class=HTMLResponse)
def create_user(services: ServicesDep, caller: AdminPage, username: Text = "",
                display_name: Text = "", role: Text = "",
                password: Annotated[str, Form(max_length=MAX_PASSWORD_FIELD)] = ""
                ) -> Response:
    try:
        services.cases.create_user(caller.actor, username, Role.parse(role), password,
                                   display_name.strip() or None)
    except (InvalidInput, Conflict) as exc:
        kept = {"username": username, "display_name": display_name, "role": role}
        return _users_page(services, caller, status_code=exc.status_code, form=kept,
                           problem=(exc.field, exc.message))
    return _see_other("/staff/admin/users?done=user_created")


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
def change_role(services: ServicesDep, caller: AdminPage, user_id: UserId,
                role: Text = "") -> Response:
    try:
        new = Role.parse(role)
        services.cases.update_user(caller.actor, user_id, role=new)
    except (InvalidInput, Conflict) as exc:  # the last admin stays an admin
        return _users_page(services, caller, status_code=exc.status_code,
                           row_problem=(user_id, exc.message))
    if user_id == caller.actor.user_id and new is not Role.ADMIN:
        return _see_other("/staff/")  # an admin who stepped down may no longer see the list
    return _see_other(f"/staff/admin/users?done=role_changed#user-{user_id}")


@router.post("/users/{user_id}/state", response_class=HTMLResponse)
def change_state(services: ServicesDep, caller: AdminPage, user_id: UserId,
                 disabled: Text = "") -> Response:
    """Disable (which ends the user's sessions at once) or enable an account: `disabled` is
    yes or no, so a form that lost its value changes nothing."""
    if disabled not in ("yes", "no"):
        return _users_page(services, caller, status_code=422, row_problem=(
            user_id, _words(caller)["a_bad_state"]))
    try:
        services.cases.update_user(caller.actor, user_id, disabled=disabled == "yes")
    except Conflict as exc:  # the last admin stays enabled
        return _users_page(services, caller, status_code=exc.status_code,
                           row_problem=(user_id, exc.message))
    if user_id == caller.actor.user_id and disabled == "yes":
        return _see_other("/staff/sign-in")  # their sessions ended with the account
    done = "disabled" if disabled == "yes" else "enabled"
    return _see_other(f"/staff/admin/users?done={done}#user-{user_id}")


# -- API tokens ---------------------------------------------------------------------------------
def _owners(services: Services, caller: StaffCaller) -> dict[int, str]:
    if caller.may(Role.ADMIN):
        return {u.id: u.username for u in services.cases.users(caller.actor)}
    return {caller.actor.user_id: caller.actor.name} if caller.actor.user_id else {}


def _tokens_page(services: Services, caller: StaffCaller, *, status_code: int = 200,
                 done: str = "", form: Mapping[str, str] | None = None,
                 problem: tuple[str | None, str] | None = None) -> HTMLResponse:
    tokens: list[ApiToken] = sorted(services.cases.tokens(caller.actor),
                                    key=lambda t: (t.revoked_at is not None, -t.id))
    return _page(services, "tokens", caller, _words(caller)["tokens"], status_code=status_code,
                 tokens=tokens, owners=_owners(services, caller), done=_done(caller, done),
                 roles=[r for r in Role if caller.may(r)],
                 form=form or {"name": "", "role": caller.actor.role.value}, problem=problem)


@router.get("/tokens", response_class=HTMLResponse)
def tokens(services: ServicesDep, caller: AgentPage, done: str = "") -> HTMLResponse:
    """One's own tokens; an admin's list has everyone's (as GET /api/v1/tokens)."""
    return _tokens_page(services, caller, done=done)


@router.post("/tokens", response_class=HTMLResponse)
def create_token(services: ServicesDep, caller: AgentPage, name: Text = "",
                 role: Text = "") -> HTMLResponse:
    """The only answer that carries the token itself: it is not kept to show again, and the
    browser is told not to store this page."""
    try:
        token, plain = services.cases.create_token(caller.actor, name,
                                                   Role.parse(role) if role else None)
    except InvalidInput as exc:
        return _tokens_page(services, caller, status_code=exc.status_code,
                            form={"name": name, "role": role}, problem=(exc.field, exc.message))
    page = _page(services, "token_created", caller, _words(caller)["a_token_created"],
                 token=token, plain=plain)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/tokens/{token_id}/revoke", response_class=RedirectResponse)
def revoke_token(services: ServicesDep, caller: AgentPage,
                 token_id: TokenId) -> RedirectResponse:
    services.cases.revoke_token(caller.actor, token_id)
    return _see_other("/staff/admin/tokens?done=token_revoked")


# -- the event log ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShownEvent:
    event: Event
    data: str  # pretty JSON, escaped when shown like everything else


def _event_filter(query: Query) -> EventFilter:
    texts = {name: query.text(name, most) for name, most in EVENT_TEXT_LIMITS.items()}
    return EventFilter(kind=texts["kind"], actor=texts["actor"], subject=texts["subject"],
                       subject_id=query.number("subject_id"), since=query.moment("since"),
                       until=query.moment("until"))


@router.get("/events", response_class=HTMLResponse)
def events(services: ServicesDep, caller: AdminPage, kind: str = "", actor: str = "",
           subject: str = "", subject_id: str = "", since: str = "", until: str = "",
           before: str = "", limit: str = "") -> HTMLResponse:
    """The log newest first with the API's filters; "older" pages back with `before`."""
    raw = {"kind": kind, "actor": actor, "subject": subject, "subject_id": subject_id,
           "since": since, "until": until, "before": before, "limit": limit}
    query = Query(raw, _words(caller))
    where, older_than, size = _event_filter(query), query.number("before"), query.limit()
    found: list[Event] = []
    if not query.problems:
        found = services.cases.event_page(caller.actor, where, before=older_than,
                                          limit=size + 1)
    shown = [ShownEvent(e, json.dumps(e.data, indent=2, ensure_ascii=False, sort_keys=True,
                                      default=str)) for e in found[:size]]
    path = "/staff/admin/events"
    fields = {**raw, "since": _browser_time(where.since) or since,
              "until": _browser_time(where.until) or until}
    return _page(services, "events", caller, _words(caller)["events"],
                 status_code=422 if query.problems else 200, events=shown, raw=fields,
                 problems=query.problems,
                 older=_link(path, raw, shown[-1].event.id) if len(found) > size else "",
                 newest=_link(path, raw, None) if older_than else "")


# -- mail ---------------------------------------------------------------------------------------
@router.get("/mail/inbox", response_class=HTMLResponse)
def mail_inbox(services: ServicesDep, caller: AgentPage, status: str = "", before: str = "",
               limit: str = "") -> HTMLResponse:
    """Customers' mail and what became of it; a note when replies by mail have failed."""
    raw = {"status": status, "before": before, "limit": limit}
    query = Query(raw, _words(caller))
    wanted = query.choice("status", INBOX_STATUSES)
    older_than, size = query.number("before"), query.limit()
    entries = [] if query.problems else services.cases.mail_inbox(
        caller.actor, wanted, before=older_than, limit=size + 1)
    failed_out = bool(services.cases.mail_outbox(caller.actor, "failed", before=None, limit=1))
    path = "/staff/admin/mail/inbox"
    return _page(services, "mail_inbox", caller, _words(caller)["a_inbox"],
                 status_code=422 if query.problems else 200, entries=entries[:size],
                 statuses=INBOX_STATUSES, raw=raw, problems=query.problems,
                 older=_link(path, raw, entries[size - 1].id) if len(entries) > size else "",
                 newest=_link(path, raw, None) if older_than else "", failed_out=failed_out)


@router.get("/mail/outbox", response_class=HTMLResponse)
def mail_outbox(services: ServicesDep, caller: AgentPage, status: str = "", before: str = "",
                limit: str = "") -> HTMLResponse:
    """Replies by mail: pending ones with their attempts and next try, failed ones (the relay
    never took them) marked, with the relay's last error."""
    raw = {"status": status, "before": before, "limit": limit}
    query = Query(raw, _words(caller))
    wanted = query.choice("status", OUTBOX_STATUSES)
    older_than, size = query.number("before"), query.limit()
    rows = [] if query.problems else services.cases.mail_outbox(
        caller.actor, wanted, before=older_than, limit=size + 1)
    path = "/staff/admin/mail/outbox"
    return _page(services, "mail_outbox", caller, _words(caller)["a_outbox"],
                 status_code=422 if query.problems else 200, rows=rows[:size],
                 statuses=OUTBOX_STATUSES, raw=raw, problems=query.problems,
                 older=_link(path, raw, rows[size - 1].id) if len(rows) > size else "",
                 newest=_link(path, raw, None) if older_than else "",
                 mail_out=bool(services.settings.smtp_host))

