"""The learnt context check: it only sets aside cues the lexicons found, only with vectors from
the model it was trained on, it keeps what it set aside for agents, and a message it set aside
is not made upset again by the escalation score. The shipped file fits the default model and
was trained on the recorded first reads of the blind batches."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest

from responder import context_check, escalation_model
from responder.context_check import KINDS, ContextModel, features
from responder.escalation_model import EscalationModel
from responder.index.convert import MODEL_ID
from responder.models import Cue, CueKind, LearntScore, Tone, ToneLevel
from responder.tone import learnt_notes

DIM = 8
# The score reads the vector's first coordinate (meant) against its second (not meant).
WEIGHTS = np.zeros(DIM + len(KINDS), dtype=np.float32)
WEIGHTS[0], WEIGHTS[1] = 10.0, -10.0
MODEL = ContextModel(weights=WEIGHTS, bias=0.0, threshold=0.1, model_id="test-model")
MEANT = np.eye(DIM, dtype=np.float32)[0]
NOT_MEANT = np.eye(DIM, dtype=np.float32)[1]
COURT = Cue(CueKind.THREAT, "Vor Gericht", 0, 11)
THREAT = Tone(ToneLevel.HOSTILE, (COURT,))


def test_cues_that_are_meant_are_kept_and_the_check_is_shown() -> None:
    tone = MODEL.apply(THREAT, MEANT, "test-model")
    assert tone.level is ToneLevel.HOSTILE and tone.cues == (COURT,) and tone.escalated
    assert tone.check is not None and tone.check.kept and tone.check.set_aside == ()
    assert learnt_notes(tone) == []


def test_cues_not_meant_are_set_aside_for_agents_and_the_message_is_calm() -> None:
    tone = MODEL.apply(THREAT, NOT_MEANT, "test-model")
    assert tone.level is ToneLevel.CALM and tone.cues == () and not tone.escalated
    assert tone.check is not None and not tone.check.kept and tone.check.set_aside == (COURT,)
    assert learnt_notes(tone) == [
        "learnt context score 0.00 < 0.10: set aside threat 'Vor Gericht'"]


def test_a_learnt_insult_score_set_aside_no_longer_counts_but_stays_visible() -> None:
    insult = LearntScore(CueKind.INSULT, 0.9, 0.7, 0.5)
    tone = MODEL.apply(Tone(ToneLevel.HOSTILE, learnt=(insult,)), NOT_MEANT, "test-model")
    assert not tone.escalated and not tone.has(CueKind.INSULT)
    assert tone.learnt_score(CueKind.INSULT) is not None  # still shown, with its score


def test_a_calm_message_is_not_checked() -> None:
    calm = Tone(ToneLevel.CALM)
    assert MODEL.apply(calm, NOT_MEANT, "test-model") is calm


@pytest.mark.parametrize(("model_id", "vector"), [
    ("another-model", NOT_MEANT),  # an operator's RESPONDER_MODEL: foreign vectors
    ("test-model", np.ones(DIM + 1, dtype=np.float32)),  # another dimension
    ("test-model", None),  # nothing embedded
])
def test_silent_on_vectors_it_was_not_trained_on(model_id: str, vector: object) -> None:
    assert MODEL.apply(THREAT, vector, model_id) is THREAT  # type: ignore[arg-type]


def test_the_escalation_score_does_not_overrule_a_set_aside() -> None:
    angry_score = EscalationModel(weights=np.eye(DIM, dtype=np.float32)[1] * 10, bias=-5.0,
                                  threshold=0.8, model_id="test-model")
    checked = MODEL.apply(THREAT, NOT_MEANT, "test-model")
    tone = angry_score.apply(checked, NOT_MEANT, "test-model")
    learnt = tone.learnt_score(CueKind.ANGER)
    assert learnt is not None and learnt.over_threshold and not learnt.flagged
    assert tone.level is ToneLevel.CALM and not tone.escalated


def test_the_kinds_found_are_features_beside_the_vector() -> None:
    found = features(MEANT, frozenset({CueKind.THREAT, CueKind.SHOUTING}))
    assert found.shape == (DIM + len(KINDS),)
    assert list(found[DIM:]) == [context_check.KIND_SCALE * (kind in (
        CueKind.THREAT, CueKind.SHOUTING)) for kind in KINDS]
    assert list(features(MEANT, frozenset({"threat"}))) == list(
        features(MEANT, frozenset({CueKind.THREAT})))


def test_saved_and_loaded_unchanged() -> None:
    buffer = BytesIO()
    context_check.save(buffer, MODEL.weights, MODEL.bias, MODEL.threshold, MODEL.model_id)
    buffer.seek(0)
    loaded = context_check.load(buffer)
    assert loaded.model_id == "test-model" and loaded.threshold == pytest.approx(0.1)
    kinds = frozenset({CueKind.THREAT})
    assert loaded.score(MEANT, kinds) == pytest.approx(MODEL.score(MEANT, kinds))


def test_the_shipped_check_fits_the_default_embedding_model() -> None:
    shipped = context_check.shipped()
    assert shipped is not None and shipped.model_id == MODEL_ID
    # the query vector, the wording score, then the cue kinds
    assert shipped.weights.shape == (384 + 1 + len(KINDS),) and 0.0 < shipped.threshold < 0.5


def test_every_channel_reads_the_check_before_the_escalation_score() -> None:
    """escalation_model.apply is what the pipeline, the console and the benchmark call."""
    shipped = context_check.shipped()
    assert shipped is not None
    vector = np.zeros(384, dtype=np.float32)
    text = "Vor Gericht sehen wir uns."
    tone = escalation_model.apply(THREAT, vector, MODEL_ID, text=text)
    read = escalation_model.reading(vector, text)
    assert tone.check is not None and read is not None and read.shape == (385,)
    assert tone.check.score == pytest.approx(shipped.score(read, frozenset({CueKind.THREAT})))


def test_the_threshold_sets_aside_only_where_calm_messages_dominate() -> None:
    from benchmarks.train_escalation import set_aside_threshold

    scores = np.array([0.01, 0.02, 0.03, 0.04, 0.5, 0.9])
    y = np.array([0, 0, 1, 0, 1, 1])
    # under 0.035: 2 calm of 3 (67 %); under 0.045: 3 of 4 (75 %)
    assert set_aside_threshold(scores, y, 0.75) == pytest.approx(0.27)
    assert set_aside_threshold(scores, y, 0.7) == pytest.approx(0.27)
    assert set_aside_threshold(scores, y, 0.9) == pytest.approx(0.025)
    assert set_aside_threshold(np.array([0.5]), np.array([1]), 0.85) == 0.0


def test_first_reads_cover_every_blind_tuning_batch_and_name_their_commit() -> None:
    from benchmarks import first_reads
    from benchmarks.tone import EXTRA_DEV, load_batch

    reads = first_reads.load()
    assert set(first_reads.FIRST_READS) == set(EXTRA_DEV)
    for batch in EXTRA_DEV:
        assert all(m.id in reads for m in load_batch(batch)), batch
    escalated, found = reads["de-ad044"]  # "Vor Gericht müssen wir nicht": a calm court
    assert escalated and found == frozenset({"threat"})


def test_the_api_shows_the_check_and_the_cues_it_set_aside() -> None:
    from responder.api.schemas_answer import ToneOut

    out = ToneOut.of(MODEL.apply(THREAT, NOT_MEANT, "test-model")).model_dump()
    assert out["escalated"] is False and out["cues"] == []
    check = out["context_check"]
    assert check["kept"] is False and check["threshold"] == pytest.approx(0.1)
    assert check["set_aside"] == [{"kind": "threat", "text": "Vor Gericht", "start": 0,
                                   "end": 11}]
    assert ToneOut.of(THREAT).model_dump()["context_check"] is None


def test_a_first_read_is_made_by_the_rules_of_the_named_commit() -> None:
    """The recorder checks the commit out apart and runs that commit's own detect_tone."""
    import subprocess

    from benchmarks.first_reads import ROOT, read_with

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    read = read_with(head, [("de-x1", "Vor Gericht sehen wir uns, Sie Betrüger!", "de"),
                            ("en-x2", "Where is my parcel?", "en")])
    assert read[0][0] == "de-x1" and read[0][1] is True and {"threat", "insult"} <= set(
        read[0][2])
    assert read[1] == ["en-x2", False, []]
