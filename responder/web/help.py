"""The public help centre: server-rendered pages, usable without JavaScript.

/help/{language}/ lists the topics and the most asked articles; /categories/{category} the
articles of one topic; /articles/{slug} one article (the short answer, the options as steps,
the full answer), in the language asked for or, saying so, in another; /search?q= answers a
question with the same matcher and calibrated confidence as POST /api/v1/answer: one answer
when it is confident, "is it one of these?" when it is middling, and a way to a person
instead of a guess when nothing matches well. Only published, public articles are shown.

/contact is the way to a person from there (a search with no confident match, an article
that did not help): a plain form answered exactly as the widget's POST /api/v1/contact
answers, so the customer gets the answer on the spot or an honest hand-off with its reference
and the time by which a person replies.
"""

from __future__ import annotations

import hmac
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Header, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from responder.api.auth import Public, cross_site, hand_off_limit
from responder.api.deps import ServicesDep
from responder.api.routes_widget import (
    MAX_FORM_AGE_SECONDS,
    check_form_token,
    sign_form_token,
)
from responder.api.schemas import MAX_MESSAGE
from responder.auth.keys import secret_key
from responder.config import SUPPORTED_LANGUAGES
from responder.errors import Forbidden, InvalidInput, NotFound
from responder.index.retriever import Audience
from responder.kb.validation import (
    MAX_CATEGORY,
    MAX_EMAIL,
    MAX_NAME,
    clean_email,
    clean_line,
    clean_text,
)
from responder.language import preferred_language
from responder.models import Article, Hit
from responder.pipeline import Message
from responder.render import LOCALES
from responder.usecases import Answered
from responder.web.wording import LANGUAGE_NAMES, WORDS
from responder.wiring import Services

router = APIRouter(prefix="/help", include_in_schema=False)

# The escalation matrix's bands on the calibrated confidence: at or above CONFIDENT the
# responder answers; below MIDDLING it hands off rather than guess.
CONFIDENT = 0.8
MIDDLING = 0.45
MOST_ASKED = 5
MAX_SLUG = 120


def page_language(language: str) -> str:
    code = language.lower()
    if code not in SUPPORTED_LANGUAGES:
        raise NotFound(f"The help centre is not available in {language!r}.", field="language")
    return code


def render(services: Services, name: str, language: str, title: str, *,
           alternates: dict[str, str] | None = None, query: str = "",
           languages: list[tuple[str, str, str]] | None = None,
           status_code: int = 200, **variables: Any) -> HTMLResponse:
    settings = services.settings
    html = services.responder.renderer.page(f"web/help/{name}.html.j2", {
        "brand": settings.brand, "contact": settings.contact, "w": WORDS[language],
        "language": language, "title": title, "alternates": alternates or {},
        "query": query, "languages": languages if languages is not None else [
            (code, LANGUAGE_NAMES[code], f"/help/{code}/") for code in SUPPORTED_LANGUAGES],
        **variables,
    })
    return HTMLResponse(html, status_code=status_code)


def error_page(services: Services, path: str, status: int, message: str) -> HTMLResponse:
    parts = path.strip("/").split("/")
    language = parts[1] if len(parts) > 1 and parts[1] in SUPPORTED_LANGUAGES else \
        services.settings.default_language
    words = WORDS[language]
    title = words["not_found"] if status == 404 else words["error"]
    return render(services, "error", language, title, status_code=status,
                  message=words["not_found_text"] if status == 404 else message)


@router.get("", response_class=RedirectResponse)
@router.get("/", response_class=RedirectResponse)
def help_root(services: ServicesDep, _actor: Public,
              accept_language: Annotated[str | None, Header(max_length=1000)] = None
              ) -> RedirectResponse:
    language = preferred_language(accept_language) or services.settings.default_language
    return RedirectResponse(f"/help/{language}/", status_code=307)


@router.get("/{language}/", response_class=HTMLResponse)
def start(services: ServicesDep, _actor: Public, language: str) -> HTMLResponse:
    code = page_language(language)
    articles = services.cases.public_articles(code)
    categories = sorted(Counter(a.content.category for a in articles).items())
    return render(services, "start", code, WORDS[code]["help_centre"],
                  categories=categories, most_asked=_most_asked(services, articles),
                  alternates={c: f"/help/{c}/" for c in SUPPORTED_LANGUAGES})


def _most_asked(services: Services, articles: list[Article]) -> list[Article]:
    """The articles with the most example questions: every resolved escalation adds one, so
    it is how often customers have asked, as far as the KB knows."""
    asked = {a.id: len(services.store.questions(a.id)) for a in articles}
    ranked = sorted(articles, key=lambda a: (-asked[a.id], a.content.title))
    return [a for a in ranked if asked[a.id]][:MOST_ASKED]


