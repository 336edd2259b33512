"""The searchable state derived from one KB revision: vectors, keyword postings, articles.

It knows nothing of locks or the database: `SearchIndex` prepares a `Delta` (texts with their
vectors, already tokenised) without any lock, and installs it here under its write lock, so
installing is bookkeeping only (milliseconds), never model work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from responder.index.keyword import KeywordIndex, tokens
from responder.index.language_subspace import LanguageSubspace
from responder.index.vectors import VectorIndex
from responder.models import Article, SearchText

_PROTOTYPE_CHUNK = 4096


@dataclass
class Delta:
    """A change to install: texts to add (with their vectors and tokens) and ids to remove,
    articles written and articles deleted."""

    added: list[SearchText] = field(default_factory=list)
    vectors: np.ndarray | None = None  # one row per added text
    tokens: list[Counter[str]] = field(default_factory=list)  # one per added text
    removed: set[int] = field(default_factory=set)
    articles: list[Article] = field(default_factory=list)
    deleted_articles: set[int] = field(default_factory=set)


def tokenise(texts: Iterable[SearchText]) -> list[Counter[str]]:
    return [Counter(tokens(t.text, t.language)) for t in texts]


class IndexState:
    def __init__(self, vectors: VectorIndex, subspace: LanguageSubspace) -> None:
        self.vectors = vectors
        self.language_subspace = subspace
        self.keyword: dict[str, KeywordIndex] = {}  # per language: IDF within the language
        self.texts: dict[int, SearchText] = {}
        self.articles: dict[int, Article] = {}
        self.by_slug: dict[str, dict[str, int]] = {}
        # Sum and count of each article's vectors: the prototype of an article is the mean
        # over all its texts in every language, which averages away much of the language.
        self._sums: dict[int, np.ndarray] = {}
        self._counts: dict[int, int] = {}
        self._prototypes: dict[str, np.ndarray | None] = {}  # cleared by every install

    # -- installing (the caller holds the write lock) ------------------------------------------
    def install(self, delta: Delta) -> None:
        self._prototypes.clear()
        for article_id in delta.deleted_articles:
            self._forget(article_id)
        for article in delta.articles:
            self._remember(article)
        gone = [i for i in sorted(delta.removed) if i in self.texts or i in self.vectors]
        self._add_to_prototypes(gone, sign=-1.0)
        self.vectors.remove(gone)
        for text_id in gone:
            text = self.texts.pop(text_id, None)
            if text is not None and text.language in self.keyword:
                self.keyword[text.language].remove(text_id)
        fresh = [t for t in delta.added if t.id not in self.texts]
        if fresh and delta.vectors is not None:
            rows = [i for i, t in enumerate(delta.added) if t.id not in self.texts]
            for row in rows:
                text = delta.added[row]
                self.texts[text.id] = text
                self.keyword.setdefault(text.language, KeywordIndex()).add_counts(
                    text.id, delta.tokens[row])
            self.vectors.add([t.id for t in fresh], delta.vectors[rows])
            self._add_to_prototypes([t.id for t in fresh], sign=1.0)

    def register(self, texts: list[SearchText], counts: list[Counter[str]]) -> None:
        """Texts whose vectors the index already holds (loaded from disk)."""
        for text, terms in zip(texts, counts, strict=True):
            self.texts[text.id] = text
            self.keyword.setdefault(text.language, KeywordIndex()).add_counts(text.id, terms)

    def refresh_prototypes(self) -> None:
        self._sums, self._counts = {}, {}
        self._prototypes.clear()
        self.language_subspace.clear()
        ids = sorted(self.vectors.ids & set(self.texts))
        for start in range(0, len(ids), _PROTOTYPE_CHUNK):
            self._add_to_prototypes(ids[start : start + _PROTOTYPE_CHUNK], sign=1.0)
        self.language_subspace.refresh()  # computed now, not by the first search

    def _remember(self, article: Article) -> None:
        self._forget(article.id)  # its slug or language may have changed
        self.articles[article.id] = article
        self.by_slug.setdefault(article.slug, {})[article.language] = article.id

    def _forget(self, article_id: int) -> None:
        old = self.articles.pop(article_id, None)
        if old is not None:
            versions = self.by_slug.get(old.slug, {})
            versions.pop(old.language, None)
            if not versions:
                self.by_slug.pop(old.slug, None)

    def _add_to_prototypes(self, text_ids: list[int], sign: float) -> None:
        live = [i for i in text_ids if i in self.texts and i in self.vectors]
        vectors = self.vectors.vectors_of(live)
        by_language: dict[str, list[int]] = {}
        for row, text_id in enumerate(live):
            by_language.setdefault(self.texts[text_id].language, []).append(row)
        for language, rows in by_language.items():
            self.language_subspace.add(language, vectors[rows], sign)
        dim = self.vectors.dim
        for text_id, vector in zip(live, vectors, strict=True):
            article_id = self.texts[text_id].article_id
            if article_id not in self._sums:
                self._sums[article_id] = np.zeros(dim, dtype=np.float64)
                self._counts[article_id] = 0
            self._sums[article_id] += sign * vector
            self._counts[article_id] += int(sign)
            if self._counts[article_id] <= 0:
                del self._sums[article_id], self._counts[article_id]

    # -- reading (the caller holds the read lock) ----------------------------------------------
    def translations(self, slug: str) -> list[Article]:
        return [self.articles[i] for i in self.by_slug.get(slug, {}).values()]

    def text_count(self, slug: str) -> int:
        """How many vectors the article has, over all its translations."""
        return sum(self._counts.get(i, 0) for i in self.by_slug.get(slug, {}).values())

    def prototype(self, slug: str) -> np.ndarray | None:
        """Unit mean vector of every text of every translation of the article, with the
        language directions removed."""
        if slug in self._prototypes:
            return self._prototypes[slug]
        ids = [i for i in self.by_slug.get(slug, {}).values() if i in self._sums]
        vector = None
        if ids:
            total = np.sum([self._sums[i] for i in ids], axis=0)
            if float(np.linalg.norm(total)):
                vector = self.language_subspace.project(total.astype(np.float32)[None, :])[0]
        self._prototypes[slug] = vector
        return vector
