"""The agent console: tier-1 agents search past resolutions and articles for a reply to hand
the customer; tier-2 agents work through the escalation queue, claim, move and resolve
escalations, and see at once that the question is now answered automatically.

Until now all of this was JSON and CLI. The pages only call use cases (responder/usecases.py),
which check the role and record the events, so the console and the API cannot drift apart;
"asked again now" asks the responder's preview, which changes nothing. Every page works
without JavaScript (the one script only adds a Copy button) and at a phone's width.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import numpy as np
from babel.dates import format_timedelta
from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from responder import escalation_model
from responder.agents import AgentFilters, AgentHit, Source
from responder.api.deps import ServicesDep
from responder.api.params import EscalationId
from responder.api.schemas import MAX_MESSAGE
from responder.auth.roles import Actor, Role
from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput, NotFound
from responder.kb.validation import (
    MAX_CATEGORY,
    MAX_NAME,
    MAX_SHORT,
    MAX_SLUG,
    MAX_TITLE,
    article_from_mapping,
)
from responder.models import (
    ContextCheck,
    Escalation,
    EscalationStatus,
    LearntScore,
    Status,
    Tone,
)
from responder.pipeline import Message, Outcome
from responder.render import LOCALES, SUPPORTED_CHANNELS
from responder.tone import detect_tone
from responder.web.staff import SECTIONS, AgentPage, StaffCaller, render_staff
from responder.web.staff_wording import STAFF_WORDS
from responder.wiring import Services

router = APIRouter(prefix="/staff/console", include_in_schema=False)
SECTION = ("console", "/staff/console/", Role.AGENT)
if SECTION not in SECTIONS:
    SECTIONS.append(SECTION)

HITS = 5
RESOLUTIONS_SHOWN = 5  # per hit: the newest; the rest are counted
MESSAGE_PREVIEW = 400  # characters of a message in the queue; the detail page shows it all
NOTICES = {"claimed": "c_done_claimed", "released": "c_done_released",
           "moved": "c_done_moved", "resolved": "c_done_resolved"}
SOURCES = tuple(s.value for s in Source)
NEW_ARTICLE_FIELDS = ("slug", "language", "title", "short_answer", "category", "status")


# -- search -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchForm:
    """What the agent asked for, kept in the form (and in the URL: a search can be shared)."""

    q: str = ""
    language: str = ""  # "": detected from the text
    category: str = ""
    source: str = Source.KB.value
    since: str = ""  # YYYY-MM-DD
    until: str = ""
    channel: str = "chat"
    customer_name: str = ""


@router.get("/", response_class=HTMLResponse)
def search_page(
    services: ServicesDep, caller: AgentPage,
    q: Annotated[str, Query(max_length=MAX_MESSAGE)] = "",
    language: Annotated[str, Query(max_length=16)] = "",
    category: Annotated[str, Query(max_length=MAX_CATEGORY)] = "",
    source: Annotated[str, Query(max_length=16)] = Source.KB.value,
    since: Annotated[str, Query(max_length=40)] = "",
    until: Annotated[str, Query(max_length=40)] = "",
    channel: Annotated[str, Query(max_length=16)] = "chat",
    customer_name: Annotated[str, Query(max_length=MAX_NAME * 2)] = "",
) -> HTMLResponse:
    """Search articles (internal ones and drafts too) and the resolutions behind them, with
    the API's filters; each hit with its suggested reply for the chosen channel."""
    words = STAFF_WORDS[caller.language]
    form = SearchForm(q, language, category, source, since, until, channel, customer_name)
    problems = search_problems(form, words)
    hits: list[AgentHit] = []
    used = ""
    if form.q.strip() and not problems:
        try:
            _text, used, hits = services.cases.agent_search(
                caller.actor, form.q, form.language or None, k=HITS,
                customer_name=form.customer_name, filters=filters_of(form))
        except InvalidInput as exc:
            problems[exc.field if exc.field in ("q", "customer_name") else "q"] = exc.message
    return render_staff(
        services, "console/search", caller, words["console"], active="console",
        status_code=422 if problems else 200, form=form, problems=problems, hits=hits,
        searched=bool(form.q.strip()) and not problems, language_used=used,
        languages=SUPPORTED_LANGUAGES, channels=SUPPORTED_CHANNELS, sources=SOURCES,
        categories=categories(services, caller.actor, form.category),
        keyword_weight=services.settings.keyword_weight, shown=RESOLUTIONS_SHOWN)


