"""The knowledge-base store on SQLAlchemy Core: SQLite by default, PostgreSQL by URL.

One implementation serves both databases; what differs (how a write takes its lock, WAL
pragmas, the psycopg driver name) lives in `responder/kb/engine.py`. Every write is one
transaction that takes the write lock first, updates the searchable texts and logs itself in
the change log (`responder/kb/changelog.py`), so every process's index can follow what was
committed, in order, and can always be derived again from the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from responder import events
from responder.errors import Conflict, InvalidInput, NotFound
from responder.events import EventDraft
from responder.kb import changelog, rows, schema
from responder.kb.engine import is_sqlite, open_engine, write_transaction
from responder.kb.migrations import migrate
from responder.kb.store import Change, ChangeBatch, Resolution, Snapshot
from responder.models import (
    Article,
    ArticleContent,
    Escalation,
    EscalationInput,
    EscalationStatus,
    ExampleQuestion,
    Revision,
    SearchText,
    Status,
    TextSource,
)

_IN_CHUNK = 500  # bound on bound parameters per IN (...) list


class SqlStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._bulk = threading.local()
        migrate(engine)

    @classmethod
    def from_url(cls, url: str) -> SqlStore:
        return cls(open_engine(url))

    def close(self) -> None:
        self.engine.dispose()

    # -- KB revision: bumped by every write, recorded in the index manifest ------------------

    def revision(self) -> int:
        with self.engine.connect() as conn:
            return changelog.current_revision(conn)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Writes made inside are logged as one bulk operation (an import, a batch of
        resolutions), and its end as one more entry: followers do expensive work, such as
        retraining the article head, once at the end instead of after every write."""
        depth = getattr(self._bulk, "depth", 0)
        self._bulk.depth = depth + 1
        try:
            yield
        finally:
            self._bulk.depth = depth
            if depth == 0:
                with write_transaction(self.engine) as conn:
                    changelog.record(conn, Change(), changelog.BULK_END)

    def changes_since(self, revision: int) -> ChangeBatch:
        return changelog.changes_since(self.engine, revision)

    def read_all(self) -> Snapshot:
        return changelog.read_all(self.engine)

    @property
    def notifies(self) -> bool:
        """Whether other processes' writes are announced (PostgreSQL LISTEN/NOTIFY); else
        followers poll `revision()`, which is cheap."""
        return not is_sqlite(self.engine)

    # -- articles ------------------------------------------------------------------------------

    def create_article(
        self, content: ArticleContent, questions: Sequence[str] = (), *, edited_by: str,
        event: EventDraft | None = None,
    ) -> tuple[Article, Change]:
        with write_transaction(self.engine) as conn:
            article_id = self._insert_article(conn, content, edited_by)
            for text in questions:
                _insert_question(conn, article_id, text, content.language, TextSource.IMPORT)
            events.maybe_record(conn, event, article_id)
            return self._finish(conn, article_id)

    def update_article(
        self, article_id: int, content: ArticleContent, *, edited_by: str,
        event: EventDraft | None = None,
    ) -> tuple[Article, Change]:
        with write_transaction(self.engine) as conn:
            self._write_revision(conn, article_id, content, edited_by)
            events.maybe_record(conn, event, article_id)
            return self._finish(conn, article_id)

    def set_status(
        self, article_id: int, status: Status, *, edited_by: str, event: EventDraft | None = None,
    ) -> tuple[Article, Change]:
        with write_transaction(self.engine) as conn:
            current = _load_article(conn, article_id).content
            if current.status != status:
                new = ArticleContent(**{**current.__dict__, "status": status})
                self._write_revision(conn, article_id, new, edited_by)
            events.maybe_record(conn, event, article_id)
            return self._finish(conn, article_id)

    def restore_revision(
        self, article_id: int, revision: int, *, edited_by: str, event: EventDraft | None = None,
    ) -> tuple[Article, Change]:
        with write_transaction(self.engine) as conn:
            row = conn.execute(
                select(schema.revisions).where(
                    schema.revisions.c.article_id == article_id,
                    schema.revisions.c.revision == revision,
                )
            ).first()
            if row is None:
                _load_article(conn, article_id)  # 404 for a missing article first
                raise NotFound(f"Article {article_id} has no revision {revision}.")
            self._write_revision(conn, article_id, rows.revision_from_row(row).content, edited_by)
            events.maybe_record(conn, event, article_id)
            return self._finish(conn, article_id)

    def delete_article(self, article_id: int) -> Change:
        with write_transaction(self.engine) as conn:
            _load_article(conn, article_id)
            removed = _delete_search_texts(conn, schema.search_texts.c.article_id == article_id)
            conn.execute(
                update(schema.escalations)
                .where(schema.escalations.c.article_id == article_id)
                .values(article_id=None)
            )
            for table in (schema.questions, schema.revisions):
                conn.execute(delete(table).where(table.c.article_id == article_id))
            conn.execute(delete(schema.articles).where(schema.articles.c.id == article_id))
            return self._record(conn, Change(removed=removed, deleted_articles=[article_id]))

    def upsert_article(
        self, content: ArticleContent, questions: Sequence[str], *, edited_by: str,
        event: EventDraft | None = None,
    ) -> tuple[Article, Change, bool]:
        """Create or update by (slug, language); unchanged content makes no new revision."""
        with write_transaction(self.engine) as conn:
            existing = _find(conn, content.slug, content.language)
            changed = existing is None
            if existing is None:
                article_id = self._insert_article(conn, content, edited_by)
            else:
                article_id = existing.id
                if existing.content != content:
                    self._write_revision(conn, article_id, content, edited_by)
                    changed = True
            known = {q.text for q in _questions(conn, article_id)}
            for text in dict.fromkeys(questions):
                if text not in known:
                    _insert_question(conn, article_id, text, content.language, TextSource.IMPORT)
                    changed = True
            if not changed and existing is not None:
                return existing, Change(), False
            events.maybe_record(conn, event, article_id)
            article, change = self._finish(conn, article_id)
            return article, change, True

    def get_article(self, article_id: int) -> Article:
        with self.engine.connect() as conn:
            return _load_article(conn, article_id)

    def find_article(self, slug: str, language: str) -> Article | None:
        with self.engine.connect() as conn:
            return _find(conn, slug, language)

    def translations(self, slug: str) -> list[Article]:
        query = select(schema.articles).where(schema.articles.c.slug == slug)
        with self.engine.connect() as conn:
            return [rows.article_from_row(r) for r in conn.execute(query.order_by("language"))]

    def list_articles(
        self, *, language: str | None = None, status: Status | None = None,
        category: str | None = None,
    ) -> list[Article]:
        table = schema.articles
        query = select(table).order_by(table.c.slug, table.c.language)
        if language:
            query = query.where(table.c.language == language)
        if status:
            query = query.where(table.c.status == status.value)
        if category:
            query = query.where(table.c.category == category)
        with self.engine.connect() as conn:
            return [rows.article_from_row(r) for r in conn.execute(query)]

    def revisions(self, article_id: int) -> list[Revision]:
        table = schema.revisions
        with self.engine.connect() as conn:
            _load_article(conn, article_id)
            result = conn.execute(
                select(table).where(table.c.article_id == article_id).order_by(table.c.revision)
            )
            return [rows.revision_from_row(r) for r in result]

    # -- example questions ---------------------------------------------------------------------

    def add_question(
        self, article_id: int, text: str, language: str, *, source: TextSource = TextSource.EDITOR,
        event: EventDraft | None = None,
    ) -> tuple[ExampleQuestion, Change]:
        with write_transaction(self.engine) as conn:
            _load_article(conn, article_id)
            question = _insert_question(conn, article_id, text, language, source)
            events.maybe_record(conn, event, article_id)
            _, change = self._finish(conn, article_id)
            return question, change

    def delete_question(self, question_id: int, *,
                        event: EventDraft | None = None) -> Change:
        with write_transaction(self.engine) as conn:
            row = conn.execute(
                select(schema.questions).where(schema.questions.c.id == question_id)
            ).first()
            if row is None:
                raise NotFound(f"Example question {question_id} does not exist.")
            gone = _delete_search_texts(conn, schema.search_texts.c.question_id == question_id)
            conn.execute(delete(schema.questions).where(schema.questions.c.id == question_id))
            events.maybe_record(conn, event, row.article_id)
            # The question's texts are gone before the sync looks: name them as removed, or
            # the index would keep answering from the deleted question.
            article = _load_article(conn, row.article_id)
            change = _sync_search_texts(conn, article)
            change.removed.extend(gone)
            change.articles.append(article)
            return self._record(conn, change)

    def questions(self, article_id: int) -> list[ExampleQuestion]:
        with self.engine.connect() as conn:
            return _questions(conn, article_id)

    # -- escalations ---------------------------------------------------------------------------

    def open_escalation(self, data: EscalationInput, *, event: EventDraft | None = None) -> Escalation:
        now = rows.utcnow()
        with write_transaction(self.engine, kb_lock=False) as conn:
            escalation_id = _new_id(
                conn, insert(schema.escalations).values(
                    message=data.message, channel=data.channel, language=data.language,
                    category=data.category, reason=data.reason, kind=data.kind.value,
                    tier=data.tier, queue=data.queue, customer_name=data.customer_name,
                    customer_email=data.customer_email, status=EscalationStatus.OPEN.value,
                    received_at=data.received_at or now, escalated_at=now, resolution="",
                    resolved_by="", due_at=data.due_at, tone=data.tone,
                )
            )
            events.maybe_record(conn, event, escalation_id)
            return _load_escalation(conn, escalation_id)

    def add_follow_up(
        self, escalation_id: int, text: str, *, event: EventDraft | None = None,
        also: Callable[[Connection], None] | None = None,
    ) -> Escalation:
        """The customer wrote again while a person has the case: their words join the
        escalation's message (agents see one conversation), and `also` runs in the same
        transaction (the mail inbox marks the message done there)."""
        table = schema.escalations
        with write_transaction(self.engine, kb_lock=False) as conn:
            row = conn.execute(select(table.c.message, table.c.status).where(
                table.c.id == escalation_id).with_for_update()).first()
            if row is None:
                raise NotFound(f"Escalation {escalation_id} does not exist.")
            stamp = rows.utcnow().strftime("%Y-%m-%d %H:%M UTC")
            conn.execute(update(table).where(table.c.id == escalation_id).values(
                message=f"{row.message}\n\n--- {stamp} ---\n{text}"))
            events.maybe_record(conn, event, escalation_id)
            if also is not None:
                also(conn)
            return _load_escalation(conn, escalation_id)

    def get_escalation(self, escalation_id: int) -> Escalation:
        with self.engine.connect() as conn:
            return _load_escalation(conn, escalation_id)

    def list_escalations(
        self, status: EscalationStatus | None = None, *, queue: str | None = None,
        by_due: bool = False,
    ) -> list[Escalation]:
        table = schema.escalations
        if by_due:  # the most urgent first; escalations without an SLA last
            query = select(table).order_by(table.c.due_at.is_(None), table.c.due_at, table.c.id)
        else:
            query = select(table).order_by(table.c.id)
        if status:
            query = query.where(table.c.status == status.value)
        if queue:
            query = query.where(table.c.queue == queue)
        with self.engine.connect() as conn:
            return [rows.escalation_from_row(r) for r in conn.execute(query)]

    def resolutions_for(self, article_ids: Sequence[int]) -> list[Escalation]:
        """Resolved escalations that taught these articles, newest first."""
        table = schema.escalations
        query = (select(table)
                 .where(table.c.article_id.in_(list(article_ids)),
                        table.c.status == EscalationStatus.RESOLVED.value)
                 .order_by(table.c.resolved_at.desc(), table.c.id.desc()))
        with self.engine.connect() as conn:
            return [rows.escalation_from_row(r) for r in conn.execute(query)]

    def assign_escalation(
        self, escalation_id: int, assignee: str | None, *, event: EventDraft | None = None,
    ) -> Escalation:
        """Claim (a name) or release (None) an open escalation; the event says who had it."""
        return self._change_open_escalation(escalation_id, "assignee", assignee, event)

    def move_escalation(
        self, escalation_id: int, queue: str, *, event: EventDraft | None = None,
    ) -> Escalation:
        """Another team's queue; the event says which one it left."""
        return self._change_open_escalation(escalation_id, "queue", queue, event)

    def _change_open_escalation(self, escalation_id: int, column: str, value: str | None,
                                event: EventDraft | None) -> Escalation:
        table = schema.escalations
        with write_transaction(self.engine, kb_lock=False) as conn:
            row = conn.execute(select(table.c[column], table.c.status).where(
                table.c.id == escalation_id).with_for_update()).first()
            if row is None:
                raise NotFound(f"Escalation {escalation_id} does not exist.",
                               field="escalation_id")
            if row.status != EscalationStatus.OPEN.value:
                raise Conflict(f"Escalation {escalation_id} is already resolved.")
            conn.execute(update(table).where(table.c.id == escalation_id).values(
                {column: value}))
            if event is not None:
                events.maybe_record(conn, replace(event, data={
                    **event.data, "from": row[0], "to": value}), escalation_id)
            return _load_escalation(conn, escalation_id)

    def resolve_escalation(
        self, escalation_id: int, resolution: Resolution, *, event: EventDraft | None = None,
    ) -> tuple[Escalation, Article, Change]:
        """Close the escalation and write what it taught into the KB, in one transaction."""
        if (resolution.article_id is None) == (resolution.new_article is None):
            raise InvalidInput(
                "A resolution names exactly one target: article_id (the question becomes an "
                "example of that article) or new_article (the resolution becomes an article).",
                field="article_id",
            )
        with write_transaction(self.engine) as conn:
            escalation = _load_escalation(conn, escalation_id)
            if escalation.status is EscalationStatus.RESOLVED:
                raise Conflict(
                    f"Escalation {escalation_id} was already resolved by "
                    f"{escalation.resolved_by or 'someone'}; reopen it or open a new one."
                )
            if resolution.new_article is not None:
                article_id = self._insert_article(
                    conn, resolution.new_article, resolution.resolved_by
                )
            else:
                article_id = _load_article(conn, resolution.article_id or 0).id
            table = schema.escalations
            claimed = conn.execute(
                update(table)
                .where(table.c.id == escalation_id,
                       table.c.status == EscalationStatus.OPEN.value)
                .values(status=EscalationStatus.RESOLVED.value, resolved_at=rows.utcnow(),
                        resolution=resolution.text, resolved_by=resolution.resolved_by,
                        article_id=article_id)
            )
            if claimed.rowcount != 1:  # the lock makes this unreachable; the check stays
                raise Conflict(f"Escalation {escalation_id} was resolved by someone else "
                               "at the same moment; reload it.")
            _insert_question(conn, article_id, escalation.input.message,
                             escalation.input.language, TextSource.ESCALATION,
                             escalation_id=escalation_id)
            if event is not None:
                events.record(conn, replace(event, data={**event.data, "article_id": article_id})
                              .about(escalation_id))
            article, change = self._finish(conn, article_id)
            return _load_escalation(conn, escalation_id), article, change

    # -- what the index derives from -----------------------------------------------------------

    def search_texts(self, ids: Iterable[int] | None = None) -> list[SearchText]:
        table = schema.search_texts
        with self.engine.connect() as conn:
            if ids is None:
                result = conn.execute(select(table).order_by(table.c.id))
                return [rows.search_text_from_row(r) for r in result]
            wanted = sorted(set(ids))
            found: list[SearchText] = []
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                result = conn.execute(select(table).where(table.c.id.in_(chunk)))
                found.extend(rows.search_text_from_row(r) for r in result)
            return sorted(found, key=lambda t: t.id)

    def search_text_ids(self) -> set[int]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(schema.search_texts.c.id)).scalars())

    def get_vectors(self, model_id: str, hashes: Sequence[str]) -> dict[str, bytes]:
        table = schema.embeddings
        found: dict[str, bytes] = {}
        unique = sorted(set(hashes))
        with self.engine.connect() as conn:
            for start in range(0, len(unique), _IN_CHUNK):
                result = conn.execute(
                    select(table.c.content_hash, table.c.vector).where(
                        table.c.model_id == model_id,
                        table.c.content_hash.in_(unique[start : start + _IN_CHUNK]),
                    )
                )
                found.update({h: bytes(v) for h, v in result})
        return found

    def put_vectors(self, model_id: str, vectors: dict[str, bytes]) -> None:
        """Cache vectors; one another process stored meanwhile is kept (same text, same
        model: the same vector)."""
        if not vectors:
            return
        known = self.get_vectors(model_id, list(vectors))
        fresh = [
            {"model_id": model_id, "content_hash": h, "vector": v}
            for h, v in vectors.items() if h not in known
        ]
        if not fresh:
            return
        dialect: Any = sqlite if is_sqlite(self.engine) else postgresql
        statement = dialect.insert(schema.embeddings).on_conflict_do_nothing()
        with write_transaction(self.engine, kb_lock=False) as conn:
            for start in range(0, len(fresh), _IN_CHUNK):
                conn.execute(statement, fresh[start : start + _IN_CHUNK])

    # -- internals -------------------------------------------------------------------------------

    def _insert_article(self, conn: Connection, content: ArticleContent, edited_by: str) -> int:
        now = rows.utcnow()
        try:
            with conn.begin_nested():
                article_id = _new_id(
                    conn,
                    insert(schema.articles).values(
                        slug=content.slug, language=content.language, revision=1,
                        content=rows.content_to_json(content), category=content.category,
                        visibility=content.visibility.value, status=content.status.value,
                        created_at=now, updated_at=now,
                    ),
                )
        except IntegrityError as exc:
            raise Conflict(
                f"An article with slug {content.slug!r} in language {content.language!r} "
                "already exists; update it instead, or choose another slug.",
                field="slug",
            ) from exc
        conn.execute(
            insert(schema.revisions).values(
                article_id=article_id, revision=1, content=rows.content_to_json(content),
                edited_by=edited_by, created_at=now,
            )
        )
        return article_id

    def _write_revision(
        self, conn: Connection, article_id: int, content: ArticleContent, edited_by: str
    ) -> None:
        current = _load_article(conn, article_id)
        if (content.slug, content.language) != (current.slug, current.language):
            other = _find(conn, content.slug, content.language)
            if other is not None:
                raise Conflict(
                    f"Article {other.id} already has slug {content.slug!r} in language "
                    f"{content.language!r}.",
                    field="slug",
                )
        number = current.revision + 1
        now = rows.utcnow()
        conn.execute(
            update(schema.articles)
            .where(schema.articles.c.id == article_id)
            .values(
                slug=content.slug, language=content.language, revision=number,
                content=rows.content_to_json(content), category=content.category,
                visibility=content.visibility.value, status=content.status.value, updated_at=now,
            )
        )
        conn.execute(
            insert(schema.revisions).values(
                article_id=article_id, revision=number, content=rows.content_to_json(content),
                edited_by=edited_by, created_at=now,
            )
        )

    def _finish(self, conn: Connection, article_id: int) -> tuple[Article, Change]:
        """Bring the article's searchable texts in line with it and log the write."""
        article = _load_article(conn, article_id)
        change = _sync_search_texts(conn, article)
        change.articles.append(article)
        return article, self._record(conn, change)

    def _record(self, conn: Connection, change: Change) -> Change:
        kind = changelog.BULK if getattr(self._bulk, "depth", 0) else changelog.WRITE
        return changelog.record(conn, change, kind)


