"""The index folder on disk, shared safely by every process that uses one KB.

A save writes the vectors to a new file with a unique name and then replaces the manifest,
which names that file, in one atomic rename: a reader sees the previous save or this one,
never a manifest beside another save's vectors. Saves and loads take a lock on the folder
(`flock`), so a save never deletes the file a load is reading, and a process never replaces
a save of a newer KB revision with its own older one.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from uuid import uuid4

from responder.index.manifest import Manifest
from responder.index.vectors import VectorIndex

MANIFEST = "manifest.json"
VECTORS_GLOB = "vectors*.faiss"


@contextmanager
def folder_lock(directory: Path, *, exclusive: bool) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def manifest_path(directory: Path) -> Path:
    return directory / MANIFEST


def save(directory: Path, vectors: VectorIndex, manifest: Manifest) -> bool:
    """Save unless the folder already holds a usable save of a newer KB revision."""
    with folder_lock(directory, exclusive=True):
        current = Manifest.load(manifest_path(directory))
        if (current is not None and current.kb_revision > manifest.kb_revision
                and current.mismatch(manifest.model_id, manifest.dim,
                                     manifest.index_kind) is None
                and (directory / current.vectors_file).exists()):
            return False
        name = f"vectors-{manifest.kb_revision}-{uuid4().hex[:12]}.faiss"
        vectors.save(directory / name)
        replace(manifest, vectors_file=name).save(manifest_path(directory))
        for old in [*directory.glob(VECTORS_GLOB), *directory.glob("*.tmp"),
                    *directory.glob(".*.tmp")]:
            if old.name != name:  # older saves, and leftovers of a save that was killed
                old.unlink(missing_ok=True)
        return True


def load(directory: Path, manifest: Manifest) -> VectorIndex:
    """The vectors the manifest names; RuntimeError when they cannot be read."""
    with folder_lock(directory, exclusive=False):
        path = directory / manifest.vectors_file
        if not path.exists():
            raise RuntimeError(f"{path.name} is missing")
        return VectorIndex.load(path, manifest.dim, manifest.index_kind,
                                set(manifest.hashes))


def read_manifest(directory: Path) -> Manifest | None:
    with folder_lock(directory, exclusive=False):
        return Manifest.load(manifest_path(directory))


def remove(directory: Path, *names: str) -> None:
    """Throw the saved index (and other named files) away."""
    with folder_lock(directory, exclusive=True):
        for path in [manifest_path(directory), *directory.glob(VECTORS_GLOB)]:
            path.unlink(missing_ok=True)
        for name in names:
            (directory / name).unlink(missing_ok=True)
        for stale in [*directory.glob("*.tmp"), *directory.glob(".*.tmp")]:
            stale.unlink(missing_ok=True)

