"""The learnt insult score: a logistic regression on hashed word and character n-grams.

Trained by `python -m benchmarks.train_insult` on the training part of public offensive-language
data (GermEval 2018, DKHate, OLID; see the README) and shipped as responder/tone_model/insult.npz:
the largest weights by feature bucket, the bias, per training language the thresholds chosen on
the training data by cross-validation, and the feature settings, so that a file built with other
settings is refused rather than read wrongly. It reads raw text (no embedding), so it runs before
the query is embedded, in a few tenths of a millisecond.

Features are word 1-2-grams and character 2-5-grams inside each word, each counted once. For a
message in a training language every feature is counted twice, once shared by all languages and
once for that language alone ("de|w:pack"), so one model learns what is offensive everywhere
("idiot", "fuck") and what only one language means by a word (German "Pack" is a rabble, Danish
"pak" a parcel). Norwegian borrows the Danish language-specific weights and bars; Russian, with
no training data, gets the shared weights only and the strictest bars.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from itertools import chain, repeat

import numpy as np

from responder import tone_rules
from responder.models import CueKind, LearntScore
from responder.package_data import packaged_file

FORMAT = 2
N_FEATURES = 1 << 19
CHAR_NGRAMS = (2, 5)  # inclusive, inside " word " padding
WORD_NGRAMS = (1, 2)
LANGUAGE_COPIES = True  # each feature also once more, prefixed by the training language
MODEL_FILE = "insult.npz"

# Social-media noise of the training data that customer messages do not have.
_MENTION = re.compile(r"@\w+|\bURL\b|https?://\S+|\|LBR\|")
_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


# Languages with no training data borrow a close one's threshold; others take the strictest.
BORROWED = {"nb": "da"}


@dataclass(frozen=True)
class InsultModel:
    weights: np.ndarray  # float32, one weight per feature bucket
    bias: float
    thresholds: dict[str, float]  # per training language; a score at or above it is an insult

    supports: dict[str, float]  # per training language; a lower bar that confirms a mild word

    def threshold(self, language: str) -> float:
        return _per_language(self.thresholds, language)

    def support(self, language: str) -> float:
        return _per_language(self.supports, language)

    def learnt(self, text: str, language: str) -> LearntScore:
        return LearntScore(CueKind.INSULT, self.score(text, language), self.threshold(language),
                           self.support(language))

    def score(self, text: str, language: str = "") -> float:
        """The probability that `text` is offensive; `language` picks the language-specific
        weights (none for a language without training data)."""
        trained = BORROWED.get(language, language)
        buckets = feature_array(text, trained if trained in self.thresholds else "")
        if not buckets.size:
            return 1.0 / (1.0 + math.exp(-self.bias))
        margin = float(self.weights[buckets].sum()) / math.sqrt(buckets.size) + self.bias
        return 1.0 / (1.0 + math.exp(-margin))


def _per_language(values: dict[str, float], language: str) -> float:
    language = BORROWED.get(language, language)
    return values.get(language, max(values.values()))


def features(text: str, language: str = "") -> list[int]:
    """The distinct hashed feature buckets of `text` (each counts once, weight 1/sqrt(n)); with a
    training `language`, each feature also once as that language's own. Phrases the lexicons
    call harmless ("a stupid question", "Schwein gehabt") are left out, so the score reads
    "stupid" in "this stupid question" as the lexicon does."""
    return feature_array(text, language).tolist()


def feature_array(text: str, language: str = "") -> np.ndarray:
    """`features` as a sorted int64 array."""
    text = without_harmless(text)
    words = _WORD.findall(_DIGITS.sub("0", _MENTION.sub(" ", text)).lower().replace("#", " "))
    # Every gram's crc32, repeats and all: deduplicating the numbers once at the end is cheaper
    # than deduplicating the strings.
    grams = [*_word_grams(words), *chain.from_iterable(map(_char_grams, set(words)))]
    hashes = [map(zlib.crc32, grams)]
    if language and LANGUAGE_COPIES:
        # the crc32 of f"{language}|{gram}", continued from the prefix's (no new strings)
        hashes.append(map(zlib.crc32, grams, repeat(zlib.crc32(f"{language}|".encode()))))
    return _distinct(np.fromiter(chain.from_iterable(hashes), np.int64) % N_FEATURES)


def _word_grams(words: list[str]) -> list[bytes]:
    return [f"w:{' '.join(words[i:i + n])}".encode()
            for n in range(WORD_NGRAMS[0], WORD_NGRAMS[1] + 1) for i in range(len(words) - n + 1)]


def _char_grams(word: str) -> Iterator[bytes]:
    """The character n-grams of " word ", UTF-8 encoded."""
    padded = f" {word} "
    if padded.isascii():  # one byte a character: slice the bytes, encode once
        return map(padded.encode().__getitem__, _gram_slices(len(padded)))
    return map(str.encode, map(padded.__getitem__, _gram_slices(len(padded))))


@cache
def _gram_slices(length: int) -> tuple[slice, ...]:
    return tuple(slice(i, i + n) for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1)
                 for i in range(length - n + 1))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (np.unique takes five times as long on a few hundred)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if values.size else values


def without_harmless(text: str) -> str:
    """`text` with the lexicons' harmless phrases blanked out."""
    for start, end in reversed(tone_rules.harmless_spans(text)):
        text = f"{text[:start]} {text[end:]}"
    return text


def save(path_or_buffer: str | BytesIO, weights: np.ndarray, bias: float,
         thresholds: dict[str, float], supports: dict[str, float], *, keep: int) -> None:
    """Write the `keep` largest weights (by size) in the shipped format."""
    order = np.argsort(-np.abs(weights))[:keep]
    order = np.sort(order[weights[order] != 0])
    np.savez_compressed(
        path_or_buffer, format=np.int32(FORMAT), n_features=np.int32(N_FEATURES),
        char_ngrams=np.array(CHAR_NGRAMS, np.int32), word_ngrams=np.array(WORD_NGRAMS, np.int32),
        language_copies=np.int32(LANGUAGE_COPIES), index=order.astype(np.int32),
        weight=weights[order].astype(np.float16),
        bias=np.float32(bias), languages=np.array(sorted(thresholds)),
        thresholds=np.array([thresholds[code] for code in sorted(thresholds)], np.float32),
        supports=np.array([supports[code] for code in sorted(thresholds)], np.float32))


def read(source: str | BytesIO) -> InsultModel:
    with np.load(source) as data:
        settings = (int(data["format"]), int(data["n_features"]),
                    tuple(int(n) for n in data["char_ngrams"]),
                    tuple(int(n) for n in data["word_ngrams"]),
                    bool(data["language_copies"]) if "language_copies" in data else False)
        if settings != (FORMAT, N_FEATURES, CHAR_NGRAMS, WORD_NGRAMS, LANGUAGE_COPIES):
            raise ValueError(f"insult model built with other feature settings: {settings}")
        weights = np.zeros(N_FEATURES, np.float32)
        weights[data["index"]] = data["weight"].astype(np.float32)
        languages = [str(code) for code in data["languages"]]
        thresholds = dict(zip(languages, map(float, data["thresholds"]), strict=True))
        supports = dict(zip(languages, map(float, data["supports"]), strict=True))
        return InsultModel(weights, float(data["bias"]), thresholds, supports)


@cache
def shipped() -> InsultModel | None:
    """The model shipped with the package, or None when the file is missing."""
    data = packaged_file("tone_model", MODEL_FILE)
    return read(data) if data else None
