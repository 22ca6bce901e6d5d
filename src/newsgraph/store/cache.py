"""A small cache for rendered pages, facet counts and API answers, keyed by the store's version.

Any ingest changes the version (article count and latest ingest time), so a
cached value never outlives the data it was computed from.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from newsgraph.store import schema as t


class VersionedCache:
    def __init__(self, engine, size: int = 4096, version_ttl: float = 2.0) -> None:
        self.engine = engine
        self.size = size
        self.version_ttl = version_ttl  # how long a version reading is trusted (seconds)
        self._data: OrderedDict[Any, Any] = OrderedDict()
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
                return self._data[full]
        value = compute()
        with self._lock:
            self._data[full] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value
