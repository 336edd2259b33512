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
from pathlib import Path

from benchmarks import language
from benchmarks.datasets import DEFAULT_ROOT, NAMES, load
from benchmarks.tone import Message

GROUPS = 5
SEED = 2026
SPLIT = "plain"  # the split these messages carry (not a split of the tone set)
# ids: language, "-pub" + set letter (or "-lng") + group letter + number; benchmarks.
# train_escalation reads the batch (the letters) off the id as it does for the tone set's ids.
_SET_LETTER = {"banking77": "b", "clinc150": "c"}


def calm_questions(per_set: int, root: Path = DEFAULT_ROOT) -> list[Message]:
    """Up to `per_set` distinct training questions of each public set that the lexicons call
    calm, as calm English tone messages; the same ones on every run."""
    from responder.tone import detect_tone

    messages: list[Message] = []
    if per_set <= 0:  # none asked: the public sets need not be there
        return messages
    for name in NAMES:
        examples = [e for e in load(name, root).train if e.intent is not None]
        by_text = {e.text: e.intent for e in examples}
        texts = sorted(by_text)
        random.Random(SEED).shuffle(texts)
        kept = [text for text in texts if not detect_tone(text, "en").cues][:per_set]
        for number, text in enumerate(kept, 1):
            group = _group(str(by_text[text]))
            messages.append(Message(id=f"en-pub{_SET_LETTER[name]}{group}{number:05d}",
                                    language="en", split=SPLIT, text=text, escalated=False,
                                    cues=frozenset()))
    return messages


def _group(key: str) -> str:
    return "abcdefghij"[zlib.crc32(key.encode()) % GROUPS]


def short_messages(per_language: int) -> list[Message]:
    """Up to `per_language` messages of the language set's tuning split per language that the
    lexicons call calm, as calm tone messages; the same ones on every run."""
    from responder.tone import detect_tone

    messages = []
    tuning = language.load("tuning")
    for code in language.LANGUAGES:
        rows = [m for m in tuning if m.language == code]
        random.Random(SEED).shuffle(rows)
        kept = [m for m in rows if not detect_tone(m.text, code).cues][:per_language]
        messages += [Message(id=f"{code}-lng{_group(m.id)}{number:05d}", language=code,
                             split=SPLIT, text=m.text, escalated=False, cues=frozenset())
                     for number, m in enumerate(kept, 1)]
    return messages
