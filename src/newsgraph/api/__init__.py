"""The JSON API (under /api): its routes (routes.py), its write path (ingest.py) and the HTTP guard
every response of the server passes through (SecurityHeaders: security headers, its own 500,
oversized parameters and bodies refused, writes checked for their token before the body is read).

The API knows nothing of the pages; ``newsgraph.app.create_app`` mounts both. It is thin: every
route calls the library.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl

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
    from newsgraph.readers.decoding import max_bytes

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


class HeadAsGet:
    """HEAD answers as GET would, without the body (HTTP requires it of every GET resource; FastAPI's
    routes answer 405). Plain ASGI: the GET runs, its headers go out, its body does not."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message) -> None:
            if message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
