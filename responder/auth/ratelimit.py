"""Token buckets per client, in memory: each process limits what reaches it.

A bucket holds up to `burst` requests and refills at `per_minute`. With `serve --workers N`
each worker keeps its own buckets, so a client may get up to N times the rate through the
one port; the limits exist to stop floods, not to meter fair use. Memory stays bounded: full
buckets (clients who have been quiet) are dropped now and then, and the table has a cap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from responder.errors import TooManyRequests

MAX_KEYS = 100_000


class RateLimiter:
    def __init__(self, per_minute: float, *, burst: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(1, int(per_minute)))
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()
        self._last_sweep = clock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def _tokens(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - at) * self.rate)

    def retry_after(self, key: str) -> float | None:
        """Seconds until `key` may make one more request, or None if it may now."""
        if not self.enabled:
            return None
        with self._lock:
            tokens = self._tokens(key, self._clock())
        return None if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, key: str) -> float | None:
        """Spend one request; None if allowed, else the seconds to wait (nothing spent)."""
        if not self.enabled:
            return None
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            if tokens < 1:
                return (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1, now)
            self._sweep(now)
            return None

    def check(self, key: str, what: str) -> None:
        """`take`, raising a 429 that says when to come back."""
        wait = self.take(key)
        if wait is not None:
            raise TooManyRequests(f"Too many {what} from this address; try again in "
                                  f"{max(1, round(wait))} s.", retry_after=wait)

    def _sweep(self, now: float) -> None:
        if len(self._buckets) < MAX_KEYS and now - self._last_sweep < 60:
            return
        self._last_sweep = now
        full = [k for k in self._buckets if self._tokens(k, now) >= self.burst]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= MAX_KEYS:  # a flood of distinct addresses: forget the oldest
            oldest = sorted(self._buckets, key=lambda k: self._buckets[k][1])
            for key in oldest[: len(oldest) // 2]:
                del self._buckets[key]
