"""The JSON manifest beside the saved index: what it was built with and from."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT_VERSION = 1
METRIC = "inner_product_normalised"


@dataclass(frozen=True)
class Manifest:
    model_id: str
    dim: int
    index_kind: str
    kb_revision: int
    built_at: str
    saved_at: str
    count: int
    metric: str = METRIC
    format_version: int = FORMAT_VERSION
    ids: list[int] = field(default_factory=list)  # live ids; HNSW keeps removed ones inside

    def mismatch(self, model_id: str, dim: int, index_kind: str) -> str | None:
        """Why this saved index must not be used with the current settings, or None."""
        wanted = {"format_version": FORMAT_VERSION, "metric": METRIC, "model_id": model_id,
                  "dim": dim, "index_kind": index_kind}
        for key, value in wanted.items():
            if getattr(self, key) != value:
                return f"{key} is {getattr(self, key)!r} in the saved index, {value!r} configured"
        return None

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        """None when the manifest is absent or unreadable: the index is then rebuilt."""
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None
