"""Answer a customer's message; search for agents; lint text for editors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query

from responder.agents import AgentFilters, Source
from responder.api.deps import ServicesDep
from responder.api.schemas_answer import (
    AgentHitOut,
    AgentSearchOut,
    AnswerIn,
    AnswerOut,
    LintIn,
    LintOut,
)
from responder.kb.validation import clean_text, normalise_language
from responder.language import detect_language, preferred_language
from responder.lint import lint_article, lint_text
from responder.pipeline import Message

router = APIRouter(tags=["answer"])


@router.post("/answer", response_model=AnswerOut)
def answer(
    services: ServicesDep, body: AnswerIn,
    accept_language: Annotated[str | None, Header()] = None,
) -> AnswerOut:
    """Decide (answer, answer and offer a human, or hand off) and render the channel reply.
    A hand-off opens an escalation routed by the escalation matrix."""
    outcome = services.responder.respond(Message(
        text=body.text, channel=body.channel,
        language=body.language or preferred_language(accept_language),
        customer_name=body.customer_name, customer_email=body.customer_email,
    ))
    return AnswerOut.of(outcome)


@router.get("/agent/search", response_model=AgentSearchOut, tags=["agents"])
def agent_search(
    services: ServicesDep,
    q: Annotated[str, Query(description="The ticket's text or the agent's search words.")],
    language: Annotated[str | None, Query(description="en, da, nb, de, ru.")] = None,
    category: str | None = None,
    source: Annotated[Source, Query(description="kb: all articles; resolution: only those "
                                                "taught by a resolved escalation.")] = Source.KB,
    since: datetime | None = None,
    until: datetime | None = None,
    customer_name: str = "",
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> AgentSearchOut:
    text = clean_text(q, "q", services.settings.max_text_chars)
    lang = normalise_language(language) if language else detect_language(
        text, default=services.settings.default_language).language
    found = services.agents.search(
        text, lang, k=k, customer_name=clean_text(customer_name, "customer_name", 200,
                                                  required=False),
        filters=AgentFilters(category=category, source=source, since=since, until=until),
    )
    return AgentSearchOut(query=text, language=lang,
                          hits=[AgentHitOut.of_agent(f) for f in found])


@router.post("/lint", response_model=LintOut, tags=["editors"])
def lint(body: LintIn) -> LintOut:
    """Flag phrases the domain says to avoid ("calm down", "that's not our policy", …)."""
    return LintOut.of(lint_text(clean_text(body.text, "text", 100_000),
                                normalise_language(body.language)))


@router.get("/articles/{article_id}/lint", response_model=LintOut, tags=["editors"])
def lint_stored_article(services: ServicesDep, article_id: int) -> LintOut:
    return LintOut.of(lint_article(services.store.get_article(article_id).content))
