"""The HTTP front end: one FastAPI application serving the JSON API (under /api) and the pages.

    app = create_app("sqlite:///news.db", token=os.environ.get("NEWSGRAPH_TOKEN"))

Without a token the server is read-only. It is thin: every route calls the library.
"""

from __future__ import annotations

import json
import logging
import os
from urllib.parse import parse_qsl

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from newsgraph import __version__
from newsgraph.store import Store
from newsgraph.store.queries import Queries
from newsgraph.web.cache import VersionedCache

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


MAX_PARAM = 2000  # characters in one query parameter: enough for any filter, far below what strains SQL
log = logging.getLogger("newsgraph.api")


class SecurityHeaders:
    """Adds the security headers to every response, its own 500 for an unexpected error included,
    and refuses oversized query parameters before any route sees them (a plain ASGI middleware: no
    per-request overhead of Starlette's BaseHTTPMiddleware)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        too_long = _oversized_parameter(scope.get("query_string", b""))
        if too_long:
            await _plain(send_with_headers, 400, f"query parameter {too_long!r} is longer than {MAX_PARAM} characters")
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            # a write is judged by its token and its declared size before a byte of its body is read
            from newsgraph.api.routes import token_problem

            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            problem = token_problem(scope["app"].state.token, headers.get("authorization"))
            if problem and scope["path"].startswith("/api/"):
                await _plain(send_with_headers, *problem)
                return
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_body():
                await _plain(send_with_headers, 413, f"request body over the {max_body():,} byte limit")
                return
            receive = _capped(receive, max_body())
        try:
            await self.app(scope, receive, send_with_headers)
        except BodyTooLarge as exc:
            if started:
                raise
            await _plain(send_with_headers, 413, str(exc))
        except Exception:
            log.exception("unexpected error serving %s", scope.get("path"))
            if started:
                raise
            await _plain(send_with_headers, 500, "internal error: the server log has the details")


def max_body() -> int:
    from newsgraph.readers._io import max_bytes

    return max_bytes() + 64 * 1024  # an article at the reader's limit, with its JSON around it


class BodyTooLarge(Exception):
    pass


def _capped(receive, limit: int):
    """A receive that stops a chunked body once it passes the limit."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(f"request body over the {limit:,} byte limit")
        return message

    return wrapped


def _oversized_parameter(query: bytes) -> str | None:
    if len(query) <= MAX_PARAM:
        return None
    for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if len(value) > MAX_PARAM or len(key) > MAX_PARAM:
            return key[:40]
    return None


async def _plain(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(db: str | None = None, token: str | None = None, create: bool = True) -> FastAPI:
    from importlib import resources

    from newsgraph.api.routes import router as api_router
    from newsgraph.web.pages import router as page_router

    store = Store(db, create=create)
    app = FastAPI(title="newsgraph", version=__version__, docs_url=None, redoc_url=None,
                  description="World news as evidence: articles, entities, quotes, counts, events and places, "
                              "every fact pointing back to its words. Field names are the record's.")
    app.state.store = store
    app.state.queries = Queries(store)
    app.state.cache = VersionedCache(store.engine)
    app.state.token = token if token is not None else os.environ.get("NEWSGRAPH_TOKEN") or None
    from newsgraph.api.ingest import Extractor

    app.state.extractor = Extractor()

    app.add_middleware(SecurityHeaders)
    static = resources.files("newsgraph.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _mount_docs(app)
    app.include_router(api_router, prefix="/api")
    app.include_router(page_router)
    return app


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
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""


def app_from_env() -> FastAPI:
    """The app for `newsgraph serve --workers N` (each worker process builds its own from $NEWSGRAPH_DB)."""
    return create_app(os.environ.get("NEWSGRAPH_DB"))
