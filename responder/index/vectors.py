"""The only module that imports faiss: an id-addressable vector index, saved atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

HNSW_NEIGHBOURS = 32


class VectorIndex:
    """Inner product over normalised vectors (= cosine), addressed by search-text id.

    `flat` is exact and supports removal in place. `hnsw` is approximate and faster on very
    large KBs, but HNSW graphs cannot delete: removed ids are hidden at search time and the
    caller rebuilds when `tombstone_share` grows.
    """

    def __init__(self, dim: int, kind: str = "flat") -> None:
        self.dim = dim
        self.kind = kind
        self._index: Any = _new_index(dim, kind)
        self._ids: set[int] = set()
        self._tombstones: set[int] = set()

    @property
    def ids(self) -> set[int]:
        return set(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, text_id: object) -> bool:
        return text_id in self._ids

    @property
    def tombstone_share(self) -> float:
        total = len(self._ids) + len(self._tombstones)
        return len(self._tombstones) / total if total else 0.0

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        if not ids:
            return
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)} vectors of dimension {self.dim}, "
                             f"got shape {vectors.shape}")
        again = [i for i in ids if i in self._ids or i in self._tombstones]
        if again and self.kind == "hnsw":
            raise ValueError("an HNSW index cannot replace a vector in place; rebuild it")
        self.remove(again)
        self._index.add_with_ids(
            np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
        )
        self._ids.update(ids)

    def remove(self, ids: list[int]) -> None:
        present = [i for i in ids if i in self._ids]
        if not present:
            return
        if self.kind == "hnsw":
            self._tombstones.update(present)
        else:
            self._index.remove_ids(np.asarray(present, dtype=np.int64))
        self._ids.difference_update(present)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not self._ids:
            return []
        wanted = min(k + len(self._tombstones), self._index.ntotal)
        scores, ids = self._index.search(vector.reshape(1, -1).astype(np.float32), wanted)
        hits = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True)
                if i >= 0 and int(i) not in self._tombstones]
        return hits[:k]

    def vectors_of(self, ids: list[int]) -> np.ndarray:
        """The stored vectors of live ids, in order."""
        if not ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._index.reconstruct(int(i)) for i in ids])

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        faiss.write_index(self._index, str(tmp))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, dim: int, kind: str, ids: set[int]) -> VectorIndex:
        """`ids` are the live ids recorded in the manifest (HNSW keeps removed ones inside)."""
        index = cls.__new__(cls)
        index.dim, index.kind = dim, kind
        index._index = faiss.read_index(str(path))
        stored = set(faiss.vector_to_array(index._index.id_map).tolist())
        index._ids = stored & ids
        index._tombstones = stored - ids
        return index


def _new_index(dim: int, kind: str) -> Any:
    if kind == "flat":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if kind == "hnsw":
        inner = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efSearch = 128
        return faiss.IndexIDMap2(inner)
    raise ValueError(f"Unknown index kind {kind!r}; expected 'flat' or 'hnsw'.")


def set_threads(threads: int) -> None:
    faiss.omp_set_num_threads(threads)


def single_threaded_blas() -> None:
    """numpy's BLAS (OpenBLAS) on one thread per calling thread, for the whole process.

    The index's BLAS work is small (a 384x384 eigendecomposition per language when texts
    change, Gram updates): ~9 ms on one thread. With a thread per core, OpenBLAS's workers
    spin for cores that onnxruntime and other answers are using, and on a loaded 2-core
    server the same work took seconds while the index lock waited for it (write-load p99
    1-2 s; 0.2 s with one thread, benchmarks/load.py). A server's parallelism comes from
    its concurrent answers and its workers, not from inside one small matrix."""
    threadpool_limits(1, user_api="blas")
