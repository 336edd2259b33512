"""The benchmark that counts how many plain questions the tone reading calls escalated
(benchmarks.plain_questions)."""

from __future__ import annotations

from benchmarks import plain_questions
from responder.models import Cue, CueKind, Tone, ToneLevel


def test_the_benchmark_counts_flags_by_kind_language_and_learnt_score_alone() -> None:
    def read(text: str, code: str) -> Tone:
        if "now" in text:
            return Tone(ToneLevel.UPSET, (Cue(CueKind.URGENCY, "now", 0, 3),))
        return Tone(ToneLevel.UPSET if "pakke" in text else ToneLevel.CALM)

    messages = [("en", "I want it now"), ("en", "Where is it?"), ("da", "Hvor er min pakke?"),
                ("da", "Tak")]
    flagged = plain_questions.flags(messages, read)
    assert [(f.language, f.kinds) for f in flagged] == [("en", ("urgency",)), ("da", ())]
    row = plain_questions.summary(messages, flagged)
    assert row["flagged"] == 2 and row["share"] == 0.5 and row["learnt_alone"] == 1
    assert row["kinds"] == {"urgency": 1}
    assert row["by_language"] == {"en": [1, 2], "da": [1, 2]}
