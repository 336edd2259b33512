"""Shared by run and calibrate: a fresh KB per dataset, ingested with progress bars."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from benchmarks.datasets import Dataset, Example
from benchmarks.ingest import IngestReport, fresh_services, ingest
from benchmarks.queries import Advance, Outcome, run_queries
from responder.wiring import Services


def add_threads_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threads", type=int, metavar="N",
                        help="torch and FAISS threads (default: RESPONDER_THREADS, else all "
                        "cores); 1 avoids thread thrashing on a busy machine")


def progress_bars(console: Console | None = None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TaskProgressColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    )


def tracker(progress: Progress, description: str, total: int) -> Advance:
    task = progress.add_task(description, total=total)

    def advance() -> None:
        progress.advance(task)

    return advance


@contextmanager
def ingested(
    dataset: Dataset, progress: Progress, workdir: Path | None = None,
    threads: int | None = None,
) -> Iterator[tuple[Services, IngestReport]]:
    """A fresh KB holding one article per intent and every training question."""
    with fresh_services(workdir, threads) as services:
        advance = tracker(progress, f"{dataset.name}: ingest", len(dataset.train))
        yield services, ingest(services, dataset, advance)


def queries(
    services: Services, examples: list[Example], progress: Progress, description: str
) -> list[Outcome]:
    return run_queries(services, examples, tracker(progress, description, len(examples)))
