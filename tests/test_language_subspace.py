"""Removing each language's leading directions before vectors are compared."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from responder.index.language_subspace import (
    MIN_TEXTS,
    LanguageSubspace,
    load_reference,
    save_reference,
    top_directions,
)

DIM = 8
rng = np.random.default_rng(7)


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def axis(i: int) -> np.ndarray:
    v = np.zeros(DIM)
    v[i] = 1.0
    return v


# Axes 0 and 1 say which language a text is in; axes 2.. say what it is about.
LANGUAGE = {"en": axis(0), "de": axis(1)}


def texts(language: str, topic: int, n: int) -> np.ndarray:
    return unit(3.0 * LANGUAGE[language] + axis(topic) + 0.05 * rng.standard_normal((n, DIM)))


def kb(language: str, topics: tuple[int, ...] = (2, 3, 4, 5, 6, 7)) -> np.ndarray:
    """A language's texts, spread over many topics as a KB's are."""
    return np.vstack([texts(language, t, MIN_TEXTS // 4) for t in topics])


def measured(components: int = 1) -> LanguageSubspace:
    space = LanguageSubspace(DIM, components)
    space.add("en", kb("en"), 1.0)
    space.add("de", kb("de"), 1.0)
    return space


def test_a_foreign_question_finds_its_topic_once_the_language_is_removed() -> None:
    english_answer = texts("en", 2, 1)[0]
    german_other_topic = texts("de", 3, 1)[0]
    german_question = texts("de", 2, 1)[0]
    assert german_question @ german_other_topic > german_question @ english_answer
    space = measured()
    q, en, de = space.project(np.vstack([german_question, english_answer, german_other_topic]))
    assert q @ en > 0.8 and q @ en > q @ de + 0.5


def test_projected_rows_are_unit_length_and_the_norm_trick_gives_their_cosine() -> None:
    space = measured()
    raw = np.vstack([texts("en", 2, 3), texts("de", 4, 3)])
    projected = space.project(raw)
    assert np.allclose(np.linalg.norm(projected, axis=1), 1.0, atol=1e-5)
    query = projected[0]
    assert np.allclose((raw @ query) / space.kept_norms(raw), projected @ query, atol=1e-4)


def test_off_or_unmeasured_means_only_normalised() -> None:
    raw = np.array([[3.0, 4.0] + [0.0] * (DIM - 2)], dtype=np.float32)
    off = LanguageSubspace(DIM, 0)
    off.add("en", kb("en"), 1.0)
    assert off.basis() is None
    assert np.allclose(off.project(raw), raw / 5.0)
    few = LanguageSubspace(DIM, 2)
    few.add("en", texts("en", 2, MIN_TEXTS - 1), 1.0)  # too few texts to trust
    assert few.basis() is None


def test_reference_directions_stand_in_until_the_kb_measures_the_language(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ref.npz"
    save_reference(path, "model-x", {"de": axis(1)[:, None], "en": axis(5)[:, None]})
    assert load_reference("another-model", DIM, path) == {}
    reference = load_reference("model-x", DIM, path)
    space = LanguageSubspace(DIM, 1, reference)
    basis = space.basis()  # nothing measured: both reference directions
    assert basis is not None and basis.shape == (DIM, 2)
    assert np.allclose(np.linalg.norm(basis.T @ np.vstack([axis(1), axis(5)]).T, axis=0), 1.0)
    space.add("en", kb("en"), 1.0)  # English is measured now: axis 0 replaces axis 5
    assert space.basis() is basis, "a search does not recompute; the writer refreshes"
    space.refresh()
    basis = space.basis()
    assert basis is not None and basis.shape == (DIM, 2)
    inside = np.linalg.norm(basis.T @ np.vstack([axis(0), axis(1), axis(5)]).T, axis=0)
    assert inside[0] > 0.9 and inside[1] > 0.99 and inside[2] < 0.1


def test_forgetting_texts_undoes_adding_them() -> None:
    space = measured()
    extra = kb("en")
    space.add("ru", extra, 1.0)
    space.refresh()
    assert space.basis() is not None and space.basis().shape[1] == 3  # type: ignore[union-attr]
    space.add("ru", extra, -1.0)
    space.refresh()
    assert space.basis().shape[1] == 2  # type: ignore[union-attr]


def test_top_directions_are_the_leading_uncentred_principal_directions() -> None:
    rows = texts("en", 2, 50)
    first, second = top_directions(rows, 2).T
    assert abs(float(first @ unit(3.0 * axis(0) + axis(2)))) > 0.99
    assert abs(float(first @ second)) < 1e-6
