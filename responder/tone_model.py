"""The learnt insult score: a logistic regression on hashed word and character n-grams.

Trained by `python -m benchmarks.train_insult` on the training part of public offensive-language
data (GermEval 2018, DKHate, OLID; see the README) and shipped as responder/tone_model/insult.npz:
the largest weights by feature bucket, the bias, per training language the thresholds chosen on
the training data by cross-validation, and the feature settings, so that a file built with other
settings is refused rather than read wrongly. It reads raw text (no embedding), so it runs before
the query is embedded, in about a tenth of a millisecond; character n-grams carry across related
languages (Norwegian borrows the Danish bars; Russian, with no training data, the strictest).
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import BytesIO

import numpy as np

from responder.models import CueKind, LearntScore

FORMAT = 1
N_FEATURES = 1 << 18
CHAR_NGRAMS = (3, 5)  # inclusive, inside " word " padding
WORD_NGRAMS = (1, 2)
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
        return LearntScore(CueKind.INSULT, self.score(text), self.threshold(language),
                           self.support(language))

    def score(self, text: str) -> float:
        buckets = features(text)
        if not buckets:
            return 1.0 / (1.0 + math.exp(-self.bias))
        margin = float(self.weights[buckets].sum()) / math.sqrt(len(buckets)) + self.bias
        return 1.0 / (1.0 + math.exp(-margin))


def _per_language(values: dict[str, float], language: str) -> float:
    language = BORROWED.get(language, language)
    return values.get(language, max(values.values()))


def features(text: str) -> list[int]:
    """The distinct hashed feature buckets of `text` (each counts once, weight 1/sqrt(n))."""
    words = _WORD.findall(_DIGITS.sub("0", _MENTION.sub(" ", text)).lower().replace("#", " "))
    grams = {f"w:{' '.join(words[i:i + n])}"
             for n in range(WORD_NGRAMS[0], WORD_NGRAMS[1] + 1)
             for i in range(len(words) - n + 1)}
    for word in words:
        padded = f" {word} "
        for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
            grams.update(padded[i:i + n] for i in range(len(padded) - n + 1))
    return sorted({zlib.crc32(gram.encode("utf-8")) % N_FEATURES for gram in grams})


def save(path_or_buffer: str | BytesIO, weights: np.ndarray, bias: float,
         thresholds: dict[str, float], supports: dict[str, float], *, keep: int) -> None:
    """Write the `keep` largest weights (by size) in the shipped format."""
    order = np.argsort(-np.abs(weights))[:keep]
    order = np.sort(order[weights[order] != 0])
    np.savez_compressed(
        path_or_buffer, format=np.int32(FORMAT), n_features=np.int32(N_FEATURES),
        char_ngrams=np.array(CHAR_NGRAMS, np.int32), word_ngrams=np.array(WORD_NGRAMS, np.int32),
        index=order.astype(np.int32), weight=weights[order].astype(np.float16),
        bias=np.float32(bias), languages=np.array(sorted(thresholds)),
        thresholds=np.array([thresholds[code] for code in sorted(thresholds)], np.float32),
        supports=np.array([supports[code] for code in sorted(thresholds)], np.float32))


def read(source: str | BytesIO) -> InsultModel:
    with np.load(source) as data:
        settings = (int(data["format"]), int(data["n_features"]),
                    tuple(int(n) for n in data["char_ngrams"]),
                    tuple(int(n) for n in data["word_ngrams"]))
        if settings != (FORMAT, N_FEATURES, CHAR_NGRAMS, WORD_NGRAMS):
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
    path = resources.files("responder").joinpath("tone_model", MODEL_FILE)
    if not path.is_file():
        return None
    return read(BytesIO(path.read_bytes()))
