"""The learnt escalation score: a logistic regression on the message's query vector and its
wording score (responder.wording_model, appended to the vector; see `reading`).

The lexicons (responder.tone) find what they were taught; a customer who asks for "someone who
can actually decide this" or reports a fourth failed delivery in words no lexicon lists slips
past them. The message is embedded for matching anyway, so a classifier on that vector costs a
dot product (about a microsecond) and reads every language the model reads. Trained by
`python -m benchmarks.train_escalation` on the tuning split of the project's tone set and
shipped as responder/tone_model/escalation.npz, together with the id of the embedding model it
was trained on: with any other model (an operator's RESPONDER_MODEL, the tests' fake embedder)
it stays silent rather than read foreign vectors.

It only adds: a score at or over its threshold makes a calm message upset (a stronger
acknowledgement and a human within reach), unless the customer says plainly they are not
upset ("bin nicht sauer", `Tone.reassured`) or the context check (responder.context_check,
read first on the same vector) set the message's cues aside as not meant. It never removes a
lexicon cue, since those carry the spans agents read and decide insults and threats (setting
them aside is the context check's job), and it has no span: agents see it as
"learnt anger score 0.81 >= 0.73", like the insult score.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from io import BytesIO

import numpy as np

from responder import context_check, vector_model, wording_model
from responder.models import CueKind, LearntScore, Tone, ToneLevel
from responder.package_data import packaged_file

MODEL_FILE = "escalation.npz"
NEVER = 1.01  # the score confirms no lexicon word; it only counts alone
# The wording score (0..1) is appended to the unit-length query vector scaled up, so the
# regularisation does not drown it (as the context check scales its cue kinds).
WORDING_SCALE = 3.0


@dataclass(frozen=True)
class EscalationModel:
    weights: np.ndarray  # float32, one per vector dimension
    bias: float
    threshold: float
    model_id: str  # the embedding model the weights were trained on

    def score(self, vector: np.ndarray) -> float:
        return vector_model.probability(self.weights, self.bias, vector)

    def apply(self, tone: Tone, vector: np.ndarray | None, model_id: str) -> Tone:
        """`tone` with this score added; a calm tone becomes upset when the score is flagged."""
        if vector is None or model_id != self.model_id or vector.shape != self.weights.shape:
            return tone
        set_aside = tone.check is not None and not tone.check.kept
        learnt = LearntScore(CueKind.ANGER, self.score(vector), self.threshold, NEVER,
                             may_count_alone=not (tone.reassured or set_aside))
        level = ToneLevel.UPSET if learnt.flagged and tone.level is ToneLevel.CALM else tone.level
        return replace(tone, level=level, learnt=(*tone.learnt, learnt))


save = vector_model.save


def load(path_or_buffer: str | BytesIO) -> EscalationModel:
    return EscalationModel(*vector_model.load(path_or_buffer))


@cache
def shipped() -> EscalationModel | None:
    """The model in the package, loaded once; None when it was not built."""
    data = packaged_file("tone_model", MODEL_FILE)
    return load(data) if data else None


def reading(vector: np.ndarray | None, text: str) -> np.ndarray | None:
    """What the learnt models read of a message: its query vector and, appended, its wording
    score (responder.wording_model); the vector alone when the wording model is not shipped,
    which the shipped models then do not fit, so they stay silent."""
    wording = wording_model.shipped()
    if vector is None or wording is None:
        return vector
    return np.append(vector.astype(np.float32), np.float32(WORDING_SCALE * wording.score(text)))


def apply(tone: Tone, vector: np.ndarray | None, model_id: str, *, text: str) -> Tone:
    """`tone` read together with the message's query vector and wording, as every channel
    reads it: the context check first, then this score (each only when its shipped model fits
    what it reads)."""
    check, model = context_check.shipped(), shipped()
    if not any(m is not None and m.model_id == model_id for m in (check, model)):
        return tone  # neither reads this model's vectors: skip the wording score's 0.3 ms
    features = reading(vector, text)
    tone = context_check.apply(tone, features, model_id)
    return tone if model is None else model.apply(tone, features, model_id)
