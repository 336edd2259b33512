"""Export a sentence-transformers model (transformer, pooling, normalisation) to one ONNX graph
in the model cache, for onnxruntime: about twice as fast per query as torch on this kind of
machine. sentence-transformers' own ONNX backend goes through optimum, which does not support
the transformers release we run, so the export uses torch.onnx (the torch.export path) directly.

An export is only used after it has reproduced the torch model's vectors on probe texts in
every supported language, a text longer than the model's window and a padded batch: vectors
from either runtime are interchangeable, so the vector cache and the index stay valid.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import logging
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from responder.index.cache_folder import build_once, read_manifest, write_json

log = logging.getLogger(__name__)

EXPORT_REVISION = 1
MANIFEST = "onnx_export.json"
GRAPH = "model.onnx"
TOKENIZER = "tokenizer.json"
OUTPUT = "sentence_embedding"
# The tokenizer outputs the graph may take, and the `tokenizers.Encoding` field of each.
ENCODING_FIELDS = {"input_ids": "ids", "attention_mask": "attention_mask",
                   "token_type_ids": "type_ids"}
MIN_COSINE = 0.9999

PROBES = (
    "query: How do I return a parcel I ordered last week?",
    "query: Hvordan returnerer jeg en pakke, jeg bestilte i sidste uge?",
    "query: Hvordan returnerer jeg en pakke jeg bestilte forrige uke?",
    "query: Wie kann ich ein Paket zurücksenden, das ich letzte Woche bestellt habe?",
    "query: Как вернуть посылку, которую я заказал на прошлой неделе?",
    "passage: hi",
    "passage: " + "Refunds reach the card you paid with within five working days. " * 60,
)


class OnnxUnavailable(Exception):
    """This model cannot be run by onnxruntime here; the message says why."""


def onnx_model_dir(model_path: str, model_id: str, cache_dir: Path) -> Path:
    """The ONNX export of the sentence-transformers model at `model_path`, made and verified
    on first use under `cache_dir/onnx/`. Raises OnnxUnavailable."""
    final = Path(cache_dir) / "onnx" / _folder_name(model_path, model_id)

    def complete(folder: Path) -> bool:
        manifest = read_manifest(folder, MANIFEST)
        return (manifest is not None and manifest.get("export_revision") == EXPORT_REVISION
                and manifest.get("model_id") == model_id)

    try:
        return build_once(final, complete, lambda partial: export(model_path, model_id, partial))
    except OSError as exc:
        raise OnnxUnavailable(f"cannot write the ONNX export into {final.parent}: {exc}") from exc


def export(model_path: str, model_id: str, out_dir: Path) -> None:
    """Write graph, tokenizer and manifest into `out_dir`, the manifest only once the export
    has been verified against the torch model."""
    import torch
    from sentence_transformers import SentenceTransformer

    log.info("exporting %s to ONNX for onnxruntime (once per model, about 20 s)", model_id)

    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    model = SentenceTransformer(model_path, device="cpu").eval()
    tokenizer = model.tokenizer
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise OnnxUnavailable(f"{model_id} has no fast (tokenizers) tokenizer")
    if getattr(tokenizer, "padding_side", "right") != "right":
        raise OnnxUnavailable(f"{model_id} pads on the left")
    tokenize = getattr(model, "preprocess", None) or model.tokenize
    features = tokenize(list(PROBES[:2]))
    inputs = [name for name, value in features.items() if isinstance(value, torch.Tensor)]
    unknown = set(inputs) - set(ENCODING_FIELDS)
    if unknown:
        raise OnnxUnavailable(f"{model_id} takes inputs onnxruntime is not fed: {sorted(unknown)}")
    dim = model.get_embedding_dimension()
    tokenization = {
        "inputs": inputs,
        "max_length": int(model.max_seq_length or 512),
        "pad_id": int(tokenizer.pad_token_id or 0),
        "pad_type_id": int(getattr(tokenizer, "pad_token_type_id", 0) or 0),
        "dim": int(dim or 0),
    }
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length")
    try:
        with torch.no_grad(), _quiet("onnx_ir", "onnxscript", "torch.onnx", "torch.export"):
            program = torch.onnx.export(
                _pipeline(model, inputs), tuple(features[name] for name in inputs),
                input_names=inputs, output_names=[OUTPUT], dynamo=True, verbose=False,
                dynamic_shapes={"tensors": tuple({0: batch, 1: length} for _ in inputs)},
            )
    except Exception as exc:  # torch.export's failures have no common base class
        raise OnnxUnavailable(f"torch.onnx.export failed for {model_id}: {exc}") from exc
    if program is None:
        raise OnnxUnavailable(f"torch.onnx.export returned no program for {model_id}")
    program.save(str(out_dir / GRAPH))
    backend.save(str(out_dir / TOKENIZER))
    cosine = _verify(model, out_dir, tokenization)
    write_json(out_dir / MANIFEST, {
        "export_revision": EXPORT_REVISION,
        "model_id": model_id,
        "tokenization": tokenization,
        "verified_min_cosine": cosine,
        "torch": torch.__version__,
        "onnxruntime": _version("onnxruntime"),
    })


def tokenization_of(folder: Path) -> dict[str, Any]:
    manifest = read_manifest(folder, MANIFEST)
    if manifest is None or not isinstance(manifest.get("tokenization"), dict):
        raise OnnxUnavailable(f"{folder} holds no complete ONNX export")
    return dict(manifest["tokenization"])


def _verify(model: Any, folder: Path, tokenization: dict[str, Any]) -> float:
    from responder.index.onnx_embedder import OnnxEmbedder

    reference = model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True,
                             show_progress_bar=False)
    onnx = OnnxEmbedder(folder, "verification", batch_size=len(PROBES), tokenization=tokenization)
    # One padded batch and each text alone: padding must not change a vector.
    batched = onnx.embed(PROBES, prefix="")
    single = np.vstack([onnx.embed([text], prefix="") for text in PROBES])
    cosine = float(min((batched * reference).sum(1).min(), (single * reference).sum(1).min()))
    if cosine < MIN_COSINE:
        raise OnnxUnavailable(
            f"the ONNX export does not reproduce the torch model (cosine {cosine:.6f} < "
            f"{MIN_COSINE})"
        )
    return cosine


def _pipeline(model: Any, inputs: list[str]) -> Any:
    """The model's modules as one forward over positional tensors, which is what the
    exporter traces."""
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            embedding: torch.Tensor = self.model(dict(zip(inputs, tensors, strict=True)))[OUTPUT]
            return embedding

    return Pipeline().eval()


@contextlib.contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """The exporter logs every graph pass and warns about ops this model does not use:
    hundreds of lines in a server's log about a step that is verified afterwards anyway."""
    levels = {name: logging.getLogger(name).level for name in loggers}
    for name in loggers:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _folder_name(model_path: str, model_id: str) -> str:
    """Readable, and different whenever the model's files change (a retrained local model)."""
    digest = hashlib.sha256(model_id.encode())
    local = Path(model_path)
    if local.is_dir():
        for path in sorted(local.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(local)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model_id).strip("-")[-60:]
    return f"{slug}-{digest.hexdigest()[:12]}"


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None
