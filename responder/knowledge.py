"""Every write to the KB goes through here: embed its new texts, commit to the store, and make
it searchable before returning.

The new texts are embedded into the vector cache *before* the write transaction, outside
every lock, so neither the write lock nor the index lock is ever held while the model works,
and every process that applies the committed write (this one, other workers, other machines)
finds the vectors cached. After the commit the index catches up to (at least) the write's
revision: a write is matchable when its call returns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from responder.errors import InvalidInput, NotFound
from responder.events import EventDraft
from responder.index.search_index import SearchIndex
from responder.kb.rows import article_search_text, body_search_text
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
        if change.revision:
            self.index.note_revision(change.revision)
            self.index.catch_up(change.revision)

    def _prepare(self, content: ArticleContent | None, questions: Sequence[str] = ()) -> None:
        """Embed the texts a write will make searchable, before its transaction."""
        texts: list[tuple[str, str]] = [("question", q) for q in questions]
        if content is not None:
            texts.append(("article", article_search_text(content)))
            body = body_search_text(content)
            if body:
                texts.append(("body", body))
        self.index.prepare(texts)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many writes as one operation (an import): the article head retrains once, at the
        end, in this process and every other one following the KB."""
        with self.store.bulk():
            yield
        self._apply(Change(revision=self.store.revision()))

    # -- articles ------------------------------------------------------------------------------
    def create_article(
        self, data: Mapping[str, Any], questions: Sequence[str] = (), *, edited_by: str,
        event: EventDraft | None = None,
    ) -> Article:
        content = article_from_mapping(data)
        cleaned = [clean_text(q, "examples", MAX_QUESTION) for q in questions]
        self._prepare(content, cleaned)
        article, change = self.store.create_article(content, cleaned, edited_by=edited_by,
                                                    event=event)
        self._apply(change)
        return article

    def update_article(
        self, article_id: int, data: Mapping[str, Any], *, edited_by: str,
        event: EventDraft | None = None,
    ) -> Article:
        content = article_from_mapping(data)
        self._prepare(content)
        article, change = self.store.update_article(article_id, content, edited_by=edited_by,
                                                    event=event)
        self._apply(change)
        return article

    def set_status(self, article_id: int, status: Status, *, edited_by: str,
                   event: EventDraft | None = None) -> Article:
        article, change = self.store.set_status(article_id, status, edited_by=edited_by,
                                                event=event)
        self._apply(change)
        return article

    def restore_revision(self, article_id: int, revision: int, *, edited_by: str,
                         event: EventDraft | None = None) -> Article:
        article, change = self.store.restore_revision(article_id, revision, edited_by=edited_by,
                                                      event=event)
        self._apply(change)
        return article

    def delete_article(self, article_id: int) -> None:
        self._apply(self.store.delete_article(article_id))

    def upsert_article(
        self, content: ArticleContent, questions: Sequence[str], *, edited_by: str,
        event: EventDraft | None = None,
    ) -> tuple[Article, bool]:
        self._prepare(content, questions)
        article, change, changed = self.store.upsert_article(
            content, questions, edited_by=edited_by, event=event
        )
        self._apply(change)
        return article, changed

    def add_question(self, article_id: int, text: str, language: str, *,
                     event: EventDraft | None = None) -> ExampleQuestion:
        cleaned = clean_text(text, "text", MAX_QUESTION)
        self._prepare(None, [cleaned])
        question, change = self.store.add_question(
            article_id, cleaned, normalise_language(language), source=TextSource.EDITOR,
            event=event,
        )
        self._apply(change)
        return question

    def delete_question(self, article_id: int, question_id: int, *,
                        event: EventDraft | None = None) -> None:
        """Removes one of the article's example questions (and its vector from the index)."""
        if all(q.id != question_id for q in self.store.questions(article_id)):
            raise NotFound(f"Article {article_id} has no example question {question_id}.")
        self._apply(self.store.delete_question(question_id, event=event))

    # -- escalations ---------------------------------------------------------------------------
    def open_escalation(self, data: EscalationInput, *,
                        event: EventDraft | None = None) -> Escalation:
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
        return self.store.open_escalation(checked, event=event)

    def resolve_escalation(
        self, escalation_id: int, request: ResolutionRequest, *, event: EventDraft | None = None,
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
        self._prepare(new_article, [self.store.get_escalation(escalation_id).input.message])
        escalation, article, change = self.store.resolve_escalation(escalation_id, resolution,
                                                                    event=event)
        self._apply(change)
        return escalation, article
