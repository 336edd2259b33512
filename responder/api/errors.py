"""One JSON error shape for every failure: {"error": {"code", "message", "field"}}."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from responder.api.validation_messages import JSON_HINT, describe
from responder.errors import NotFound, ResponderError, TooManyRequests, Unauthorized

log = logging.getLogger(__name__)

UNEXPECTED = "An unexpected error occurred; it has been logged."
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(
    code: str, message: str, field: str | None, status: int,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    # A message quotes what was sent; a lone surrogate in it could not be encoded as UTF-8.
    safe = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return JSONResponse(error_body(code, safe, field), status, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path accepts. Starlette's own 405 names only the
    methods of the first route whose path matched (GET of GET /articles/{id}, not PUT)."""
    path = request.scope["path"]
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):] or "/"
    methods: set[str] = set()
    for route in flat_routes(request.app.router.routes):
        regex, route_methods = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and route_methods and regex.match(path):
            methods |= set(route_methods)
    return sorted(methods)


def flat_routes(routes: Iterable[object]) -> Iterator[object]:
    """The app's routes, with those of included routers (recent FastAPI keeps an included
    router as one entry; earlier versions copied its routes into the app's list)."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):
            yield from contexts()
        else:
            yield route


def _wants_page(request: Request) -> bool:
    """Pages get their errors as pages; the API (and /health) as JSON."""
    path = request.url.path
    return (path.startswith("/help") and hasattr(request.app.state, "html_error")
            and hasattr(request.app.state, "services"))


def _staff_page(request: Request, exc: ResponderError) -> Response | None:
    """Staff pages answer with pages: the sign-in form for a caller not signed in."""
    if not (request.url.path.startswith("/staff") and hasattr(request.app.state, "staff_error")
            and hasattr(request.app.state, "services")):
        return None
    page: Response = request.app.state.staff_error(request.app.state.services, request, exc)
    return page


def _page(request: Request, status: int, message: str) -> Response:
    page: Response = request.app.state.html_error(request.app.state.services,
                                                  request.url.path, status, message)
    return page


def install_error_handlers(app: FastAPI) -> None:
    app.add_middleware(KeepAliveOnError)

    @app.exception_handler(ResponderError)
    async def _domain(request: Request, exc: ResponderError) -> Response:
        staff = _staff_page(request, exc)
        if staff is not None:
            return staff
        if _wants_page(request):
            return _page(request, exc.status_code, exc.message)
        headers = None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        elif isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": 'Bearer realm="kb-responder"'}
        return error_response(exc.code, exc.message, exc.field, exc.status_code, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        # A misspelt key also shows up as a missing required one: name the unknown key first.
        errors = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")
        field, message = describe(errors[0])
        return error_response("invalid_input", message, field, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            staff = _staff_page(request, NotFound("There is no such page."))
            if staff is not None:
                return staff
        if _wants_page(request) and exc.status_code == 404:
            return _page(request, 404, str(exc.detail))
        headers = dict(exc.headers or {})
        message = str(exc.detail)
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            message = (f"{request.method} is not supported on {request.url.path}; use "
                       f"{' or '.join(allowed)}.")
        elif exc.status_code == 404:
            message = f"No route {request.url.path}; the API is described at /docs."
        elif exc.status_code == 400:
            # FastAPI's only 400: a body it could not read (e.g. bytes that are not UTF-8).
            # Unreadable JSON is invalid input like any other, with the same status.
            return error_response("invalid_input", f"The request body could not be read as "
                                  f"JSON ({exc.detail}); {JSON_HINT}", "body", 422)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(code, message, None, exc.status_code, headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response("internal_error", UNEXPECTED, None, 500)


class KeepAliveOnError:
    """Answer an unexpected exception with the JSON 500 and keep the connection open.

    Starlette's ServerErrorMiddleware sends its 500 and then re-raises, and uvicorn closes a
    connection whose application raised: every client on a keep-alive connection saw it cut.
    Here the exception ends with the response when none had started. Once a response has
    started it is re-raised: the client must see that the body was cut short."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"),
                          exc_info=exc)
            await error_response("internal_error", UNEXPECTED, None, 500)(scope, receive, send)
