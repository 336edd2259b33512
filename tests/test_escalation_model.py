"""The learnt escalation score on the query vector: it only adds to the lexicons, only when
the vector comes from the model it was trained on, and the shipped file fits the default
model (so changing the model without rebuilding it fails here)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import numpy as np
import pytest

from responder import escalation_model
from responder.escalation_model import EscalationModel
from responder.index.convert import MODEL_ID
from responder.models import Cue, CueKind, Tone, ToneLevel
from responder.pipeline import Message
from responder.tone import detect_tone
from responder.wiring import build_services
from tests.fakes import FakeEmbedder
from tests.test_index import make_settings

DIM = 8
MODEL = EscalationModel(weights=np.eye(DIM, dtype=np.float32)[0] * 10, bias=-5.0,
                        threshold=0.8, model_id="test-model")
ANGRY = np.eye(DIM, dtype=np.float32)[0]  # score sigmoid(5) = 0.993
CALM = np.eye(DIM, dtype=np.float32)[1]  # score sigmoid(-5) = 0.007


def test_a_flagged_score_makes_a_calm_message_upset_and_says_so() -> None:
    tone = MODEL.apply(Tone(ToneLevel.CALM), ANGRY, "test-model")
    learnt = tone.learnt_score(CueKind.ANGER)
    assert tone.level is ToneLevel.UPSET and tone.escalated and tone.has(CueKind.ANGER)
    assert learnt is not None and learnt.flagged and learnt.score == pytest.approx(0.9933, 1e-3)


def test_a_low_score_changes_nothing_but_is_kept_for_agents() -> None:
    tone = MODEL.apply(Tone(ToneLevel.CALM), CALM, "test-model")
    learnt = tone.learnt_score(CueKind.ANGER)
    assert tone.level is ToneLevel.CALM and not tone.escalated
    assert learnt is not None and not learnt.flagged


def test_plain_words_that_the_customer_is_not_upset_outweigh_the_score() -> None:
    tone = MODEL.apply(Tone(ToneLevel.CALM, reassured=True), ANGRY, "test-model")
    learnt = tone.learnt_score(CueKind.ANGER)
    assert tone.level is ToneLevel.CALM and not tone.escalated
    assert learnt is not None and learnt.over_threshold and not learnt.flagged  # still shown


@pytest.mark.parametrize(("language", "text", "reassured"), [
    ("de", "Bin nicht sauer, ist ja nicht eure Schuld, dass der Sturm alles verzögert.", True),
    ("ru", "Хочу отменить подписку. Сервис нормальный, просто переезжаю.", True),
    ("en", "No rush at all, just wondering when the lamp ships", True),
    ("nb", "Ikke fordi jeg er misfornøyd, men jeg flytter.", True),
    ("en", "My friend said 'I'm not angry', but I am. Where is my refund?", False),  # quoted
    ("en", "Where is my refund? It has been three weeks.", False),
    ("de", "Das Paket muss nicht heute kommen, eilt nicht.", True),
    ("de", "Kein Grund, mich an Ihren Chef weiterzuleiten, ich brauche nur die Nummer.", True),
    ("da", "Ingen grund til at sende sagen videre til en leder, jeg vil bare vide det.", True),
    ("ru", "Не нужно звать руководителя, просто подскажите срок.", True),
    ("ru", "Хочу отменить подписку на страховку, спасибо.", True),
    ("de", "Großes Lob an Herrn Schulte, er hat alles geklärt.", True),
    ("en", "Please stop the pet food subscription after the June box.", True),
])
def test_reassurance_is_read_from_the_lexicons(language: str, text: str,
                                               reassured: bool) -> None:
    assert detect_tone(text, language).reassured is reassured


def test_it_never_lowers_a_level_or_removes_a_lexicon_cue() -> None:
    insult = Cue(CueKind.INSULT, "idiots", 0, 6)
    hostile = Tone(ToneLevel.HOSTILE, (insult,))
    tone = MODEL.apply(hostile, CALM, "test-model")
    assert tone.level is ToneLevel.HOSTILE and tone.cues == (insult,)


@pytest.mark.parametrize(("model_id", "vector"), [
    ("another-model", ANGRY),  # an operator's RESPONDER_MODEL: foreign vectors
    ("test-model", np.ones(DIM + 1, dtype=np.float32)),  # another dimension
    ("test-model", None),  # nothing embedded
])
def test_silent_on_vectors_it_was_not_trained_on(model_id: str, vector: object) -> None:
    tone = Tone(ToneLevel.CALM)
    assert MODEL.apply(tone, vector, model_id) is tone  # type: ignore[arg-type]


def test_saved_and_loaded_unchanged() -> None:
    buffer = BytesIO()
    escalation_model.save(buffer, MODEL.weights, MODEL.bias, MODEL.threshold, MODEL.model_id)
    buffer.seek(0)
    loaded = escalation_model.load(buffer)
    assert loaded.model_id == "test-model" and loaded.threshold == pytest.approx(0.8)
    assert loaded.score(ANGRY) == pytest.approx(MODEL.score(ANGRY))


def test_the_shipped_model_is_trained_for_the_default_embedding_model() -> None:
    shipped = escalation_model.shipped()
    assert shipped is not None and shipped.model_id == MODEL_ID
    # the query vector, then the wording score (responder.wording_model)
    assert shipped.weights.shape == (384 + 1,) and 0.5 < shipped.threshold < 1.0


def test_with_the_fake_embedder_the_pipeline_reads_the_lexicons_only(tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    try:
        outcome = services.responder.preview(Message("where is my parcel", "chat", "en"))
        assert outcome.tone.learnt_score(CueKind.ANGER) is None
    finally:
        services.close()


def test_its_threshold_is_chosen_on_writers_the_classifier_has_not_read() -> None:
    """Folds are whole batches: a batch's writer is never in training and test at once."""
    from benchmarks.tone import load
    from benchmarks.train_escalation import batch_of

    assert batch_of("en-017") == "first"
    assert batch_of("da-c017") == "c"
    with pytest.raises(ValueError, match="not a tone set id"):
        batch_of("017")
    batches = {batch_of(m.id) for m in load("tuning")}
    assert len(batches) >= 20  # the first files and every blind dev batch, each its own fold
