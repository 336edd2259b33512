"""python -m benchmarks.plain_questions: how often the tone reading flags plain questions.

Every tone figure elsewhere is measured on the tone set, written for this project by a few
AI writers. This benchmark reads questions the tone models never learnt from and that are
nearly all plain and calm, and prints how many the reading calls escalated, by cue kind:

- Banking77 and CLINC150 (English): public sets of questions to a bank and to an assistant,
  written by other people for another purpose. The test splits give the figures; `--split val`
  looks at what gets flagged without spending them. The training splits are not read here:
  a sample of them is calm training data (benchmarks.public_calm).
- The language set's held-out short messages (benchmarks/data/language/holdout), 1-15 words in
  five languages, written for the language benchmark. Its tuning split is calm training data
  for the learnt scores (benchmarks.public_calm); the holdout is never trained on by anything,
  and reading how the tone models treat it tunes nothing of language detection.

Each is read as `detect_tone` reads it (lexicons and the learnt insult score) and as the answer
path reads it (with the context check, the escalation score on the query vector and the
wording score). The sets carry no tone labels, so a flag is not by itself an error ("I need
the 30 pounds now!" is urgency by the project's guideline): `--show` prints what was flagged
for a person to judge.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from benchmarks import datasets, language
from benchmarks.tone import KINDS, with_embedding
from responder.models import Tone

SPLITS = ("val", "test")
Reader = Callable[[str, str], Tone]


@dataclass(frozen=True)
class Flag:
    text: str
    language: str
    kinds: tuple[str, ...]
    matched: tuple[str, ...]


def public_questions(name: str, split: str,
                     root: Path = datasets.DEFAULT_ROOT) -> list[tuple[str, str]]:
    """The distinct questions of one split of a public set, in-scope and out-of-scope alike,
    as (language, text) in file order."""
    dataset = datasets.load(name, root)
    examples = dataset.val if split == "val" else dataset.test
    return [("en", text) for text in dict.fromkeys(example.text for example in examples)]


def short_messages() -> list[tuple[str, str]]:
    """The language set's held-out messages, as (language, text)."""
    return [(m.language, m.text) for m in language.load("holdout")]


def flags(messages: Sequence[tuple[str, str]], read: Reader) -> list[Flag]:
    """The messages `read` calls escalated, with the cue kinds and the words it found."""
    found = []
    for code, text in messages:
        tone = read(text, code)
        if tone.escalated:
            kinds = tuple(kind for kind in KINDS if any(str(c.kind) == kind for c in tone.cues))
            found.append(Flag(text, code, kinds, tuple(cue.text for cue in tone.cues)))
    return found


def summary(messages: Sequence[tuple[str, str]], flagged: Sequence[Flag]) -> dict[str, Any]:
    kinds = Counter(kind for flag in flagged for kind in flag.kinds)
    languages = sorted({code for code, _ in messages}, key=language.LANGUAGES.index)
    return {"messages": len(messages), "flagged": len(flagged),
            "share": len(flagged) / len(messages) if messages else None,
            "by_language": {code: [sum(f.language == code for f in flagged),
                                   sum(c == code for c, _ in messages)] for code in languages},
            "learnt_alone": sum(not flag.kinds for flag in flagged),
            "kinds": {kind: kinds[kind] for kind in KINDS if kinds[kind]}}


def evaluate(split: str = "test", root: Path = datasets.DEFAULT_ROOT, *,
             readers: dict[str, Reader] | None = None) -> dict[str, Any]:
    if readers is None:
        from responder.tone import detect_tone

        readers = {"detect_tone": detect_tone, "answer path": with_embedding()}
    sets = {name: public_questions(name, split, root) for name in datasets.NAMES}
    sets["short messages"] = short_messages()
    result: dict[str, Any] = {"split": split, "sets": {}}
    for name, messages in sets.items():
        result["sets"][name] = {
            reader: {**summary(messages, flagged), "flagged_messages": [
                {"language": f.language, "text": f.text, "kinds": list(f.kinds),
                 "matched": list(f.matched)} for f in flagged]}
            for reader, read in readers.items() for flagged in [flags(messages, read)]}
    return result


def print_report(console: Console, result: dict[str, Any], *, show: bool) -> None:
    console.print(f"[bold]Plain questions called escalated (public sets: {result['split']} "
                  "splits; short messages: the language set's holdout)[/bold]")
    for name, readers in result["sets"].items():
        for reader, row in readers.items():
            kinds = ", ".join(f"{kind} {count}" for kind, count in row["kinds"].items())
            languages = " ".join(f"{code} {hit}/{total}"
                                 for code, (hit, total) in row["by_language"].items())
            console.print(f"{name:15} {reader:12} {row['flagged']:4} of {row['messages']:5} "
                          f"({100 * row['share']:.2f} %); learnt score alone "
                          f"{row['learnt_alone']}; {kinds}; {languages}", markup=False)
            if show:
                for flag in row["flagged_messages"]:
                    console.print(f"    {flag['language']} [{', '.join(flag['kinds'])}] "
                                  f"{flag['text']!r} <- {flag['matched']}", markup=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plain_questions",
                                     description=__doc__)
    parser.add_argument("--split", choices=SPLITS, default="test",
                        help="which split of the public sets (default test)")
    parser.add_argument("--root", type=Path, default=datasets.DEFAULT_ROOT)
    parser.add_argument("--show", action="store_true", help="print every flagged message")
    parser.add_argument("--json", type=Path, help="where to write the full result")
    args = parser.parse_args(argv)
    result = evaluate(args.split, args.root)
    print_report(Console(width=200), result, show=args.show)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
