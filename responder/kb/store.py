"""The storage contract. Every backend passes tests/kb/test_store_contract.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

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

if TYPE_CHECKING:  # events imports the store's schema
    from sqlalchemy import Connection

    from responder.events import EventDraft


@dataclass
class Change:
    """What a committed write did to the searchable texts; the index applies it at once."""

    added: list[SearchText] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # new state of touched articles
    deleted_articles: list[int] = field(default_factory=list)
    revision: int = 0  # the KB revision this write committed as (0: it changed nothing)


@dataclass
class ChangeBatch:
    """What happened between two KB revisions, with row data read at the newer one."""

    since: int
    revision: int
    complete: bool  # False: entries after `since` were pruned; compare the whole index instead
    added: list[SearchText] = field(default_factory=list)  # present at `revision`
    removed: set[int] = field(default_factory=set)
    articles: list[Article] = field(default_factory=list)  # their state at `revision`
    deleted_articles: set[int] = field(default_factory=set)
    kinds: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.revision == self.since


@dataclass
class Snapshot:
    """Everything the index derives from, read in one transaction."""

    revision: int
    articles: list[Article]
    texts: list[SearchText]


@dataclass(frozen=True)
class Resolution:
    """How a resolved escalation teaches the KB: attach to an article, or become one."""

    text: str
    resolved_by: str
    article_id: int | None = None  # the question becomes an example of this article
    new_article: ArticleContent | None = None  # or the resolution becomes this article


class KBStore(Protocol):
    def revision(self) -> int: ...

    # the ordered history (responder/kb/changelog.py)
    def changes_since(self, revision: int) -> ChangeBatch: ...
    def read_all(self) -> Snapshot: ...
    def bulk(self) -> AbstractContextManager[None]: ...

    # articles
    def create_article(
        self, content: ArticleContent, questions: Sequence[str] = (), *, edited_by: str,
        event: EventDraft | None = None,
    ) -> tuple[Article, Change]: ...
    def update_article(
        self, article_id: int, content: ArticleContent, *, edited_by: str,
        event: EventDraft | None = None,
    ) -> tuple[Article, Change]: ...
    def set_status(
        self, article_id: int, status: Status, *, edited_by: str, event: EventDraft | None = None,
    ) -> tuple[Article, Change]: ...
    def restore_revision(
        self, article_id: int, revision: int, *, edited_by: str, event: EventDraft | None = None,
    ) -> tuple[Article, Change]: ...
    def delete_article(self, article_id: int) -> Change: ...
    def upsert_article(
        self, content: ArticleContent, questions: Sequence[str], *, edited_by: str,
        event: EventDraft | None = None,
    ) -> tuple[Article, Change, bool]: ...
    def get_article(self, article_id: int) -> Article: ...
    def find_article(self, slug: str, language: str) -> Article | None: ...
    def translations(self, slug: str) -> list[Article]: ...
    def list_articles(
        self, *, language: str | None = None, status: Status | None = None,
        category: str | None = None,
    ) -> list[Article]: ...
    def revisions(self, article_id: int) -> list[Revision]: ...

    # example questions
    def add_question(
        self, article_id: int, text: str, language: str, *, source: TextSource = TextSource.EDITOR,
        event: EventDraft | None = None,
    ) -> tuple[ExampleQuestion, Change]: ...
    def delete_question(self, question_id: int, *,
                        event: EventDraft | None = None) -> Change: ...
    def questions(self, article_id: int) -> list[ExampleQuestion]: ...

    # escalations
    def open_escalation(self, data: EscalationInput, *, event: EventDraft | None = None) -> Escalation: ...
    def get_escalation(self, escalation_id: int) -> Escalation: ...
    def add_follow_up(
        self, escalation_id: int, text: str, *, event: EventDraft | None = None,
        also: Callable[[Connection], None] | None = None,
    ) -> Escalation: ...
    def list_escalations(
        self, status: EscalationStatus | None = None, *, queue: str | None = None,
        by_due: bool = False,
    ) -> list[Escalation]: ...
    def resolutions_for(self, article_ids: Sequence[int]) -> list[Escalation]: ...
    def assign_escalation(
        self, escalation_id: int, assignee: str | None, *, event: EventDraft | None = None,
    ) -> Escalation: ...
    def move_escalation(
        self, escalation_id: int, queue: str, *, event: EventDraft | None = None,
    ) -> Escalation: ...
    def resolve_escalation(
        self, escalation_id: int, resolution: Resolution, *, event: EventDraft | None = None,
    ) -> tuple[Escalation, Article, Change]: ...

    # what the index derives from
    def search_texts(self, ids: Iterable[int] | None = None) -> list[SearchText]: ...
    def search_text_ids(self) -> set[int]: ...
    def get_vectors(self, model_id: str, hashes: Sequence[str]) -> dict[str, bytes]: ...
    def put_vectors(self, model_id: str, vectors: dict[str, bytes]) -> None: ...

    def close(self) -> None: ...
