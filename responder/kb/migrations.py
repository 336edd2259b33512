"""Numbered schema migrations, applied in order when a store opens.

A dozen lines instead of Alembic: the product opens its own embedded database on start and
must upgrade it without a separate tool, config file or operator step.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, select, text

from responder.errors import ResponderError
from responder.kb import schema


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


MIGRATIONS: list[Callable[[Connection], None]] = [_v1_initial, _v2_escalation_sla]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, schema.meta.name):
        return 0
    row = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).first()
    return int(row[0]) if row else 0


def migrate(engine: Engine) -> int:
    """Bring the database to SCHEMA_VERSION; each step commits with its version number."""
    with engine.begin() as conn:
        version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise ResponderError(
            f"The database has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}; upgrade kb-responder or point it at another database."
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with engine.begin() as conn:
            MIGRATIONS[number - 1](conn)
            _set_version(conn, number)
    return SCHEMA_VERSION


def _set_version(conn: Connection, number: int) -> None:
    table = schema.meta
    updated = conn.execute(
        table.update().where(table.c.key == "schema_version").values(value=str(number))
    )
    if updated.rowcount == 0:
        conn.execute(table.insert().values(key="schema_version", value=str(number)))
