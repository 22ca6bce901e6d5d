"""POST /api/articles: one text, JSON Lines record or URL -> extracted and stored.

The extraction runs in a worker process, not in the server: the pipeline's per-article time limit
holds there (it needs a process's main thread), the server's threads stay free to answer while a
hard article is parsed, and a worker that overruns even that is killed and replaced.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from functools import cache

from newsgraph.errors import InputError
from newsgraph.pipeline import DEFAULT_TIME_LIMIT, Pipeline
from newsgraph.readers import ReadError
from newsgraph.record import Article, Record
from newsgraph.store import Store

GRACE = 30.0  # seconds past the pipeline's own limit before the worker is killed


@cache
def _pipeline() -> Pipeline:
    return Pipeline()


def _extract_in_worker(article_json: str) -> str:
    """Runs in the worker process: a record's JSON, or 'error: ...'."""
    from newsgraph.pipeline import ProcessError

    result = next(_pipeline().process_many([Article.model_validate_json(article_json)]))
    return f"error: {result.message}" if isinstance(result, ProcessError) else result.to_json()


class Extractor:
    """One worker process, started on first use and replaced when it has to be killed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def extract(self, article: Article) -> Record:
        pool = self._executor()
        future = pool.submit(_extract_in_worker, article.model_dump_json())
        try:
            out = future.result(timeout=DEFAULT_TIME_LIMIT + GRACE)
        except FutureTimeout:
            self._kill(pool)
            raise ValueError(f"article {article.id}: extraction took longer than "
                             f"{DEFAULT_TIME_LIMIT + GRACE:g} s and was stopped") from None
        except BrokenProcessPool:
            self._kill(pool)
            raise ValueError(f"article {article.id}: the extraction worker died on this article") from None
        if out.startswith("error: "):
            raise ValueError(out.removeprefix("error: "))
        return Record.from_json(out)

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


def ingest_one(store: Store, body: dict, extractor: Extractor | None = None) -> tuple[Record, str]:
    from newsgraph.readers.jsonl import parse_line
    from newsgraph.readers.text import read_text

    overrides = {k: body.get(k) for k in ("title", "published", "source", "url")}
    try:
        if body.get("jsonl"):
            article = parse_line(body["jsonl"], "request", 1)
        elif body.get("text"):
            (article,) = list(read_text(body["text"], "request", **overrides))
        elif body.get("url"):
            from newsgraph.readers import read_url_items
            from newsgraph.readers.fetch import FetchPolicy

            items = list(read_url_items(body["url"], FetchPolicy()))
            errors = [i for i in items if isinstance(i, ReadError)]
            if errors:
                raise ValueError(str(errors[0]))
            if len(items) != 1:
                raise ValueError("the URL is a feed; POST one article at a time or use `newsgraph watch`")
            article = items[0]
        else:
            raise ValueError("send one of: text, jsonl, url")
    except InputError as exc:
        raise ValueError(str(exc)) from None
    record = extractor.extract(article) if extractor is not None else _pipeline().process(article)
    return record, store.ingest(record)
