"""python -m benchmarks.offensive: the insult signs on public offensive-language data.

Scores three insult detectors on the held-out quarter of GermEval 2018 (de), DKHate (da) and
OLID (en) (benchmarks/offensive_data.py says how it is set aside; the training command never
reads it): the lexicon alone (every insult word, mild ones included), the learnt score alone
(at or over its threshold), and the two combined as `responder.tone.detect_tone` combines them
(`Tone.has(CueKind.INSULT)`). Per language: recall on the offensive (OFF) posts and false
alarms on the others (NOT); for German also per fine label. Then the share of the project's own
calm customer messages flagged as insulting, and the detector's time per message.

Use `--part train` while tuning; the held-out figures are for reporting only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.offensive_data import ROOT, Post, calm_messages, load
from responder import tone_model, tone_rules
from responder.models import CueKind
from responder.tone import detect_tone

Detector = Callable[[str, str], bool]
FINE_LABELS = ("INSULT", "ABUSE", "PROFANITY", "OTHER")


def lexicon_alone(text: str, language: str) -> bool:
    insults = [cue for cue in tone_rules.lexicon_cues(text, language)
               if cue.kind is CueKind.INSULT]
    return bool(insults or tone_rules.mild_insult_cues(text, insults))


def learnt_alone(text: str, language: str) -> bool:
    model = tone_model.shipped()
    return model is not None and model.learnt(text, language).flagged


def combined(text: str, language: str) -> bool:
    return detect_tone(text, language).has(CueKind.INSULT)


def escalated(text: str, language: str) -> bool:
    return detect_tone(text, language).escalated


DETECTORS: dict[str, Detector] = {"lexicon": lexicon_alone, "learnt": learnt_alone,
                                  "combined": combined, "escalated": escalated}


def _share(hits: Sequence[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def evaluate(part: str = "held_out", root: Path = ROOT) -> dict[str, Any]:
    posts = load(part, root)
    flags = {name: [detect(post.text, post.language) for post in posts]
             for name, detect in DETECTORS.items()}
    languages: dict[str, Any] = {}
    for language in sorted({post.language for post in posts}):
        mine = [i for i, post in enumerate(posts) if post.language == language]
        off = [i for i in mine if posts[i].offensive]
        calm = [i for i in mine if not posts[i].offensive]
        languages[language] = {
            "off": len(off), "not": len(calm),
            **{name: {"recall": _share([hits[i] for i in off]),
                      "false_alarms": _share([hits[i] for i in calm])}
               for name, hits in flags.items()},
        }
    fine = {label: {"n": len(group), "combined": _share([flags["combined"][i] for i in group])}
            for label in FINE_LABELS
            if (group := [i for i, post in enumerate(posts) if post.fine_label == label])}
    return {"part": part, "posts": len(posts), "languages": languages, "german_fine": fine,
            "calm": _calm(), "speed": _speed(posts)}


def _calm() -> dict[str, Any]:
    messages = calm_messages()
    tones = [detect_tone(text, language) for language, text in messages]
    insulting = [(language, text) for (language, text), tone in zip(messages, tones, strict=True)
                 if tone.has(CueKind.INSULT)]
    return {"messages": len(messages), "insult": len(insulting),
            "insult_share": len(insulting) / len(messages),
            "learnt": sum(any(score.flagged for score in tone.learnt) for tone in tones),
            "flagged": insulting}


def _speed(posts: Sequence[Post]) -> dict[str, float]:
    ms = []
    for post in posts:
        start = time.perf_counter()
        detect_tone(post.text, post.language)
        ms.append(1000 * (time.perf_counter() - start))
    ms.sort()
    return {"mean_ms": statistics.fmean(ms), "p50_ms": ms[int(0.5 * (len(ms) - 1))],
            "p95_ms": ms[int(0.95 * (len(ms) - 1))], "p99_ms": ms[int(0.99 * (len(ms) - 1))],
            "max_ms": ms[-1]}


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def print_report(console: Console, result: dict[str, Any]) -> None:
    table = Table(title=f"insult recall on OFF / false alarms on NOT, % ({result['part']})")
    table.add_column("language")
    table.add_column("OFF / NOT", justify="right")
    for name in DETECTORS:
        table.add_column(name, justify="right")
    for language, row in result["languages"].items():
        table.add_row(language, f"{row['off']} / {row['not']}",
                      *(f"{_pct(row[name]['recall'])} / {_pct(row[name]['false_alarms'])}"
                        for name in DETECTORS))
    console.print(table)
    fine = ", ".join(f"{label} {_pct(row['combined'])} % of {row['n']}"
                     for label, row in result["german_fine"].items())
    console.print(f"German, combined, flagged per fine label: {fine}")
    calm = result["calm"]
    console.print(f"calm project messages flagged as insulting: {calm['insult']} of "
                  f"{calm['messages']} ({_pct(calm['insult_share'])} %), by the learnt score "
                  f"alone {calm['learnt']}")
    for language, text in calm["flagged"]:
        console.print(f"  {language}: {text}", markup=False)
    speed = result["speed"]
    console.print(f"detect_tone: mean {speed['mean_ms']:.3f} ms, p50 {speed['p50_ms']:.3f} ms, "
                  f"p95 {speed['p95_ms']:.3f} ms, p99 {speed['p99_ms']:.3f} ms, "
                  f"max {speed['max_ms']:.3f} ms per message")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.offensive", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("held_out", "train"), default="held_out")
    parser.add_argument("--data", type=Path, default=ROOT, help="the offensive/ folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data at {args.data} (see ../shared/datasets/README.md)", file=sys.stderr)
        return 2
    result = evaluate(args.part, args.data)
    print_report(Console(), result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
