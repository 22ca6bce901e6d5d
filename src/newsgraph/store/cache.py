"""A small cache for rendered pages, facet counts and API answers, keyed by the store's version.

Any ingest changes the version (article count and latest ingest time, read at most every 2 s), so a
cached value never outlives the data it was computed from by more than that, with one exception made
for load: after another process wrote, a reader asking for a page the cache holds at an earlier
version gets that page at once if it is under ``NEWSGRAPH_STALE_SECONDS`` (10 s) old, and the new
page is computed in the background (HTTP's stale-while-revalidate): while an ingest writes, the
version changes every few seconds and no reader should wait for the pages it makes old. A write from
this server, ``POST /api/articles``, is seen at once: its poster waits for the new page. The cache is bounded by entries
and by bytes (``NEWSGRAPH_CACHE_MB``, 64 MB): a flood of distinct requests (a thousand
``?span=`` values on one long article, each a page of a megabyte) evicts the oldest entries
instead of growing the server.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from newsgraph.store import schema as t

MISSING = object()
STALE_SECONDS = float(os.environ.get("NEWSGRAPH_STALE_SECONDS", "10"))
REFRESH_THREADS = 2  # pages made old by a write, computed again in the background
log = logging.getLogger("newsgraph.cache")


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
        self._reading_version = threading.Lock()
        self._refresher: ThreadPoolExecutor | None = None  # started at the first stale answer

    def version(self) -> Any:
        """The store's version, read again when older than ``version_ttl``: by one reader, while the
        others asking meanwhile go on with the version read last (twenty readers once all queried it)."""
        fresh = self._fresh_version()
        if fresh is not None:
            return fresh
        value = self._version[0]
        if not self._reading_version.acquire(blocking=value is None):
            return value
        with _held(self._reading_version):
            value = self._fresh_version()
            if value is None:
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
        /stories after a write would otherwise each compute the page). After another process wrote,
        the previous value is the answer while the new one is computed in the background."""
        full = (self.version(), key)
        found = self._from_memory(full, compute)
        if found is not MISSING:
            return found
        with self._lock:
            computing = self._computing.setdefault(full, threading.Lock())
        computing.acquire()  # another reader may be computing it: wait for that one
        with _held(computing):
            found = self._cached(full)
            if found is not MISSING:
                return found
            try:
                return self._store(full, compute())
            finally:
                with self._lock:
                    self._computing.pop(full, None)

    def get_now(self, key: Any, compute: Callable[[], Any]) -> Any:
        """What :meth:`get` would answer from memory alone (the cached value, or an earlier one while
        the new one is computed in the background), without reading the database or computing in
        this thread: ``MISSING`` when it would have to. The server answers these on its event loop,
        with no worker thread."""
        version = self._fresh_version()
        return MISSING if version is None else self._from_memory((version, key), compute)

    def _fresh_version(self) -> Any:
        """The version read last, if read within ``version_ttl``; else None."""
        value, read_at = self._version
        return value if time.monotonic() - read_at <= self.version_ttl else None

    def _from_memory(self, full: Any, compute: Callable[[], Any]) -> Any:
        """The value at this version, else an earlier one while this one is computed in the
        background, else MISSING."""
        found = self._cached(full)
        if found is not MISSING:
            return found
        stale = self._stale(full[1])
        if stale is not MISSING:
            self._refresh_in_background(full, compute)
        return stale

    def _refresh_in_background(self, full: Any, compute: Callable[[], Any]) -> None:
        with self._lock:
            if full in self._computing:  # a reader or a refresh is on it already
                return
            computing = self._computing[full] = threading.Lock()
            computing.acquire()
            if self._refresher is None:
                self._refresher = ThreadPoolExecutor(REFRESH_THREADS, thread_name_prefix="cache-refresh")
        self._refresher.submit(self._refresh, full, compute, computing)

    def _refresh(self, full: Any, compute: Callable[[], Any], computing: threading.Lock) -> None:
        try:
            self._store(full, compute())
        except Exception:  # noqa: BLE001 - a reader that asks next computes it and sees the error itself
            log.debug("refreshing %r failed", full[1], exc_info=True)
        finally:
            with self._lock:
                self._computing.pop(full, None)
            computing.release()

    def _cached(self, full: Any) -> Any:
        with self._lock:
            if full in self._data:
                self._data.move_to_end(full)
                return self._data[full][0]
        return MISSING

    def _stale(self, key: Any) -> Any:
        """The value of ``key`` at an earlier version, if computed within the last STALE_SECONDS."""
        with self._lock:
            full, at = self._newest.get(key, (None, 0.0))
            if full in self._data and time.monotonic() - at <= STALE_SECONDS:
                return self._data[full][0]
        return MISSING

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
