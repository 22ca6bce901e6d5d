"""RSS and Atom feeds: items with their links, titles and dates.

XML bombs are refused before feedparser sees the bytes: a feed that declares
entities (billion laughs, external entities) is not a feed we read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from newsgraph.errors import InputError

_MAX_ITEMS = 10_000


@dataclass(frozen=True)
class FeedItem:
    link: str
    title: str | None
    published: str | None  # ISO date of the item, when the feed gives one
    summary: str | None


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in data[:4096].lower() or b"<feed" in data[:4096].lower()) \
        or head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def refuse_entities(data: bytes) -> None:
    """Refuse DTD entity declarations and external references (XML bombs, XXE)."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(f"refused: the feed declares XML entities ({type(exc).__name__})") from None
    except SafeET.ParseError as exc:
        raise InputError(f"not a well-formed feed: {exc}") from None


def parse_feed(data: bytes, name: str) -> list[FeedItem]:
    import feedparser

    if not data.strip():
        raise InputError("empty feed")
    refuse_entities(data)
    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.bozo:
        raise InputError(f"not a feed: {parsed.bozo_exception}")
    items = []
    for entry in parsed.entries[:_MAX_ITEMS]:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp) if stamp else None
        items.append(FeedItem(link, entry.get("title"), published, entry.get("summary")))
    return items
