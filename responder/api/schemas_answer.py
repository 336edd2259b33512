"""HTTP shapes of the answer path, agent search and lint."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from responder.agents import AgentHit
from responder.api.schemas import MAX_MESSAGE, MESSAGE_LIMIT, HitOut, Language
from responder.kb.validation import MAX_EMAIL, MAX_NAME
from responder.language import EARLIER_MESSAGES
from responder.lint import Finding
from responder.models import Cue, Escalation, RenderedReply, Tone
from responder.pipeline import Outcome


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_MESSAGE,
                      description=f"The customer's message. {MESSAGE_LIMIT}",
                      examples=["the ATM kept my card"])
    channel: Literal["helppage", "email", "chat"] = Field(
        description="helppage, email or chat: decides the reply's form.")
    language: Language | None = Field(
        None, description="The customer's language if known (profile, form); wins when "
        "detection is unsure. Otherwise Accept-Language is used as the hint.")
    customer_name: str = Field("", max_length=MAX_NAME, description="One line.",
                               examples=["Anna Berg"])
    customer_email: str = Field("", max_length=MAX_EMAIL, description="name@domain, or empty.",
                                examples=["anna@example.com"])
    earlier: list[Annotated[str, Field(max_length=MAX_MESSAGE)]] = Field(
        default_factory=list, max_length=EARLIER_MESSAGES,
        description="The customer's earlier messages in the same conversation, oldest first "
        f"(at most {EARLIER_MESSAGES}): they decide the reply's language when this message "
        "alone does not, after `language`.", examples=[["Hej, jeg venter stadig på min pakke"]])


class CueOut(BaseModel):
    kind: str
    text: str
    start: int
    end: int


class LearntScoreOut(BaseModel):
    kind: str = Field(description=(
        "The cue kind the model scores: insult (the n-gram insult score) or anger (the "
        "escalation score on the message's query vector, which makes a calm message upset)."))
    score: float = Field(description="The model's probability, 0 to 1.")
    threshold: float = Field(description="At or above it the score alone counts as the cue.")
    support: float = Field(description="At or above it the score confirms a mild word "
                                       "(\"stupid\") as the cue; over 1 when it confirms "
                                       "none.")
    may_count_alone: bool = Field(description=(
        "False for a message of under 10 words: there the score alone does not make the "
        "message an insult (it still confirms mild words such as 'stupid')."))
    flagged: bool = Field(description="The score counts as its cue kind.")


class ContextCheckOut(BaseModel):
    score: float = Field(description=(
        "How likely the cues the lexicons found are meant, read off the message's query "
        "vector and the cue kinds (0 to 1)."))
    threshold: float = Field(description="Under it the cues are set aside.")
    kept: bool = Field(description="The cues count.")
    set_aside: list[CueOut] = Field(description=(
        "The cues found but set aside as not meant (\"Vor Gericht müssen wir nicht\"); they "
        "no longer count, and the message is calm."))


class ToneOut(BaseModel):
    level: str
    escalated: bool
    cues: list[CueOut] = Field(description="Words of the message that are escalation signs.")
    learnt: list[LearntScoreOut] = Field(description=(
        "Scores of the model learnt from public offensive-language data, with the thresholds "
        "they are read against; a flagged one counts as its cue kind over the whole message."))
    context_check: ContextCheckOut | None = Field(default=None, description=(
        "The learnt context check, read when the lexicons found cues and the message was "
        "embedded with the model it was trained on; null otherwise."))

    @classmethod
    def of(cls, tone: Tone) -> ToneOut:
        check = tone.check
        return cls(level=tone.level.value, escalated=tone.escalated, cues=_cues(tone.cues),
                   learnt=[LearntScoreOut(kind=s.kind.value, score=round(s.score, 4),
                                          threshold=s.threshold, support=s.support,
                                          may_count_alone=s.may_count_alone, flagged=s.flagged)
                           for s in tone.learnt],
                   context_check=None if check is None else ContextCheckOut(
                       score=round(check.score, 4), threshold=check.threshold,
                       kept=check.kept, set_aside=_cues(check.set_aside)))


def _cues(cues: tuple[Cue, ...]) -> list[CueOut]:
    return [CueOut(kind=c.kind.value, text=c.text, start=c.start, end=c.end) for c in cues]


class LanguageOut(BaseModel):
    code: str = Field(description="The language the reply is in.")
    source: str = Field(description=(
        "What chose `code`: detected (the message itself), hint (the `language` field or "
        "Accept-Language, used when the message alone left the language open), conversation "
        "(the customer's earlier messages), knowledge_base (the language of the knowledge-base "
        "texts the message matched) or default (the configured default language; also for an "
        "unsupported language)."))
    detected: str | None = Field(description="The detector's own answer, before any fallback.")
    confidence: float
    candidates: list[str] = Field(description="The supported languages the message alone left "
                                              "open, most likely first; empty when it decided.")
    unsupported: str | None = Field(description="The customer's language when we do not "
                                                "support it (the reply says so).")


class DecisionOut(BaseModel):
    kind: str = Field(description="answer, answer_offer_human or handoff.")
    rule: str = Field(description="The escalation-matrix rule that decided.")
    why: str


class ReplyOut(BaseModel):
    channel: str
    language: str
    subject: str | None
    text: str
    html: str | None

    @classmethod
    def of(cls, reply: RenderedReply) -> ReplyOut:
        return cls(channel=reply.channel, language=reply.language, subject=reply.subject,
                   text=reply.text, html=reply.html)


class HandoffOut(BaseModel):
    escalation_id: int
    queue: str
    tier: int
    kind: str
    due_at: datetime | None

    @classmethod
    def of(cls, e: Escalation) -> HandoffOut:
        return cls(escalation_id=e.id, queue=e.input.queue, tier=e.input.tier,
                   kind=e.input.kind.value, due_at=e.input.due_at)


class AnswerOut(BaseModel):
    decision: DecisionOut
    language: LanguageOut
    tone: ToneOut
    matches: list[HitOut]
    reply: ReplyOut
    escalation: HandoffOut | None
    answer_id: str = Field(description="Refer to this answer in POST /feedback (\"did this "
                                       "help?\"); unguessable.")

    @classmethod
    def of(cls, o: Outcome, answer_id: str) -> AnswerOut:
        d = o.language
        return cls(answer_id=answer_id,
            decision=DecisionOut(kind=o.decision.kind.value, rule=o.decision.rule,
                                 why=o.decision.why),
            language=LanguageOut(code=d.language, source=d.source, detected=d.detected,
                                 confidence=round(d.confidence, 4), unsupported=d.unsupported,
                                 candidates=list(d.candidates)),
            tone=ToneOut.of(o.tone), matches=[HitOut.of(h) for h in o.hits],
            reply=ReplyOut.of(o.reply),
            escalation=HandoffOut.of(o.escalation) if o.escalation else None,
        )


class ResolutionOut(BaseModel):
    escalation_id: int
    question: str
    resolution: str
    resolved_by: str
    resolved_at: datetime | None


class AgentHitOut(HitOut):
    category: str
    updated_at: datetime
    resolutions: list[ResolutionOut]
    suggested_replies: dict[str, ReplyOut]
    stale_source: str | None = Field(description=(
        "When this version is a translation older than its source (the source's wording "
        "changed after it was last edited): the source's language. The responder does not "
        "answer customers from such a version."))

    @classmethod
    def of_agent(cls, found: AgentHit) -> AgentHitOut:
        return cls(
            **HitOut.of(found.hit).model_dump(), category=found.hit.article.content.category,
            updated_at=found.hit.article.updated_at,
            resolutions=[ResolutionOut(escalation_id=e.id, question=e.input.message,
                                       resolution=e.resolution, resolved_by=e.resolved_by,
                                       resolved_at=e.resolved_at) for e in found.resolutions],
            suggested_replies={ch: ReplyOut.of(r) for ch, r in found.replies.items()},
            stale_source=found.stale_source,
        )


class AgentSearchOut(BaseModel):
    query: str
    language: str
    hits: list[AgentHitOut]


MAX_LINT = 100_000


class LintIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_LINT,
                      examples=["Please calm down, that's not our policy."])
    language: Language


class FindingOut(BaseModel):
    severity: str
    rule: str
    phrase: str
    start: int
    end: int
    message: str
    suggestion: str
    field: str

    @classmethod
    def of(cls, f: Finding) -> FindingOut:
        return cls(severity=f.severity, rule=f.rule, phrase=f.phrase, start=f.start, end=f.end,
                   message=f.message, suggestion=f.suggestion, field=f.field)


class LintOut(BaseModel):
    errors: int
    warnings: int
    findings: list[FindingOut]

    @classmethod
    def of(cls, findings: list[Finding]) -> LintOut:
        errors = sum(f.severity == "error" for f in findings)
        return cls(errors=errors, warnings=len(findings) - errors,
                   findings=[FindingOut.of(f) for f in findings])
