"""Quotes across outlets, one row per wording: who carried the same words, in publication order,
who published them first and who cites whom.

Mixed into :class:`newsgraph.store.queries.Queries`. Field names are the record's (``text``,
``speaker``, ``via``, ``start``/``end``) and the claims' (``first_publisher``, ``first_published``,
``first_precision``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from newsgraph.store import schema as t
from newsgraph.store.paging import MAX_LIMIT, decode_cursor, encode_cursor
from newsgraph.store.repository import escape_like
from newsgraph.store.text_search import query_words
from newsgraph.stories.claims import copied_from, first_report, normalize_quote
from newsgraph.timeparse import published_bounds

MAX_QUOTES = 5000  # quotes read per request before grouping; the page says when there were more
SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
WORDING_ORDERS = ("newest", "outlets", "oldest")


@dataclass(frozen=True)
class QuoteFilter:
    text: str | None = None  # every word occurs in the quote, in any order
    speaker: str | None = None  # the speaker's name or any alias of the speaker's entity
    source: str | None = None  # outlet
    since: str | None = None
    until: str | None = None
    entity_id: int | None = None

    def active(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v}


def _like(value: str) -> str:
    return f"%{escape_like(value)}%"


def sort_key(published: str | None) -> tuple[str, str]:
    """Publication order where a vague date ('2025-09', '2025-09-06') sorts at the end of its period,
    never ahead of the exact times inside it; undated last."""
    bounds = published_bounds(published)
    return (bounds[1], bounds[0]) if bounds else ("\uffff", "")


def precision_of(published: str | None) -> str | None:
    bounds = published_bounds(published)
    return bounds[2] if bounds else None


class QuoteQueries:
    engine: Any
    _entity_ids: Any  # Queries._entity_ids: the entities a name means

    def quote_carriers(self, f: QuoteFilter, cap: int = MAX_QUOTES) -> tuple[list[dict[str, Any]], bool]:
        """Speech quotes the filter selects, each with its article's outlet, time and title, newest first;
        and whether there were more than ``cap``."""
        q, a, e = t.quotes, t.articles, t.entities
        stmt = (select(q.c.article_id, q.c.text, q.c.start, q.c.end, q.c.direct, q.c.speaker, q.c.entity_id,
                       e.c.name.label("speaker_name"), q.c.cue, q.c.via, a.c.source, a.c.published, a.c.title,
                       a.c.url)
                .join(a, a.c.id == q.c.article_id).join(e, e.c.id == q.c.entity_id, isouter=True)
                .where(q.c.kind == "speech")
                .order_by(a.c.published.desc(), q.c.article_id, q.c.start).limit(cap + 1))
        for word in query_words(f.text or ""):
            stmt = stmt.where(q.c.text.ilike(_like(word), escape="\\"))
        if f.speaker:
            stmt = stmt.where(or_(q.c.speaker.ilike(_like(f.speaker), escape="\\"),
                                  q.c.entity_id.in_(self._entity_ids(f.speaker, SPEAKER_TYPES))))
        if f.entity_id:
            stmt = stmt.where(q.c.entity_id == f.entity_id)
        if f.source:
            stmt = stmt.where(a.c.source.ilike(_like(f.source), escape="\\"))
        if f.since:
            stmt = stmt.where(a.c.published >= f.since)
        if f.until:
            stmt = stmt.where(a.c.published <= f.until + "\uffff")
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(stmt)]
        return rows[:cap], len(rows) > cap

    def wordings(self, f: QuoteFilter, limit: int = 20, cursor: str | None = None,
                 order: str = "newest") -> dict[str, Any]:
        """One item per wording: ``text``, ``speakers``, ``outlets`` (how many), ``carriers`` in
        publication order (each with ``source``, ``published``, ``precision``, ``via``, ``first``,
        ``article_id``, ``start``, ``end``), the first publisher and the ``via_chain``."""
        if order not in WORDING_ORDERS:
            raise ValueError(f"order must be one of {', '.join(WORDING_ORDERS)}, not {order!r}")
        carriers, truncated = self.quote_carriers(f)
        items = group_wordings(carriers)
        if order == "outlets":
            items.sort(key=lambda w: (-w["outlets"], -len(w["carriers"])))
        elif order == "oldest":
            items.reverse()
        limit = max(1, min(limit, MAX_LIMIT))
        offset = decode_cursor(cursor)
        nxt = encode_cursor(offset + limit) if offset + limit < len(items) else None
        return {"items": items[offset:offset + limit], "total": len(items), "next": nxt,
                "quotes": len(carriers), "truncated": truncated}


def group_wordings(carriers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes with the same words (case, accents, spacing and quote marks aside) as one wording each,
    newest first by their first report."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in carriers:
        groups.setdefault(normalize_quote(c["text"] or ""), []).append(c)
    items = [_wording(key, rows) for key, rows in groups.items() if key]
    items.sort(key=lambda w: sort_key(w["carriers"][0]["published"]), reverse=True)
    return items


def _wording(key: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    rows = sorted(rows, key=lambda c: (sort_key(c["published"]), c["source"] or "", c["article_id"], c["start"]))
    first = first_report((c["source"], c["published"]) for c in rows)
    carriers = [{**c, "precision": precision_of(c["published"]),
                 "first": bool(first["first_publisher"]) and c["source"] == first["first_publisher"]
                 and c["published"] == first["first_published"]} for c in rows]
    # one name per speaker: the store's canonical name where the speaker is a known entity
    speakers = list(dict.fromkeys(c["speaker_name"] or c["speaker"] for c in rows if c["speaker"]))
    text = (rows[0]["text"] or "").strip().rstrip(",;:").rstrip()  # the comma before 'he said' is not the quote's
    return {"key": key, "text": text, "direct": any(c["direct"] for c in rows), "speakers": speakers,
            "outlets": len({c["source"] or c["article_id"] for c in rows}), "carriers": carriers, **first,
            "via_chain": [f"{c['source'] or '?'} <- {c['via']}" for c in rows if c.get("via")],
            "one_source": copied_from([c.get("via") for c in rows])}
