"""The learnt wording score: how likely a message is escalated, read off its words and letters.

The lexicons list phrases a person chose; each round of them fixed the batch it was taught on
and moved the next writer by about a point. A logistic regression on the message's hashed word
1-2-grams and character 2-5-grams (inside each word, capitals and punctuation kept, so "NOW!!"
and "now" differ), weighed by tf-idf, learns the same kind of evidence from every labelled
message at once. Out of fold by whole batches (each batch one writer it has not read) it
ranks the tone set's escalated messages over its calm ones far better than the query vector
does (area under the curve 0.99 against 0.96; benchmarks/train_escalation.py).

It decides nothing alone: its score is one more feature of the two learnt models that read the
query vector (responder.escalation_model and responder.context_check), appended to the vector
they read, so they learn how far to trust it next to the vector and the lexicon's cues. Trained
by `python -m benchmarks.train_escalation` on the tone set's tuning split and shipped as
responder/tone_model/wording.npz: the hashed columns seen in at least two training messages,
their idf and weights, and the feature settings, so that a file built with other settings is
refused rather than read wrongly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

import numpy as np

from responder.package_data import packaged_file

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

FORMAT = 1
N_FEATURES = 1 << 20  # per analyzer; the character columns follow the word columns
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
MODEL_FILE = "wording.npz"


@cache
def _vectorizers() -> tuple[Any, Any]:
    """scikit-learn's hashing vectorizers, imported on first use: the import costs about 0.6 s,
    which every CLI command and server process would otherwise pay at start."""
    from sklearn.feature_extraction.text import HashingVectorizer

    words = HashingVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, lowercase=True,
                              n_features=N_FEATURES, alternate_sign=False, norm=None)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, lowercase=False,
                              n_features=N_FEATURES, alternate_sign=False, norm=None)
    return words, chars


def counts(texts: list[str]) -> csr_matrix:
    """Raw n-gram counts, one row per text: the word columns, then the character columns."""
    from scipy.sparse import hstack

    words, chars = _vectorizers()
    return hstack([words.transform(texts), chars.transform(texts)], format="csr")


def tf_idf(rows: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """Sublinear term frequency times idf, each row scaled to unit length. `rows` holds only
    the model's columns (see `WordingModel.columns`), `idf` one value per column."""
    from scipy.sparse import csr_matrix

    weighted = rows.astype(np.float64)
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = weighted.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(weighted.multiply(1.0 / norms.reshape(-1, 1)))


@dataclass(frozen=True)
class WordingModel:
    columns: np.ndarray  # int64, sorted: the hashed columns the model knows
    idf: np.ndarray  # float64, one per column
    weights: np.ndarray  # float64, one per column
    bias: float

    def known(self, rows: csr_matrix) -> csr_matrix:
        """`rows` (full hashed width) narrowed to the model's columns."""
        return rows[:, self.columns]

    def score(self, text: str) -> float:
        """The probability that `text` is escalated: `tf_idf` of one row, without building
        the narrowed matrix (a column lookup costs more than the whole score)."""
        row = counts([text])
        at = np.minimum(np.searchsorted(self.columns, row.indices), len(self.columns) - 1)
        found = self.columns[at] == row.indices
        margin = self.bias
        if found.any():
            values = (1.0 + np.log(row.data[found])) * self.idf[at[found]]
            margin += float(values @ self.weights[at[found]]) / float(np.linalg.norm(values))
        return 1.0 / (1.0 + math.exp(-margin))


def save(path_or_buffer: str | BytesIO, model: WordingModel) -> None:
    np.savez_compressed(
        path_or_buffer, format=np.int32(FORMAT), n_features=np.int32(N_FEATURES),
        word_ngrams=np.array(WORD_NGRAMS, np.int32), char_ngrams=np.array(CHAR_NGRAMS, np.int32),
        columns=model.columns.astype(np.int32), idf=model.idf.astype(np.float16),
        weights=model.weights.astype(np.float16), bias=np.float64(model.bias))


def load(source: str | BytesIO) -> WordingModel:
    with np.load(source, allow_pickle=False) as data:
        settings = (int(data["format"]), int(data["n_features"]),
                    tuple(int(n) for n in data["word_ngrams"]),
                    tuple(int(n) for n in data["char_ngrams"]))
        if settings != (FORMAT, N_FEATURES, WORD_NGRAMS, CHAR_NGRAMS):
            raise ValueError(f"wording model built with other feature settings: {settings}")
        return WordingModel(data["columns"].astype(np.int64), data["idf"].astype(np.float64),
                            data["weights"].astype(np.float64), float(data["bias"]))


@cache
def shipped() -> WordingModel | None:
    """The model shipped with the package, loaded once; None when it was not built."""
    data = packaged_file("tone_model", MODEL_FILE)
    return load(data) if data else None
