"""Validation shared by every input path (API, CLI, Markdown import, escalation resolution)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput
from responder.models import ArticleContent, Status, Visibility

LANGUAGE_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "dan": "da", "deu": "de", "ger": "de",
                    "eng": "en", "rus": "ru"}
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TITLE = 300
MAX_SHORT = 2000
MAX_BODY = 50_000
MAX_QUESTION = 2000


def normalise_language(code: str, field: str = "language") -> str:
    """Map a language code (any case, ISO 639-1/2, 'no' for Norwegian) to a supported one."""
    cleaned = code.strip().lower().replace("_", "-").split("-")[0]
    cleaned = LANGUAGE_ALIASES.get(cleaned, cleaned)
    if cleaned not in SUPPORTED_LANGUAGES:
        raise InvalidInput(
            f"Unsupported language {code!r}; expected one of {list(SUPPORTED_LANGUAGES)} "
            "(Norwegian may also be written 'no').",
            field=field,
        )
    return cleaned


def clean_text(value: str, field: str, max_chars: int, *, required: bool = True) -> str:
    """Strip, refuse control/binary characters, and enforce a size limit with a clear message."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text, got {type(value).__name__}.", field=field)
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise InvalidInput(f"{field} is empty; write at least one visible character.", field=field)
    if len(text) > max_chars:
        raise InvalidInput(
            f"{field} is {len(text)} characters long; the limit is {max_chars}. Shorten it "
            "or split it.",
            field=field,
        )
    bad = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t"]
    if bad:
        raise InvalidInput(
            f"{field} contains control character U+{ord(bad[0]):04X}; it looks like binary or "
            "badly encoded data. Send UTF-8 text.",
            field=field,
        )
    if "\ufffd" in text:
        raise InvalidInput(
            f"{field} contains U+FFFD replacement characters: it was decoded with the wrong "
            "encoding. Send UTF-8 text.",
            field=field,
        )
    return text


class _ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(min_length=1, max_length=120)
    language: str
    title: str
    short_answer: str
    body: str = ""
    options: list[str] = Field(default_factory=list, max_length=20)
    agreement: str = ""
    timeframe: str = Field("", max_length=200)
    category: str = Field("general", min_length=1, max_length=64)
    tags: list[str] = Field(default_factory=list, max_length=30)
    visibility: Visibility = Visibility.PUBLIC
    status: Status = Status.PUBLISHED

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_PATTERN.match(value):
            raise ValueError(
                "use lower-case letters, digits and single '-' between words, e.g. 'order-status'"
            )
        return value


_MESSAGES = {"extra_forbidden": "unknown field; remove it or check its spelling",
             "missing": "is required"}


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "article"


def article_from_mapping(data: Mapping[str, Any], *, source: str = "") -> ArticleContent:
    """Validate editor input into an ArticleContent, naming the field and the rule on failure."""
    where = f" in {source}" if source else ""
    try:
        parsed = _ArticleIn.model_validate(dict(data))
    except ValidationError as exc:
        # Unknown fields first: a misspelt key also shows up as a missing required one.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        problems = [f"{_field(e['loc'])}: {_MESSAGES.get(e['type'], e['msg'])}" for e in errors]
        raise InvalidInput(f"Article{where}: {'; '.join(problems)}.",
                           field=_field(errors[0]["loc"])) from exc
    try:
        language = normalise_language(parsed.language)
    except InvalidInput as exc:
        raise InvalidInput(f"Article{where}: {exc.message}", field="language") from exc
    return ArticleContent(
        slug=parsed.slug,
        language=language,
        title=clean_text(parsed.title, "title", MAX_TITLE),
        short_answer=clean_text(parsed.short_answer, "short_answer", MAX_SHORT),
        body=clean_text(parsed.body, "body", MAX_BODY, required=False),
        options=tuple(clean_text(o, "options", MAX_SHORT) for o in parsed.options),
        agreement=clean_text(parsed.agreement, "agreement", MAX_SHORT, required=False),
        timeframe=clean_text(parsed.timeframe, "timeframe", 200, required=False),
        category=parsed.category.lower(),
        tags=tuple(dict.fromkeys(t.strip().lower() for t in parsed.tags if t.strip())),
        visibility=parsed.visibility,
        status=parsed.status,
    )


def article_to_mapping(content: ArticleContent) -> dict[str, Any]:
    return {
        "slug": content.slug,
        "language": content.language,
        "title": content.title,
        "short_answer": content.short_answer,
        "body": content.body,
        "options": list(content.options),
        "agreement": content.agreement,
        "timeframe": content.timeframe,
        "category": content.category,
        "tags": list(content.tags),
        "visibility": content.visibility.value,
        "status": content.status.value,
    }
