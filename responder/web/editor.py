"""The knowledge-base editor's pages (role editor and above): list and filter the articles,
create and edit every field and the example questions, see an article's language versions side
by side with the stale ones marked, preview the reply in every channel and language with the
phrase linter's findings at the exact words, compare and restore revisions, and try a question.

Why server-rendered forms: an editor can work without JavaScript, at a phone's width and with
the keyboard alone. Every change is a POST carrying the session's CSRF token (checked by
responder/web/staff.py) and is answered 303, so a reload never posts twice; a refused one
re-renders the form (422) with the message at the field and what was typed kept. The pages
call the use cases, never the store, so each change is checked for the role and recorded in
the event log.

Stale translations: the *source* of an article's language versions is the version in the
default language, else the oldest version; a translation is *stale* when the source's words
changed after the translation was last edited (any save that was more than a change of status,
an unchanged save too: that is how a translator confirms it). responder/pipeline.py has the
definition and the reasons, and keeps customers from being answered from a stale translation
(RESPONDER_STALE_TRANSLATIONS).

Everything shown is escaped by the template environment. A rendered reply's HTML is shown in
an iframe's srcdoc attribute, escaped like any attribute, and sandboxed: no scripts, no origin.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from responder.api.deps import ServicesDep
from responder.auth.roles import Role
from responder.config import SUPPORTED_LANGUAGES
from responder.errors import Conflict, InvalidInput, NotFound
from responder.kb.validation import (
    MAX_BODY,
    MAX_CATEGORY,
    MAX_EXAMPLES,
    MAX_ID,
    MAX_OPTIONS,
    MAX_QUESTION,
    MAX_SHORT,
    MAX_SLUG,
    MAX_TAG,
    MAX_TAGS,
    MAX_TIMEFRAME,
    MAX_TITLE,
    SLUG_PATTERN,
    article_from_mapping,
    clean_line,
    clean_text,
    normalise_language,
)
from responder.lint import Finding, lint_article
from responder.models import (
    Article,
    ArticleContent,
    Freshness,
    RenderedReply,
    ReplyContext,
    ReplyKind,
    Status,
    Visibility,
)
from responder.pipeline import Message, Outcome, view_of
from responder.render import SUPPORTED_CHANNELS
from responder.web import staff
from responder.web.staff import EditorPage, StaffCaller, render_staff
from responder.web.wording import LANGUAGE_NAMES
from responder.wiring import Services

router = APIRouter(prefix="/staff/editor", include_in_schema=False)
HOME = "/staff/editor/"
if not any(key == "editor" for key, _url, _role in staff.SECTIONS):
    staff.SECTIONS.append(("editor", HOME, Role.EDITOR))

MAX_FORM_FIELD = 100_000  # what a form field may carry before validation says what is wrong
ACTIONS = {"draft": Status.DRAFT, "publish": Status.PUBLISHED, "archive": Status.ARCHIVED}
DONE = ("created", "saved", "draft", "published", "archived", "question", "question_removed",
        "restored")
# The fields a revision diff compares, in the order of the form.
DIFF_FIELDS = ("slug", "language", "title", "short_answer", "options", "agreement",
               "timeframe", "body", "category", "tags", "visibility", "status")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


# -- the form -----------------------------------------------------------------------------------
@dataclass
class Draft:
    """An article as typed in the form: kept as typed, so a refused form shows it again."""

    slug: str = ""
    language: str = "en"
    title: str = ""
    short_answer: str = ""
    options: str = ""  # one per line
    agreement: str = ""
    timeframe: str = ""
    body: str = ""
    category: str = "general"
    tags: str = ""  # comma-separated
    visibility: str = Visibility.PUBLIC.value
    examples: str = ""  # one per line; only when creating

    @classmethod
    def of(cls, content: ArticleContent) -> Draft:
        return cls(slug=content.slug, language=content.language, title=content.title,
                   short_answer=content.short_answer, options="\n".join(content.options),
                   agreement=content.agreement, timeframe=content.timeframe, body=content.body,
                   category=content.category, tags=", ".join(content.tags),
                   visibility=content.visibility.value)

    def option_lines(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def example_lines(self) -> list[str]:
        return [line.strip() for line in self.examples.splitlines() if line.strip()]

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    def mapping(self, status: Status) -> dict[str, Any]:
        return {"slug": self.slug.strip(), "language": self.language, "title": self.title,
                "short_answer": self.short_answer, "body": self.body,
                "options": self.option_lines(), "agreement": self.agreement,
                "timeframe": self.timeframe, "category": self.category,
                "tags": self.tag_list(), "visibility": self.visibility, "status": status.value}


@dataclass(frozen=True)
class Posted:
    draft: Draft
    action: str
    revision: int | None  # the revision the form was opened at
    article_id: int | None  # a preview of an article's unsaved edits
    preview_language: str


async def posted_form(request: Request) -> Posted:
    form = await request.form()  # already read (and kept) by the CSRF check

    def text(name: str, default: str = "") -> str:
        value = form.get(name)
        return value[:MAX_FORM_FIELD] if isinstance(value, str) else default

    draft = Draft(**{name: text(name, str(getattr(Draft, name)))
                     for name in Draft.__dataclass_fields__})
    return Posted(draft, text("action"), _number(text("revision")),
                  _number(text("article_id")), text("preview_language"))


PostedForm = Annotated[Posted, Depends(posted_form)]


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() and 1 <= int(value) <= MAX_ID else None


def _id(value: str, what: str = "article") -> int:
    number = _number(value)
    if number is None:
        raise NotFound(f"There is no such {what}.")
    return number


def problems_of(draft: Draft, *, creating: bool) -> dict[str, str]:
    """Every field's problem at once (the use case stops at the first), by field name."""
    checks: list[tuple[str, Callable[[], object]]] = [
        ("slug", lambda: _check_slug(draft.slug.strip())),
        ("language", lambda: normalise_language(draft.language)),
        ("title", lambda: clean_line(draft.title, "title", MAX_TITLE)),
        ("short_answer", lambda: clean_text(draft.short_answer, "short_answer", MAX_SHORT)),
        ("options", lambda: _check_lines(draft.option_lines(), "options", MAX_OPTIONS,
                                         lambda o: clean_text(o, "options", MAX_SHORT))),
        ("agreement", lambda: clean_text(draft.agreement, "agreement", MAX_SHORT,
                                         required=False)),
        ("timeframe", lambda: clean_line(draft.timeframe, "timeframe", MAX_TIMEFRAME,
                                         required=False)),
        ("body", lambda: clean_text(draft.body, "body", MAX_BODY, required=False)),
        ("category", lambda: clean_line(draft.category, "category", MAX_CATEGORY)),
        ("tags", lambda: _check_lines(draft.tag_list(), "tags", MAX_TAGS,
                                      lambda t: clean_line(t, "tags", MAX_TAG))),
        ("visibility", lambda: Visibility(draft.visibility)),
    ]
    if creating:
        checks.append(("examples", lambda: _check_lines(
            draft.example_lines(), "examples", MAX_EXAMPLES,
            lambda q: clean_text(q, "examples", MAX_QUESTION))))
    problems = {}
    for name, check in checks:
        try:
            check()
        except InvalidInput as exc:
            problems[name] = exc.message
        except ValueError:
            problems[name] = f"{name}: choose one of the offered values."
    return problems


