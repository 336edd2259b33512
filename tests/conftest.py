"""Shared fixtures: stores for every backend, and the deterministic fake embedder."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import text

from responder.kb.sql import SqlStore, open_engine
from responder.wiring import Services
from tests.browser_kit import chromium
from tests.mail_peers import Sink, running_sink

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

POSTGRES_URL = os.environ.get("RESPONDER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


def sqlite_store(tmp_path: Path) -> SqlStore:
    return SqlStore.from_url(f"sqlite:///{tmp_path / 'kb.sqlite3'}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test database, dropped afterwards."""
    schema_name = f"t_{uuid.uuid4().hex[:12]}"
    admin = open_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    except Exception as exc:  # pragma: no cover - only when the server is absent
        admin.dispose()
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable: {exc}")
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema_name}"
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        backend = sqlite_store(tmp_path)
    else:
        backend = SqlStore.from_url(request.getfixturevalue("postgres_url"))
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def demo_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """The real model on the bundled demo KB, embedded once per test run (minutes)."""
    from responder.config import Settings
    from responder.wiring import build_services

    root = tmp_path_factory.mktemp("real")
    shutil.copytree(PROJECT / "kb" / "demo", root / "kb" / "demo")
    built = build_services(Settings(kb_dir=root / "kb", index_dir=root / "index"), seed=True)
    built.index.wait_for_head()
    yield built
    built.close()


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    """A real SMTP server on loopback that keeps what the relay hands it: (sink, port)."""
    yield from running_sink()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, one per module of browser tests (test modules whose
    `browser` is an HTTP client define their own)."""
    with chromium() as launched:
        yield launched
