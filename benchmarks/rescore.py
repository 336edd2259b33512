"""Threshold figures of a finished run, re-scored with the shipped calibration.

A run records (fused score, margin, right, in scope) for every validation and test query.
The calibration only maps those two numbers to a confidence, so after
`python -m benchmarks.calibrate --from-results RUN.json` the threshold figures can be
recomputed exactly, without ingesting and querying again:

    python -m benchmarks.rescore RUN.json [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from responder.index.calibration import Calibration


def confidences(calibration: Calibration, records: list[list[float]]) -> np.ndarray:
    return np.array([calibration.confidence(r[0], r[1]) for r in records])


def lowest_precise_threshold(scores: np.ndarray, right: np.ndarray, target: float) -> float:
    """The lowest t whose answered set (score >= t) has precision >= target."""
    for t in np.unique(scores):
        answered = scores >= t
        if right[answered].mean() >= target:
            return float(t)
    return float("inf")


def best_oos_threshold(scores: np.ndarray, right: np.ndarray, scoped: np.ndarray) -> float:
    """The t maximising in-scope accuracy + out-of-scope recall on validation."""
    best_t, best = float("inf"), -1.0
    for t in np.unique(np.append(scores, np.inf)):
        accepted = scores >= t
        value = (right & accepted).sum() / scoped.sum() + (~scoped & ~accepted).sum() / max(
            (~scoped).sum(), 1)
        if value > best:
            best_t, best = float(t), float(value)
    return best_t


def recall_bound_threshold(
    scores: np.ndarray, right: np.ndarray, scoped: np.ndarray, min_recall: float
) -> float:
    """The lowest t (most answers) whose out-of-scope recall on validation is >= min_recall."""
    oos = scores[~scoped]
    for t in np.unique(np.append(scores, np.inf)):
        if (oos < t).mean() >= min_recall:
            return float(t)
    return float("inf")


def rescore(dataset: dict[str, Any], calibration: Calibration) -> dict[str, float]:
    val = dataset["val_records"]
    test = dataset["test_records"]
    val_scores = confidences(calibration, val)
    val_right = np.array([r[2] for r in val], dtype=bool)
    val_scoped = np.array([r[3] if len(r) > 3 else 1 for r in val], dtype=bool)
    test_scores = confidences(calibration, test)
    test_right = np.array([r[3] for r in test], dtype=bool)
    test_scoped = np.array([r[4] for r in test], dtype=bool)
    in_scores, in_right = test_scores[test_scoped], test_right[test_scoped]
    result: dict[str, float] = {"top1_accuracy": float(in_right.mean())}
    if (~val_scoped).any():
        t = best_oos_threshold(val_scores, val_right, val_scoped)
        result.update(
            threshold_oos=t,
            in_scope_accuracy=float((in_right & (in_scores >= t)).mean()),
            oos_recall=float((test_scores[~test_scoped] < t).mean()),
        )
        t70 = recall_bound_threshold(val_scores, val_right, val_scoped, 0.70)
        result.update(
            threshold_oos70=t70,
            in_scope_accuracy_at_oos70=float((in_right & (in_scores >= t70)).mean()),
            oos_recall_at_oos70=float((test_scores[~test_scoped] < t70).mean()),
        )
    t95 = lowest_precise_threshold(val_scores[val_scoped], val_right[val_scoped], 0.95)
    answered = in_scores >= t95
    result.update(
        threshold_p95=t95,
        coverage_at_p95=float(answered.mean()),
        precision_at_p95=float(in_right[answered].mean()) if answered.any() else 0.0,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    payload = json.loads(args.results.read_text())
    calibration = Calibration.load()
    rescored = {d["dataset"]: rescore(d, calibration) for d in payload["datasets"]}
    table = Table("dataset", "figure", "value", title=f"calibration: {calibration.fitted_on}")
    for name, figures in rescored.items():
        for key, value in figures.items():
            shown = f"{value:.4f}" if key.startswith("threshold") else f"{value:.2%}"
            table.add_row(name, key, shown)
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps({"calibration": calibration.__dict__,
                                         "results": str(args.results), **rescored}, indent=2))


if __name__ == "__main__":
    main()
