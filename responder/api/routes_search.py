"""Search for agents and help pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from responder.api.auth import Public
from responder.api.deps import ServicesDep
from responder.api.params import CategoryQuery
from responder.api.responses import errors
from responder.api.schemas import MAX_MESSAGE, MESSAGE_LIMIT, HitOut, SearchOut
from responder.auth.roles import Role
from responder.errors import Unauthorized
from responder.index.retriever import Audience
from responder.kb.validation import MAX_LANGUAGE, clean_text, normalise_language
from responder.language import detect_language

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, responses=errors(401, 403, 422, 429, 503))
def search(
    services: ServicesDep, actor: Public,
    q: Annotated[str, Query(min_length=1, max_length=MAX_MESSAGE,
                            description=f"The customer's question. {MESSAGE_LIMIT}")],
    language: Annotated[str | None, Query(
        max_length=MAX_LANGUAGE, description="Skip detection: en, da, nb, de, ru.")] = None,
    audience: Audience = Audience.CUSTOMER,
    category: CategoryQuery = None,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SearchOut:
    """Public for customers (published, public articles); audience=agent, which includes
    internal articles and drafts, needs the agent role."""
    if audience is Audience.AGENT:
        if actor is None:
            raise Unauthorized("audience=agent includes internal articles: sign in or send an "
                               "API token.", field="audience")
        actor.require(Role.AGENT)
    text = clean_text(q, "q", services.settings.max_text_chars)
    if language:
        lang, source = normalise_language(language), "given"
    else:
        detection = detect_language(text, default=services.settings.default_language)
        lang, source = detection.language, detection.source
    result = services.retriever.search(text, lang, k=k, audience=audience, category=category)
    return SearchOut(query=text, language=lang, language_source=source,
                     hits=[HitOut.of(h) for h in result.hits])
