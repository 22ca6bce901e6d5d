"""POST /api/articles: one text, JSON Lines record or URL -> extracted and stored."""

from __future__ import annotations

from functools import cache

from newsgraph.pipeline import Pipeline
from newsgraph.readers import ReadError
from newsgraph.readers._io import InputError
from newsgraph.record import Record
from newsgraph.store import Store


@cache
def _pipeline() -> Pipeline:
    return Pipeline()


def ingest_one(store: Store, body: dict) -> tuple[Record, str]:
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
    record = _pipeline().process(article)
    return record, store.ingest(record)
