"""HTML pages: the article body with trafilatura, metadata from JSON-LD, OpenGraph and meta tags.

Body extraction uses trafilatura's defaults (comments excluded: they are not
the article). Dates come from the page's own metadata first; impossible dates
(in the future, before the web) are rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from newsgraph.readers._io import InputError, decode, looks_binary, max_bytes, open_binary, read_capped
from newsgraph.record import Article
from newsgraph.timeparse import parse_iso_date

_EARLIEST = dt.date(1990, 1, 1)


def read(path: str, url: str | None = None, **overrides: str | None) -> Iterator[Article]:
    with open_binary(path) as stream:
        data = read_capped(stream, max_bytes())
    yield parse_html(data, url=overrides.get("url") or url, **{k: v for k, v in overrides.items() if k != "url"})


def parse_html(data: bytes | str, url: str | None = None, title: str | None = None,
               published: str | None = None, source: str | None = None, fallback_date: str | None = None,
               ) -> Article:
    import trafilatura

    if isinstance(data, bytes):
        if not data.strip():
            raise InputError("empty page")
        if looks_binary(data):
            raise InputError("looks like a binary file, not an HTML page")
        data = decode(data)
    if "<" not in data[:4096]:
        raise InputError("not HTML: no markup in the first 4 KB")
    doc = trafilatura.bare_extraction(data, url=url, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        raise InputError("no article text found in the page")
    text = _paragraphs(doc.text)
    return Article(
        url=doc.url or url,
        source=source or doc.sitename or None,
        title=title or doc.title or None,
        subtitle=doc.description or None,
        section=(doc.categories[0] if doc.categories else None),
        authors=[a.strip() for a in re.split(r";|\band\b", doc.author or "") if a.strip()],
        published=published or plausible_date(doc.date) or plausible_date(fallback_date),
        language=doc.language or None,
        text=text,
    ).with_id()


def _paragraphs(text: str) -> str:
    """One blank line between paragraphs, as every reader gives them."""
    lines = [ln.strip() for ln in text.splitlines()]
    return "\n\n".join(ln for ln in lines if ln)


def plausible_date(value: str | None) -> str | None:
    d = parse_iso_date(value)
    if d is None or d < _EARLIEST or d > dt.date.today() + dt.timedelta(days=2):
        return None
    return value
