"""Signing in and out, personal API tokens, and (for admins) users."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from responder.api.auth import SESSION_COOKIE, Admin, Public, SignedIn, client_address
from responder.api.deps import ServicesDep
from responder.api.params import TokenId, UserId
from responder.api.responses import errors
from responder.auth.accounts import MAX_DISPLAY, MAX_TOKEN_NAME, ApiToken, User
from responder.auth.passwords import MAX_LENGTH
from responder.auth.roles import Role

router = APIRouter(tags=["accounts"])

Username = Field(min_length=2, max_length=64, examples=["anna"])
Password = Field(min_length=1, max_length=MAX_LENGTH)


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Username
    password: str = Password


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, username=user.username, display_name=user.display_name,
                   role=user.role, disabled=user.disabled, created_at=user.created_at)


class SessionOut(BaseModel):
    user: str
    role: Role
    via: str = Field(description="session, token or cli")
    csrf_token: str | None = Field(
        None, description="Send it as X-CSRF-Token with every change made with this "
                          "browser session.")
    expires_at: datetime | None = None


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=MAX_TOKEN_NAME, examples=["crm integration"])
    role: Role | None = Field(None, description="At most the owner's role; default theirs.")


class TokenOut(BaseModel):
    id: int
    user_id: int
    name: str
    role: Role
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(id=token.id, user_id=token.user_id, name=token.name, role=token.role,
                   prefix=token.prefix, created_at=token.created_at,
                   last_used_at=token.last_used_at, revoked_at=token.revoked_at)


class NewTokenOut(TokenOut):
    token: str = Field(description="Shown once; store it now. Send as Authorization: Bearer.")


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Username
    role: Role
    password: str = Password
    display_name: str | None = Field(None, max_length=MAX_DISPLAY)


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    disabled: bool | None = None
    password: str | None = Field(None, min_length=1, max_length=MAX_LENGTH)
    display_name: str | None = Field(None, min_length=1, max_length=MAX_DISPLAY)


@router.post("/session", response_model=SessionOut, responses=errors(401, 422, 429))
def sign_in(services: ServicesDep, _actor: Public, request: Request, response: Response,
            body: SignIn) -> SessionOut:
    """Sign in with a username and password: sets the session cookie and returns the CSRF
    token that every change made with it must carry. Attempts are limited per address and
    per username."""
    services.limits.sign_in.check(f"address {client_address(request)}", "sign-in attempts")
    services.limits.sign_in.check(f"user {body.username.strip().lower()}",
                                  "sign-in attempts for this user")
    plain, session = services.cases.sign_in(body.username, body.password,
                                            services.settings.session_hours)
    response.set_cookie(SESSION_COOKIE, plain, max_age=int(services.settings.session_hours
                                                           * 3600),
                        httponly=True, samesite="lax", secure=services.settings.cookie_secure,
                        path="/")
    return SessionOut(user=session.actor.name, role=session.actor.role, via="session",
                      csrf_token=session.csrf_token, expires_at=session.expires_at)


@router.get("/session", response_model=SessionOut, responses=errors(401, 403))
def who_am_i(services: ServicesDep, actor: SignedIn, request: Request) -> SessionOut:
    """Who is signed in, and (for a browser session) its CSRF token."""
    session = None
    if actor.via == "session":
        session = services.accounts.session(request.cookies.get(SESSION_COOKIE, ""))
    return SessionOut(user=actor.name, role=actor.role, via=actor.via,
                      csrf_token=session.csrf_token if session else None,
                      expires_at=session.expires_at if session else None)


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT,
               responses=errors(401, 403))
def sign_out(services: ServicesDep, actor: SignedIn, request: Request,
             response: Response) -> None:
    services.cases.sign_out(actor, request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=services.settings.cookie_secure)


@router.get("/tokens", response_model=list[TokenOut], responses=errors(401, 403))
def list_tokens(services: ServicesDep, actor: SignedIn) -> list[TokenOut]:
    """Your API tokens (an admin sees everyone's)."""
    return [TokenOut.of(t) for t in services.cases.tokens(actor)]


@router.post("/tokens", response_model=NewTokenOut, status_code=status.HTTP_201_CREATED,
             responses=errors(401, 403, 422))
def create_token(services: ServicesDep, actor: SignedIn, body: TokenIn) -> NewTokenOut:
    """A personal API token, with your role or a lower one. The token is shown only here."""
    token, plain = services.cases.create_token(actor, body.name, body.role)
    return NewTokenOut(**TokenOut.of(token).model_dump(), token=plain)


@router.delete("/tokens/{token_id}", response_model=TokenOut,
               responses=errors(401, 403, 404, 422))
def revoke_token(services: ServicesDep, actor: SignedIn, token_id: TokenId) -> TokenOut:
    return TokenOut.of(services.cases.revoke_token(actor, token_id))


@router.get("/users", response_model=list[UserOut], responses=errors(401, 403))
def list_users(services: ServicesDep, actor: Admin) -> list[UserOut]:
    return [UserOut.of(u) for u in services.cases.users(actor)]


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED,
             responses=errors(401, 403, 409, 422))
def create_user(services: ServicesDep, actor: Admin, body: UserIn) -> UserOut:
    return UserOut.of(services.cases.create_user(actor, body.username, body.role,
                                                 body.password, body.display_name))


@router.patch("/users/{user_id}", response_model=UserOut,
              responses=errors(401, 403, 404, 409, 422))
def change_user(services: ServicesDep, actor: Admin, user_id: UserId,
                body: UserChange) -> UserOut:
    """Change a role, disable or re-enable, set a password (which signs the user out)."""
    return UserOut.of(services.cases.update_user(
        actor, user_id, role=body.role, disabled=body.disabled, password=body.password,
        display_name=body.display_name))
