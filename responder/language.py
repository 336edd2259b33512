"""Which language to answer a customer in.

The detector scores the message among the supported languages first (responder.language_scores),
so a Russian message is not lost to Bulgarian or a Danish one to Swedish. Cyrillic text is
Russian when Russian is supported; Danish and Norwegian are told apart by the words only one
of them spells that way (responder.language_nordic), else by how each writes its words
(responder.language_frequencies, responder.language_ngrams). Where the text does not decide (a short
message, or Danish/Norwegian with nothing telling them apart), the caller's hint, the
customer's earlier messages and the language of the best-matching knowledge-base text decide,
in that order (`Detection.source` says which), before the configured default.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import chain

from responder import language_ngrams
from responder.config import SUPPORTED_LANGUAGES
from responder.language_frequencies import (
    family_lean,
    nordic_lean,
    norwegian_a_forms,
    unlisted_words,
)
from responder.language_nordic import markers
from responder.language_scores import ALIASES, language_scores, mostly_cyrillic
from responder.language_words import nordic_words, word_language

MIN_CONFIDENCE = 0.80
MIN_LETTERS = 12
# Danish and Norwegian told apart by statistics alone are a guess below this many words.
NORDIC_SURE_WORDS = 6
# ... or when their words' frequencies lean this far one way (responder.language_frequencies);
# the same margin places a short message without telling words among English, German and
# Scandinavian.
NORDIC_SURE_LEAN = 2.0
# A short message no word list places goes to the family whose customer messages write its
# letters this much more likely (log-likelihood, responder.language_ngrams). 2, 4 and 6 give
# the same results on the tuning batches, each read with the others' counts; 4 is the middle.
FAMILY_SURE_LIKELIHOOD = 4.0
# The learnt Danish/Norwegian lean counts a word some fifteen times (the word, its pairs, its
# character n-grams), so it is scaled to about once a word before it is added to wordfreq's.
# On the tuning batches, each read with the others' counts: 0.05-0.2 within 0.1 points of
# each other, 1 (the plain sum) 0.3 points worse on Danish/Norwegian.
NGRAM_WEIGHT = 0.1
NORDIC = ("da", "nb")
# Letters Russian does not write: Ukrainian, Belarusian, Serbian, Macedonian.
_NOT_RUSSIAN = frozenset("іїєґўјљњџђћѓќѕ")
EARLIER_MESSAGES = 5  # how far back in a conversation to look

SOURCES = ("detected", "hint", "conversation", "knowledge_base", "default")


@dataclass(frozen=True)
class Detection:
    language: str  # always a supported language
    detected: str | None  # what the detector said, before falling back
    confidence: float
    source: str  # one of SOURCES: what decided `language`
    # the supported languages the text left open, best first; empty when the text decided
    candidates: tuple[str, ...] = ()

    @property
    def unsupported(self) -> str | None:
        """The customer's language when we are sure of it and do not support it."""
        if self.source == "default" and self.detected and self.confidence >= MIN_CONFIDENCE:
            return self.detected if self.detected not in SUPPORTED_LANGUAGES else None
        return None

    @property
    def open(self) -> bool:
        """Whether the text left the language open and nothing but the fallback chose it:
        what the knowledge base may still settle."""
        return bool(self.candidates) and self.source in ("detected", "default")


@dataclass(frozen=True)
class _Guess:
    best: str | None  # the most likely supported language (None: no letters at all)
    detected: str | None  # the detector's top language among all it knows
    confidence: float  # of `detected` when it is unsupported, else of `best`
    candidates: tuple[str, ...]  # what the text leaves open, best first
    unsupported: bool  # plainly a language we do not support


def detect_language(
    text: str, *, hint: str | None = None, default: str = "en",
    earlier: Sequence[str] = (),
) -> Detection:
    """The language to answer `text` in.

    `hint` is the caller's idea (the page's or the mailbox's language); `earlier` holds the
    customer's earlier messages in the same conversation, oldest first. Both decide only when
    the text itself does not. Thread-safe.
    """
    guess = _guess(text)
    if guess.unsupported:
        return Detection(default, guess.detected, guess.confidence, "default")
    if guess.best is not None and not guess.candidates:
        return Detection(guess.best, guess.best, guess.confidence, "detected")
    candidates = guess.candidates or tuple(SUPPORTED_LANGUAGES)
    if hint in candidates:
        return Detection(hint, guess.best, guess.confidence, "hint", candidates)
    said_before = _conversation_language(earlier, candidates)
    if said_before:
        return Detection(said_before, guess.best, guess.confidence, "conversation", candidates)
    return _fallback(guess, candidates, default)


