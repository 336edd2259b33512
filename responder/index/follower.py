"""Keeps a long-running process's index in step with writes made by other processes.

A server runs one follower thread. It waits on the KB's watcher (PostgreSQL notifications or
a cheap SQLite revision poll, responder/kb/watch.py); when the KB has moved past the index it
tells the index (so searches catch up before they answer) and applies the change log itself,
usually before any search notices. It also saves the index to disk now and then, off the
request path.
"""

from __future__ import annotations

import logging
import threading
import time

from responder.index.search_index import SAVE_EVERY_SECONDS, SearchIndex
from responder.kb.watch import RevisionSource, Watcher

log = logging.getLogger(__name__)
JOIN_SECONDS = 10.0


class Follower:
    def __init__(self, index: SearchIndex, store: RevisionSource, url: str) -> None:
        self._index = index
        self._stop = threading.Event()
        self._watcher = Watcher(store, url, self._stop)
        self._thread = threading.Thread(target=self._run, name="kb-follower", daemon=True)
        self._last_save = time.monotonic()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(JOIN_SECONDS)
        self._watcher.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                revision = self._watcher.wait(1.0)
                if self._stop.is_set():
                    break
                if revision > self._index.revision:
                    self._index.note_revision(revision)
                    self._index.catch_up(revision, timeout=60.0)
                if time.monotonic() - self._last_save > SAVE_EVERY_SECONDS:
                    self._last_save = time.monotonic()
                    self._index.flush()
            except Exception:  # keep following: the next write or poll tries again
                log.exception("following the KB failed; retrying")
                self._stop.wait(1.0)
