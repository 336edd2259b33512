"""Plain domain types shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


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
class VersionAge:
    """One language version's history as far as staleness goes (responder/pipeline.py)."""

    article: Article
    edited_at: datetime  # its latest revision that was more than a change of status
    words_changed_at: datetime | None  # its latest revision after the first that changed words


@dataclass(frozen=True)
class Freshness:
    """The language versions of one article: which one is the source, which are stale."""

    versions: tuple[VersionAge, ...] = ()
    source_id: int | None = None
    stale_ids: frozenset[int] = frozenset()

    @property
    def source(self) -> VersionAge | None:
        return next((v for v in self.versions if v.article.id == self.source_id), None)

    def is_stale(self, article_id: int) -> bool:
        return article_id in self.stale_ids


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
    due_at: datetime | None = None  # when the customer was promised a person's reply (SLA)
    tone: str = "calm"  # the ToneLevel when it was handed off


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
    assignee: str | None = None  # the agent who claimed it (the console's "assign to me")


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
    # the query's own embedding (numpy float32, before any language projection), for the
    # learnt escalation score (responder.escalation_model); None where none was computed
    vector: Any = None


# -- tone: escalation signs ---------------------------------------------------------------------
class ToneLevel(StrEnum):
    """How far a conversation has escalated, in the order routing cares about."""

    CALM = "calm"  # nothing, or only a neutral request
    UPSET = "upset"  # frustration, urgency, some shouting: answer with more empathy
    ANGRY = "angry"  # strong anger, heavy shouting, several cues together
    HOSTILE = "hostile"  # insults, offensive language or threats: a supervisor, at once

    @property
    def rank(self) -> int:
        return _TONE_RANK[self]


_TONE_RANK = {ToneLevel.CALM: 0, ToneLevel.UPSET: 1, ToneLevel.ANGRY: 2, ToneLevel.HOSTILE: 3}


class CueKind(StrEnum):
    ANGER = "anger"  # anger and frustration ("this is ridiculous", "I'm fed up")
    SHOUTING = "shouting"  # capitals, repeated "!" or "?"
    INSULT = "insult"  # insults and offensive language
    THREAT = "threat"  # lawyer, court, press, bad review, leaving for a competitor
    HUMAN = "human"  # demands for a manager, a supervisor or a human
    URGENCY = "urgency"  # "right now", "urgent", "today"


@dataclass(frozen=True)
class Cue:
    """One escalation sign, with the span of the message it was found in."""

    kind: CueKind
    text: str  # the matched words as the customer wrote them
    start: int
    end: int


@dataclass(frozen=True)
class LearntScore:
    """A learnt classifier's score for one cue kind, and the thresholds it is read against.

    `flagged` (score >= threshold, in a message where the score may count alone) counts as
    that cue kind on its own, over the whole message; `supports` (score >= support, a lower
    bar) turns a mild lexicon word ("stupid") into the cue kind. Shown to agents as e.g.
    "learnt insult score 0.83 >= 0.71".
    """

    kind: CueKind
    score: float  # a probability, 0..1
    threshold: float
    support: float
    # False for a message too short for the score alone to be a reason to answer a customer as
    # abusive (responder/tone.py, LEARNT_ALONE_MIN_WORDS).
    may_count_alone: bool = True

    @property
    def over_threshold(self) -> bool:
        return self.score >= self.threshold

    @property
    def flagged(self) -> bool:
        return self.over_threshold and self.may_count_alone

    @property
    def supports(self) -> bool:
        return self.score >= self.support


@dataclass(frozen=True)
class ContextCheck:
    """The learnt context check's reading of a message the lexicons found cues in: how likely
    those cues are meant (a threat made, not "how do I file a chargeback?"). Below the
    threshold the cues are set aside: kept here for agents to see, no longer counted. Shown
    as "learnt context score 0.07 < 0.11: set aside threat 'Vor Gericht'"."""

    score: float  # a probability that the message is escalated, 0..1
    threshold: float
    set_aside: tuple[Cue, ...] = ()  # the lexicon's cues, when they were set aside

    @property
    def kept(self) -> bool:
        return self.score >= self.threshold


