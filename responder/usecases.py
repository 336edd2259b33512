"""What a user can do, in one place between the edges (API, CLI, later pages and mail) and
the domain. Each use case takes the actor, checks their role, does the thing and records one
event: in the same transaction as the change where there is one (responder/events.py).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection

from responder.agents import AgentFilters, AgentHit, AgentSearch
from responder.auth.accounts import Accounts, ApiToken, Session, User
from responder.auth.roles import Actor, Role
from responder.channels.inbox import Inbox, InboxEntry
from responder.channels.mail_parse import reply_subject
from responder.channels.outbox import Mail, Outbox, Queued, enqueue
from responder.config import SUPPORTED_LANGUAGES as LANGUAGES
from responder.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from responder.events import Event, EventDraft, EventFilter, EventLog
from responder.events import record as record_event
from responder.index.retriever import Audience
from responder.kb.engine import write_transaction
from responder.kb.validation import (
    MAX_NAME,
    clean_category,
    clean_line,
    clean_text,
    normalise_language,
)
from responder.knowledge import KnowledgeBase, ResolutionRequest
from responder.language import detect_language
from responder.models import (
    Article,
    ArticleContent,
    Escalation,
    EscalationInput,
    EscalationStatus,
    ExampleQuestion,
    Freshness,
    Hit,
    ReplyContext,
    ReplyKind,
    Revision,
    Status,
    Visibility,
)
from responder.pipeline import HandingOff, Message, Outcome, Responder, view_of

MAX_TEXT_IN_EVENT = 2000
MAX_COMMENT = 1000


def _require(actor: Actor | None, role: Role) -> Actor:
    if actor is None:
        raise Unauthorized("Sign in, or send an API token as 'Authorization: Bearer <token>'.")
    actor.require(role)
    return actor


@dataclass(frozen=True)
class Answered:
    outcome: Outcome
    event: Event


def answer_facts(outcome: Outcome | HandingOff, milliseconds: float) -> dict[str, Any]:
    """The decision record of one reply: what was asked, how the language was chosen, what
    matched how well, the tone, what was decided by which rule, and how long it took."""
    detection = outcome.language
    escalation = outcome.escalation if isinstance(outcome, Outcome) else None
    context = outcome.context if isinstance(outcome, Outcome) else None
    stale = context.stale_translation if context else None  # answered from its source
    return {
        "text": outcome.message.text[:MAX_TEXT_IN_EVENT],
        "channel": outcome.message.channel,
        "language": detection.language, "language_source": detection.source,
        "language_detected": detection.detected,
        "language_confidence": round(detection.confidence, 4),
        "decision": outcome.decision.kind.value, "rule": outcome.decision.rule,
        "matches": [{"article_id": h.article.id, "slug": h.article.slug,
                     "language": h.article.language, "score": round(h.score, 4),
                     "fallback_language": h.fallback_language} for h in outcome.hits],
        "tone": outcome.tone.level.value,
        "cues": [{"kind": c.kind.value, "text": c.text} for c in outcome.tone.cues],
        "stale_translation": stale.language if stale else None,
        "escalation_id": escalation.id if escalation else None,
        "latency_ms": round(milliseconds, 1),
    }


@dataclass(frozen=True)
class Searched:
    query: str
    language: str
    language_source: str
    hits: list[Hit]
    event_id: str | None = None  # the search event's public id, when it was recorded


class UseCases:
    def __init__(self, kb: KnowledgeBase, responder: Responder, agents: AgentSearch,
                 accounts: Accounts, events: EventLog, *, default_language: str,
                 max_text_chars: int, outbox: Outbox | None = None,
                 inbox: Inbox | None = None) -> None:
        self.kb = kb
        self.store = kb.store
        self.responder = responder
        self.retriever = responder.retriever
        self.agents = agents
        self.accounts = accounts
        self.events = events
        self.default_language = default_language
        self.max_text_chars = max_text_chars
        self.outbox = outbox
        self.inbox = inbox

    # -- searching -----------------------------------------------------------------------------
    def search(self, actor: Actor | None, query: str, language: str | None, *, k: int,
               audience: Audience, category: str | None, record: bool = True) -> Searched:
        """Customers search public, published articles; audience=agent (internal articles
        and drafts too) needs the agent role. A search is an event: what people look for
        (not the suggestions shown while they type: `record=False`)."""
        if audience is Audience.AGENT:
            _require(actor, Role.AGENT)
        text = clean_text(query, "q", self.max_text_chars)
        if language:
            lang, source = normalise_language(language), "given"
        else:
            detection = detect_language(text, default=self.default_language)
            lang, source = detection.language, detection.source
        result = self.retriever.search(text, lang, k=k, audience=audience, category=category)
        if not record:
            return Searched(text, lang, source, result.hits)
        event = self.events.record(EventDraft("search", actor, {
            "text": text[:MAX_TEXT_IN_EVENT], "language": lang, "audience": audience.value,
            "hits": [{"article_id": h.article.id, "slug": h.article.slug,
                      "score": round(h.score, 4)} for h in result.hits]}))
        return Searched(text, lang, source, result.hits, event.public_id)

    def pick(self, actor: Actor | None, search_id: str, article: Article) -> Event | None:
        """The customer chose `article` among a search's "is it one of these?" choices: a
        labelled example (this question, this article) the KB can learn from. A choice that
        was not offered (an old or forged link) records nothing."""
        try:
            searched = self.events.by_public_id(search_id)
        except NotFound:
            return None
        offered = {h.get("slug") for h in searched.data.get("hits", [])}
        if searched.kind != "search" or article.content.slug not in offered:
            return None
        return self.events.record(EventDraft(
            "feedback", actor, {"picked": True, "article_id": article.id,
                                "question": searched.data.get("text", ""),
                                "page": "search"},
            subject="event", subject_id=searched.id))

    def agent_search(self, actor: Actor, query: str, language: str | None, *, k: int,
                     customer_name: str, filters: AgentFilters,
                     record: bool = True) -> tuple[str, str, list[AgentHit]]:
        """An agent's search is an event; the best matches shown beside an escalation each
        time its page opens are not (`record=False`): nobody searched."""
        _require(actor, Role.AGENT)
        text = clean_text(query, "q", self.max_text_chars)
        lang = normalise_language(language) if language else detect_language(
            text, default=self.default_language).language
        name = clean_line(customer_name, "customer_name", MAX_NAME, required=False)
        found = [replace(f, stale_source=self.stale_source(f.hit.article))
                 for f in self.agents.search(text, lang, k=k, filters=filters,
                                             customer_name=name)]
        if record:
            self.events.record(EventDraft("agent.search", actor, {
                "text": text[:MAX_TEXT_IN_EVENT], "language": lang,
                "hits": [f.hit.article.id for f in found]}))
        return text, lang, found

    def stale_source(self, article: Article) -> str | None:
        """The source's language when `article` is a translation older than its source (the
        index's copy of the versions: no database read per hit)."""
        fresh = self.responder.staleness.of(
            self.responder.retriever.index.translations(article.slug))
        source = fresh.source
        return source.article.language if source and fresh.is_stale(article.id) else None

    # -- the help centre: published, public articles only -------------------------------------
    def public_articles(self, language: str, category: str | None = None) -> list[Article]:
        return [a for a in self.store.list_articles(language=normalise_language(language),
                                                    status=Status.PUBLISHED, category=category)
                if a.content.visibility is Visibility.PUBLIC]

    def public_versions(self, slug: str) -> list[Article]:
        return [a for a in self.store.translations(slug)
                if a.content.status is Status.PUBLISHED
                and a.content.visibility is Visibility.PUBLIC]

    def public_freshness(self, slug: str) -> Freshness:
        """Which language versions of a public article are stale translations (drafts count
        as versions too: the source is chosen among all of them, as the editor shows)."""
        return self.responder.staleness.of(self.store.translations(slug))

    def public_article(self, slug: str, language: str) -> Article:
        """The article in `language`, else in the default language, else in any; a draft,
        an archived or an internal article is not found."""
        versions = {a.language: a for a in self.public_versions(slug)}
        for code in (normalise_language(language), self.default_language, *sorted(versions)):
            if code in versions:
                return versions[code]
        raise NotFound(f"No published article {slug!r}.", field="slug")

    def deflection(self, actor: Actor | None, question: str, article_id: int,
                   source: str) -> Event:
        """The customer found the answer while writing to us and sent nothing."""
        article = self.store.get_article(article_id)
        if not self.public_versions(article.content.slug):
            raise NotFound(f"No published article {article_id}.", field="article_id")
        return self.events.record(EventDraft(
            "deflection", actor, {"question": clean_text(question, "question",
                                                         self.max_text_chars)[:MAX_TEXT_IN_EVENT],
                                  "article_id": article_id, "source": source},
            subject="article", subject_id=article_id))

    def article_feedback(self, actor: Actor | None, article: Article, helpful: bool) -> Event:
        """"Did this help?" under an article page."""
        return self.events.record(EventDraft(
            "feedback", actor, {"helpful": helpful, "article_id": article.id,
                                "language": article.language, "page": "article"},
            subject="article", subject_id=article.id))

    # -- reading (no events: nothing happened) -------------------------------------------------
    def list_articles(self, actor: Actor, *, language: str | None, status: Status | None,
                      category: str | None) -> list[Article]:
        _require(actor, Role.AGENT)
        return self.store.list_articles(
            language=normalise_language(language) if language else None, status=status,
            category=category)

    def article(self, actor: Actor, article_id: int) -> Article:
        _require(actor, Role.AGENT)
        return self.store.get_article(article_id)

    def revisions(self, actor: Actor, article_id: int) -> list[Revision]:
        _require(actor, Role.AGENT)
        return self.store.revisions(article_id)

    def translations(self, actor: Actor, article_id: int) -> list[Article]:
        return self.store.translations(self.article(actor, article_id).slug)

    def questions(self, actor: Actor, article_id: int) -> list[ExampleQuestion]:
        self.article(actor, article_id)  # 404 for a missing article
        return self.store.questions(article_id)

    def versions(self, actor: Actor, article_id: int) -> Freshness:
        """Every language version of the article, which one is the source and which are
        stale translations (responder/pipeline.py says what that means)."""
        return self.responder.staleness.of(self.translations(actor, article_id))

    def freshness(self, actor: Actor) -> dict[str, Freshness]:
        """The same for every article, by slug: the editor's list filters on it."""
        _require(actor, Role.AGENT)
        by_slug: dict[str, list[Article]] = {}
        for article in self.store.list_articles():
            by_slug.setdefault(article.slug, []).append(article)
        return {slug: self.responder.staleness.of(found) for slug, found in by_slug.items()}

    def escalations(self, actor: Actor, status: EscalationStatus | None, *,
                    queue: str | None, by_due: bool) -> list[Escalation]:
        _require(actor, Role.AGENT)
        return self.store.list_escalations(status, queue=queue, by_due=by_due)

    def escalation(self, actor: Actor, escalation_id: int) -> Escalation:
        _require(actor, Role.AGENT)
        return self.store.get_escalation(escalation_id)

    def event_page(self, actor: Actor, where: EventFilter, *, before: int | None,
                   limit: int) -> list[Event]:
        _require(actor, Role.ADMIN)
        return self.events.page(where, before=before, limit=limit)

    def mail_inbox(self, actor: Actor, status: str | None, *, before: int | None,
                   limit: int) -> list[InboxEntry]:
        """Customers' mail and what became of it (skipped ones with the reason)."""
        _require(actor, Role.AGENT)
        return self.inbox.entries(status, before=before, limit=limit) if self.inbox else []

    def mail_outbox(self, actor: Actor, status: str | None, *, before: int | None,
                    limit: int) -> list[Queued]:
        """Replies by mail: queued, sent, or failed with the relay's last error."""
        _require(actor, Role.AGENT)
        if self.outbox is None:
            return []
        return self.outbox.rows(status, newest_first=True, before=before, limit=limit)

    def users(self, actor: Actor) -> list[User]:
        _require(actor, Role.ADMIN)
        return self.accounts.list_users()

    def tokens(self, actor: Actor) -> list[ApiToken]:
        """One's own tokens; an admin sees everyone's."""
        _require(actor, Role.AGENT)
        return self.accounts.tokens(None if actor.role.allows(Role.ADMIN) else actor.user_id)

    # -- customers -----------------------------------------------------------------------------
    def answer(self, actor: Actor | None, message: Message, *,
               before_hand_off: Callable[[], None] | None = None,
               public_id: str | None = None,
               then: Callable[[Connection, Outcome], None] | None = None) -> Answered:
        """`before_hand_off` may refuse to open an escalation by raising. An answer that hands
        off is recorded in the escalation's transaction (its subject is the escalation);
        any other answer is an event on its own. `then` (a reply queued by mail, a mail
        marked done) is written in the answer event's transaction, so a crash leaves nothing
        half done; after a hand-off it follows the escalation's transaction, and a caller
        that retries finds the escalation by `public_id`, the event's id chosen beforehand."""
        started = time.perf_counter()
        event_id = public_id or secrets.token_urlsafe(18)
        handed_off: list[EventDraft] = []

        def on_hand_off(pending: HandingOff) -> EventDraft:
            if before_hand_off is not None:
                before_hand_off()
            draft = EventDraft("answer", actor, answer_facts(
                pending, 1000 * (time.perf_counter() - started)), subject="escalation",
                public_id=event_id)
            handed_off.append(draft)
            return draft

        outcome = self.responder.respond(message, on_hand_off=on_hand_off)
        event = None
        if not handed_off or then is not None:
            with write_transaction(self.events.engine, kb_lock=False) as conn:
                if not handed_off:
                    event = record_event(conn, EventDraft("answer", actor, answer_facts(
                        outcome, 1000 * (time.perf_counter() - started)), public_id=event_id))
                if then is not None:
                    then(conn, outcome)
        return Answered(outcome, event or self.events.by_public_id(event_id))

    def follow_up(self, escalation_id: int, text: str, *, channel: str,
                  also: Callable[[Connection], None]) -> Escalation:
        """The customer wrote again while a person has their case: added to the escalation,
        not answered automatically."""
        return self.store.add_follow_up(
            escalation_id, clean_text(text, "text", self.max_text_chars),
            event=EventDraft("escalation.follow_up", None, {"channel": channel},
                             subject="escalation", subject_id=escalation_id), also=also)

    def contact(self, actor: Actor | None, message: Message, *,
                before_hand_off: Callable[[], None] | None = None) -> Answered:
        """A contact form: answered like a chat message on the spot and, when the customer
        gave an address and mail out is configured, the same reply by email (queued in the
        outbox in the answer's transaction, sent with retries)."""
        outbox = self.outbox

        def by_email(conn: Connection, outcome: Outcome) -> None:
            address = outcome.message.customer_email
            if outbox is None or not address or outcome.context is None:
                return
            reply = self.responder.renderer.render(replace(outcome.context, channel="email"))
            enqueue(conn, Mail(to=address, subject=reply.subject or "", text=reply.text,
                               html=reply.html, escalation_id=(
                                   outcome.escalation.id if outcome.escalation else None)),
                    outbox.domain)

        return self.answer(actor, message, before_hand_off=before_hand_off, then=by_email)

    def feedback(self, actor: Actor | None, answer_id: str, helpful: bool, *,
                 article_id: int | None = None, comment: str = "") -> Event:
        """"Did this help?" on an answer, by the answer's unguessable id."""
        answered = self.events.by_public_id(answer_id)
        if answered.kind != "answer":
            raise InvalidInput("That id is not an answer's.", field="answer_id")
        offered = {m["article_id"] for m in answered.data.get("matches", [])}
        if article_id is not None and article_id not in offered:
            raise InvalidInput(f"Article {article_id} was not among this answer's matches "
                               f"({sorted(offered)}).", field="article_id")
        return self.events.record(EventDraft(
            "feedback", actor, {"helpful": helpful, "article_id": article_id,
                                "comment": comment[:MAX_COMMENT]},
            subject="event", subject_id=answered.id))

    # -- articles ------------------------------------------------------------------------------
    def create_article(self, actor: Actor, data: Mapping[str, Any],
                       examples: Sequence[str]) -> Article:
        _require(actor, Role.EDITOR)
        event = EventDraft("article.create", actor, {"slug": data.get("slug"),
                                                     "language": data.get("language"),
                                                     "examples": len(examples)},
                           subject="article")
        return self.kb.create_article(data, examples, edited_by=actor.name, event=event)

    def update_article(self, actor: Actor, article_id: int, data: Mapping[str, Any]) -> Article:
        _require(actor, Role.EDITOR)
        event = EventDraft("article.update", actor, {}, subject="article")
        return self.kb.update_article(article_id, data, edited_by=actor.name, event=event)

    def set_status(self, actor: Actor, article_id: int, status: Status) -> Article:
        _require(actor, Role.EDITOR)
        kind = {Status.PUBLISHED: "article.publish", Status.ARCHIVED: "article.archive"}.get(
            status, "article.status")
        event = EventDraft(kind, actor, {"status": status.value}, subject="article")
        return self.kb.set_status(article_id, status, edited_by=actor.name, event=event)

    def restore_revision(self, actor: Actor, article_id: int, revision: int) -> Article:
        _require(actor, Role.EDITOR)
        event = EventDraft("article.restore", actor, {"revision": revision}, subject="article")
        return self.kb.restore_revision(article_id, revision, edited_by=actor.name,
                                        event=event)

    def import_article(self, actor: Actor, content: ArticleContent,
                       questions: Sequence[str]) -> bool:
        """Create or update one article from an import (by slug and language); an unchanged
        article makes no revision and no event. True when it changed."""
        _require(actor, Role.EDITOR)
        event = EventDraft("article.import", actor, {
            "slug": content.slug, "language": content.language, "examples": len(questions)},
            subject="article")
        return self.kb.upsert_article(content, questions, edited_by=actor.name,
                                      event=event)[1]

    def add_question(self, actor: Actor, article_id: int, text: str,
                     language: str) -> ExampleQuestion:
        _require(actor, Role.EDITOR)
        event = EventDraft("article.question", actor, {"text": text[:MAX_TEXT_IN_EVENT]},
                           subject="article")
        return self.kb.add_question(article_id, text, language, event=event)

    def delete_question(self, actor: Actor, article_id: int, question_id: int) -> None:
        _require(actor, Role.EDITOR)
        event = EventDraft("article.question_delete", actor, {"question_id": question_id},
                           subject="article")
        self.kb.delete_question(article_id, question_id, event=event)

    # -- escalations ---------------------------------------------------------------------------
    def open_escalation(self, actor: Actor, data: EscalationInput) -> Escalation:
        """Opened by staff (a phone call, say); only a category the matrix knows: hand-offs
        carry their article's category instead."""
        _require(actor, Role.AGENT)
        categories = self.responder.router.matrix.categories
        language = data.language or detect_language(
            data.message, default=self.default_language).language
        data = replace(data, category=clean_category(data.category, categories),
                       language=language)
        event = EventDraft("escalation.open", actor, {"category": data.category,
                                                      "channel": data.channel},
                           subject="escalation")
        return self.kb.open_escalation(data, event=event)

    def claim_escalation(self, actor: Actor, escalation_id: int) -> Escalation:
        """Assign to me: the others see who is on it (taking it over from someone is allowed:
        the event keeps who had it)."""
        _require(actor, Role.AGENT)
        return self.store.assign_escalation(escalation_id, actor.name, event=EventDraft(
            "escalation.claim", actor, {}, subject="escalation", subject_id=escalation_id))

    def release_escalation(self, actor: Actor, escalation_id: int) -> Escalation:
        _require(actor, Role.AGENT)
        return self.store.assign_escalation(escalation_id, None, event=EventDraft(
            "escalation.release", actor, {}, subject="escalation", subject_id=escalation_id))

    def move_escalation(self, actor: Actor, escalation_id: int, queue: str) -> Escalation:
        """To another team's queue: only a queue the escalation matrix routes to."""
        _require(actor, Role.AGENT)
        queues = sorted({r.queue for r in self.responder.router.matrix.routes.values()})
        if queue not in queues:
            raise InvalidInput(f"Unknown queue {queue[:64]!r}; expected one of {queues}.",
                               field="queue")
        return self.store.move_escalation(escalation_id, queue, event=EventDraft(
            "escalation.move", actor, {}, subject="escalation", subject_id=escalation_id))

    def resolve_escalation(self, actor: Actor, escalation_id: int, text: str, *,
                           article_id: int | None,
                           new_article: Mapping[str, Any] | None) -> tuple[Escalation, Article]:
        _require(actor, Role.AGENT)
        event = EventDraft("escalation.resolve", actor,
                           {"new_article": new_article is not None}, subject="escalation")
        escalation, article = self.kb.resolve_escalation(escalation_id, ResolutionRequest(
            text=text, resolved_by=actor.name, article_id=article_id,
            new_article=dict(new_article) if new_article is not None else None), event=event)
        self._mail_resolution(escalation, article)
        return escalation, article

    def _mail_resolution(self, escalation: Escalation, article: Article) -> None:
        """The loop closes for the customer: a resolved escalation with an address gets the
        answer by email, through the email template's four steps, in their language (the
        article's version in that language if there is one)."""
        address = escalation.input.customer_email
        if self.outbox is None or not address:
            return
        versions = {a.language: a for a in self.store.translations(article.slug)}
        shown = versions.get(escalation.input.language, article)
        contact = self.responder.contact
        language = (escalation.input.language if escalation.input.language in LANGUAGES
                    else self.default_language)
        reply = self.responder.renderer.render(ReplyContext(
            channel="email", language=language, kind=ReplyKind.ANSWER,
            customer_name=escalation.input.customer_name, contact=contact,
            article=view_of(shown.content, contact.help_url)))
        mail = Mail(to=address, subject=reply.subject or "", text=reply.text, html=reply.html,
                    escalation_id=escalation.id)
        thread = self.inbox.thread_of_escalation(escalation.id) if self.inbox else None
        if thread is not None:  # it came by mail: the answer joins the customer's thread
            mail = replace(mail, subject=reply_subject(thread.subject) if thread.subject
                           else mail.subject, in_reply_to=thread.message_id or None,
                           references=thread.references,
                           conversation_id=thread.conversation_id)
        self.outbox.add(mail)

    # -- accounts ------------------------------------------------------------------------------
    def sign_out(self, actor: Actor, session_cookie: str | None) -> None:
        if session_cookie:
            self.accounts.end_session(session_cookie, event=EventDraft(
                "session.sign_out", actor, {}, subject="user", subject_id=actor.user_id))

    def sign_in(self, username: str, password: str, hours: float) -> tuple[str, Session]:
        user = self.accounts.authenticate(username, password)
        if user is None:
            raise Unauthorized("The username or password is wrong, or the account is disabled.")
        actor = Actor(user.id, user.username, user.role, "session")
        return self.accounts.create_session(
            user, hours, event=EventDraft("session.sign_in", actor, {}, subject="user"))

    def create_user(self, actor: Actor, username: str, role: Role, password: str,
                    display_name: str | None = None) -> User:
        _require(actor, Role.ADMIN)
        return self.accounts.create_user(username, role, password, display_name,
                                         event=EventDraft("user.create", actor, {},
                                                          subject="user"))

    def update_user(self, actor: Actor, user_id: int, *, role: Role | None = None,
                    disabled: bool | None = None, password: str | None = None,
                    display_name: str | None = None) -> User:
        _require(actor, Role.ADMIN)
        return self.accounts.update_user(
            user_id, role=role, disabled=disabled, password=password,
            display_name=display_name,
            event=EventDraft("user.update", actor, {}, subject="user"))

    def create_token(self, actor: Actor, name: str, role: Role | None) -> tuple[ApiToken, str]:
        _require(actor, Role.AGENT)
        if actor.user_id is None:
            raise Forbidden("Only a user account can own an API token.")
        if role is not None and not actor.role.allows(role):
            raise Forbidden(f"A token cannot have a higher role than yours "
                            f"({actor.role.value}).")
        return self.accounts.create_token(actor.user_id, name, role or actor.role,
                                          event=EventDraft("token.create", actor, {},
                                                           subject="token"))

    def revoke_token(self, actor: Actor, token_id: int) -> ApiToken:
        _require(actor, Role.AGENT)
        token = self.accounts.get_token(token_id)
        if token.user_id != actor.user_id and not actor.role.allows(Role.ADMIN):
            raise Forbidden("Only its owner or an admin can see or revoke this token.")
        return self.accounts.revoke_token(token_id, event=EventDraft("token.revoke", actor, {},
                                                                     subject="token"))
