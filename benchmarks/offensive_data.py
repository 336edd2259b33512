"""The public offensive-language sets and the project's calm messages, for the insult score.

The public sets (GermEval 2018 `de`, DKHate `da`, OLID `en`; see ../shared/datasets/README.md)
are read from the shared folder, never copied into the project. Each message goes to the
training part or to the held-out part by its id alone: sha256(id) modulo 100 below
`HELD_OUT_PERCENT` is held out. So the split is the same on every machine and for every run, and
the held-out part is used only for the figures `python -m benchmarks.offensive` reports.

Calm project messages are what a customer writes when nothing is wrong with the tone: the tone
set's dev messages labelled with no cue, and the example questions of the demo knowledge base.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "offensive"
FILES = {"de": "germeval2018_train.jsonl", "da": "dkhate_train.jsonl", "en": "olid_train.jsonl"}
HELD_OUT_PERCENT = 25
KB = Path(__file__).resolve().parents[1] / "kb" / "demo"
TONE = Path(__file__).resolve().parent / "data" / "tone"


@dataclass(frozen=True)
class Post:
    id: str
    language: str
    text: str
    offensive: bool
    fine_label: str  # GermEval's INSULT / PROFANITY / ABUSE / OTHER; "" elsewhere


def held_out(post_id: str) -> bool:
    digest = hashlib.sha256(post_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < HELD_OUT_PERCENT


def load(part: str, root: Path = ROOT, languages: tuple[str, ...] = tuple(FILES)) -> list[Post]:
    """`part` is "train" (for fitting and choosing the threshold) or "held_out" (figures only)."""
    if part not in ("train", "held_out"):
        raise ValueError(f"part must be 'train' or 'held_out', not {part!r}")
    posts = []
    for language in languages:
        with (root / FILES[language]).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if held_out(record["id"]) != (part == "held_out"):
                    continue
                posts.append(Post(record["id"], language, record["text"],
                                  record["label"] == "OFF", record.get("fine_label", "")))
    return posts


def calm_messages() -> list[tuple[str, str]]:
    """(language, text) of the project's calm customer messages (see the module doc)."""
    messages = []
    for path in sorted(TONE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["split"] == "dev" and not record["cues"]:
                messages.append((path.stem, record["text"]))
    for path in sorted(KB.glob("*/*.md")):
        front = path.read_text(encoding="utf-8").split("---", 2)[1]
        meta = yaml.safe_load(front) or {}
        messages += [(str(meta.get("language", path.stem)), str(example))
                     for example in meta.get("examples") or []]
    return messages
