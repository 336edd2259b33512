"""Outgoing mail, durably: a reply is first a row in the outbox, written in the same
transaction as what caused it, and only then sent, by a worker, with retries and back-off.

A crash or a relay outage loses nothing: the row stays until the relay has accepted the
message. SMTP cannot promise exactly-once (the relay may accept a message and the
connection drop before it says so), so a message is sent at least once and always with the
same Message-ID, by which mail systems and clients drop a duplicate. A row is claimed for a
lease before it is sent, so two workers (two server processes) never send it at once.
Failures are kept on the row (attempts, last error, next try) for staff to see; after
MAX_ATTEMPTS a row is marked failed and no longer retried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

from responder.kb import schema
from responder.kb.engine import write_transaction
from responder.kb.rows import aware_or_none

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    escalation_id: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    conversation_id: int | None = None  # the mail thread it answers (responder/channels/inbox)


@dataclass(frozen=True)
class Queued:
    id: int
    message_id: str
    mail: Mail
    status: str  # pending, sent, failed
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    sent_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC)


def enqueue(conn: Connection, mail: Mail, domain: str) -> int:
    """Queue `mail` in the caller's transaction; returns its row id."""
    now = _now()
    result = conn.execute(insert(schema.outbox).values(
        message_id="", to_address=one_line(mail.to), subject=one_line(mail.subject),
        text=mail.text, html=mail.html, in_reply_to=one_line(mail.in_reply_to or ""),
        references=" ".join(one_line(r) for r in mail.references),
        escalation_id=mail.escalation_id, conversation_id=mail.conversation_id,
        headers=json.dumps({k: one_line(v) for k, v in mail.headers.items()}),
        status="pending", attempts=0, last_error="", created_at=now, next_attempt_at=now))
    key = result.inserted_primary_key
    assert key is not None
    row_id = int(key[0])
    conn.execute(update(schema.outbox).where(schema.outbox.c.id == row_id).values(
        message_id=f"<outbox-{row_id}-{int(now.timestamp())}@{domain}>"))
    return row_id


def one_line(value: str) -> str:
    """A header value can never start a new header: whatever a customer put in a field
    (a name, a subject) loses its line breaks before it reaches a mail header."""
    return " ".join(value.split())


def backoff(attempts: int) -> timedelta:
    return min(LAST_RETRY, FIRST_RETRY * (2 ** max(0, attempts - 1)))


class Outbox:
    def __init__(self, engine: Engine, domain: str) -> None:
        self.engine = engine
        self.domain = domain

    def add(self, mail: Mail) -> int:
        with write_transaction(self.engine, kb_lock=False) as conn:
            return enqueue(conn, mail, self.domain)

    def claim(self, limit: int = 10) -> list[Queued]:
        """Rows due now, leased to the caller so no other worker takes them meanwhile."""
        table = schema.outbox
        now = _now()
        with write_transaction(self.engine, kb_lock=False) as conn:
            rows = conn.execute(select(table).where(
                table.c.status == "pending", table.c.next_attempt_at <= now)
                .order_by(table.c.id).limit(limit).with_for_update(skip_locked=True)).all()
            for row in rows:
                conn.execute(update(table).where(table.c.id == row.id).values(
                    next_attempt_at=now + LEASE))
        return [_queued(r) for r in rows]

    def sent(self, row_id: int) -> None:
        with write_transaction(self.engine, kb_lock=False) as conn:
            conn.execute(update(schema.outbox).where(schema.outbox.c.id == row_id).values(
                status="sent", sent_at=_now(), next_attempt_at=None))

    def failed(self, row_id: int, error: str) -> None:
        table = schema.outbox
        with write_transaction(self.engine, kb_lock=False) as conn:
            attempts = conn.execute(select(table.c.attempts).where(
                table.c.id == row_id)).scalar_one() + 1
            done = attempts >= MAX_ATTEMPTS
            conn.execute(update(table).where(table.c.id == row_id).values(
                attempts=attempts, last_error=error[:1000],
                status="failed" if done else "pending",
                next_attempt_at=None if done else _now() + backoff(attempts)))

    def rows(self, status: str | None = None, *, newest_first: bool = False,
             before: int | None = None, limit: int | None = None) -> list[Queued]:
        table = schema.outbox
        query = select(table).order_by(table.c.id.desc() if newest_first else table.c.id)
        if status:
            query = query.where(table.c.status == status)
        if before is not None:
            query = query.where(table.c.id < before)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [_queued(r) for r in conn.execute(query).all()]


def _queued(row: Row[Any]) -> Queued:
    mail = Mail(to=row.to_address, subject=row.subject, text=row.text, html=row.html,
                in_reply_to=row.in_reply_to or None,
                references=tuple(row.references.split()) if row.references else (),
                escalation_id=row.escalation_id, headers=json.loads(row.headers or "{}"),
                conversation_id=row.conversation_id)
    return Queued(row.id, row.message_id, mail, row.status, row.attempts, row.last_error,
                  aware_or_none(row.next_attempt_at), aware_or_none(row.sent_at))
