"""Send questions through Retriever.search and keep what the metrics need, with timings."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from benchmarks.datasets import Example
from benchmarks.ingest import slug_for
from responder.index.calibration import Calibration
from responder.wiring import Services

K = 5
LANGUAGE = "en"
Advance = Callable[[], None]


@dataclass(frozen=True)
class RecordingCalibration(Calibration):
    """The shipped calibration, also noting the raw (fused score, margin) it is asked about.

    Hit carries only the calibrated score; the retriever computes fused score and margin in
    `_rank` and hands them to `Calibration.confidence`, top hit first. Wrapping the calibration
    reads them without touching responder/.
    """

    calls: list[tuple[float, float, bool]] = field(default_factory=list, compare=False,
                                                   repr=False)
    head: bool = field(default=False, compare=False)  # which of the retriever's two it wraps

    @classmethod
    def wrapping(cls, calibration: Calibration, calls: list[tuple[float, float, bool]],
                 head: bool) -> RecordingCalibration:
        return cls(**asdict(calibration), calls=calls, head=head)

    def confidence(self, score: float, margin: float) -> float:
        self.calls.append((score, margin, self.head))
        return super().confidence(score, margin)


def install_recorder(services: Services) -> RecordingCalibration:
    """Wrap both calibrations (retrieval alone, retrieval plus head) around one call list."""
    retriever = services.retriever
    current = retriever.calibration
    if isinstance(current, RecordingCalibration):
        return current
    calls: list[tuple[float, float, bool]] = []
    recorder = RecordingCalibration.wrapping(current, calls, head=False)
    retriever.calibration = recorder
    retriever.head_calibration = RecordingCalibration.wrapping(
        retriever.head_calibration, calls, head=True)
    return recorder


@dataclass(frozen=True)
class Outcome:
    gold: str | None  # article slug; None for out-of-scope
    ranked: list[str]  # slugs of the top-K hits
    score: float  # calibrated confidence of the top hit (0 without hits)
    fused: float  # raw fused score of the top hit
    margin: float  # fused score of the top hit minus the best other
    seconds: float  # the whole retriever.search call
    head: bool = False  # scored with the article head (else retrieval alone)

    @property
    def predicted(self) -> str | None:
        return self.ranked[0] if self.ranked else None

    @property
    def correct(self) -> bool:
        return self.gold is not None and self.predicted == self.gold


def run_queries(
    services: Services, examples: Sequence[Example], advance: Advance | None = None
) -> list[Outcome]:
    """One retriever.search per question, timed one at a time."""
    recorder = install_recorder(services)
    outcomes = []
    for example in examples:
        recorder.calls.clear()
        start = time.perf_counter()
        result = services.retriever.search(example.text, LANGUAGE, k=K)
        seconds = time.perf_counter() - start
        fused, margin, head = recorder.calls[0] if recorder.calls else (0.0, 0.0, False)
        top = result.hits[0].score if result.hits else 0.0
        outcomes.append(Outcome(
            gold=slug_for(example.intent) if example.intent else None,
            ranked=[hit.article.slug for hit in result.hits],
            score=top, fused=fused, margin=margin, seconds=seconds, head=head,
        ))
        if advance:
            advance()
    return outcomes


def time_split(
    services: Services, texts: Sequence[str], advance: Advance | None = None
) -> tuple[list[float], list[float]]:
    """Seconds of the query embedding alone, and of the search given the vector."""
    embed, rest = [], []
    retriever = services.retriever
    for text in texts:
        start = time.perf_counter()
        vector = retriever.embed_query(text)
        middle = time.perf_counter()
        retriever.search(text, LANGUAGE, k=K, vector=vector)
        end = time.perf_counter()
        embed.append(middle - start)
        rest.append(end - middle)
        if advance:
            advance()
    return embed, rest


def embedding_throughput(
    services: Services, texts: Sequence[str], batch: int = 64, batches: int = 10
) -> float:
    """Texts per second of the bare model on full batches (after one warm-up batch)."""
    embedder = services.index.embedder
    prefix = services.settings.query_prefix
    pool = list(texts) or ["how do I reset my password?"]
    needed = batch * (batches + 1)
    pool = (pool * (needed // len(pool) + 1))[:needed]
    embedder.embed(pool[:batch], prefix=prefix)
    start = time.perf_counter()
    for i in range(1, batches + 1):
        matrix: np.ndarray = embedder.embed(pool[i * batch : (i + 1) * batch], prefix=prefix)
        assert matrix.shape[0] == batch
    return batch * batches / (time.perf_counter() - start)
