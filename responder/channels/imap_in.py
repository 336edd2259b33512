"""Mail in from an existing mailbox: poll it over IMAP for unseen mail, for shops whose
support address is a hosted mailbox rather than an MX we can point at our SMTP server.

The mailbox stays the record: a mail is flagged \\Seen only after `accept` returned, that is
after the mail was stored durably, so a mail whose `accept` raised (or that was fetched when
the process died) stays unseen and is fetched again by the next poll. A crash between
`accept` and the flag therefore delivers that mail twice; `accept` drops the second copy by its
Message-ID, so this side never has to be exactly-once. Mail staff flagged \\Deleted is left
alone, and nothing is ever expunged: the mailbox is shared with people.

imap-tools does the connection, login (STARTTLS, UTF-8 credentials), folder and search; the
UID FETCH and UID STORE are sent through its imaplib client because its own `fetch` keeps
only the parsed message (re-serialised, not byte-identical), pairs the items of a bulk fetch
two by two (wrong once the server interleaves an unsolicited FLAGS update: the body of one
mail then comes with the UID of another) and its `flag` expunges the folder.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterator

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError, UnexpectedCommandStatusError

from responder.config import Settings

log = logging.getLogger(__name__)

MAX_PER_POLL = 200
# One UID FETCH holds its whole answer in memory: a chunk is at most this many mails and,
# unless a single mail is larger, this many bytes.
CHUNK_MESSAGES = 20
CHUNK_BYTES = 8 * 1024 * 1024
MAX_BACKOFF_SECONDS = 600.0
# How long stop() lets a poll in progress finish before it cuts the connection.
STOP_GRACE_SECONDS = 2.0

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


class ImapError(Exception):
    """The mailbox refused something (login, folder, a command); the message says what."""


class ImapLoginError(ImapError):
    pass


def backoff_seconds(failures: int, poll_seconds: float) -> float:
    """The wait after this many failed polls in a row: doubling from the poll interval."""
    return min(MAX_BACKOFF_SECONDS, poll_seconds * 2 ** max(0, failures - 1))


class ImapPoller:
    """Fetches the folder's unseen mail and hands each one's raw bytes to `accept`."""

    def __init__(self, settings: Settings, accept: Callable[[bytes], object], *,
                 ssl_context: ssl.SSLContext | None = None, timeout: float = 30.0) -> None:
        if settings.imap_host is None:
            raise ValueError("IMAP polling is off: RESPONDER_IMAP_HOST is not set")
        if not settings.imap_username or settings.imap_password is None:
            raise ValueError("IMAP polling needs RESPONDER_IMAP_USERNAME and "
                             "RESPONDER_IMAP_PASSWORD")
        self.settings = settings
        self.accept = accept
        self.host: str = settings.imap_host
        # imaplib's own default context checks no certificate at all; this one does, against
        # the system's trust store unless the caller names its own CA.
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.timeout = timeout
        self.where = (f"{settings.imap_username}@{self.host}:{settings.imap_port}"
                      f"/{settings.imap_folder}")
        self._mailbox: BaseMailBox | None = None
        self._lock = threading.Lock()
        # UIDs whose accept raised: tried after the fresh mail, so that enough mails that
        # always fail cannot fill every poll and starve the rest.
        self._failed: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one poll -----------------------------------------------------------------------

    def poll_once(self) -> int:
        """Hand every unseen mail (up to MAX_PER_POLL, oldest first) to `accept`; the number
        accepted. Raises on network, TLS, login and server errors."""
        with self._lock:
            try:
                mailbox = self._session()
                return self._deliver(mailbox)
            except BaseException:
                self._disconnect()
                raise

    def _deliver(self, mailbox: BaseMailBox) -> int:
        client = mailbox.client
        unseen = sorted(int(uid) for uid in mailbox.uids("UNSEEN UNDELETED", charset=None))
        self._failed &= set(unseen)
        batch = ([uid for uid in unseen if uid not in self._failed]
                 + [uid for uid in unseen if uid in self._failed])[:MAX_PER_POLL]
        accepted = 0
        for chunk in _chunks(batch, self._sizes(client, batch)):
            done: list[int] = []
            for uid, raw in self._fetch(client, chunk):
                if self._stop.is_set():
                    break
                try:
                    self.accept(raw)
                except Exception:
                    self._failed.add(uid)
                    log.exception("IMAP %s: mail UID %d (%d bytes) was not taken; it stays "
                                  "unseen and is tried again next poll", self.where, uid,
                                  len(raw))
                    continue
                self._failed.discard(uid)
                done.append(uid)
            if done:
                _command(client.uid("STORE", _uid_set(done), "+FLAGS.SILENT", r"(\Seen)"),
                         "flagging accepted mail \\Seen")
            accepted += len(done)
            if self._stop.is_set():
                break
        return accepted

    def _sizes(self, client: imaplib.IMAP4, uids: list[int]) -> dict[int, int]:
        if not uids:
            return {}
        data = _command(client.uid("FETCH", _uid_set(uids), "(UID RFC822.SIZE)"),
                        "reading mail sizes")
        sizes: dict[int, int] = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if not isinstance(line, bytes):
                continue
            uid, size = _UID.search(line), _SIZE.search(line)
            if uid and size:
                sizes[int(uid.group(1))] = int(size.group(1))
        return sizes

    def _fetch(self, client: imaplib.IMAP4, uids: list[int]) -> Iterator[tuple[int, bytes]]:
        """(UID, raw RFC 822 bytes) of the mails asked for that still exist, in UID order."""
        data = _command(client.uid("FETCH", _uid_set(uids), "(UID BODY.PEEK[])"),
                        "fetching mail")
        wanted = set(uids)
        found: dict[int, bytes] = {}
        for index, item in enumerate(data):
            if not (isinstance(item, tuple) and len(item) == 2
                    and isinstance(item[0], bytes) and isinstance(item[1], bytes)):
                continue  # a closing ")" or an unsolicited update without a body
            head, raw = item
            match = _UID.search(head)
            if match is None and index + 1 < len(data):
                # Some servers send the UID after the literal: b' UID 7)'.
                tail = data[index + 1]
                if isinstance(tail, bytes) and not tail[:1].isdigit():
                    match = _UID.search(tail)
            if match is not None and int(match.group(1)) in wanted:
                found[int(match.group(1))] = raw
        for uid in sorted(found):
            yield uid, found[uid]

    # -- the connection -----------------------------------------------------------------

    def _session(self) -> BaseMailBox:
        """The open connection with the folder selected afresh, or a new one."""
        if self._mailbox is not None:
            try:
                # SELECT again also empties imaplib's store of untagged responses, which
                # otherwise grows with every update a long-open connection is told of.
                self._mailbox.folder.set(self.settings.imap_folder)
                return self._mailbox
            except (OSError, imaplib.IMAP4.error, UnexpectedCommandStatusError) as exc:
                log.debug("IMAP %s: the open connection failed (%s); reconnecting",
                          self.where, exc)
                self._disconnect()
        self._mailbox = self._connect()
        return self._mailbox

    def _connect(self) -> BaseMailBox:
        s = self.settings
        assert s.imap_password is not None
        mailbox: BaseMailBox
        if s.imap_security == "tls":
            mailbox = MailBox(self.host, s.imap_port, timeout=self.timeout,
                              ssl_context=self.ssl_context)
        elif s.imap_security == "starttls":
            mailbox = MailBoxStartTls(self.host, s.imap_port, timeout=self.timeout,
                                      ssl_context=self.ssl_context)
        else:
            mailbox = MailBoxUnencrypted(self.host, s.imap_port, timeout=self.timeout)
        username, password = s.imap_username, s.imap_password.get_secret_value()
        try:
            if username.isascii() and password.isascii():
                mailbox.login(username, password, initial_folder=None)
            else:  # LOGIN's quoted strings are ASCII; AUTHENTICATE PLAIN carries UTF-8
                mailbox.login_utf8(username, password, initial_folder=None)
        except (MailboxLoginError, imaplib.IMAP4.error) as exc:
            _close(mailbox)
            raise ImapLoginError(f"IMAP login as {username!r} at {self.host}:{s.imap_port} "
                                 f"refused: {_server_text(exc)}") from None
        try:
            mailbox.folder.set(s.imap_folder)
        except UnexpectedCommandStatusError as exc:
            _close(mailbox)
            raise ImapError(f"IMAP folder {s.imap_folder!r} at {self.host} cannot be "
                            f"selected: {_server_text(exc)}") from None
        except BaseException:
            _close(mailbox)
            raise
        return mailbox

    def _disconnect(self) -> None:
        mailbox, self._mailbox = self._mailbox, None
        if mailbox is not None:
            _close(mailbox)

    def close(self) -> None:
        """Log out of the mailbox, if connected (the thread does it itself on stop)."""
        with self._lock:
            self._disconnect()

    # -- the thread ---------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="imap-in", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is None or not thread.is_alive():
            self.close()
            return
        thread.join(STOP_GRACE_SECONDS)
        if thread.is_alive():
            # Still waiting on the server: cutting the socket ends the wait at once; what was
            # accepted but not flagged yet comes again next time (and is dropped as a copy).
            mailbox = self._mailbox
            if mailbox is not None:
                # The plain socket's shutdown, also under TLS: SSLSocket.shutdown would drop
                # the TLS state the polling thread is reading through.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(mailbox.client.sock, socket.SHUT_RDWR)
            thread.join(self.timeout)

    def _run(self) -> None:
        failures = 0
        try:
            while not self._stop.is_set():
                try:
                    self.poll_once()
                except Exception as exc:
                    failures += 1
                    delay = backoff_seconds(failures, self.settings.imap_poll_seconds)
                    log.warning("IMAP %s: poll failed (%s: %s); next try in %.0f s",
                                self.where, type(exc).__name__, exc, delay)
                else:
                    if failures:
                        log.info("IMAP %s: polling again after %d failed tries",
                                 self.where, failures)
                    failures = 0
                    delay = self.settings.imap_poll_seconds
                self._stop.wait(delay)
        finally:
            self.close()


def _command(result: tuple[str, list[object]], doing: str) -> list[object]:
    status, data = result
    if status != "OK":
        raise ImapError(f"IMAP server refused {doing}: {status} {_decode(data)}")
    return data


def _uid_set(uids: list[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def _chunks(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, CHUNK_BYTES)
        if chunk and (len(chunk) >= CHUNK_MESSAGES or total + size > CHUNK_BYTES):
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += size
    if chunk:
        yield chunk


def _server_text(exc: Exception) -> str:
    if isinstance(exc, UnexpectedCommandStatusError):
        return _decode(exc.command_result[1])
    return str(exc)


def _decode(data: object) -> str:
    items = data if isinstance(data, list | tuple) else [data]
    return " ".join(item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
                    for item in items if item is not None)


def _close(mailbox: BaseMailBox) -> None:
    try:
        mailbox.logout()
    except Exception:  # already gone: closing the socket is all that is left to do
        with contextlib.suppress(Exception):
            mailbox.client.shutdown()
