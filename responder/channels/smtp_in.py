"""The SMTP server customers' mail arrives at (an MX, or a mailbox's forward), on aiosmtpd.

It says 250 only once the mail is stored in the inbox, so the sending server keeps (and
retries) anything we could not store; it refuses at the protocol level what it will never
take: a mail over the size limit (552, aiosmtpd's data_size_limit), more recipients than
allowed (452), a recipient that is not ours (550) when our addresses are configured. It
adds the envelope sender as Return-Path, as a delivering MTA does, so a bounce (MAIL FROM
<>) is recognised as one.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from responder.channels.inbox import Inbox

log = logging.getLogger(__name__)


class MailInHandler:
    def __init__(self, inbox: Inbox, *, addresses: set[str], max_recipients: int,
                 on_accept: Callable[[], None] | None = None) -> None:
        self.inbox = inbox
        self.addresses = {a.lower() for a in addresses}
        self.max_recipients = max_recipients
        self.on_accept = on_accept

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if len(envelope.rcpt_tos) >= self.max_recipients:
            return f"452 4.5.3 Too many recipients (at most {self.max_recipients})"
        if self.addresses and address.lower() not in self.addresses:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        sender = (envelope.mail_from or "").strip("<>")
        raw = f"Return-Path: <{sender}>\r\n".encode("ascii", "replace") + content
        try:
            row_id, new = await asyncio.get_running_loop().run_in_executor(
                None, self.inbox.accept, raw, "smtp")
        except Exception:
            log.exception("could not store an incoming mail; the sender will retry")
            return "451 4.3.0 Could not store the message now; try again later"
        if new and self.on_accept is not None:
            self.on_accept()
        return f"250 2.0.0 Queued as {row_id}"


def parse_listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host, int(port)


class SmtpServer:
    """aiosmtpd's threaded controller, with our limits."""

    def __init__(self, handler: MailInHandler, listen: str, *, max_bytes: int,
                 hostname: str, tls: tuple[Path, Path] | None = None) -> None:
        host, port = parse_listen(listen)
        context = None
        if tls is not None:  # offered, not required: senders that cannot still deliver
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
        self.controller = Controller(
            handler, hostname=host, port=port, server_hostname=hostname,
            data_size_limit=max_bytes, decode_data=False, enable_SMTPUTF8=True,
            ident="kb-responder", tls_context=context)
        self.address = (host, port)

    def start(self) -> None:
        self.controller.start()
        log.info("receiving mail over SMTP on %s:%d", *self.address)

    def stop(self) -> None:
        self.controller.stop()
