"""The learnt context check: whether the cues the lexicons found in a message are meant.

A lexicon matches words, not what the customer does with them: "Wie lege ich Widerspruch
ein?", "Vor Gericht müssen wir nicht", "the app says INVALID CODE", "Kein Grund, das an einen
Vorgesetzten weiterzugeben". Each round of phrases fixes the batch it was taught on, and the
next writer brings new ones. On the first reads of 75 blind batches (benchmarks/first_reads:
the rules of the day, before any tuning on the batch), 841 of the 14,225 messages the lexicons
flagged were calm.

So the message's query vector, which matching computes anyway, is read once more: a logistic
regression on the vector (with the wording score appended, responder.escalation_model.reading)
and the cue kinds found, trained on exactly those first reads (what
the lexicons flagged in writing they had never seen, and whether it was escalated). Where its
score is under the threshold, the cues are set aside: kept in `Tone.check` for agents to see,
no longer counted, and the message is calm. Trained by `python -m benchmarks.train_escalation`
with the escalation score and shipped as responder/tone_model/context.npz, with the id of the
embedding model; with any other model (an operator's RESPONDER_MODEL, the tests' fake
embedder) it stays silent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from io import BytesIO

import numpy as np

from responder import vector_model
from responder.models import ContextCheck, CueKind, Tone, ToneLevel
from responder.package_data import packaged_file

MODEL_FILE = "context.npz"
KINDS = tuple(CueKind)  # one feature per kind found, in this order
# The kinds found are scaled up next to the vector's unit-length coordinates, so the
# regularisation does not drown them.
KIND_SCALE = 3.0


def features(vector: np.ndarray, kinds: frozenset[CueKind] | frozenset[str]) -> np.ndarray:
    """The vector, then one scaled 0/1 feature per cue kind found."""
    names = {str(kind) for kind in kinds}
    found = np.array([KIND_SCALE * (kind.value in names) for kind in KINDS], dtype=np.float32)
    return np.concatenate([vector.astype(np.float32), found])


def kinds_found(tone: Tone) -> frozenset[CueKind]:
    return frozenset(kind for kind in CueKind if tone.has(kind))


@dataclass(frozen=True)
class ContextModel:
    weights: np.ndarray  # float32, the vector's dimensions then one per cue kind
    bias: float
    threshold: float
    model_id: str  # the embedding model the weights were trained on

    def score(self, vector: np.ndarray, kinds: frozenset[CueKind]) -> float:
        return vector_model.probability(self.weights, self.bias, features(vector, kinds))

    def apply(self, tone: Tone, vector: np.ndarray | None, model_id: str) -> Tone:
        """`tone` with the check read; its cues set aside when the score is under threshold."""
        if (not tone.escalated or vector is None or model_id != self.model_id
                or vector.shape[0] + len(KINDS) != self.weights.shape[0]):
            return tone
        check = ContextCheck(self.score(vector, kinds_found(tone)), self.threshold)
        if check.kept:
            return replace(tone, check=check)
        return replace(tone, level=ToneLevel.CALM, cues=(), check=replace(
            check, set_aside=tone.cues), learnt=tuple(
                replace(score, may_count_alone=False) for score in tone.learnt))


save = vector_model.save


def load(path_or_buffer: str | BytesIO) -> ContextModel:
    return ContextModel(*vector_model.load(path_or_buffer))


@cache
def shipped() -> ContextModel | None:
    """The model in the package, loaded once; None when it was not built."""
    data = packaged_file("tone_model", MODEL_FILE)
    return load(data) if data else None


def apply(tone: Tone, vector: np.ndarray | None, model_id: str) -> Tone:
    """`tone` checked against the message's query vector, when the shipped model fits it."""
    model = shipped()
    return tone if model is None else model.apply(tone, vector, model_id)
