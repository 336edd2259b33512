"""The mail pipeline: what becomes of each customer's mail the SMTP server or the IMAP poller
kept in the inbox.

In order: mail that must not be answered (robots, bounces, absences, lists, ourselves:
responder/channels/loops.py) is skipped with its reason; a mail that continues a
conversation a person has in hand is added to that escalation and not answered again; a
sender who has had the day's automatic replies gets no more; everything else goes through
the responder exactly as the API's answer does, and the reply (an answer, or a hand-off
notice with its reference and SLA) is queued in the outbox in the customer's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from responder.channels.inbox import Inbox, Received
from responder.channels.loops import reason_not_to_reply
from responder.channels.mail_parse import (
    ParsedMail,
    normalized_subject,
    parse_mail,
    reply_subject,
)
from responder.channels.outbox import Mail, enqueue, one_line
from responder.errors import InvalidInput, NotFound
from responder.kb.engine import write_transaction
from responder.language import EARLIER_MESSAGES
from responder.models import RenderedReply
from responder.pipeline import Message, Outcome
from responder.usecases import UseCases

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
DAY = timedelta(hours=24)


@dataclass(frozen=True)
class Settled:
    status: str  # answered, handed_off, follow_up, skipped
    reason: str = ""


def about(parsed: ParsedMail) -> dict[str, Any]:
    """What staff see of a mail in the inbox listing, whatever became of it."""
    return {"sender": parsed.sender[:320], "subject": one_line(parsed.subject)[:1000],
            "thread_subject": normalized_subject(parsed.subject)[:255],
            "attachments": parsed.attachments}


def is_reply(subject: str) -> bool:
    return normalized_subject(subject) != " ".join(subject.split()).casefold()


def question_of(parsed: ParsedMail, max_chars: int) -> str:
    """What is matched: the new words, after the subject when the subject is the customer's
    own (a first mail) rather than a "Re:" of ours."""
    body = parsed.text.strip()
    subject = parsed.subject.strip()
    if subject and not is_reply(subject) and subject.casefold() not in body.casefold():
        body = f"{subject}\n\n{body}" if body else subject
    return body[:max_chars]


class MailDesk:
    def __init__(self, inbox: Inbox, cases: UseCases, *, own_addresses: set[str],
                 replies_per_day: int, domain: str, max_text_chars: int) -> None:
        self.inbox = inbox
        self.cases = cases
        self.own = {a.lower() for a in own_addresses}
        self.replies_per_day = replies_per_day
        self.domain = domain
        self.max_text_chars = max_text_chars
        self._sender_locks = [threading.Lock() for _ in range(64)]

    def process_due(self, limit: int = 4) -> int:
        """Process what is waiting now; how many were settled."""
        settled = 0
        for item in self.inbox.claim(limit):
            try:
                self.process(item)
                settled += 1
            except Exception as exc:  # kept, retried later, and shown to staff if it persists
                log.exception("mail %d: processing failed (attempt %d)", item.id, item.attempts)
                self.inbox.retry_later(item.id, item.attempts, f"{type(exc).__name__}: {exc}",
                                       **about(parse_mail(item.raw)))
        return settled

    def process(self, item: Received) -> Settled:
        parsed = parse_mail(item.raw)
        item = replace(item, about=about(parsed))
        # One sender's mails one at a time (in this process): the day's reply count and the
        # conversation a mail continues are read, then acted on.
        with self._sender_locks[hash(parsed.sender) % len(self._sender_locks)]:
            return self._settle(item, parsed)

    def _settle(self, item: Received, parsed: ParsedMail) -> Settled:
        reason = reason_not_to_reply(parsed.message, self.own)
        if reason is not None:
            return self._skip(item, reason)
        conversation = self.inbox.conversation_of(
            [i for i in (parsed.in_reply_to, *parsed.references) if i], parsed.sender,
            normalized_subject(parsed.subject)[:255], is_reply=is_reply(parsed.subject),
            before_id=item.id) or item.id
        question = question_of(parsed, self.max_text_chars)
        if not question.strip():
            return self._skip(item, "no text to answer (empty, or only quoted history)",
                              conversation)
        if conversation != item.id:
            escalation_id = self.inbox.open_escalation_in(conversation)
            if escalation_id is not None:
                return self._follow_up(item, escalation_id, question, conversation)
        sent = self.inbox.replies_since(parsed.sender, datetime.now(UTC) - DAY)
        if sent >= self.replies_per_day:
            return self._skip(item, f"{parsed.sender} has had {sent} automatic replies in "
                              f"24 hours (the limit is {self.replies_per_day})", conversation)
        try:
            return self._answer(item, parsed, question, conversation)
        except InvalidInput as exc:  # e.g. a sender address the responder cannot use
            return self._skip(item, f"cannot be answered: {exc}", conversation)

    # -- outcomes --------------------------------------------------------------------------
    def _skip(self, item: Received, reason: str, conversation: int | None = None) -> Settled:
        log.info("mail %d: not answered: %s", item.id, reason)
        with self._transaction() as conn:
            self.inbox.finish(conn, item.id, "skipped", reason=reason[:1000],
                              conversation_id=conversation, **item.about)
        return Settled("skipped", reason)

    def _follow_up(self, item: Received, escalation_id: int, text: str,
                   conversation: int) -> Settled:
        self.cases.follow_up(escalation_id, text, channel="email", also=lambda conn: (
            self.inbox.finish(conn, item.id, "follow_up", conversation_id=conversation,
                              escalation_id=escalation_id,
                              reason=f"added to escalation #{escalation_id}", **item.about)))
        return Settled("follow_up", f"escalation #{escalation_id}")

    def _answer(self, item: Received, parsed: ParsedMail, question: str,
                conversation: int) -> Settled:
        try:
            earlier = self.cases.events.by_public_id(item.answer_id)
        except NotFound:
            earlier = None
        if earlier is not None and earlier.subject == "escalation" and earlier.subject_id:
            # A retry after a crash between the escalation and the reply: send the notice.
            escalation = self.cases.store.get_escalation(earlier.subject_id)
            reply = self.cases.responder.renderer.render(
                self.cases.responder.handoff_context(escalation, "email"))
            with self._transaction() as conn:
                self._queue(conn, item, parsed, reply, escalation.id, conversation)
            return Settled("handed_off")

        def then(conn: Connection, outcome: Outcome) -> None:
            escalation_id = outcome.escalation.id if outcome.escalation else None
            self._queue(conn, item, parsed, outcome.reply, escalation_id, conversation)

        answered = self.cases.answer(None, Message(
            text=question, channel="email", customer_name=parsed.sender_name,
            customer_email=parsed.sender, earlier=self._earlier(item, conversation)),
            public_id=item.answer_id, then=then)
        return Settled("handed_off" if answered.outcome.escalation else "answered")

    def _earlier(self, item: Received, conversation: int) -> tuple[str, ...]:
        """The customer's earlier questions in this conversation: they settle the language
        when a short reply leaves it open ("Hvor er pakken?" is Danish and Norwegian)."""
        if conversation == item.id:
            return ()
        raws = self.inbox.earlier_mails(conversation, item.id, EARLIER_MESSAGES)
        return tuple(question_of(parse_mail(raw), self.max_text_chars) for raw in raws)

    def _queue(self, conn: Connection, item: Received, parsed: ParsedMail,
               reply: RenderedReply, escalation_id: int | None, conversation: int) -> None:
        references = tuple(dict.fromkeys(
            [*parsed.references, *([parsed.message_id] if parsed.message_id else [])]))
        subject = reply_subject(parsed.subject) if parsed.subject.strip() else (
            reply.subject or "")
        outbox_id = enqueue(conn, Mail(
            to=parsed.sender, subject=subject, text=reply.text, html=reply.html,
            in_reply_to=parsed.message_id, references=references,
            escalation_id=escalation_id, conversation_id=conversation), self.domain)
        self.inbox.finish(conn, item.id, "handed_off" if escalation_id else "answered",
                          conversation_id=conversation, escalation_id=escalation_id,
                          outbox_id=outbox_id, **item.about)

    def _transaction(self) -> AbstractContextManager[Connection]:
        return write_transaction(self.inbox.engine, kb_lock=False)


class MailDeskWorker:
    """Processes the inbox in the background; `wake` after a mail is kept skips the wait, and
    `after` is told when replies were queued (the outbox's sender wakes)."""

    def __init__(self, desk: MailDesk, after: Callable[[], None] | None = None, *,
                 threads: int = 1) -> None:
        self.desk = desk
        self.after = after
        self._stop = threading.Event()
        self._wake = threading.Event()
        # Several answer at once (the model runs outside the GIL); rows are leased, so two
        # threads never take the same mail.
        self._threads = [threading.Thread(target=self._run, name=f"mail-desk-{n}", daemon=True)
                         for n in range(threads)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(30)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                while self.desk.process_due() and not self._stop.is_set():
                    if self.after is not None:
                        self.after()
            except Exception:  # keep the worker alive; the rows stay pending
                log.exception("processing the mail inbox failed")
            self._wake.wait(POLL_SECONDS)
