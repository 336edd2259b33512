"""A fresh throw-away KB per dataset, filled through the same public calls a user makes."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.datasets import Dataset
from responder.config import Settings
from responder.knowledge import ResolutionRequest
from responder.models import EscalationInput
from responder.wiring import Services, build_services

Advance = Callable[[], None]
RESOLVED_BY = "benchmark"


@dataclass(frozen=True)
class IngestReport:
    articles: int
    escalations: int
    article_seconds: float
    escalation_seconds: float  # open + resolve, including embedding and index update
    head_seconds: float = 0.0  # fitting the article classifier once everything is in

    @property
    def texts_per_second(self) -> float:
        return self.escalations / self.escalation_seconds if self.escalation_seconds else 0.0


def slug_for(intent: str) -> str:
    """'card_swallowed' -> 'card-swallowed'. Two Banking77 labels need more than '_' -> '-':
    'Refund_not_showing_up' (capital) and 'reverted_card_payment?' (question mark)."""
    return "-".join(re.findall(r"[a-z0-9]+", intent.lower()))


def humanise(intent: str) -> str:
    """'card_swallowed' -> 'Card swallowed'."""
    words = intent.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def short_answer(title: str) -> str:
    """Neutral: the benchmark has no real answers, and must not leak words from the questions."""
    return f"Help with: {title}"


@contextmanager
def fresh_services(workdir: Path | None = None, threads: int | None = None
                   ) -> Iterator[Services]:
    """An empty SQLite KB and index in a temporary folder; the model cache is the default one.

    `threads` None keeps the configured value (RESPONDER_THREADS, else all cores).
    """
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kb-bench-", dir=workdir) as tmp:
        root = Path(tmp)
        (root / "kb").mkdir()
        settings = Settings(kb_dir=root / "kb", index_dir=root / "index", seed_demo=False)
        if threads is not None:
            settings = settings.model_copy(update={"threads": threads})
        services = build_services(settings)
        try:
            yield services
        finally:
            services.close()


def create_articles(services: Services, dataset: Dataset) -> dict[str, int]:
    """One published English article per intent; returns intent -> article id."""
    ids = {}
    for intent in dataset.intents:
        title = humanise(intent)
        article = services.kb.create_article(
            {"slug": slug_for(intent), "language": "en", "title": title,
             "short_answer": short_answer(title), "category": dataset.category},
            edited_by=RESOLVED_BY,
        )
        ids[intent] = article.id
    return ids


def ingest(
    services: Services, dataset: Dataset, advance: Advance | None = None
) -> IngestReport:
    """Articles first, then every training question as an escalation resolved onto its article."""
    start = time.perf_counter()
    article_ids = create_articles(services, dataset)
    article_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for example in dataset.train:
        if example.intent is None:
            continue
        escalation = services.kb.open_escalation(
            EscalationInput(message=example.text, channel="email", language="en")
        )
        services.kb.resolve_escalation(
            escalation.id,
            ResolutionRequest(text="resolved", resolved_by=RESOLVED_BY,
                              article_id=article_ids[example.intent]),
        )
        if advance:
            advance()
    escalation_seconds = time.perf_counter() - start
    services.index.flush()
    start = time.perf_counter()
    services.index.wait_for_head()
    return IngestReport(len(article_ids), len(dataset.train), article_seconds,
                        escalation_seconds, time.perf_counter() - start)
