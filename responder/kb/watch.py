"""Hearing about other processes' writes: PostgreSQL LISTEN/NOTIFY, or a cheap SQLite poll.

Every committed KB write bumps the KB revision (responder/kb/changelog.py). A watcher tells
its caller the newest revision it has heard of; the caller (the index follower) then catches
up by reading the change log. On PostgreSQL each write NOTIFYs on commit, so a second server
hears of it within milliseconds. A notification only says "look": the revision is then read
from this store (the channel is shared by every schema of the database), and it is re-read
every few seconds anyway in case a notification was lost with a dropped connection. SQLite has no notifications: reading one row
of `kb_meta` a few times a second costs microseconds.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

from responder.kb.changelog import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
POLL_SECONDS = 0.25  # SQLite: how often the revision is read
RECHECK_SECONDS = 5.0  # PostgreSQL: the revision is read this often besides notifications


class RevisionSource(Protocol):
    @property
    def notifies(self) -> bool: ...

    def revision(self) -> int: ...


class Watcher:
    """`wait(timeout)` returns the newest KB revision heard of, at the latest after
    `timeout` seconds (or at once when `stop` is set)."""

    def __init__(self, store: RevisionSource, url: str | None, stop: threading.Event) -> None:
        self._store = store
        self._url = url if store.notifies else None
        self._stop = stop
        self._listener: Any = None
        self._last_read = 0.0
        self._revision = 0

    def wait(self, timeout: float) -> int:
        if self._url is None:
            self._stop.wait(min(timeout, POLL_SECONDS))
            return self._store.revision()
        heard = self._listen(min(timeout, RECHECK_SECONDS))
        if heard or time.monotonic() - self._last_read >= RECHECK_SECONDS:
            self._last_read = time.monotonic()
            self._revision = self._store.revision()
        return self._revision

    def close(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            finally:
                self._listener = None

    def _listen(self, timeout: float) -> bool:
        """Whether a write was announced within `timeout`."""
        try:
            if self._listener is None:
                self._listener = _connect(self._url or "")
                return True  # writes made before LISTEN took effect: read the revision
            heard = False
            for _ in self._listener.notifies(timeout=timeout, stop_after=1):
                heard = True
            return heard
        except Exception as exc:  # a dropped connection: reconnect on the next call
            log.warning("listening for KB changes failed (%s); reconnecting", exc)
            self.close()
            self._stop.wait(min(timeout, 1.0))
            return True


def _connect(url: str) -> Any:
    import psycopg

    conn = psycopg.connect(_libpq_url(url), autocommit=True)
    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
    return conn


def _libpq_url(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url
