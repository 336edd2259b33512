"""The searchable state derived from the KB: vectors, keyword postings, article catalogue.

The database is the source of truth. The FAISS file under index/ only saves start-up time:
on open it is loaded if its manifest matches the configured model, then caught up with the
database by comparing search-text ids (rows are immutable, so ids say everything).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from responder.config import Settings
from responder.index.article_head import ArticleHead, TrainingSet
from responder.index.embedder import Embedder, cache_key
from responder.index.head_keeper import HeadKeeper
from responder.index.keyword import KeywordIndex
from responder.index.language_subspace import LanguageSubspace, load_reference
from responder.index.manifest import Manifest
from responder.index.vectors import VectorIndex
from responder.kb.store import Change, KBStore
from responder.models import Article, SearchText, Status

log = logging.getLogger(__name__)
SAVE_EVERY_SECONDS = 30.0
HNSW_REBUILD_SHARE = 0.2
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SyncReport:
    loaded_from_disk: bool
    rebuilt_reason: str | None
    added: int
    removed: int
    embedded: int  # texts the model had to embed (the rest came from the vector cache)


@dataclass(frozen=True)
class VerifyReport:
    db_texts: int
    index_vectors: int
    missing: list[int]  # in the database, not in the index
    extra: list[int]  # in the index, not in the database
    manifest_problem: str | None
    index_revision: int | None  # KB revision when the index was saved (edits of body text
    db_revision: int  # change the revision without changing any searchable text)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra and self.manifest_problem is None


class SearchIndex:
    def __init__(self, store: KBStore, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.directory = settings.index_dir
        self.vectors = VectorIndex(embedder.dim, settings.index_kind)
        self.keyword: dict[str, KeywordIndex] = {}  # per language: IDF within the language
        self.texts: dict[int, SearchText] = {}
        self.articles: dict[int, Article] = {}
        # Sum and count of each article's vectors: the prototype of an article is the mean
        # over all its texts in every language, which averages away much of the language.
        self._sums: dict[int, np.ndarray] = {}
        self._counts: dict[int, int] = {}
        self._prototypes: dict[str, np.ndarray | None] = {}  # cleared by every write
        self.language_subspace = LanguageSubspace(
            embedder.dim, settings.language_components,
            load_reference(embedder.model_id, embedder.dim))
        self._by_slug: dict[str, dict[str, int]] = {}
        self._lock = threading.RLock()
        self._built_at = _now()
        self._dirty = False
        self._last_save = 0.0
        self.generation = 0  # bumped by every change of what is searchable
        self._head_keeper = HeadKeeper(self.training_set,
                                       weight_decay=settings.head_weight_decay,
                                       max_iter=settings.head_max_iter,
                                       path=self.head_path)

    # -- paths ---------------------------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        return self.directory / "vectors.faiss"

    @property
    def manifest_path(self) -> Path:
        return self.directory / "manifest.json"

    @property
    def head_path(self) -> Path:
        return self.directory / "article_head.npz"

    # -- lifecycle -----------------------------------------------------------------------------
    def open(self, progress: Progress | None = None) -> SyncReport:
        """Load the saved index when it fits, else rebuild; then catch up with the database."""
        with self._lock:
            manifest = Manifest.load(self.manifest_path)
            reason = self._unusable(manifest)
            loaded = False
            if reason is None and manifest is not None:
                try:
                    self.vectors = VectorIndex.load(
                        self.index_path, manifest.dim, manifest.index_kind, set(manifest.ids)
                    )
                    self._built_at = manifest.built_at
                    loaded = True
                except RuntimeError as exc:
                    reason = f"the saved index could not be read ({exc})"
            if reason:
                log.warning("rebuilding the index from the database: %s", reason)
                self.vectors = VectorIndex(self.embedder.dim, self.settings.index_kind)
                self._built_at = _now()
            self.articles = {}
            self._by_slug = {}
            for article in self.store.list_articles():
                self._remember(article)
            texts = self.store.search_texts()
            self.texts = {t.id: t for t in texts}
            self.keyword = {}
            for text in texts:
                self._keyword_add(text)
            report = self._catch_up(progress)
            self._rebuild_prototypes()
            self._changed()
            self.save()
            return SyncReport(loaded, reason, *report)

    def _unusable(self, manifest: Manifest | None) -> str | None:
        if manifest is None:
            return "no saved index" if not self.manifest_path.exists() else "unreadable manifest"
        if not self.index_path.exists():
            return "the manifest has no index file beside it"
        problem = manifest.mismatch(self.embedder.model_id, self.embedder.dim,
                                    self.settings.index_kind)
        return f"it does not match the settings: {problem}" if problem else None

    def rebuild(self, progress: Progress | None = None) -> SyncReport:
        with self._lock:
            for path in (self.index_path, self.manifest_path, self.head_path):
                path.unlink(missing_ok=True)
            return self.open(progress)

    def _catch_up(self, progress: Progress | None) -> tuple[int, int, int]:
        in_db = set(self.texts)
        in_index = self.vectors.ids
        extra = sorted(in_index - in_db)
        self.vectors.remove(extra)
        missing = [self.texts[i] for i in sorted(in_db - in_index)]
        embedded = self._add_vectors(missing, progress)
        if extra or missing:
            self._dirty = True
        return len(missing), len(extra), embedded

    # -- changes -------------------------------------------------------------------------------
    def apply(self, change: Change) -> None:
        """Make a committed write searchable now; persisting to disk is debounced."""
        with self._lock:
            for article in change.articles:
                self._remember(article)
            for article_id in change.deleted_articles:
                self._forget(article_id)
            self._add_to_prototypes(change.removed, sign=-1.0)
            self.vectors.remove(change.removed)
            for text_id in change.removed:
                removed = self.texts.pop(text_id, None)
                if removed is not None:
                    self.keyword[removed.language].remove(text_id)
            for text in change.added:
                self.texts[text.id] = text
                self._keyword_add(text)
            self._add_vectors(change.added, None)
            self._dirty = True
            self._add_to_prototypes([t.id for t in change.added], sign=1.0)
            if self.vectors.tombstone_share > HNSW_REBUILD_SHARE:
                self.vectors = VectorIndex(self.embedder.dim, self.settings.index_kind)
                self._add_vectors(list(self.texts.values()), None)
            self._changed()
            if time.monotonic() - self._last_save > SAVE_EVERY_SECONDS:
                self.save()

    def _add_vectors(self, texts: list[SearchText], progress: Progress | None) -> int:
        """Vectors from the cache where the text is unchanged; the model embeds the rest."""
        if not texts:
            return 0
        keys = [cache_key(self._prefix(t.kind), t.text) for t in texts]
        model_id = self.embedder.model_id
        cached = self.store.get_vectors(model_id, keys)
        todo = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in cached]
        batch = max(self.settings.embed_batch_size * 4, 64)
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            fresh: dict[str, bytes] = {}
            for prefix in {self._prefix(t.kind) for _, t in part}:
                same = [(k, t) for k, t in part if self._prefix(t.kind) == prefix]
                matrix = self.embedder.embed([t.text for _, t in same], prefix=prefix)
                fresh.update({k: row.tobytes() for (k, _), row in zip(same, matrix, strict=True)})
            self.store.put_vectors(model_id, fresh)
            cached.update(fresh)
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
        matrix = np.vstack([np.frombuffer(cached[k], dtype=np.float32) for k in keys])
        self.vectors.add([t.id for t in texts], matrix)
        return len(todo)

    def _changed(self) -> None:
        self.generation += 1
        if self.settings.head_weight:
            self._head_keeper.changed(self.generation)

    # -- the article head ----------------------------------------------------------------------
    def head(self) -> ArticleHead | None:
        """The latest trained head (it may lag the newest writes by a training run)."""
        return self._head_keeper.head if self.settings.head_weight else None

    def wait_for_head(self, timeout: float | None = None) -> bool:
        """Block until the head has learnt the newest change (one-shot commands, benchmarks,
        tests); a server does not wait."""
        return not self.settings.head_weight or self._head_keeper.wait(timeout)

    def training_set(self) -> TrainingSet:
        """Every indexed text of every non-archived article, projected, labelled by slug."""
        with self._lock:
            ids, labels, languages = [], [], []
            for text_id in sorted(self.vectors.ids & set(self.texts)):
                text = self.texts[text_id]
                article = self.articles.get(text.article_id)
                if article is not None and article.content.status is not Status.ARCHIVED:
                    ids.append(text_id)
                    labels.append(article.slug)
                    languages.append(text.language)
            vectors = self.vectors.vectors_of(ids)
            projected = self.language_subspace.project(vectors) if ids else vectors
            return TrainingSet(self.generation, projected, labels, languages)

    def close(self) -> None:
        self._head_keeper.close()
        self.flush()

    def _rebuild_prototypes(self) -> None:
        self._sums, self._counts = {}, {}
        self.language_subspace.clear()
        ids = sorted(self.vectors.ids & set(self.texts))
        for start in range(0, len(ids), 4096):
            self._add_to_prototypes(ids[start : start + 4096], sign=1.0)

    def _add_to_prototypes(self, text_ids: list[int], sign: float) -> None:
        self._prototypes.clear()
        live = [i for i in text_ids if i in self.texts and i in self.vectors]
        vectors = self.vectors.vectors_of(live)
        by_language: dict[str, list[int]] = {}
        for row, text_id in enumerate(live):
            by_language.setdefault(self.texts[text_id].language, []).append(row)
        for language, rows in by_language.items():
            self.language_subspace.add(language, vectors[rows], sign)
        for text_id, vector in zip(live, vectors, strict=True):
            article_id = self.texts[text_id].article_id
            if article_id not in self._sums:
                self._sums[article_id] = np.zeros(self.embedder.dim, dtype=np.float64)
                self._counts[article_id] = 0
            self._sums[article_id] += sign * vector
            self._counts[article_id] += int(sign)
            if self._counts[article_id] <= 0:
                del self._sums[article_id], self._counts[article_id]

    def text_count(self, slug: str) -> int:
        """How many vectors the article has, over all its translations."""
        return sum(self._counts.get(i, 0) for i in self._by_slug.get(slug, {}).values())

    def prototype(self, slug: str) -> np.ndarray | None:
        """Unit mean vector of every text of every translation of the article, with the
        language directions removed."""
        if slug in self._prototypes:
            return self._prototypes[slug]
        ids = [i for i in self._by_slug.get(slug, {}).values() if i in self._sums]
        vector = None
        if ids:
            total = np.sum([self._sums[i] for i in ids], axis=0)
            if float(np.linalg.norm(total)):
                vector = self.language_subspace.project(total.astype(np.float32)[None, :])[0]
        self._prototypes[slug] = vector
        return vector

    def _keyword_add(self, text: SearchText) -> None:
        self.keyword.setdefault(text.language, KeywordIndex()).add(text.id, text.text,
                                                                   text.language)

    def _prefix(self, kind: str) -> str:
        # Example questions are customer questions: E5 matches query to query best.
        if kind == "question":
            return self.settings.query_prefix
        return self.settings.passage_prefix

    # -- persistence and checks ----------------------------------------------------------------
    def save(self) -> None:
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.vectors.save(self.index_path)
            Manifest(
                model_id=self.embedder.model_id, dim=self.embedder.dim,
                index_kind=self.settings.index_kind, kb_revision=self.store.revision(),
                built_at=self._built_at, saved_at=_now(), count=len(self.vectors),
                ids=sorted(self.vectors.ids),
            ).save(self.manifest_path)
            self._dirty = False
            self._last_save = time.monotonic()

    def flush(self) -> None:
        if self._dirty:
            self.save()

    def verify(self) -> VerifyReport:
        """Compare the saved index on disk with the database, without changing either."""
        manifest = Manifest.load(self.manifest_path)
        problem = self._unusable(manifest)
        in_db = self.store.search_text_ids()
        saved: set[int] = set(manifest.ids) if manifest and problem is None else set()
        return VerifyReport(
            db_texts=len(in_db), index_vectors=len(saved),
            missing=sorted(in_db - saved), extra=sorted(saved - in_db), manifest_problem=problem,
            index_revision=manifest.kb_revision if manifest else None,
            db_revision=self.store.revision(),
        )

    def _remember(self, article: Article) -> None:
        self._prototypes.clear()
        self._forget(article.id)  # its slug or language may have changed
        self.articles[article.id] = article
        self._by_slug.setdefault(article.slug, {})[article.language] = article.id

    def _forget(self, article_id: int) -> None:
        old = self.articles.pop(article_id, None)
        if old is not None:
            versions = self._by_slug.get(old.slug, {})
            versions.pop(old.language, None)
            if not versions:
                self._by_slug.pop(old.slug, None)

    # -- reading -------------------------------------------------------------------------------
    def translations(self, slug: str) -> list[Article]:
        return [self.articles[i] for i in self._by_slug.get(slug, {}).values()]

    def project_query(self, vector: np.ndarray) -> np.ndarray:
        """The query with the language directions removed, unit length."""
        with self._lock:
            return self.language_subspace.project(vector[None, :])[0]

    def dense(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The `k` texts nearest to a projected query (`project_query`), by cosine after the
        language directions are removed from the texts too: the raw index is searched for
        twice as many, then each dot product is divided by its text's projected length."""
        with self._lock:
            found = self.vectors.search(query, 2 * k)
            stored = self.vectors.vectors_of([i for i, _ in found])
            norms = self.language_subspace.kept_norms(stored)
            scored = sorted(((i, s / float(n)) for (i, s), n in zip(found, norms, strict=True)),
                            key=lambda pair: -pair[1])
            return scored[:k]

    def keyword_scores(
        self, query: str, language: str, limit: int | None = None
    ) -> dict[int, float]:
        """Only texts in the query's language: keywords do not cross languages."""
        with self._lock:
            index = self.keyword.get(language)
            return index.scores(query, language, limit) if index else {}

    def texts_of(self, ids: Iterable[int]) -> list[SearchText]:
        return [self.texts[i] for i in ids if i in self.texts]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
