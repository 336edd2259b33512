"""Customers' mail, durably: a mail is a row here before the SMTP server says 250 or the
IMAP poller flags it seen, so a crash loses none; then a worker claims it for a lease and
records what became of it (answered, handed off, a follow-up on an escalation, skipped with
the reason, or failed after retries).

The same mail arriving twice (an SMTP client that retries after a lost 250, an IMAP message
fetched again before it was flagged) is kept once: rows are unique by Message-ID, or by a
hash of the bytes for a mail without one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from responder.kb import schema
from responder.kb.engine import write_transaction
from responder.kb.rows import aware_or_none
from responder.models import EscalationStatus

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=2)
RETRY = timedelta(seconds=30)
THREAD_FALLBACK_DAYS = 30
MAX_REFERENCES = 10  # the thread's first mail and the latest ones (RFC 5322 3.6.4)
DONE = ("answered", "handed_off", "follow_up", "skipped", "failed")


@dataclass(frozen=True)
class Received:
    """A claimed mail, to be processed."""

    id: int
    raw: bytes
    source: str
    received_at: datetime
    attempts: int
    answer_id: str  # the public id its answer event gets (chosen once, kept across retries)
    about: dict[str, Any] = field(default_factory=dict)  # sender, subject...: kept with it


@dataclass(frozen=True)
class InboxEntry:
    """What staff see of a received mail."""

    id: int
    message_id: str
    source: str
    received_at: datetime
    status: str
    reason: str
    sender: str
    subject: str
    size: int
    attachments: int
    attempts: int
    conversation_id: int | None
    escalation_id: int | None
    outbox_id: int | None
    processed_at: datetime | None


@dataclass(frozen=True)
class Thread:
    """Where a reply goes so that the customer's client shows one conversation."""

    message_id: str
    references: tuple[str, ...]
    subject: str
    conversation_id: int


def _now() -> datetime:
    return datetime.now(UTC)