def _new_id(conn: Connection, statement: Any) -> int:
    key = conn.execute(statement).inserted_primary_key
    if not key:
        raise RuntimeError("the database returned no primary key for an insert")
    return int(key[0])


def _load_article(conn: Connection, article_id: int) -> Article:
    row = conn.execute(select(schema.articles).where(schema.articles.c.id == article_id)).first()
    if row is None:
        raise NotFound(f"Article {article_id} does not exist.", field="article_id")
    return rows.article_from_row(row)


def _find(conn: Connection, slug: str, language: str) -> Article | None:
    table = schema.articles
    row = conn.execute(
        select(table).where(table.c.slug == slug, table.c.language == language)
    ).first()
    return rows.article_from_row(row) if row else None


def _load_escalation(conn: Connection, escalation_id: int) -> Escalation:
    row = conn.execute(
        select(schema.escalations).where(schema.escalations.c.id == escalation_id)
    ).first()
    if row is None:
        raise NotFound(f"Escalation {escalation_id} does not exist.", field="escalation_id")
    return rows.escalation_from_row(row)


def _questions(conn: Connection, article_id: int) -> list[ExampleQuestion]:
    table = schema.questions
    result = conn.execute(
        select(table).where(table.c.article_id == article_id).order_by(table.c.id)
    )
    return [rows.question_from_row(r) for r in result]


