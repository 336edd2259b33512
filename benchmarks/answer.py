"""The whole answer path on Banking77 and CLINC150: how many queries are answered, answered
with an offered human, or handed off; how precise the answered ones are; and the latency of
respond() (language, tone, matching, rules, hand-off, rendering) next to the bare match.

    python -m benchmarks.answer --threads 1 [--only clinc150] [--limit-test N] [--json PATH]

Every query goes through `Responder.respond` exactly as the API's POST /answer does (channel
email, language hint en); hand-offs open real escalations in the benchmark's throwaway KB.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks import metrics
from benchmarks.datasets import DEFAULT_ROOT, NAMES, Dataset, Example, load
from benchmarks.ingest import slug_for
from benchmarks.pipeline import add_threads_option, ingested, progress_bars, tracker
from benchmarks.provenance import code_digest
from benchmarks.report import write_results
from responder.models import ReplyKind
from responder.pipeline import Message
from responder.wiring import Services

RESULTS = Path(__file__).resolve().parent / "results"
CHANNEL = "email"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.answer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--only", choices=NAMES)
    parser.add_argument("--limit-train", type=int, metavar="N",
                        help="at most N training questions per intent (a quick run)")
    parser.add_argument("--limit-test", type=int, metavar="N",
                        help="only the first N test queries")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path)
    add_threads_option(parser)
    return parser.parse_args(argv)


def answer_all(services: Services, examples: list[Example], advance: Any) -> list[dict]:
    rows = []
    for example in examples:
        start = time.perf_counter()
        outcome = services.responder.respond(Message(example.text, CHANNEL, "en"))
        whole = time.perf_counter() - start
        start = time.perf_counter()
        services.retriever.search(example.text, "en", k=5)
        bare = time.perf_counter() - start
        top = outcome.hits[0].article.slug if outcome.hits else None
        gold = slug_for(example.intent) if example.intent else None
        rows.append({"decision": outcome.decision.kind.value, "rule": outcome.decision.rule,
                     "right": gold is not None and top == gold, "in_scope": gold is not None,
                     "score": outcome.hits[0].score if outcome.hits else 0.0,
                     "seconds": whole, "bare_seconds": bare})
        advance()
    return rows


def summarise(rows: list[dict]) -> dict[str, Any]:
    n = len(rows)
    kinds = Counter(r["decision"] for r in rows)
    answered = [r for r in rows if r["decision"] == ReplyKind.ANSWER.value]
    offered = [r for r in rows if r["decision"] == ReplyKind.ANSWER_OFFER_HUMAN.value]
    oos = [r for r in rows if not r["in_scope"]]

    def precision(subset: list[dict]) -> float | None:
        return sum(r["right"] for r in subset) / len(subset) if subset else None

    return {
        "queries": n,
        "answered_share": kinds[ReplyKind.ANSWER.value] / n,
        "offered_human_share": kinds[ReplyKind.ANSWER_OFFER_HUMAN.value] / n,
        "handed_off_share": kinds[ReplyKind.HANDOFF.value] / n,
        "answered_precision": precision(answered),
        "offered_precision": precision(offered),
        "handed_off_wrongly_share": sum(
            r["right"] for r in rows if r["decision"] == ReplyKind.HANDOFF.value) / n,
        "oos_queries": len(oos),
        "oos_handed_off": (sum(r["decision"] == ReplyKind.HANDOFF.value for r in oos) / len(oos)
                           if oos else None),
        "rules": dict(Counter(r["rule"] for r in rows)),
        "answer_p50_ms": metrics.percentile_ms([r["seconds"] for r in rows], 50),
        "answer_p99_ms": metrics.percentile_ms([r["seconds"] for r in rows], 99),
        "match_p50_ms": metrics.percentile_ms([r["bare_seconds"] for r in rows], 50),
        "match_p99_ms": metrics.percentile_ms([r["bare_seconds"] for r in rows], 99),
    }


def bench(dataset: Dataset, args: argparse.Namespace, progress: Any) -> dict[str, Any]:
    tests = dataset.test[: args.limit_test] if args.limit_test else dataset.test
    with ingested(dataset, progress, args.workdir, args.threads) as (services, _):
        warm = services.responder.respond(Message("hello, how do I pay?", CHANNEL, "en"))
        del warm  # the first call pays one-off costs (template compilation)
        rows = answer_all(services, tests, tracker(
            progress, f"{dataset.name}: answer path", len(tests)))
    return {"dataset": dataset.name, **summarise(rows)}


def report(console: Console, results: list[dict[str, Any]]) -> None:
    table = Table("data set", "answered", "+ human", "handed off", "answered precision",
                  "OOS handed off", "answer p50/p99 ms", "match p50/p99 ms",
                  title="Answer path (python -m benchmarks.answer)")

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f} %"

    for r in results:
        table.add_row(r["dataset"], pct(r["answered_share"]), pct(r["offered_human_share"]),
                      pct(r["handed_off_share"]), pct(r["answered_precision"]),
                      pct(r["oos_handed_off"]),
                      f"{r['answer_p50_ms']:.1f} / {r['answer_p99_ms']:.1f}",
                      f"{r['match_p50_ms']:.1f} / {r['match_p99_ms']:.1f}")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    started = datetime.now(UTC)
    results = []
    with progress_bars(console) as progress:
        for name in [args.only] if args.only else NAMES:
            dataset = load(name, args.datasets, args.limit_train)
            results.append(bench(dataset, args, progress))
    report(console, results)
    payload = {"started_at": started.isoformat(timespec="seconds"),
               "command": " ".join(["python -m benchmarks.answer", *sys.argv[1:]]),
               "responder_code": code_digest(), "datasets": results}
    path = args.json or RESULTS / f"answer-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    write_results(path, payload)
    console.print(f"results written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
