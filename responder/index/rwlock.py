"""A readers-writer lock that prefers the writer, with re-entrant reads.

Many searches read the index at once; the one applier holds it exclusively for the few
milliseconds it takes to install a change it prepared beforehand. A waiting writer stops new
readers from starting (so a stream of answers cannot starve it), while a thread that already
reads may read again (nested calls never deadlock against a waiting writer), and the writer
may read what it is writing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReadWriteLock:
    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False
        self._writer_thread: int | None = None
        self._writers_waiting = 0
        self._local = threading.local()

    @contextmanager
    def reading(self) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0)
        if self._writer_thread == threading.get_ident():
            yield
            return
        if depth == 0:
            with self._condition:
                while self._writer or self._writers_waiting:
                    self._condition.wait()
                self._readers += 1
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth
            if depth == 0:
                with self._condition:
                    self._readers -= 1
                    if not self._readers:
                        self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._condition.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
            self._writer_thread = threading.get_ident()
        try:
            yield
        finally:
            with self._condition:
                self._writer = False
                self._writer_thread = None
                self._condition.notify_all()
