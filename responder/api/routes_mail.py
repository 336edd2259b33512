"""What the mail channel did, for staff: customers' mail as it arrived and what became of
it (answered, handed off, a follow-up, skipped with the reason, failed), and the replies in
the outbox with the relay's last error when sending fails."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from responder.api.auth import Agent
from responder.api.deps import ServicesDep
from responder.api.params import MAX_ID
from responder.api.responses import errors
from responder.channels.inbox import InboxEntry
from responder.channels.outbox import Queued

router = APIRouter(prefix="/mail", tags=["mail"])
MAX_PAGE = 500
Before = Annotated[int | None, Query(ge=1, le=MAX_ID, description=(
    "A row id: the page before it (newest first)."))]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]


class InboxOut(BaseModel):
    id: int
    message_id: str
    source: str = Field(description="smtp or imap")
    received_at: datetime
    status: str = Field(description="pending, answered, handed_off, follow_up, skipped or "
                                    "failed")
    reason: str = Field(description="Why it was skipped or failed; the escalation a "
                                    "follow-up joined.")
    sender: str
    subject: str
    size: int
    attachments: int
    attempts: int
    conversation_id: int | None
    escalation_id: int | None
    outbox_id: int | None = Field(description="The reply it got, in the outbox.")
    processed_at: datetime | None

    @classmethod
    def of(cls, e: InboxEntry) -> InboxOut:
        return cls(**e.__dict__)


class OutboxOut(BaseModel):
    id: int
    message_id: str
    to: str
    subject: str
    in_reply_to: str | None
    escalation_id: int | None
    conversation_id: int | None
    status: str = Field(description="pending, sent or failed (given up after retries)")
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    sent_at: datetime | None

    @classmethod
    def of(cls, q: Queued) -> OutboxOut:
        return cls(id=q.id, message_id=q.message_id, to=q.mail.to, subject=q.mail.subject,
                   in_reply_to=q.mail.in_reply_to, escalation_id=q.mail.escalation_id,
                   conversation_id=q.mail.conversation_id, status=q.status,
                   attempts=q.attempts, last_error=q.last_error,
                   next_attempt_at=q.next_attempt_at, sent_at=q.sent_at)


@router.get("/inbox", response_model=list[InboxOut], responses=errors(401, 403, 422))
def inbox(services: ServicesDep, actor: Agent,
          status: Annotated[Literal["pending", "answered", "handed_off", "follow_up",
                                    "skipped", "failed"] | None, Query()] = None,
          before: Before = None, limit: Limit = 100) -> list[InboxOut]:
    """Customers' mail, newest first, and what became of each."""
    return [InboxOut.of(e) for e in services.cases.mail_inbox(
        actor, status, before=before, limit=limit)]


@router.get("/outbox", response_model=list[OutboxOut], responses=errors(401, 403, 422))
def outbox(services: ServicesDep, actor: Agent,
           status: Annotated[Literal["pending", "sent", "failed"] | None, Query()] = None,
           before: Before = None, limit: Limit = 100) -> list[OutboxOut]:
    """Replies by mail, newest first: `status=failed` lists those the relay never took, with
    its last error; pending ones show their attempts and next try."""
    return [OutboxOut.of(q) for q in services.cases.mail_outbox(
        actor, status, before=before, limit=limit)]
