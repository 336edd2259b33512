"""HTTP shapes, kept apart from the domain types they are converted from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from responder.kb.validation import article_to_mapping
from responder.models import Article, Escalation, ExampleQuestion, Hit, Revision


class ArticleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str
    language: str
    title: str
    short_answer: str
    body: str = ""
    options: list[str] = Field(default_factory=list)
    agreement: str = ""
    timeframe: str = ""
    category: str = "general"
    tags: list[str] = Field(default_factory=list)
    visibility: str = "public"
    status: str = "published"


class ArticleCreate(ArticleBody):
    examples: list[str] = Field(default_factory=list, description="Example customer questions.")
    edited_by: str = "api"


class ArticleUpdate(ArticleBody):
    edited_by: str = "api"


class ArticleOut(BaseModel):
    id: int
    revision: int
    created_at: datetime
    updated_at: datetime
    content: dict[str, Any]

    @classmethod
    def of(cls, article: Article) -> ArticleOut:
        return cls(id=article.id, revision=article.revision, created_at=article.created_at,
                   updated_at=article.updated_at, content=article_to_mapping(article.content))


class RevisionOut(BaseModel):
    revision: int
    edited_by: str
    created_at: datetime
    content: dict[str, Any]

    @classmethod
    def of(cls, revision: Revision) -> RevisionOut:
        return cls(revision=revision.revision, edited_by=revision.edited_by,
                   created_at=revision.created_at, content=article_to_mapping(revision.content))


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    language: str


class QuestionOut(BaseModel):
    id: int
    article_id: int
    text: str
    language: str
    source: str
    escalation_id: int | None

    @classmethod
    def of(cls, q: ExampleQuestion) -> QuestionOut:
        return cls(id=q.id, article_id=q.article_id, text=q.text, language=q.language,
                   source=q.source.value, escalation_id=q.escalation_id)


class HitOut(BaseModel):
    article_id: int
    slug: str
    language: str
    title: str
    short_answer: str
    score: float = Field(description="Calibrated confidence in [0, 1], comparable across "
                                     "languages.")
    dense: float
    keyword: float
    matched_text: str
    matched_kind: str
    fallback_language: bool

    @classmethod
    def of(cls, hit: Hit) -> HitOut:
        c = hit.article.content
        return cls(article_id=hit.article.id, slug=c.slug, language=c.language, title=c.title,
                   short_answer=c.short_answer, score=round(hit.score, 4),
                   dense=round(hit.dense, 4), keyword=round(hit.keyword, 4),
                   matched_text=hit.matched_text, matched_kind=hit.matched_kind,
                   fallback_language=hit.fallback_language)


class SearchOut(BaseModel):
    query: str
    language: str
    language_source: str
    hits: list[HitOut]


class EscalationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str
    channel: str = "api"
    language: str | None = None
    category: str = "general"
    reason: str = ""
    customer_name: str = ""
    customer_email: str = ""


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: str
    resolved_by: str
    article_id: int | None = Field(None, description="The question becomes an example of it.")
    new_article: ArticleBody | None = Field(None, description="Or the resolution becomes it.")


class EscalationOut(BaseModel):
    id: int
    status: str
    message: str
    channel: str
    language: str
    category: str
    reason: str
    kind: str
    tier: int
    queue: str
    received_at: datetime
    escalated_at: datetime
    resolved_at: datetime | None
    resolution: str
    resolved_by: str
    article_id: int | None
    due_at: datetime | None = Field(description="When the customer was promised a reply.")
    overdue: bool
    tone: str

    @classmethod
    def of(cls, e: Escalation) -> EscalationOut:
        i = e.input
        return cls(id=e.id, status=e.status.value, message=i.message, channel=i.channel,
                   language=i.language, category=i.category, reason=i.reason,
                   kind=i.kind.value, tier=i.tier, queue=i.queue, received_at=e.received_at,
                   escalated_at=e.escalated_at, resolved_at=e.resolved_at,
                   resolution=e.resolution, resolved_by=e.resolved_by, article_id=e.article_id,
                   due_at=i.due_at, tone=i.tone,
                   overdue=bool(i.due_at and e.status.value == "open"
                                and i.due_at < datetime.now(UTC)))
