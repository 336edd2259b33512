"""Files shipped inside the package (learnt models), read the same way wherever it is
installed."""

from __future__ import annotations

from importlib import resources
from io import BytesIO


def packaged_file(folder: str, name: str) -> BytesIO | None:
    """`responder/<folder>/<name>` as an in-memory file, or None when it was not built."""
    path = resources.files("responder").joinpath(folder, name)
    return BytesIO(path.read_bytes()) if path.is_file() else None
