"""The learnt insult score: the shipped file, its format, and how detect_tone combines it with
the lexicon (a flagged score is an insult the router sees; it confirms mild words)."""

from __future__ import annotations

import json
import time
import zlib
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest

from benchmarks import offensive, train_insult
from benchmarks.offensive_data import FILES, calm_messages, held_out
from benchmarks.train_insult import lexicon_flags
from responder import tone, tone_model
from responder.models import CueKind, EscalationKind, LearntScore, Mood, ReplyKind, Tone, ToneLevel
from responder.package_data import packaged_file
from responder.pipeline import mood_of
from responder.routing import Facts, Router

MATRIX = Path(__file__).resolve().parents[1] / "kb" / "escalation-matrix.yaml"


class Fixed(tone_model.InsultModel):
    """A model that gives every message the same score."""

    def __init__(self, score: float, threshold: float = 0.7, support: float = 0.4) -> None:
        super().__init__(np.zeros(1, np.float32), 0.0, {"en": threshold}, {"en": support})
        object.__setattr__(self, "fixed", score)

    def score(self, text: str, language: str = "") -> float:
        return float(self.fixed)  # type: ignore[attr-defined]


def with_model(monkeypatch: pytest.MonkeyPatch, model: tone_model.InsultModel) -> None:
    monkeypatch.setattr(tone.tone_model, "shipped", lambda: model)


def test_the_shipped_model_loads_with_a_threshold_per_training_language() -> None:
    model = tone_model.shipped()
    assert model is not None
    assert set(model.thresholds) == {"da", "de", "en"} == set(model.supports)
    for language in model.thresholds:
        assert 0.0 < model.support(language) <= 1.01 and 0.0 < model.threshold(language) <= 1.0
    assert model.threshold("nb") == model.threshold("da")  # borrowed from its closest neighbour
    assert model.threshold("ru") == max(model.thresholds.values())  # no data: the strictest


def test_the_shipped_file_has_exactly_what_the_training_command_writes() -> None:
    buffer = BytesIO()
    weights = np.zeros(tone_model.N_FEATURES, np.float32)
    weights[[3, 7]] = [1.5, -2.0]
    tone_model.save(buffer, weights, -0.5, {"de": 0.8}, {"de": 0.3}, keep=10)
    buffer.seek(0)
    written = np.load(buffer)
    shipped = np.load(packaged_file("tone_model", tone_model.MODEL_FILE))
    assert set(written.files) == set(shipped.files)
    buffer.seek(0)
    model = tone_model.read(buffer)
    assert model.thresholds == pytest.approx({"de": 0.8}) and model.bias == pytest.approx(-0.5)
    assert model.weights[3] == pytest.approx(1.5) and model.weights[7] == pytest.approx(-2.0)


def test_a_file_built_with_other_feature_settings_is_refused(monkeypatch) -> None:
    buffer = BytesIO()
    monkeypatch.setattr(tone_model, "CHAR_NGRAMS", (2, 4))
    tone_model.save(buffer, np.zeros(tone_model.N_FEATURES, np.float32), 0.0, {"en": 0.5},
                    {"en": 0.5}, keep=1)
    monkeypatch.undo()
    buffer.seek(0)
    with pytest.raises(ValueError, match="feature settings"):
        tone_model.read(buffer)


def test_features_are_hashed_the_same_in_every_process() -> None:
    # crc32, not Python's salted hash(): a model trained in one process must read the same
    # buckets in another
    assert zlib.crc32(b"w:idiots") % tone_model.N_FEATURES in tone_model.features("idiots")
    assert tone_model.features("You IDIOTS @nordlys 123") == tone_model.features("you idiots 000")


def test_each_feature_counts_once_shared_and_once_for_the_training_language() -> None:
    shared = set(tone_model.features("ihr Pack"))
    german = set(tone_model.features("ihr Pack", "de"))
    assert shared < german and len(german) <= 2 * len(shared)
    assert zlib.crc32(b"de|w:pack") % tone_model.N_FEATURES in german
    model = tone_model.shipped()
    assert model is not None
    text = "I er nogle klovne"
    assert model.score(text, "nb") == model.score(text, "da")  # Norwegian borrows Danish
    assert model.score(text, "ru") == model.score(text)  # no training data: shared weights only


def test_the_score_does_not_read_what_the_lexicons_call_harmless() -> None:
    stupid = zlib.crc32(b"w:stupid") % tone_model.N_FEATURES
    assert stupid in tone_model.features("this stupid app")
    assert stupid not in tone_model.features("a stupid question")  # blanked out, as harmless
    found = tone.detect_tone("Sorry if this is a stupid question, but how do I change my "
                             "address?", "en")
    assert found.level is ToneLevel.CALM and not found.has(CueKind.INSULT)


def test_every_tone_carries_the_score_and_its_threshold_for_agents() -> None:
    found = tone.detect_tone("you idiots lost my parcel", "en")
    score = found.learnt_score(CueKind.INSULT)
    assert isinstance(score, LearntScore) and 0.0 <= score.score <= 1.0
    model = tone_model.shipped()
    assert model is not None and score.threshold == model.threshold("en")
    calm = tone.detect_tone("where is my parcel?", "en").learnt_score(CueKind.INSULT)
    assert calm is not None and not calm.flagged
    assert tone.detect_tone("", "en") == Tone(ToneLevel.CALM, ())