def _check_slug(slug: str) -> None:
    if not slug or len(slug) > MAX_SLUG or not SLUG_PATTERN.match(slug):
        raise InvalidInput(f"slug: use lower-case letters, digits and single '-' between "
                           f"words, e.g. 'order-status' (at most {MAX_SLUG} characters).",
                           field="slug")


def _check_lines(lines: list[str], name: str, most: int, check: Callable[[str], str]) -> None:
    if len(lines) > most:
        raise InvalidInput(f"{name}: at most {most}, not {len(lines)}.", field=name)
    for line in lines:
        check(line)


def _field_of(exc: InvalidInput | Conflict) -> str:
    """The form field a use case's error names ("options.0" is the options box)."""
    name = (exc.field or "form").split(".")[0]
    return name if name in Draft.__dataclass_fields__ else "form"


# -- preview and lint ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MarkedField:
    """One field's text cut at the linter's findings: (text, the finding over it or None)."""

    name: str
    segments: list[tuple[str, Finding | None]]


@dataclass(frozen=True)
class Preview:
    language: str
    replies: dict[str, RenderedReply]  # by channel
    fields: list[MarkedField]
    findings: list[Finding]


def preview_of(services: Services, content: ArticleContent, language: str) -> Preview:
    """The reply an answer from this article gets in every channel, in `language`, and what
    the phrase linter says about the article's words."""
    contact = services.responder.contact
    view = view_of(content, contact.help_url)
    replies = {channel: services.responder.renderer.render(ReplyContext(
        channel=channel, language=language, kind=ReplyKind.ANSWER, contact=contact,
        article=view)) for channel in SUPPORTED_CHANNELS}
    findings = lint_article(content)
    return Preview(language, replies, marked_fields(content, findings), findings)


