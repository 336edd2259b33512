"""Staff accounts, their API tokens and browser sessions, in the KB's database.

What a client holds (a token, a session id) is stored only as a keyed hash (keys.py). A token
acts with the lower of its own role and its owner's current role, so demoting or disabling a
user takes effect on every token and session at once.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from responder import events
from responder.auth import passwords
from responder.auth.keys import keyed_hash, new_token
from responder.auth.roles import Actor, Role
from responder.errors import Conflict, Forbidden, InvalidInput, NotFound
from responder.events import EventDraft
from responder.kb import schema
from responder.kb.engine import write_transaction
from responder.kb.rows import aware_or_none
from responder.kb.validation import clean_line

USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
MAX_DISPLAY = 120
MAX_TOKEN_NAME = 120
TOKEN_PREFIX = "kbr"
SESSION_PREFIX = "kbs"
LAST_USED_EVERY = timedelta(minutes=1)  # a token used all the time is not a write per request


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class Session:
    actor: Actor
    csrf_token: str
    expires_at: datetime


def clean_username(value: str) -> str:
    name = value.strip().lower()
    if not USERNAME.fullmatch(name):
        raise InvalidInput("A username is 2-64 characters: lower-case letters, digits and "
                           ". _ @ -, starting with a letter or digit.", field="username")
    return name


def _now() -> datetime:
    return datetime.now(UTC)


class Accounts:
    def __init__(self, engine: Engine, key: bytes) -> None:
        self.engine = engine
        self._key = key

    # -- users ---------------------------------------------------------------------------------
    def create_user(self, username: str, role: Role, password: str,
                    display_name: str | None = None, *, event: EventDraft | None = None) -> User:
        name = clean_username(username)
        shown = clean_line(display_name or name, "display_name", MAX_DISPLAY)
        hashed = passwords.hash_password(password)
        now = _now()
        try:
            with write_transaction(self.engine, kb_lock=False) as conn:
                user_id = _new_id(conn.execute(insert(schema.users).values(
                    username=name, display_name=shown, role=role.value, password_hash=hashed,
                    disabled=0, created_at=now, updated_at=now)))
                events.maybe_record(conn, event and replace(
                    event, data={**event.data, "username": name, "role": role.value}), user_id)
        except IntegrityError:
            raise Conflict(f"The username {name!r} is taken.", field="username") from None
        return self.get_user(user_id)

    def get_user(self, user_id: int) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(schema.users.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"No user with id {user_id}.", field="user_id")
        return _user(row)

    def find_user(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(
                schema.users.c.username == username.strip().lower())).first()
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.users).order_by(schema.users.c.username)).all()
        return [_user(r) for r in rows]

    def count_admins(self) -> int:
        return sum(1 for u in self.list_users() if u.role is Role.ADMIN and not u.disabled)

    def update_user(self, user_id: int, *, role: Role | None = None,
                    disabled: bool | None = None, password: str | None = None,
                    display_name: str | None = None, event: EventDraft | None = None) -> User:
        user = self.get_user(user_id)
        values: dict[str, object] = {"updated_at": _now()}
        if role is not None:
            values["role"] = role.value
        if disabled is not None:
            values["disabled"] = int(disabled)
        if password is not None:
            values["password_hash"] = passwords.hash_password(password)
        if display_name is not None:
            values["display_name"] = clean_line(display_name, "display_name", MAX_DISPLAY)
        demoted = (role is not None and role is not Role.ADMIN) or bool(disabled)
        if user.role is Role.ADMIN and demoted and self.count_admins() <= 1:
            raise Conflict("This is the last admin: make another admin first.", field="role")
        with write_transaction(self.engine, kb_lock=False) as conn:
            conn.execute(update(schema.users).where(schema.users.c.id == user_id)
                         .values(**values))
            if disabled or password is not None:  # signed out everywhere
                conn.execute(schema.sessions.delete().where(
                    schema.sessions.c.user_id == user_id))
            changed = {k: v for k, v in values.items() if k not in ("updated_at",
                                                                    "password_hash")}
            if password is not None:
                changed["password"] = "changed"
            events.maybe_record(conn, event and replace(event, data={**event.data, **changed}),
                                user_id)
        return self.get_user(user_id)

    def authenticate(self, username: str, password: str) -> User | None:
        """The user, if the password is theirs and they are not disabled."""
        try:
            name = clean_username(username)
        except InvalidInput:
            name = ""
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(
                schema.users.c.username == name)).first() if name else None
        stored = row.password_hash if row is not None else None
        if not passwords.verify(stored, password) or row is None or row.disabled:
            return None
        if passwords.needs_rehash(row.password_hash):
            with write_transaction(self.engine, kb_lock=False) as conn:
                conn.execute(update(schema.users).where(schema.users.c.id == row.id).values(
                    password_hash=passwords.hash_password(password)))
        return _user(row)

    # -- API tokens ----------------------------------------------------------------------------
    def create_token(self, user_id: int, name: str, role: Role | None = None, *,
                     event: EventDraft | None = None) -> tuple[ApiToken, str]:
        """The token and, once only, what the client must keep."""
        owner = self.get_user(user_id)
        wanted = role or owner.role
        if not owner.role.allows(wanted):
            raise Forbidden(f"A token cannot have a higher role than its owner "
                            f"({owner.role.value}).")
        label = clean_line(name, "name", MAX_TOKEN_NAME)
        plain = new_token(TOKEN_PREFIX)
        with write_transaction(self.engine, kb_lock=False) as conn:
            token_id = _new_id(conn.execute(insert(schema.api_tokens).values(
                user_id=user_id, name=label, role=wanted.value,
                token_hash=keyed_hash(self._key, plain), prefix=plain[:10],
                created_at=_now())))
            events.maybe_record(conn, event and replace(event, data={
                **event.data, "owner": owner.username, "name": label, "role": wanted.value}),
                token_id)
        return self.get_token(token_id), plain

    def get_token(self, token_id: int) -> ApiToken:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.api_tokens).where(
                schema.api_tokens.c.id == token_id)).first()
        if row is None:
            raise NotFound(f"No API token with id {token_id}.", field="token_id")
        return _token(row)

    def tokens(self, user_id: int | None = None) -> list[ApiToken]:
        query = select(schema.api_tokens).order_by(schema.api_tokens.c.id)
        if user_id is not None:
            query = query.where(schema.api_tokens.c.user_id == user_id)
        with self.engine.connect() as conn:
            return [_token(r) for r in conn.execute(query).all()]

    def revoke_token(self, token_id: int, *, event: EventDraft | None = None) -> ApiToken:
        token = self.get_token(token_id)
        if token.revoked_at is None:
            with write_transaction(self.engine, kb_lock=False) as conn:
                conn.execute(update(schema.api_tokens).where(
                    schema.api_tokens.c.id == token_id).values(revoked_at=_now()))
                events.maybe_record(conn, event and replace(
                    event, data={**event.data, "name": token.name}), token_id)
        return self.get_token(token_id)

    def actor_for_token(self, plain: str) -> Actor | None:
        digest = keyed_hash(self._key, plain)
        t, u = schema.api_tokens, schema.users
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.c.id, t.c.role, t.c.last_used_at, t.c.revoked_at, u.c.id.label("uid"),
                       u.c.username, u.c.role.label("user_role"), u.c.disabled)
                .join(u, u.c.id == t.c.user_id).where(t.c.token_hash == digest)).first()
        if row is None or row.revoked_at is not None or row.disabled:
            return None
        now = _now()
        last = aware_or_none(row.last_used_at)
        if last is None or now - last > LAST_USED_EVERY:
            with write_transaction(self.engine, kb_lock=False) as conn:
                conn.execute(update(t).where(t.c.id == row.id).values(last_used_at=now))
        role = min(Role(row.role), Role(row.user_role), key=lambda r: r.rank)
        return Actor(row.uid, row.username, role, "token", token_id=row.id)

    # -- browser sessions ----------------------------------------------------------------------
    def create_session(self, user: User, hours: float, *,
                       event: EventDraft | None = None) -> tuple[str, Session]:
        plain = new_token(SESSION_PREFIX)
        csrf = secrets.token_urlsafe(32)
        now = _now()
        expires = now + timedelta(hours=hours)
        with write_transaction(self.engine, kb_lock=False) as conn:
            conn.execute(schema.sessions.delete().where(schema.sessions.c.expires_at < now))
            conn.execute(insert(schema.sessions).values(
                user_id=user.id, token_hash=keyed_hash(self._key, plain), csrf_token=csrf,
                created_at=now, expires_at=expires))
            events.maybe_record(conn, event, user.id)
        return plain, Session(Actor(user.id, user.username, user.role, "session"), csrf,
                              expires)

    def session(self, plain: str) -> Session | None:
        s, u = schema.sessions, schema.users
        with self.engine.connect() as conn:
            row = conn.execute(
                select(s.c.csrf_token, s.c.expires_at, u.c.id, u.c.username, u.c.role,
                       u.c.disabled)
                .join(u, u.c.id == s.c.user_id)
                .where(s.c.token_hash == keyed_hash(self._key, plain))).first()
        expires = aware_or_none(row.expires_at) if row is not None else None
        if row is None or row.disabled or expires is None or expires <= _now():
            return None
        return Session(Actor(row.id, row.username, Role(row.role), "session"), row.csrf_token,
                       expires)

    def end_session(self, plain: str, *, event: EventDraft | None = None) -> None:
        with write_transaction(self.engine, kb_lock=False) as conn:
            ended = conn.execute(schema.sessions.delete().where(
                schema.sessions.c.token_hash == keyed_hash(self._key, plain))).rowcount
            if ended and event is not None:
                events.record(conn, event)


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _user(row: Row[Any]) -> User:
    return User(row.id, row.username, row.display_name, Role(row.role), bool(row.disabled),
                aware_or_none(row.created_at) or _now())


def _token(row: Row[Any]) -> ApiToken:
    return ApiToken(row.id, row.user_id, row.name, Role(row.role), row.prefix,
                    aware_or_none(row.created_at) or _now(), aware_or_none(row.last_used_at),
                    aware_or_none(row.revoked_at))
