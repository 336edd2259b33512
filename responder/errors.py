"""One error hierarchy. Each error knows its HTTP status and says what to do about it."""

from __future__ import annotations


class ResponderError(Exception):
    """Base of every error the product raises on purpose."""

    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ResponderError):
    status_code = 422
    code = "invalid_input"


class NotFound(ResponderError):
    status_code = 404
    code = "not_found"


class Conflict(ResponderError):
    status_code = 409
    code = "conflict"


class ModelUnavailable(ResponderError):
    """The embedding model (or the package that carries its weights) cannot be loaded."""

    status_code = 503
    code = "model_unavailable"


class IndexBehind(ResponderError):
    """The index knows of a newer KB revision and could not catch up in time."""

    status_code = 503
    code = "index_catching_up"


class IndexMismatch(ResponderError):
    """A saved index was built for another model/dimension/metric than configured."""

    status_code = 503
    code = "index_mismatch"


class TemplateProblem(ResponderError):
    """A reply template cannot be rendered (syntax error, undefined variable, missing file)."""

    status_code = 422
    code = "template_error"


class Unauthorized(ResponderError):
    """No valid credentials: not signed in, an unknown, expired or revoked token."""

    status_code = 401
    code = "unauthorized"


class Forbidden(ResponderError):
    """Signed in, but the role does not allow it; or a browser request without its CSRF
    token or from another origin."""

    status_code = 403
    code = "forbidden"


class TooManyRequests(ResponderError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: float, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = max(1, int(retry_after + 0.999))
