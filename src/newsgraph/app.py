"""The server: one FastAPI application serving the JSON API (under /api), the pages and /docs.

    app = create_app("sqlite:///news.db", token=os.environ.get("NEWSGRAPH_TOKEN"))

Without a token the server is read-only. The API (newsgraph.api) and the pages (newsgraph.web)
do not import each other; this factory mounts both over one store, one query object and one
cache.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from newsgraph import __version__
from newsgraph.api import HeadAsGet, SecurityHeaders
from newsgraph.outlets import outlet_facts
from newsgraph.store import Store
from newsgraph.store.cache import VersionedCache
from newsgraph.store.queries import Queries


def create_app(db: str | None = None, token: str | None = None, create: bool = True) -> FastAPI:
    from importlib import resources

    from newsgraph.api.routes import router as api_router
    from newsgraph.web.pages import router as page_router

    outlet_facts(None)  # a user's outlet file with a bad line stops the start, not a story page later
    store = Store(db, create=create)
    from newsgraph.api.ingest import extraction_runner

    runner = extraction_runner()  # its worker starts on the first POST

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runner.close()

    app = FastAPI(title="newsgraph", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="World news as evidence: articles, entities, quotes, counts, events and places, "
                              "every fact pointing back to its words. Field names are the record's.")
    app.state.store = store
    app.state.queries = Queries(store)
    app.state.cache = VersionedCache(store.engine)
    app.state.token = token if token is not None else os.environ.get("NEWSGRAPH_TOKEN") or None
    app.state.runner = runner

    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    static = resources.files("newsgraph.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _mount_docs(app)
    app.include_router(api_router, prefix="/api")
    app.include_router(page_router)
    _page_errors(app)
    return app


def _page_errors(app: FastAPI) -> None:
    """Errors answer a browser with a page that has the navigation; the API keeps its JSON."""
    from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from newsgraph.web.pages import error_page, wants_page

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc):
        if wants_page(request):
            return error_page(request, exc.status_code, exc.detail)
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request, exc):
        if wants_page(request):
            return error_page(request, 422, exc.errors())
        return await request_validation_exception_handler(request, exc)


def _mount_docs(app: FastAPI) -> None:
    """/docs: Swagger UI from the installed swagger-ui-bundle package (no CDN, so the strict CSP holds;
    the page's start-up script is a static file, not inline)."""
    from fastapi.responses import HTMLResponse
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)


DOCS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsgraph API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><nav aria-label="Back"><a href="/">&larr; newsgraph: articles, stories, quotes, people</a></nav>
<main><div id="swagger-ui"></div></main>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""


def app_from_env() -> FastAPI:
    """The app for `newsgraph serve --workers N` (each worker process builds its own from $NEWSGRAPH_DB)."""
    return create_app(os.environ.get("NEWSGRAPH_DB"))
