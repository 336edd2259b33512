"""Numbered schema migrations, applied in order when a store opens.

A dozen lines instead of Alembic: the product opens its own embedded database on start and
must upgrade it without a separate tool, config file or operator step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, inspect, select, text

from responder.errors import ResponderError
from responder.kb import schema
from responder.kb.engine import REVISION_KEY, is_sqlite

_PG_MIGRATION_LOCK = 0x6B62726573  # any constant: one migrating process at a time


def _v1_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _v2_escalation_sla(conn: Connection) -> None:
    """Escalations remember their SLA due time and the tone they were handed off with.

    A database created by v1 of this file after the columns were added already has them
    (v1 creates the current schema), hence the check."""
    present = {c["name"] for c in inspect(conn).get_columns("escalations")}
    if "due_at" not in present:
        conn.execute(text("ALTER TABLE escalations ADD COLUMN due_at TIMESTAMP WITH TIME ZONE"
                          if conn.dialect.name == "postgresql"
                          else "ALTER TABLE escalations ADD COLUMN due_at DATETIME"))
    if "tone" not in present:
        conn.execute(text("ALTER TABLE escalations ADD COLUMN tone VARCHAR(16) NOT NULL "
                          "DEFAULT 'calm'"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_escalations_queue_due "
                      "ON escalations (queue, due_at)"))


def _v3_ordered_history(conn: Connection) -> None:
    """Search-text ids are never reused (SQLite's INTEGER PRIMARY KEY hands a deleted row's id
    to the next insert unless the table says AUTOINCREMENT), every write is logged in
    kb_changes, and the KB revision is a row that writers lock (responder/kb/engine.py)."""
    if conn.dialect.name == "sqlite":
        ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' "
                                "AND name = 'search_texts'")).scalar_one()
        if "AUTOINCREMENT" not in ddl.upper():
            columns = "id, article_id, question_id, kind, text, language, content_hash"
            conn.execute(text("DROP INDEX IF EXISTS ix_search_texts_article"))
            conn.execute(text("ALTER TABLE search_texts RENAME TO search_texts_v2"))
            schema.search_texts.create(conn)
            # Explicit ids raise the AUTOINCREMENT counter to the largest one copied.
            conn.execute(text(f"INSERT INTO search_texts ({columns}) "
                              f"SELECT {columns} FROM search_texts_v2"))
            conn.execute(text("DROP TABLE search_texts_v2"))
    schema.changes.create(conn, checkfirst=True)
    present = conn.execute(
        select(schema.meta.c.key).where(schema.meta.c.key == REVISION_KEY)).first()
    if present is None:
        conn.execute(schema.meta.insert().values(key=REVISION_KEY, value="0"))


def _v4_accounts(conn: Connection) -> None:
    """Staff accounts, API tokens and browser sessions (responder/auth/)."""
    for table in (schema.users, schema.api_tokens, schema.sessions):
        table.create(conn, checkfirst=True)


def _v5_events(conn: Connection) -> None:
    """The append-only event log (responder/events.py)."""
    schema.events.create(conn, checkfirst=True)


def _v6_outbox(conn: Connection) -> None:
    """Outgoing mail, written before it is sent (responder/channels/outbox.py)."""
    schema.outbox.create(conn, checkfirst=True)


def _v7_mail_in(conn: Connection) -> None:
    """Customers' mail as it arrived (responder/channels/inbox.py), and the thread an
    outgoing reply belongs to."""
    columns = {c["name"] for c in inspect(conn).get_columns(schema.outbox.name)}
    if "conversation_id" not in columns:
        conn.execute(text("ALTER TABLE outbox ADD COLUMN conversation_id INTEGER"))
    indexes = {i["name"] for i in inspect(conn).get_indexes(schema.outbox.name)}
    if "ix_outbox_message_id" not in indexes:
        conn.execute(text("CREATE INDEX ix_outbox_message_id ON outbox (message_id)"))
    schema.mail_inbox.create(conn, checkfirst=True)


def _v8_escalation_assignee(conn: Connection) -> None:
    """Escalations can be claimed by an agent (the console's claim, release and move)."""
    columns = {c["name"] for c in inspect(conn).get_columns(schema.escalations.name)}
    if "assignee" not in columns:
        conn.execute(text("ALTER TABLE escalations ADD COLUMN assignee VARCHAR(120)"))


MIGRATIONS: list[Callable[[Connection], None]] = [
    _v1_initial, _v2_escalation_sla, _v3_ordered_history, _v4_accounts, _v5_events,
    _v6_outbox, _v7_mail_in, _v8_escalation_assignee]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, schema.meta.name):
        return 0
    row = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).first()
    return int(row[0]) if row else 0


def migrate(engine: Engine) -> int:
    """Bring the database to SCHEMA_VERSION; each step commits with its version number.

    Several workers may start at once on one database: each step runs under a lock and
    re-reads the version inside it, so a step runs exactly once."""
    with engine.connect() as conn:
        version = current_version(conn)
    _refuse_newer(version)
    while version < SCHEMA_VERSION:
        with _locked(engine) as conn:
            version = current_version(conn)
            _refuse_newer(version)
            if version < SCHEMA_VERSION:
                version += 1
                MIGRATIONS[version - 1](conn)
                _set_version(conn, version)
    return SCHEMA_VERSION


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise ResponderError(
            f"The database has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}; upgrade kb-responder or point it at another database."
        )


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if not is_sqlite(engine):
                conn.execute(text(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"))
            yield conn


def _set_version(conn: Connection, number: int) -> None:
    table = schema.meta
    updated = conn.execute(
        table.update().where(table.c.key == "schema_version").values(value=str(number))
    )
    if updated.rowcount == 0:
        conn.execute(table.insert().values(key="schema_version", value=str(number)))
