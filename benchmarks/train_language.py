"""python -m benchmarks.train_language: build responder/language_model/ngrams.npz.

Counts the words, word pairs and character 1-5-grams of every English, German, Danish and
Norwegian message of the language set's tuning split (benchmarks/data/language: dev, the
retired test split and the blind batches `EXTRA_DEV`; never the holdout), per language
(responder/language_ngrams.py). Deterministic: the same messages give the same counts.

`--cross-validate` first prints how the detector does on each tuning batch with the counts of
all the other batches (the batches were written by different helper sessions, so this is how
the model carries over to a writer it has not read), against the detector without the model.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from benchmarks.language import Message, load
from responder import language_ngrams
from responder.language import detect_language

OUT = Path(__file__).resolve().parents[1] / "responder" / "language_model" / (
    language_ngrams.MODEL_FILE)


def counted(messages: Sequence[Message]) -> tuple[np.ndarray, np.ndarray]:
    return language_ngrams.counts_of([(m.language, m.text) for m in messages
                                      if m.language in language_ngrams.LANGUAGES])


@contextmanager
def model_in_use(model: language_ngrams.NgramModel | None) -> Iterator[None]:
    """The detector reading `model` (None: no model) instead of the shipped file."""
    shipped: Callable[[], language_ngrams.NgramModel | None] = language_ngrams.shipped
    language_ngrams.shipped = lambda: model  # type: ignore[assignment]
    try:
        yield
    finally:
        language_ngrams.shipped = shipped  # type: ignore[assignment]


def batch_of(message: Message) -> str:
    return "dev+test" if message.split in ("dev", "test") else message.split


def cross_validate(messages: Sequence[Message]) -> None:
    batches = sorted({batch_of(m) for m in messages})
    totals = {"without": [0, 0, 0, 0], "with": [0, 0, 0, 0]}
    for held in batches:
        inside = [m for m in messages if batch_of(m) == held]
        index, counts = counted([m for m in messages if batch_of(m) != held])
        row = []
        for name, model in (("without", None), ("with", language_ngrams.build(index, counts))):
            with model_in_use(model):
                right = [detect_language(m.text).language == m.language for m in inside]
            nordic = [ok for ok, m in zip(right, inside, strict=True) if m.language in ("da", "nb")]
            total = totals[name]
            total[0] += sum(right)
            total[1] += len(right)
            total[2] += sum(nordic)
            total[3] += len(nordic)
            row.append(f"{name} {100 * sum(right) / len(right):5.1f} % "
                       f"(da/nb {100 * sum(nordic) / max(1, len(nordic)):5.1f} %)")
        print(f"{held:9s} {len(inside):5d}  " + "   ".join(row))
    for name, (good, seen, nordic_good, nordic_seen) in totals.items():
        print(f"all batches, {name} the model: {100 * good / seen:.2f} % "
              f"(da/nb {100 * nordic_good / nordic_seen:.2f} %)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.train_language",
                                     description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cross-validate", action="store_true",
                        help="first report each tuning batch read with the other batches' counts")
    args = parser.parse_args(argv)

    messages = load("tuning")
    if args.cross_validate:
        cross_validate(messages)
    index, counts = counted(messages)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    language_ngrams.save(str(args.out), index, counts)
    used = sum(m.language in language_ngrams.LANGUAGES for m in messages)
    print(f"counted {used} tuning messages: {len(index)} distinct n-gram buckets; "
          f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
