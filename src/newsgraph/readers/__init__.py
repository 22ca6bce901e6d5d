"""Readers turn inputs into Articles. They know formats, nothing about language.

Every reader yields either an :class:`Article` or a :class:`ReadError`; an error
names the input (and line) and says what is wrong, and the batch goes on.
"""

from __future__ import annotations

import glob
import gzip
import os
import zlib
from collections.abc import Iterable, Iterator

from newsgraph.errors import InputError
from newsgraph.readers.items import Item, ReadError, Skipped, printable
from newsgraph.record import Article

__all__ = ["Article", "InputError", "Item", "ReadError", "Skipped", "printable", "expand_paths", "read_path",
           "read_inputs", "read_url_items", "read_feed_item", "is_article_file"]

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
# What a directory walk picks up; a file named explicitly is read whatever its name.
# What a caller may set on the articles it reads, overriding what the input says: the one definition
# the CLI's options (extract, ingest) and the API's request fields are made from.
ARTICLE_OVERRIDES: dict[str, str] = {
    "title": "Override the headline",
    "published": "Override the publication date (ISO)",
    "source": "The outlet",
    "url": "The article's URL",
}

ARTICLE_SUFFIXES = (".txt", ".text", ".jsonl", ".ndjson", ".html", ".htm", ".warc")


def is_article_file(name: str) -> bool:
    base = name.lower().removesuffix(".gz")
    return base.endswith(ARTICLE_SUFFIXES)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Directories recursively (sorted), globs, and '-' for standard input."""
    for path in paths:
        if path == "-":
            yield path
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith(".") and is_article_file(name):
                        yield os.path.join(root, name)
        elif any(c in path for c in "*?[") and not os.path.exists(path) and "://" not in path:
            yield from sorted(glob.glob(path, recursive=True))
        else:
            yield path


def read_path(path: str, policy=None, **overrides: str | None) -> Iterator[Item]:
    """Read one input, choosing the reader by name (or by content for standard input and URLs)."""
    from newsgraph.readers import fetch, html, jsonl, text, warc

    if fetch.is_url(path):
        yield from read_url_items(path, policy or fetch.FetchPolicy(), **overrides)
        return
    if path != "-" and not os.path.exists(path):
        yield ReadError(path, "no such file")
        return
    try:
        if path.lower().endswith((".warc", ".warc.gz")):
            yield from warc.read(path)
        elif path.lower().endswith(JSONL_SUFFIXES):
            yield from jsonl.read(path)
        elif path.lower().removesuffix(".gz").endswith((".html", ".htm")):
            yield from html.read(path, **overrides)
        elif path == "-":
            yield from _read_stdin(overrides)
        else:
            yield from text.read(path, **overrides)
    except InputError as exc:
        yield ReadError(path, str(exc))
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # a .gz cut short or not gzip after its magic
        yield ReadError(path, f"broken gzip data: {exc}")
    except OSError as exc:
        yield ReadError(path, f"cannot read: {exc.strerror or exc}")


def _read_stdin(overrides: dict) -> Iterator[Item]:
    from newsgraph.readers import jsonl, text
    from newsgraph.readers.decoding import decode, max_bytes, open_binary, read_capped

    data = decode(read_capped(open_binary("-"), max_bytes()))
    if data.lstrip().startswith("{"):
        yield from jsonl.read_text(data, "<stdin>")
    else:
        yield from text.read_text(data, "<stdin>", **overrides)


def read_url_items(address: str, policy, **overrides: str | None) -> Iterator[Item]:
    """A web page, or a feed: then every item's page (the feed's date stands in when the page has none)."""
    from newsgraph.readers import feeds, fetch, html

    with fetch.new_client(policy) as client:
        try:
            page = fetch.fetch(address, policy, client)
            assert page.content is not None
            if not feeds.looks_like_feed(page.content):
                yield html.parse_html(page.content, url=page.url,
                                      **{k: v for k, v in overrides.items() if k != "url"})
                return
            items = feeds.parse_feed(page.content, address)
        except InputError as exc:
            yield ReadError(address, str(exc))
            return
        for item in items:
            yield from read_feed_item(item, policy, client)


def read_feed_item(item, policy, client) -> Iterator[Item]:
    from newsgraph.readers import fetch, html

    try:
        page = fetch.fetch(item.link, policy, client)
        assert page.content is not None
        article = html.parse_html(page.content, url=page.url, fallback_date=item.published)
        yield article if article.title else article.model_copy(update={"title": item.title})
    except InputError as exc:
        yield ReadError(item.link, str(exc))


def count_items(paths: Iterable[str], budget_bytes: int = 200_000_000) -> int | None:
    """How many items the inputs hold, when that is cheap to know: a text or HTML file is one,
    a JSON Lines file one per non-blank line. None for standard input, URLs, WARC files, gzip
    files and anything past ``budget_bytes`` of JSON Lines: a progress bar then shows no total."""
    from newsgraph.readers import fetch

    total, read = 0, 0
    for path in expand_paths(paths):
        name = path.lower()
        if path == "-" or fetch.is_url(path) or name.endswith((".warc", ".warc.gz", ".gz")):
            return None
        if not name.endswith(JSONL_SUFFIXES):
            total += 1
            continue
        try:
            read += os.path.getsize(path)
            if read > budget_bytes:
                return None
            with open(path, "rb") as f:
                total += sum(1 for line in f if line.strip())
        except OSError:
            total += 1  # the reader will name the problem; it counts as one failed item
    return total


def read_inputs(paths: Iterable[str], policy=None, **overrides: str | None) -> Iterator[Item]:
    """Every article of every input, in input order, with errors (and skipped records) in their place."""
    for path in expand_paths(paths):
        yield from read_path(path, policy, **overrides)
