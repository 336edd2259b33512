"""The KB's ordered history: every committed write is one numbered entry in `kb_changes`.

A write records its entry in its own transaction (`record`), under the write lock, so entry
numbers are gap-free and in commit order. Every process's index follows the entries
(`changes_since`) and applies them in that order; nothing is ever applied ahead of or behind
what was committed, whichever process wrote it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update

from responder.kb import rows, schema
from responder.kb.engine import REVISION_KEY, is_sqlite, snapshot
from responder.kb.store import Change, ChangeBatch, Snapshot
from responder.models import Article, SearchText

NOTIFY_CHANNEL = "kb_changes"
KEEP_ENTRIES = 20_000  # older entries are pruned (also once older than KEEP_AGE)...
KEEP_AGE = timedelta(days=1)  # ...but never ones younger than this
PRUNE_EVERY = 500
_IN_CHUNK = 500
WRITE, BULK, BULK_END = "write", "bulk", "bulk_end"


def current_revision(conn: Connection) -> int:
    row = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == REVISION_KEY)
    ).first()
    return int(row[0]) if row else 0


def record(conn: Connection, change: Change, kind: str = WRITE) -> Change:
    """Bump the KB revision and log the change under it. The caller holds the write lock."""
    number = current_revision(conn) + 1
    conn.execute(update(schema.meta).where(schema.meta.c.key == REVISION_KEY)
                 .values(value=str(number)))
    conn.execute(insert(schema.changes).values(
        revision=number, kind=kind, created_at=rows.utcnow(),
        added=json.dumps([t.id for t in change.added]),
        removed=json.dumps(sorted(change.removed)),
        articles=json.dumps(sorted({a.id for a in change.articles})),
        deleted_articles=json.dumps(sorted(change.deleted_articles)),
    ))
    if not is_sqlite(conn.engine):  # delivered to listeners when this transaction commits
        conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                     {"channel": NOTIFY_CHANNEL, "payload": str(number)})
    if number % PRUNE_EVERY == 0:
        _prune(conn, number)
    change.revision = number
    return change


def _prune(conn: Connection, newest: int) -> None:
    table = schema.changes
    conn.execute(delete(table).where(table.c.revision <= newest - KEEP_ENTRIES,
                                     table.c.created_at < rows.utcnow() - KEEP_AGE))


def changes_since(engine: Engine, since: int) -> ChangeBatch:
    """The entries after `since`, folded into one batch, with the rows they touched."""
    with snapshot(engine) as conn:
        revision = current_revision(conn)
        batch = ChangeBatch(since=since, revision=revision, complete=True)
        if revision <= since:
            batch.revision = since
            return batch
        table = schema.changes
        entries = conn.execute(select(table).where(table.c.revision > since)
                               .order_by(table.c.revision)).all()
        if not entries or entries[0].revision != since + 1:
            batch.complete = False
            return batch
        added: set[int] = set()
        touched: set[int] = set()
        for entry in entries:
            batch.kinds.append(entry.kind)
            added.update(json.loads(entry.added))
            batch.removed.update(json.loads(entry.removed))
            touched.update(json.loads(entry.articles))
            batch.deleted_articles.update(json.loads(entry.deleted_articles))
        batch.added = _texts(conn, added)
        batch.removed |= added - {t.id for t in batch.added}  # added, then removed again
        batch.articles = _articles(conn, touched)
        batch.deleted_articles |= touched - {a.id for a in batch.articles}
        return batch


def read_all(engine: Engine) -> Snapshot:
    with snapshot(engine) as conn:
        revision = current_revision(conn)
        articles = [rows.article_from_row(r) for r in conn.execute(
            select(schema.articles).order_by(schema.articles.c.id))]
        texts = [rows.search_text_from_row(r) for r in conn.execute(
            select(schema.search_texts).order_by(schema.search_texts.c.id))]
        return Snapshot(revision, articles, texts)


def oldest_entry(engine: Engine) -> int | None:
    with engine.connect() as conn:
        value = conn.execute(select(func.min(schema.changes.c.revision))).scalar()
        return int(value) if value is not None else None


def _texts(conn: Connection, ids: Iterable[int]) -> list[SearchText]:
    table = schema.search_texts
    wanted = sorted(set(ids))
    found: list[SearchText] = []
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        found.extend(rows.search_text_from_row(r)
                     for r in conn.execute(select(table).where(table.c.id.in_(chunk))))
    return sorted(found, key=lambda t: t.id)


def _articles(conn: Connection, ids: Iterable[int]) -> list[Article]:
    table = schema.articles
    wanted = sorted(set(ids))
    found: list[Article] = []
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        found.extend(rows.article_from_row(r)
                     for r in conn.execute(select(table).where(table.c.id.in_(chunk))))
    return found
