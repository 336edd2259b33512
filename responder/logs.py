"""One log format for the CLI and for every server worker.

`serve --workers N` starts its workers as fresh interpreters (uvicorn spawns them), which do
not inherit the parent's logging set-up: without this, a worker's own messages (the article
head's fits, the index catching up or rebuilding) were dropped below WARNING.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure() -> None:
    """INFO and above to stderr, unless the process has configured logging already."""
    logging.basicConfig(level=logging.INFO, format=FORMAT)
