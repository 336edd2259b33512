"""The event log for admins, and customers' "did this help?"."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from responder.api.auth import Admin, Public
from responder.api.deps import ServicesDep
from responder.api.params import MAX_ID, Since, Until
from responder.api.responses import errors
from responder.events import MAX_PAGE, Event, EventFilter
from responder.usecases import MAX_COMMENT

router = APIRouter(tags=["events"])


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer_id: str = Field(min_length=8, max_length=64,
                           description="The answer_id POST /answer returned.")
    helpful: bool
    article_id: int | None = Field(None, ge=1, le=MAX_ID, description=(
        "Which of the answer's matches the customer picked or means, if one."))
    comment: str = Field("", max_length=MAX_COMMENT)


class EventOut(BaseModel):
    id: int
    at: datetime
    actor: str
    actor_role: str | None
    via: str = Field(description="session, token, cli or public")
    kind: str
    subject: str | None
    subject_id: int | None
    data: dict[str, Any]

    @classmethod
    def of(cls, e: Event) -> EventOut:
        return cls(id=e.id, at=e.at, actor=e.actor, actor_role=e.actor_role, via=e.via,
                   kind=e.kind, subject=e.subject, subject_id=e.subject_id, data=e.data)


class FeedbackOut(BaseModel):
    recorded: bool = True


@router.post("/feedback", response_model=FeedbackOut, status_code=status.HTTP_201_CREATED,
             responses=errors(401, 404, 422, 429))
def feedback(services: ServicesDep, actor: Public, body: FeedbackIn) -> FeedbackOut:
    """Did this answer help? Recorded against the answer's event; public, rate-limited."""
    services.cases.feedback(actor, body.answer_id, body.helpful, article_id=body.article_id,
                            comment=body.comment)
    return FeedbackOut()


@router.get("/events", response_model=list[EventOut], responses=errors(401, 403, 422))
def list_events(
    services: ServicesDep, actor_: Admin,
    kind: Annotated[str | None, Query(max_length=48, description=(
        "answer, feedback, article.create, ...; a prefix ending in '.' (article.) takes "
        "them all."))] = None,
    actor: Annotated[str | None, Query(max_length=64, description="Who acted.")] = None,
    subject: Annotated[str | None, Query(max_length=32)] = None,
    subject_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    since: Since = None, until: Until = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID, description=(
        "An event id: the page before it (newest first)."))] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> list[EventOut]:
    """The audit and event log, newest first, with filters; page back with `before`."""
    found = services.cases.event_page(actor_, EventFilter(
        kind=kind, actor=actor, subject=subject, subject_id=subject_id, since=since,
        until=until), before=before, limit=limit)
    return [EventOut.of(e) for e in found]
