"""Moving a query into another language by the difference of the languages' mean vectors."""

from __future__ import annotations

import numpy as np

from responder.index.language_bias import MIN_TEXTS, LanguageMeans


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def filled(languages: dict[str, np.ndarray], n: int = MIN_TEXTS) -> LanguageMeans:
    means = LanguageMeans(3)
    rng = np.random.default_rng(0)
    for language, centre in languages.items():
        for i in range(n):
            means.add(i, language, unit(centre + 0.01 * rng.standard_normal(3)), 1.0)
    return means


def test_a_one_language_kb_gets_no_views_so_matching_is_unchanged() -> None:
    means = filled({"en": np.array([1.0, 0.0, 0.0])})
    assert means.views(unit(np.array([1.0, 1.0, 0.0])), "en", 1.0) == {}


def test_the_query_moves_towards_the_other_language_and_stays_unit_length() -> None:
    en, de = np.array([1.0, 0.0, 0.2]), np.array([0.0, 1.0, 0.2])
    means = filled({"en": en, "de": de})
    query = unit(np.array([0.1, 1.0, 0.5]))  # a German question
    (view,) = means.views(query, "de", 1.0).values()
    assert abs(float(np.linalg.norm(view)) - 1.0) < 1e-5
    english = unit(en)
    assert float(view @ english) > float(query @ english)
    assert means.views(query, "de", 0.0) == {}


def test_small_languages_are_not_measured_and_removal_undoes_adding() -> None:
    means = filled({"en": np.array([1.0, 0.0, 0.0])})
    means.add(999, "ru", unit(np.array([0.0, 0.0, 1.0])), 1.0)  # 1 text: too few to trust
    assert means.views(unit(np.array([1.0, 0.0, 0.0])), "en", 1.0) == {}
    assert means.mix([999]) == {"ru": 1.0}
    means.add(999, "ru", unit(np.array([0.0, 0.0, 1.0])), -1.0)
    assert means.mix([999]) == {}
