"""Path and query parameters shared by every route: one rule per kind of value.

Ids are PostgreSQL `integer`s: an id outside 1..2,147,483,647 cannot name a row, so it is
refused as invalid input (422, the one error shape) before any query runs; a larger number
would otherwise overflow the database driver.

Times are RFC 3339 date-times with a time zone, as the OpenAPI `date-time` format says: a bare
number ("0", which pydantic would read as a Unix time) or a time without a zone (whose zone?)
is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator

from responder.kb.validation import MAX_CATEGORY, MAX_ID, MAX_LANGUAGE


def _id(what: str) -> Any:
    return Path(ge=1, le=MAX_ID, examples=[1], description=f"{what}: 1 to {MAX_ID}.")


ArticleId = Annotated[int, _id("An article's id")]
EscalationId = Annotated[int, _id("An escalation's id")]
RevisionNumber = Annotated[int, _id("A revision of the article, counted from 1")]
UserId = Annotated[int, _id("A user's id")]
TokenId = Annotated[int, _id("An API token's id")]
QuestionId = Annotated[int, _id("An example question's id")]
LanguageQuery = Annotated[str | None, Query(max_length=MAX_LANGUAGE,
                                            description="en, da, nb, de, ru (or 'no').")]
CategoryQuery = Annotated[str | None, Query(max_length=MAX_CATEGORY,
                                            description="Only this category.")]
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _rfc3339(value: object) -> object:
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError("expected an RFC 3339 date-time with a time zone, "
                         "such as 2026-12-01T09:00:00Z")
    return value


def _time(description: str) -> Any:
    return Query(description=f"{description} RFC 3339, with a time zone "
                             "(2026-12-01T09:00:00Z).")


Since = Annotated[datetime | None, BeforeValidator(_rfc3339), _time("Only items from then on.")]
Until = Annotated[datetime | None, BeforeValidator(_rfc3339), _time("Only items until then.")]
