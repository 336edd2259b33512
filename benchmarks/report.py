"""The rich tables printed at the end of a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

FLOORS = {
    "banking77": [("test top-1 accuracy", "top1_accuracy", 0.91)],
    # At the threshold that keeps 80 % of oos_val out (benchmarks.metrics.OOS_RECALL_TARGET).
    "clinc150": [("test in-scope accuracy", "in_scope_accuracy_at_oos_target", 0.92),
                 ("test out-of-scope recall", "oos_recall_at_oos_target", 0.70)],
}
LATENCY_FLOOR_MS = 25.0


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f} %"


def _check(ok: bool) -> str:
    return "[green]ok[/green]" if ok else "[red]BELOW FLOOR[/red]"


def dataset_table(result: dict[str, Any]) -> Table:
    acc, speed, size, ing = (result["accuracy"], result["speed"], result["size"],
                             result["ingest"])
    table = Table(title=f"{result['dataset']}  ({result['sizes']})", show_lines=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("floor")
    floors = {key: (label, floor) for label, key, floor in FLOORS[result["dataset"]]}
    for key, value in acc.items():
        if key in floors:
            floor = floors[key][1]
            table.add_row(key, _pct(value), f"≥ {100 * floor:.0f} % {_check(value >= floor)}")
        elif "threshold" in key:
            table.add_row(key, "n/a" if value is None else f"{value:.6g}", "")
        else:
            table.add_row(key, _pct(value), "")
    table.add_row("ingest rate (texts/s)", f"{ing['texts_per_second']:.1f}",
                  f"{ing['escalations']} escalations in {ing['escalation_seconds']:.1f} s")
    table.add_row("article head fit after ingest (s)", f"{ing.get('head_seconds', 0.0):.1f}",
                  f"{100 * result.get('head_share', 0.0):.0f} % of test queries used it")
    table.add_row("embedding throughput, batch 64 (texts/s)",
                  f"{speed['embed_throughput_batch64']:.1f}", "")
    p50 = speed["query_p50_ms"]
    table.add_row("query latency p50 (ms)", f"{p50:.2f}",
                  f"≤ {LATENCY_FLOOR_MS:.0f} ms {_check(p50 <= LATENCY_FLOOR_MS)}")
    table.add_row("query latency p99 (ms)", f"{speed['query_p99_ms']:.2f}", "")
    table.add_row("  embed only p50 (ms)", f"{speed['embed_p50_ms']:.2f}", "")
    table.add_row("  search minus embed p50 / p99 (ms)",
                  f"{speed['rest_p50_ms']:.2f} / {speed['rest_p99_ms']:.2f}", "")
    table.add_row("vectors in index", str(size["vectors"]), "")
    table.add_row("FAISS index (MiB)", f"{size['index_bytes'] / 2**20:.2f}", "")
    table.add_row("load average before / after (1 min)",
                  f"{result['load_before'][0]:.2f} / {result['load_after'][0]:.2f}",
                  "other processes share these cores" if result["load_after"][0] > 1.5 else "")
    table.add_row("process RSS now / peak (MiB)",
                  f"{size['rss_bytes'] / 2**20:.0f} / {size['peak_rss_bytes'] / 2**20:.0f}", "")
    return table


def confusion_table(result: dict[str, Any]) -> Table:
    table = Table(title=f"{result['dataset']}: most confused (test)")
    table.add_column("right article")
    table.add_column("ranked first instead")
    table.add_column("count", justify="right")
    for row in result["confusions"]:
        table.add_row(str(row["gold"]), str(row["predicted"]), str(row["count"]))
    return table


def machine_table(payload: dict[str, Any]) -> Table:
    table = Table(title="machine, model and settings")
    table.add_column("fact")
    table.add_column("value")
    machine = {k: v for k, v in payload["machine"].items() if k != "retrieval_fingerprint"}
    settings = machine.pop("retrieval_settings", {})
    facts = {**machine, **{f"setting {k}": v for k, v in settings.items()},
             **{f"calibration {k}": v for k, v in payload["calibration"].items()},
             "responder code (sha256/12)": payload.get("responder_code")}
    for key, value in facts.items():
        table.add_row(key, str(value))
    return table


def warnings(payload: dict[str, Any]) -> list[str]:
    found = []
    if payload["calibration"].get("matches_settings") is False:
        found.append("calibration.json was fitted under other retrieval settings than this run "
                     "used: confidences and thresholds are off; run benchmarks.calibrate")
    if payload.get("responder_code_at_end") != payload.get("responder_code"):
        found.append("responder/ changed on disk during the run; the run measured the code "
                     "as imported at its start")
    return found


def print_report(console: Console, payload: dict[str, Any]) -> None:
    console.print(machine_table(payload))
    for warning in warnings(payload):
        console.print(f"[bold yellow]warning:[/bold yellow] {warning}")
    for result in payload["datasets"]:
        console.print(dataset_table(result))
        console.print(confusion_table(result))
    for warning in warnings(payload):
        console.print(f"[bold yellow]warning:[/bold yellow] {warning}")


def write_results(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1) + "\n")
