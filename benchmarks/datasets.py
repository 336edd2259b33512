"""Load Banking77 and CLINC150 from the shared folder into one shape: intents plus splits."""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "datasets"
NAMES = ("banking77", "clinc150")
BANKING_VAL_SHARE = 0.10
BANKING_SEED = 77


@dataclass(frozen=True)
class Example:
    text: str
    intent: str | None  # None: out of scope, no article should answer it


@dataclass(frozen=True)
class Dataset:
    name: str
    category: str
    intents: list[str]
    train: list[Example]  # ingested as resolved escalations
    val: list[Example]  # threshold and calibration fitting only
    test: list[Example]  # the reported figures
    has_oos: bool

    def describe(self) -> dict[str, int]:
        def oos(examples: list[Example]) -> int:
            return sum(e.intent is None for e in examples)

        return {"intents": len(self.intents), "train": len(self.train),
                "val": len(self.val) - oos(self.val), "val_oos": oos(self.val),
                "test": len(self.test) - oos(self.test), "test_oos": oos(self.test)}


def _limit(examples: list[Example], per_intent: int | None) -> list[Example]:
    """The first `per_intent` training questions of every intent (development runs)."""
    if per_intent is None:
        return examples
    seen: dict[str | None, int] = defaultdict(int)
    kept = []
    for example in examples:
        if seen[example.intent] < per_intent:
            seen[example.intent] += 1
            kept.append(example)
    return kept


def _read_csv(path: Path) -> list[Example]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [Example(row["text"], row["category"]) for row in csv.DictReader(handle)]


def load_banking77(root: Path, limit_train: int | None = None) -> Dataset:
    """Train minus a seeded 10 % per intent, which becomes the validation split."""
    folder = root / "banking77"
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in _read_csv(folder / "train.csv"):
        by_intent[str(example.intent)].append(example)
    rng = random.Random(BANKING_SEED)
    train: list[Example] = []
    val: list[Example] = []
    for intent in sorted(by_intent):
        examples = list(by_intent[intent])
        rng.shuffle(examples)
        cut = max(1, round(len(examples) * BANKING_VAL_SHARE))
        val.extend(examples[:cut])
        train.extend(examples[cut:])
    return Dataset(
        name="banking77", category="banking", intents=sorted(by_intent),
        train=_limit(train, limit_train), val=val, test=_read_csv(folder / "test.csv"),
        has_oos=False,
    )


def load_clinc150(root: Path, limit_train: int | None = None) -> Dataset:
    """The `full` variant; oos_train is never ingested (out-of-scope has no article)."""
    data = json.loads((root / "clinc150" / "data_full.json").read_text(encoding="utf-8"))

    def split(key: str, oos: bool = False) -> list[Example]:
        return [Example(text, None if oos else intent) for text, intent in data[key]]

    train = split("train")
    return Dataset(
        name="clinc150", category="clinc150",
        intents=sorted({str(e.intent) for e in train}),
        train=_limit(train, limit_train),
        val=split("val") + split("oos_val", oos=True),
        test=split("test") + split("oos_test", oos=True),
        has_oos=True,
    )


def load(name: str, root: Path, limit_train: int | None = None) -> Dataset:
    if name == "banking77":
        return load_banking77(root, limit_train)
    if name == "clinc150":
        return load_clinc150(root, limit_train)
    raise ValueError(f"unknown dataset {name!r}; expected one of {list(NAMES)}")
