"""The help centre's search as a customer's browser meets it: a real server (`kb-responder
serve`, the real model, the demo KB) and the two requests a search makes, timed from sending
the request to having the whole rendered HTML.

    python -m benchmarks.help [--queries 300] [--json PATH]

- search: GET /help/{language}/search?q= (the results page; the search is recorded);
- suggest: GET /help/{language}/suggest?q= (what the script shows while the customer types).

Queries are the demo KB's example questions in five languages, sent one at a time (a single
customer), in a fixed shuffled order. The browser's own layout of the returned HTML (well
under a millisecond for these pages) is not included.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from rich.console import Console
from rich.table import Table

from benchmarks.load import RESULTS, customer_messages, prepared_kb, running_server
from responder.config import Settings

console = Console(stderr=True)


def timed_get(conn: http.client.HTTPConnection, path: str,
              headers: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "text/html", **(headers or {})})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return 1000 * (time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.help", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    messages = customer_messages()
    random.Random(7).shuffle(messages)
    chosen = (messages * (1 + args.queries // len(messages)))[: args.queries]
    timings: dict[str, list[float]] = {"search": [], "suggest": []}
    with running_server(prepared_kb(Settings()), 1, None) as (port, _pid, _token):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for text, language in chosen[:10]:  # warm-up, not counted
            timed_get(conn, f"/help/{language}/search?q={quote(text)}")
        for text, language in chosen:
            for kind in ("suggest", "search"):
                timings[kind].append(timed_get(conn, f"/help/{language}/{kind}?q={quote(text)}"))
        conn.close()
    table = Table(title="help centre search (one customer, loopback, real model)")
    for column in ("request", "queries", "p50 ms", "p99 ms", "mean ms"):
        table.add_column(column, justify="right")
    rows = {}
    for kind, values in timings.items():
        rows[kind] = {"queries": len(values), "p50_ms": round(statistics.median(values), 1),
                      "p99_ms": round(percentile(values, 0.99), 1),
                      "mean_ms": round(statistics.fmean(values), 1)}
        table.add_row(kind, str(len(values)), f"{rows[kind]['p50_ms']:.1f}",
                      f"{rows[kind]['p99_ms']:.1f}", f"{rows[kind]['mean_ms']:.1f}")
    Console(width=120).print(table)
    path = args.json or RESULTS / f"help-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"command": "python -m benchmarks.help " + " ".join(
        sys.argv[1:] if argv is None else argv), "when": datetime.now(UTC).isoformat(
        timespec="seconds"), "results": rows}, indent=2))
    console.print(f"results: {path}")


if __name__ == "__main__":
    main()
