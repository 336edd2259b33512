"""What the browser tests share: the app served on a free loopback port in this process, and
Debian's chromium, headless, driven by playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from responder.api.app import create_app
from responder.wiring import Services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(services: Services) -> Iterator[str]:
    """The product's app on http://127.0.0.1:<free port> until the block ends."""
    with serving_app(create_app(services=services), free_port()) as url:
        yield url


@contextmanager
def serving_app(app: Any, port: int) -> Iterator[str]:
    """Any ASGI app (another site embedding the widget, say) on a loopback port."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@contextmanager
def chromium() -> Iterator[Browser]:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("Debian's chromium is needed: apt-get install chromium "
                    "(test.sh installs it when run as root)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=found, headless=True,
                                              args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def serious_violations(page: Page) -> list[tuple[str, str, str, Any]]:
    """axe-core's serious and critical findings on the page as it is now (it looks inside
    open shadow roots too): (rule, impact, help, the elements)."""
    results = Axe().run(page)
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Page) -> None:
    serious = serious_violations(page)
    assert serious == [], serious
