"""Sending the outbox through the operator's SMTP relay, on a background thread.

Each message has both MIME parts (the email template's plain text and HTML), a stable
Message-ID, In-Reply-To and References when it answers a customer's mail, a Re: subject, and
`Auto-Submitted: auto-replied` (RFC 3834), so that other robots do not answer it.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate

from responder.channels.outbox import Outbox, Queued
from responder.config import Settings

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def build_message(queued: Queued, sender: str) -> EmailMessage:
    mail = queued.mail
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = queued.message_id
    message["Auto-Submitted"] = "auto-replied"
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references or mail.in_reply_to:
        message["References"] = " ".join(
            dict.fromkeys([*mail.references, *([mail.in_reply_to] if mail.in_reply_to else [])]))
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


class Relay:
    """One delivery to the configured relay; raises on any refusal or network error."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        with self.session() as client:
            client.send_message(message)

    @contextmanager
    def session(self) -> Iterator[smtplib.SMTP]:
        """One connection, signed in, for a batch of messages."""
        s = self.settings
        assert s.smtp_host is not None
        if s.smtp_security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=30,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30)
        with client:
            if s.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if s.smtp_username and s.smtp_password is not None:
                client.login(s.smtp_username, s.smtp_password.get_secret_value())
            yield client


class OutboxWorker:
    def __init__(self, outbox: Outbox, relay: Relay, sender: str) -> None:
        self.outbox = outbox
        self.relay = relay
        self.sender = sender
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Something was queued: send it now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(30)

    def send_due(self) -> int:
        """Send what is due now, over one connection per batch; the number sent."""
        claimed = self.outbox.claim()
        settled: set[int] = set()
        sent = 0
        try:
            if claimed:
                with self.relay.session() as client:
                    for queued in claimed:
                        try:
                            client.send_message(build_message(queued, self.sender))
                        except (smtplib.SMTPResponseException,
                                smtplib.SMTPRecipientsRefused) as exc:  # this one refused
                            self._failed(queued, exc)
                            settled.add(queued.id)
                            client.rset()
                            continue
                        self.outbox.sent(queued.id)
                        settled.add(queued.id)
                        sent += 1
        except (OSError, smtplib.SMTPException) as exc:  # the relay is down or hung up
            for queued in claimed:
                if queued.id not in settled:
                    self._failed(queued, exc)
        return sent

    def _failed(self, queued: Queued, exc: Exception) -> None:
        log.warning("outbox %d to %s: %s; will retry", queued.id, queued.mail.to, exc)
        self.outbox.failed(queued.id, f"{type(exc).__name__}: {exc}")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                while self.send_due() and not self._stop.is_set():
                    pass
            except Exception:  # keep the worker alive; the rows stay queued
                log.exception("sending the outbox failed")
            self._wake.wait(POLL_SECONDS)