def marked_fields(content: ArticleContent, findings: list[Finding]) -> list[MarkedField]:
    texts = [("title", content.title), ("short_answer", content.short_answer)]
    texts += [(f"options[{i}]", option) for i, option in enumerate(content.options)]
    texts += [("agreement", content.agreement), ("timeframe", content.timeframe),
              ("body", content.body)]
    return [MarkedField(name, mark(text, [f for f in findings if f.field == name]))
            for name, text in texts if text]


def mark(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """`text` in pieces, each finding's exact span its own piece (overlaps: the first wins)."""
    pieces: list[tuple[str, Finding | None]] = []
    at = 0
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if finding.start < at:
            continue
        if finding.start > at:
            pieces.append((text[at:finding.start], None))
        pieces.append((text[finding.start:finding.end], finding))
        at = finding.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def _reply_language(requested: str, fallback: str) -> str:
    code = requested.lower()
    return code if code in SUPPORTED_LANGUAGES else fallback


# -- revisions ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldDiff:
    name: str
    pieces: list[tuple[str, str]]  # ("same" | "ins" | "del", text)


def field_text(content: ArticleContent, name: str) -> str:
    value = getattr(content, name)
    if name == "options":
        return "\n".join(value)
    if name == "tags":
        return ", ".join(value)
    return str(value.value if isinstance(value, Status | Visibility) else value)


def diff(old: ArticleContent, new: ArticleContent) -> list[FieldDiff]:
    """Per field that differs, word by word: what was deleted and what was inserted."""
    out = []
    for name in DIFF_FIELDS:
        before, after = field_text(old, name), field_text(new, name)
        if before != after:
            out.append(FieldDiff(name, word_diff(before, after)))
    return out


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(new[j1:j2])))
    return pieces


# -- pages --------------------------------------------------------------------------------------
def when(moment: datetime | None, seconds: bool = False) -> str:
    """`seconds` where two times of the same minute are compared (is a translation stale?)."""
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC" if seconds
                                           else "%Y-%m-%d %H:%M UTC")


def page(services: Services, name: str, caller: StaffCaller, title: str, *,
         status_code: int = 200, **variables: Any) -> HTMLResponse:
    return render_staff(services, f"editor/{name}", caller, title, status_code=status_code,
                        active="editor", when=when, language_names=LANGUAGE_NAMES,
                        languages=SUPPORTED_LANGUAGES, **variables)


def _words(caller: StaffCaller) -> dict[str, str]:
    return staff.STAFF_WORDS[caller.language]


def _done(value: str) -> str:
    return value if value in DONE else ""


