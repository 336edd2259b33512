"""The command line, in-process, with the real model (marked slow)."""

from __future__ import annotations

import getpass
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from responder.cli import app
from responder.config import Settings
from responder.events import EventFilter, EventLog
from responder.kb.sql import SqlStore
from responder.models import EscalationInput

pytestmark = pytest.mark.slow
DEMO = Path(__file__).resolve().parents[1] / "kb" / "demo"
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RESPONDER_KB_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("RESPONDER_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RESPONDER_SEED_DEMO", "false")
    source = tmp_path / "articles"
    for slug in ("password-reset", "refund-not-received"):
        shutil.copytree(DEMO / slug, source / slug)
    return tmp_path


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result


def test_import_search_export_round_trip(env):
    imported = run("kb", "import", str(env / "articles"))
    assert imported.exit_code == 0, imported.output
    assert "imported 10 changed" in imported.output
    found = run("search", "jeg har glemt adgangskoden", "--json")
    body = json.loads(found.stdout)
    assert body["language"] == "da" and body["hits"][0]["slug"] == "password-reset"
    exported = run("kb", "export", str(env / "out"))
    assert exported.exit_code == 0 and "exported 10" in exported.output
    again = run("kb", "import", str(env / "out"))
    assert "imported 0 changed article(s); 10 already up to date" in again.output
    store = SqlStore.from_url(Settings().resolved_database_url)
    imports = EventLog(store.engine).page(EventFilter(kind="article.import"))
    store.close()
    assert len(imports) == 10  # one per changed article; the unchanged second import: none
    assert {e.actor for e in imports} == {f"cli:{getpass.getuser()}"}
    assert {e.actor_role for e in imports} == {"admin"}


def test_verify_catches_disagreement_and_rebuild_repairs_it(env):
    run("kb", "import", str(env / "articles"))
    assert run("index", "verify").exit_code == 0
    settings = Settings()
    store = SqlStore.from_url(settings.resolved_database_url)
    article = store.find_article("password-reset", "en")
    assert article is not None
    store.add_question(article.id, "written behind the index's back", "en")
    store.close()
    failed = run("index", "verify")
    assert failed.exit_code == 1 and "1 missing" in failed.output
    assert run("index", "rebuild").exit_code == 0
    assert run("index", "verify").exit_code == 0


def test_escalations_list_and_resolve(env):
    run("kb", "import", str(env / "articles"))
    store = SqlStore.from_url(Settings().resolved_database_url)
    escalation = store.open_escalation(
        EscalationInput(message="my refund went to an old card", channel="email", language="en"))
    article = store.find_article("refund-not-received", "en")
    store.close()
    listed = run("escalations", "list")
    assert f"│ {escalation.id} " in listed.output and "my refund went" in listed.output
    resolved = run("escalations", "resolve", str(escalation.id), "--resolution",
                   "Refunds go to the original card", "--by", "anna",
                   "--article-id", str(article.id))
    assert resolved.exit_code == 0, resolved.output
    found = json.loads(run("search", "my refund went to an old card", "--json",
                           "--language", "en").stdout)
    assert found["hits"][0]["slug"] == "refund-not-received"
    assert found["hits"][0]["matched"] == "my refund went to an old card"


def test_errors_are_one_clear_line_and_exit_2(env):
    result = subprocess.run([sys.executable, "-m", "responder.cli", "kb", "import",
                             str(env / "nowhere")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "is not a folder of Markdown articles" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_answers_and_hands_off_like_the_api(env):
    run("kb", "import", str(env / "articles"))
    answered = run("ask", "I forgot my password and cannot log in", "--channel", "chat",
                   "--json")
    assert answered.exit_code == 0, answered.output
    body = json.loads(answered.stdout)
    assert body["matches"][0]["slug"] == "password-reset"
    assert body["decision"]["kind"] in ("answer", "answer_offer_human")
    angry = run("ask", "you useless idiots, I want a manager NOW!!!", "--name", "Ole")
    assert angry.exit_code == 0, angry.output
    assert "handoff" in angry.output and "supervisors" in angry.output
    assert "idiots" not in angry.output.split("Subject:")[-1]
    listed = run("escalations", "list", "--queue", "supervisors", "--by-due")
    assert "hostile" in listed.output
    bad = run("ask", "hello", "--channel", "fax")
    assert bad.exit_code != 0


def test_importing_the_demo_into_a_fresh_kb_exits_cleanly(tmp_path):
    """Once it died at exit (torch still training the article head in the background) and
    reported '0 changed' (the demo seeding pre-empted the explicit import)."""
    import os

    env = {**os.environ, "RESPONDER_KB_DIR": str(tmp_path / "kb"),
           "RESPONDER_INDEX_DIR": str(tmp_path / "index")}
    env.pop("RESPONDER_SEED_DEMO", None)
    result = subprocess.run([sys.executable, "-m", "responder.cli", "kb", "import", str(DEMO)],
                            capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "imported 175 changed article(s); 0 already up to date" in result.stdout
    assert "terminate called" not in result.stderr and "Traceback" not in result.stderr
    again = subprocess.run([sys.executable, "-m", "responder.cli", "index", "verify"],
                           capture_output=True, text=True, timeout=300, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
