"""What a result or a calibration was measured with: retrieval settings and responder code."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import responder
from responder.config import Settings

# Settings that cannot change a query's ranking or scores; every other field (model, prefixes,
# index kind, fusion weights, ...) is part of the fingerprint, including ones added later.
_NOT_RETRIEVAL = {"kb_dir", "index_dir", "data_dir", "database_url", "max_text_chars",
                  "threads", "seed_demo", "default_language", "embed_batch_size",
                  "runtime"}  # runtimes are verified to give the same vectors (onnx_export)
MARKER = "retrieval: "


def retrieval_settings(settings: Settings) -> dict[str, Any]:
    dumped = settings.model_dump(mode="json")
    return {k: v for k, v in sorted(dumped.items()) if k not in _NOT_RETRIEVAL}


def fingerprint(settings: Settings) -> str:
    """'retrieval: keyword_weight=0.1, model=..., ...', stored in calibration.fitted_on."""
    pairs = ", ".join(f"{k}={v}" for k, v in retrieval_settings(settings).items())
    return f"{MARKER}{pairs}"


def calibration_matches(fitted_on: str, retrieval_fingerprint: str) -> bool | None:
    """None when the calibration does not say what it was fitted with."""
    if MARKER not in fitted_on:
        return None
    return retrieval_fingerprint in fitted_on


def code_digest() -> str:
    """Short sha256 over responder/**/*.py: the code a result measured (others edit it too)."""
    root = Path(responder.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
