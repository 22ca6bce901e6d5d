"""`newsgraph watch`: poll feeds with conditional GET and store each new item's article.

The store remembers each feed's ETag/Last-Modified and the item links already
stored, so a second poll of an unchanged feed costs one conditional request.
A failed item is reported and retried on the next poll that lists it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable

from newsgraph.batch import Summary, ingest_items
from newsgraph.errors import InputError
from newsgraph.readers import read_feed_item
from newsgraph.readers.feeds import parse_feed
from newsgraph.readers.fetch import FetchPolicy, fetch, new_client
from newsgraph.record import Article
from newsgraph.runners import Runner
from newsgraph.store import Store

MIN_INTERVAL = 10.0  # seconds: polling faster hammers the feeds' servers and gains nothing


def parse_interval(text: str) -> float:
    """'90s', '10m', '1h', or plain seconds; at least MIN_INTERVAL."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m:
        raise ValueError(f"not an interval: {text!r} (use e.g. 30s, 10m, 1h)")
    seconds = float(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[m[2]]
    if seconds < MIN_INTERVAL:
        raise ValueError(f"polling every {text.strip()} is too often: at least {MIN_INTERVAL:g}s "
                         "(use --once from cron for other schedules)")
    return seconds


def poll(feeds: Iterable[str], store: Store, runner: Runner, policy: FetchPolicy,
         on_error: Callable[[str], None] = lambda _: None, summary: Summary | None = None) -> Summary:
    summary = summary or Summary()
    with new_client(policy) as client:
        for feed in feeds:
            _poll_one(feed, store, runner, policy, client, summary, on_error)
    return summary


def _poll_one(feed, store, runner, policy, client, summary, on_error) -> None:
    def fail(message: str) -> None:
        summary.failures.append(message)
        on_error(message)

    etag, last_modified = store.feed_state(feed)
    try:
        page = fetch(feed, policy, client, etag=etag, last_modified=last_modified)
        if page.not_modified:
            summary.skipped["feed not modified"] += 1
            store.save_feed_state(feed, etag, last_modified)
            return
        assert page.content is not None
        items = parse_feed(page.content, feed)
    except InputError as exc:
        fail(f"{feed}: {exc}")
        return
    seen = store.seen_links(feed)
    for item in items:
        if item.link in seen:
            continue
        read = list(read_feed_item(item, policy, client))
        failed_before = summary.failed
        ingest_items(read, store, runner, summary, on_error)  # batch's path: one bad item fails alone
        article = next((a for a in read if isinstance(a, Article)), None)
        if article is not None and summary.failed == failed_before:
            store.mark_seen(feed, item.link, article.id)
    store.save_feed_state(feed, page.etag, page.last_modified)


def watch(feeds: list[str], store: Store, runner: Runner, policy: FetchPolicy, every: float,
          once: bool, report: Callable[[Summary], None], on_error: Callable[[str], None],
          stopped: Callable[[Summary, int], None] = lambda _total, _polls: None) -> Summary:
    """Poll until ``once`` or an interrupt (Ctrl-C): then ``stopped`` gets the whole run's summary and
    how many polls it made, and it is returned (every stored article was its own transaction)."""
    total, polls = Summary(), 0
    try:
        while True:
            summary = poll(feeds, store, runner, policy, on_error)
            polls += 1
            total.outcomes.update(summary.outcomes)
            total.failures += summary.failures
            total.skipped.update(summary.skipped)
            report(summary)
            if once:
                return summary
            time.sleep(every)
    except KeyboardInterrupt:
        stopped(total, polls)
        return total
