"""Receiving mail, in exactly one process per machine: a server with several workers has one
SMTP port and one IMAP mailbox, so the worker that holds a lock file beside the database
binds the port and polls the mailbox; the others stand by and take over within seconds if
that worker stops. Every worker processes the kept mail (responder/channels/mail_desk.py),
which claims rows with a lease.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from responder.channels.inbox import Inbox
from responder.channels.smtp_in import MailInHandler, SmtpServer
from responder.config import Settings

log = logging.getLogger(__name__)
STANDBY_SECONDS = 5.0
LOCK_FILE = ".mail-in.lock"


class Receiving(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


def receivers(settings: Settings, inbox: Inbox,
              on_accept: Callable[[], None]) -> list[Receiving]:
    """The configured ways in: the SMTP server, the IMAP poller, or both."""
    found: list[Receiving] = []
    if settings.mail_listen:
        handler = MailInHandler(inbox, addresses=set(settings.mail_addresses),
                                max_recipients=settings.mail_max_recipients,
                                on_accept=on_accept)
        found.append(SmtpServer(handler, settings.mail_listen,
                                max_bytes=settings.mail_max_bytes,
                                hostname=socket.getfqdn(), tls=(
                                    (settings.mail_tls_cert, settings.mail_tls_key)
                                    if settings.mail_tls_cert and settings.mail_tls_key
                                    else None)))
    if settings.imap_host:
        from responder.channels.imap_in import ImapPoller

        def kept(raw: bytes) -> None:
            if inbox.accept(raw, "imap")[1]:
                on_accept()

        found.append(ImapPoller(settings, kept))
    return found


class MailReceiver:
    def __init__(self, lock_path: Path, make: Callable[[], list[Receiving]]) -> None:
        self.lock_path = lock_path
        self.make = make
        self.running: list[Receiving] = []
        self._lock_fd: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-in", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def receiving(self) -> bool:
        return bool(self.running)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)
        self._release()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.running and self._take_lock():
                try:
                    self.running = []
                    for receiver in self.make():
                        receiver.start()
                        self.running.append(receiver)
                except Exception:  # e.g. the port is taken by another program
                    log.exception("could not start receiving mail; retrying")
                    self._release()
            self._stop.wait(STANDBY_SECONDS)

    def _take_lock(self) -> bool:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def _release(self) -> None:
        for receiver in reversed(self.running):
            try:
                receiver.stop()
            except Exception:
                log.exception("stopping a mail receiver failed")
        self.running = []
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None
