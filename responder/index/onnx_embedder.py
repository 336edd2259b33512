"""Embeds with onnxruntime from an export made by onnx_export: the query hot path without
torch. Tokenises with the model's own tokenizer.json (the `tokenizers` library, as the fast
transformers tokenizer does), truncated and padded exactly as sentence-transformers does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from responder.index.onnx_export import (
    ENCODING_FIELDS,
    GRAPH,
    OUTPUT,
    TOKENIZER,
    OnnxUnavailable,
    tokenization_of,
)


class OnnxEmbedder:
    runtime = "onnx"

    def __init__(
        self, folder: Path, model_id: str, batch_size: int = 64, threads: int | None = None,
        tokenization: dict[str, Any] | None = None,
    ) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise OnnxUnavailable(f"onnxruntime or tokenizers is not installed: {exc}") from exc
        settings = tokenization or tokenization_of(folder)
        self.model_id = model_id
        self.dim = int(settings["dim"])
        self.batch_size = batch_size
        self._inputs = [(name, ENCODING_FIELDS[name]) for name in settings["inputs"]]
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self._tokenizer.enable_truncation(int(settings["max_length"]))
        self._tokenizer.enable_padding(
            pad_id=int(settings["pad_id"]), pad_token=str(settings["pad_token"]),
            pad_type_id=int(settings["pad_type_id"]),
        )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or 0  # 0: one per physical core
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: its warnings are about graph fusions
        # The arena keeps the peak of any batch for the life of the process: 0.8 GB after one
        # batch of long texts, measured; without it the single-query p50 is the same.
        options.enable_cpu_mem_arena = False
        try:
            self._session = onnxruntime.InferenceSession(
                str(folder / GRAPH), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped Fail/InvalidGraph
            raise OnnxUnavailable(f"onnxruntime cannot load {folder / GRAPH}: {exc}") from exc

    def embed(self, texts: Sequence[str], *, prefix: str) -> np.ndarray:
        full = [f"{prefix}{text}" for text in texts]
        if len(full) <= self.batch_size:
            return self._run(full)
        # Texts of similar length share a batch, so little compute goes into padding.
        order = np.argsort([-len(text) for text in full], kind="stable")
        vectors = np.empty((len(full), self.dim), dtype=np.float32)
        for start in range(0, len(full), self.batch_size):
            chosen = order[start:start + self.batch_size]
            vectors[chosen] = self._run([full[i] for i in chosen])
        return vectors

    def _run(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        feeds = {
            name: np.array([getattr(encoding, field) for encoding in encodings], dtype=np.int64)
            for name, field in self._inputs
        }
        vectors = np.asarray(self._session.run([OUTPUT], feeds)[0], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12))