def with_knowledge(detection: Detection, matched_texts: Iterable[str]) -> Detection:
    """`detection` settled by the knowledge base: the language of the first matched KB text
    that is plainly one of the languages the message left open."""
    if not detection.open:
        return detection
    for matched in matched_texts:
        guess = _guess(matched)
        if guess.best in detection.candidates and not guess.candidates:
            return replace(detection, language=guess.best, source="knowledge_base")
    return detection


def _fallback(guess: _Guess, candidates: tuple[str, ...], default: str) -> Detection:
    if set(candidates) == set(NORDIC):
        # A coin flip between the two: the shop's own language wins it when it is one of them.
        chosen = default if default in candidates else candidates[0]
        source = "default" if default in candidates else "detected"
        return Detection(chosen, guess.best, guess.confidence, source, candidates)
    if guess.best is not None and guess.confidence >= MIN_CONFIDENCE:
        return Detection(guess.best, guess.best, guess.confidence, "detected", candidates)
    return Detection(default, guess.best, guess.confidence, "default", candidates)


def _conversation_language(earlier: Sequence[str], candidates: tuple[str, ...]) -> str | None:
    """The language the customer's recent messages, read together, plainly are in."""
    recent = [m for m in earlier[-EARLIER_MESSAGES:] if m and m.strip()]
    if not recent:
        return None
    guess = _guess("\n".join(recent))
    if guess.best in candidates and not guess.candidates and not guess.unsupported:
        return guess.best
    return None


def _guess(text: str) -> _Guess:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return _Guess(None, None, 0.0, (), False)
    scores = language_scores(text)
    top = max(scores, key=scores.__getitem__)
    if mostly_cyrillic(text) and "ru" in SUPPORTED_LANGUAGES:
        foreign = top != "ru" and any(c.lower() in _NOT_RUSSIAN for c in letters)
        if foreign and scores[top] >= MIN_CONFIDENCE and len(letters) >= MIN_LETTERS:
            return _Guess("ru", top, scores[top], (), True)
        return _Guess("ru", "ru", 1.0, (), False)
    supported = {lang: scores.get(lang, 0.0) for lang in SUPPORTED_LANGUAGES}
    total = sum(supported.values())
    if top not in supported and _plainly_other(top, scores[top], len(letters), supported):
        return _Guess(None, top, scores[top], (), True)
    ranked = sorted(supported, key=supported.__getitem__, reverse=True)
    if ranked[0] not in NORDIC and nordic_words(text):
        ranked = sorted(NORDIC, key=supported.__getitem__, reverse=True) + [
            lang for lang in ranked if lang not in NORDIC]
    best = ranked[0]
    confidence = supported[best] / total if total else 0.0
    if best in NORDIC and all(lang in SUPPORTED_LANGUAGES for lang in NORDIC):
        nordic = _nordic(text, supported)
        if len(letters) >= MIN_LETTERS or not nordic.candidates:
            return nordic
    if len(letters) < MIN_LETTERS:
        return _short(text, letters, best, ranked, supported, confidence)
    return _Guess(best, best, confidence, (), False)


def _short(text: str, letters: list[str], best: str, ranked: list[str],
           supported: dict[str, float], confidence: float) -> _Guess:
    """A few letters: the alphabet may still tell (ä, ü and ß are German among ours; æ, ø
    and å Danish or Norwegian), or an everyday word only one language writes, or one only
    Danish and Norwegian write; else every supported language stays open."""
    written = {c.lower() for c in letters}
    if "de" in supported and written & set("äüß"):
        return _Guess("de", "de", max(confidence, 0.9), (), False)
    by_words = word_language(text)
    if by_words in supported:
        return _Guess(by_words, by_words, max(confidence, 0.9), (), False)
    nordic = all(lang in supported for lang in NORDIC)
    if nordic and (written & set("æøå") or nordic_words(text)):
        return _nordic(text, supported)
    by_frequency = _family_by_frequency(text, supported)
    if by_frequency == "nordic" and nordic:
        return _nordic(text, supported)
    if by_frequency in supported:
        return _Guess(by_frequency, by_frequency, max(confidence, 0.9), (), False)
    return _Guess(best, best, confidence, tuple(ranked), False)


