"""Running the app under uvicorn so that SIGTERM and Ctrl-C end it cleanly.

uvicorn shuts down gracefully on SIGTERM or SIGINT and then raises the signal again, so a
process with the default handlers dies of it before its own clean-up runs (the article
head's training thread, the index save): exit code -15, or "terminate called without an
active exception" from torch. While the server runs, the two signals get a handler that does
nothing more; uvicorn's re-raise then returns, and the caller closes its services and exits 0.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

import uvicorn

HANDLED = (signal.SIGINT, signal.SIGTERM)


def _already_handled(_sig: int, _frame: FrameType | None) -> None:
    """uvicorn has shut down because of this signal; the caller finishes up."""


def run(app: Any, **options: Any) -> None:
    """`uvicorn.run(app, **options)`, returning normally after SIGTERM or SIGINT."""
    previous = {sig: signal.signal(sig, _already_handled) for sig in HANDLED}
    try:
        uvicorn.run(app, **options)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
