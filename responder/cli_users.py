"""`kb-responder users ...`: staff accounts and their API tokens, from the machine itself.

Whoever can run the CLI on the server owns its database, so these commands need no sign-in:
this is how the first admin is made (never by a default password).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from responder.auth.accounts import Accounts
from responder.auth.keys import secret_key
from responder.auth.roles import Role
from responder.config import Settings
from responder.errors import NotFound
from responder.kb.sql import SqlStore

users_app = typer.Typer(help="Staff accounts (agent, editor, admin) and API tokens.",
                        no_args_is_help=True)
out = Console()

RoleOption = Annotated[str, typer.Option(help="agent, editor or admin.")]
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from standard input (for scripts) instead "
    "of asking for it twice.")]


def _accounts() -> tuple[Accounts, SqlStore]:
    settings = Settings()
    store = SqlStore.from_url(settings.resolved_database_url)
    return Accounts(store.engine, secret_key(settings)), store


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _user_id(accounts: Accounts, username: str) -> int:
    user = accounts.find_user(username)
    if user is None:
        raise NotFound(f"No user {username!r}; `kb-responder users list` shows them.",
                       field="username")
    return user.id


@users_app.command("create")
def create(username: str, role: RoleOption = "agent",
           display_name: Annotated[str | None, typer.Option(help="Shown to colleagues.")] = None,
           password_stdin: PasswordStdin = False) -> None:
    """Create a staff account (the first admin: --role admin)."""
    accounts, store = _accounts()
    try:
        user = accounts.create_user(username, Role.parse(role), _password(password_stdin),
                                    display_name)
    finally:
        store.close()
    out.print(f"created user {user.username} ({user.role.value}), id {user.id}")


@users_app.command("list")
def list_users() -> None:
    accounts, store = _accounts()
    try:
        users = accounts.list_users()
    finally:
        store.close()
    table = Table("id", "username", "name", "role", "disabled")
    for user in users:
        table.add_row(str(user.id), user.username, user.display_name, user.role.value,
                      "yes" if user.disabled else "")
    out.print(table)


@users_app.command("set")
def change(username: str,
           role: Annotated[str | None, typer.Option(help="agent, editor or admin.")] = None,
           disabled: Annotated[bool | None, typer.Option(
               "--disable/--enable", help="A disabled user cannot sign in; their tokens "
               "stop working.")] = None,
           new_password: Annotated[bool, typer.Option(
               "--new-password", help="Set a new password (signs the user out).")] = False,
           password_stdin: PasswordStdin = False) -> None:
    """Change a user's role, disable or enable them, or set a new password."""
    accounts, store = _accounts()
    try:
        user = accounts.update_user(
            _user_id(accounts, username), role=Role.parse(role) if role else None,
            disabled=disabled,
            password=_password(password_stdin) if new_password or password_stdin else None)
    finally:
        store.close()
    out.print(f"user {user.username}: {user.role.value}"
              + (", disabled" if user.disabled else ""))


@users_app.command("token")
def token(username: str,
          name: Annotated[str, typer.Option(help="What the token is for.")],
          role: Annotated[str | None, typer.Option(
              help="At most the user's role; default theirs.")] = None) -> None:
    """Create an API token for a user; it is printed once, on standard output."""
    accounts, store = _accounts()
    try:
        created, plain = accounts.create_token(_user_id(accounts, username), name,
                                               Role.parse(role) if role else None)
    finally:
        store.close()
    typer.echo(f"token {created.id} for {username} ({created.role.value}), shown once:",
               err=True)
    typer.echo(plain)


@users_app.command("revoke")
def revoke(token_id: int) -> None:
    """Revoke an API token by its id."""
    accounts, store = _accounts()
    try:
        revoked = accounts.revoke_token(token_id)
    finally:
        store.close()
    out.print(f"token {revoked.id} ({revoked.name}) revoked")
