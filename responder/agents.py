"""Search for tier-1 agents: articles and the past resolutions behind them, with filters and
a suggested reply per channel for the ticket in front of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from responder.index.retriever import Audience, Retriever
from responder.kb.store import KBStore
from responder.models import (
    Contact,
    Escalation,
    Hit,
    Mood,
    RenderedReply,
    ReplyContext,
    ReplyKind,
)
from responder.pipeline import article_view, mood_of, readings
from responder.render import SUPPORTED_CHANNELS, Renderer
from responder.tone import detect_tone

CANDIDATES = 50  # matched before filtering, so filters do not empty a short list


class Source(StrEnum):
    KB = "kb"  # every article
    RESOLUTION = "resolution"  # only articles that a resolved escalation taught


@dataclass(frozen=True)
class AgentFilters:
    category: str | None = None
    source: Source = Source.KB
    since: datetime | None = None  # the article or one of its resolutions changed since
    until: datetime | None = None


@dataclass(frozen=True)
class AgentHit:
    hit: Hit
    resolutions: list[Escalation]
    replies: dict[str, RenderedReply] = field(default_factory=dict)  # channel -> reply
    # The language of the source version when this hit is a stale translation of it.
    stale_source: str | None = None


class AgentSearch:
    def __init__(
        self, retriever: Retriever, store: KBStore, renderer: Renderer, contact: Contact
    ) -> None:
        self.retriever = retriever
        self.store = store
        self.renderer = renderer
        self.contact = contact

    def search(
        self, query: str, language: str, *, k: int = 5, filters: AgentFilters | None = None,
        customer_name: str = "",
    ) -> list[AgentHit]:
        filters = filters or AgentFilters()
        tone = detect_tone(query, language)
        hits = self.retriever.search_many(
            readings(query, tone), language, k=CANDIDATES, audience=Audience.AGENT,
            category=filters.category,
        ).hits
        mood = Mood.UPSET if mood_of(tone) is Mood.ABUSIVE else mood_of(tone)
        found = []
        for hit in hits:
            siblings = [a.id for a in self.retriever.index.translations(hit.article.slug)]
            resolutions = self.store.resolutions_for(siblings or [hit.article.id])
            if _passes(hit, resolutions, filters):
                replies = {
                    channel: self.renderer.render(ReplyContext(
                        channel=channel, language=language, kind=ReplyKind.ANSWER,
                        mood=mood,
                        customer_name=customer_name, contact=self.contact,
                        article=article_view(hit, self.contact.help_url),
                    ))
                    for channel in SUPPORTED_CHANNELS
                }
                found.append(AgentHit(hit, resolutions, replies))
            if len(found) == k:
                break
        return found


def _passes(hit: Hit, resolutions: list[Escalation], filters: AgentFilters) -> bool:
    if filters.source is Source.RESOLUTION and not resolutions:
        return False
    if filters.since is None and filters.until is None:
        return True
    moments = [hit.article.updated_at] + [e.resolved_at for e in resolutions if e.resolved_at]
    return any(
        (filters.since is None or moment >= filters.since)
        and (filters.until is None or moment <= filters.until)
        for moment in moments
    )