def test_a_flagged_score_alone_is_an_insult_the_router_sends_to_a_supervisor(monkeypatch) -> None:
    with_model(monkeypatch, Fixed(0.9))
    text = "where is the parcel I ordered from your shop two weeks ago"
    found = tone.detect_tone(text, "en")
    assert found.cues == () and found.has(CueKind.INSULT) and found.escalated
    assert found.level is ToneLevel.HOSTILE
    assert tone.content_text(text, found) == text  # no span: nothing is cut from the query
    router = Router.from_file(MATRIX)
    decision = router.decide(Facts(0.99, found, "billing", "billing-invoice"))
    assert decision.kind is ReplyKind.HANDOFF and decision.rule == "abuse-or-threat"
    assert decision.route is not None and decision.route.kind is EscalationKind.HIERARCHICAL
    assert mood_of(found) is Mood.ABUSIVE


@pytest.mark.parametrize(("score", "kind", "level"), [
    (0.5, CueKind.INSULT, ToneLevel.HOSTILE),  # over the support bar, under the threshold
    (0.1, CueKind.ANGER, ToneLevel.UPSET),
])
def test_a_mild_word_is_an_insult_only_when_the_score_supports_it(
        monkeypatch, score: float, kind: CueKind, level: ToneLevel) -> None:
    with_model(monkeypatch, Fixed(score))
    found = tone.detect_tone("this stupid app logged me out again", "en")
    assert [(cue.kind, cue.text) for cue in found.cues] == [(kind, "stupid")]
    assert found.level is level


@pytest.mark.parametrize(("text", "counts"), [
    ("where is my parcel", False),  # short: the score alone is not enough
    ("Kan jeg sende gavekortet til en anden person?", False),
    ("where is my parcel, this is ridiculous", False),  # anger is anger, not an insult
    ("WHERE is my parcel", False),
    ("where is the parcel I ordered from your shop two weeks ago", True),  # ten words
])
def test_on_a_short_calm_message_the_score_alone_is_no_insult(monkeypatch, text: str,
                                                               counts: bool) -> None:
    with_model(monkeypatch, Fixed(0.9))
    found = tone.detect_tone(text, "en")
    (score,) = found.learnt
    assert score.over_threshold and score.flagged is counts
    assert found.has(CueKind.INSULT) is counts
    assert (found.level is ToneLevel.HOSTILE) is counts
    assert (mood_of(found) is Mood.ABUSIVE) is counts


def test_without_a_model_file_the_lexicon_works_alone(monkeypatch) -> None:
    monkeypatch.setattr(tone.tone_model, "shipped", lambda: None)
    assert tone.detect_tone("you idiots", "en").level is ToneLevel.HOSTILE
    assert tone.detect_tone("you idiots", "en").learnt == ()


def test_at_most_one_percent_of_the_projects_calm_messages_read_as_insulting() -> None:
    messages = calm_messages()
    assert len(messages) > 1000
    insulting = [(language, text) for language, text in messages
                 if tone.detect_tone(text, language).has(CueKind.INSULT)]
    assert len(insulting) <= 0.01 * len(messages), insulting


def test_detection_with_the_score_stays_under_two_milliseconds() -> None:
    texts = [text for _, text in calm_messages()[:300]]
    for language in ("en", "da", "nb", "de", "ru"):
        tone.detect_tone("ok", language)
    started = time.perf_counter()
    for text in texts:
        tone.detect_tone(text, "en")
    assert (time.perf_counter() - started) / len(texts) < 0.002


def test_the_public_data_split_is_fixed_by_id() -> None:
    ids = [f"post-{n}" for n in range(4000)]
    share = sum(map(held_out, ids)) / len(ids)
    assert 0.22 < share < 0.28
    assert held_out("olid-86426") == held_out("olid-86426")


def test_the_training_command_sees_the_lexicon_as_detect_tone_does() -> None:
    from benchmarks.offensive_data import Post

    strong, mild = lexicon_flags([Post("a", "en", "you idiots", True, ""),
                                  Post("b", "en", "this stupid app", True, ""),
                                  Post("c", "en", "a stupid question", False, "")])
    assert strong.tolist() == [True, False, False] and mild.tolist() == [False, True, False]


def small_public_data(root: Path) -> Path:
    """A made-up stand-in for ../shared/datasets/offensive/, in the same format."""
    rude = {"de": "ihr Vollidioten, ihr Pack", "da": "I er nogle klovne og idioter",
            "en": "you idiots, fuck off"}
    calm = {"de": "wo ist mein Paket bitte", "da": "hvornår kommer min pakke",
            "en": "where is my parcel please"}
    for language, name in FILES.items():
        rows = [{"id": f"{language}-{n}", "lang": language,
                 "text": f"{rude[language] if n % 3 == 0 else calm[language]} {n}",
                 "label": "OFF" if n % 3 == 0 else "NOT"} for n in range(60)]
        if language == "de":
            for row in rows:
                row["fine_label"] = "INSULT" if row["label"] == "OFF" else "OTHER"
        (root / name).write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return root


def test_the_training_command_writes_a_file_the_responder_reads(tmp_path: Path) -> None:
    data = small_public_data(tmp_path)
    out = tmp_path / "insult.npz"
    assert train_insult.main(["--data", str(data), "--out", str(out)]) == 0
    model = tone_model.read(str(out))
    assert set(model.thresholds) == {"da", "de", "en"}
    assert model.score("you idiots") > model.score("where is my parcel")


def test_the_public_data_benchmark_reports_every_signal(tmp_path: Path) -> None:
    result = offensive.evaluate("held_out", small_public_data(tmp_path))
    assert set(result["languages"]) == {"da", "de", "en"}
    for row in result["languages"].values():
        assert set(row) >= {"lexicon", "learnt", "combined", "escalated"}
        assert row["combined"]["recall"] == 1.0 and row["combined"]["false_alarms"] == 0.0
    assert result["calm"]["insult"] == 0 and result["speed"]["mean_ms"] < 5
