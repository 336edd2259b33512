"""How the onnxruntime embedder groups texts into batches, and where exports are cached
(no model needed)."""

from __future__ import annotations

from pathlib import Path

from responder.index.onnx_embedder import token_batches
from responder.index.onnx_export import _folder_name


def test_every_text_once_longest_first() -> None:
    lengths = [5, 300, 12, 512, 7, 128, 3]
    batches = token_batches(lengths, batch_size=64)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths, reverse=True)


def test_short_texts_fill_whole_batches() -> None:
    batches = token_batches([20] * 130, batch_size=64)
    assert [len(batch) for batch in batches] == [64, 64, 2]


def test_long_texts_come_in_small_batches() -> None:
    budget = 64 * 128 * 128
    lengths = [512] * 10 + [128] * 70
    batches = token_batches(lengths, batch_size=64, budget=budget)
    assert [len(batch) for batch in batches] == [4, 4, 4, 64, 4]
    for batch in batches:  # a batch is padded to its longest text
        assert len(batch) * max(lengths[i] for i in batch) ** 2 <= budget


def test_a_text_over_the_budget_still_gets_a_batch_of_its_own() -> None:
    assert token_batches([1000, 1000], batch_size=64, budget=100) == [[0], [1]]
    assert token_batches([], batch_size=64) == []


def test_an_export_folder_is_new_when_the_models_files_change(tmp_path: Path) -> None:
    model = tmp_path / "my-model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights v1")
    first = _folder_name(str(model), "my-model")
    assert first == _folder_name(str(model), "my-model")  # stable for the same files
    (model / "model.safetensors").write_bytes(b"weights v2, retrained")
    assert _folder_name(str(model), "my-model") != first
    assert _folder_name("some/hub-name", "some/hub-name").startswith("some-hub-name-")
