"""One answer per request and store version: the API's answers and the pages alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel


def cached_answer(request: Any, compute: Callable[[], Any]) -> Any:
    """The answer to this request (its path and query), computed once per store version by the
    server's cache (store.cache.VersionedCache) for every reader asking."""
    key = ("answer", request.url.path, tuple(sorted(request.query_params.multi_items())))
    return request.app.state.cache.get(key, compute)


def cached_json(request: Any, compute: Callable[[], Any], model: type[BaseModel] | None = None) -> Response:
    """The answer as JSON, encoded once per store version: a story of a thousand articles is half a
    megabyte of JSON, too much to encode again for every reader. ``model``: the route's response
    model, which shapes the answer as FastAPI would."""
    return Response(cached_answer(request, lambda: json_bytes(compute(), model)), media_type="application/json")


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
