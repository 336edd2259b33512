"""Tables of the knowledge base. Changes to them go through a new numbered migration."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table(
    "kb_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(120), nullable=False),
    Column("language", String(8), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("content", Text, nullable=False),  # JSON of ArticleContent
    Column("category", String(64), nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("slug", "language", name="uq_article_slug_language"),
)

revisions = Table(
    "article_revisions",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("content", Text, nullable=False),
    Column("edited_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("language", String(8), nullable=False),
    Column("category", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("tier", Integer, nullable=False),
    Column("queue", String(64), nullable=False),
    Column("customer_name", String(200), nullable=False),
    Column("customer_email", String(320), nullable=False),
    Column("status", String(16), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("escalated_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolution", Text, nullable=False),
    Column("resolved_by", String(120), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id")),
    Column("due_at", DateTime(timezone=True)),
    Column("tone", String(16), nullable=False, server_default="calm"),
    Column("assignee", String(120)),  # who claimed it; None: nobody yet
    Index("ix_escalations_status", "status"),
    Index("ix_escalations_queue_due", "queue", "due_at"),
)

questions = Table(
    "example_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("source", String(16), nullable=False),
    Column("escalation_id", Integer, ForeignKey("escalations.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_questions_article", "article_id"),
)

# What the index must hold. Rows are immutable: an edit deletes the old row and inserts a new
# one. Ids are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so an id
# always means the same text; the index still checks content hashes, not ids alone.
search_texts = Table(
    "search_texts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("question_id", Integer, ForeignKey("example_questions.id")),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Index("ix_search_texts_article", "article_id"),
    sqlite_autoincrement=True,
)

# One row per committed KB write, numbered by the KB revision it produced, written in the same
# transaction: the ordered history every process's index follows (see responder/kb/engine.py
# for why the numbers are in commit order). Old rows are pruned; a process that fell behind
# the oldest row compares the whole index with the database instead.
changes = Table(
    "kb_changes",
    metadata,
    Column("revision", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),  # write | bulk (part of an import) | bulk_end
    Column("added", Text, nullable=False),  # JSON list of search-text ids
    Column("removed", Text, nullable=False),  # JSON list of search-text ids
    Column("articles", Text, nullable=False),  # JSON list of article ids written
    Column("deleted_articles", Text, nullable=False),  # JSON list of article ids deleted
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Vectors by (model, text hash): unchanged text is never embedded twice, and the FAISS index
# can be rebuilt from the database without the model doing the work again.
embeddings = Table(
    "embeddings",
    metadata,
    Column("model_id", String(200), primary_key=True),
    Column("content_hash", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
)

# Staff accounts (responder/auth/). Passwords are Argon2id hashes; tokens and sessions are
# stored only as keyed hashes (HMAC-SHA256 with the secret key) of what the client holds.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),  # shown in lists, to tell tokens apart
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    sqlite_autoincrement=True,
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)

# The event log: append-only, one row per thing a user (or a customer) did, written in the
# same transaction as the change it records (responder/events.py).
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("actor_role", String(16), nullable=True),
    Column("via", String(16), nullable=False),
    Column("kind", String(48), nullable=False),
    Column("subject", String(32), nullable=True),
    Column("subject_id", Integer, nullable=True),
    Column("data", Text, nullable=False),  # JSON: the facts needed later
    Index("ix_events_kind_at", "kind", "at"),
    Index("ix_events_actor_at", "actor", "at"),
    sqlite_autoincrement=True,
)

# Outgoing mail, written before it is sent (responder/channels/outbox.py).
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(200), nullable=False),
    Column("to_address", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=True),
    Column("in_reply_to", Text, nullable=False),
    Column("references", Text, nullable=False),
    Column("headers", Text, nullable=False),  # JSON of extra headers
    Column("escalation_id", Integer, nullable=True),
    Column("conversation_id", Integer, nullable=True),  # the mail_inbox row a thread began with
    Column("status", String(16), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_message_id", "message_id"),
    sqlite_autoincrement=True,
)

# Customers' mail as it arrived (SMTP or IMAP), kept before it is acknowledged so that a
# crash loses none, and what became of it: answered, handed off, added to an escalation as
# a follow-up, skipped (with the reason) or failed.
mail_inbox = Table(
    "mail_inbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(255), nullable=False),  # Message-ID, or a hash of the bytes
    Column("message_id", String(998), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("source", String(8), nullable=False),  # smtp | imap
    Column("received_at", DateTime(timezone=True), nullable=False),
    # pending | answered | handed_off | follow_up | skipped | failed
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("sender", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("thread_subject", String(255), nullable=False),  # normalised, for the fallback
    Column("conversation_id", Integer, nullable=True),
    Column("escalation_id", Integer, nullable=True),
    Column("outbox_id", Integer, nullable=True),
    Column("answer_id", String(64), nullable=False),  # the answer event's public id
    Column("attachments", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("processed_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("dedupe_key", name="uq_mail_inbox_dedupe"),
    Index("ix_mail_inbox_status", "status", "lease_until"),
    Index("ix_mail_inbox_message_id", "message_id"),
    Index("ix_mail_inbox_sender", "sender", "received_at"),
    Index("ix_mail_inbox_conversation", "conversation_id"),
    sqlite_autoincrement=True,
)