def message_id_of(raw: bytes) -> str:
    """The Message-ID header as written, "" when missing or absurd (headers only: cheap)."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
        value = " ".join(str(headers.get("Message-ID", "")).split())
    except Exception:  # any bytes may arrive; a hash stands in
        return ""
    return value if 3 <= len(value) <= 250 else ""


def dedupe_key(raw: bytes) -> str:
    message_id = message_id_of(raw)
    return f"id:{message_id}" if message_id else f"sha256:{hashlib.sha256(raw).hexdigest()}"


class Inbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def accept(self, raw: bytes, source: str) -> tuple[int, bool]:
        """Keep a mail; (its row id, whether it is new). Returns only once it is stored."""
        key = dedupe_key(raw)
        now = _now()
        try:
            with write_transaction(self.engine, kb_lock=False) as conn:
                result = conn.execute(insert(schema.mail_inbox).values(
                    dedupe_key=key, message_id=message_id_of(raw), raw=raw, size=len(raw),
                    source=source, received_at=now, status="pending", reason="", sender="",
                    subject="", thread_subject="", answer_id="", attachments=0, attempts=0))
                primary = result.inserted_primary_key
                assert primary is not None
                return int(primary[0]), True
        except IntegrityError:
            with self.engine.connect() as conn:
                existing = conn.execute(select(schema.mail_inbox.c.id).where(
                    schema.mail_inbox.c.dedupe_key == key)).scalar_one()
            return int(existing), False

    def claim(self, limit: int = 10) -> list[Received]:
        """Mails due for processing, leased to the caller so no other worker takes them."""
        table = schema.mail_inbox
        now = _now()
        with write_transaction(self.engine, kb_lock=False) as conn:
            found = conn.execute(select(table).where(
                table.c.status == "pending",
                or_(table.c.lease_until.is_(None), table.c.lease_until <= now))
                .order_by(table.c.id).limit(limit).with_for_update(skip_locked=True)).all()
            claimed = []
            for row in found:
                answer_id = row.answer_id or secrets.token_urlsafe(18)
                conn.execute(update(table).where(table.c.id == row.id).values(
                    lease_until=now + LEASE, attempts=row.attempts + 1, answer_id=answer_id))
                claimed.append(Received(row.id, bytes(row.raw), row.source,
                                        aware_or_none(row.received_at) or now,
                                        row.attempts + 1, answer_id))
        return claimed

    def retry_later(self, row_id: int, attempts: int, error: str, **about: Any) -> None:
        """Processing failed: try again after a while, or give up and say why."""
        table = schema.mail_inbox
        done = attempts >= MAX_ATTEMPTS
        with write_transaction(self.engine, kb_lock=False) as conn:
            conn.execute(update(table).where(table.c.id == row_id).values(
                status="failed" if done else "pending", reason=error[:1000],
                lease_until=None if done else _now() + RETRY * attempts,
                processed_at=_now() if done else None, **about))

    @staticmethod
    def finish(conn: Connection, row_id: int, status: str, **values: Any) -> None:
        """Record the outcome, in the caller's transaction (with the reply it queued)."""
        assert status in DONE
        conn.execute(update(schema.mail_inbox).where(schema.mail_inbox.c.id == row_id).values(
            status=status, lease_until=None, processed_at=_now(), **values))

    # -- threads -------------------------------------------------------------------------------
    def conversation_of(self, ids: Sequence[str], sender: str, thread_subject: str, *,
                        is_reply: bool, before_id: int) -> int | None:
        """The conversation a mail continues: by the ids it refers to (ours or the
        customer's earlier ones); failing that, for a reply whose client dropped those
        headers, the latest conversation with the same sender and subject."""
        inbox, outbox = schema.mail_inbox, schema.outbox
        with self.engine.connect() as conn:
            if ids:
                found = conn.execute(select(inbox.c.conversation_id).where(
                    inbox.c.message_id.in_(list(ids)), inbox.c.conversation_id.is_not(None),
                    inbox.c.id != before_id).order_by(inbox.c.id.desc()).limit(1)).scalar()
                if found is None:
                    found = conn.execute(select(outbox.c.conversation_id).where(
                        outbox.c.message_id.in_(list(ids)),
                        outbox.c.conversation_id.is_not(None))
                        .order_by(outbox.c.id.desc()).limit(1)).scalar()
                if found is not None:
                    return int(found)
            if not (is_reply and sender and thread_subject):
                return None
            since = _now() - timedelta(days=THREAD_FALLBACK_DAYS)
            found = conn.execute(select(inbox.c.conversation_id).where(
                inbox.c.sender == sender, inbox.c.thread_subject == thread_subject,
                inbox.c.received_at >= since, inbox.c.conversation_id.is_not(None),
                inbox.c.id != before_id).order_by(inbox.c.id.desc()).limit(1)).scalar()
            return int(found) if found is not None else None

    def earlier_mails(self, conversation_id: int, before_id: int, limit: int) -> list[bytes]:
        """The last `limit` mails of the conversation received before this one, oldest
        first, as received."""
        table = schema.mail_inbox
        with self.engine.connect() as conn:
            rows = conn.execute(select(table.c.raw).where(
                table.c.conversation_id == conversation_id, table.c.id < before_id)
                .order_by(table.c.id.desc()).limit(limit)).scalars().all()
        return [bytes(raw) for raw in reversed(rows)]

    def open_escalation_in(self, conversation_id: int) -> int | None:
        """The escalation a person is working on in this conversation, if any."""
        inbox, escalations = schema.mail_inbox, schema.escalations
        with self.engine.connect() as conn:
            found = conn.execute(select(escalations.c.id).join(
                inbox, inbox.c.escalation_id == escalations.c.id).where(
                inbox.c.conversation_id == conversation_id,
                escalations.c.status == EscalationStatus.OPEN.value)
                .order_by(escalations.c.id.desc()).limit(1)).scalar()
        return int(found) if found is not None else None

    def replies_since(self, sender: str, since: datetime) -> int:
        """Automatic replies this sender got since then (answers and hand-off notices)."""
        table = schema.mail_inbox
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(
                table.c.sender == sender, table.c.processed_at >= since,
                table.c.outbox_id.is_not(None))).scalar_one())

    def thread_of_escalation(self, escalation_id: int) -> Thread | None:
        """Where a person's answer to an escalation goes: under the customer's latest mail
        of its conversation, referring to the whole thread (even when a client dropped
        the headers on the way), so their client shows one conversation."""
        inbox, outbox = schema.mail_inbox, schema.outbox
        with self.engine.connect() as conn:
            row = conn.execute(select(inbox.c.subject, inbox.c.conversation_id).where(
                inbox.c.escalation_id == escalation_id).order_by(inbox.c.id).limit(1)).first()
            if row is None or row.conversation_id is None:
                return None
            theirs = conn.execute(select(inbox.c.message_id, inbox.c.raw).where(
                inbox.c.conversation_id == row.conversation_id, inbox.c.message_id != "")
                .order_by(inbox.c.id)).all()
            ours = conn.execute(select(outbox.c.message_id).where(
                outbox.c.conversation_id == row.conversation_id).order_by(outbox.c.id)).all()
        if not theirs:
            return None
        chain = [*_references(bytes(theirs[-1].raw)), *(r.message_id for r in theirs),
                 *(r.message_id for r in ours)]
        ids = list(dict.fromkeys(i for i in chain if i))
        ids.remove(theirs[-1].message_id)
        ids.append(theirs[-1].message_id)  # the mail answered comes last
        references = (ids[:1] + ids[1:][-(MAX_REFERENCES - 1):]) if ids else []
        return Thread(theirs[-1].message_id, tuple(references), row.subject,
                      int(row.conversation_id))

    def entries(self, status: str | None = None, *, limit: int = 100,
                before: int | None = None) -> list[InboxEntry]:
        table = schema.mail_inbox
        query = select(*[c for c in table.c if c.name not in ("raw", "dedupe_key",
                                                                "thread_subject",
                                                                "answer_id", "lease_until")])
        if status:
            query = query.where(table.c.status == status)
        if before is not None:
            query = query.where(table.c.id < before)
        with self.engine.connect() as conn:
            found = conn.execute(query.order_by(table.c.id.desc()).limit(limit)).all()
        return [_entry(r) for r in found]


def _references(raw: bytes) -> tuple[str, ...]:
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
    except Exception:
        return ()
    ids = str(headers.get("References", "")).split() + str(headers.get("Message-ID", "")).split()
    return tuple(dict.fromkeys(i for i in ids if i.startswith("<") and i.endswith(">")))


def _entry(row: Row[Any]) -> InboxEntry:
    return InboxEntry(
        id=row.id, message_id=row.message_id, source=row.source,
        received_at=aware_or_none(row.received_at) or _now(), status=row.status,
        reason=row.reason, sender=row.sender, subject=row.subject, size=row.size,
        attachments=row.attachments, attempts=row.attempts,
        conversation_id=row.conversation_id, escalation_id=row.escalation_id,
        outbox_id=row.outbox_id, processed_at=aware_or_none(row.processed_at))
