"""A process killed (SIGKILL) mid-import or mid-resolution loses nothing it acknowledged."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from responder.models import EscalationStatus
from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.test_index import make_settings

ROOT = Path(__file__).resolve().parents[1]
WORKER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from responder.config import Settings
    from responder.kb.markdown import import_folder
    from responder.knowledge import ResolutionRequest
    from responder.models import EscalationInput
    from responder.wiring import build_services
    from tests.fakes import FakeEmbedder

    settings = Settings(**json.loads(sys.argv[2]))
    services = build_services(settings, embedder=FakeEmbedder())
    if sys.argv[1] == "import":
        def upsert(content, questions):
            changed = services.kb.upsert_article(content, questions, edited_by="crash")[1]
            print("ack", content.slug, flush=True)  # committed: acknowledged
            return changed
        import_folder(Path(sys.argv[3]), upsert)
    else:
        article = services.store.find_article("a-0000", "en")
        for n in range(100000):
            esc = services.kb.open_escalation(
                EscalationInput(message=f"question number {{n}}", channel="email", language="en"))
            services.kb.resolve_escalation(esc.id, ResolutionRequest(
                text="done", resolved_by="crash", article_id=article.id))
            print("ack", esc.id, flush=True)
""")


def run_until(tmp_path: Path, args: list[str], settings: dict[str, str], acks: int) -> list[str]:
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, str(script), args[0], json.dumps(settings), *args[1:]],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    acked: list[str] = []
    for line in proc.stdout:
        acked.append(line.split()[1])
        if len(acked) >= acks:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    acked.extend(line.split()[1] for line in proc.stdout if line.startswith("ack"))
    assert proc.returncode == -signal.SIGKILL, "the worker finished before it was killed"
    return acked


def write_articles(folder: Path, count: int) -> None:
    for n in range(count):
        path = folder / f"a-{n:04d}" / "en.md"
        path.parent.mkdir(parents=True)
        path.write_text(f"---\nslug: a-{n:04d}\nlanguage: en\ntitle: Article {n}\n"
                        f"short_answer: Answer {n}\nexamples:\n  - question about topic {n}\n"
                        "---\nbody\n")


def settings_for(tmp_path: Path) -> dict[str, str]:
    return {"kb_dir": str(tmp_path / "kb"), "index_dir": str(tmp_path / "index"),
            "data_dir": str(tmp_path / "data"), "seed_demo": "false"}


def reopen(tmp_path: Path):
    return build_services(make_settings(tmp_path), embedder=FakeEmbedder())


def test_killed_import_keeps_every_acknowledged_article(tmp_path):
    folder = tmp_path / "articles"
    write_articles(folder, 3000)
    acked = run_until(tmp_path, ["import", str(folder)], settings_for(tmp_path), acks=40)
    services = reopen(tmp_path)
    stored = {a.slug for a in services.store.list_articles()}
    assert set(acked) <= stored
    assert services.index.verify().ok
    assert services.retriever.search(f"Article {acked[-1][2:]}", "en").hits
    services.close()


def test_killed_resolutions_keep_every_acknowledged_one(tmp_path):
    folder = tmp_path / "articles"
    write_articles(folder, 2)
    services = reopen(tmp_path)
    from responder.kb.markdown import import_folder

    import_folder(folder, lambda c, q: services.kb.upsert_article(c, q, edited_by="t")[1])
    services.close()
    acked = run_until(tmp_path, ["resolve"], settings_for(tmp_path), acks=25)
    services = reopen(tmp_path)
    for escalation_id in acked:
        escalation = services.store.get_escalation(int(escalation_id))
        assert escalation.status is EscalationStatus.RESOLVED
    texts = {q.text for q in services.store.questions(escalation.article_id or 0)}
    assert {services.store.get_escalation(int(i)).input.message for i in acked} <= texts
    assert services.index.verify().ok
    services.close()
