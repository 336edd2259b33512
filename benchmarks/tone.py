"""python -m benchmarks.tone: escalation-sign (tone) detection on the labelled tone set.

Scores `responder.tone.detect_tone` against the hand-written messages in
benchmarks/data/tone/<language>.jsonl (see that folder's README.md for how they were written and
labelled): per language and overall, precision/recall/F1 of `Tone.escalated`; per cue kind,
precision/recall of `Tone.has(kind)`; and the detector's time per message.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from benchmarks.provenance import code_digest
from responder.models import CueKind, Tone, ToneLevel

DATA = Path(__file__).resolve().parent / "data" / "tone"
RESULTS = Path(__file__).resolve().parent / "results"
LANGUAGES = ("en", "da", "nb", "de", "ru")
# "holdout" (written 2026-12-06, blind to the detector) is the held-out split. "test" was held
# out until its figures had been read after each of five rounds of tuning; since 2026-12-06 it
# is tuning data beside "dev", and "tuning" names the two together.
SPLITS = ("holdout", "dev", "test", "tuning", "all")
TUNING = ("dev", "test")
# dev3-dev77: written blind after the holdout, each read once before it was tuned on.
EXTRA_DEV = ("dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10",
             "dev11", "dev12", "dev13", "dev14", "dev15", "dev16", "dev17", "dev18",
             "dev19", "dev20", "dev21", "dev22", "dev23",
             "dev24", "dev25", "dev26", "dev27", "dev28", "dev29", "dev30", "dev31",
             "dev32", "dev33", "dev34", "dev35", "dev36", "dev37", "dev38", "dev39",
             "dev40", "dev41", "dev42", "dev43", "dev44", "dev45",
             "dev46", "dev47", "dev48", "dev49",
             "dev50", "dev51", "dev52", "dev53",
             "dev54", "dev55", "dev56", "dev57",
             "dev58", "dev59", "dev60", "dev61",
             "dev62", "dev63", "dev64", "dev65",
             "dev66", "dev67", "dev68", "dev69", "dev70", "dev71", "dev72", "dev73",
             "dev74", "dev75", "dev76", "dev77")
# The labelled cue kinds, in report order (the exact strings of the data files and of CueKind).
KINDS = ("anger", "shouting", "insult", "threat", "human", "urgency")
FIELDS = {"id", "split", "text", "escalated", "cues"}
WARMUP_TEXT = "ok"

Detector = Callable[[str, str], Tone]


@dataclass(frozen=True)
class Message:
    id: str
    language: str
    split: str
    text: str
    escalated: bool
    cues: frozenset[str]


@dataclass(frozen=True)
class Prediction:
    message: Message
    escalated: bool
    cues: frozenset[str]
    level: str
    matched: tuple[tuple[str, str], ...]  # (kind, matched text) of every cue found
    seconds: float


# -- data ---------------------------------------------------------------------------------------
def _parse(line: str, where: str, language: str) -> Message:
    record = json.loads(line)
    if not isinstance(record, dict) or set(record) != FIELDS:
        raise ValueError(f"{where}: expected exactly the fields {sorted(FIELDS)}")
    cues = record["cues"]
    if not isinstance(cues, list) or any(cue not in KINDS for cue in cues):
        raise ValueError(f"{where}: cues must be a list of {KINDS}, got {cues!r}")
    allowed = ("holdout",) if where.startswith("holdout/") else TUNING
    if record["split"] not in allowed:
        raise ValueError(f"{where}: split must be {' or '.join(map(repr, allowed))}")
    if record["escalated"] is not bool(cues):
        raise ValueError(f"{where}: escalated must be true exactly when cues is non-empty")
    if not str(record["id"]).startswith(f"{language}-") or not str(record["text"]).strip():
        raise ValueError(f"{where}: id must start with '{language}-' and text must not be empty")
    return Message(id=record["id"], language=language, split=record["split"],
                   text=record["text"], escalated=record["escalated"], cues=frozenset(cues))


def _files(split: str, root: Path, language: str) -> list[Path]:
    files = []
    if split in (*TUNING, "tuning", "all"):
        files.append(root / f"{language}.jsonl")
        for batch in EXTRA_DEV:
            extra = root / batch / f"{language}.jsonl"
            if extra.exists():
                files.append(extra)
    if split in ("holdout", "all"):
        files.append(root / "holdout" / f"{language}.jsonl")
    return files


def load(split: str = "holdout", root: Path = DATA,
         languages: Sequence[str] = LANGUAGES) -> list[Message]:
    """The labelled messages of one split ('holdout', 'dev', 'test', 'tuning' or 'all'),
    validated."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    messages: list[Message] = []
    seen: set[str] = set()
    for language in languages:
        for path in _files(split, root, language):
            where = str(path.relative_to(root))
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    message = _parse(line, f"{where}:{number}", language)
                    if message.id in seen:
                        raise ValueError(f"{where}:{number}: duplicate id {message.id}")
                    seen.add(message.id)
                    if split in ("all", message.split) or (split == "tuning"
                                                           and message.split in TUNING):
                        messages.append(message)
    return messages