@router.get("/{language}/categories/{category}", response_class=HTMLResponse)
def category(services: ServicesDep, _actor: Public, language: str, category: str
             ) -> HTMLResponse:
    code = page_language(language)
    articles = services.cases.public_articles(code, category[:MAX_CATEGORY])
    if not articles:
        raise NotFound(f"No topic {category!r}.", field="category")
    title = category.replace("-", " ").capitalize()
    return render(services, "category", code, title, articles=articles)


ASSETS = Path(__file__).with_name("assets")


@router.get("/assets/help.js")
def script(_actor: Public) -> FileResponse:
    """The little script that searches as the customer types (the pages work without it)."""
    return FileResponse(ASSETS / "help.js", media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=3600"})


@router.get("/{language}/articles/{slug}", response_class=HTMLResponse)
def article(services: ServicesDep, actor: Public, language: str, slug: str,
            feedback: Annotated[str | None, Query(max_length=3)] = None,
            picked: Annotated[str | None, Query(max_length=64, description=(
                "The search this article was chosen from, among 'is it one of these?'."))]
            = None) -> HTMLResponse:
    code = page_language(language)
    shown = services.cases.public_article(slug[:MAX_SLUG], code)
    if picked:
        services.cases.pick(actor, picked, shown)
    return _article_page(services, code, shown, feedback if feedback in ("yes", "no") else None)


def _article_page(services: Services, code: str, shown: Article,
                  feedback: str | None) -> HTMLResponse:
    versions = services.cases.public_versions(shown.content.slug)
    url = f"/help/{{}}/articles/{shown.content.slug}"
    words = WORDS[code]
    note = None
    if shown.language != code:
        note = words["fallback"].format(wanted=LANGUAGE_NAMES[code],
                                        shown=LANGUAGE_NAMES.get(shown.language, shown.language))
    paragraphs = [p.strip() for p in shown.content.body.split("\n\n") if p.strip()]
    return render(services, "article", code, shown.content.title, article=shown,
                  paragraphs=paragraphs, fallback_note=note, feedback=feedback,
                  stale=_stale_note(services, shown, versions, words),
                  alternates={v.language: url.format(v.language) for v in versions},
                  languages=[(v.language, LANGUAGE_NAMES.get(v.language, v.language),
                              url.format(v.language)) for v in versions])


def _stale_note(services: Services, shown: Article, public: list[Article],
                words: dict[str, str]) -> tuple[str, str, str] | None:
    """(the note, the link's words, its address) when the version shown is a translation
    older than its source and the source can be read here; the responder never answers
    from such a version, and the page says so rather than hide it."""
    fresh = services.cases.public_freshness(shown.content.slug)
    source = fresh.source
    if not fresh.is_stale(shown.id) or source is None:
        return None
    if all(v.id != source.article.id for v in public):
        return None
    names = {code: LANGUAGE_NAMES.get(code, code) for code in (shown.language,
                                                               source.article.language)}
    wanted = {"shown": names[shown.language], "source": names[source.article.language]}
    return (words["stale"].format(**wanted), words["read_source"].format(**wanted),
            f"/help/{source.article.language}/articles/{shown.content.slug}")


@router.post("/{language}/articles/{slug}/feedback", response_class=RedirectResponse)
def article_feedback(services: ServicesDep, actor: Public, language: str, slug: str,
                     helpful: Annotated[str, Form(max_length=3)]) -> RedirectResponse:
    """Did this help? A plain form post; the page comes back saying thanks (post, then
    redirect, so a reload does not post again)."""
    code = page_language(language)
    shown = services.cases.public_article(slug[:MAX_SLUG], code)
    answer = "yes" if helpful == "yes" else "no"
    services.cases.article_feedback(actor, shown, answer == "yes")
    return RedirectResponse(f"/help/{code}/articles/{shown.content.slug}?feedback={answer}"
                            "#helped", status_code=303)


@router.get("/{language}/search", response_class=HTMLResponse)
def search(services: ServicesDep, actor: Public, language: str,
           q: Annotated[str, Query(max_length=MAX_MESSAGE)] = "") -> HTMLResponse:
    code = page_language(language)
    words = WORDS[code]
    if not q.strip():
        return render(services, "search", code, words["results"], hits=[], band=None,
                      search_id=None)
    found = services.cases.search(actor, q, code, k=5, audience=Audience.CUSTOMER,
                                  category=None)
    return render(services, "search", code, words["results"], query=found.query,
                  hits=found.hits, band=band_of(found.hits), search_id=found.event_id,
                  stale=stale_ids(services, found.hits))


def stale_ids(services: Services, hits: list[Hit]) -> set[int]:
    """The hits that are translations older than their source: marked, as on their page."""
    return {hit.article.id for hit in hits if services.cases.stale_source(hit.article)}


def band_of(hits: list[Hit]) -> str:
    best = hits[0].score if hits else 0.0
    return "confident" if best >= CONFIDENT else "middling" if best >= MIDDLING else "none"


@router.get("/{language}/suggest", response_class=HTMLResponse)
def suggest(services: ServicesDep, actor: Public, language: str,
            q: Annotated[str, Query(max_length=MAX_MESSAGE)] = "") -> HTMLResponse:
    """The results while the customer types: the same bands as the search page, as a part
    of a page for the script to show. Not recorded: only a submitted search is."""
    code = page_language(language)
    if len(q.strip()) < 3:
        return HTMLResponse("")
    found = services.cases.search(actor, q, code, k=5, audience=Audience.CUSTOMER,
                                  category=None, record=False)
    html = services.responder.renderer.page("web/help/results.html.j2", {
        "w": WORDS[code], "language": code, "contact": services.settings.contact,
        "query": found.query, "hits": found.hits, "band": band_of(found.hits),
        "search_id": None, "stale": stale_ids(services, found.hits)})
    return HTMLResponse(html)


# -- the contact form ---------------------------------------------------------------------------
# An anonymous public form has no session and so no CSRF token. What protects it is the signed,
# time-stamped form token of the widget's API (nobody else can make one; each must be at least
# MIN_FILL_SECONDS old, so a script pays that wait per message on top of the per-address rate
# limit) and the refusal of a post whose Origin or Referer names another site.
TOKEN = re.compile(r"[0-9]{1,12}\.[0-9a-f]{32}")
FRESH_TOKEN_NEEDED = frozenset({"token_forged", "token_old"})


@dataclass(frozen=True)
class ContactForm:
    """What the customer typed, kept when the form comes back with a problem."""

    message: str = ""
    customer_name: str = ""
    customer_email: str = ""
    article: str = ""  # the slug of the article that did not help, when they came from one
    form_token: str = ""


def new_form_token(services: Services) -> str:
    return sign_form_token(secret_key(services.settings), int(time.time()))


@router.get("/{language}/contact", response_class=HTMLResponse)
def contact_form(services: ServicesDep, _actor: Public, language: str,
                 q: Annotated[str, Query(max_length=MAX_MESSAGE)] = "",
                 article: Annotated[str, Query(max_length=MAX_SLUG)] = "") -> HTMLResponse:
    """The form, with the question already filled in from the search or the article."""
    code = page_language(language)
    return _contact_page(services, code, ContactForm(
        message=q, article=article, form_token=new_form_token(services)))


@router.post("/{language}/contact", response_class=HTMLResponse)
def contact(services: ServicesDep, actor: Public, request: Request, language: str,
            message: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
            customer_name: Annotated[str, Form(max_length=MAX_NAME)] = "",
            customer_email: Annotated[str, Form(max_length=MAX_EMAIL)] = "",
            form_token: Annotated[str, Form(max_length=80)] = "",
            article: Annotated[str, Form(max_length=MAX_SLUG)] = "",
            website: Annotated[str, Form(max_length=200)] = "") -> HTMLResponse:
    """The form sent: answered like the widget's contact form (channel "chat", the same
    anonymous hand-off limit), or the form again, fields kept, saying what to fix (422)."""
    code = page_language(language)
    refuse_other_sites(request)
    # Browsers send a textarea's line breaks as CRLF; count them as the customer sees them.
    sent = ContactForm(message.replace("\r\n", "\n"), customer_name, customer_email, article,
                       form_token)
    problems = field_problems(services, code, sent)
    token = token_problem(secret_key(services.settings), form_token, time.time())
    if token:
        problems["form"] = WORDS[code][token]
    if token in FRESH_TOKEN_NEEDED:  # one sent too soon becomes good by itself in a moment
        sent = replace(sent, form_token=new_form_token(services))
    # The honeypot is refused, not answered with a pretended success: a person whose browser
    # or assistive tool filled the hidden field would otherwise lose their message without a
    # word. The form comes back with the field empty, so such a person only sends it again;
    # a bot learns no more than the widget's API already tells it (it refuses too).
    if website:
        problems.setdefault("form", WORDS[code]["honeypot_filled"])
    if problems:
        return _contact_page(services, code, sent, problems, status_code=422)
    answered = services.cases.contact(actor, Message(
        text=sent.message, channel="chat", language=code, customer_name=sent.customer_name,
        customer_email=sent.customer_email,
        not_these=(sent.article,) if sent.article else (),
    ), before_hand_off=hand_off_limit(request, services, actor))
    return _result_page(services, code, answered)


def refuse_other_sites(request: Request) -> None:
    problem = cross_site(request)
    if problem:
        raise Forbidden(problem)


def field_problems(services: Services, code: str, sent: ContactForm) -> dict[str, str]:
    """What to fix, in the page's words, by the id of its field ("form" is the form as a
    whole). The checks are the pipeline's own cleaners; their messages are English."""
    words, limit = WORDS[code], services.settings.max_text_chars
    problems: dict[str, str] = {}
    text = sent.message.strip()
    if not text:
        problems["message"] = words["message_empty"]
    elif len(text) > limit:
        problems["message"] = words["message_long"].format(limit=limit)
    elif not _clean(clean_text, text, "text", limit):
        problems["message"] = words["message_unreadable"]
    if not _clean(clean_line, sent.customer_name, "customer_name", MAX_NAME, required=False):
        problems["customer_name"] = words["name_invalid"].format(limit=MAX_NAME)
    if not _clean(clean_email, sent.customer_email):
        problems["customer_email"] = words["email_invalid"]
    return problems


def _clean(cleaner: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
    try:
        cleaner(*args, **kwargs)
    except InvalidInput:
        return False
    return True


def token_problem(key: bytes, token: str, now: float) -> str | None:
    """Which of the form token's checks failed, as a wording key. check_form_token decides;
    this only tells its three refusals apart, for the page's own words."""
    if not TOKEN.fullmatch(token):
        return "token_forged"
    try:
        check_form_token(key, token, now)
    except InvalidInput:
        issued = int(token.partition(".")[0])
        if not hmac.compare_digest(sign_form_token(key, issued), token):
            return "token_forged"
        return "token_old" if now - issued > MAX_FORM_AGE_SECONDS else "token_fast"
    return None


def _contact_page(services: Services, code: str, form: ContactForm,
                  problems: dict[str, str] | None = None, *,
                  status_code: int = 200) -> HTMLResponse:
    about = _public_article_or_none(services, form.article, code)
    query = urlencode({k: v for k, v in (("q", form.message), ("article", form.article)) if v})
    urls = {c: f"/help/{c}/contact" + (f"?{query}" if query else "") for c in SUPPORTED_LANGUAGES}
    return render(services, "contact", code, WORDS[code]["contact_title"], alternates=urls,
                  languages=[(c, LANGUAGE_NAMES[c], url) for c, url in urls.items()],
                  form=form, problems=problems or {}, about=about,
                  max_text=services.settings.max_text_chars,
                  mail_out=services.outbox is not None, status_code=status_code)


def _public_article_or_none(services: Services, slug: str, code: str) -> Article | None:
    """The article the customer came from, named on the form; a stale or made-up slug in
    the link just names none."""
    if not slug:
        return None
    try:
        return services.cases.public_article(slug[:MAX_SLUG], code)
    except NotFound:
        return None


def _result_page(services: Services, code: str, answered: Answered) -> HTMLResponse:
    outcome = answered.outcome
    context = outcome.context
    handoff = context.handoff if context else None
    shown = outcome.message
    words = WORDS[code]
    return render(services, "contact-result", code,
                  words["handoff_title"] if handoff else words["answer_title"],
                  reply=outcome.reply, lines=outcome.reply.text.splitlines(),
                  handoff=handoff, answered_with=context.article if context else None,
                  answer_id=answered.event.public_id, message=shown.text,
                  emailed_to=shown.customer_email if services.outbox is not None else "",
                  locale=LOCALES[code])


@router.post("/{language}/contact/feedback", response_class=RedirectResponse)
def contact_feedback(services: ServicesDep, actor: Public, request: Request, language: str,
                     answer: Annotated[str, Form(max_length=64)],
                     helpful: Annotated[str, Form(max_length=3)]) -> RedirectResponse:
    """Did the answer to the contact form help? Recorded on the answer, as POST
    /api/v1/feedback records the widget's; post, then redirect, so a reload does not post."""
    code = page_language(language)
    refuse_other_sites(request)
    answer_helped = helpful == "yes"
    services.cases.feedback(actor, answer, answer_helped)
    return RedirectResponse(f"/help/{code}/contact/feedback?helped="
                            f"{'yes' if answer_helped else 'no'}", status_code=303)


@router.get("/{language}/contact/feedback", response_class=HTMLResponse)
def contact_feedback_page(services: ServicesDep, _actor: Public, language: str,
                          helped: Annotated[str, Query(max_length=3)] = "") -> HTMLResponse:
    """Thanks, or (it did not help) the ways to reach a person directly."""
    code = page_language(language)
    return render(services, "contact-feedback", code, WORDS[code]["did_it_help"],
                  helped=helped == "yes")
