"""The HTTP front end: one FastAPI application serving the JSON API (under /api) and the pages.

    app = create_app("sqlite:///news.db", token=os.environ.get("NEWSGRAPH_TOKEN"))

Without a token the server is read-only. It is thin: every route calls the library.
"""

from __future__ import annotations

import os

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


class SecurityHeaders:
    """Adds the security headers to every response (a plain ASGI middleware: no per-request overhead
    of Starlette's BaseHTTPMiddleware)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db: str | None = None, token: str | None = None) -> FastAPI:
    from importlib import resources

    from newsgraph.api.routes import router as api_router
    from newsgraph.web.pages import router as page_router

    store = Store(db)
    app = FastAPI(title="newsgraph", version=__version__,
                  description="World news as evidence: articles, entities, quotes, counts, events and places, "
                              "every fact pointing back to its words. Field names are the record's.")
    app.state.store = store
    app.state.queries = Queries(store)
    app.state.cache = VersionedCache(store.engine)
    app.state.token = token if token is not None else os.environ.get("NEWSGRAPH_TOKEN") or None

    app.add_middleware(SecurityHeaders)
    static = resources.files("newsgraph.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api_router, prefix="/api")
    app.include_router(page_router)
    return app


def app_from_env() -> FastAPI:
    """The app for `newsgraph serve --workers N` (each worker process builds its own from $NEWSGRAPH_DB)."""
    return create_app(os.environ.get("NEWSGRAPH_DB"))
