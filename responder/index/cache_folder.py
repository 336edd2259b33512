"""A derived folder in the model cache (a converted model, an ONNX export) that only ever
appears complete: built in a temporary sibling and renamed into place under a file lock, so
concurrent processes build it once and a crash never leaves a half-written folder in use."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def read_manifest(folder: Path, name: str) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def build_once(
    final: Path, is_complete: Callable[[Path], bool], build: Callable[[Path], None]
) -> Path:
    """Return `final`, first running `build(partial_folder)` unless `is_complete(final)`.
    `build` must write everything, its manifest last; OSError propagates to the caller,
    which knows what to tell the user."""
    if is_complete(final):
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    with _locked(final.parent / f".{final.name}.lock"):
        if not is_complete(final):  # another process may have finished while we waited
            _build_into_place(final, build)
    return final


def write_json(path: Path, content: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _build_into_place(final: Path, build: Callable[[Path], None]) -> None:
    """Only called under the lock, so every partial folder left over is from a dead process."""
    prefix = f".{final.name}.partial-"
    for leftover in final.parent.glob(f"{prefix}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    partial = final.parent / f"{prefix}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        partial.mkdir()
        build(partial)
        # The rename is what makes the folder visible: after a crash it must not point at
        # files whose data never reached the disk.
        for path in [*partial.rglob("*"), partial]:
            _fsync(path)
        if final.exists():  # outdated revision, or not ours: move it out of the way
            os.replace(final, final.parent / f"{prefix}old-{uuid.uuid4().hex[:8]}")
        os.replace(partial, final)
        _fsync(final.parent)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    for leftover in final.parent.glob(f"{prefix}old-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
