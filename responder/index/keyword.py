"""BM25 keyword scores with Snowball stemming, updated in place; one index per language.

The usual BM25 libraries (rank-bm25, bm25s) rebuild their matrices on every change; the KB
changes one text at a time and must be searchable at once, so the index here is a small
inverted index that adds and removes documents incrementally. Stemming is PyStemmer's.
Each term's postings are turned into numpy arrays on first use and kept until a document
with that term changes, so a query costs a few vector operations, not a Python loop per
posting.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import cache

import numpy as np
import Stemmer

STEMMER_NAMES = {"en": "english", "da": "danish", "nb": "norwegian", "de": "german",
                 "ru": "russian"}
_WORD = re.compile(r"\w+", re.UNICODE)
K1 = 1.2
B = 0.75


@cache
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    name = STEMMER_NAMES.get(language)
    return Stemmer.Stemmer(name) if name else None


def tokens(text: str, language: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower().replace("ё", "е")) if not w.isdigit()]
    stemmer = _stemmer(language)
    return stemmer.stemWords(words) if stemmer else words


class KeywordIndex:
    def __init__(self) -> None:
        self._postings: dict[str, dict[int, int]] = defaultdict(dict)
        self._lengths: dict[int, int] = {}
        self._terms: dict[int, list[str]] = {}
        self._total_length = 0
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, doc_id: int, text: str, language: str) -> None:
        self.add_counts(doc_id, Counter(tokens(text, language)))

    def add_counts(self, doc_id: int, counts: Counter[str]) -> None:
        """Add a document already tokenised (see `tokens`), e.g. outside a lock."""
        if doc_id in self._lengths:
            self.remove(doc_id)
        for term, tf in counts.items():
            self._postings[term][doc_id] = tf
            self._arrays.pop(term, None)
        length = sum(counts.values())
        self._terms[doc_id] = list(counts)
        self._lengths[doc_id] = length
        self._total_length += length

    def remove(self, doc_id: int) -> None:
        length = self._lengths.pop(doc_id, None)
        if length is None:
            return
        self._total_length -= length
        for term in self._terms.pop(doc_id):
            self._arrays.pop(term, None)
            del self._postings[term][doc_id]
            if not self._postings[term]:
                del self._postings[term]

    def _term_arrays(self, term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        arrays = self._arrays.get(term)
        if arrays is None:
            docs = self._postings[term]
            ids = np.fromiter(docs.keys(), dtype=np.int64, count=len(docs))
            tfs = np.fromiter(docs.values(), dtype=np.float64, count=len(docs))
            lengths = np.fromiter((self._lengths[i] for i in docs), dtype=np.float64,
                                  count=len(docs))
            arrays = self._arrays[term] = (ids, tfs, lengths)
        return arrays

    def scores(self, query: str, language: str, limit: int | None = None) -> dict[int, float]:
        """BM25 of the documents sharing a term with the query (the best `limit` of them),
        divided by the most any document could score (every query term, saturated): an
        absolute 0-1 measure of how much of the query, weighted by rarity, a document holds."""
        n = len(self._lengths)
        terms = set(tokens(query, language))
        if n == 0 or not terms:
            return {}
        average = self._total_length / n or 1.0
        ceiling = 0.0
        all_ids, all_scores = [], []
        for term in terms:
            df = len(self._postings.get(term, ()))
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            ceiling += idf * (K1 + 1)
            if df:
                ids, tfs, lengths = self._term_arrays(term)
                all_ids.append(ids)
                all_scores.append(idf * tfs * (K1 + 1) / (tfs + K1 * (1 - B + B * lengths
                                                                       / average)))
        if not all_ids:
            return {}
        unique, inverse = np.unique(np.concatenate(all_ids), return_inverse=True)
        totals = np.bincount(inverse, weights=np.concatenate(all_scores)) / ceiling
        if limit is not None and len(unique) > limit:
            keep = np.argpartition(-totals, limit)[:limit]
            unique, totals = unique[keep], totals[keep]
        return dict(zip(unique.tolist(), totals.tolist(), strict=True))
