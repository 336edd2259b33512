"""Plain customer questions the tone set lacks, for the learnt escalation models to learn as calm.

Every message of the tone set was written for this project by a few AI writers, whose calm
messages are mostly long, polite "hard negatives" and whose escalated ones are often short
and blunt. Scores trained on them alone learnt that style: the answer path called 22 % of
Banking77's and 30 % of CLINC150's plain validation questions upset ("The refund on my account
hasn't shown up") and 27 % of the language set's short messages ("Hvor er min pakke?"), where
the lexicons flag 1-5 % (`python -m benchmarks.plain_questions --split val`, 2026-12-06).

So the training also reads, as calm:
- a sample of Banking77's and CLINC150's *training* questions (English, written by other people;
  their validation and test questions stay out, for benchmarks.plain_questions);
- the language set's tuning messages (1-15 words in five languages, benchmarks/data/language;
  its holdout stays out), which carry the plain style into every language the product reads.

A message the lexicons flag (an "asap", "I am very disappointed") is left out rather than
called calm: it may well be escalated by the project's guideline, and the learnt score only
acts on messages the lexicons call calm anyway. Each source is dealt into `GROUPS`
pseudo-batches (Banking77 and CLINC150 by intent, the language set by message), so that out of
fold a message is scored by a model that never read its group.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import TypeVar

from benchmarks import language
from benchmarks.datasets import DEFAULT_ROOT, NAMES, load
from benchmarks.tone import Message

T = TypeVar("T")
GROUPS = 5
SEED = 2026
SPLIT = "plain"  # the split these messages carry (not a split of the tone set)
# ids: language, "-pub" + set letter (or "-lng") + group letter + number; benchmarks.
# train_escalation reads the batch (the letters) off the id as it does for the tone set's ids.
_SET_LETTER = {"banking77": "b", "clinc150": "c"}


def calm_questions(per_set: int, root: Path = DEFAULT_ROOT) -> list[Message]:
    """Up to `per_set` distinct training questions of each public set that the lexicons call
    calm, as calm English tone messages; the same ones on every run."""
    messages: list[Message] = []
    if per_set <= 0:  # none asked: the public sets need not be there
        return messages
    for name in NAMES:
        intents = {e.text: str(e.intent) for e in load(name, root).train if e.intent is not None}
        kept = _lexicon_calm(sorted(intents), "en", per_set, str)
        messages += [_calm(f"en-pub{_SET_LETTER[name]}{_group(intents[text])}{number:05d}",
                           "en", text) for number, text in enumerate(kept, 1)]
    return messages


def short_messages(per_language: int) -> list[Message]:
    """Up to `per_language` messages of the language set's tuning split per language that the
    lexicons call calm, as calm tone messages; the same ones on every run."""
    tuning = language.load("tuning")
    messages: list[Message] = []
    for code in language.LANGUAGES:
        rows = [m for m in tuning if m.language == code]
        kept = _lexicon_calm(rows, code, per_language, lambda row: row.text)
        messages += [_calm(f"{code}-lng{_group(row.id)}{number:05d}", code, row.text)
                     for number, row in enumerate(kept, 1)]
    return messages


def _lexicon_calm(items: list[T], language_code: str, limit: int,
                  text_of: Callable[[T], str]) -> list[T]:
    """The first `limit` of `items`, in a seeded shuffle, in whose text the lexicons find no
    cue."""
    from responder.tone import detect_tone

    shuffled = list(items)
    random.Random(SEED).shuffle(shuffled)
    calm = (item for item in shuffled if not detect_tone(text_of(item), language_code).cues)
    return list(islice(calm, max(limit, 0)))  # read no further than needed


def _calm(message_id: str, language_code: str, text: str) -> Message:
    return Message(id=message_id, language=language_code, split=SPLIT, text=text,
                   escalated=False, cues=frozenset())


def _group(key: str) -> str:
    return "abcdefghij"[zlib.crc32(key.encode()) % GROUPS]
