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


# Texts x tokens² per batch: 64 texts of 128 tokens, or 4 of 512 (attention scores ~50 MB).
ATTENTION_BUDGET = 64 * 128 * 128


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
        self._tokenizer.no_padding()  # batches are padded here, to their own longest text
        self._pad = {"ids": int(settings["pad_id"]), "attention_mask": 0,
                     "type_ids": int(settings["pad_type_id"])}
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or 0  # 0: one per physical core
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: its warnings are about graph fusions
        try:
            self._session = onnxruntime.InferenceSession(
                str(folder / GRAPH), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped Fail/InvalidGraph
            raise OnnxUnavailable(f"onnxruntime cannot load {folder / GRAPH}: {exc}") from exc
        # The memory arena keeps the peak of any run for the life of the process; after a batch
        # it gives back what the batch took (a query's few MB stay, so queries stay fast).
        self._shrink_after = onnxruntime.RunOptions()
        self._shrink_after.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def embed(self, texts: Sequence[str], *, prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([f"{prefix}{text}" for text in texts])
        if len(encodings) == 1:  # the query hot path
            return self._run(encodings)
        vectors = np.empty((len(encodings), self.dim), dtype=np.float32)
        for chosen in token_batches([len(e.ids) for e in encodings], self.batch_size):
            vectors[chosen] = self._run([encodings[i] for i in chosen])
        return vectors

    def _run(self, encodings: list[Any]) -> np.ndarray:
        longest = max(len(encoding.ids) for encoding in encodings)
        feeds = {}
        for name, field in self._inputs:
            batch = np.full((len(encodings), longest), self._pad[field], dtype=np.int64)
            for row, encoding in enumerate(encodings):
                values = getattr(encoding, field)
                batch[row, : len(values)] = values
            feeds[name] = batch
        options = self._shrink_after if len(encodings) > 1 else None
        vectors = np.asarray(self._session.run([OUTPUT], feeds, options)[0], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12))


def token_batches(lengths: Sequence[int], batch_size: int,
                  budget: int = ATTENTION_BUDGET) -> list[list[int]]:
    """Indices of texts grouped longest first, so a batch pads little, and capped so that
    texts x tokens² stays within `budget`: attention memory grows with the square of the
    length, and onnxruntime's arena grows to the largest batch it has run (a batch of
    64 texts at the 512-token window alone needs 0.8 GB of attention scores)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    start = 0
    while start < len(order):
        longest = max(lengths[order[start]], 1)
        size = max(1, min(batch_size, budget // (longest * longest)))
        batches.append(order[start:start + size])
        start += size
    return batches
