"""Which runtime should run the model: torch, onnxruntime on the verified fp32 export (the
default), or onnxruntime on a dynamically int8-quantised copy of that export.

For each: single-query latency (the hot path), batch-of-64 throughput (ingest), and quality
against torch: the cosine of every query vector to torch's, and nearest-neighbour top-1 on
Banking77 (a sample of training questions is the KB, test questions are the queries; no
article head, no fusion, so the model alone decides).

    python -m benchmarks.runtimes --threads 1 [--per-intent 20] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks.datasets import DEFAULT_ROOT, load_banking77
from responder.config import Settings
from responder.index.convert import MODEL_ID, converted_model_dir
from responder.index.embedder import Embedder, SentenceTransformerEmbedder
from responder.index.onnx_embedder import OnnxEmbedder
from responder.index.onnx_export import GRAPH, MANIFEST, TOKENIZER, onnx_model_dir

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="torch/onnxruntime threads")
    parser.add_argument("--per-intent", type=int, default=20,
                        help="training questions per intent in the nearest-neighbour KB")
    parser.add_argument("--queries", type=int, default=1000, help="test questions (quality)")
    parser.add_argument("--latency-queries", type=int, default=300,
                        help="single queries timed per runtime")
    parser.add_argument("--json", type=Path, default=RESULTS / "runtimes.json")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    settings = Settings(threads=args.threads)
    dataset = load_banking77(DEFAULT_ROOT, limit_train=args.per_intent)
    kb = [example.text for example in dataset.train]
    kb_intents = np.array([example.intent for example in dataset.train])
    test = dataset.test[: args.queries]
    queries = [example.text for example in test]
    labels = np.array([example.intent for example in test])

    model_dir = converted_model_dir(settings.data_dir)
    export_dir = onnx_model_dir(str(model_dir), MODEL_ID, settings.data_dir)
    console = Console()
    results: dict[str, dict[str, float]] = {}
    reference: np.ndarray | None = None
    reference_top: np.ndarray | None = None
    with tempfile.TemporaryDirectory() as scratch:
        loaders: dict[str, Callable[[], Embedder]] = {
            "torch": lambda: SentenceTransformerEmbedder(str(model_dir), MODEL_ID),
            "onnx fp32": lambda: OnnxEmbedder(export_dir, MODEL_ID, threads=args.threads),
            "onnx int8": lambda: OnnxEmbedder(
                _quantised(export_dir, Path(scratch) / "int8"), MODEL_ID, threads=args.threads),
        }
        for name, load in loaders.items():
            console.print(f"[bold]{name}[/bold]: loading")
            embedder = load()
            figures, vectors, top = _measure(embedder, kb, queries, settings,
                                             args.latency_queries)
            figures["top1_accuracy"] = float((kb_intents[top] == labels).mean())
            if reference is None or reference_top is None:
                reference, reference_top = vectors, top
            figures["min_cosine_to_torch"] = float((vectors * reference).sum(1).min())
            figures["mean_cosine_to_torch"] = float((vectors * reference).sum(1).mean())
            figures["top1_same_as_torch"] = float((top == reference_top).mean())
            results[name] = figures
            del embedder
    console.print(_table(results, len(kb), len(queries)))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"threads": args.threads, "kb_texts": len(kb),
                                     "queries": len(queries), "runtimes": results}, indent=2))
    console.print(f"written to {args.json}")


def _measure(
    embedder: Embedder, kb: list[str], queries: list[str], settings: Settings, timed: int
) -> tuple[dict[str, float], np.ndarray, np.ndarray]:
    prefix = settings.query_prefix  # example questions are embedded as queries too
    embedder.embed(kb[:64], prefix=prefix)  # warm-up
    started = time.perf_counter()
    kb_vectors = embedder.embed(kb, prefix=prefix)
    throughput = len(kb) / (time.perf_counter() - started)
    for text in queries[:10]:
        embedder.embed([text], prefix=prefix)
    seconds = []
    for text in queries[:timed]:
        started = time.perf_counter()
        embedder.embed([text], prefix=prefix)
        seconds.append(time.perf_counter() - started)
    vectors = embedder.embed(queries, prefix=prefix)
    top = np.argmax(vectors @ kb_vectors.T, axis=1)
    figures = {
        "query_p50_ms": float(np.percentile(seconds, 50) * 1000),
        "query_p99_ms": float(np.percentile(seconds, 99) * 1000),
        "batch_texts_per_s": throughput,
    }
    return figures, vectors, top


def _quantised(export_dir: Path, out: Path) -> Path:
    """Weights to int8, activations quantised on the fly (onnxruntime's dynamic quantisation,
    the usual choice for transformer encoders on CPU)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    for name in (TOKENIZER, MANIFEST):
        shutil.copy(export_dir / name, out / name)
    quantize_dynamic(export_dir / GRAPH, out / GRAPH, weight_type=QuantType.QInt8)
    return out


def _table(results: dict[str, dict[str, Any]], kb_size: int, queries: int) -> Table:
    table = Table(title=f"model runtimes (Banking77: {kb_size} KB questions, {queries} queries)")
    for column in ("runtime", "query p50 / p99 ms", "batch-64 texts/s", "top-1",
                   "top-1 same as torch", "cosine to torch min / mean"):
        table.add_column(column)
    for name, f in results.items():
        table.add_row(
            name, f"{f['query_p50_ms']:.1f} / {f['query_p99_ms']:.1f}",
            f"{f['batch_texts_per_s']:.0f}", f"{f['top1_accuracy']:.2%}",
            f"{f['top1_same_as_torch']:.2%}",
            f"{f['min_cosine_to_torch']:.5f} / {f['mean_cosine_to_torch']:.5f}",
        )
    return table


if __name__ == "__main__":
    main()
