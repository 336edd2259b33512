"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, RedirectResponse

from responder import logs
from responder.api import (
    routes_answer,
    routes_articles,
    routes_auth,
    routes_escalations,
    routes_events,
    routes_mail,
    routes_search,
    routes_widget,
)
from responder.api.auth import Public
from responder.api.deps import ServicesDep
from responder.api.errors import install_error_handlers
from responder.api.responses import errors
from responder.config import Settings
from responder.web import admin as admin_pages
from responder.web import console as console_pages
from responder.web import editor as editor_pages
from responder.web import help as help_pages
from responder.web import staff as staff_pages
from responder.wiring import Services, build_services

API_PREFIX = "/api/v1"  # the root is left for the help centre's pages


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Services are built once, at start-up (the model loads here, never per request)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        if owned:  # a worker of `serve --workers N`: the parent migrated and seeded
            logs.configure()
            built = build_services(settings or Settings())
            built.prepare_to_serve()
            app.state.services = built
        else:
            app.state.services = services
        yield
        if owned:
            app.state.services.close()
        else:
            app.state.services.index.flush()

    app = FastAPI(title="kb-responder", version="0.1.0", lifespan=lifespan,
                  description="Offline multilingual knowledge-base auto-responder.",
                  responses=errors(500))
    install_error_handlers(app)
    origins = (settings or (services.settings if services else Settings())).widget_origins
    if origins:  # the widget on the operator's other sites; no cookies, no Authorization
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=False,
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"],
                           max_age=600)
    for module in (routes_answer, routes_search, routes_articles, routes_escalations,
                   routes_auth, routes_events, routes_widget, routes_mail):
        app.include_router(module.router, prefix=API_PREFIX)

    app.include_router(help_pages.router)
    app.state.html_error = help_pages.error_page
    app.include_router(staff_pages.router)
    app.include_router(admin_pages.router)
    app.include_router(console_pages.router)
    app.include_router(editor_pages.router)
    app.state.staff_error = staff_pages.error_page

    @app.get("/widget.js", include_in_schema=False)
    def widget(_actor: Public) -> FileResponse:
        """The help widget for other sites: <script src=".../widget.js" defer>."""
        return FileResponse(help_pages.ASSETS / "widget.js", media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/", include_in_schema=False)
    def root(_actor: Public) -> RedirectResponse:
        return RedirectResponse("/help/", status_code=307)

    # At the root for load balancers and monitors, and beside the rest of the API.
    @app.get("/health", tags=["health"], responses=errors(401, 429))
    @app.get(f"{API_PREFIX}/health", tags=["health"], responses=errors(401, 429))
    def health(services: ServicesDep, _actor: Public) -> dict[str, object]:
        return {
            "status": "ok",
            "model": services.index.embedder.model_id,
            "runtime": services.index.embedder.runtime,
            "kb_revision": services.store.revision(),
            "index_revision": services.index.revision,
            "articles": len(services.index.articles),
            "vectors": len(services.index.vectors),
            "article_head": _head_status(services),
        }

    return app


def _head_status(services: Services) -> dict[str, object]:
    """Whether answers use the article classifier, and whether it has learnt the newest write
    (it retrains in the background; until then, new articles are scored by retrieval)."""
    index = services.index
    head = index.head()
    return {
        "enabled": bool(services.settings.head_weight),
        "articles": len(head.slugs) if head else 0,
        "up_to_date": head is not None and head.generation == index.generation,
    }
