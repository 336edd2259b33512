"""HTTP shapes, kept apart from the domain types they are converted from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from responder.kb.validation import (
    MAX_BODY,
    MAX_CATEGORY,
    MAX_EMAIL,
    MAX_EXAMPLES,
    MAX_ID,
    MAX_LANGUAGE,
    MAX_NAME,
    MAX_OPTIONS,
    MAX_QUESTION,
    MAX_REASON,
    MAX_SHORT,
    MAX_SLUG,
    MAX_TAG,
    MAX_TAGS,
    MAX_TIMEFRAME,
    MAX_TITLE,
    SLUG_PATTERN,
    article_to_mapping,
)
from responder.models import Article, Escalation, ExampleQuestion, Hit, Revision, Status, Visibility

# The service's own limit is RESPONDER_MAX_TEXT_CHARS (8000 by default); this is the ceiling.
MAX_MESSAGE = 100_000
MESSAGE_LIMIT = "At most RESPONDER_MAX_TEXT_CHARS characters (8000 by default) once trimmed."


Slug = Annotated[str, Field(
    min_length=1, max_length=MAX_SLUG, pattern=SLUG_PATTERN.pattern, examples=["refund-status"],
    description="Lower-case letters, digits and single '-' between words.")]
Language = Annotated[str, Field(min_length=1, max_length=MAX_LANGUAGE, examples=["en"],
                                description="en, da, nb, de, ru (or 'no').")]
Question = Annotated[str, Field(min_length=1, max_length=MAX_QUESTION,
                                examples=["where is my refund"])]


class ArticleBody(BaseModel):
    """Text fields are trimmed; title, timeframe, category and tags are one line each."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug
    language: Language
    title: str = Field(min_length=1, max_length=MAX_TITLE, examples=["When do I get my refund"])
    short_answer: str = Field(min_length=1, max_length=MAX_SHORT,
                              examples=["Refunds arrive within 5 working days."])
    body: str = Field("", max_length=MAX_BODY)
    options: list[Annotated[str, Field(min_length=1, max_length=MAX_SHORT)]] = Field(
        default_factory=list, max_length=MAX_OPTIONS)
    agreement: str = Field("", max_length=MAX_SHORT)
    timeframe: str = Field("", max_length=MAX_TIMEFRAME)
    category: str = Field("general", min_length=1, max_length=MAX_CATEGORY,
                          examples=["refunds"])
    tags: list[Annotated[str, Field(max_length=MAX_TAG)]] = Field(
        default_factory=list, max_length=MAX_TAGS)
    visibility: Visibility = Visibility.PUBLIC
    status: Status = Status.PUBLISHED


class ArticleCreate(ArticleBody):
    examples: list[Question] = Field(
        default_factory=list, max_length=MAX_EXAMPLES,
        description=f"Example customer questions, at most {MAX_EXAMPLES} in one request; add "
                    "more with POST /articles/{id}/questions.")


class ArticleUpdate(ArticleBody):
    """Every field of the article; the editor is who is signed in."""


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
    text: Question
    language: Language


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
    message: str = Field(min_length=1, max_length=MAX_MESSAGE, description=MESSAGE_LIMIT,
                         examples=["I was charged twice for order 1042"])
    channel: Literal["helppage", "email", "chat", "api"] = "api"
    language: Language | None = None
    category: str = Field("general", min_length=1, max_length=MAX_CATEGORY, description=(
        "One of the categories of the escalation matrix (the 422 lists them); 'general' "
        "always works."), examples=["billing"])
    reason: str = Field("", max_length=MAX_REASON)
    customer_name: str = Field("", max_length=MAX_NAME, description="One line.",
                               examples=["Anna Berg"])
    customer_email: str = Field("", max_length=MAX_EMAIL, description="name@domain, or empty.",
                                examples=["anna@example.com"])


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: str = Field(min_length=1, max_length=MAX_MESSAGE, description=MESSAGE_LIMIT,
                            examples=["Refunded the second charge."])
    article_id: int | None = Field(None, ge=1, le=MAX_ID, examples=[1],
                                   description="The question becomes an example of it.")
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
    assignee: str | None = Field(description="The agent who claimed it in the console, "
                                             "if anyone has.")

    @classmethod
    def of(cls, e: Escalation) -> EscalationOut:
        i = e.input
        return cls(id=e.id, status=e.status.value, message=i.message, channel=i.channel,
                   language=i.language, category=i.category, reason=i.reason,
                   kind=i.kind.value, tier=i.tier, queue=i.queue, received_at=e.received_at,
                   escalated_at=e.escalated_at, resolved_at=e.resolved_at,
                   resolution=e.resolution, resolved_by=e.resolved_by, article_id=e.article_id,
                   due_at=i.due_at, tone=i.tone, assignee=e.assignee,
                   overdue=bool(i.due_at and e.status.value == "open"
                                and i.due_at < datetime.now(UTC)))
