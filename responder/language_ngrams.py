"""How customer messages in each language are written, learnt from them: a naive Bayes model
over the letters and words of short messages.

py3langid and wordfreq read Wikipedia, news and subtitles. Customer messages are another
register ("bytte str", "hentekode?", "angrefrist", "dobbelt trukket på kortet"), and where the
marker words of responder.language_nordic say nothing, those general statistics told Danish
from Norwegian right only three times in four (benchmarks/language.py, tie cases of the tuning
data). This model is counted from the project's own labelled messages
(`python -m benchmarks.train_language`, never the held-out split): per language, how often
each word, word pair and character 1-5-gram of the words occurs. Read together with wordfreq's
lean it told 85 % of those ties right, each batch counted from the others.

It answers two questions: Danish or Norwegian (`nordic_lean`), and, for a message of a few
letters that no word list places, English, German or Danish/Norwegian (`family_scores`).
The file holds the counts (hashed into `N_BUCKETS`); the probabilities are worked out on load.
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO

import numpy as np

from responder.package_data import packaged_file

FORMAT = 1
N_BUCKETS = 1 << 22
CHAR_NGRAMS = (1, 5)  # inclusive, over " word word ... " (letters only, lower case)
LANGUAGES = ("en", "de", "da", "nb")  # the model's classes; Russian is told by its script
NORDIC = ("da", "nb")
ALPHA = 0.3  # additive smoothing, chosen on the tuning batches (0.3 and 1 within 0.2 points)
MODEL_FILE = "ngrams.npz"
_WORD = re.compile(r"[^\W\d_]+")


def grams(text: str) -> list[str]:
    """Every word ("w:…"), word pair ("b:… …") and character 1-5-gram of the words joined
    by single spaces, repeats included."""
    words = _WORD.findall(text.lower())
    out = [f"w:{word}" for word in words]
    out += [f"b:{first} {second}" for first, second in itertools.pairwise(words)]
    joined = f" {' '.join(words)} "
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        out += [gram for gram in (joined[i:i + n] for i in range(len(joined) - n + 1))
                if not gram.isspace()]
    return out


def buckets(text: str) -> np.ndarray:
    """`grams(text)` hashed, repeats included (int64)."""
    return np.fromiter((zlib.crc32(gram.encode()) for gram in grams(text)), np.int64) % N_BUCKETS


@dataclass(frozen=True)
class NgramModel:
    index: np.ndarray  # sorted buckets seen in training (int64)
    nordic: np.ndarray  # per bucket: log P(·|da) - log P(·|nb); 0 where neither wrote it
    families: dict[str, np.ndarray]  # "en", "de", "nordic": per bucket log P(·|family)

    def _rows(self, text: str) -> np.ndarray:
        """The rows of `text`'s n-grams that training saw, repeats included."""
        found = buckets(text)
        rows = np.searchsorted(self.index, found)
        inside = rows < len(self.index)
        rows, found = rows[inside], found[inside]
        return rows[self.index[rows] == found]

    def nordic_lean(self, text: str) -> float:
        """Above 0: written the way the Danish messages are; below 0: the Norwegian ones."""
        return float(self.nordic[self._rows(text)].sum())

    def family_scores(self, text: str) -> dict[str, float]:
        """Log-likelihood of `text`'s seen n-grams under each family."""
        rows = self._rows(text)
        return {name: float(logs[rows].sum()) for name, logs in self.families.items()}


def counts_of(messages: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(language, text) pairs counted: the sorted buckets seen and a count per bucket and
    language (columns in `LANGUAGES` order)."""
    seen: list[list[np.ndarray]] = [[np.zeros(0, np.int64)] for _ in LANGUAGES]
    for language, text in messages:
        seen[LANGUAGES.index(language)].append(buckets(text))
    per_language = [np.concatenate(arrays) for arrays in seen]
    index = np.unique(np.concatenate(per_language))
    counts = np.zeros((len(index), len(LANGUAGES)), np.uint32)
    for column, found in enumerate(per_language):
        rows, times = np.unique(np.searchsorted(index, found), return_counts=True)
        counts[rows, column] = times
    return index, counts


def build(index: np.ndarray, counts: np.ndarray, alpha: float = ALPHA) -> NgramModel:
    by_language = {language: counts[:, column].astype(np.float64)
                   for column, language in enumerate(LANGUAGES)}
    da, nb = by_language["da"], by_language["nb"]
    written = (da + nb) > 0
    size = int(written.sum())
    nordic = np.where(
        written,
        np.log((da + alpha) / (da.sum() + alpha * size))
        - np.log((nb + alpha) / (nb.sum() + alpha * size)), 0.0)
    family_counts = {"en": by_language["en"], "de": by_language["de"], "nordic": da + nb}
    families = {name: np.log((found + alpha) / (found.sum() + alpha * len(index)))
                for name, found in family_counts.items()}
    return NgramModel(index, nordic.astype(np.float32),
                      {name: logs.astype(np.float32) for name, logs in families.items()})


def save(path_or_buffer: str | BytesIO, index: np.ndarray, counts: np.ndarray) -> None:
    np.savez_compressed(path_or_buffer, format=np.int32(FORMAT), n_buckets=np.int64(N_BUCKETS),
                        char_ngrams=np.array(CHAR_NGRAMS, np.int32),
                        languages=np.array(LANGUAGES), index=index.astype(np.int32),
                        counts=counts.astype(np.uint16 if counts.max() < 1 << 16 else np.uint32))


def read(source: str | BytesIO) -> NgramModel:
    with np.load(source, allow_pickle=False) as data:
        settings = (int(data["format"]), int(data["n_buckets"]),
                    tuple(int(n) for n in data["char_ngrams"]),
                    tuple(str(code) for code in data["languages"]))
        if settings != (FORMAT, N_BUCKETS, CHAR_NGRAMS, LANGUAGES):
            raise ValueError(f"language model built with other settings: {settings}")
        return build(data["index"].astype(np.int64), data["counts"].astype(np.uint32))


@cache
def shipped() -> NgramModel | None:
    """The model in the package, loaded once; None when it was not built."""
    data = packaged_file("language_model", MODEL_FILE)
    return read(data) if data else None


def nordic_lean(text: str) -> float:
    """The shipped model's Danish (> 0) or Norwegian (< 0) lean; 0 without a model."""
    model = shipped()
    return model.nordic_lean(text) if model else 0.0


def family_scores(text: str) -> dict[str, float]:
    """The shipped model's log-likelihood per family ("en", "de", "nordic"); empty without a
    model."""
    model = shipped()
    return model.family_scores(text) if model else {}

