"""The language component of multilingual embeddings, measured so it can be discounted.

E5-style multilingual vectors carry a strong language signal: a German question is closer to
any German text than to the English text that answers it. The mean vector of each language's
texts measures that signal. Moving the query by the difference of the two languages' means
before comparing it with texts in the other language (vector offset, as in "language-neutral"
representations) puts them on a more equal footing, while a one-language KB is matched
exactly as before.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

# A language's mean is trusted once it averages this many texts.
MIN_TEXTS = 20


class LanguageMeans:
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._sums: dict[str, np.ndarray] = {}
        self._counts: Counter[str] = Counter()
        self._per_article: dict[int, Counter[str]] = {}
        self._matrix: tuple[list[str], np.ndarray] | None = None  # cleared by every change

    def add(self, article_id: int, language: str, vector: np.ndarray, sign: float) -> None:
        self._matrix = None
        if language not in self._sums:
            self._sums[language] = np.zeros(self.dim, dtype=np.float64)
        self._sums[language] += sign * vector
        self._counts[language] += int(sign)
        langs = self._per_article.setdefault(article_id, Counter())
        langs[language] += int(sign)
        if langs[language] <= 0:
            del langs[language]
        if not langs:
            del self._per_article[article_id]

    def clear(self) -> None:
        self.__init__(self.dim)  # type: ignore[misc]

    def _means(self) -> tuple[list[str], np.ndarray]:
        if self._matrix is None:
            langs = sorted(lang for lang, n in self._counts.items() if n >= MIN_TEXTS)
            rows = [self._sums[lang] / self._counts[lang] for lang in langs]
            matrix = np.array(rows, dtype=np.float32).reshape(len(langs), self.dim)
            self._matrix = (langs, matrix)
        return self._matrix

    def views(self, query: np.ndarray, language: str, weight: float) -> dict[str, np.ndarray]:
        """The query moved into each other measured language: q + weight * (m_L - m_query),
        unit length. Compared with texts in L, it has shed the similarity it would only get
        from sharing a language. Empty when the query's language is not measured, or when it
        is the only one (a one-language KB is matched exactly as before)."""
        langs, matrix = self._means()
        if language not in langs or len(langs) < 2 or not weight:
            return {}
        own = matrix[langs.index(language)]
        views = {}
        for lang, mean in zip(langs, matrix, strict=True):
            if lang != language:
                moved = query + weight * (mean - own)
                views[lang] = (moved / np.linalg.norm(moved)).astype(np.float32)
        return views

    def mix(self, article_ids: list[int]) -> dict[str, float]:
        """Share of each language among the texts of these articles (one slug's versions)."""
        total: Counter[str] = Counter()
        for article_id in article_ids:
            total.update(self._per_article.get(article_id, {}))
        n = sum(total.values())
        return {lang: count / n for lang, count in total.items()} if n else {}
