"""One answer per request and store version: the API's answers and the pages alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel

from newsgraph.store.cache import MISSING

# Pages computed at once: they hold the GIL in turn, so more threads than this only slow each other
# and the event loop answering from the cache (bench/load.py: p50 of cached pages 125 -> 89 ms at 4
# against the thread pool's 40).
COMPUTING_THREADS = 4
_limiter: anyio.CapacityLimiter | None = None


def _computing() -> anyio.CapacityLimiter:
    """One limiter per process, made on first use (an anyio limiter needs a running event loop)."""
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(COMPUTING_THREADS)
    return _limiter


def answer_key(request: Any) -> tuple:
    return ("answer", request.url.path, tuple(sorted(request.query_params.multi_items())))


async def cached_json(request: Any, compute: Callable[[], Any], model: type[BaseModel] | None = None) -> Response:
    """The answer as JSON, encoded once per store version: a story of a thousand articles is half a
    megabyte of JSON, too much to encode again for every reader. ``model``: the route's response
    model, which shapes the answer as FastAPI would."""
    body = await answer_bytes(request, lambda: json_bytes(compute(), model))
    return Response(body, media_type="application/json")


def json_bytes(value: Any, model: type[BaseModel] | None = None) -> bytes:
    """JSON as FastAPI's own JSONResponse writes it."""
    if model is not None:
        value = model.model_validate(value).model_dump(mode="json")
    return json.dumps(jsonable_encoder(value), ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def shared_story(request: Any, story_id: int) -> dict[str, Any] | None:
    """One story as the library answers it, once per store version for its page and its JSON alike
    (None: no such story)."""
    return request.app.state.cache.get(("story", story_id), lambda: request.app.state.queries.story(story_id))


async def answer_bytes(request: Any, compute: Callable[[], bytes]) -> bytes:
    """The answer to this request (its path and query), computed once per store version by the
    server's cache (store.cache.VersionedCache) for every reader asking. Taken from memory on the
    event loop when the cache has it (most requests under load), computed in a worker thread only
    when it must be: a cached page then waits for no thread among those computing other pages."""
    cache = request.app.state.cache
    key = answer_key(request)
    found = cache.get_now(key, compute)
    if found is not MISSING:
        return found
    return await anyio.to_thread.run_sync(cache.get, key, compute, limiter=_computing())
