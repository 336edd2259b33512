"""Model work that is not an answer runs on a low-priority thread.

Embedding an import's texts or retraining the article head can take seconds of CPU. Run on
the request thread, it would share the cores evenly with the answers being computed at the
same time, and on a 2-core machine a burst of writes made answers several times slower. On
Linux a thread has its own scheduling priority: the writer's embedding runs on one thread
niced to BACKGROUND_NICE, so the scheduler gives answers the cores first and the embedding
the rest. The writer waits for its result as before.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)
BACKGROUND_NICE = 10
T = TypeVar("T")


def lower_this_thread() -> None:
    """Give the calling thread less CPU than the answers (no-op where unsupported)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError) as exc:  # not Linux, or not allowed: run at normal speed
        log.debug("could not lower a background thread's priority: %s", exc)


class Background:
    """One low-priority thread; `run` hands it a function and waits for the result."""

    def __init__(self, name: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name,
                                            initializer=lower_this_thread)

    def run(self, function: Callable[[], T]) -> T:
        return self._executor.submit(function).result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
