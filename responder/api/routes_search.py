"""Search for agents and help pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from responder.api.auth import Public
from responder.api.deps import ServicesDep
from responder.api.params import CategoryQuery
from responder.api.responses import errors
from responder.api.schemas import MAX_MESSAGE, MESSAGE_LIMIT, HitOut, SearchOut
from responder.index.retriever import Audience
from responder.kb.validation import MAX_LANGUAGE

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
    found = services.cases.search(actor, q, language, k=k, audience=audience,
                                  category=category)
    return SearchOut(query=found.query, language=found.language,
                     language_source=found.language_source,
                     hits=[HitOut.of(h) for h in found.hits])
