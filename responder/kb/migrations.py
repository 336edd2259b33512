"""Numbered schema migrations, applied in order when a store opens.

A dozen lines instead of Alembic: the product opens its own embedded database on start and
must upgrade it without a separate tool, config file or operator step.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, select

from responder.errors import ResponderError
from responder.kb import schema


def _v1_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn)


MIGRATIONS: list[Callable[[Connection], None]] = [_v1_initial]
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
