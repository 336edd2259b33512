"""The searchable state derived from the KB, kept in step with the database's change log.

The database is the source of truth; this is a cache of it at one KB revision (`revision`).
It moves forward only by applying the change log (responder/kb/changelog.py) in revision
order, whoever wrote: this process, another worker, a CLI command, another machine on the
same PostgreSQL. It is never ahead of or behind a revision that was committed, and a process
that knows of a newer revision (`note_revision`, from a write of its own or from the follower
thread) catches up before it answers again (`ensure_current`).

The concurrency rule:
- A search holds the read lock for its whole length; any number of searches run at once.
- One applier at a time (`_apply_lock`) moves the state forward. It reads the log and the
  rows in one database snapshot, gets vectors (from the vector cache, or the model) and
  tokenises the new texts, all *without* the read/write lock; then it takes the write lock
  only to install what it prepared (FAISS add/remove, dictionaries): milliseconds.
- The model and the article head's training never run under a lock a search needs, so
  answers keep flowing during a large import.
The FAISS file under index/ only saves start-up time (responder/index/persistence.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from responder.config import Settings
from responder.errors import IndexBehind
from responder.index import persistence
from responder.index.article_head import ArticleHead, TrainingSet
from responder.index.background import Background
from responder.index.embedder import Embedder, cache_key
from responder.index.head_keeper import HeadKeeper
from responder.index.language_subspace import LanguageSubspace, load_reference
from responder.index.manifest import Manifest
from responder.index.rwlock import ReadWriteLock
from responder.index.state import Delta, IndexState, tokenise
from responder.index.vectors import VectorIndex
from responder.kb.changelog import BULK
from responder.kb.store import ChangeBatch, KBStore, Snapshot
from responder.models import Article, SearchText, Status

log = logging.getLogger(__name__)
SAVE_EVERY_SECONDS = 30.0
HNSW_REBUILD_SHARE = 0.2
HEAD_FILE = "article_head.npz"
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
    changed: list[int]  # in both, but the index holds another text's vector
    manifest_problem: str | None
    index_revision: int | None  # KB revision the saved index reflects
    db_revision: int

    @property
    def ok(self) -> bool:
        return (not self.missing and not self.extra and not self.changed
                and self.manifest_problem is None)


class SearchIndex:
    def __init__(self, store: KBStore, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.directory = settings.index_dir
        self._state = self._empty_state()
        self._rw = ReadWriteLock()
        self._apply_lock = threading.Lock()
        self.revision = 0  # the KB revision the state reflects
        self.known = 0  # the newest KB revision this process has heard of
        self._built_at = _now()
        self._dirty = False
        self._last_save = 0.0
        self.generation = 0  # bumped by every change of what is searchable
        self._background = Background("embed-writes")
        self._head_keeper = HeadKeeper(self.training_set,
                                       weight_decay=settings.head_weight_decay,
                                       max_iter=settings.head_max_iter,
                                       path=self.head_path)

    def _empty_state(self, vectors: VectorIndex | None = None) -> IndexState:
        subspace = LanguageSubspace(self.embedder.dim, self.settings.language_components,
                                    load_reference(self.embedder.model_id, self.embedder.dim))
        return IndexState(vectors or VectorIndex(self.embedder.dim, self.settings.index_kind),
                          subspace)

    # -- what searches read (hold `reading()` around a whole search) ---------------------------
    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._rw.reading():
            yield

    @property
    def vectors(self) -> VectorIndex:
        return self._state.vectors

    @property
    def texts(self) -> dict[int, SearchText]:
        return self._state.texts

    @property
    def articles(self) -> dict[int, Article]:
        return self._state.articles

    @property
    def language_subspace(self) -> LanguageSubspace:
        return self._state.language_subspace

    def translations(self, slug: str) -> list[Article]:
        return self._state.translations(slug)

    def text_count(self, slug: str) -> int:
        return self._state.text_count(slug)

    def prototype(self, slug: str) -> np.ndarray | None:
        return self._state.prototype(slug)

    def texts_of(self, ids: Iterable[int]) -> list[SearchText]:
        return [self.texts[i] for i in ids if i in self.texts]

    def project_query(self, vector: np.ndarray) -> np.ndarray:
        """The query with the language directions removed, unit length."""
        with self._rw.reading():
            return self.language_subspace.project(vector[None, :])[0]

    def dense(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The `k` texts nearest to a projected query (`project_query`), by cosine after the
        language directions are removed from the texts too: the raw index is searched for
        twice as many, then each dot product is divided by its text's projected length."""
        with self._rw.reading():
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
        with self._rw.reading():
            index = self._state.keyword.get(language)
            return index.scores(query, language, limit) if index else {}

    # -- paths ---------------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return persistence.manifest_path(self.directory)

    @property
    def head_path(self) -> Path:
        return self.directory / HEAD_FILE

    # -- lifecycle -----------------------------------------------------------------------------
    def open(self, progress: Progress | None = None) -> SyncReport:
        """Load the saved index when it fits, else rebuild; then catch up with the database
        by comparing the content hash of every text."""
        with self._apply_lock:
            manifest = persistence.read_manifest(self.directory)
            reason = self._unusable(manifest)
            base: VectorIndex | None = None
            saved: dict[int, str] = {}
            if reason is None and manifest is not None:
                try:
                    base = persistence.load(self.directory, manifest)
                    saved = manifest.hashes
                    self._built_at = manifest.built_at
                except RuntimeError as exc:
                    reason = f"the saved index could not be read ({exc})"
            if reason:
                log.warning("rebuilding the index from the database: %s", reason)
                self._built_at = _now()
            report = self._resync(self.store.read_all(), base, saved, progress)
        if base is None:
            self._dirty = True
        self.flush()
        return SyncReport(base is not None, reason, *report)

    def _unusable(self, manifest: Manifest | None) -> str | None:
        if manifest is None:
            return "no saved index" if not self.manifest_path.exists() else "unreadable manifest"
        problem = manifest.mismatch(self.embedder.model_id, self.embedder.dim,
                                    self.settings.index_kind)
        return f"it does not match the settings: {problem}" if problem else None

    def rebuild(self, progress: Progress | None = None) -> SyncReport:
        persistence.remove(self.directory, HEAD_FILE)
        return self.open(progress)

    def _resync(
        self, snapshot: Snapshot, base: VectorIndex | None, saved: dict[int, str],
        progress: Progress | None,
    ) -> tuple[int, int, int]:
        """Build a whole new state for `snapshot`, reusing the vectors of `base` whose text is
        unchanged, and swap it in. The caller holds the apply lock."""
        vectors = base or VectorIndex(self.embedder.dim, self.settings.index_kind)
        wanted = {t.id: t for t in snapshot.texts}
        keep = {i for i in vectors.ids if i in wanted and saved.get(i) == wanted[i].content_hash}
        extra = sorted(vectors.ids - keep)
        vectors.remove(extra)
        missing = [t for t in snapshot.texts if t.id not in keep]
        embedded, matrix = self._prepare_vectors(missing, progress)
        state = self._empty_state(vectors)
        state.install(Delta(articles=snapshot.articles))
        kept = [wanted[i] for i in sorted(keep)]
        state.register(kept, tokenise(kept))
        state.install(Delta(added=missing, vectors=matrix, tokens=tokenise(missing)))
        state.refresh_prototypes()
        with self._rw.writing():
            self._state = state
            self._set_revision(snapshot.revision)
        self._dirty = bool(extra or missing)
        self._changed(bulk=False)
        return len(missing), len(extra), embedded

    def close(self) -> None:
        self._head_keeper.close()
        self.flush()
        self._background.close()

    # -- following the KB ----------------------------------------------------------------------
    def note_revision(self, revision: int) -> None:
        """This process has heard that the KB reached `revision` (its own write, or another
        process's through the follower)."""
        self.known = max(self.known, revision)

    def ensure_current(self, timeout: float | None = None) -> None:
        """Catch up first if a newer revision is known; never answer from an index known to
        be behind. Call it *before* `reading()`, never inside."""
        if self.revision < self.known:
            self.catch_up(self.known, timeout=timeout)

    def catch_up(self, until: int | None = None, *, timeout: float | None = None) -> None:
        """Apply the change log up to the newest committed revision (at least `until`)."""
        wait = self.settings.catch_up_timeout if timeout is None else timeout
        if not self._apply_lock.acquire(timeout=wait):
            raise IndexBehind(
                f"The search index is catching up with KB revision {until or self.known} "
                f"(it is at {self.revision}); try again in a moment.")
        try:
            if until is not None and self.revision >= until:
                return
            batch = self.store.changes_since(self.revision)
            if not batch.complete:
                log.warning("the change log no longer reaches back to revision %d; "
                            "comparing the whole index with the database", self.revision)
                self._resync(self.store.read_all(), None, {}, None)
            elif not batch.empty:
                self._apply(batch)
        finally:
            self._apply_lock.release()
        if self._dirty and time.monotonic() - self._last_save > SAVE_EVERY_SECONDS:
            self.save()

    def _apply(self, batch: ChangeBatch) -> None:
        embedded = self._prepare_vectors(batch.added, None)[1]
        delta = Delta(added=batch.added, vectors=embedded, tokens=tokenise(batch.added),
                      removed=batch.removed, articles=batch.articles,
                      deleted_articles=batch.deleted_articles)
        with self._rw.writing():
            self._state.install(delta)
            self._set_revision(batch.revision)
        self.language_subspace.refresh()  # outside the lock: searches use the old one meanwhile
        if self.vectors.tombstone_share > HNSW_REBUILD_SHARE:
            self._compact()
        self._dirty = True
        bulk = bool(batch.kinds) and all(kind == BULK for kind in batch.kinds)
        self._changed(bulk=bulk)

    def _compact(self) -> None:
        """HNSW cannot delete: build a graph without the hidden vectors, then swap it in."""
        ids = sorted(self.vectors.ids)
        fresh = VectorIndex(self.embedder.dim, self.settings.index_kind)
        fresh.add(ids, self.vectors.vectors_of(ids))
        with self._rw.writing():
            self._state.vectors = fresh

    def _set_revision(self, revision: int) -> None:
        self.revision = revision
        self.note_revision(revision)

    # -- vectors -------------------------------------------------------------------------------
    def prepare(self, texts: Sequence[tuple[str, str]]) -> None:
        """Embed (kind, text) pairs into the vector cache before they are written, outside
        every lock: whichever process applies the write then finds its vectors cached."""
        keys = {cache_key(self._prefix(kind), text): (kind, text) for kind, text in texts}
        cached = self.store.get_vectors(self.embedder.model_id, list(keys))
        todo = [pair for key, pair in keys.items() if key not in cached]
        for prefix in {self._prefix(kind) for kind, _ in todo}:
            same = [text for kind, text in todo if self._prefix(kind) == prefix]
            self._embed_and_cache(same, prefix)

    def _prepare_vectors(
        self, texts: list[SearchText], progress: Progress | None
    ) -> tuple[int, np.ndarray]:
        """Vectors from the cache where the text is unchanged; the model embeds the rest."""
        if not texts:
            return 0, np.zeros((0, self.embedder.dim), dtype=np.float32)
        keys = [cache_key(self._prefix(t.kind), t.text) for t in texts]
        cached = self.store.get_vectors(self.embedder.model_id, keys)
        todo = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in cached]
        batch = max(self.settings.embed_batch_size * 4, 64)
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            for prefix in {self._prefix(t.kind) for _, t in part}:
                same = [t.text for _, t in part if self._prefix(t.kind) == prefix]
                cached.update(self._embed_and_cache(same, prefix))
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
        matrix = np.vstack([np.frombuffer(cached[k], dtype=np.float32) for k in keys])
        return len(todo), matrix

    def _embed_and_cache(self, texts: list[str], prefix: str) -> dict[str, bytes]:
        """Embed on the low-priority thread (responder/index/background.py): answers being
        computed meanwhile get the cores first."""
        matrix = self._background.run(lambda: self.embedder.embed(texts, prefix=prefix))
        fresh = {cache_key(prefix, text): row.tobytes()
                 for text, row in zip(texts, matrix, strict=True)}
        self.store.put_vectors(self.embedder.model_id, fresh)
        return fresh

    def _prefix(self, kind: str) -> str:
        # Example questions are customer questions: E5 matches query to query best.
        if kind == "question":
            return self.settings.query_prefix
        return self.settings.passage_prefix

    def _changed(self, *, bulk: bool) -> None:
        self.generation += 1
        if self.settings.head_weight:
            self._head_keeper.changed(self.generation, bulk=bulk)

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
        with self._rw.reading():
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

    # -- persistence and checks ----------------------------------------------------------------
    def save(self) -> None:
        with self._apply_lock, self._rw.reading():
            manifest = Manifest(
                model_id=self.embedder.model_id, dim=self.embedder.dim,
                index_kind=self.settings.index_kind, kb_revision=self.revision,
                built_at=self._built_at, saved_at=_now(), count=len(self.vectors),
                texts={str(i): self.texts[i].content_hash
                       for i in sorted(self.vectors.ids) if i in self.texts},
            )
            persistence.save(self.directory, self.vectors, manifest)
            self._dirty = False
            self._last_save = time.monotonic()

    def flush(self) -> None:
        if self._dirty:
            self.save()

    def verify(self) -> VerifyReport:
        """Compare the saved index on disk with the database, text by text, without changing
        either: ids, content hashes, and each saved vector against the one cached for its
        text."""
        manifest = persistence.read_manifest(self.directory)
        problem = self._unusable(manifest)
        snapshot = self.store.read_all()
        in_db = {t.id: t for t in snapshot.texts}
        saved: dict[int, str] = {}
        vectors: VectorIndex | None = None
        if manifest is not None and problem is None:
            try:
                vectors = persistence.load(self.directory, manifest)
                saved = manifest.hashes
            except RuntimeError as exc:
                problem = f"the saved index could not be read ({exc})"
        both = sorted(set(in_db) & set(saved))
        changed = [i for i in both if saved[i] != in_db[i].content_hash]
        if vectors is not None:
            changed += self._vectors_differ(vectors, [in_db[i] for i in both if i not in changed])
        return VerifyReport(
            db_texts=len(in_db), index_vectors=len(saved),
            missing=sorted(set(in_db) - set(saved)), extra=sorted(set(saved) - set(in_db)),
            changed=sorted(changed), manifest_problem=problem,
            index_revision=manifest.kb_revision if manifest else None,
            db_revision=snapshot.revision,
        )

    def _vectors_differ(self, vectors: VectorIndex, texts: list[SearchText]) -> list[int]:
        """Texts whose saved vector is not the one cached for their text (a text without a
        cached vector is judged by its hash alone)."""
        differ = [t.id for t in texts if t.id not in vectors]
        keys = {t.id: cache_key(self._prefix(t.kind), t.text) for t in texts}
        cached = self.store.get_vectors(self.embedder.model_id, list(keys.values()))
        checkable = [t.id for t in texts if t.id in vectors and keys[t.id] in cached]
        for start in range(0, len(checkable), 4096):
            part = checkable[start : start + 4096]
            for text_id, row in zip(part, vectors.vectors_of(part), strict=True):
                expected = np.frombuffer(cached[keys[text_id]], dtype=np.float32)
                if not np.allclose(row, expected, atol=1e-5):
                    differ.append(text_id)
        return differ

def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
