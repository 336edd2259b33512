"""The JSON manifest beside the saved index: what it was built with and from."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT_VERSION = 2
METRIC = "inner_product_normalised"


@dataclass(frozen=True)
class Manifest:
    model_id: str
    dim: int
    index_kind: str
    kb_revision: int  # the KB revision the saved vectors reflect, exactly
    built_at: str
    saved_at: str
    count: int
    metric: str = METRIC
    format_version: int = FORMAT_VERSION
    vectors_file: str = "vectors.faiss"  # each save writes a new file; the manifest names it
    # search-text id -> content hash of the text its vector was made from: a verify or a
    # restart compares contents, not ids alone
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def hashes(self) -> dict[int, str]:
        return {int(text_id): digest for text_id, digest in self.texts.items()}

    def mismatch(self, model_id: str, dim: int, index_kind: str) -> str | None:
        """Why this saved index must not be used with the current settings, or None."""
        wanted = {"format_version": FORMAT_VERSION, "metric": METRIC, "model_id": model_id,
                  "dim": dim, "index_kind": index_kind}
        for key, value in wanted.items():
            if getattr(self, key) != value:
                return f"{key} is {getattr(self, key)!r} in the saved index, {value!r} configured"
        return None

    def save(self, path: Path) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            json.dump(asdict(self), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        """None when the manifest is absent or unreadable: the index is then rebuilt."""
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None