@dataclass(frozen=True)
class Tone:
    level: ToneLevel
    cues: tuple[Cue, ...] = ()
    learnt: tuple[LearntScore, ...] = ()  # every learnt score, flagged or not
    # The customer says plainly they are not upset ("bin nicht sauer"): a learnt score that
    # only guesses anger from the whole message does not overrule that.
    reassured: bool = False
    check: ContextCheck | None = None  # read only where the message's vector is at hand

    def has(self, kind: CueKind) -> bool:
        """A cue of `kind` in the text, or a learnt score for `kind` at or over its threshold."""
        return any(cue.kind is kind for cue in self.cues) or any(
            score.kind is kind and score.flagged for score in self.learnt)

    def learnt_score(self, kind: CueKind) -> LearntScore | None:
        return next((score for score in self.learnt if score.kind is kind), None)

    @property
    def escalated(self) -> bool:
        """Any sign of escalation at all (what the labelled tone set scores)."""
        return self.level is not ToneLevel.CALM or any(
            self.has(kind) for kind in (CueKind.HUMAN, CueKind.THREAT, CueKind.INSULT))


# -- replies ------------------------------------------------------------------------------------
class ReplyKind(StrEnum):
    ANSWER = "answer"  # the KB answer
    ANSWER_OFFER_HUMAN = "answer_offer_human"  # the KB answer, and a human if it does not help
    HANDOFF = "handoff"  # no answer: acknowledge, say who takes over and by when


class Mood(StrEnum):
    """What the reply's tone adapts to (derived from ToneLevel)."""

    CALM = "calm"
    UPSET = "upset"  # stronger empathy in the acknowledge step
    ABUSIVE = "abusive"  # calm polite boundary, never repeats the insult, hands off


@dataclass(frozen=True)
class ArticleView:
    """What a template may show of an article (already in the reply's language if possible)."""

    slug: str
    title: str
    short_answer: str
    options: tuple[str, ...] = ()
    agreement: str = ""
    timeframe: str = ""
    url: str = ""


@dataclass(frozen=True)
class HandoffView:
    reference: str  # e.g. "#42": the customer can quote it
    team: str  # human-readable team name from the escalation matrix
    due: datetime  # when the customer hears from a person (received + SLA), timezone-aware
    sla: timedelta  # the SLA response time itself
    hierarchical: bool  # a supervisor takes over (threats, abuse, authority needed)


@dataclass(frozen=True)
class Contact:
    """The other service channels, named in the 'anything else' step."""

    company: str = "Nordlys Shop"
    signature: str = "Nordlys Customer Service"
    email: str = "support@nordlys.example"
    phone: str = "+45 70 00 00 00"
    hours: str = "Mon-Fri 08-20, Sat 10-16"
    help_url: str = "https://help.nordlys.example"


@dataclass(frozen=True)
class StaleTranslation:
    """Why a reply answers from another language version than the customer's."""

    language: str  # the stale version's language
    source_language: str  # the version the reply answers from


@dataclass(frozen=True)
class ReplyContext:
    """Everything a channel template needs; templates get nothing else."""

    channel: str  # "helppage", "email" or "chat"
    language: str  # the reply's language (one of SUPPORTED_LANGUAGES)
    kind: ReplyKind
    mood: Mood = Mood.CALM
    customer_name: str = ""
    article: ArticleView | None = None  # required unless kind is HANDOFF
    handoff: HandoffView | None = None  # required when kind is HANDOFF
    contact: Contact = field(default_factory=Contact)
    # the customer wrote in a language we do not support; we answer in `language` and say so
    unsupported_language: str | None = None
    # the second-best article, named when the match is middling (answer and offer a human)
    runner_up: ArticleView | None = None
    # the customer's language version is a stale translation: the reply answers from the
    # source version instead and says so (responder/pipeline.py, Staleness)
    stale_translation: StaleTranslation | None = None


@dataclass(frozen=True)
class RenderedReply:
    channel: str
    language: str
    text: str  # plain text (every channel)
    html: str | None = None  # help page and email
    subject: str | None = None  # email only