@router.get("/", response_class=HTMLResponse)
def articles(services: ServicesDep, caller: EditorPage, language: str = "",
             category: str = "", status: str = "", visibility: str = "", missing: str = "",
             stale: str = "") -> HTMLResponse:
    """Every article, filtered; "has no translation in X" lists each article's source version
    (one row per article, with a link to translate it)."""
    cases, actor = services.cases, caller.actor
    everything = cases.list_articles(actor, language=None, status=None, category=None)
    fresh = cases.freshness(actor)
    filters = {"language": language if language in SUPPORTED_LANGUAGES else "",
               "category": category[:MAX_CATEGORY],
               "status": status if status in {s.value for s in Status} else "",
               "visibility": visibility if visibility in {v.value for v in Visibility} else "",
               "missing": missing if missing in SUPPORTED_LANGUAGES else "",
               "stale": "1" if stale else ""}
    shown = [a for a in everything if _matches(a, filters, fresh)]
    return page(services, "list", caller, _words(caller)["editor"], rows=shown, fresh=fresh,
                filters=filters, categories=sorted({a.content.category for a in everything}),
                versions=_languages_by_slug(everything))


def _matches(article: Article, filters: dict[str, str], fresh: dict[str, Freshness]) -> bool:
    content, family = article.content, fresh.get(article.slug, Freshness())
    present = {v.article.language for v in family.versions}
    checks = [
        not filters["language"] or article.language == filters["language"],
        not filters["category"] or content.category == filters["category"],
        not filters["status"] or content.status.value == filters["status"],
        not filters["visibility"] or content.visibility.value == filters["visibility"],
        not filters["missing"] or (filters["missing"] not in present
                                   and article.id == (family.source_id or article.id)),
        not filters["stale"] or family.is_stale(article.id),
    ]
    return all(checks)


def _languages_by_slug(found: list[Article]) -> dict[str, list[str]]:
    by_slug: dict[str, list[str]] = {}
    for article in found:
        by_slug.setdefault(article.slug, []).append(article.language)
    return by_slug


@router.get("/articles/new", response_class=HTMLResponse)
def new_article(services: ServicesDep, caller: EditorPage, language: str = "",
                source: str = "") -> HTMLResponse:
    """A blank form, or (`source`, `language`) a translation of that article to start from."""
    draft = Draft(language=services.settings.default_language)
    if source:
        draft = Draft.of(services.cases.article(caller.actor, _id(source)).content)
    if language in SUPPORTED_LANGUAGES:
        draft.language = language
    return _edit_page(services, caller, draft, None)


@router.post("/articles/new", response_class=HTMLResponse)
def create(services: ServicesDep, caller: EditorPage, posted: PostedForm) -> Response:
    draft = posted.draft
    status = ACTIONS.get(posted.action, Status.DRAFT)
    problems = problems_of(draft, creating=True)
    if not problems:
        try:
            made = services.cases.create_article(caller.actor, draft.mapping(status),
                                                 draft.example_lines())
        except (InvalidInput, Conflict) as exc:
            problems = {_field_of(exc): exc.message}
        else:
            return _see_other(f"{HOME}articles/{made.id}?done=created")
    return _edit_page(services, caller, draft, None, problems=problems, status_code=422)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def edit(services: ServicesDep, caller: EditorPage, article_id: str,
         done: str = "") -> HTMLResponse:
    article = services.cases.article(caller.actor, _id(article_id))
    return _edit_page(services, caller, Draft.of(article.content), article, done=_done(done))


