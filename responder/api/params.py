"""Path and query parameters shared by every route: one rule per kind of value.

Ids are PostgreSQL `integer`s: an id outside 1..2,147,483,647 cannot name a row, so it is
refused as invalid input (422, the one error shape) before any query runs; a larger number
would otherwise overflow the database driver.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query

from responder.kb.validation import MAX_CATEGORY, MAX_EDITOR, MAX_ID, MAX_LANGUAGE


def _id(what: str) -> Any:
    return Path(ge=1, le=MAX_ID, examples=[1], description=f"{what}: 1 to {MAX_ID}.")


ArticleId = Annotated[int, _id("An article's id")]
EscalationId = Annotated[int, _id("An escalation's id")]
RevisionNumber = Annotated[int, _id("A revision of the article, counted from 1")]
LanguageQuery = Annotated[str | None, Query(max_length=MAX_LANGUAGE,
                                            description="en, da, nb, de, ru (or 'no').")]
CategoryQuery = Annotated[str | None, Query(max_length=MAX_CATEGORY,
                                            description="Only this category.")]
EditedBy = Annotated[str, Query(min_length=1, max_length=MAX_EDITOR,
                                description="Who made the change (one line).")]
