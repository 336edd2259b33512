"""python -m benchmarks.calibrate: fit the shipped confidence calibration on validation data.

For every validation query (Banking77's carved 10 %, CLINC150 val + oos_val) the top hit's raw
fused score and margin are the features and "top-1 right" the label (out-of-scope is always
wrong); an unregularised logistic regression on them is written to
responder/index/calibration.json, one per scoring mode the queries were scored in (with the
article head; retrieval alone, e.g. from a RESPONDER_HEAD_WEIGHT=0 run). The test splits are
never looked at.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from rich.console import Console
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from benchmarks.datasets import DEFAULT_ROOT, NAMES, load
from benchmarks.pipeline import add_threads_option, ingested, progress_bars, queries
from benchmarks.provenance import code_digest, fingerprint
from benchmarks.queries import install_recorder
from responder.index.calibration import DEFAULT_PATH, Calibration

Records = dict[str, list[list[float]]]  # dataset -> rows of [fused, margin, correct, head]
MIN_ROWS = 200  # a mode seen on fewer validation queries keeps its previous fit


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.calibrate", description=__doc__)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_ROOT,
                        help=f"folder holding banking77/ and clinc150/ (default {DEFAULT_ROOT})")
    parser.add_argument("--from-results", type=Path, metavar="JSON",
                        help="reuse the val_records of a full `benchmarks.run` result instead of "
                        "ingesting again (fused score and margin do not depend on calibration)")
    parser.add_argument("--limit-train", type=int, metavar="N",
                        help="dev runs only: ingest N questions per intent (use with --out)")
    parser.add_argument("--workdir", type=Path, help="parent folder for the temporary KBs")
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH,
                        help=f"where to write the calibration (default {DEFAULT_PATH})")
    add_threads_option(parser)
    return parser.parse_args(argv)


def collect(root: Path, limit_train: int | None, workdir: Path | None,
            console: Console, threads: int | None = None) -> tuple[Records, str]:
    records: Records = {}
    setup = ""
    with progress_bars(console) as progress:
        for name in NAMES:
            dataset = load(name, root, limit_train)
            with ingested(dataset, progress, workdir, threads) as (services, _):
                install_recorder(services)
                setup = _setup(services.index.embedder.model_id,
                               fingerprint(services.settings), code_digest())
                val = queries(services, dataset.val, progress, f"{name}: val queries")
            records[name] = [[o.fused, o.margin, float(o.correct), float(o.head)] for o in val]
    return records, setup


def _setup(model_id: object, retrieval: str, code: str) -> str:
    return f"model {model_id}; responder code {code}; {retrieval}"


def _model_of(setup: str) -> str:
    """The model id `_setup` put first."""
    return setup.split(";", 1)[0].removeprefix("model ")


def from_results(path: Path) -> tuple[Records, str]:
    payload = json.loads(path.read_text())
    if payload.get("limit_train") is not None:
        raise SystemExit(f"{path} is a --limit-train run; calibrate on a full run")
    records = {r["dataset"]: [[*row[:3], float(head)] for row, head in zip(
        r["val_records"], r.get("val_head", [0] * len(r["val_records"])), strict=True)]
        for r in payload["datasets"]}
    missing = set(NAMES) - set(records)
    if missing:
        raise SystemExit(f"{path} lacks {sorted(missing)}; run the benchmark on both data sets")
    machine = payload["machine"]
    if "retrieval_fingerprint" not in machine:
        raise SystemExit(f"{path} predates retrieval fingerprints; run the benchmark again")
    return records, _setup(machine["model_id"], machine["retrieval_fingerprint"],
                           payload["responder_code"])


def in_mode(records: Records, head: bool) -> Records:
    """The rows scored in one mode (with the article head, or retrieval alone)."""
    return {name: [row for row in rows if bool(row[3]) == head] for name, rows in records.items()}


def fit(records: Records, note: str, model_id: str) -> tuple[Calibration, dict[str, float]]:
    rows = np.array([row for name in NAMES for row in records[name]], dtype=np.float64)
    features, labels = rows[:, :2], rows[:, 2].astype(int)
    model = LogisticRegression(C=1e6, max_iter=10_000).fit(features, labels)
    probabilities = model.predict_proba(features)[:, 1]
    sizes = ", ".join(f"{name} n={len(records[name])}" for name in NAMES)
    calibration = Calibration(
        coef_score=float(model.coef_[0][0]), coef_margin=float(model.coef_[0][1]),
        intercept=float(model.intercept_[0]), model_id=model_id,
        fitted_on=f"{datetime.now(UTC).date().isoformat()}; validation queries: Banking77 "
                  f"carved 10% (seed 77) + CLINC150 val+oos_val ({sizes}); {note}",
    )
    quality = {"queries": float(len(labels)), "share_correct": float(labels.mean()),
               "log_loss": float(log_loss(labels, probabilities)),
               "brier": float(brier_score_loss(labels, probabilities)),
               "auc": float(roc_auc_score(labels, probabilities))}
    return calibration, quality


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    if args.from_results:
        records, setup = from_results(args.from_results)
        note = f"features from {args.from_results.name}; {setup}"
    else:
        records, setup = collect(args.datasets, args.limit_train, args.workdir, console,
                                 args.threads)
        dev = f" (DEV: --limit-train {args.limit_train})" if args.limit_train else ""
        note = f"features from a fresh ingest{dev}; {setup}"
    fitted = 0
    for mode, head in (("retrieval", False), ("head", True)):
        scored = in_mode(records, head)
        rows = sum(len(scored[name]) for name in NAMES)
        if rows < MIN_ROWS:
            console.print(f"{mode}: {rows} validation queries, too few to fit; kept as it was")
            continue
        calibration, quality = fit(scored, note, _model_of(setup))
        calibration.save(args.out, mode)
        fitted += 1
        console.print(mode, calibration)
        console.print({k: round(v, 4) for k, v in quality.items()})
    console.print(f"{fitted} calibration(s) written to {args.out}")
    return 0 if fitted else 1


if __name__ == "__main__":
    raise SystemExit(main())
