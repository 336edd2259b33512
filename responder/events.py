"""The event log: who did what, when, and the facts needed later. Append-only.

A use case (responder/usecases.py) describes its event as an `EventDraft`; the store writes
it in the same transaction as the change (`record(conn, ...)`), so a change without its
event, or an event for a change that was rolled back, cannot exist. Answers and searches,
which change nothing else, are events on their own. Each event has an unguessable public id:
an answer's is what the customer's "did this help?" refers to.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select

from responder.auth.roles import Actor
from responder.errors import NotFound
from responder.kb import schema
from responder.kb.engine import write_transaction
from responder.kb.rows import aware

ANONYMOUS = "anonymous"
MAX_PAGE = 500


@dataclass(frozen=True)
class EventDraft:
    kind: str  # e.g. answer, article.create, escalation.resolve, user.create, feedback
    actor: Actor | None  # None: an anonymous customer
    data: dict[str, Any] = field(default_factory=dict)
    subject: str | None = None  # article, escalation, user, token, event
    subject_id: int | None = None
    # Chosen before the event is written, so a caller can refer to an event that another
    # layer writes inside its own transaction (an answer that opens an escalation).
    public_id: str = field(default_factory=lambda: secrets.token_urlsafe(18))

    def about(self, subject_id: int) -> EventDraft:
        """The draft for a subject known only inside the write (a new row's id); facts that
        name the subject's id and left it open get it too."""
        data = self.data
        key = f"{self.subject}_id"
        if key in data and data[key] is None:
            data = {**data, key: subject_id}
        return replace(self, subject_id=subject_id, data=data)


@dataclass(frozen=True)
class Event:
    id: int
    public_id: str
    at: datetime
    actor: str
    actor_role: str | None
    via: str
    kind: str
    subject: str | None
    subject_id: int | None
    data: dict[str, Any]


def record(conn: Connection, draft: EventDraft) -> Event:
    """Insert the event in the caller's transaction."""
    actor = draft.actor
    values = {
        "public_id": draft.public_id, "at": datetime.now(UTC),
        "actor": actor.name if actor else ANONYMOUS,
        "actor_role": actor.role.value if actor else None,
        "via": actor.via if actor else "public",
        "kind": draft.kind, "subject": draft.subject, "subject_id": draft.subject_id,
        "data": json.dumps(draft.data, ensure_ascii=False, default=str),
    }
    result = conn.execute(insert(schema.events).values(**values))
    key = result.inserted_primary_key
    assert key is not None
    return Event(id=int(key[0]), **{**values, "data": draft.data})  # type: ignore[arg-type]


def maybe_record(conn: Connection, draft: EventDraft | None, subject_id: int) -> None:
    if draft is not None:
        record(conn, draft.about(subject_id) if draft.subject_id is None else draft)


@dataclass(frozen=True)
class EventFilter:
    kind: str | None = None  # exact, or a prefix ending in "." (article.)
    actor: str | None = None
    subject: str | None = None
    subject_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


class EventLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, draft: EventDraft) -> Event:
        """An event that is the whole change (an answer, a search, feedback)."""
        with write_transaction(self.engine, kb_lock=False) as conn:
            return record(conn, draft)

    def by_public_id(self, public_id: str) -> Event:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.events).where(
                schema.events.c.public_id == public_id)).first()
        if row is None:
            raise NotFound("No answer with that id.", field="answer_id")
        return _event(row)

    def page(self, where: EventFilter, *, before: int | None = None,
             limit: int = 100) -> list[Event]:
        """Newest first; `before` an event id to page back from."""
        table = schema.events
        query = select(table).order_by(table.c.id.desc()).limit(min(limit, MAX_PAGE))
        if before is not None:
            query = query.where(table.c.id < before)
        if where.kind:
            query = query.where(table.c.kind.startswith(where.kind) if where.kind.endswith(".")
                                else table.c.kind == where.kind)
        if where.actor:
            query = query.where(table.c.actor == where.actor)
        if where.subject:
            query = query.where(table.c.subject == where.subject)
        if where.subject_id is not None:
            query = query.where(table.c.subject_id == where.subject_id)
        if where.since:
            query = query.where(table.c.at >= where.since)
        if where.until:
            query = query.where(table.c.at < where.until)
        with self.engine.connect() as conn:
            return [_event(r) for r in conn.execute(query).all()]


def _event(row: Row[Any]) -> Event:
    return Event(row.id, row.public_id, aware(row.at), row.actor, row.actor_role, row.via, row.kind,
                 row.subject, row.subject_id, json.loads(row.data))
