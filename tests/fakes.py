"""A deterministic fake embedder: each word is a random direction seeded by its SHA-256.

Texts that share words point the same way, so retrieval behaves sensibly without torch.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache

import numpy as np

DIM = 64


@cache
def _word_vector(word: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    return np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)


class FakeEmbedder:
    runtime = "fake"

    def __init__(self, model_id: str = "fake-bow-64") -> None:
        self.model_id = model_id
        self.dim = DIM
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts: Sequence[str], *, prefix: str) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row] += _word_vector(word)
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else _word_vector("<empty>") / 8
        return out
