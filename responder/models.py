"""Plain domain types shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class EscalationKind(StrEnum):
    FUNCTIONAL = "functional"
    HIERARCHICAL = "hierarchical"


class EscalationStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class TextSource(StrEnum):
    """Where an example question came from."""

    EDITOR = "editor"
    ESCALATION = "escalation"
    IMPORT = "import"


@dataclass(frozen=True)
class ArticleContent:
    """Everything an editor writes; validated by responder.kb.validation."""

    slug: str
    language: str
    title: str
    short_answer: str
    body: str = ""
    options: tuple[str, ...] = ()
    agreement: str = ""
    timeframe: str = ""
    category: str = "general"
    tags: tuple[str, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    status: Status = Status.PUBLISHED


@dataclass(frozen=True)
class Article:
    id: int
    revision: int
    content: ArticleContent
    created_at: datetime
    updated_at: datetime

    @property
    def slug(self) -> str:
        return self.content.slug

    @property
    def language(self) -> str:
        return self.content.language


@dataclass(frozen=True)
class ExampleQuestion:
    id: int
    article_id: int
    text: str
    language: str
    source: TextSource
    escalation_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Revision:
    article_id: int
    revision: int
    content: ArticleContent
    edited_by: str
    created_at: datetime


@dataclass(frozen=True)
class EscalationInput:
    message: str
    channel: str
    language: str
    category: str = "general"
    reason: str = ""
    kind: EscalationKind = EscalationKind.FUNCTIONAL
    tier: int = 2
    queue: str = "tier2"
    customer_name: str = ""
    customer_email: str = ""
    received_at: datetime | None = None


@dataclass(frozen=True)
class Escalation:
    id: int
    input: EscalationInput
    status: EscalationStatus
    received_at: datetime
    escalated_at: datetime
    resolved_at: datetime | None = None
    resolution: str = ""
    resolved_by: str = ""
    article_id: int | None = None


@dataclass(frozen=True)
class SearchText:
    """One searchable text: one vector in the index, mapped to its article."""

    id: int
    article_id: int
    kind: str  # "article" (title + short answer) or "question"
    text: str
    language: str
    content_hash: str


@dataclass(frozen=True)
class Hit:
    """One ranked article for a query."""

    article: Article
    score: float  # calibrated: probability-like, comparable across languages
    dense: float
    keyword: float
    matched_text: str
    matched_kind: str
    fallback_language: bool = False  # the customer's language version does not exist


@dataclass
class SearchResult:
    query: str
    language: str
    hits: list[Hit] = field(default_factory=list)
