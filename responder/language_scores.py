"""Per-language probabilities of a text, from py3langid's model (shipped inside its wheel).

Chosen by benchmarks/language.py: on short customer messages it is as accurate as lingua
restricted to our five languages, at a third of its memory and half its time, and it ranks
all 97 languages it knows, which tells a French message from a Danish one.
"""

from __future__ import annotations

import threading
from typing import Any

# py3langid says "no" for Norwegian; we store bokmål as "nb".
ALIASES = {"no": "nb", "nn": "nb"}

_lock = threading.Lock()
_identifier: Any = None


def _loaded() -> Any:
    """The identifier, loaded once (about 0.5 s). It is only read afterwards, so scoring
    needs no lock."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier
                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def mostly_cyrillic(text: str) -> bool:
    """Whether more than half of `text`'s letters are Cyrillic (the script tells before any
    statistics do)."""
    letters = [c for c in text if c.isalpha()]
    return sum("\u0400" <= c <= "\u04ff" for c in letters) * 2 > len(letters)


def language_scores(text: str) -> dict[str, float]:
    """Every language's probability for `text` (summing to 1), Norwegian as "nb"."""
    scores: dict[str, float] = {}
    for code, probability in _loaded().rank(text):
        code = ALIASES.get(code, code)
        scores[code] = scores.get(code, 0.0) + float(probability)
    return scores
