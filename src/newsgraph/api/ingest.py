"""POST /api/articles: one text, JSON Lines record or URL -> read, extracted and stored by the same
path batch ingest takes (``batch.ingest_items``): the same readers, the same skip of an article
stored unchanged, the same per-article time limit, the same store transaction.

The extraction runs in a worker process, not in the server: the pipeline's per-article time limit
holds there (it needs a process's main thread), the server's threads stay free to answer while a
hard article is parsed, and a worker that overruns even that is killed and replaced.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from newsgraph import batch
from newsgraph.errors import InputError
from newsgraph.pipeline import DEFAULT_STAGES, DEFAULT_TIME_LIMIT, ProcessError, pipeline_version
from newsgraph.pipeline.parallel import process_batch
from newsgraph.readers import Item, ReadError
from newsgraph.record import Article, Record
from newsgraph.store import Store

GRACE = 30.0  # seconds past the pipeline's own limit before the worker is killed


class Extractor:
    """The default pipeline in one worker process, started on first use and replaced when it has to
    be killed. It extracts as a Pipeline does (``process_many``, ``version``), so batch's path can
    use it in place of one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self.version = pipeline_version(DEFAULT_STAGES)

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        for article in articles:
            yield self._extract(article)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def _extract(self, article: Article) -> Record | ProcessError:
        pool = self._executor()
        future = pool.submit(process_batch, [article])  # the worker's pipeline is built once, on first use
        try:
            (out,) = future.result(timeout=DEFAULT_TIME_LIMIT + GRACE)
        except FutureTimeout:
            self._kill(pool)
            return ProcessError(article.id, f"extraction took longer than {DEFAULT_TIME_LIMIT + GRACE:g} s "
                                            "and was stopped")
        except BrokenProcessPool:
            self._kill(pool)
            return ProcessError(article.id, "the extraction worker died on this article")
        return out

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            if self._pool is pool:
                self._pool = None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


def request_items(body: dict) -> list[Item]:
    """The reader items of a request body: a JSON Lines record, a text, or a URL to fetch."""
    from newsgraph.readers.jsonl import parse_line
    from newsgraph.readers.text import read_text

    overrides = {k: body.get(k) for k in ("title", "published", "source", "url")}
    try:
        if body.get("jsonl"):
            return [parse_line(body["jsonl"], "request", 1)]
        if body.get("text"):
            return list(read_text(body["text"], "request", **overrides))
        if body.get("url"):
            from newsgraph.readers import read_url_items
            from newsgraph.readers.fetch import FetchPolicy

            items = list(read_url_items(body["url"], FetchPolicy()))
            if len(items) > 1 and not any(isinstance(i, ReadError) for i in items):
                raise InputError("the URL is a feed; POST one article at a time or use `newsgraph watch`")
            return items
    except InputError as exc:
        return [ReadError("request", str(exc))]
    return [ReadError("request", "send one of: text, jsonl, url")]


def ingest_one(store: Store, body: dict, extractor: Extractor) -> tuple[Article, str]:
    """Read, extract and store one request's article: (the article, 'new' | 'updated' | 'unchanged'),
    or ValueError with the reason it was refused."""
    items = request_items(body)
    articles = [i for i in items if isinstance(i, Article)]
    summary = batch.ingest_items(items, store, extractor)
    if summary.failures:
        raise ValueError(summary.failures[0])
    outcome = next(k for k in ("new", "updated", "unchanged") if summary.outcomes[k])
    return articles[0], outcome
