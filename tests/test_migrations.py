"""A database made by an older version is upgraded in place on open, keeping its rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from responder.kb.migrations import SCHEMA_VERSION
from responder.kb.sql import SqlStore
from responder.models import ArticleContent, EscalationInput, EscalationStatus


def test_v1_database_gains_sla_columns_and_keeps_its_escalations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    store = SqlStore.from_url(url)
    store.open_escalation(EscalationInput(message="old question", channel="email",
                                          language="en"))
    store.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # turn it back into what version 1 created
        conn.execute(text("DROP INDEX ix_escalations_queue_due"))
        conn.execute(text("ALTER TABLE escalations DROP COLUMN due_at"))
        conn.execute(text("ALTER TABLE escalations DROP COLUMN tone"))
        conn.execute(text("UPDATE kb_meta SET value = '1' WHERE key = 'schema_version'"))
    engine.dispose()

    upgraded = SqlStore.from_url(url)
    (old,) = upgraded.list_escalations(EscalationStatus.OPEN)
    assert old.input.message == "old question" and old.input.due_at is None
    assert old.input.tone == "calm"
    due = datetime.now(UTC) + timedelta(hours=4)
    new = upgraded.open_escalation(EscalationInput(
        message="new", channel="chat", language="en", queue="cards", due_at=due, tone="angry"))
    assert new.input.due_at is not None and abs(new.input.due_at - due) < timedelta(seconds=1)
    assert [e.id for e in upgraded.list_escalations(queue="cards", by_due=True)] == [new.id]
    upgraded.close()
    with create_engine(url).connect() as conn:
        version = conn.execute(
            text("SELECT value FROM kb_meta WHERE key = 'schema_version'")).scalar()
    assert version == str(SCHEMA_VERSION) == "8"


def test_v2_database_stops_reusing_search_text_ids(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'v2.sqlite3'}"
    store = SqlStore.from_url(url)
    article, _ = store.create_article(content(), ["first question", "second question"],
                                      edited_by="ed")
    store.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # what version 2 had: ids without AUTOINCREMENT, no log
        conn.execute(text("DROP TABLE kb_changes"))
        conn.execute(text("ALTER TABLE search_texts RENAME TO st"))
        conn.execute(text("DROP INDEX ix_search_texts_article"))
        conn.execute(text(
            "CREATE TABLE search_texts (id INTEGER NOT NULL PRIMARY KEY, article_id INTEGER "
            "NOT NULL REFERENCES articles (id), question_id INTEGER REFERENCES "
            "example_questions (id), kind VARCHAR(16) NOT NULL, text TEXT NOT NULL, language "
            "VARCHAR(8) NOT NULL, content_hash VARCHAR(64) NOT NULL)"))
        conn.execute(text("INSERT INTO search_texts SELECT * FROM st"))
        conn.execute(text("DROP TABLE st"))
        conn.execute(text("UPDATE kb_meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()

    upgraded = SqlStore.from_url(url)
    texts = upgraded.search_texts()
    assert len(texts) == 3
    newest = max(texts, key=lambda t: t.id)
    question = next(q for q in upgraded.questions(article.id) if q.text == newest.text)
    upgraded.delete_question(question.id)  # frees the largest id
    _, change = upgraded.add_question(article.id, "a new question", "en")
    assert change.added[0].id > newest.id  # the freed id is not handed out again
    assert upgraded.changes_since(upgraded.revision() - 2).complete
    upgraded.close()


def content() -> ArticleContent:
    return ArticleContent(slug="order-status", language="en", title="Where is my order?",
                          short_answer="Track it with the link in your shipping email.")


def test_v6_database_gains_the_mail_inbox_and_keeps_its_outbox(tmp_path: Path) -> None:
    from responder.channels.inbox import Inbox
    from responder.channels.outbox import Mail, Outbox

    url = f"sqlite:///{tmp_path / 'v6.sqlite3'}"
    store = SqlStore.from_url(url)
    Outbox(store.engine, "example.com").add(Mail(to="a@example.com", subject="s", text="t"))
    store.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # what version 6 created
        conn.execute(text("DROP TABLE mail_inbox"))
        conn.execute(text("DROP INDEX ix_outbox_message_id"))
        conn.execute(text("ALTER TABLE outbox DROP COLUMN conversation_id"))
        conn.execute(text("UPDATE kb_meta SET value = '6' WHERE key = 'schema_version'"))
    engine.dispose()

    upgraded = SqlStore.from_url(url)
    (kept,) = Outbox(upgraded.engine, "example.com").rows()
    assert kept.mail.to == "a@example.com" and kept.mail.conversation_id is None
    inbox = Inbox(upgraded.engine)
    assert inbox.accept(b"Message-ID: <1@x>\r\n\r\nhi", "smtp") == (1, True)
    assert inbox.accept(b"Message-ID: <1@x>\r\n\r\nhi", "imap") == (1, False)
    upgraded.close()
