"""Conversions between database rows and domain types, and what an article makes searchable."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from responder.kb.validation import article_to_mapping
from responder.models import (
    Article,
    ArticleContent,
    Escalation,
    EscalationInput,
    EscalationKind,
    EscalationStatus,
    ExampleQuestion,
    Revision,
    SearchText,
    Status,
    TextSource,
    Visibility,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def aware_or_none(value: datetime | None) -> datetime | None:
    return aware(value) if value is not None else None


def content_to_json(content: ArticleContent) -> str:
    return json.dumps(article_to_mapping(content), ensure_ascii=False, sort_keys=True)


def content_from_json(raw: str) -> ArticleContent:
    data: dict[str, Any] = json.loads(raw)
    return ArticleContent(
        slug=data["slug"],
        language=data["language"],
        title=data["title"],
        short_answer=data["short_answer"],
        body=data.get("body", ""),
        options=tuple(data.get("options", ())),
        agreement=data.get("agreement", ""),
        timeframe=data.get("timeframe", ""),
        category=data.get("category", "general"),
        tags=tuple(data.get("tags", ())),
        visibility=Visibility(data.get("visibility", "public")),
        status=Status(data.get("status", "published")),
    )


def article_from_row(row: Any) -> Article:
    return Article(
        id=row.id,
        revision=row.revision,
        content=content_from_json(row.content),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def revision_from_row(row: Any) -> Revision:
    return Revision(
        article_id=row.article_id,
        revision=row.revision,
        content=content_from_json(row.content),
        edited_by=row.edited_by,
        created_at=aware(row.created_at),
    )


def question_from_row(row: Any) -> ExampleQuestion:
    return ExampleQuestion(
        id=row.id,
        article_id=row.article_id,
        text=row.text,
        language=row.language,
        source=TextSource(row.source),
        escalation_id=row.escalation_id,
        created_at=aware(row.created_at),
    )


def escalation_from_row(row: Any) -> Escalation:
    return Escalation(
        id=row.id,
        input=EscalationInput(
            message=row.message,
            channel=row.channel,
            language=row.language,
            category=row.category,
            reason=row.reason,
            kind=EscalationKind(row.kind),
            tier=row.tier,
            queue=row.queue,
            customer_name=row.customer_name,
            customer_email=row.customer_email,
            received_at=aware(row.received_at),
            due_at=aware(row.due_at) if row.due_at else None,
            tone=row.tone,
        ),
        status=EscalationStatus(row.status),
        received_at=aware(row.received_at),
        escalated_at=aware(row.escalated_at),
        resolved_at=aware(row.resolved_at) if row.resolved_at else None,
        resolution=row.resolution,
        resolved_by=row.resolved_by,
        article_id=row.article_id,
        assignee=row.assignee,
    )


def search_text_from_row(row: Any) -> SearchText:
    return SearchText(
        id=row.id,
        article_id=row.article_id,
        kind=row.kind,
        text=row.text,
        language=row.language,
        content_hash=row.content_hash,
    )


def text_hash(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\x00{text}".encode()).hexdigest()


def article_search_text(content: ArticleContent) -> str:
    """The vector that stands for the article itself: its title and direct answer."""
    return f"{content.title}\n{content.short_answer}"


def body_search_text(content: ArticleContent) -> str | None:
    """The full answer and options carry most of an article's vocabulary (PayPal, Klarna,
    status page...); one more vector, which the model truncates at 512 tokens."""
    parts = [content.title, *content.options, content.body]
    text = "\n".join(p for p in parts if p)
    return text if content.body or content.options else None
