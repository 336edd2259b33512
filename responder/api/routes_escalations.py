"""Escalations: open, list, resolve (which writes what was learnt into the KB)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from responder.api.auth import Agent
from responder.api.deps import ServicesDep
from responder.api.params import EscalationId
from responder.api.responses import errors
from responder.api.schemas import ArticleOut, EscalationCreate, EscalationOut, ResolutionIn
from responder.kb.validation import MAX_CATEGORY
from responder.models import EscalationInput, EscalationStatus

router = APIRouter(prefix="/escalations", tags=["escalations"])


@router.get("", response_model=list[EscalationOut], responses=errors(401, 403, 422))
def list_escalations(
    services: ServicesDep, actor: Agent, status: EscalationStatus | None = None,
    queue: Annotated[str | None, Query(max_length=MAX_CATEGORY,
                                       description="Only this queue (e.g. tier2).")] = None,
    order: Annotated[Literal["id", "due"], Query(
        description="due: the soonest SLA first (what a team lead works through).")] = "id",
) -> list[EscalationOut]:
    found = services.cases.escalations(actor, status, queue=queue, by_due=order == "due")
    return [EscalationOut.of(e) for e in found]


@router.post("", response_model=EscalationOut, status_code=status.HTTP_201_CREATED,
             responses=errors(401, 403, 422))
def open_escalation(services: ServicesDep, actor: Agent, body: EscalationCreate) -> EscalationOut:
    escalation = services.cases.open_escalation(actor, EscalationInput(
        message=body.message, channel=body.channel, language=body.language or "",
        category=body.category,
        reason=body.reason, customer_name=body.customer_name,
        customer_email=body.customer_email))
    return EscalationOut.of(escalation)


@router.get("/{escalation_id}", response_model=EscalationOut,
            responses=errors(401, 403, 404, 422))
def get_escalation(services: ServicesDep, actor: Agent,
                   escalation_id: EscalationId) -> EscalationOut:
    return EscalationOut.of(services.cases.escalation(actor, escalation_id))


class ResolvedOut(EscalationOut):
    article: ArticleOut


@router.post("/{escalation_id}/resolve", response_model=ResolvedOut,
             responses=errors(401, 403, 404, 409, 422, 503))
def resolve(services: ServicesDep, actor: Agent, escalation_id: EscalationId,
            body: ResolutionIn) -> ResolvedOut:
    escalation, article = services.cases.resolve_escalation(
        actor, escalation_id, body.resolution, article_id=body.article_id,
        new_article=body.new_article.model_dump() if body.new_article else None)
    return ResolvedOut(**EscalationOut.of(escalation).model_dump(), article=ArticleOut.of(article))
