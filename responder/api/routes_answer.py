"""Answer a customer's message; search for agents; lint text for editors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request

from responder.agents import AgentFilters, Source
from responder.api.auth import Agent, Public, hand_off_limit
from responder.api.deps import ServicesDep
from responder.api.params import ArticleId, CategoryQuery, LanguageQuery, Since, Until
from responder.api.responses import errors
from responder.api.schemas import MAX_MESSAGE, MESSAGE_LIMIT
from responder.api.schemas_answer import (
    MAX_LINT,
    AgentHitOut,
    AgentSearchOut,
    AnswerIn,
    AnswerOut,
    LintIn,
    LintOut,
)
from responder.kb.validation import MAX_NAME, clean_text, normalise_language
from responder.language import preferred_language
from responder.lint import lint_article, lint_text
from responder.pipeline import Message

router = APIRouter(tags=["answer"])
MAX_ACCEPT_LANGUAGE = 1000


@router.post("/answer", response_model=AnswerOut, responses=errors(401, 422, 429, 503))
def answer(
    services: ServicesDep, actor: Public, request: Request, body: AnswerIn,
    accept_language: Annotated[str | None, Header(max_length=MAX_ACCEPT_LANGUAGE)] = None,
) -> AnswerOut:
    """Decide (answer, answer and offer a human, or hand off) and render the channel reply.
    A hand-off opens an escalation routed by the escalation matrix. Public; an anonymous
    caller's hand-offs are limited per address (RESPONDER_ANONYMOUS_HANDOFFS_PER_HOUR)."""
    answered = services.cases.answer(actor, Message(
        text=body.text, channel=body.channel,
        language=body.language or preferred_language(accept_language),
        customer_name=body.customer_name, customer_email=body.customer_email,
        earlier=tuple(body.earlier),
    ), before_hand_off=hand_off_limit(request, services, actor))
    return AnswerOut.of(answered.outcome, answered.event.public_id)


@router.get("/agent/search", response_model=AgentSearchOut, tags=["agents"],
            responses=errors(401, 403, 422, 503))
def agent_search(
    services: ServicesDep, actor: Agent,
    q: Annotated[str, Query(min_length=1, max_length=MAX_MESSAGE, description=(
        f"The ticket's text or the agent's search words. {MESSAGE_LIMIT}"))],
    language: LanguageQuery = None,
    category: CategoryQuery = None,
    source: Annotated[Source, Query(description="kb: all articles; resolution: only those "
                                                "taught by a resolved escalation.")] = Source.KB,
    since: Since = None,
    until: Until = None,
    customer_name: Annotated[str, Query(max_length=MAX_NAME,
                                        description="Greets the customer in the replies.")] = "",
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> AgentSearchOut:
    text, lang, found = services.cases.agent_search(
        actor, q, language, k=k, customer_name=customer_name,
        filters=AgentFilters(category=category, source=source, since=since, until=until))
    return AgentSearchOut(query=text, language=lang,
                          hits=[AgentHitOut.of_agent(f) for f in found])


@router.post("/lint", response_model=LintOut, tags=["editors"],
             responses=errors(401, 403, 422))
def lint(_actor: Agent, body: LintIn) -> LintOut:
    """Flag phrases the domain says to avoid ("calm down", "that's not our policy", …)."""
    return LintOut.of(lint_text(clean_text(body.text, "text", MAX_LINT),
                                normalise_language(body.language)))


@router.get("/articles/{article_id}/lint", response_model=LintOut, tags=["editors"],
            responses=errors(401, 403, 404, 422))
def lint_stored_article(services: ServicesDep, actor: Agent, article_id: ArticleId) -> LintOut:
    return LintOut.of(lint_article(services.cases.article(actor, article_id).content))
