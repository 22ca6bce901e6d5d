"""One answer per request and store version: the API's answers and the pages alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def cached_answer(request: Any, compute: Callable[[], Any]) -> Any:
    """The answer to this request (its path and query), computed once per store version by the
    server's cache (store.cache.VersionedCache) for every reader asking."""
    key = ("answer", request.url.path, tuple(sorted(request.query_params.multi_items())))
    return request.app.state.cache.get(key, compute)
