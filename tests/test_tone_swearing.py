"""Swearing said as an exclamation is anger, said to someone an insult; words of contempt that
public posts use of politicians wait for the learnt score; calm senses stay calm."""

from __future__ import annotations

import numpy as np
import pytest

from responder import tone, tone_model
from responder.models import CueKind, ToneLevel


class Fixed(tone_model.InsultModel):
    """A model that gives every message the same score (under both bars by default)."""

    def __init__(self, score: float = 0.0) -> None:
        bars = {code: 0.9 for code in ("en", "de", "da")}
        super().__init__(np.zeros(1, np.float32), 0.0, bars, {code: 0.5 for code in bars})
        object.__setattr__(self, "fixed", score)

    def score(self, text: str, language: str = "") -> float:
        return float(self.fixed)  # type: ignore[attr-defined]


@pytest.fixture
def low_score(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tone.tone_model, "shipped", lambda: Fixed(0.0))


def kinds(text: str, language: str) -> set[CueKind]:
    return {cue.kind for cue in tone.detect_tone(text, language).cues}


@pytest.mark.parametrize(("text", "language"), [
    ("fuck you and your useless app", "en"),
    ("go fuck yourselves", "en"),
    ("you fucking idiots lost my parcel", "en"),
    ("you liars, the parcel never left the warehouse", "en"),
    ("ihr Vasallen macht doch eh, was ihr wollt", "de"),
    ("dieses ganze linke Pack", "de"),
    ("so ein Fettsack am Telefon", "de"),
])
def test_swearing_and_names_aimed_at_someone_are_insults(low_score, text: str,
                                                         language: str) -> None:
    found = tone.detect_tone(text, language)
    assert found.has(CueKind.INSULT) and found.level is ToneLevel.HOSTILE, found.cues


@pytest.mark.parametrize(("text", "language"), [
    ("oh fuck, the parcel went back to the depot", "en"),
    ("this fucking parcel is still not here", "en"),
    ("the new update sucks", "en"),
    ("that senator is a liar and a hypocrite", "en"),
    ("it's disgusting how long this takes", "en"),
])
def test_exclamations_and_contempt_for_others_are_anger_unless_the_score_says_insult(
        low_score, text: str, language: str) -> None:
    found = tone.detect_tone(text, language)
    assert not found.has(CueKind.INSULT) and CueKind.ANGER in kinds(text, language), found.cues
    assert found.escalated


def test_a_high_score_makes_the_same_word_an_insult(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tone.tone_model, "shipped", lambda: Fixed(0.6))  # over support 0.5
    assert tone.detect_tone("this fucking parcel is still not here", "en").has(CueKind.INSULT)


@pytest.mark.parametrize(("text", "language"), [
    ("Nach dem Post gab es einen Shitstorm, aber die Lieferung kam pünktlich.", "de"),
    ("Wir wollen ein Schwein schlachten, welches Messer empfehlen Sie?", "de"),
    ("Das ist mir zu blöd, ich bestelle einfach neu. Wie geht das?", "de"),
    ("Tausend Dank!!", "de"),
    ("Wahnsinn, am Montag bestellt und am Dienstag war's da!!", "de"),
    ("Read a few reviews on Trustpilot before ordering and they were right, delivery was "
     "really quick!!", "en"),
    ("Does contactless payment work with my FITBIT watch?", "en"),
])
def test_calm_senses_stay_calm(text: str, language: str) -> None:
    found = tone.detect_tone(text, language)
    assert not found.has(CueKind.INSULT), found.cues
    assert found.level is ToneLevel.CALM, found.cues


@pytest.mark.parametrize(("text", "language", "kind"), [
    ("ok so this is going on twitter with screenshots of the whole chat", "en", CueKind.THREAT),
    ("If this isn't fixed by Monday I'm disputing the payment with Amex.", "en",
     CueKind.THREAT),
    ("I'm contacting Citizens Advice about this.", "en", CueKind.THREAT),
    ("Is there a human anywhere in this company? Connect me to one please.", "en",
     CueKind.HUMAN),
    ("Darüber schreibe ich eine Bewertung bei Trusted Shops.", "de", CueKind.THREAT),
    ("Verbinden Sie mich mit der Abteilungsleitung.", "de", CueKind.HUMAN),
    ("Bitte leiten Sie meine Beschwerde an den Filialleiter weiter.", "de", CueKind.HUMAN),
    ("Ich bestehe darauf, dass sich jemand aus der Geschäftsleitung bei mir meldet.", "de",
     CueKind.HUMAN),
])
def test_escalation_signs_of_the_grown_dev_split(text: str, language: str,
                                                  kind: CueKind) -> None:
    assert kind in kinds(text, language)
