"""How often each language writes a text's words (wordfreq's lists): Danish or Norwegian,
and which family a short message without telling words belongs to.

The marker words of responder.language_nordic decide when they disagree; many short messages
carry none ("faktura mangler", "appen lukker ned", "bytte til større størrelse"). Their words
are still written at different rates in the two languages ("lukker", "skift", "bytte", "kassen"),
which wordfreq's frequency lists (Wikipedia, subtitles, news, web text; shipped inside its
wheel, read offline) record for both. The lean is the sum over the words of the log ratio of
the two frequencies, each word's part capped so one rare word does not outweigh the rest.

A message of a word or two without any everyday word of our lists ("kvittering", "fint nok",
"refund status?") is placed the same way among English, German and Scandinavian: the
language that writes its words far more often than the others do.
"""

from __future__ import annotations

import math
import re

# wordfreq's small lists stop at about one in a million words: a word missing from one list
# is taken to be that rare there.
FLOOR = 1e-6
# Between unrelated languages a word missing from one list is far rarer there (wordfreq's
# large lists stop at one in a hundred million); Danish and Norwegian lists share many words
# through each other's text, so their lean keeps the small lists' own limit.
ABSENT = 1e-8
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


def family_lean(text: str, families: dict[str, tuple[str, ...]]) -> dict[str, float]:
    """Per family (a name for one or more languages that count as one, such as Danish and
    Norwegian): the sum over the text's words of how far below the family that writes the word
    most often this family writes it (log ratio, capped); 0 for the best family of every word.
    Words no language of ours writes are skipped."""
    lean = dict.fromkeys(families, 0.0)
    for word in _WORD.findall(text.lower()):
        written = {name: max(_frequency(word, language) for language in languages)
                   for name, languages in families.items()}
        best = max(written.values())
        if best == 0.0:
            continue
        for name, frequency in written.items():
            lean[name] -= min(CAP, math.log(best) - math.log(max(frequency, ABSENT)))
    return lean


def unlisted_words(text: str, languages: tuple[str, ...]) -> list[str]:
    """The text's words that none of `languages` writes, by wordfreq's lists: shop words and
    compounds ("angrefrist", "hentekode") the general lists do not hold."""
    return [word for word in _WORD.findall(text.lower())
            if not any(_frequency(word, language) for language in languages)]


def norwegian_a_forms(text: str) -> int:
    """Words in the Norwegian feminine definite -a ("barnevogna", "pakka") or the -a past
    tense and participle ("forsinka", "flytta") that Danish does not write but whose -en or
    -et form (of the word or of its last part: "vognen", "forsinket") one of the two languages
    does: Danish has no such endings, and words like "pizza" or "sofa" are in its list."""
    return sum(1 for word in _WORD.findall(text.lower())
               if len(word) >= 5 and word.endswith("a") and _frequency(word, "da") == 0.0
               and any(_a_form(word[start:]) for start in range(len(word) - 4)))


def _a_form(tail: str) -> bool:
    """`tail` (a word or a compound's last part, "vogna") is an -a form Danish does not write
    of a noun whose -en form, or a verb whose -et form, is written."""
    return _frequency(tail, "da") == 0.0 and any(
        _frequency(tail[:-1] + ending, language)
        for ending in ("en", "et") for language in ("da", "nb"))
