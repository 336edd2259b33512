"""Floors on the held-out tone set (benchmarks/data/tone/holdout, written 2026-12-06), so a
lexicon edit that costs precision or recall fails the build. Figures are reported by
`python -m benchmarks.tone` (the lexicons and the insult score) and `--with-embedding` (the
answer path, with the learnt escalation score: what every channel uses); the lexicon floors
sit a few points under the figures, the answer path's are issue 14's (90 % precision and
recall of "escalated" in every language). A failure here says only which figure fell: never
read the holdout's errors to fix it, tune on `--split tuning`."""

from __future__ import annotations

import pytest

from benchmarks.tone import evaluate, with_embedding

LANGUAGES = ("en", "da", "nb", "de", "ru")


@pytest.fixture(scope="module")
def figures() -> dict:
    return evaluate("holdout")


def test_every_language_has_100_labelled_messages_half_escalated(figures) -> None:
    for language in LANGUAGES:
        row = figures["languages"][language]
        assert row["n"] >= 100 and row["support"] * 2 == row["n"], language


def test_escalation_signs_are_found_with_precision_and_recall_overall(figures) -> None:
    overall = figures["overall"]
    assert overall["precision"] >= 0.93 and overall["recall"] >= 0.88, overall


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_language_is_left_behind(figures, language: str) -> None:
    row = figures["languages"][language]
    assert row["precision"] >= 0.90 and row["recall"] >= 0.86, row


def test_what_routing_relies_on_insults_threats_and_requests_for_a_person(figures) -> None:
    cues = figures["cues"]
    for kind in ("insult", "threat", "human"):
        assert cues[kind]["precision"] >= 0.70 and cues[kind]["recall"] >= 0.60, (kind, cues[kind])


@pytest.fixture(scope="module")
def answer_path() -> dict:
    return evaluate("holdout", detect=with_embedding())


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_answer_path_reads_every_language_with_90_percent_precision_and_recall(
        answer_path, language: str) -> None:
    row = answer_path["languages"][language]
    assert row["precision"] >= 0.90 and row["recall"] >= 0.90, row
