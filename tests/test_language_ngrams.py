"""The learnt letter and word counts of customer messages (responder/language_ngrams.py) and
what they settle in language detection."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import numpy as np
import pytest

from benchmarks import train_language
from responder import language_ngrams
from responder.language import detect_language


def test_grams_are_words_word_pairs_and_letter_ngrams_of_the_words_only() -> None:
    grams = language_ngrams.grams("Hvor er pakken? Ordre 4411!")
    assert {"w:hvor", "w:pakken", "b:hvor er", "b:pakken ordre", "h", " hvor", "ken o"} <= set(
        grams)
    assert not any(gram.isspace() or any(c.isdigit() or c in "?!" for c in gram)
                   for gram in grams)
    assert grams.count("w:er") == 1 and grams.count("e") == 3


def _tiny() -> language_ngrams.NgramModel:
    index, counts = language_ngrams.counts_of([
        ("da", "hvornår kommer min pakke"), ("da", "tak for hjælpen"),
        ("nb", "når kommer pakken min"), ("nb", "takk for hjelpen"),
        ("en", "where is my parcel"), ("de", "wo ist mein paket")])
    return language_ngrams.build(index, counts)


def test_counts_lean_towards_the_language_that_wrote_the_letters() -> None:
    model = _tiny()
    assert model.nordic_lean("hjælp") > 0 > model.nordic_lean("hjelp")
    assert model.nordic_lean("zzz") == 0.0  # nothing seen, nothing told
    scores = model.family_scores("parcel")
    assert max(scores, key=scores.__getitem__) == "en"
    scores = model.family_scores("pakken")
    assert max(scores, key=scores.__getitem__) == "nordic"


def test_a_file_written_with_other_settings_is_refused() -> None:
    index, counts = language_ngrams.counts_of([("da", "tak"), ("nb", "takk")])
    buffer = BytesIO()
    np.savez_compressed(buffer, format=np.int32(language_ngrams.FORMAT),
                        n_buckets=np.int64(1 << 10),
                        char_ngrams=np.array(language_ngrams.CHAR_NGRAMS, np.int32),
                        languages=np.array(language_ngrams.LANGUAGES), index=index, counts=counts)
    buffer.seek(0)
    with pytest.raises(ValueError, match="other settings"):
        language_ngrams.read(buffer)


def test_the_shipped_file_is_what_the_training_command_builds_from_the_tuning_split(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    splits: list[str] = []
    load = train_language.load

    def recorded(split: str) -> list[train_language.Message]:
        splits.append(split)
        return load(split)

    monkeypatch.setattr(train_language, "load", recorded)
    out = tmp_path / "ngrams.npz"
    assert train_language.main(["--out", str(out)]) == 0
    assert splits == ["tuning"]  # never the holdout
    shipped = Path(language_ngrams.__file__).parent / "language_model" / "ngrams.npz"
    assert out.read_bytes() == shipped.read_bytes(), (
        "responder/language_model/ngrams.npz is stale: run python -m benchmarks.train_language")


@pytest.mark.parametrize(("text", "language"), [
    ("angrefrist", "nb"), ("hentekode?", "nb"), ("delbetaling?", "nb"),
    ("medlemspris", "da"), ("byttemærke", "da")])
def test_shop_words_the_general_lists_lack_are_placed_by_the_learnt_counts(
        text: str, language: str) -> None:
    """These fell back to English, or to the other Scandinavian language, before."""
    detection = detect_language(text, default="en")
    assert detection.language == language
    assert detection.candidates == ("da", "nb") or detection.candidates == ("nb", "da")


def test_without_the_learnt_counts_a_shop_word_stays_open_between_every_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language_ngrams, "shipped", lambda: None)
    detection = detect_language("angrefrist", default="en")
    assert detection.language == "en" and len(detection.candidates) == 5
    assert detect_language("hvor er pakken min").language == "nb"


def test_words_every_list_holds_are_not_placed_by_the_learnt_counts() -> None:
    assert len(detect_language("okay super", default="en").candidates) == 5
