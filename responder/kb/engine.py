"""Connections and transactions for SQLite and PostgreSQL.

The rule every write follows: it takes the database's write lock at the *start* of its
transaction, before it reads anything it will decide on (the article's revision number, an
escalation's status, the KB revision). Two writers therefore never both read "revision 4" and
both write "revision 5":

- SQLite: `BEGIN IMMEDIATE` takes the database's single write lock at once (a deferred BEGIN
  would read first and fail with SQLITE_BUSY when it tries to upgrade); other writers wait up
  to `busy_timeout`. pysqlite's own transaction handling is switched off so that the BEGIN we
  emit is the one that runs, and reads get a real (snapshot) transaction too.
- PostgreSQL: the `kb_revision` row of `kb_meta` is locked `FOR UPDATE` first. Every KB write
  bumps that row, so KB writes are serialised in the order they commit, which is also the
  order of their revision numbers: the change log is gap-free and in commit order.

Reads that must be consistent across several statements (the index catching up) use
`snapshot()`: a deferred transaction on SQLite (WAL gives it a snapshot) and REPEATABLE READ
on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select

from responder.kb import schema

BUSY_TIMEOUT_MS = 30_000
REVISION_KEY = "kb_revision"


def open_engine(url: str) -> Engine:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_conn.cursor()
    # WAL with synchronous=NORMAL never loses a committed transaction when the process dies;
    # only a power cut can drop the last commits. busy_timeout makes a second writer (another
    # thread, worker or CLI command) wait for the lock instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def write_transaction(engine: Engine, *, kb_lock: bool = True) -> Iterator[Connection]:
    """A transaction that holds the KB write lock from its first statement to its commit.

    `kb_lock=False` is for writes that read nothing they decide on and do not change the KB
    revision (opening an escalation, caching a vector): on PostgreSQL they need no lock."""
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if kb_lock and not is_sqlite(engine):
                conn.execute(
                    select(schema.meta.c.value)
                    .where(schema.meta.c.key == REVISION_KEY)
                    .with_for_update()
                )
            yield conn


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """Several reads that see one committed state of the database."""
    with engine.connect() as conn:
        if not is_sqlite(engine):
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn
