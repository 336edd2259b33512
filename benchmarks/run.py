"""python -m benchmarks.run: accuracy, speed and size of the responder on public data sets.

See benchmarks/README.md for what every figure means.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import faiss
import torch
from rich.console import Console
from rich.progress import Progress

from benchmarks import metrics
from benchmarks.datasets import DEFAULT_ROOT, NAMES, Dataset, load
from benchmarks.pipeline import add_threads_option, ingested, progress_bars, queries, tracker
from benchmarks.provenance import (
    calibration_matches,
    code_digest,
    fingerprint,
    retrieval_settings,
)
from benchmarks.queries import Outcome, embedding_throughput, install_recorder, time_split
from benchmarks.report import print_report, write_results
from responder.index.calibration import DEFAULT_PATH, Calibration
from responder.wiring import Services

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_ROOT,
                        help=f"folder holding banking77/ and clinc150/ (default {DEFAULT_ROOT})")
    parser.add_argument("--only", choices=NAMES, help="run one data set only")
    parser.add_argument("--limit-train", type=int, metavar="N",
                        help="ingest only the first N training questions per intent (dev runs)")
    parser.add_argument("--json", type=Path, help="where to write the results "
                        "(default benchmarks/results/<timestamp>.json)")
    parser.add_argument("--workdir", type=Path,
                        help="parent folder for the temporary KBs (default: system temp)")
    add_threads_option(parser)
    return parser.parse_args(argv)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def machine_facts(services: Services) -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)),
        "torch_threads": torch.get_num_threads(),
        "faiss_threads": faiss.omp_get_max_threads(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "faiss": version("faiss-cpu"),
        "sentence_transformers": version("sentence-transformers"),
        "model_id": services.index.embedder.model_id,
        "embedding_dim": services.index.embedder.dim,
        "embedding_runtime": services.index.embedder.runtime,
        "onnxruntime": version("onnxruntime"),
    }


def accuracy(dataset: Dataset, val: list[Outcome], test: list[Outcome]
             ) -> dict[str, float | None]:
    figures: dict[str, float | None] = {
        "top1_accuracy": metrics.top1_accuracy(test),
        "mrr_at_5": metrics.mrr(test),
        "val_top1_accuracy": metrics.top1_accuracy(val),
    }
    if dataset.has_oos:
        t = metrics.oos_threshold(val)
        tr = metrics.oos_recall_threshold(val)
        figures.update({
            "threshold": t,
            "in_scope_accuracy": metrics.in_scope_accuracy(test, t),
            "oos_recall": metrics.oos_recall(test, t),
            "val_in_scope_accuracy": metrics.in_scope_accuracy(val, t),
            "val_oos_recall": metrics.oos_recall(val, t),
            "threshold_oos_target": tr,
            "in_scope_accuracy_at_oos_target": metrics.in_scope_accuracy(test, tr),
            "oos_recall_at_oos_target": metrics.oos_recall(test, tr),
        })
    else:
        t95 = metrics.precision_threshold(val, 0.95)
        coverage, precision = metrics.coverage_precision(test, t95)
        val_coverage, val_precision = metrics.coverage_precision(val, t95)
        figures.update({
            "threshold_p95": t95,
            "coverage_at_p95": coverage,
            "precision_at_p95": precision,
            "val_coverage_at_p95": val_coverage,
            "val_precision_at_p95": val_precision,
        })
    return figures


def bench(dataset: Dataset, progress: Progress, workdir: Path | None,
          machine: dict[str, Any], threads: int | None = None) -> dict[str, Any]:
    load_before = os.getloadavg()
    with ingested(dataset, progress, workdir, threads) as (services, report):
        if not machine:
            machine.update(machine_facts(services))
            machine["retrieval_settings"] = retrieval_settings(services.settings)
            machine["retrieval_fingerprint"] = fingerprint(services.settings)
        install_recorder(services)
        val = queries(services, dataset.val, progress, f"{dataset.name}: val queries")
        test = queries(services, dataset.test, progress, f"{dataset.name}: test queries")
        texts = [e.text for e in dataset.test]
        embed, rest = time_split(services, texts, tracker(
            progress, f"{dataset.name}: latency split", len(texts)))
        throughput = embedding_throughput(services, texts)
        index = services.index.vectors
        size = {
            "vectors": len(index),
            "index_bytes": int(faiss.serialize_index(index._index).size),
            "rss_bytes": _rss_bytes(),
            "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }
    load_after = os.getloadavg()
    latencies = [o.seconds for o in test]
    return {
        "dataset": dataset.name,
        "sizes": dataset.describe(),
        "ingest": {**asdict(report), "texts_per_second": report.texts_per_second},
        "accuracy": accuracy(dataset, val, test),
        "speed": {
            "embed_throughput_batch64": throughput,
            "queries_timed": len(latencies),
            "query_p50_ms": metrics.percentile_ms(latencies, 50),
            "query_p99_ms": metrics.percentile_ms(latencies, 99),
            "query_mean_ms": 1000 * sum(latencies) / len(latencies),
            "embed_p50_ms": metrics.percentile_ms(embed, 50),
            "embed_p99_ms": metrics.percentile_ms(embed, 99),
            "rest_p50_ms": metrics.percentile_ms(rest, 50),
            "rest_p99_ms": metrics.percentile_ms(rest, 99),
        },
        "size": size,
        "load_before": load_before,
        "load_after": load_after,
        "head_share": sum(o.head for o in test) / len(test),
        "confusions": metrics.confusions(test, 15),
        "worst_intents": metrics.worst_intents(test, 10),
        # [fused, margin, top-1 right, in scope] of every validation query, for
        # `benchmarks.calibrate --from-results` and `benchmarks.rescore`.
        "val_records": [[o.fused, o.margin, int(o.correct), int(o.gold is not None)]
                        for o in val],
        # [fused, margin, calibrated score, top-1 right, in scope] of every test query.
        "test_records": [[o.fused, o.margin, o.score, int(o.correct), int(o.gold is not None)]
                         for o in test],
        # 1 where the query was scored with the article head (its own calibration).
        "val_head": [int(o.head) for o in val],
        "test_head": [int(o.head) for o in test],
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    started = datetime.now(UTC)
    calibration = Calibration.load(mode="head")
    payload: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "limit_train": args.limit_train,
        "threads_option": args.threads,
        "calibration": {**asdict(calibration), "file_exists": DEFAULT_PATH.exists()},
        "responder_code": code_digest(),
        "machine": {},
        "datasets": [],
    }
    begin = time.perf_counter()
    with progress_bars(console) as progress:
        for name in [args.only] if args.only else NAMES:
            dataset = load(name, args.datasets, args.limit_train)
            payload["datasets"].append(bench(dataset, progress, args.workdir,
                                             payload["machine"], args.threads))
    payload["duration_seconds"] = time.perf_counter() - begin
    payload["responder_code_at_end"] = code_digest()
    payload["calibration"]["matches_settings"] = calibration_matches(
        calibration.fitted_on, payload["machine"]["retrieval_fingerprint"]
    )
    print_report(console, payload)
    path = args.json or RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    write_results(path, payload)
    console.print(f"results written to {path} ({payload['duration_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
