"""Pydantic's request validation errors as messages that say what to do (the field named)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from responder.kb.validation import EXAMPLES_HINT, SURROGATE_HINT

_PATTERNS = {"slug": "use lower-case letters, digits and single '-' between words, e.g. "
                     "'order-status'"}
_SOURCES = ("body", "query", "path", "header", "cookie")
JSON_HINT = "send a JSON object in UTF-8 with Content-Type: application/json."


def shown(value: object, limit: int = 60) -> str:
    """A short repr of what was sent (repr escapes control characters and surrogates)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def describe(error: Mapping[str, Any]) -> tuple[str | None, str]:
    """(field, message) for one pydantic error as FastAPI reports it."""
    loc = tuple(error.get("loc", ()))
    source = loc[0] if loc and loc[0] in _SOURCES else None
    path = loc[1:] if source else loc
    kind = str(error.get("type", ""))
    if kind == "json_invalid":
        at = f" at character {path[0]}" if path else ""
        problem = (error.get("ctx") or {}).get("error", "JSON decode error")
        return "body", f"The request body is not valid JSON ({problem}{at}); {JSON_HINT}"
    field = ".".join(str(p) for p in path)
    if not field:
        if source == "body":
            what = "is missing" if kind == "missing" else "is not a JSON object"
            return "body", f"The request body {what}; {JSON_HINT}"
        return None, str(error.get("msg"))
    return field, _message(field, kind, error)


def _message(field: str, kind: str, error: Mapping[str, Any]) -> str:
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return f"{field} is required."
    if kind == "extra_forbidden":
        return f"{field} is not a known field; remove it or check its spelling."
    if kind == "string_unicode":
        return f"{field} contains a lone UTF-16 surrogate: {SURROGATE_HINT}"
    if kind == "string_too_long":
        size = f" is {len(given)} characters long;" if isinstance(given, str) else ":"
        return f"{field}{size} the limit is {ctx.get('max_length')}. Shorten it."
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return f"{field} is empty; write at least one visible character."
    if kind == "string_pattern_mismatch":
        rule = _PATTERNS.get(field.rsplit(".", 1)[-1], f"match {ctx.get('pattern')}")
        return f"{field} {shown(given)} has the wrong form; {rule}."
    if kind == "too_long":
        hint = f" {EXAMPLES_HINT}" if field == "examples" else ""
        return (f"{field} has {ctx.get('actual_length')} items; at most "
                f"{ctx.get('max_length')} are accepted in one request.{hint}")
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = f"at least {ctx['ge']}" if "ge" in ctx else f"at most {ctx.get('le')}"
        return f"{field} must be {bound}; got {shown(given)}."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{field} must be a whole number; got {shown(given)}."
    if kind in ("literal_error", "enum"):
        return f"Unsupported {field} {shown(given)}; expected {ctx.get('expected')}."
    if kind.startswith(("datetime", "date", "timezone")):
        return (f"{field}: {error.get('msg')}; got {shown(given)}. Use ISO 8601, e.g. "
                "2025-01-31T09:00:00Z.")
    return f"{field}: {error.get('msg')}."