def search_problems(form: SearchForm, words: dict[str, str]) -> dict[str, str]:
    """What to fix, by field. Only what the selects offer is accepted: a hand-made URL gets
    the form back saying so, not an error page."""
    problems = {}
    choices = {"language": ("", *SUPPORTED_LANGUAGES), "source": SOURCES,
               "channel": SUPPORTED_CHANNELS}
    for name, allowed in choices.items():
        if getattr(form, name) not in allowed:
            problems[name] = words["c_bad_choice"]
    for name in ("since", "until"):
        if getattr(form, name) and day_of(getattr(form, name)) is None:
            problems[name] = words["c_bad_date"]
    start, end = day_of(form.since), day_of(form.until)
    if start and end and start > end:
        problems["until"] = words["c_bad_range"]
    return problems


def day_of(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def filters_of(form: SearchForm) -> AgentFilters:
    """The dates are whole days in UTC: "since" from the day's start, "until" to its end."""
    start, end = day_of(form.since), day_of(form.until)
    return AgentFilters(
        category=form.category or None, source=Source(form.source),
        since=datetime.combine(start, time.min, UTC) if start else None,
        until=datetime.combine(end, time.max, UTC) if end else None)


def categories(services: Services, actor: Actor, chosen: str) -> list[str]:
    """The matrix's categories and every article's, and the chosen one (kept even if no
    article has it, so the form shows what was asked)."""
    found = set(services.responder.router.matrix.categories)
    found |= {a.content.category for a in services.cases.list_articles(
        actor, language=None, status=None, category=None)}
    return sorted(found | ({chosen} if chosen else set()))


# -- the escalation queue -----------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """A piece of a customer's message; `cues` names the escalation signs it is, if any."""

    text: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class EscalationView:
    escalation: Escalation
    parts: list[Part]
    clipped: bool  # the queue shows the start of a long message
    overdue: bool
    due: str  # "Overdue by 2 hours", "Due in 30 minutes", "No SLA"
    learnt: tuple[LearntScore, ...] = ()  # the learnt scores, with their thresholds
    check: ContextCheck | None = None  # the context check, when the vector was read


@router.get("/escalations", response_class=HTMLResponse)
def queue_page(services: ServicesDep, caller: AgentPage,
               queue: Annotated[str, Query(max_length=MAX_CATEGORY)] = "") -> HTMLResponse:
    """Open escalations, the soonest SLA first, overdue ones marked in words."""
    words = STAFF_WORDS[caller.language]
    everything = services.cases.escalations(caller.actor, EscalationStatus.OPEN, queue=None,
                                            by_due=True)
    counts = Counter(e.input.queue for e in everything)
    now = services.responder.clock()
    shown = [view_of(e, now, caller.language, limit=MESSAGE_PREVIEW)
             for e in everything if not queue or e.input.queue == queue]
    return render_staff(
        services, "console/queue", caller, words["escalations"], active="console",
        escalations=shown, queue=queue, counts=counts, total=len(everything),
        queues=sorted(set(matrix_queues(services)) | set(counts)))


def matrix_queues(services: Services) -> list[str]:
    return sorted({r.queue for r in services.responder.router.matrix.routes.values()})


def view_of(escalation: Escalation, now: datetime, language: str, *,
            limit: int | None = None, vector: np.ndarray | None = None,
            model_id: str = "") -> EscalationView:
    """`vector`: the message's query vector, when the page can afford embedding it; then the
    learnt escalation score is read as the answer path read it."""
    tone = detect_tone(escalation.input.message, escalation.input.language)
    tone = escalation_model.apply(tone, vector, model_id, text=escalation.input.message)
    parts = highlighted(escalation.input.message, tone)
    clipped = limit is not None and len(escalation.input.message) > limit
    if limit is not None:
        parts = clip(parts, limit)
    overdue, due = timing(escalation.input.due_at, now, language)
    return EscalationView(escalation, parts, clipped, overdue, due, tone.learnt, tone.check)


def highlighted(text: str, tone: Tone) -> list[Part]:
    """The message in pieces, the cues tone detection found in it marked. Cues overlap ("want
    a manager NOW" is a demand for a person and urgency): overlapping ones are one mark that
    names every kind."""
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    for cue in tone.cues:  # sorted by start
        kind = cue.kind.value
        if spans and cue.start < spans[-1][1]:
            start, end, kinds = spans[-1]
            spans[-1] = (start, max(end, cue.end), kinds if kind in kinds else (*kinds, kind))
        else:
            spans.append((cue.start, cue.end, (kind,)))
    parts, cursor = [], 0
    for start, end, kinds in spans:
        if start > cursor:
            parts.append(Part(text[cursor:start]))
        parts.append(Part(text[start:end], kinds))
        cursor = end
    if cursor < len(text):
        parts.append(Part(text[cursor:]))
    return parts


def clip(parts: list[Part], limit: int) -> list[Part]:
    kept, left = [], limit
    for part in parts:
        if left <= 0:
            break
        kept.append(Part(part.text[:left], part.cues))
        left -= len(part.text)
    return kept


def timing(due: datetime | None, now: datetime, language: str) -> tuple[bool, str]:
    """(overdue, when in words), in the page's language."""
    words = STAFF_WORDS[language]
    if due is None:
        return False, words["c_no_sla"]
    span = format_timedelta(abs(due - now), locale=LOCALES[language], threshold=2)
    if due < now:
        return True, words["c_overdue_by"].format(span=span)
    return False, words["c_due_in"].format(span=span)


# -- one escalation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ResolveForm:
    """The resolve form as sent, kept when it comes back with a problem."""

    resolution: str = ""
    target: str = "existing"  # the question joins an "existing" article, or a "new" one
    pick: str = ""  # one of the best matches' ids
    article_id: str = ""  # or any article's id
    slug: str = ""
    language: str = ""
    title: str = ""
    short_answer: str = ""
    category: str = ""
    status: str = Status.DRAFT.value


@router.get("/escalations/{escalation_id}", response_class=HTMLResponse)
def escalation_page(services: ServicesDep, caller: AgentPage, escalation_id: EscalationId,
                    done: Annotated[str, Query(max_length=16)] = "") -> HTMLResponse:
    escalation = services.cases.escalation(caller.actor, escalation_id)
    return detail_page(services, caller, escalation, notice=NOTICES.get(done))


@router.post("/escalations/{escalation_id}/claim", response_class=RedirectResponse)
def claim(services: ServicesDep, caller: AgentPage,
          escalation_id: EscalationId) -> RedirectResponse:
    services.cases.claim_escalation(caller.actor, escalation_id)
    return back_to(escalation_id, "claimed")


@router.post("/escalations/{escalation_id}/release", response_class=RedirectResponse)
def release(services: ServicesDep, caller: AgentPage,
            escalation_id: EscalationId) -> RedirectResponse:
    services.cases.release_escalation(caller.actor, escalation_id)
    return back_to(escalation_id, "released")


@router.post("/escalations/{escalation_id}/move", response_class=RedirectResponse)
def move(services: ServicesDep, caller: AgentPage, escalation_id: EscalationId,
         queue: Annotated[str, Form(max_length=MAX_CATEGORY)] = "") -> RedirectResponse:
    services.cases.move_escalation(caller.actor, escalation_id, queue)
    return back_to(escalation_id, "moved")


@router.post("/escalations/{escalation_id}/resolve", response_class=HTMLResponse)
def resolve(
    services: ServicesDep, caller: AgentPage, escalation_id: EscalationId,
    resolution: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
    target: Annotated[str, Form(max_length=16)] = "",
    pick: Annotated[str, Form(max_length=16)] = "",
    article_id: Annotated[str, Form(max_length=16)] = "",
    slug: Annotated[str, Form(max_length=MAX_SLUG * 2)] = "",
    language: Annotated[str, Form(max_length=16)] = "",
    title: Annotated[str, Form(max_length=MAX_TITLE * 2)] = "",
    short_answer: Annotated[str, Form(max_length=MAX_SHORT * 2)] = "",
    category: Annotated[str, Form(max_length=MAX_CATEGORY * 2)] = "",
    status: Annotated[str, Form(max_length=16)] = Status.DRAFT.value,
) -> Response:
    """Resolve into an existing article (the question becomes one of its examples) or a new
    one; then the page shows the question asked again. A problem brings the form back with
    everything typed, the message at the field (422)."""
    escalation = services.cases.escalation(caller.actor, escalation_id)
    # Browsers send a textarea's line breaks as CRLF; store them as the agent sees them.
    form = ResolveForm(resolution.replace("\r\n", "\n"), target, pick, article_id, slug,
                       language, title, short_answer.replace("\r\n", "\n"), category, status)
    words = STAFF_WORDS[caller.language]
    problems = resolve_problems(form, words)
    if not problems:
        try:
            services.cases.resolve_escalation(
                caller.actor, escalation_id, form.resolution, **resolve_target(form))
        except (InvalidInput, NotFound) as exc:
            if isinstance(exc, NotFound) and exc.field != "article_id":
                raise
            problems[problem_field(exc.field, form.target)] = exc.message
    if problems:
        return detail_page(services, caller, escalation, form=form, problems=problems,
                           status_code=422)
    return back_to(escalation_id, "resolved")


def resolve_problems(form: ResolveForm, words: dict[str, str]) -> dict[str, str]:
    """What the page can tell before asking the use case (which checks everything again)."""
    problems = {}
    if not form.resolution.strip():
        problems["resolution"] = words["c_required"]
    if form.target not in ("existing", "new"):
        problems["target"] = words["c_choose_target"]
    elif form.target == "existing":
        chosen = form.article_id.strip() or form.pick.strip()
        if not chosen:
            problems["article_id"] = words["c_pick_article"]
        elif not chosen.isdigit():
            problems["article_id"] = words["c_bad_id"]
    else:
        try:
            article_from_mapping(resolve_target(form)["new_article"])
        except InvalidInput as exc:
            problems[problem_field(exc.field, form.target)] = exc.message
    return problems


def resolve_target(form: ResolveForm) -> dict[str, Any]:
    if form.target == "existing":
        return {"article_id": int(form.article_id.strip() or form.pick.strip()),
                "new_article": None}
    return {"article_id": None,
            "new_article": {name: getattr(form, name).strip() for name in NEW_ARTICLE_FIELDS}}


def problem_field(field: str | None, target: str) -> str:
    """Where on the form the use case's complaint belongs."""
    if field == "resolution" or (field == "article_id" and target == "existing"):
        return field
    if target == "new" and field in NEW_ARTICLE_FIELDS:
        return field
    return "form"


def back_to(escalation_id: int, done: str) -> RedirectResponse:
    """303: the browser reloads the page with GET, so a reload never posts twice."""
    return RedirectResponse(f"/staff/console/escalations/{escalation_id}?done={done}",
                            status_code=303)


def detail_page(services: Services, caller: StaffCaller, escalation: Escalation, *,
                form: ResolveForm | None = None, problems: dict[str, str] | None = None,
                notice: str | None = None, status_code: int = 200) -> HTMLResponse:
    """An open escalation with the responder's best matches now and the forms; a resolved
    one with its resolution and the same question asked again now."""
    data = escalation.input
    is_open = escalation.status is EscalationStatus.OPEN
    channel = data.channel if data.channel in SUPPORTED_CHANNELS else "chat"
    matches = best_matches(services, caller.actor, escalation) if is_open else []
    words = STAFF_WORDS[caller.language]
    retriever = services.responder.retriever
    return render_staff(
        services, "console/escalation", caller,
        words["c_escalation_title"].format(id=escalation.id), active="console",
        status_code=status_code, view=view_of(
            escalation, services.responder.clock(), caller.language,
            vector=retriever.embed_query(data.message[:services.settings.max_text_chars]),
            model_id=retriever.index.embedder.model_id),
        escalation=escalation, is_open=is_open, channel=channel, matches=matches,
        queues=matrix_queues(services), languages=SUPPORTED_LANGUAGES,
        statuses=(Status.DRAFT.value, Status.PUBLISHED.value),
        form=form or ResolveForm(language=data.language, category=data.category),
        problems=problems or {}, notice=notice,
        article=None if is_open or escalation.article_id is None
        else services.cases.article(caller.actor, escalation.article_id),
        again=None if is_open else asked_again(services, escalation, channel),
        mailed=bool(services.outbox is not None and data.customer_email),
        keyword_weight=services.settings.keyword_weight, shown=RESOLUTIONS_SHOWN)


def best_matches(services: Services, actor: Actor, escalation: Escalation) -> list[AgentHit]:
    """The agent search on the customer's message (a message grown by follow-ups is cut to
    what a search takes); not recorded as a search, since the agent only opened the page."""
    data = escalation.input
    return services.cases.agent_search(
        actor, data.message[:services.settings.max_text_chars], data.language, k=HITS,
        customer_name=data.customer_name, filters=AgentFilters(), record=False)[2]


def asked_again(services: Services, escalation: Escalation, channel: str) -> Outcome:
    """What the responder would do with the customer's message now, changing nothing."""
    data = escalation.input
    return services.responder.preview(Message(
        text=data.message[:services.settings.max_text_chars], channel=channel,
        language=data.language, customer_name=data.customer_name))

