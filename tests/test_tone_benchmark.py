"""Floors on the held-out tone set (benchmarks/data/tone, split `test`), so a lexicon edit
that costs precision or recall fails the build. Figures are reported by
`python -m benchmarks.tone`; these floors sit a few points under them."""

from __future__ import annotations

import pytest

from benchmarks.tone import evaluate

LANGUAGES = ("en", "da", "nb", "de", "ru")


@pytest.fixture(scope="module")
def figures() -> dict:
    return evaluate("test")


def test_every_language_has_at_least_40_labelled_messages_half_escalated(figures) -> None:
    for language in LANGUAGES:
        row = figures["languages"][language]
        assert row["n"] >= 40 and row["support"] * 2 == row["n"], language


def test_escalation_signs_are_found_with_precision_and_recall_overall(figures) -> None:
    overall = figures["overall"]
    assert overall["precision"] >= 0.85 and overall["recall"] >= 0.83, overall


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_language_is_left_behind(figures, language: str) -> None:
    row = figures["languages"][language]
    assert row["precision"] >= 0.80 and row["recall"] >= 0.72, row


def test_what_routing_relies_on_insults_threats_and_requests_for_a_person(figures) -> None:
    cues = figures["cues"]
    for kind in ("insult", "threat", "human"):
        assert cues[kind]["precision"] >= 0.70 and cues[kind]["recall"] >= 0.60, (kind, cues[kind])
