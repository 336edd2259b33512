"""Accuracy, ranking, threshold and latency figures computed from query outcomes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from benchmarks.queries import K, Outcome


def top1_accuracy(outcomes: Sequence[Outcome]) -> float:
    scoped = [o for o in outcomes if o.gold is not None]
    return sum(o.correct for o in scoped) / len(scoped) if scoped else 0.0


def mrr(outcomes: Sequence[Outcome], k: int = K) -> float:
    """Mean reciprocal rank of the right article within the top k (0 when absent)."""
    scoped = [o for o in outcomes if o.gold is not None]
    total = 0.0
    for o in scoped:
        if o.gold in o.ranked[:k]:
            total += 1.0 / (o.ranked.index(o.gold) + 1)
    return total / len(scoped) if scoped else 0.0


def precision_threshold(outcomes: Sequence[Outcome], target: float = 0.95) -> float | None:
    """The lowest confidence t whose answered set (score >= t) has top-1 precision >= target."""
    scoped = sorted((o for o in outcomes if o.gold is not None), key=lambda o: -o.score)
    scores = np.array([o.score for o in scoped])
    correct = np.cumsum([o.correct for o in scoped])
    best: float | None = None
    for t in np.unique(scores):  # ascending
        answered = int(np.sum(scores >= t))
        if correct[answered - 1] / answered >= target:
            best = float(t)
            break
    return best


def coverage_precision(outcomes: Sequence[Outcome], t: float | None) -> tuple[float, float]:
    """Share of in-scope queries answered at threshold t, and top-1 precision of those."""
    scoped = [o for o in outcomes if o.gold is not None]
    if t is None or not scoped:
        return 0.0, 0.0
    answered = [o for o in scoped if o.score >= t]
    precision = sum(o.correct for o in answered) / len(answered) if answered else 0.0
    return len(answered) / len(scoped), precision


def in_scope_accuracy(outcomes: Sequence[Outcome], t: float) -> float:
    """Right article AND confident enough to answer."""
    scoped = [o for o in outcomes if o.gold is not None]
    return sum(o.correct and o.score >= t for o in scoped) / len(scoped) if scoped else 0.0


def oos_recall(outcomes: Sequence[Outcome], t: float) -> float:
    """Share of out-of-scope queries handed to a human (score below t)."""
    oos = [o for o in outcomes if o.gold is None]
    return sum(o.score < t for o in oos) / len(oos) if oos else 0.0


def oos_threshold(outcomes: Sequence[Outcome]) -> float:
    """The t maximising in-scope accuracy + out-of-scope recall (lowest such t on ties)."""
    scores = np.array([o.score for o in outcomes])
    scoped = np.array([o.gold is not None for o in outcomes])
    right = np.array([o.correct for o in outcomes])
    candidates = np.unique(np.append(scores, np.inf))
    n_in, n_out = max(int(scoped.sum()), 1), max(int((~scoped).sum()), 1)
    best_t, best_value = float(candidates[0]), -1.0
    for t in candidates:
        accepted = scores >= t
        value = (right & accepted).sum() / n_in + (~scoped & ~accepted).sum() / n_out
        if value > best_value:
            best_t, best_value = float(t), float(value)
    return best_t


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(seconds) * 1000.0, q)) if seconds else 0.0


def confusions(outcomes: Sequence[Outcome], n: int = 10) -> list[dict[str, object]]:
    """The most frequent (right article -> article ranked first instead) pairs."""
    pairs = Counter((o.gold, o.predicted) for o in outcomes if o.gold is not None and not o.correct)
    return [{"gold": g, "predicted": p, "count": c} for (g, p), c in pairs.most_common(n)]


def worst_intents(outcomes: Sequence[Outcome], n: int = 10) -> list[dict[str, object]]:
    """Articles with the lowest top-1 accuracy on their own questions."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        if o.gold is not None:
            totals[o.gold][0] += int(o.correct)
            totals[o.gold][1] += 1
    ranked = sorted(totals.items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0]))
    return [{"intent": slug, "accuracy": right / total, "queries": total}
            for slug, (right, total) in ranked[:n]]
