"""BM25: stemming per language, incremental updates, and the absolute 0-1 normalisation."""

from __future__ import annotations

from responder.index.keyword import KeywordIndex, tokens


def test_stemming_per_language():
    assert tokens("Rückerstattungen", "de") == tokens("Rückerstattung", "de")
    assert tokens("посылки", "ru") == tokens("посылка", "ru")
    assert tokens("pakkerne", "da") == tokens("pakken", "da")


def test_scores_are_between_zero_and_one_and_rank_by_overlap():
    index = KeywordIndex()
    index.add(1, "refund not received", "en")
    index.add(2, "where is my parcel", "en")
    index.add(3, "refund amount lower than expected", "en")
    scores = index.scores("my refund was not received", "en")
    assert set(scores) == {1, 2, 3}
    assert scores[1] > scores[3] > 0 and all(0 < s <= 1 for s in scores.values())


def test_incremental_updates_match_a_fresh_index():
    live, fresh = KeywordIndex(), KeywordIndex()
    for doc_id, text in enumerate(["card lost", "card stolen abroad", "pin blocked", "lost pin"]):
        live.add(doc_id, text, "en")
    live.remove(1)
    live.add(2, "pin blocked after three tries", "en")  # re-adding replaces
    for doc_id, text in [(0, "card lost"), (2, "pin blocked after three tries"), (3, "lost pin")]:
        fresh.add(doc_id, text, "en")
    assert live.scores("lost card pin", "en") == fresh.scores("lost card pin", "en")
    assert len(live) == 3


def test_limit_keeps_the_best():
    index = KeywordIndex()
    for doc_id in range(10):
        index.add(doc_id, "refund " * (doc_id + 1) + "x", "en")
    best = index.scores("refund", "en", limit=3)
    assert len(best) == 3 and set(best) == {7, 8, 9}
