"""`kb-responder users ...`: the first admin from the CLI, tokens that work on the API, and a
server that will not listen beyond loopback without a configured secret key."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from responder.auth.accounts import Accounts
from responder.auth.keys import KEY_FILE, MissingSecretKey, require_configured_key, secret_key
from responder.cli import app
from responder.config import Settings
from responder.errors import ResponderError
from responder.kb.sql import SqlStore
from tests.staff import PASSWORD

runner = CliRunner()


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RESPONDER_KB_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("RESPONDER_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RESPONDER_SEED_DEMO", "false")
    return tmp_path / "kb"


def accounts() -> tuple[Accounts, SqlStore]:
    settings = Settings()
    store = SqlStore.from_url(settings.resolved_database_url)
    return Accounts(store.engine, secret_key(settings)), store


def test_the_first_admin_and_a_token_come_from_the_cli(kb: Path) -> None:
    made = runner.invoke(app, ["users", "create", "Root", "--role", "admin",
                               "--password-stdin"], input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert "created user root (admin)" in made.output
    issued = runner.invoke(app, ["users", "token", "root", "--name", "ci", "--role", "editor"])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[-1]
    store_accounts, store = accounts()
    try:
        actor = store_accounts.actor_for_token(token)
        assert actor is not None and (actor.name, actor.role.value) == ("root", "editor")
        assert store_accounts.authenticate("root", PASSWORD) is not None
    finally:
        store.close()
    # Neither the password nor the token is in the database in clear.
    raw = b"".join(path.read_bytes() for path in kb.glob("kb.sqlite3*"))
    assert PASSWORD.encode() not in raw and token.encode() not in raw
    with sqlite3.connect(kb / "kb.sqlite3") as conn:
        (hashed,) = conn.execute("SELECT password_hash FROM users").fetchone()
    assert hashed.startswith("$argon2id$")
    assert (kb / KEY_FILE).stat().st_mode & 0o777 == 0o600


def refused(result: Result, words: str) -> None:
    """main() prints a ResponderError as `error: ...` and exits 2 (the serve test below runs
    it for real); in-process, the runner hands back the exception."""
    assert isinstance(result.exception, ResponderError), result.output
    assert words in result.exception.message


def test_bad_user_input_is_refused_with_what_to_do(kb: Path) -> None:
    short = runner.invoke(app, ["users", "create", "anna", "--password-stdin"], input="short\n")
    refused(short, "at least 12 characters")
    role = runner.invoke(app, ["users", "create", "anna", "--role", "boss",
                               "--password-stdin"], input=PASSWORD + "\n")
    refused(role, "agent, editor, admin")
    name = runner.invoke(app, ["users", "create", "a b", "--password-stdin"],
                         input=PASSWORD + "\n")
    refused(name, "A username is")
    assert runner.invoke(app, ["users", "create", "anna", "--password-stdin"],
                         input=PASSWORD + "\n").exit_code == 0
    again = runner.invoke(app, ["users", "create", "anna", "--password-stdin"],
                          input=PASSWORD + "\n")
    refused(again, "taken")


def test_the_last_admin_cannot_be_demoted_or_disabled(kb: Path) -> None:
    runner.invoke(app, ["users", "create", "root", "--role", "admin", "--password-stdin"],
                  input=PASSWORD + "\n")
    demoted = runner.invoke(app, ["users", "set", "root", "--role", "agent"])
    refused(demoted, "last admin")
    disabled = runner.invoke(app, ["users", "set", "root", "--disable"])
    refused(disabled, "last admin")


def test_a_server_beyond_loopback_needs_a_configured_secret_key(kb: Path) -> None:
    settings = Settings()
    for host in ("127.0.0.1", "localhost", "::1"):
        require_configured_key(settings, host)
    with pytest.raises(MissingSecretKey, match="RESPONDER_SECRET_KEY"):
        require_configured_key(settings, "0.0.0.0")
    # Run where no .env is, with none of the developer's RESPONDER_* settings.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RESPONDER_")}
    served = subprocess.run([sys.executable, "-m", "responder.cli", "serve", "--host",
                             "0.0.0.0", "--port", "1"], capture_output=True, text=True,
                            timeout=120, cwd=kb.parent,
                            env=clean | {"RESPONDER_KB_DIR": str(kb)})
    assert served.returncode == 2, served.stderr
    assert "error: Refusing to serve on 0.0.0.0 without RESPONDER_SECRET_KEY" in served.stderr
    require_configured_key(Settings(secret_key="k" * 40), "0.0.0.0")  # type: ignore[arg-type]
