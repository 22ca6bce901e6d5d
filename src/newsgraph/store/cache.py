"""A small cache for rendered pages, facet counts and API answers, keyed by the store's version.

Any ingest changes the version (article count and latest ingest time, read at most every 2 s), so a
cached value never outlives the data it was computed from by more than that, with one exception made
for load: while one reader computes a page again after another process wrote, the readers asking for
it meanwhile get the previous version's page if it is under ``NEWSGRAPH_STALE_SECONDS`` (10 s) old,
instead of all waiting (a write from this server, ``POST /api/articles``, is seen at once). The cache is bounded by entries
and by bytes (``NEWSGRAPH_CACHE_MB``, 64 MB): a flood of distinct requests (a thousand
``?span=`` values on one long article, each a page of a megabyte) evicts the oldest entries
instead of growing the server.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from newsgraph.store import schema as t

_MISSING = object()
STALE_SECONDS = float(os.environ.get("NEWSGRAPH_STALE_SECONDS", "10"))


@contextlib.contextmanager
def _held(lock: threading.Lock):
    """A lock already acquired, released on leaving."""
    try:
        yield
    finally:
        lock.release()


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
        self._computing: dict[Any, threading.Lock] = {}  # one computation per missing key at a time
        self._newest: dict[Any, tuple[Any, float]] = {}  # key -> (its newest cached full key, when computed)
        self._version: tuple[Any, float] = (None, 0.0)

    def version(self) -> Any:
        value, read_at = self._version
        if time.monotonic() - read_at > self.version_ttl:
            with self.engine.connect() as conn:
                value = tuple(conn.execute(select(func.count(), func.max(t.articles.c.ingested_at))).one())
            self._version = (value, time.monotonic())
        return value

    def changed(self) -> None:
        """This process just wrote: read the version again on the next request, and serve nothing
        older (a client that posted an article sees it in the next answer)."""
        self._version = (None, 0.0)
        with self._lock:
            self._newest.clear()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The cached value for ``key`` at the store's version, computed once when missing: readers
        asking for it meanwhile wait for that computation instead of repeating it (twenty readers of
        /stories after a write would otherwise each compute the page)."""
        full = (self.version(), key)
        found = self._cached(full)
        if found is not _MISSING:
            return found
        with self._lock:
            computing = self._computing.setdefault(full, threading.Lock())
        if not computing.acquire(blocking=False):  # another reader is computing it
            stale = self._stale(key)
            if stale is not _MISSING:
                return stale
            computing.acquire()
        with _held(computing):
            found = self._cached(full)
            if found is not _MISSING:
                return found
            try:
                return self._store(full, compute())
            finally:
                with self._lock:
                    self._computing.pop(full, None)

    def _cached(self, full: Any) -> Any:
        with self._lock:
            if full in self._data:
                self._data.move_to_end(full)
                return self._data[full][0]
        return _MISSING

    def _stale(self, key: Any) -> Any:
        """The value of ``key`` at an earlier version, if computed within the last STALE_SECONDS: while
        one reader computes the new one after another process wrote, the others are answered at once."""
        with self._lock:
            full, at = self._newest.get(key, (None, 0.0))
            if full in self._data and time.monotonic() - at <= STALE_SECONDS:
                return self._data[full][0]
        return _MISSING

    def _store(self, full: Any, value: Any) -> Any:
        cost = weight(value)
        if cost > self.max_bytes // 4:  # one answer this large is not worth the room it takes
            return value
        with self._lock:
            self._newest[full[1]] = (full, time.monotonic())
            if full in self._data:
                self.bytes -= self._data.pop(full)[1]
            self._data[full] = (value, cost)
            self.bytes += cost
            while len(self._data) > self.size or self.bytes > self.max_bytes:
                evicted, (_, evicted_cost) = self._data.popitem(last=False)
                self.bytes -= evicted_cost
                if self._newest.get(evicted[1], (None,))[0] == evicted:
                    del self._newest[evicted[1]]
        return value
