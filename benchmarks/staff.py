"""The staff pages under a realistic knowledge base: the agent console's search and the
editor's preview, timed from sending the request to having the whole rendered page, against
a real server (`kb-responder serve`, the real model) holding the Banking77 knowledge base
(77 articles, every training question resolved onto its article as a past escalation).

    python -m benchmarks.staff [--requests 300] [--json PATH]

- console search: GET /staff/console/?q=<a Banking77 validation question> (the hits with
  scores, why they matched, the resolutions behind them, the suggested reply);
- editor preview: GET /staff/editor/articles/{id}/preview (the reply in every channel and
  the linter's findings), over the 77 articles.

One staff member at a time, signed in with an API token (the pages take one as the API
does). The KB is built once (minutes: the model embeds ~9,000 questions) and cached.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import random
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from rich.console import Console
from rich.table import Table

from benchmarks.datasets import DEFAULT_ROOT, load_banking77
from benchmarks.help import percentile
from benchmarks.help import timed_get as help_timed_get
from benchmarks.ingest import ingest
from benchmarks.load import RESULTS, running_server
from responder.config import Settings
from responder.wiring import build_services

console = Console(stderr=True)


def prepared_banking_kb(settings: Settings) -> Path:
    """The Banking77 KB with its index saved, built once per training data."""
    train = DEFAULT_ROOT / "banking77" / "train.csv"
    digest = hashlib.sha256(train.read_bytes()).hexdigest()[:12]
    folder = settings.data_dir / "bench" / f"banking77-kb-{digest}"
    if (folder / "ready").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kb").mkdir(exist_ok=True)
    console.print(f"building the Banking77 KB once in {folder} (the model embeds it)...")
    services = build_services(Settings(kb_dir=folder / "kb", index_dir=folder / "index",
                                       seed_demo=False))
    try:
        report = ingest(services, load_banking77(DEFAULT_ROOT))
        services.index.save()
    finally:
        services.close()
    console.print(f"{report.articles} articles, {report.escalations} resolved escalations")
    (folder / "ready").touch()
    return folder


def timed_get(conn: http.client.HTTPConnection, path: str, token: str) -> float:
    return help_timed_get(conn, path, {"Authorization": f"Bearer {token}"})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.staff", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    questions = [e.text for e in load_banking77(DEFAULT_ROOT).val]
    random.Random(5).shuffle(questions)
    questions = (questions * (1 + args.requests // len(questions)))[: args.requests]
    articles = [1 + n % 77 for n in range(args.requests)]
    timings: dict[str, list[float]] = {"console search": [], "editor preview": []}
    with running_server(prepared_banking_kb(Settings()), 1, None) as (port, _pid, token):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for question in questions[:10]:  # warm-up, not counted
            timed_get(conn, f"/staff/console/?q={quote(question)}", token)
            timed_get(conn, "/staff/editor/articles/1/preview", token)
        for question, article_id in zip(questions, articles, strict=True):
            timings["console search"].append(
                timed_get(conn, f"/staff/console/?q={quote(question)}", token))
            timings["editor preview"].append(
                timed_get(conn, f"/staff/editor/articles/{article_id}/preview", token))
        conn.close()
    table = Table(title="staff pages, Banking77 KB (one person, loopback, real model)")
    for column in ("page", "requests", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="right")
    rows = {}
    for kind, values in timings.items():
        rows[kind] = {"requests": len(values), "p50_ms": round(statistics.median(values), 1),
                      "p95_ms": round(percentile(values, 0.95), 1),
                      "p99_ms": round(percentile(values, 0.99), 1)}
        table.add_row(kind, str(len(values)), f"{rows[kind]['p50_ms']:.1f}",
                      f"{rows[kind]['p95_ms']:.1f}", f"{rows[kind]['p99_ms']:.1f}")
    Console(width=120).print(table)
    path = args.json or RESULTS / f"staff-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"command": "python -m benchmarks.staff " + " ".join(
        sys.argv[1:] if argv is None else argv), "when": datetime.now(UTC).isoformat(
        timespec="seconds"), "results": rows}, indent=2))
    console.print(f"results: {path}")


if __name__ == "__main__":
    main()
