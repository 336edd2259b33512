"""Hybrid retrieval: dense vectors plus BM25, fused per article, in the customer's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from responder.config import Settings
from responder.index.calibration import Calibration
from responder.index.search_index import SearchIndex
from responder.models import Article, Hit, SearchResult, SearchText, Status, Visibility


class Audience(StrEnum):
    CUSTOMER = "customer"  # published, public articles only
    AGENT = "agent"  # also internal articles and drafts


@dataclass
class _Group:
    """One article across its translations, with its best-matching text."""

    slug: str
    article: Article
    similarities: list[float] = field(default_factory=list)
    best: float = -1.0
    keyword: float = 0.0
    text: SearchText | None = None


class Retriever:
    def __init__(
        self, index: SearchIndex, calibration: Calibration, settings: Settings,
        head_calibration: Calibration | None = None,
    ) -> None:
        self.index = index
        self.calibration = calibration  # retrieval alone
        self.head_calibration = head_calibration or calibration  # retrieval plus article head
        self.settings = settings

    def embed_query(self, query: str) -> np.ndarray:
        return self.index.embedder.embed([query], prefix=self.settings.query_prefix)[0]

    def search(
        self, query: str, language: str, *, k: int = 5, audience: Audience = Audience.CUSTOMER,
        category: str | None = None, vector: np.ndarray | None = None,
    ) -> SearchResult:
        """Rank articles for one query. The index is brought up to the newest KB revision this
        process knows of first, and read under one lock, so the whole search sees one state."""
        if vector is None:
            vector = self.embed_query(query)
        self.index.ensure_current()
        with self.index.reading():
            return self._search(query, language, vector, k, _filter(audience, category))

    def _search(
        self, query: str, language: str, vector: np.ndarray, k: int,
        allowed: Callable[[Article], bool],
    ) -> SearchResult:
        groups: dict[str, _Group] = {}
        projected = self.index.project_query(vector)
        dense = self.index.dense(projected, self.settings.candidates)
        floor = dense[-1][1] if dense else 0.0
        for text_id, score in dense:
            group = self._group(groups, text_id, allowed)
            if group:
                group.similarities.append(score)
                if score > group.best:
                    group.best, group.text = score, self.index.texts[text_id]
        keyword = self.index.keyword_scores(query, language, self.settings.candidates)
        for text_id, score in keyword.items():
            group = self._group(groups, text_id, allowed)
            if group:
                group.keyword = max(group.keyword, score)
                if group.text is None:
                    group.text = self.index.texts[text_id]
        scores = self._dense_scores(groups, projected, floor)
        head = self._head_scores(groups, projected, language)
        return SearchResult(query, language,
                            self._rank(groups, scores, head, language, k, allowed))

    def search_many(
        self, queries: Sequence[str], language: str, *, k: int = 5,
        audience: Audience = Audience.CUSTOMER, category: str | None = None,
    ) -> SearchResult:
        """Match several readings of one message (the whole text, its content without the
        venting, its content sentences) embedded in one batch; each article keeps its best.

        An angry "Your stupid machine ATE MY CARD!!!" is matched as "machine ate my card" too,
        so the anger cannot hide what is asked."""
        unique = list(dict.fromkeys(q for q in queries if q.strip()))
        vectors = self.index.embedder.embed(unique, prefix=self.settings.query_prefix)
        allowed = _filter(audience, category)
        best: dict[str, Hit] = {}
        self.index.ensure_current()
        with self.index.reading():
            for query, vector in zip(unique, vectors, strict=True):
                for hit in self._search(query, language, vector, k, allowed).hits:
                    kept = best.get(hit.article.slug)
                    if kept is None or hit.score > kept.score:
                        best[hit.article.slug] = hit
        ranked = sorted(best.values(), key=lambda h: -h.score)
        return SearchResult(unique[0] if unique else "", language, ranked[:k],
                            vector=vectors[0] if len(unique) else None)

    def _dense_scores(
        self, groups: dict[str, _Group], query: np.ndarray, floor: float
    ) -> dict[str, float]:
        """Per article: the mean of its `neighbours` best texts (texts outside the candidates
        count as the floor), blended with the similarity to its prototype. Many examples make
        the nearest neighbours reliable, few make the prototype the better judge: the
        prototype weighs as much as `prototype_prior` texts (shrinkage)."""
        k = self.settings.neighbours
        prior = self.settings.prototype_prior
        scores = {}
        for slug, group in groups.items():
            best = sorted(group.similarities, reverse=True)[:k]
            nearest = (sum(best) + floor * (k - len(best))) / k
            prototype = self.index.prototype(slug) if prior else None
            share = prior / (prior + self.index.text_count(slug))
            if prototype is not None:
                centre = float(prototype @ query)
            else:
                centre = nearest
            scores[slug] = (1 - share) * nearest + share * centre
        return scores

    def _head_scores(self, groups: dict[str, _Group], query: np.ndarray, language: str
                     ) -> dict[str, float] | None:
        """The head's weighted log-probability per candidate; None (retrieval alone) when
        there is no head, when a candidate is newer than it (until the background fit
        catches up, so a new article is matchable at once), or when a candidate exists only
        in other languages than the question's (see ArticleHead.knows)."""
        head = self.index.head()
        slugs = list(groups)
        if head is None or not slugs or not head.knows(slugs, language):
            return None
        weight = self.settings.head_weight
        return {slug: weight * value
                for slug, value in head.log_probabilities(query, slugs).items()}

    def _group(
        self, groups: dict[str, _Group], text_id: int, allowed: Callable[[Article], bool]
    ) -> _Group | None:
        text = self.index.texts.get(text_id)
        article = self.index.articles.get(text.article_id) if text else None
        if article is None or not allowed(article):
            return None
        group = groups.get(article.slug)
        if group is None:
            group = groups[article.slug] = _Group(article.slug, article)
        return group

    def _rank(
        self, groups: dict[str, _Group], dense: dict[str, float],
        head: dict[str, float] | None, language: str, k: int, allowed: Callable[[Article], bool],
    ) -> list[Hit]:
        if not groups:
            return []
        weight = self.settings.keyword_weight
        fused = {slug: dense[slug] + weight * g.keyword + (head[slug] if head else 0.0)
                 for slug, g in groups.items()}
        calibration = self.calibration if head is None else self.head_calibration
        floor = min(fused.values())
        order = sorted(fused, key=lambda s: -fused[s])
        hits = []
        for rank, slug in enumerate(order[:k]):
            group = groups[slug]
            if rank > 0:
                best_other = fused[order[0]]
            else:
                best_other = fused[order[1]] if len(order) > 1 else floor
            article, fallback = self._in_language(group.article, language, allowed)
            text = group.text
            hits.append(Hit(
                article=article,
                score=calibration.confidence(fused[slug], fused[slug] - best_other),
                dense=dense[slug],
                keyword=group.keyword,
                matched_text=text.text if text else "",
                matched_kind=text.kind if text else "",
                fallback_language=fallback,
            ))
        return hits

    def _in_language(
        self, article: Article, language: str, allowed: Callable[[Article], bool]
    ) -> tuple[Article, bool]:
        """The customer's language version if it exists, else the matched one (flagged)."""
        if article.language == language:
            return article, False
        for other in self.index.translations(article.slug):
            if other.language == language and allowed(other):
                return other, False
        return article, True


def _filter(audience: Audience, category: str | None) -> Callable[[Article], bool]:
    def allowed(article: Article) -> bool:
        content = article.content
        if category and content.category != category:
            return False
        if content.status is Status.ARCHIVED:
            return False
        if audience is Audience.AGENT:
            return True
        return content.status is Status.PUBLISHED and content.visibility is Visibility.PUBLIC

    return allowed