def load_batch(batch: str, root: Path = DATA,
               languages: Sequence[str] = LANGUAGES) -> list[Message]:
    """Every message of one blind batch (a folder such as "dev23"), validated."""
    messages = []
    for language in languages:
        path = root / batch / f"{language}.jsonl"
        with path.open(encoding="utf-8") as handle:
            messages += [_parse(line, f"{batch}/{language}.jsonl:{number}", language)
                         for number, line in enumerate(handle, 1) if line.strip()]
    return messages


def data_digests(root: Path = DATA, languages: Sequence[str] = LANGUAGES) -> dict[str, str]:
    """Short sha256 of every data file: which version of the set a result measured."""
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            for lang in languages for path in _files("all", root, lang) if path.exists()}


# -- scoring ------------------------------------------------------------------------------------
def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def binary(pairs: Iterable[tuple[bool, bool]]) -> dict[str, Any]:
    """Counts and precision/recall/F1 of (gold, predicted) pairs; None where undefined."""
    counts = Counter(pairs)
    tp, fp = counts[(True, True)], counts[(False, True)]
    fn, tn = counts[(True, False)], counts[(False, False)]
    n = tp + fp + fn + tn
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {"n": n, "support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
            "tn": tn, "precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "accuracy": _ratio(tp + tn, n)}


def _escalation(predictions: Sequence[Prediction]) -> dict[str, Any]:
    return binary((p.message.escalated, p.escalated) for p in predictions)


def _cues(predictions: Sequence[Prediction]) -> dict[str, dict[str, Any]]:
    return {kind: binary((kind in p.message.cues, kind in p.cues) for p in predictions)
            for kind in KINDS}


def _speed(seconds: Sequence[float]) -> dict[str, Any]:
    ms = sorted(1000 * s for s in seconds)
    if not ms:
        return {"messages": 0, "mean_ms": None, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                "max_ms": None}
    return {"messages": len(ms), "mean_ms": statistics.fmean(ms),
            "p50_ms": ms[len(ms) // 2], "p95_ms": ms[min(len(ms) - 1, int(0.95 * len(ms)))],
            "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))], "max_ms": ms[-1]}


def _error(p: Prediction) -> dict[str, Any]:
    m = p.message
    return {"id": m.id, "language": m.language, "text": m.text, "escalated": m.escalated,
            "predicted_escalated": p.escalated, "cues": sorted(m.cues, key=KINDS.index),
            "predicted_cues": sorted(p.cues, key=KINDS.index), "level": p.level,
            "matched": [list(pair) for pair in p.matched]}


def predict(messages: Sequence[Message], detect: Detector) -> tuple[list[Prediction],
                                                                    dict[str, float]]:
    """Run the detector on every message; the first call per language is timed apart."""
    warmup: dict[str, float] = {}
    predictions = []
    for message in messages:
        if message.language not in warmup:
            start = time.perf_counter()
            detect(WARMUP_TEXT, message.language)
            warmup[message.language] = time.perf_counter() - start
        start = time.perf_counter()
        tone = detect(message.text, message.language)
        seconds = time.perf_counter() - start
        found = frozenset(kind for kind in KINDS if tone.has(CueKind(kind)))
        predictions.append(Prediction(
            message=message, escalated=tone.escalated, cues=found, level=str(tone.level),
            matched=tuple((str(cue.kind), cue.text) for cue in tone.cues), seconds=seconds))
    return predictions, warmup


def score(predictions: Sequence[Prediction], split: str,
          warmup: dict[str, float] | None = None) -> dict[str, Any]:
    by_language: dict[str, list[Prediction]] = {}
    for p in predictions:
        by_language.setdefault(p.message.language, []).append(p)
    levels: dict[str, Counter[str]] = {"escalated": Counter(), "calm": Counter()}
    for p in predictions:
        levels["escalated" if p.message.escalated else "calm"][p.level] += 1
    warmup = warmup or {}
    return {
        "split": split,
        "overall": _escalation(predictions),
        "languages": {lang: {**_escalation(ps), "cues": _cues(ps),
                             "speed": _speed([p.seconds for p in ps]),
                             "warmup_ms": 1000 * warmup[lang] if lang in warmup else None}
                      for lang, ps in by_language.items()},
        "cues": _cues(predictions),
        "speed": _speed([p.seconds for p in predictions]),
        # predicted ToneLevel per gold class, in rank order
        "levels": {gold: {level.value: counts[level.value] for level in ToneLevel}
                   for gold, counts in levels.items()},
        "errors": [_error(p) for p in predictions if p.escalated != p.message.escalated],
        "cue_errors": [_error(p) for p in predictions
                       if p.escalated == p.message.escalated and p.cues != p.message.cues],
    }


def query_embedder() -> tuple[Callable[[str], Any], str]:
    """The product's default embedder as the answer path uses it: (one message -> its query
    vector, the model id). Loads the real model, never a developer's .env."""
    from responder.config import Settings
    from responder.index.embedder import load_embedder

    settings = Settings(_env_file=None)
    embedder = load_embedder(settings)
    return (lambda text: embedder.embed([text], prefix=settings.query_prefix)[0],
            embedder.model_id)


def with_embedding() -> Detector:
    """`detect_tone` read together with the learnt escalation score on the message's query
    vector, as the product reads a message (responder.pipeline). Loads the real embedding
    model; the time per message then includes embedding it (which matching pays anyway)."""
    from responder import escalation_model
    from responder.tone import detect_tone

    embed, model_id = query_embedder()

    def detect(text: str, language: str) -> Tone:
        return escalation_model.apply(detect_tone(text, language), embed(text), model_id,
                                      text=text)

    return detect


def evaluate(split: str = "holdout", *, detect: Detector | None = None,
             root: Path = DATA) -> dict[str, Any]:
    """Score a detector (default: responder.tone.detect_tone) on one split of the tone set.

    Returns {"split", "overall", "languages", "cues", "speed", "levels", "errors",
    "cue_errors", "data"}: every precision/recall/F1 is a float in [0, 1], or None when it
    is undefined (nothing predicted, or nothing labelled). `speed.mean_ms` is the detector's
    mean time per message (the first call per language is excluded; see `warmup_ms`).
    """
    if detect is None:
        from responder.tone import detect_tone

        detect = detect_tone
    messages = load(split, root)
    predictions, warmup = predict(messages, detect)
    result = score(predictions, split, warmup)
    result["data"] = {"root": str(root), "files": data_digests(root)}
    return result


# -- report -------------------------------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def escalation_table(result: dict[str, Any]) -> Table:
    table = Table(title=f"escalated or not ({result['split']} split)")
    for column in ("language", "n", "escalated", "P %", "R %", "F1 %", "FP", "FN",
                   "ms / message", "first call ms"):
        table.add_column(column, justify="left" if column == "language" else "right")
    rows = list(result["languages"].items())
    last = rows[-1][0] if rows else None
    for name, stats in [*rows, ("all", result["overall"])]:
        speed = stats.get("speed", result["speed"])
        warm = stats.get("warmup_ms")
        table.add_row(name, str(stats["n"]), str(stats["support"]), _pct(stats["precision"]),
                      _pct(stats["recall"]), _pct(stats["f1"]), str(stats["fp"]),
                      str(stats["fn"]), _ms(speed["mean_ms"]),
                      "" if warm is None else _ms(warm), end_section=name == last)
    return table


def cue_table(result: dict[str, Any]) -> Table:
    table = Table(title="cue kinds: precision / recall % (labelled count)")
    table.add_column("kind")
    table.add_column("all languages", justify="right")
    table.add_column("F1 %", justify="right")
    languages = list(result["languages"])
    for lang in languages:
        table.add_column(lang, justify="right")

    def cell(stats: dict[str, Any]) -> str:
        return f"{_pct(stats['precision'])} / {_pct(stats['recall'])} ({stats['support']})"

    for kind in KINDS:
        overall = result["cues"][kind]
        table.add_row(kind, cell(overall), _pct(overall["f1"]),
                      *(cell(result["languages"][lang]["cues"][kind]) for lang in languages))
    return table


def level_table(result: dict[str, Any]) -> Table:
    table = Table(title="predicted tone level by label")
    table.add_column("labelled")
    for level in ToneLevel:
        table.add_column(level.value, justify="right")
    for gold, counts in result["levels"].items():
        table.add_row(gold, *(str(counts[level.value]) for level in ToneLevel))
    return table


def errors_table(title: str, errors: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=title, show_lines=True)
    for column in ("id", "labelled", "predicted", "text", "found"):
        table.add_column(column, overflow="fold")
    for e in errors:
        labelled = ", ".join(e["cues"]) or "calm"
        predicted = ", ".join(e["predicted_cues"]) or "-"
        predicted = f"{e['level']}: {predicted}"
        found = "; ".join(f"{kind}: {text!r}" for kind, text in e["matched"])
        table.add_row(e["id"], labelled, escape(predicted), escape(e["text"]), escape(found))
    return table


def print_report(console: Console, payload: dict[str, Any], show_errors: bool) -> None:
    result = payload["result"]
    console.print(escalation_table(result))
    console.print(cue_table(result))
    console.print(level_table(result))
    speed = result["speed"]
    console.print(f"detector time per message: mean {_ms(speed['mean_ms'])} ms, p50 "
                  f"{_ms(speed['p50_ms'])} ms, p95 {_ms(speed['p95_ms'])} ms, p99 "
                  f"{_ms(speed['p99_ms'])} ms, max "
                  f"{_ms(speed['max_ms'])} ms over {speed['messages']} messages")
    if show_errors:
        false_pos = [e for e in result["errors"] if not e["escalated"]]
        false_neg = [e for e in result["errors"] if e["escalated"]]
        console.print(errors_table(f"false positives: calm, flagged ({len(false_pos)})",
                                   false_pos))
        console.print(errors_table(f"false negatives: escalated, missed ({len(false_neg)})",
                                   false_neg))
        console.print(errors_table("escalation right, cue kinds differ "
                                   f"({len(result['cue_errors'])})", result["cue_errors"]))
    if payload["responder_code_at_end"] != payload["responder_code"]:
        console.print("[bold yellow]warning:[/bold yellow] responder/ changed on disk during "
                      "the run; the run measured the code as imported at its start")


# -- command ------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tone", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=SPLITS, default="holdout",
                        help="which messages to score (default: holdout, the held-out split; "
                        "tune on dev, test or tuning)")
    parser.add_argument("--with-embedding", action="store_true",
                        help="score the product's whole judgement: the lexicons and the learnt "
                        "escalation score on the real query vector (loads the model)")
    parser.add_argument("--json", type=Path, help="where to write the results "
                        "(default benchmarks/results/tone-<timestamp>.json)")
    parser.add_argument("--show-errors", action="store_true",
                        help="list false positives/negatives and cue-kind mismatches")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    started = datetime.now(UTC)
    payload: dict[str, Any] = {
        "benchmark": "tone",
        "started_at": started.isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.tone", *sys.argv[1:]]),
        "split": args.split,
        "responder_code": code_digest(),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine(),
                    "cpu_count": os.cpu_count(), "load_before": os.getloadavg()},
    }
    begin = time.perf_counter()
    try:
        payload["detector"] = "detect_tone + escalation score" if args.with_embedding else (
            "detect_tone")
        payload["result"] = evaluate(args.split,
                                     detect=with_embedding() if args.with_embedding else None)
    except ImportError as exc:
        console.print(f"[red]cannot import the detector:[/red] {escape(str(exc))}")
        return 2
    payload["duration_seconds"] = time.perf_counter() - begin
    payload["machine"]["load_after"] = os.getloadavg()
    payload["responder_code_at_end"] = code_digest()
    print_report(console, payload, args.show_errors)
    path = args.json or RESULTS / f"tone-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"results written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
