"""HTML pages: the article body with trafilatura; metadata from JSON-LD, OpenGraph and meta tags.

The page is parsed once (trafilatura's lxml settings); metadata is read from
that tree first (JSON-LD, then OpenGraph and meta tags, then <title>), then the
same tree goes to trafilatura for the body, favoring precision and without
comments (they are not the article).
htmldate is the fallback for the date; impossible dates (before 1990, or in
the future) are rejected. The language comes from the page's own declaration,
else from the text (py3langid, whose model ships in its package).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newsgraph.errors import InputError
from newsgraph.readers.decoding import decode, max_bytes, open_binary, read_capped
from newsgraph.record import Article
from newsgraph.timeparse import parse_date_line, parse_iso_date

_EARLIEST = dt.date(1990, 1, 1)
MIN_WORDS = 15
# Elements that never hold the article body; dropping them before extraction saves trafilatura time at
# no cost on the benchmark (<form> is not among them: some sites wrap whole pages in one).
NEVER_ARTICLE = ("script", "style", "noscript", "svg", "template", "nav", "footer")
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "backgroundnewsarticle", "report", "webpage", "liveblogposting"}
DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
             "publish-date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "parsely-pub-date",
             "sailthru.date", "cxenseparse:recs:publishtime", "article.published", "published-date")


@dataclass
class Meta:
    title: str | None = None
    description: str | None = None
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # candidates, most trusted first
    site: str | None = None
    url: str | None = None
    language: str | None = None


def read(path: str, **overrides: str | None) -> Iterator[Article]:
    with open_binary(path) as stream:
        data = read_capped(stream, max_bytes())
    yield parse_html(data, **overrides)


def parse_html(data: bytes | str, url: str | None = None, title: str | None = None,
               published: str | None = None, source: str | None = None, fallback_date: str | None = None,
               ) -> Article:
    """One page -> one Article; raises InputError when the page has no article."""
    import trafilatura

    if isinstance(data, bytes):
        if not data.strip():
            raise InputError("empty page")
        data = decode(data)
    if "<" not in data[:4096]:
        raise InputError("not HTML: no markup in the first 4 KB")
    tree = trafilatura.load_html(data)  # trafilatura's parser settings: its extraction is tuned to them
    if tree is None:
        raise InputError("cannot parse the page as HTML")
    meta = read_meta(tree, url)  # before extraction, which prunes the tree
    etree.strip_elements(tree, *NEVER_ARTICLE, with_tail=False)
    # favor_precision: measured best on the article-extraction benchmark (docs/evaluation.md)
    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, favor_precision=True)
    if doc is None or len((doc.text or "").split()) < MIN_WORDS:
        raise InputError(f"no article text found in the page (fewer than {MIN_WORDS} words)")
    text = _without_headline(_paragraphs(doc.text), (title, meta.title, doc.title))
    date = published or next((d for d in map(plausible_date, meta.dates) if d), None)
    if date is None:
        date = _date_in_url(meta.url or url) or _htmldate(tree) or plausible_date(fallback_date)
    return Article(
        url=meta.url or url,
        source=source or meta.site or None,
        title=title or meta.title or doc.title or None,
        subtitle=meta.description or None,
        section=meta.section,
        authors=meta.authors,
        published=date,
        language=meta.language or detect_language(text),
        text=text,
    ).with_id()


# --- metadata -------------------------------------------------------------------------


def read_meta(tree, url: str | None) -> Meta:
    meta = Meta()
    scripts = [s.text or "" for s in tree.xpath('//script[@type="application/ld+json"]')]
    for obj in _json_ld_articles(scripts):
        _fill_from_json_ld(meta, obj)
        break
    tags = _meta_tags(tree)
    meta.title = meta.title or tags.get("og:title") or tags.get("twitter:title")
    meta.description = meta.description or tags.get("og:description") or tags.get("description")
    meta.site = meta.site or tags.get("og:site_name") or tags.get("application-name")
    meta.section = meta.section or tags.get("article:section")
    if not meta.authors:
        meta.authors = [a for a in (tags.get("author"), tags.get("article:author")) if a and "://" not in a][:1]
    meta.dates += [tags[k] for k in DATE_META if tags.get(k)]
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    meta.url = _absolute(canonical[0], url) if canonical else (meta.url or tags.get("og:url") or url)
    lang = tree.get("lang") or tags.get("og:locale") or tags.get("content-language")
    meta.language = lang.replace("_", "-").split("-")[0].lower() if lang else None
    if not meta.title:
        titles = tree.xpath("//title/text()")
        meta.title = titles[0].strip() if titles else None
    return meta


def _absolute(href: str, base: str | None) -> str:
    return urljoin(base, href.strip()) if base else href.strip()


def _meta_tags(tree) -> dict[str, str]:
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in tags:
            tags[key] = value
    return tags


def _json_ld_articles(scripts: list[str]) -> Iterator[dict]:
    for script in scripts:
        try:
            data = json.loads(script)
        except (json.JSONDecodeError, TypeError):
            continue
        yield from (obj for obj in _walk_ld(data) if _ld_type(obj) & ARTICLE_TYPES and obj.get("headline"))


def _walk_ld(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_ld(data["@graph"])


def _ld_type(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {x.lower() for x in ([t] if isinstance(t, str) else t) if isinstance(x, str)}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [value["name"]] if isinstance(value.get("name"), str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _fill_from_json_ld(meta: Meta, obj: dict) -> None:
    meta.title = obj.get("headline") if isinstance(obj.get("headline"), str) else None
    meta.description = obj.get("description") if isinstance(obj.get("description"), str) else None
    meta.dates += [d for d in (obj.get("datePublished"), obj.get("dateCreated")) if isinstance(d, str)]
    meta.authors = _names(obj.get("author"))
    section = obj.get("articleSection")
    meta.section = section[0] if isinstance(section, list) and section else section if isinstance(section, str) else None
    publisher = _names(obj.get("publisher"))
    meta.site = publisher[0] if publisher else None
    meta.language = obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None


# --- dates and language ------------------------------------------------------------------


def plausible_date(value: str | None) -> str | None:
    """An ISO date (or datetime) from a metadata value, or None when it is missing or impossible."""
    if not value:
        return None
    value = str(value).strip()
    iso = re.match(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?", value)
    text = iso.group(0) if iso else parse_date_line(value)
    d = parse_iso_date(text)
    if d is None or d < _EARLIEST or d > dt.date.today() + dt.timedelta(days=2):
        return None
    return text


_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


def _date_in_url(url: str | None) -> str | None:
    """'/2024/03/05/' in the article's URL: cheap and, where present, reliable."""
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    return plausible_date(f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}")


def _htmldate(tree) -> str | None:
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        found = find_date(tree, original_date=True, extensive_search=False)
    except Exception:  # htmldate is a best-effort fallback
        return None
    return plausible_date(found)


def detect_language(text: str) -> str | None:
    try:
        import py3langid
    except ImportError:
        return None
    lang, _ = py3langid.classify(text[:1000])
    return lang


def _without_headline(text: str, titles: tuple[str | None, ...]) -> str:
    """The headline is a field of its own, not part of the text."""
    first, _, rest = text.partition("\n\n")
    heads = {" ".join(t.split()).lower() for t in titles if t}
    if rest and " ".join(first.split()).lower() in heads:
        return rest
    return text


def _paragraphs(text: str) -> str:
    """One blank line between paragraphs, as every reader gives them."""
    lines = [ln.strip() for ln in text.splitlines()]
    return "\n\n".join(ln for ln in lines if ln)
