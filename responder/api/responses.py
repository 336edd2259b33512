"""The error body in the OpenAPI document, and which statuses each route declares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable and machine-readable, e.g. invalid_input, not_found.")
    message: str = Field(description="What was wrong, what was expected and what to do.")
    field: str | None = Field(description="The input at fault (e.g. text, article_id), if one.")


class ErrorOut(BaseModel):
    """The one error shape of every failure."""

    error: ErrorDetail


_WHY = {
    401: "Not signed in: no API token or session, or one that is unknown, revoked or "
         "expired.",
    403: "Signed in, but the role does not allow it; or a browser session's change without "
         "its CSRF token or from another site.",
    404: "The article, revision, escalation, user or token does not exist.",
    405: "The path does not support this method; the Allow header lists those it does.",
    409: "A conflict: the slug is taken in that language, or the escalation is already "
         "resolved.",
    422: "Invalid input: empty, too long, not one line, control characters or lone surrogates, "
         "an unknown language, channel, category or field, an id out of range, or a body "
         "that is not JSON. The field names the input at fault.",
    429: "Too many requests from this address; the Retry-After header says when to retry.",
    500: "An unexpected error; it has been logged.",
    503: "The embedding model or the search index cannot serve the request now; retry later.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with the one error body."""
    return {status: {"model": ErrorOut, "description": _WHY[status]} for status in statuses}