@router.post("/articles/{article_id}", response_class=HTMLResponse)
def save(services: ServicesDep, caller: EditorPage, article_id: str,
         posted: PostedForm) -> Response:
    """Save the fields, then change the status if the button asked for another one: an edit
    and a publication are two events (and two revisions), as they are two decisions."""
    cases, actor = services.cases, caller.actor
    current = cases.article(actor, _id(article_id))
    draft, status = posted.draft, ACTIONS.get(posted.action, current.content.status)
    problems = problems_of(draft, creating=False)
    if not problems and posted.revision not in (None, current.revision):
        problems = {"form": _words(caller)["e_changed_meanwhile"]}
        return _edit_page(services, caller, draft, current, problems=problems,
                          status_code=409)
    if not problems:
        try:
            _store(services, caller, current, draft, status)
        except (InvalidInput, Conflict) as exc:
            problems = {_field_of(exc): exc.message}
        else:
            done = {Status.PUBLISHED: "published", Status.ARCHIVED: "archived",
                    Status.DRAFT: "draft"}[status] if status != current.content.status else "saved"
            return _see_other(f"{HOME}articles/{current.id}?done={done}")
    return _edit_page(services, caller, draft, current, problems=problems,
                      revision=posted.revision, status_code=422)


def _store(services: Services, caller: StaffCaller, current: Article, draft: Draft,
           status: Status) -> None:
    """A save that changes nothing is still a revision: the translator's "still right"."""
    cases, actor = services.cases, caller.actor
    kept = article_from_mapping(draft.mapping(current.content.status))
    if kept != current.content or status == current.content.status:
        cases.update_article(actor, current.id, draft.mapping(current.content.status))
    if status != current.content.status:
        cases.set_status(actor, current.id, status)


async def question_form(request: Request) -> tuple[str, str]:
    form = await request.form()
    text, language = form.get("question"), form.get("question_language")
    return (text[:MAX_FORM_FIELD] if isinstance(text, str) else "",
            language if isinstance(language, str) else "")


@router.post("/articles/{article_id}/questions", response_class=HTMLResponse)
def add_question(services: ServicesDep, caller: EditorPage, article_id: str,
                 asked: Annotated[tuple[str, str], Depends(question_form)]) -> Response:
    cases, actor = services.cases, caller.actor
    article = cases.article(actor, _id(article_id))
    text, language = asked
    try:
        cases.add_question(actor, article.id, text, language or article.language)
    except InvalidInput as exc:
        return _edit_page(services, caller, Draft.of(article.content), article,
                          problems={"question": exc.message}, question=text, status_code=422)
    return _see_other(f"{HOME}articles/{article.id}?done=question#questions")


@router.post("/articles/{article_id}/questions/{question_id}/delete",
             response_class=HTMLResponse)
def delete_question(services: ServicesDep, caller: EditorPage, article_id: str,
                    question_id: str) -> Response:
    cases, actor = services.cases, caller.actor
    article = cases.article(actor, _id(article_id))
    cases.delete_question(actor, article.id, _id(question_id, "example question"))
    return _see_other(f"{HOME}articles/{article.id}?done=question_removed#questions")


def _edit_page(services: Services, caller: StaffCaller, draft: Draft, article: Article | None,
               *, problems: dict[str, str] | None = None, done: str = "", question: str = "",
               preview: Preview | None = None, revision: int | None = None,
               status_code: int = 200) -> HTMLResponse:
    """`revision`: the one the editor opened (a save checks nobody saved since), by default
    the article's current one."""
    cases, actor = services.cases, caller.actor
    words = _words(caller)
    title = (article.content.title if article else words["e_new"]) or words["e_new"]
    known = {a.content.category for a in cases.list_articles(actor, language=None, status=None,
                                                             category=None)}
    return page(
        services, "edit", caller, title, article=article, draft=draft,
        problems=problems or {}, done=done, question=question, preview=preview,
        revision=revision or (article.revision if article else None),
        questions=cases.questions(actor, article.id) if article else [],
        categories=sorted(known | set(services.responder.router.matrix.categories)),
        status_code=status_code)


@router.post("/preview", response_class=HTMLResponse)
def preview_draft(services: ServicesDep, caller: EditorPage,
                  posted: PostedForm) -> HTMLResponse:
    """The edit form's "Preview": the same form again, as typed, with the reply under it;
    nothing is saved."""
    draft = posted.draft
    article = (services.cases.article(caller.actor, posted.article_id)
               if posted.article_id else None)
    problems = problems_of(draft, creating=article is None)
    if problems:
        return _edit_page(services, caller, draft, article, problems=problems,
                          revision=posted.revision, status_code=422)
    status = article.content.status if article else Status.DRAFT
    content = article_from_mapping(draft.mapping(status))
    shown = preview_of(services, content,
                       _reply_language(posted.preview_language, content.language))
    return _edit_page(services, caller, draft, article, preview=shown, revision=posted.revision)


