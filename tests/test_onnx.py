"""The onnxruntime path: the export reproduces the torch model, is made once, is never used
unverified, and a model that cannot be exported falls back to torch (or fails clearly)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pytest

from responder.config import Settings
from responder.errors import ModelUnavailable
from responder.index import embedder as embedder_module
from responder.index import onnx_export
from responder.index.convert import MODEL_ID, converted_model_dir
from responder.index.embedder import SentenceTransformerEmbedder, load_embedder
from responder.index.onnx_embedder import OnnxEmbedder
from responder.index.onnx_export import MANIFEST, OnnxUnavailable, onnx_model_dir

pytestmark = pytest.mark.slow

TEXTS = [
    "I was charged twice for the same order",
    "Jeg er blevet trukket to gange for den samme ordre",
    "Jeg har blitt belastet to ganger for samme bestilling",
    "Mir wurde dieselbe Bestellung zweimal berechnet",
    "С меня дважды списали деньги за один и тот же заказ",
    "ok",
    "Where is my parcel? " * 200,  # longer than the model's 512-token window
    "  leading and trailing spaces  ",
    "emoji 📦 and CJK 包裹",
    "Kündigung",
    "доставка",
]


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return converted_model_dir(Settings().data_dir)


@pytest.fixture(scope="module")
def export_dir(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return onnx_model_dir(str(model_dir), MODEL_ID, tmp_path_factory.mktemp("onnx-cache"))


@pytest.fixture(scope="module")
def torch_embedder(model_dir: Path) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(str(model_dir), MODEL_ID)


def test_onnx_vectors_equal_torch_vectors(
    export_dir: Path, torch_embedder: SentenceTransformerEmbedder
) -> None:
    # batch_size 4 over 11 texts: several length-sorted batches put back in input order.
    onnx = OnnxEmbedder(export_dir, MODEL_ID, batch_size=4)
    for prefix in ("query: ", "passage: "):
        expected = torch_embedder.embed(TEXTS, prefix=prefix)
        batched = onnx.embed(TEXTS, prefix=prefix)
        alone = np.vstack([onnx.embed([text], prefix=prefix) for text in TEXTS])
        assert batched.dtype == np.float32 and batched.shape == (len(TEXTS), 384)
        assert (batched * expected).sum(1).min() > 0.9999
        assert (alone * expected).sum(1).min() > 0.9999
        np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert onnx.embed([], prefix="query: ").shape == (0, 384)


def test_manifest_records_the_verification(export_dir: Path) -> None:
    manifest = onnx_export.read_manifest(export_dir, MANIFEST)
    assert manifest is not None
    assert manifest["model_id"] == MODEL_ID
    assert manifest["verified_min_cosine"] >= onnx_export.MIN_COSINE
    assert manifest["tokenization"]["max_length"] == 512


def test_second_call_reuses_the_export(
    export_dir: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_export(*args: object) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_export, "export", must_not_export)
    assert onnx_model_dir(str(model_dir), MODEL_ID, export_dir.parent.parent) == export_dir


def test_an_export_that_does_not_reproduce_torch_is_never_used(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_export, "MIN_COSINE", 1.01)  # no export can pass
    with pytest.raises(OnnxUnavailable, match="does not reproduce the torch model"):
        onnx_model_dir(str(model_dir), MODEL_ID, tmp_path)
    assert not list((tmp_path / "onnx").glob("*/" + MANIFEST))
    assert not list((tmp_path / "onnx").glob(".*partial-*"))  # nothing half-written remains


def _failing_export(model_path: str, model_id: str, out_dir: Path) -> None:
    raise OnnxUnavailable("torch.onnx.export failed for test-model: unsupported operator")


def test_auto_falls_back_to_torch_with_a_warning(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(onnx_export, "export", _failing_export)
    settings = Settings(data_dir=tmp_path, runtime="auto")
    with caplog.at_level(logging.WARNING, logger="responder.index.embedder"):
        assert embedder_module._load_onnx(str(model_dir), MODEL_ID, settings) is None
    assert "embedding with torch" in caplog.text and "unsupported operator" in caplog.text


def test_onnx_runtime_demanded_but_impossible_is_a_clear_error(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_export, "export", _failing_export)
    settings = Settings(data_dir=tmp_path, runtime="onnx")
    expected = re.escape("RESPONDER_RUNTIME=onnx, but torch.onnx.export failed")
    with pytest.raises(ModelUnavailable, match=expected):
        embedder_module._load_onnx(str(model_dir), MODEL_ID, settings)


def test_a_damaged_graph_is_reported_not_loaded(export_dir: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for name in (MANIFEST, onnx_export.TOKENIZER):
        (damaged / name).write_bytes((export_dir / name).read_bytes())
    (damaged / onnx_export.GRAPH).write_bytes(b"not a protobuf")
    with pytest.raises(OnnxUnavailable, match="onnxruntime cannot load"):
        OnnxEmbedder(damaged, MODEL_ID)


def test_runtime_setting_picks_the_embedder(tmp_path: Path, model_dir: Path) -> None:
    data_dir = model_dir.parent  # the shared conversion and export cache
    assert load_embedder(Settings(data_dir=data_dir, runtime="torch")).runtime == "torch"
    assert load_embedder(Settings(data_dir=data_dir)).runtime == "onnx"
    with pytest.raises(ValueError, match="runtime"):
        Settings(runtime="tensorflow")  # type: ignore[arg-type]
