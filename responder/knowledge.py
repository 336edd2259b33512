"""Every write to the KB goes through here: commit to the store, then reach the index at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from responder.errors import InvalidInput
from responder.index.search_index import SearchIndex
from responder.kb.store import Change, KBStore, Resolution
from responder.kb.validation import (
    MAX_CATEGORY,
    MAX_EDITOR,
    MAX_NAME,
    MAX_QUESTION,
    MAX_REASON,
    article_from_mapping,
    check_id,
    clean_email,
    clean_line,
    clean_text,
    clip_text,
    normalise_language,
)
from responder.models import (
    Article,
    ArticleContent,
    Escalation,
    EscalationInput,
    EscalationKind,
    ExampleQuestion,
    Status,
    TextSource,
)

CHANNELS = ("helppage", "email", "chat", "api")


@dataclass(frozen=True)
class ResolutionRequest:
    text: str
    resolved_by: str
    article_id: int | None = None
    new_article: Mapping[str, Any] | None = None


class KnowledgeBase:
    def __init__(self, store: KBStore, index: SearchIndex, max_text_chars: int = 8000) -> None:
        self.store = store
        self.index = index
        self.max_text_chars = max_text_chars

    def _apply(self, change: Change) -> None:
        self.index.apply(change)

    # -- articles ------------------------------------------------------------------------------
    def create_article(
        self, data: Mapping[str, Any], questions: Sequence[str] = (), *, edited_by: str
    ) -> Article:
        content = article_from_mapping(data)
        cleaned = [clean_text(q, "examples", MAX_QUESTION) for q in questions]
        article, change = self.store.create_article(content, cleaned, edited_by=edited_by)
        self._apply(change)
        return article

    def update_article(
        self, article_id: int, data: Mapping[str, Any], *, edited_by: str
    ) -> Article:
        article, change = self.store.update_article(
            article_id, article_from_mapping(data), edited_by=edited_by
        )
        self._apply(change)
        return article

    def set_status(self, article_id: int, status: Status, *, edited_by: str) -> Article:
        article, change = self.store.set_status(article_id, status, edited_by=edited_by)
        self._apply(change)
        return article

    def restore_revision(self, article_id: int, revision: int, *, edited_by: str) -> Article:
        article, change = self.store.restore_revision(article_id, revision, edited_by=edited_by)
        self._apply(change)
        return article

    def delete_article(self, article_id: int) -> None:
        self._apply(self.store.delete_article(article_id))

    def upsert_article(
        self, content: ArticleContent, questions: Sequence[str], *, edited_by: str
    ) -> tuple[Article, bool]:
        article, change, changed = self.store.upsert_article(
            content, questions, edited_by=edited_by
        )
        self._apply(change)
        return article, changed

    def add_question(self, article_id: int, text: str, language: str) -> ExampleQuestion:
        question, change = self.store.add_question(
            article_id, clean_text(text, "text", MAX_QUESTION),
            normalise_language(language), source=TextSource.EDITOR,
        )
        self._apply(change)
        return question

    # -- escalations ---------------------------------------------------------------------------
    def open_escalation(self, data: EscalationInput) -> Escalation:
        if data.channel not in CHANNELS:
            raise InvalidInput(
                f"Unsupported channel {data.channel!r}; expected one of {list(CHANNELS)}.",
                field="channel",
            )
        if data.tier < 1:
            raise InvalidInput("tier must be 1 or higher.", field="tier")
        checked = EscalationInput(
            **{**data.__dict__,
               "message": clean_text(data.message, "message", self.max_text_chars),
               "language": normalise_language(data.language),
               "category": clean_line(data.category, "category", MAX_CATEGORY).lower(),
               "reason": clip_text(data.reason, "reason", MAX_REASON),
               "queue": clean_line(data.queue, "queue", MAX_CATEGORY),
               "customer_name": clean_line(data.customer_name, "customer_name", MAX_NAME,
                                           required=False),
               "customer_email": clean_email(data.customer_email),
               "kind": EscalationKind(data.kind)}
        )
        return self.store.open_escalation(checked)

    def resolve_escalation(
        self, escalation_id: int, request: ResolutionRequest
    ) -> tuple[Escalation, Article]:
        """The loop: the resolution teaches the KB and is matchable before this returns."""
        check_id(escalation_id, "escalation_id")
        new_article = (
            article_from_mapping(request.new_article) if request.new_article is not None else None
        )
        resolution = Resolution(
            text=clean_text(request.text, "resolution", self.max_text_chars),
            resolved_by=clean_line(request.resolved_by, "resolved_by", MAX_EDITOR),
            article_id=(check_id(request.article_id, "article_id")
                        if request.article_id is not None else None),
            new_article=new_article,
        )
        escalation, article, change = self.store.resolve_escalation(escalation_id, resolution)
        self._apply(change)
        return escalation, article
