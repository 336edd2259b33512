"""respond(message): language -> tone -> match -> decide -> (hand off) -> render.

Every collaborator is passed in; wiring.py picks them.

Stale translations. The language versions of one article (one slug) are written from one
*source*: the version in the default language (RESPONDER_DEFAULT_LANGUAGE), or, when there is
none, the oldest version; archived versions are never the source. Editors write in the default
language and translate from it, so that is where changes start, and the choice does not move
when someone edits another version. A translation is *stale* when the source's words (title,
short answer, options, agreement, timeframe, body) changed after the translation was last
edited: the customer would read the old promise. The source's creation is not a change (a
translation may be older than the source version it now sits beside), nor is a change of
status, category, tags or visibility, which need no new translation. A translation counts as
edited by any save that was more than a change of status, an unchanged one too: that is how a
translator says it is still right. The responder never answers from a stale translation
(RESPONDER_STALE_TRANSLATIONS): "source" answers from the source version and the reply says
so; "handoff" hands the question to a person, as it does when the source is not public.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from responder import escalation_model
from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput, NotFound
from responder.events import EventDraft
from responder.index.retriever import Retriever
from responder.kb.validation import clean_email, clean_line, clean_text, normalise_language
from responder.knowledge import KnowledgeBase
from responder.language import EARLIER_MESSAGES, Detection, detect_language, with_knowledge
from responder.models import (
    Article,
    ArticleContent,
    ArticleView,
    Contact,
    CueKind,
    Escalation,
    EscalationInput,
    Freshness,
    HandoffView,
    Hit,
    Mood,
    RenderedReply,
    ReplyContext,
    ReplyKind,
    Revision,
    StaleTranslation,
    Status,
    Tone,
    ToneLevel,
    VersionAge,
    Visibility,
)
from responder.render import SUPPORTED_CHANNELS, Renderer
from responder.routing import Decision, Facts, Router
from responder.tone import content_sentences, content_text, detect_tone, learnt_notes

MAX_NAME = 200
MAX_EMAIL = 320
MAX_SENTENCES = 3  # content sentences matched besides the whole message
# Below this a match says nothing about the topic, so it does not pick the team either.
ROUTING_CONFIDENCE = 0.2
STALE_RULE = "stale-translation"


@dataclass(frozen=True)
class Message:
    text: str
    channel: str
    language: str | None = None  # the caller's hint: declared, Accept-Language or profile
    customer_name: str = ""
    customer_email: str = ""
    # Articles the customer already said did not help ("Did this help? No", then the
    # contact form): never the answer again, so the choice is another article or a person.
    not_these: tuple[str, ...] = ()
    # The customer's earlier messages in the same conversation, oldest first: they decide
    # the language when this message alone does not (a short Danish/Norwegian question).
    earlier: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    message: Message  # as validated
    language: Detection
    tone: Tone
    hits: list[Hit]
    decision: Decision
    reply: RenderedReply
    escalation: Escalation | None = None
    queries: list[str] = field(default_factory=list)  # the readings that were matched
    context: ReplyContext | None = None  # what the reply was rendered from (other channels)


@dataclass(frozen=True)
class HandingOff:
    """What is known when a message is about to be handed to a person."""

    message: Message
    language: Detection
    tone: Tone
    hits: list[Hit]
    decision: Decision


def mood_of(tone: Tone) -> Mood:
    if tone.has(CueKind.INSULT):
        return Mood.ABUSIVE
    if tone.level is not ToneLevel.CALM:
        return Mood.UPSET
    return Mood.CALM


def article_view(hit: Hit, help_url: str) -> ArticleView:
    return view_of(hit.article.content, help_url)


def view_of(content: ArticleContent, help_url: str) -> ArticleView:
    """What a reply template may show of an article."""
    return ArticleView(
        slug=content.slug, title=content.title, short_answer=content.short_answer,
        options=content.options, agreement=content.agreement, timeframe=content.timeframe,
        url=f"{help_url.rstrip('/')}/{content.language}/{content.slug}" if help_url else "",
    )


def words_of(content: ArticleContent) -> tuple[object, ...]:
    """What a translation translates: a change here makes the other versions stale."""
    return (content.title, content.short_answer, content.options, content.agreement,
            content.timeframe, content.body)


def version_age(article: Article, history: Sequence[Revision]) -> VersionAge:
    """When the version was last edited and last had its words changed, from its revisions
    (oldest first)."""
    edited, changed = article.created_at, None
    previous: Revision | None = None
    for revision in history:
        if previous is None:
            edited = revision.created_at
        else:
            before, after = previous.content, revision.content
            if replace(after, status=before.status) != before or after.status == before.status:
                edited = revision.created_at
            if words_of(after) != words_of(before):
                changed = revision.created_at
        previous = revision
    return VersionAge(article, edited, changed)


def source_of(versions: Sequence[Article], default_language: str) -> Article | None:
    live = [a for a in versions if a.content.status is not Status.ARCHIVED]
    preferred = [a for a in live if a.language == default_language]
    ordered = preferred or sorted(live, key=lambda a: (a.created_at, a.id))
    return ordered[0] if ordered else None


def freshness_of(ages: Sequence[VersionAge], default_language: str) -> Freshness:
    source = source_of([age.article for age in ages], default_language)
    if source is None:
        return Freshness(tuple(ages))
    changed = next(age.words_changed_at for age in ages if age.article.id == source.id)
    stale = frozenset(
        age.article.id for age in ages
        if changed is not None and age.article.id != source.id and age.edited_at < changed
        and age.article.content.status is not Status.ARCHIVED)
    return Freshness(tuple(ages), source.id, stale)


class Staleness:
    """Which versions of an article are stale (see the module's docstring), remembered per
    slug until one of its versions gets a new revision: an answer pays for a dictionary look-up,
    not for reading revisions."""

    def __init__(self, history: Callable[[int], list[Revision]], default_language: str) -> None:
        self._history = history
        self.default_language = default_language
        self._known: dict[str, tuple[tuple[tuple[int, int], ...], Freshness]] = {}
        self._lock = threading.Lock()

    def of(self, versions: Sequence[Article]) -> Freshness:
        """`versions`: every language version of one slug, as they are now."""
        if not versions:
            return Freshness()
        slug = versions[0].slug
        key = tuple(sorted((a.id, a.revision) for a in versions))
        with self._lock:
            known = self._known.get(slug)
        if known is not None and known[0] == key:
            return known[1]
        ages = []
        for article in versions:
            try:
                ages.append(version_age(article, self._history(article.id)))
            except NotFound:  # deleted since the versions were read
                continue
        found = freshness_of(ages, self.default_language)
        with self._lock:
            self._known[slug] = (key, found)
        return found


class Responder:
    def __init__(
        self, retriever: Retriever, kb: KnowledgeBase, router: Router, renderer: Renderer,
        *, contact: Contact, default_language: str, max_text_chars: int,
        timezone: str = "UTC", clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        concurrency: int | None = None, stale_translations: str | None = None,
    ) -> None:
        self.retriever = retriever
        self.kb = kb
        self.router = router
        self.renderer = renderer
        self.contact = contact
        self.default_language = default_language
        self.max_text_chars = max_text_chars
        self.clock = clock
        self.zone = ZoneInfo(timezone)
        self._turns = threading.BoundedSemaphore(concurrency) if concurrency else None
        # "source" or "handoff" (RESPONDER_STALE_TRANSLATIONS); the retriever has the settings
        self.stale_translations = (stale_translations
                                   or retriever.settings.stale_translations)
        self.staleness = Staleness(kb.store.revisions, default_language)

    def warm_up(self) -> None:
        """Do once now what the first answers would otherwise do under load: compile the tone
        lexicons of every language, load the language profiles, run the model and the index
        once. A fresh worker's first requests waited up to 10 s for this."""
        for language in SUPPORTED_LANGUAGES:
            detect_tone("warm up", language)
        detect_language("warm up", default=self.default_language)
        self.retriever.search_many(["warm up"], self.default_language, k=1)

    def validate(self, message: Message) -> Message:
        if message.channel not in SUPPORTED_CHANNELS:
            raise InvalidInput(
                f"Unsupported channel {message.channel!r}; expected one of "
                f"{sorted(SUPPORTED_CHANNELS)}.", field="channel",
            )
        return Message(
            text=clean_text(message.text, "text", self.max_text_chars),
            channel=message.channel,
            language=normalise_language(message.language) if message.language else None,
            # One line each: the name is printed in the reply and may reach a mail header.
            customer_name=clean_line(message.customer_name, "customer_name", MAX_NAME,
                                     required=False),
            customer_email=clean_email(message.customer_email),
            not_these=tuple(message.not_these[:5]),
            earlier=tuple(t[:self.max_text_chars] for t in message.earlier[-EARLIER_MESSAGES:]
                          if t.strip()),
        )

    def respond(self, message: Message, *,
                on_hand_off: Callable[[HandingOff], EventDraft | None] | None = None
                ) -> Outcome:
        """`on_hand_off` runs just before an escalation is opened: it may refuse the hand-off
        by raising (the API limits anonymous callers' hand-offs), and the event it returns is
        written in the escalation's transaction."""
        received = self.clock()
        message = self.validate(message)
        if self._turns is None:
            return self._respond(message, received, on_hand_off)
        with self._turns:
            return self._respond(message, received, on_hand_off)

    def preview(self, message: Message) -> Outcome:
        """What the responder would do with this message right now, changing nothing: a
        hand-off opens no escalation (its reply shows the team and the SLA, with no
        reference). For staff trying a question ("Try it", "now answered automatically")."""
        received = self.clock()
        message = self.validate(message)
        if self._turns is None:
            return self._respond(message, received, None, dry_run=True)
        with self._turns:
            return self._respond(message, received, None, dry_run=True)

    def _respond(self, message: Message, received: datetime,
                 on_hand_off: Callable[[HandingOff], EventDraft | None] | None, *,
                 dry_run: bool = False) -> Outcome:
        detection = detect_language(message.text, hint=message.language,
                                    default=self.default_language, earlier=message.earlier)
        tone, queries, hits = self._look_up(message, detection.language)
        if detection.open:
            # The text left the language open (hint and conversation did not settle it): the
            # language of the knowledge-base texts it matched may, and then the search is
            # done again in that language.
            settled = with_knowledge(detection, [h.matched_text for h in hits])
            if settled.language != detection.language:
                tone, queries, hits = self._look_up(message, settled.language)
            detection = settled
        language = detection.language
        hits, stale, needs_person = self._past_stale(hits)
        best = hits[0] if hits else None
        topical = best is not None and best.score >= ROUTING_CONFIDENCE
        facts = Facts(
            confidence=best.score if best else 0.0, tone=tone,
            category=best.article.content.category if best and topical else "",
            article=best.article.slug if best and topical else "",
        )
        decision = self.router.decide(facts)
        if best is None and decision.kind is not ReplyKind.HANDOFF:
            decision = self.router.nothing_matched()
        if needs_person and decision.kind is not ReplyKind.HANDOFF:
            decision = self._stale_hand_off(facts.category)
        escalation = None
        context = ReplyContext(
            channel=message.channel, language=language, kind=decision.kind, mood=mood_of(tone),
            customer_name=message.customer_name, contact=self.contact,
            unsupported_language=detection.unsupported,
            stale_translation=stale if decision.kind is not ReplyKind.HANDOFF else None,
        )
        if decision.kind is ReplyKind.HANDOFF and dry_run:
            route = decision.route
            assert route is not None
            context = replace(context, handoff=HandoffView(
                reference="—", team=route.team_name(language),
                due=(received + route.sla).astimezone(self.zone), sla=route.sla,
                hierarchical=route.kind.value == "hierarchical"))
        elif decision.kind is ReplyKind.HANDOFF:
            event = None
            if on_hand_off is not None:
                event = on_hand_off(HandingOff(message, detection, tone, hits, decision))
            escalation = self._hand_off(message, language, tone, facts, decision, received,
                                        event)
            view = self._handoff_view(escalation, decision, language)
            context = replace(context, handoff=replace(view, due=view.due.astimezone(self.zone)))
        elif best is not None:
            context = replace(context, article=article_view(best, self.contact.help_url))
            if decision.kind is ReplyKind.ANSWER_OFFER_HUMAN:
                # Not sure which it is: name the runner-up too, as the help centre does.
                other = next((h for h in hits[1:] if h.article.slug != best.article.slug), None)
                if other is not None:
                    context = replace(context, runner_up=article_view(
                        other, self.contact.help_url))
        if context.mood is Mood.ABUSIVE and decision.kind is not ReplyKind.HANDOFF:
            context = replace(context, mood=Mood.UPSET)  # the boundary reply is for hand-offs
        reply = self.renderer.render(context)
        return Outcome(message, detection, tone, hits, decision, reply, escalation, queries,
                       context)

    def _look_up(self, message: Message, language: str) -> tuple[Tone, list[str], list[Hit]]:
        """The message's tone, its readings and the KB hits for them, in `language`."""
        tone = detect_tone(message.text, language)
        queries = readings(message.text, tone)
        found = self.retriever.search_many(queries, language, k=3 + len(message.not_these))
        hits = found.hits
        # The whole message is the first reading, so its vector is the one the learnt
        # escalation score reads: what the lexicons missed, in any language.
        tone = escalation_model.apply(tone, found.vector,
                                      self.retriever.index.embedder.model_id,
                                      text=message.text)
        if message.not_these:
            hits = [h for h in hits if h.article.slug not in message.not_these][:3]
        return tone, queries, hits

    def _past_stale(self, hits: list[Hit]) -> tuple[list[Hit], StaleTranslation | None, bool]:
        """(the hits, the best one answered from its source version when it is a stale
        translation; what the reply says about it; whether a person must answer instead)."""
        best = hits[0] if hits else None
        if best is None:
            return hits, None, False
        versions = self.retriever.index.translations(best.article.slug)
        if len(versions) < 2:
            return hits, None, False
        fresh = self.staleness.of(versions)
        if not fresh.is_stale(best.article.id):
            return hits, None, False
        source = fresh.source
        if self.stale_translations == "source" and source is not None and _public(source.article):
            note = StaleTranslation(best.article.language, source.article.language)
            return [replace(best, article=source.article, fallback_language=True),
                    *hits[1:]], note, False
        return hits, None, True

    def _stale_hand_off(self, category: str) -> Decision:
        route_name = self.router.route_name(category)
        return Decision(ReplyKind.HANDOFF, STALE_RULE, "The best match is a translation older "
                        "than its source, and no fresher version may answer.",
                        self.router.matrix.routes[route_name], route_name)

    def _hand_off(
        self, message: Message, language: str, tone: Tone, facts: Facts, decision: Decision,
        received: datetime, event: EventDraft | None,
    ) -> Escalation:
        route = decision.route
        assert route is not None
        cues = ", ".join([*sorted({f"{c.kind.value}: {c.text}" for c in tone.cues}),
                          *learnt_notes(tone)])
        reason = f"{decision.rule} (confidence {facts.confidence:.2f})"
        if cues:
            reason += f"; cues: {cues}"
        return self.kb.open_escalation(EscalationInput(
            message=message.text, channel=message.channel, language=language,
            category=facts.category or "general", reason=reason, kind=route.kind,
            tier=route.tier, queue=route.queue, customer_name=message.customer_name,
            customer_email=message.customer_email, received_at=received,
            due_at=received + route.sla, tone=tone.level.value,
        ), event=event)

    def handoff_context(self, escalation: Escalation, channel: str) -> ReplyContext:
        """The hand-off reply of an escalation that is already open (a mail whose processing
        was cut short after its escalation was written): rendered again from the escalation."""
        data = escalation.input
        route = next((r for r in self.router.matrix.routes.values()
                      if r.queue == data.queue and r.tier == data.tier),
                     self.router.matrix.routes["default"])
        due = data.due_at or (escalation.escalated_at + route.sla)
        mood = {"calm": Mood.CALM, "hostile": Mood.ABUSIVE}.get(data.tone, Mood.UPSET)
        return ReplyContext(
            channel=channel, language=data.language, kind=ReplyKind.HANDOFF, mood=mood,
            customer_name=data.customer_name, contact=self.contact,
            handoff=HandoffView(reference=f"#{escalation.id}", team=route.team_name(
                data.language), due=due.astimezone(self.zone), sla=route.sla,
                hierarchical=route.kind.value == "hierarchical"))

    @staticmethod
    def _handoff_view(escalation: Escalation, decision: Decision, language: str) -> HandoffView:
        route = decision.route
        assert route is not None and escalation.input.due_at is not None
        return HandoffView(
            reference=f"#{escalation.id}", team=route.team_name(language),
            due=escalation.input.due_at, sla=route.sla,
            hierarchical=route.kind.value == "hierarchical",
        )


def _public(article: Article) -> bool:
    return (article.content.status is Status.PUBLISHED
            and article.content.visibility is Visibility.PUBLIC)


def readings(text: str, tone: Tone) -> list[str]:
    """The whole message, plus (when it differs) its content without venting and its content
    sentences: what is matched against the KB."""
    out = [text]
    if tone.cues:
        out.append(content_text(text, tone))
    sentences = content_sentences(text, tone)
    if len(sentences) > 1:
        out.extend(sentences[:MAX_SENTENCES])
    return list(dict.fromkeys(q for q in out if q.strip()))

