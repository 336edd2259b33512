"""Keeps the article head in step with the KB by retraining it in the background.

A write must be matchable at once, and training takes seconds on a large KB, so writes never
wait for it: they bump the index generation and wake this thread. Until the new head is
published the retriever keeps using the previous one for the articles it knows, and falls
back to retrieval alone for a query whose candidates include an article it has never seen.

A burst of writes (an import, a benchmark's ingest) should cost one fit, not one per write:
the thread waits until writes have paused for QUIET_SECONDS, but never more than
MAX_DELAY_SECONDS after the first unlearnt write. Writes logged as part of a bulk operation
(`KnowledgeBase.bulk()`, in this process or another) wait for the operation's end, or for
BULK_QUIET_SECONDS without any write should it never come. `wait()` skips the pause.
`close()` abandons a fit in progress and joins the thread, so no process exits with torch
still working in the background.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import torch

from responder.index import article_head
from responder.index.article_head import ArticleHead, TrainingSet, TrainingStopped, train
from responder.index.background import lower_this_thread

log = logging.getLogger(__name__)
QUIET_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0
BULK_QUIET_SECONDS = 15.0
JOIN_SECONDS = 30.0


class HeadKeeper:
    def __init__(
        self, snapshot: Callable[[], TrainingSet], *, weight_decay: float, max_iter: int,
        path: Path | None = None,
    ) -> None:
        self._snapshot = snapshot
        self._path = path
        self._weight_decay = weight_decay
        self._max_iter = max_iter
        self._head: ArticleHead | None = None
        self._wanted = -1  # the newest generation a head has been asked for
        self._done = -1  # the generation of the last finished attempt (head or no head)
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._hurry = False
        self._last_change = 0.0
        self._pending_since: float | None = None
        self._bulk_only = False  # every pending change is part of an unfinished bulk write

    @property
    def head(self) -> ArticleHead | None:
        return self._head

    def changed(self, generation: int, *, bulk: bool = False) -> None:
        """The KB is now at `generation`: train a head for it (coalescing bursts of writes)."""
        with self._condition:
            self._wanted = max(self._wanted, generation)
            self._last_change = time.monotonic()
            if self._pending_since is None:
                self._pending_since = self._last_change
                self._bulk_only = bulk
            else:
                self._bulk_only = self._bulk_only and bulk
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, name="article-head",
                                                daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the head reflects the newest change; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            if self._done < self._wanted:
                self._hurry = True
                self._condition.notify_all()

            while self._done < self._wanted and not self._closed:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._condition.wait(left)
            return self._done >= self._wanted

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(JOIN_SECONDS)
            if thread.is_alive():
                log.warning("the article head's training did not stop within %.0f s",
                            JOIN_SECONDS)

    def _run(self) -> None:
        # A fit is background work: one thread, at low priority. With torch's default of a
        # thread per core, its OpenMP workers (which the nice value does not reach) spun at
        # full priority during every fit and stalled answers for a second or more.
        torch.set_num_threads(1)
        lower_this_thread()
        while True:
            with self._condition:
                while self._done >= self._wanted and not self._closed:
                    self._condition.wait()
                self._wait_for_pause()
                if self._closed:
                    return
                self._hurry = False
                self._pending_since = None
            self._train_once()

    def _wait_for_pause(self) -> None:
        """Called holding the condition. A keeper without a head yet (a fresh start) does not
        wait: the saved head, if it fits, makes the first attempt cheap."""
        starting = self._head is None and self._path is not None and self._path.exists()
        while (not self._closed and not self._hurry and not starting
               and self._pending_since is not None):
            now = time.monotonic()
            if self._bulk_only:
                left = self._last_change + BULK_QUIET_SECONDS - now
            else:
                left = min(self._last_change + QUIET_SECONDS - now,
                           self._pending_since + MAX_DELAY_SECONDS - now)
            if left <= 0:
                return
            self._condition.wait(left)

    def _train_once(self) -> None:
        data = None
        try:
            data = self._snapshot()
            if len(set(data.labels)) < 2:  # nothing to tell apart: retrieval alone
                self._head = None
            else:
                self._head = self._fit(data)
        except TrainingStopped:
            return
        except Exception:  # a failed fit must not stop matching: the old head stays
            log.exception("training the article head failed; keeping the previous one")
        with self._condition:
            # A failed snapshot is not retried in a loop; the next write tries again.
            self._done = max(self._done, data.generation if data else self._wanted)
            self._condition.notify_all()

    def _fit(self, data: TrainingSet) -> ArticleHead:
        key = article_head.fingerprint(data, weight_decay=self._weight_decay,
                                       max_iter=self._max_iter)
        if self._head is None and self._path is not None:
            saved = article_head.load(self._path, key, data.generation)
            if saved is not None:
                log.info("article head loaded from %s (%d articles)", self._path,
                         len(saved.slugs))
                return saved
        started = time.perf_counter()
        head = train(data, weight_decay=self._weight_decay, max_iter=self._max_iter,
                     previous=self._head, stop=lambda: self._closed)
        log.info("article head trained on %d texts, %d articles in %.1f s",
                 len(data.labels), len(head.slugs), time.perf_counter() - started)
        if self._path is not None:
            try:
                article_head.save(head, self._path, key)
            except OSError as exc:  # only a cache: the next start refits
                log.warning("could not save the article head to %s: %s", self._path, exc)
        return head
