"""Danish or Norwegian by how often each language writes a text's words (wordfreq's lists).

The marker words of responder.language_nordic decide when they disagree; many short messages
carry none ("faktura mangler", "appen lukker ned", "bytte til større størrelse"). Their words
are still written at different rates in the two languages ("lukker", "skift", "bytte", "kassen"),
which wordfreq's frequency lists (Wikipedia, subtitles, news, web text; shipped inside its
wheel, read offline) record for both. The lean is the sum over the words of the log ratio of
the two frequencies, each word's part capped so one rare word does not outweigh the rest.
"""

from __future__ import annotations

import math
import re

# wordfreq's small lists stop at about one in a million words: a word missing from one list
# is taken to be that rare there.
FLOOR = 1e-6
# One word moves the lean by at most this much (about 20 times more frequent).
CAP = 3.0
_WORD = re.compile(r"[^\W\d_]+")


def _frequency(word: str, language: str) -> float:
    from wordfreq import word_frequency  # loads its lists on first use, ~0.1 s
    return float(word_frequency(word, language, wordlist="small"))


def nordic_lean(text: str) -> float:
    """Above 0: the words are more Danish; below 0: more Norwegian; 0: nothing tells."""
    lean = 0.0
    for word in _WORD.findall(text.lower()):
        danish, norwegian = _frequency(word, "da"), _frequency(word, "nb")
        if danish == norwegian:
            continue
        ratio = math.log(max(danish, FLOOR)) - math.log(max(norwegian, FLOOR))
        lean += max(-CAP, min(CAP, ratio))
    return lean
