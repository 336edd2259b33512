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


# The floor asks for 70 % out-of-scope recall on test; CLINC150's oos_val has only 100
# questions (a recall measured on it is +-4.6 points at one standard deviation), so the
# threshold is set where validation shows 80 %: two standard deviations of safety.
OOS_RECALL_TARGET = 0.80


def _arrays(outcomes: Sequence[Outcome]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.array([o.score for o in outcomes], dtype=np.float64),
            np.array([o.correct for o in outcomes], dtype=bool),
            np.array([o.gold is not None for o in outcomes], dtype=bool))


def lowest_precise_threshold(scores: np.ndarray, right: np.ndarray, target: float) -> float:
    """The lowest t whose answered set (score >= t) has precision >= target (inf if none)."""
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], np.cumsum(right[order])
    for t in np.unique(scores):  # ascending
        answered = int(np.searchsorted(-ranked, -t, side="right"))
        if answered and hits[answered - 1] / answered >= target:
            return float(t)
    return float("inf")


def best_oos_threshold(scores: np.ndarray, right: np.ndarray, scoped: np.ndarray) -> float:
    """The t maximising in-scope accuracy + out-of-scope recall (lowest such t on ties)."""
    n_in, n_out = max(int(scoped.sum()), 1), max(int((~scoped).sum()), 1)
    best_t, best = float("inf"), -1.0
    for t in np.unique(np.append(scores, np.inf)):
        accepted = scores >= t
        value = (right & accepted).sum() / n_in + (~scoped & ~accepted).sum() / n_out
        if value > best:
            best_t, best = float(t), float(value)
    return best_t


def recall_bound_threshold(scores: np.ndarray, scoped: np.ndarray, min_recall: float) -> float:
    """The lowest t (most answers) that hands at least `min_recall` of the out-of-scope
    questions to a human."""
    oos = scores[~scoped]
    for t in np.unique(np.append(scores, np.inf)):
        if (oos < t).mean() >= min_recall:
            return float(t)
    return float("inf")


def precision_threshold(outcomes: Sequence[Outcome], target: float = 0.95) -> float | None:
    """The lowest confidence t whose answered set (score >= t) has top-1 precision >= target."""
    scores, right, scoped = _arrays(outcomes)
    t = lowest_precise_threshold(scores[scoped], right[scoped], target)
    return None if t == float("inf") else t


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
    return best_oos_threshold(*_arrays(outcomes))


def oos_recall_threshold(outcomes: Sequence[Outcome], target: float = OOS_RECALL_TARGET
                         ) -> float:
    scores, _, scoped = _arrays(outcomes)
    return recall_bound_threshold(scores, scoped, target)


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
