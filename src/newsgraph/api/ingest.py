"""POST /api/articles: one text, JSON Lines record or URL -> read, extracted and stored by the same
path batch ingest takes (``batch.ingest_items``): the same readers, the same skip of an article
stored unchanged, the same per-article time limit, the same store transaction.

The extraction runs in a worker process (a ``runners.pool.WorkerPool``), not in the server: the
pipeline's per-article time limit holds there (it needs a process's main thread), the server's
threads stay free to answer while a hard article is parsed, and a worker that overruns even that is
killed and replaced.
"""

from __future__ import annotations

from newsgraph import batch
from newsgraph.errors import InputError
from newsgraph.readers import ARTICLE_OVERRIDES, Item, ReadError
from newsgraph.record import Article
from newsgraph.runners import Runner
from newsgraph.runners.pool import WorkerPool
from newsgraph.store import Store


def extraction_runner() -> WorkerPool:
    """The server's runner: one spawned worker process (the server's threads are not forked, and
    the model stays out of the server's memory), one article per task, killed and replaced when an
    article overruns the time limit."""
    return WorkerPool(workers=1, start="spawn", batch_size=1)


def request_items(body: dict) -> list[Item]:
    """The reader items of a request body: a JSON Lines record, a text, or a URL to fetch."""
    from newsgraph.readers.jsonl import parse_line
    from newsgraph.readers.text import read_text

    overrides = {k: body.get(k) for k in ARTICLE_OVERRIDES}
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


def ingest_one(store: Store, body: dict, runner: Runner) -> tuple[Article, str]:
    """Read, extract and store one request's article: (the article, 'new' | 'updated' | 'unchanged'),
    or ValueError with the reason it was refused."""
    items = request_items(body)
    articles = [i for i in items if isinstance(i, Article)]
    summary = batch.ingest_items(items, store, runner)
    if summary.failures:
        raise ValueError(summary.failures[0])
    outcome = next(k for k in ("new", "updated", "unchanged") if summary.outcomes[k])
    return articles[0], outcome
