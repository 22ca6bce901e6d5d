"""A small cache for rendered pages, facet counts and API answers, keyed by the store's version.

Any ingest changes the version (article count and latest ingest time), so a
cached value never outlives the data it was computed from. The cache is bounded by entries
and by bytes (``NEWSGRAPH_CACHE_MB``, 64 MB): a flood of distinct requests (a thousand
``?span=`` values on one long article, each a page of a megabyte) evicts the oldest entries
instead of growing the server.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from newsgraph.store import schema as t


def budget_bytes() -> int:
    return int(float(os.environ.get("NEWSGRAPH_CACHE_MB", "64")) * 1024 * 1024)


def weight(value: Any) -> int:
    """Bytes a cached value holds, near enough: its length for text, else its container's items."""
    if isinstance(value, str | bytes):
        return len(value) + 64
    if isinstance(value, dict):
        return 64 + sum(weight(k) + weight(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return 64 + sum(weight(v) for v in value)
    return sys.getsizeof(value)


class VersionedCache:
    def __init__(self, engine, size: int = 4096, version_ttl: float = 2.0, max_bytes: int | None = None) -> None:
        self.engine = engine
        self.size = size
        self.max_bytes = max_bytes if max_bytes is not None else budget_bytes()
        self.bytes = 0
        self.version_ttl = version_ttl  # how long a version reading is trusted (seconds)
        self._data: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._version: tuple[Any, float] = (None, 0.0)

    def version(self) -> Any:
        value, read_at = self._version
        if time.monotonic() - read_at > self.version_ttl:
            with self.engine.connect() as conn:
                value = tuple(conn.execute(select(func.count(), func.max(t.articles.c.ingested_at))).one())
            self._version = (value, time.monotonic())
        return value

    def changed(self) -> None:
        """This process just wrote: read the version again on the next request."""
        self._version = (None, 0.0)

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        full = (self.version(), key)
        with self._lock:
            if full in self._data:
                self._data.move_to_end(full)
                return self._data[full][0]
        value = compute()
        cost = weight(value)
        if cost > self.max_bytes // 4:  # one answer this large is not worth the room it takes
            return value
        with self._lock:
            if full in self._data:
                self.bytes -= self._data.pop(full)[1]
            self._data[full] = (value, cost)
            self.bytes += cost
            while len(self._data) > self.size or self.bytes > self.max_bytes:
                self.bytes -= self._data.popitem(last=False)[1][1]
        return value
