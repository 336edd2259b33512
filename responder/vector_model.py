"""The file format of the learnt models that read a message's query vector (the escalation
score, the context check): a logistic regression's weights and bias, its threshold and the id
of the embedding model it was trained on, in one compressed .npz without pickles."""

from __future__ import annotations

import math
from io import BytesIO

import numpy as np


def probability(weights: np.ndarray, bias: float, features: np.ndarray) -> float:
    """The logistic regression's probability for `features`."""
    return 1.0 / (1.0 + math.exp(-(float(weights @ features) + bias)))


def save(path_or_buffer: str | BytesIO, weights: np.ndarray, bias: float, threshold: float,
         model_id: str) -> None:
    np.savez_compressed(path_or_buffer, weights=weights.astype(np.float32),
                        bias=np.float64(bias), threshold=np.float64(threshold),
                        model_id=np.array(model_id))


def load(path_or_buffer: str | BytesIO) -> tuple[np.ndarray, float, float, str]:
    """(weights, bias, threshold, model id) as saved."""
    with np.load(path_or_buffer, allow_pickle=False) as data:
        return (data["weights"].astype(np.float32), float(data["bias"]),
                float(data["threshold"]), str(data["model_id"]))
