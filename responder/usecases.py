"""What a user can do, in one place between the edges (API, CLI, later pages and mail) and
the domain. Each use case takes the actor, checks their role, does the thing and records one
event: in the same transaction as the change where there is one (responder/events.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from responder.auth.accounts import Accounts, ApiToken, Session, User
from responder.auth.roles import Actor, Role
from responder.errors import Forbidden, InvalidInput, Unauthorized
from responder.events import Event, EventDraft, EventLog
from responder.knowledge import KnowledgeBase, ResolutionRequest
from responder.models import Article, Escalation, EscalationInput, ExampleQuestion, Status
from responder.pipeline import Message, Outcome, Responder

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


def answer_facts(outcome: Outcome, milliseconds: float) -> dict[str, Any]:
    """The decision record of one reply: what was asked, how the language was chosen, what
    matched how well, the tone, what was decided by which rule, and how long it took."""
    detection = outcome.language
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
        "escalation_id": outcome.escalation.id if outcome.escalation else None,
        "latency_ms": round(milliseconds, 1),
    }


class UseCases:
    def __init__(self, kb: KnowledgeBase, responder: Responder, accounts: Accounts,
                 events: EventLog) -> None:
        self.kb = kb
        self.responder = responder
        self.accounts = accounts
        self.events = events

    # -- customers -----------------------------------------------------------------------------
    def answer(self, actor: Actor | None, message: Message, *,
               before_hand_off: Callable[[], None] | None = None) -> Answered:
        started = time.perf_counter()
        outcome = self.responder.respond(message, before_hand_off=before_hand_off)
        facts = answer_facts(outcome, 1000 * (time.perf_counter() - started))
        event = self.events.record(EventDraft("answer", actor, facts))
        return Answered(outcome, event)

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

    def add_question(self, actor: Actor, article_id: int, text: str,
                     language: str) -> ExampleQuestion:
        _require(actor, Role.EDITOR)
        event = EventDraft("article.question", actor, {"text": text[:MAX_TEXT_IN_EVENT]},
                           subject="article")
        return self.kb.add_question(article_id, text, language, event=event)

    # -- escalations ---------------------------------------------------------------------------
    def open_escalation(self, actor: Actor, data: EscalationInput) -> Escalation:
        _require(actor, Role.AGENT)
        event = EventDraft("escalation.open", actor, {"category": data.category,
                                                      "channel": data.channel},
                           subject="escalation")
        return self.kb.open_escalation(data, event=event)

    def resolve_escalation(self, actor: Actor, escalation_id: int, text: str, *,
                           article_id: int | None,
                           new_article: Mapping[str, Any] | None) -> tuple[Escalation, Article]:
        _require(actor, Role.AGENT)
        event = EventDraft("escalation.resolve", actor,
                           {"new_article": new_article is not None}, subject="escalation")
        return self.kb.resolve_escalation(escalation_id, ResolutionRequest(
            text=text, resolved_by=actor.name, article_id=article_id,
            new_article=dict(new_article) if new_article is not None else None), event=event)

    # -- accounts ------------------------------------------------------------------------------
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
