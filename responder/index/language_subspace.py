"""The language component of multilingual embeddings, measured so it can be removed.

E5-style multilingual vectors carry a strong language signal: a German question is closer to
any German text than to the English text that answers it. Most of that signal lies in a few
directions: the top principal directions of each language's own vectors (uncentred, so the
first is close to the language's mean). Projecting those directions out of every vector, the
query's too, and renormalising ("language information removal", Yang et al., EMNLP 2021)
leaves what the texts say. In a one-language KB the same projection drops the direction all
vectors share, which carries no meaning either (cf. "all-but-the-top", Mu & Viswanath 2018).

The directions are a property of the model, so a language the KB has (almost) no texts in
yet still has its directions removed: for the default model they ship with the package
(`reference_directions.npz`, measured on the demo KB by `python -m
benchmarks.language_directions`), and the KB's own measurement replaces them as soon as it has
enough texts in that language. Without the German directions an English-only KB would still
see a German question as "German first".

`python -m benchmarks.multilingual` measures it; `RESPONDER_LANGUAGE_COMPONENTS=0` turns it off.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

REFERENCE_PATH = Path(__file__).with_name("reference_directions.npz")

# A KB's own measurement of a language is trusted from this many texts on: fewer, on few
# topics, would make topics look like language (the shipped ones are measured on 210).
MIN_TEXTS = 200
# Recompute the directions when the number of texts has moved by this share since.
REFRESH_SHARE = 0.02


def load_reference(model_id: str, dim: int, path: Path = REFERENCE_PATH) -> dict[str, np.ndarray]:
    """Each language's directions as measured for `model_id` ({} for another model)."""
    if not path.exists():
        return {}
    with np.load(path) as stored:
        if str(stored["model_id"]) != model_id:
            return {}
        return {name.removeprefix("lang_"): stored[name].astype(np.float64)
                for name in stored.files
                if name.startswith("lang_") and stored[name].shape[0] == dim}


def save_reference(path: Path, model_id: str, directions: dict[str, np.ndarray]) -> None:
    arrays: dict[str, np.ndarray] = {"model_id": np.array(model_id)}
    arrays.update({f"lang_{lang}": m.astype(np.float32) for lang, m in directions.items()})
    np.savez(path, allow_pickle=False, **arrays)


def top_directions(vectors: np.ndarray, components: int) -> np.ndarray:
    """The `components` leading uncentred principal directions of the rows, as columns."""
    matrix = vectors.astype(np.float64)
    return _leading(matrix.T @ matrix, components)


def _leading(gram: np.ndarray, components: int) -> np.ndarray:
    _, vectors = np.linalg.eigh(gram)
    return vectors[:, ::-1][:, :components]


class LanguageSubspace:
    def __init__(
        self, dim: int, components: int, reference: dict[str, np.ndarray] | None = None
    ) -> None:
        self.dim = dim
        self.components = components
        self.reference = reference or {}
        self._grams: dict[str, np.ndarray] = {}
        self._counts: Counter[str] = Counter()
        self._basis: np.ndarray | None = None
        self._basis_counts: Counter[str] | None = None  # the counts the basis was computed at

    def add(self, language: str, vectors: np.ndarray, sign: float) -> None:
        """Account for (sign=1) or forget (sign=-1) texts of one language."""
        if not len(vectors) or not self.components:
            return
        if language not in self._grams:
            self._grams[language] = np.zeros((self.dim, self.dim), dtype=np.float64)
        matrix = vectors.astype(np.float64)
        self._grams[language] += sign * (matrix.T @ matrix)
        self._counts[language] += int(sign) * len(vectors)

    def clear(self) -> None:
        self.__init__(self.dim, self.components, self.reference)  # type: ignore[misc]

    def basis(self) -> np.ndarray | None:
        """Orthonormal columns spanning the language directions; None when none is measured.

        Searches call this: it returns the basis as last refreshed and computes one only if
        none ever was. A search that recomputed it after writes held the index's read lock
        for the eigendecompositions while every waiting search did the same; on a loaded
        2-core server that stalled the process for seconds."""
        if self._basis_counts is None:
            self.refresh()
        return self._basis

    def refresh(self) -> None:
        """Recompute the basis if the texts per language have moved by REFRESH_SHARE since
        it was computed. Called by whoever changes the texts (one at a time, after the
        change is installed), never by a search; until it returns, searches use the
        previous basis, which differs from the new one by a few texts' worth."""
        measured = Counter({lang: n for lang, n in self._counts.items() if n >= MIN_TEXTS})
        if self._basis_counts is not None and _close(measured, self._basis_counts):
            return
        columns = [_leading(self._grams[language], self.components)
                   for language in sorted(measured)]
        columns += [matrix[:, : self.components] for language, matrix
                    in sorted(self.reference.items()) if language not in measured]
        basis = None
        if columns and self.components:
            q, _ = np.linalg.qr(np.hstack(columns))
            basis = q.astype(np.float32)
        # The basis is assigned before the counts that say it is current, so no concurrent
        # search takes a missing basis for a fresh one.
        self._basis = basis
        self._basis_counts = measured

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Rows with the language directions removed, renormalised to unit length."""
        basis = self.basis()
        rest = vectors if basis is None else vectors - (vectors @ basis) @ basis.T
        norms = np.linalg.norm(rest, axis=-1, keepdims=True)
        return (rest / np.maximum(norms, 1e-6)).astype(np.float32)

    def kept_norms(self, vectors: np.ndarray) -> np.ndarray:
        """Length of each unit row after the projection: the dot product of a projected,
        unit-length query with the raw row, divided by this, is the cosine of the two
        projected vectors (the raw index can be searched with the projected query)."""
        basis = self.basis()
        if basis is None:
            return np.ones(len(vectors), dtype=np.float32)
        inside = np.sum((vectors @ basis) ** 2, axis=1)
        return np.sqrt(np.maximum(1.0 - inside, 1e-6)).astype(np.float32)


def _close(now: Counter[str], then: Counter[str]) -> bool:
    if set(now) != set(then):
        return False
    return all(abs(now[lang] - then[lang]) <= REFRESH_SHARE * then[lang] for lang in now)
