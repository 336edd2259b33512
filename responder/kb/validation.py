"""Validation shared by every input path (API, CLI, Markdown import, escalation resolution)."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput
from responder.models import ArticleContent, Status, Visibility

LANGUAGE_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "dan": "da", "deu": "de", "ger": "de",
                    "eng": "en", "rus": "ru"}
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 120
MAX_TITLE = 300
MAX_SHORT = 2000
MAX_BODY = 50_000
MAX_QUESTION = 2000
MAX_NAME = 200  # customer_name
MAX_EMAIL = 320  # customer_email (RFC 3696: 64 + 1 + 255)
MAX_EDITOR = 120  # edited_by, resolved_by
MAX_CATEGORY = 64
MAX_TAG = 64
MAX_TAGS = 30
MAX_OPTIONS = 20
MAX_TIMEFRAME = 200
MAX_REASON = 2000  # an escalation's reason
MAX_EXAMPLES = 200  # example questions in one request
MAX_LANGUAGE = 35  # a BCP 47 tag such as "en-GB"; only the first part is used
MAX_ID = 2_147_483_647  # PostgreSQL integer: the largest id any table can hold
EXAMPLES_HINT = ("Send the first ones with the article and add the rest in further requests "
                 "to POST /articles/{id}/questions.")
SURROGATE_HINT = ("half of a UTF-16 character pair, which is not text. Send UTF-8 text (in JSON, "
                  "an escaped character outside the BMP needs both halves, e.g. \\ud83d\\ude00).")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Every line and paragraph separator: a one-line field refuses them all, CR and LF first.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF, CR allowed
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")


def normalise_language(code: str, field: str = "language") -> str:
    """Map a language code (any case, ISO 639-1/2, 'no' for Norwegian) to a supported one."""
    given = clean_line(code, field, MAX_LANGUAGE)
    cleaned = given.lower().replace("_", "-").split("-")[0]
    cleaned = LANGUAGE_ALIASES.get(cleaned, cleaned)
    if cleaned not in SUPPORTED_LANGUAGES:
        raise InvalidInput(
            f"Unsupported {field} {given!r}; expected one of {list(SUPPORTED_LANGUAGES)} "
            "(Norwegian may also be written 'no').",
            field=field,
        )
    return cleaned


def clean_text(value: str, field: str, max_chars: int, *, required: bool = True) -> str:
    """Strip, refuse control/binary characters, and enforce a size limit with a clear message.

    Multi-line text: line breaks and tabs are allowed. See clean_line() for one-line fields."""
    return _clean(value, field, max_chars, required=required, one_line=False)


def clean_line(value: str, field: str, max_chars: int, *, required: bool = True) -> str:
    """clean_text() for a one-line field (a name, an address, a category, a title): no line
    breaks or tabs, so it can never split or inject a header line when it reaches an email."""
    return _clean(value, field, max_chars, required=required, one_line=True)


def clip_text(value: str, field: str, max_chars: int) -> str:
    """clean_text() for text the product writes itself (a hand-off's reason quotes the tone
    cues, which can be as long as the message): kept to max_chars instead of refused, so a
    customer's message is never turned away because of it."""
    text = _clean(value, field, sys.maxsize, required=False, one_line=False)
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def _clean(value: str, field: str, max_chars: int, *, required: bool, one_line: bool) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text, got {type(value).__name__}.", field=field)
    surrogate = _SURROGATE.search(value)
    if surrogate:
        raise InvalidInput(
            f"{field} contains a lone UTF-16 surrogate U+{ord(surrogate[0]):04X} at position "
            f"{surrogate.start()}: {SURROGATE_HINT}",
            field=field,
        )
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise InvalidInput(f"{field} is empty; write at least one visible character.", field=field)
    if len(text) > max_chars:
        raise InvalidInput(
            f"{field} is {len(text)} characters long; the limit is {max_chars}. "
            + ("Shorten it." if one_line else "Shorten it or split it."),
            field=field,
        )
    line_break = _LINE_BREAK.search(text) if one_line else None
    if line_break:
        raise InvalidInput(
            f"{field} must be one line, but it contains a line break (U+{ord(line_break[0]):04X}) "
            f"at position {line_break.start()}; remove it.",
            field=field,
        )
    control = (_CONTROL_IN_LINE if one_line else _CONTROL_IN_TEXT).search(text)
    if control:
        raise InvalidInput(
            f"{field} contains control character U+{ord(control[0]):04X} at position "
            f"{control.start()}; it looks like binary or badly encoded data. Send UTF-8 text.",
            field=field,
        )
    if "\ufffd" in text:
        raise InvalidInput(
            f"{field} contains U+FFFD replacement characters: it was decoded with the wrong "
            "encoding. Send UTF-8 text.",
            field=field,
        )
    return text


def clean_email(value: str, field: str = "customer_email") -> str:
    """An optional address (name@domain, one line): it may end up in a mail header."""
    email = clean_line(value, field, MAX_EMAIL, required=False)
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise InvalidInput(f"{field} {email!r} is not an email address (name@domain).",
                           field=field)
    return email


def clean_category(value: str, known: Iterable[str], field: str = "category") -> str:
    """A category the escalation matrix routes; "general" is always allowed."""
    category = clean_line(value, field, MAX_CATEGORY).lower()
    allowed = sorted({"general", *known})
    if category not in allowed:
        raise InvalidInput(
            f"Unknown {field} {category!r}; expected one of {allowed} (the categories of the "
            "escalation matrix).",
            field=field,
        )
    return category


def check_id(value: int, field: str) -> int:
    """A row id: 1 to 2,147,483,647 (PostgreSQL integer); others would overflow the driver."""
    if not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{field} {value} is out of range; ids run from 1 to {MAX_ID}.",
                           field=field)
    return value


class _ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(min_length=1, max_length=MAX_SLUG)
    language: str
    title: str
    short_answer: str
    body: str = ""
    options: list[str] = Field(default_factory=list, max_length=MAX_OPTIONS)
    agreement: str = ""
    timeframe: str = Field("", max_length=MAX_TIMEFRAME)
    category: str = Field("general", min_length=1, max_length=MAX_CATEGORY)
    tags: list[str] = Field(default_factory=list, max_length=MAX_TAGS)
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
             "missing": "is required",
             "string_unicode": f"contains a lone UTF-16 surrogate: {SURROGATE_HINT}"}


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
        title=clean_line(parsed.title, "title", MAX_TITLE),
        short_answer=clean_text(parsed.short_answer, "short_answer", MAX_SHORT),
        body=clean_text(parsed.body, "body", MAX_BODY, required=False),
        options=tuple(clean_text(o, "options", MAX_SHORT) for o in parsed.options),
        agreement=clean_text(parsed.agreement, "agreement", MAX_SHORT, required=False),
        timeframe=clean_line(parsed.timeframe, "timeframe", MAX_TIMEFRAME, required=False),
        category=clean_line(parsed.category, "category", MAX_CATEGORY).lower(),
        tags=tuple(dict.fromkeys(
            clean_line(t, "tags", MAX_TAG).lower() for t in parsed.tags if t.strip())),
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
