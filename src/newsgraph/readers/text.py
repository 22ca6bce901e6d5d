"""Plain-text articles, with the page furniture that pasted web pages carry.

A pasted page often opens with a page-date line ("Today : Sep 08, 2025"), a
section line ("World News"), a publication-date line ("07 September 2025"),
the headline and a standfirst. These become ``published``, ``section``,
``title`` and ``subtitle``; the rest is ``text``. A plain article (headline,
blank line, body) works too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from newsgraph.errors import InputError
from newsgraph.readers.decoding import decode, max_bytes, open_binary, read_capped
from newsgraph.record import Article
from newsgraph.timeparse import parse_date_line

# A labelled date line: the label says whether it is the page's date or the article's.
_LABELLED_DATE = re.compile(r"^(?P<label>[A-Za-z ]{2,20}?)\s*[:\-\u2013|]\s*(?P<date>.+)$")
_PUBLISHED_LABELS = {"published", "posted", "date", "published on", "first published"}
_SECTION_MAX_WORDS = 5
_HEADLINE_MAX_WORDS = 30
_STANDFIRST_MAX_WORDS = 70


@dataclass
class Layout:
    title: str | None = None
    subtitle: str | None = None
    section: str | None = None
    published: str | None = None
    paragraphs: list[str] = field(default_factory=list)


def read(path: str, **overrides: str | None) -> Iterator[Article]:
    with open_binary(path) as stream:
        data = read_capped(stream, max_bytes())
    if not data.strip():
        raise InputError("empty file: no text to read")
    yield from read_text(decode(data), path, **overrides)


def read_text(
    data: str,
    name: str,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Iterator[Article]:
    layout = parse_layout(data)
    if not layout.paragraphs:
        raise InputError("no article text found (only a headline or header lines)")
    yield Article(
        url=url,
        source=source,
        title=title or layout.title,
        subtitle=layout.subtitle,
        section=layout.section,
        published=published or layout.published,
        text="\n\n".join(layout.paragraphs),
    ).with_id()


def split_paragraphs(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    blocks = re.split(r"\n[ \t\u00a0]*\n", text)
    return [[ln.strip() for ln in b.split("\n") if ln.strip()] for b in blocks if b.strip()]


def is_body_paragraph(lines: list[str]) -> bool:
    """Prose, not a header line: long, or ending like a sentence."""
    joined = " ".join(lines)
    words = len(joined.split())
    return words > _HEADLINE_MAX_WORDS or (words > 8 and joined.rstrip()[-1:] in ".!\"”'’")


def parse_layout(text: str) -> Layout:
    blocks = split_paragraphs(text)
    layout = Layout()
    header_blocks: list[list[str]] = []
    while blocks and not is_body_paragraph(blocks[0]):
        header_blocks.append(blocks.pop(0))
    if not blocks and len(header_blocks) >= 2:  # a short article: headline, then short paragraphs
        blocks = header_blocks[1:]
        header_blocks = header_blocks[:1]
    elif not blocks and header_blocks:
        blocks = header_blocks
        header_blocks = []
    had_furniture = _read_header([ln for b in header_blocks for ln in b], layout)
    if had_furniture and len(blocks) >= 2 and _is_standfirst(blocks[0]):
        layout.subtitle = " ".join(blocks.pop(0))
    layout.paragraphs = [" ".join(b) for b in blocks]
    return layout


def _is_standfirst(lines: list[str]) -> bool:
    return len(lines) == 1 and len(lines[0].split()) <= _STANDFIRST_MAX_WORDS


def _read_header(lines: list[str], layout: Layout) -> bool:
    """Fill title, section and published from header lines; True if any furniture was seen."""
    furniture = False
    others: list[str] = []
    for line in lines:
        kind, value = classify_header_line(line)
        if kind == "published":
            layout.published = layout.published or value
            furniture = True
        elif kind == "page_date":
            furniture = True
        else:
            others.append(line)
    if others:
        layout.title = others[-1]
        sections = [ln for ln in others[:-1] if len(ln.split()) <= _SECTION_MAX_WORDS]
        if sections:
            layout.section = sections[0]
            furniture = True
    return furniture


def classify_header_line(line: str) -> tuple[str, str | None]:
    """'published' (with the ISO date), 'page_date' (the day the page was shown) or 'text'."""
    date = parse_date_line(line)
    if date:
        return "published", date
    m = _LABELLED_DATE.match(line)
    if m:
        date = parse_date_line(m["date"])
        if date:
            label = m["label"].strip().lower()
            return ("published", date) if label in _PUBLISHED_LABELS else ("page_date", date)
    return "text", None
