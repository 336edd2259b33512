"""The public help centre: server-rendered pages, usable without JavaScript.

/help/{language}/ lists the topics and the most asked articles; /categories/{category} the
articles of one topic; /articles/{slug} one article (the short answer, the options as steps,
the full answer), in the language asked for or, saying so, in another; /search?q= answers a
question with the same matcher and calibrated confidence as POST /api/v1/answer: one answer
when it is confident, "is it one of these?" when it is middling, and a way to a person
instead of a guess when nothing matches well. Only published, public articles are shown.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Query
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from responder.api.auth import Public
from responder.api.deps import ServicesDep
from responder.api.schemas import MAX_MESSAGE
from responder.config import SUPPORTED_LANGUAGES
from responder.errors import NotFound
from responder.index.retriever import Audience
from responder.kb.validation import MAX_CATEGORY
from responder.language import preferred_language
from responder.models import Article, Hit
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
                  alternates={v.language: url.format(v.language) for v in versions},
                  languages=[(v.language, LANGUAGE_NAMES.get(v.language, v.language),
                              url.format(v.language)) for v in versions])


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
                  hits=found.hits, band=band_of(found.hits), search_id=found.event_id)


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
        "search_id": None})
    return HTMLResponse(html)