def _family_by_frequency(text: str, supported: dict[str, float]) -> str | None:
    """The Latin-script language (or "nordic", Danish and Norwegian together) that writes the
    text's words far more often than any other of ours (wordfreq's lists), or failing that
    whose customer messages far more likely hold the words those lists do not ("angrefrist",
    "hentekode"); None when none does. Words every list holds ("okay super") stay open: the
    learnt counts would only echo which writers happened to use them."""
    families: dict[str, tuple[str, ...]] = {
        lang: (lang,) for lang in supported if lang not in NORDIC and lang != "ru"}
    if any(lang in supported for lang in NORDIC):
        families["nordic"] = tuple(lang for lang in NORDIC if lang in supported)
    if len(families) < 2:
        return None
    lean = family_lean(text, families)
    first, second = sorted(lean, key=lean.__getitem__, reverse=True)[:2]
    if lean[first] - lean[second] >= NORDIC_SURE_LEAN:
        return first
    unlisted = unlisted_words(text, tuple(chain.from_iterable(families.values())))
    if not unlisted:
        return None
    likely = {name: score for name, score in language_ngrams.family_scores(" ".join(unlisted))
              .items() if name in families}
    if len(likely) < 2:
        return None
    first, second = sorted(likely, key=likely.__getitem__, reverse=True)[:2]
    return first if likely[first] - likely[second] >= FAMILY_SURE_LIKELIHOOD else None


def _nordic(text: str, supported: dict[str, float]) -> _Guess:
    """Danish or Norwegian: the words only one of them writes decide; else how often each
    writes the words (wordfreq) together with how the project's Danish and Norwegian customer
    messages are written (responder.language_ngrams), both log ratios, so they add up; else
    the statistics order the two. A short message stays open unless wordfreq leans far enough
    the same way: the learnt counts alone are too sure of a few letters to close it."""
    danish, norwegian = markers(text)
    norwegian += norwegian_a_forms(text)
    if danish != norwegian:
        chosen = "da" if danish > norwegian else "nb"
        return _Guess(chosen, chosen, 0.9, (), False)
    general = nordic_lean(text)
    lean = general + NGRAM_WEIGHT * language_ngrams.nordic_lean(text)
    if lean:
        best = "da" if lean > 0 else "nb"
        confidence = 1.0 / (1.0 + math.exp(-min(abs(lean), 50.0)))
    else:
        best = max(NORDIC, key=supported.__getitem__)
        pair = supported["da"] + supported["nb"]
        confidence = supported[best] / pair if pair else 0.5
    sure = abs(general) >= NORDIC_SURE_LEAN and (general > 0) == (best == "da")
    if sure or len(text.split()) >= NORDIC_SURE_WORDS:
        return _Guess(best, best, confidence, (), False)
    other = "nb" if best == "da" else "da"
    return _Guess(best, best, confidence, (best, other), False)


def _plainly_other(top: str, probability: float, letters: int,
                   supported: dict[str, float]) -> bool:
    """A long enough message the detector is sure is in a language we do not support, and
    not a close relative of one we do (Swedish text is more likely Danish or Norwegian)."""
    if probability < MIN_CONFIDENCE or letters < MIN_LETTERS:
        return False
    return top not in _RELATIVES or not any(lang in supported for lang in _RELATIVES[top])


_RELATIVES = {"sv": ("da", "nb"), "nn": ("nb",), "lb": ("de",)}


def preferred_language(accept_language: str | None) -> str | None:
    """The first supported language of an HTTP Accept-Language header, by quality."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        code, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        base = code.strip().lower().replace("_", "-").split("-")[0]
        base = ALIASES.get(base, base)
        if base in SUPPORTED_LANGUAGES and quality > 0:
            ranked.append((-quality, position, base))
    return min(ranked)[2] if ranked else None