def _insert_question(
    conn: Connection, article_id: int, text: str, language: str, source: TextSource,
    *, escalation_id: int | None = None,
) -> ExampleQuestion:
    question_id = _new_id(
        conn,
        insert(schema.questions).values(
            article_id=article_id, text=text, language=language, source=source.value,
            escalation_id=escalation_id, created_at=rows.utcnow(),
        )
    )
    row = conn.execute(select(schema.questions).where(schema.questions.c.id == question_id)).one()
    return rows.question_from_row(row)


def _delete_search_texts(conn: Connection, condition: Any) -> list[int]:
    table = schema.search_texts
    ids = list(conn.execute(select(table.c.id).where(condition)).scalars())
    if ids:
        conn.execute(delete(table).where(table.c.id.in_(ids)))
    return ids


def _sync_search_texts(conn: Connection, article: Article) -> Change:
    """Archived articles are not searchable; everything else is, filtered at query time."""
    table = schema.search_texts
    wanted: dict[tuple[str, int | None, str], dict[str, Any]] = {}
    key: tuple[str, int | None, str]
    if article.content.status is not Status.ARCHIVED:
        text = rows.article_search_text(article.content)
        wanted[("article", None, rows.text_hash("article", text))] = {
            "kind": "article", "question_id": None, "text": text, "language": article.language,
        }
        body = rows.body_search_text(article.content)
        if body:
            wanted[("body", None, rows.text_hash("body", body))] = {
                "kind": "body", "question_id": None, "text": body, "language": article.language,
            }
        for question in _questions(conn, article.id):
            key = ("question", question.id, rows.text_hash("question", question.text))
            wanted[key] = {"kind": "question", "question_id": question.id,
                           "text": question.text, "language": question.language}
    existing = conn.execute(select(table).where(table.c.article_id == article.id)).all()
    removed = [r.id for r in existing if (r.kind, r.question_id, r.content_hash) not in wanted]
    kept = {(r.kind, r.question_id, r.content_hash) for r in existing}
    if removed:
        conn.execute(delete(table).where(table.c.id.in_(removed)))
    added: list[SearchText] = []
    for key, values in wanted.items():
        if key in kept:
            continue
        new_id = _new_id(
            conn, insert(table).values(article_id=article.id, content_hash=key[2], **values)
        )
        added.append(SearchText(id=new_id, article_id=article.id, kind=values["kind"],
                                text=values["text"], language=values["language"],
                                content_hash=key[2]))
    return Change(added=added, removed=removed)


def count_rows(engine: Engine, table_name: str) -> int:
    table = schema.metadata.tables[table_name]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
