"""The rate limits of one process, built from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from responder.auth.ratelimit import RateLimiter
from responder.config import Settings


@dataclass(frozen=True)
class Limits:
    public: RateLimiter  # each public endpoint, per client address
    handoffs: RateLimiter  # escalations opened by anonymous callers, per address
    sign_in: RateLimiter  # sign-in attempts, per address and per username

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        per_hour = settings.anonymous_handoffs_per_hour
        return cls(
            public=RateLimiter(settings.public_per_minute),
            handoffs=RateLimiter(per_hour / 60, burst=max(1, int(per_hour))),
            sign_in=RateLimiter(settings.sign_in_attempts_per_minute),
        )
