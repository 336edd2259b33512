"""The learnt wording score: one message scored alone gives what the training's matrix
arithmetic gives, the file keeps its settings, and the shipped model reads escalation."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest

from responder import wording_model
from responder.wording_model import WordingModel

TEXTS = ["Where is my parcel?", "I WANT A MANAGER NOW!!", "Hvor er pakken min?",
         "Это безобразие, верните деньги", "Vielen Dank, alles angekommen."]


def small_model() -> WordingModel:
    """A model over the columns these texts use, with arbitrary but fixed weights."""
    rows = wording_model.counts(TEXTS)
    columns = np.unique(rows.indices).astype(np.int64)
    rng = np.random.default_rng(7)
    return WordingModel(columns, rng.uniform(1.0, 5.0, columns.size),
                        rng.normal(0.0, 1.0, columns.size), -0.3)


def test_one_message_scores_as_the_training_matrix_does() -> None:
    model = small_model()
    x = wording_model.tf_idf(model.known(wording_model.counts(TEXTS)), model.idf)
    expected = 1.0 / (1.0 + np.exp(-(x @ model.weights + model.bias)))
    assert [model.score(text) for text in TEXTS] == pytest.approx(expected.tolist(), abs=1e-9)


def test_a_message_with_no_known_column_scores_the_bias() -> None:
    model = small_model()
    assert model.score("zzqx") == pytest.approx(1.0 / (1.0 + np.exp(0.3)))


def test_capitals_and_punctuation_are_features() -> None:
    lower, upper = wording_model.counts(["manager now", "MANAGER NOW!!"])
    assert set(lower.indices) != set(upper.indices)


def test_the_file_round_trips_and_refuses_other_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    model = small_model()
    buffer = BytesIO()
    wording_model.save(buffer, model)
    buffer.seek(0)
    loaded = wording_model.load(buffer)
    assert loaded.score(TEXTS[1]) == pytest.approx(model.score(TEXTS[1]), abs=1e-2)  # float16
    buffer.seek(0)
    monkeypatch.setattr(wording_model, "N_FEATURES", 1 << 18)
    with pytest.raises(ValueError, match="other feature settings"):
        wording_model.load(buffer)


def test_the_shipped_model_reads_escalation_in_every_language() -> None:
    shipped = wording_model.shipped()
    assert shipped is not None
    angry = ["This is a disgrace, I want a manager NOW!!", "Det er en skandale, jeg vil tale "
             "med en chef NU!!", "Ihr seid Betrüger, ich gehe zum Anwalt!!",
             "Это безобразие, позовите руководителя!!", "Dere er noen amatører, få en sjef!!"]
    calm = ["Where is my parcel?", "Hvornår kommer min pakke?", "Wo ist mein Paket?",
            "Где моя посылка?", "Hvor er pakken min?"]
    assert min(map(shipped.score, angry)) > max(map(shipped.score, calm))
