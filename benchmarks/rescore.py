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

from benchmarks.metrics import (
    OOS_RECALL_TARGET,
    best_oos_threshold,
    lowest_precise_threshold,
    recall_bound_threshold,
)
from responder.index.calibration import Calibration

Calibrations = dict[bool, Calibration]  # scored with the article head -> its calibration


def load_calibrations() -> Calibrations:
    return {False: Calibration.load(mode="retrieval"), True: Calibration.load(mode="head")}


def confidences(calibrations: Calibrations, records: list[list[float]], heads: list[int]
                ) -> np.ndarray:
    return np.array([calibrations[bool(h)].confidence(r[0], r[1])
                     for r, h in zip(records, heads, strict=True)])


def rescore(dataset: dict[str, Any], calibrations: Calibrations) -> dict[str, float]:
    val = dataset["val_records"]
    test = dataset["test_records"]
    val_heads = dataset.get("val_head", [0] * len(val))
    test_heads = dataset.get("test_head", [0] * len(test))
    val_scores = confidences(calibrations, val, val_heads)
    val_right = np.array([r[2] for r in val], dtype=bool)
    val_scoped = np.array([r[3] if len(r) > 3 else 1 for r in val], dtype=bool)
    test_scores = confidences(calibrations, test, test_heads)
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
        tr = recall_bound_threshold(val_scores, val_scoped, OOS_RECALL_TARGET)
        result.update(
            threshold_oos_target=tr,
            in_scope_accuracy_at_oos_target=float((in_right & (in_scores >= tr)).mean()),
            oos_recall_at_oos_target=float((test_scores[~test_scoped] < tr).mean()),
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
    calibrations = load_calibrations()
    rescored = {d["dataset"]: rescore(d, calibrations) for d in payload["datasets"]}
    title = "; ".join(f"{mode}: {c.fitted_on[:60]}"
                      for mode, c in zip(("retrieval", "head"), calibrations.values(), strict=True))
    table = Table("dataset", "figure", "value", title=f"calibrations: {title}")
    for name, figures in rescored.items():
        for key, value in figures.items():
            shown = f"{value:.4f}" if key.startswith("threshold") else f"{value:.2%}"
            table.add_row(name, key, shown)
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps({"calibrations": {str(k): c.__dict__
                                                          for k, c in calibrations.items()},
                                         "results": str(args.results), **rescored}, indent=2))


if __name__ == "__main__":
    main()