@router.get("/articles/{article_id}/preview", response_class=HTMLResponse)
def preview_article(services: ServicesDep, caller: EditorPage, article_id: str,
                    language: str = "") -> HTMLResponse:
    article = services.cases.article(caller.actor, _id(article_id))
    shown = preview_of(services, article.content,
                       _reply_language(language, article.language))
    return page(services, "preview", caller, article.content.title, article=article,
                preview=shown)


@router.get("/articles/{article_id}/versions", response_class=HTMLResponse)
def versions(services: ServicesDep, caller: EditorPage, article_id: str) -> HTMLResponse:
    """Every language version side by side; the source first."""
    article = services.cases.article(caller.actor, _id(article_id))
    family = services.cases.versions(caller.actor, article.id)
    ordered = sorted(family.versions, key=lambda v: (v.article.id != family.source_id,
                                                     v.article.language))
    present = {v.article.language for v in ordered}
    return page(services, "versions", caller, article.content.title, article=article,
                family=family, ordered=ordered,
                missing=[code for code in SUPPORTED_LANGUAGES if code not in present],
                default_language=services.settings.default_language)


@router.get("/articles/{article_id}/revisions", response_class=HTMLResponse)
def revisions(services: ServicesDep, caller: EditorPage, article_id: str, a: str = "",
              b: str = "", done: str = "") -> HTMLResponse:
    """The history, and what changed between two revisions (by default the last two)."""
    article = services.cases.article(caller.actor, _id(article_id))
    history = services.cases.revisions(caller.actor, article.id)
    by_number = {r.revision: r for r in history}
    newest = history[-1].revision if history else article.revision
    new = by_number.get(_number(b) or newest) or history[-1]
    old = by_number.get(_number(a) or max(new.revision - 1, 1)) or history[0]
    return page(services, "revisions", caller, article.content.title, article=article,
                history=list(reversed(history)), old=old, new=new,
                changes=diff(old.content, new.content), done=_done(done))


@router.post("/articles/{article_id}/revisions/{revision}/restore",
             response_class=RedirectResponse)
def restore(services: ServicesDep, caller: EditorPage, article_id: str,
            revision: str) -> RedirectResponse:
    number = _id(article_id)
    services.cases.restore_revision(caller.actor, number, _id(revision, "revision"))
    return _see_other(f"{HOME}articles/{number}/revisions?done=restored")


@dataclass(frozen=True)
class Tried:
    outcome: Outcome
    stale: set[int] = field(default_factory=set)  # hits that are stale translations


@router.get("/try", response_class=HTMLResponse)
def try_it(services: ServicesDep, caller: EditorPage, q: str = "", language: str = "",
           channel: str = "chat") -> HTMLResponse:
    """What the responder would do with this question right now; nothing is recorded, no
    escalation is opened, nothing is sent."""
    channel = channel if channel in SUPPORTED_CHANNELS else "chat"
    language = language if language in SUPPORTED_LANGUAGES else ""
    tried, problem = None, ""
    if q.strip():
        try:
            outcome = services.responder.preview(Message(text=q, channel=channel,
                                                         language=language or None))
        except InvalidInput as exc:
            problem = exc.message
        else:
            tried = Tried(outcome, {h.article.id for h in outcome.hits if services.cases.versions(
                caller.actor, h.article.id).is_stale(h.article.id)})
    return page(services, "try", caller, _words(caller)["e_try"], q=q, asked_language=language,
                channel=channel, channels=SUPPORTED_CHANNELS, tried=tried, problem=problem,
                status_code=422 if problem else 200)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)

