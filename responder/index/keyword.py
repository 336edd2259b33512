"""BM25 keyword scores with Snowball stemming, updated in place; one index per language.

The usual BM25 libraries (rank-bm25, bm25s) rebuild their matrices on every change; the KB
changes one text at a time and must be searchable at once, so the index here is a small
inverted index that adds and removes documents incrementally. Stemming is PyStemmer's.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import cache

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

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, doc_id: int, text: str, language: str) -> None:
        if doc_id in self._lengths:
            self.remove(doc_id)
        counts = Counter(tokens(text, language))
        for term, tf in counts.items():
            self._postings[term][doc_id] = tf
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
            del self._postings[term][doc_id]
            if not self._postings[term]:
                del self._postings[term]

    def scores(self, query: str, language: str) -> dict[int, float]:
        """BM25 of every document sharing a term with the query, divided by the most any
        document could score (every query term, saturated): an absolute 0-1 measure of how
        much of the query, weighted by rarity, a document contains."""
        n = len(self._lengths)
        terms = set(tokens(query, language))
        if n == 0 or not terms:
            return {}
        average = self._total_length / n or 1.0
        result: dict[int, float] = defaultdict(float)
        ceiling = 0.0
        for term in terms:
            docs = self._postings.get(term, {})
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            ceiling += idf * (K1 + 1)
            for doc_id, tf in docs.items():
                norm = tf + K1 * (1 - B + B * self._lengths[doc_id] / average)
                result[doc_id] += idf * tf * (K1 + 1) / norm
        return {doc_id: score / ceiling for doc_id, score in result.items()}
