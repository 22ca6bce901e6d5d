"""Read-side queries for the API and the web pages: filtered, paginated, field names as in the record.

Pagination is by opaque cursor: ``{"items": [...], "total": N, "next": cursor-or-null}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Text, and_, func, or_, select, text

from newsgraph.filters import ArticleFilter
from newsgraph.names import name_key
from newsgraph.store import schema as t
from newsgraph.store.paging import MAX_LIMIT, decode_cursor, encode_cursor, page
from newsgraph.store.quote_queries import QuoteQueries
from newsgraph.store.repository import Store, escape_like
from newsgraph.store.story_queries import StoryQueries
from newsgraph.store.text_search import TextQuery

FACET_WINDOW = 100
NAME_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")


def _like(value: str) -> str:
    return f"%{escape_like(value)}%"


@dataclass
class Match:
    ids: list[str]  # the newest matching ids, as many as were asked for
    total: int  # how many articles match in all


class Queries(StoryQueries, QuoteQueries):
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    # --- articles ---------------------------------------------------------------------

    def _entity_ids(self, name: str, types: tuple[str, ...]):
        """Entities of these types that a name means: a part of the name or of an alias, or the same
        name-key ('Zelensky', 'Zelenskiy' and 'Zelenskyy' are one spelling; a surname alone finds the person)."""
        e, like, key = t.entities, _like(name), name_key(name)
        means = [e.c.name.ilike(like, escape="\\"), func.cast(e.c.aliases, Text).ilike(like, escape="\\")]
        if key:
            means += [e.c.name_key == key, e.c.surname_key == key]
        return select(e.c.id).where(e.c.type.in_(types), or_(*means))

    def article_ids(self, f: ArticleFilter):
        """A selectable of article ids matching the filter (None: no filter)."""
        a = t.articles
        conds = []
        if f.q:
            dialect = self.engine.dialect.name
            if dialect in ("sqlite", "postgresql"):
                conds.append(self.text_query(f.q).where(dialect))
            else:  # a database without a full-text index here: substring match
                conds.append(or_(a.c.title.ilike(_like(f.q), escape="\\"), a.c.text.ilike(_like(f.q), escape="\\")))
        if f.source:
            conds.append(a.c.source.ilike(_like(f.source), escape="\\"))
        if f.since:
            conds.append(a.c.published >= f.since)
        if f.until:
            conds.append(a.c.published <= f.until + "\uffff")
        if f.person:
            conds.append(a.c.id.in_(select(t.article_entities.c.article_id).where(
                t.article_entities.c.entity_id.in_(self._entity_ids(f.person, ("PERSON",))))))
        if f.place:
            conds.append(a.c.id.in_(select(t.article_entities.c.article_id).where(
                t.article_entities.c.entity_id.in_(self._entity_ids(f.place, ("GPE", "LOC", "FAC"))))))
        if f.event_type:
            conds.append(a.c.id.in_(select(t.events.c.article_id).where(t.events.c.type == f.event_type.upper())))
        return and_(*conds) if conds else None

    def match(self, f: ArticleFilter, upto: int) -> Match | None:
        """The newest ``upto`` ids a filter selects and how many it selects in all (None: no filter).
        The database sorts with a bounded heap; only the ids a page needs come back."""
        cond = self.article_ids(f)
        if cond is None:
            return None
        a = t.articles
        # Walking the date index and probing the match set finds the newest matches without sorting
        # them all (ten times faster for common words on SQLite).
        newest = (select(a.c.id).where(cond).order_by(a.c.published.desc(), a.c.id).limit(upto)
                  .with_hint(a, "INDEXED BY ix_articles_published", "sqlite"))
        with self.engine.connect() as conn:
            ids = list(conn.execute(newest).scalars())
            if len(ids) < upto:
                total = len(ids)
            elif self.store.is_sqlite and set(f.active()) == {"q"}:  # the index alone can count its matches
                total = conn.execute(text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q"),
                                     {"q": self.text_query(f.q).fts5()}).scalar_one()
            else:
                total = conn.execute(select(func.count()).select_from(a).where(cond)).scalar_one()
        return Match(ids, total)

    def articles(self, f: ArticleFilter, limit: int = 20, cursor: str | None = None,
                 match: Match | None = None) -> dict[str, Any]:
        """A page of articles (a ``match`` already found for the filter is reused)."""
        a = t.articles
        columns = (a.c.id, a.c.title, a.c.subtitle, a.c.source, a.c.section, a.c.published, a.c.url, a.c.language)
        limit = max(1, min(limit, MAX_LIMIT))
        offset = decode_cursor(cursor)
        if match is None or len(match.ids) < min(offset + limit, match.total):
            match = self.match(f, offset + limit)
        if match is None:
            with self.engine.connect() as conn:
                result = page(conn, select(*columns).order_by(a.c.published.desc(), a.c.id), limit, cursor)
                self.add_story_ids(conn, result["items"])
                self.add_derived_titles(conn, result["items"])
                return result
        chosen = match.ids[offset : offset + limit]
        with self.engine.connect() as conn:
            rows = {r.id: dict(r._mapping) for r in conn.execute(select(*columns).where(a.c.id.in_(chosen)))}
            items = [rows[i] for i in chosen if i in rows]
            self.add_story_ids(conn, items)
            self.add_derived_titles(conn, items)
        nxt = encode_cursor(offset + limit) if offset + limit < match.total else None
        return {"items": items, "total": match.total, "next": nxt}

    def text_query(self, query: str) -> TextQuery:
        """The search words, each with the store's other spellings of a name it spells (the same
        name-key as a known person's, organization's or place's name word: 'Zelensky' -> 'Zelenskyy')."""
        from newsgraph.store.text_search import query_words

        words = {w for w in query_words(query) if w[:1].isalpha()}
        variants: dict[str, list[str]] = {}
        keys = {w: name_key(w) for w in words}
        e = t.entities
        wanted = [k for k in set(keys.values()) if k and " " not in k]
        if wanted:
            with self.engine.connect() as conn:
                rows = conn.execute(select(e.c.name, e.c.aliases).where(
                    e.c.type.in_(NAME_TYPES), or_(e.c.surname_key.in_(wanted), e.c.name_key.in_(wanted)))
                    .limit(200)).all()
            spellings = {name_word for r in rows for name in (r.name, *(r.aliases or []))
                         for name_word in name.split()}
            for w, k in keys.items():
                variants[w] = sorted({s.strip(".,'’") for s in spellings if name_key(s) == k} - {w})
        return TextQuery.of(query, variants)

    def snippets(self, ids: list[str], query: str, marks: tuple[str, str] = ("[", "]")) -> dict[str, str]:
        """Where the words of ``query`` occur in each article, the matches between ``marks``
        (SQLite: FTS5's snippet; PostgreSQL: ts_headline, with the same stemming and name variants)."""
        tq, out = self.text_query(query), {}
        with self.engine.connect() as conn:
            for article_id in ids:
                if self.engine.dialect.name == "postgresql":
                    expression, params = tq.tsquery()
                    out[article_id] = conn.execute(text(
                        f"SELECT ts_headline('english', text, ({expression}), 'StartSel=' || :open || "
                        "', StopSel=' || :close || ', MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, "
                        "FragmentDelimiter=\" … \"') FROM articles WHERE id = :id"),
                        {"id": article_id, "open": marks[0], "close": marks[1], **params}).scalar()
                elif self.store.is_sqlite:
                    out[article_id] = conn.execute(text(
                        "SELECT snippet(articles_fts, 1, :open, :close, '…', 24) FROM articles_fts "
                        "WHERE rowid = (SELECT rowid FROM articles WHERE id = :id) AND articles_fts MATCH :q"),
                        {"id": article_id, "q": tq.fts5(), "open": marks[0], "close": marks[1]}).scalar()
        return {k: v for k, v in out.items() if v}

    def search(self, f: ArticleFilter, limit: int = 20, cursor: str | None = None) -> dict[str, Any]:
        """A page of articles like :meth:`articles`, each with a ``snippet`` of where the words of
        ``f.q`` occur, matches in [brackets]."""
        result = self.articles(f, limit, cursor)
        if f.q and result["items"]:
            found = self.snippets([item["id"] for item in result["items"]], f.q)
            for item in result["items"]:
                item["snippet"] = found.get(item["id"])
        return result

    def facets(self, f: ArticleFilter, size: int = 8, window: int = FACET_WINDOW,
               match: Match | None = None) -> dict[str, list[dict]]:
        """Top persons, places, outlets and event types of the selection, with article counts.

        Counted over the ``window`` most recent matching articles, so a page stays fast on any store
        (the page says so when the selection is larger)."""
        a = t.articles
        if match is None or len(match.ids) < min(window, match.total):
            match = self.match(f, window)
        ids = match.ids if match is not None else None
        if ids is None:
            with self.engine.connect() as conn:
                ids = list(conn.execute(select(a.c.id).order_by(a.c.published.desc(), a.c.id).limit(window)).scalars())
        cond = a.c.id.in_(ids[:window])
        ae, e = t.article_entities, t.entities
        out: dict[str, list[dict]] = {}
        with self.engine.connect() as conn:
            # people and places in one pass over the window
            count = func.count(func.distinct(ae.c.article_id))
            stmt = (select(e.c.id, e.c.name, e.c.type, count.label("articles"))
                    .join(ae, ae.c.entity_id == e.c.id)
                    .where(e.c.type.in_(("PERSON", "GPE", "LOC", "FAC")), ae.c.article_id.in_(ids[:window]))
                    .group_by(e.c.id, e.c.name, e.c.type).order_by(count.desc(), e.c.name))
            rows = [dict(r._mapping) for r in conn.execute(stmt)]
            out["person"] = [r for r in rows if r["type"] == "PERSON"][:size]
            out["place"] = [r for r in rows if r["type"] != "PERSON"][:size]
            stmt = (select(a.c.source.label("name"), func.count().label("articles"))
                    .where(a.c.source.is_not(None), cond)
                    .group_by(a.c.source).order_by(func.count().desc()).limit(size))
            out["source"] = [dict(r._mapping) for r in conn.execute(stmt)]
            ev = t.events
            stmt = (select(ev.c.type.label("name"), func.count(func.distinct(ev.c.article_id)).label("articles"))
                    .where(ev.c.article_id.in_(ids[:window]))
                    .group_by(ev.c.type).order_by(func.count().desc()).limit(size))
            out["event_type"] = [dict(r._mapping) for r in conn.execute(stmt)]
        return out

    def local_entity_map(self, article_id: str) -> dict[str, int]:
        """Record entity ids ('e3') of an article -> store entity ids."""
        ae = t.article_entities
        with self.engine.connect() as conn:
            rows = conn.execute(select(ae.c.local_id, ae.c.entity_id).where(ae.c.article_id == article_id))
            return {r.local_id: r.entity_id for r in rows}

    # --- entities -----------------------------------------------------------------------

    def entities(self, name: str | None = None, type_: str | None = None, limit: int = 20,
                 cursor: str | None = None) -> dict[str, Any]:
        e, ae = t.entities, t.article_entities
        count = func.count(func.distinct(ae.c.article_id)).label("articles")
        stmt = (select(e.c.id, e.c.name, e.c.type, e.c.aliases, e.c.roles, count)
                .join(ae, ae.c.entity_id == e.c.id, isouter=True)
                .group_by(e.c.id).order_by(count.desc(), e.c.name))  # (the key fixes the rest; JSON has no "=")
        if name:
            stmt = stmt.where(e.c.id.in_(self._entity_ids(name, (type_.upper(),) if type_ else
                                                          ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"))))
        elif type_:
            stmt = stmt.where(e.c.type == type_.upper())
        with self.engine.connect() as conn:
            return page(conn, stmt, limit, cursor)

    def entity(self, entity_id: int, max_mentions: int = 500) -> dict[str, Any] | None:
        e, m, a = t.entities, t.mentions, t.articles
        with self.engine.connect() as conn:
            row = conn.execute(select(e).where(e.c.id == entity_id)).first()
            if row is None:
                return None
            out = dict(row._mapping)
            out["mentions"] = [dict(r._mapping) for r in conn.execute(
                select(m.c.article_id, m.c.start, m.c.end, m.c.text, a.c.published, a.c.title)
                .join(a, a.c.id == m.c.article_id).where(m.c.entity_id == entity_id)
                .order_by(a.c.published, m.c.article_id, m.c.start).limit(max_mentions))]
            out["quotes"] = [dict(r._mapping) for r in conn.execute(
                self._quote_select().where(t.quotes.c.entity_id == entity_id, t.quotes.c.kind == "speech")
                .order_by(a.c.published, t.quotes.c.article_id, t.quotes.c.start))]
            names = [row.name, *(row.aliases or [])]
            c = t.counts
            out["counts"] = [dict(r._mapping) for r in conn.execute(
                self._count_select().where(or_(c.c.actor.in_(names), c.c.place.in_(names)))
                .order_by(a.c.published, c.c.start).limit(max_mentions))]
            out["articles"] = len({x["article_id"] for x in out["mentions"]})
        return out

    def co_mentioned(self, entity_id: int, size: int = 12) -> list[dict]:
        ae, e = t.article_entities, t.entities
        mine = select(ae.c.article_id).where(ae.c.entity_id == entity_id)
        count = func.count(func.distinct(ae.c.article_id))
        stmt = (select(e.c.id, e.c.name, e.c.type, count.label("articles")).join(ae, ae.c.entity_id == e.c.id)
                .where(ae.c.article_id.in_(mine), e.c.id != entity_id, e.c.type.in_(("PERSON", "ORG", "GPE")))
                .group_by(e.c.id, e.c.name, e.c.type).order_by(count.desc(), e.c.name).limit(size))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def mentions_by_date(self, entity_id: int) -> list[tuple[str, int]]:
        m, a = t.mentions, t.articles
        day = func.substr(a.c.published, 1, 10)
        stmt = (select(day.label("day"), func.count().label("n")).join(a, a.c.id == m.c.article_id)
                .where(m.c.entity_id == entity_id, a.c.published.is_not(None)).group_by(day).order_by(day))
        with self.engine.connect() as conn:
            return [(r.day, r.n) for r in conn.execute(stmt)]

    def most_quoted(self, limit: int = 5, type_: str = "PERSON") -> list[dict[str, Any]]:
        """The entities with the most speech quotes: [{id, name, quotes, articles}]."""
        q, e = t.quotes, t.entities
        n = func.count().label("quotes")
        stmt = (select(e.c.id, e.c.name, n, func.count(func.distinct(q.c.article_id)).label("articles"))
                .join(e, e.c.id == q.c.entity_id).where(q.c.kind == "speech", e.c.type == type_)
                .group_by(e.c.id, e.c.name).order_by(n.desc(), e.c.name).limit(limit))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def start_pages(self) -> list[dict[str, str]]:
        """Three pages an analyst starts from, chosen from this store: the story most outlets reported
        (one whose figures conflict if any), the quote most outlets carried, the most-quoted person.
        [{question, path}]; a question the store cannot answer yet is left out."""
        from newsgraph.store.quote_queries import QuoteFilter

        out = []
        stories = self.stories(limit=20, order="outlets")["items"]
        story = next((s for s in stories if s["claims"].get("conflict")), stories[0] if stories else None)
        if story:
            out.append({"question": "Which outlets reported which figures, and who disagrees",
                        "path": f"/stories/{story['id']}#h-counts"})
        wordings = self.wordings(QuoteFilter(), limit=20, order="outlets")["items"]
        # words in quote marks first: a reported paraphrase is the outlet's wording, not the speaker's
        wording = max(wordings, key=lambda w: (w["outlets"], w["direct"]), default=None)
        if wording:
            words = " ".join(wording["text"].split()[:6])
            out.append({"question": f"Who first published “{words}…”, and who repeated it",
                        "path": "/quotes?" + urlencode({"text": words})})
        people = self.most_quoted(1)
        if people:
            out.append({"question": f"What {people[0]['name']} said, outlet by outlet",
                        "path": f"/entities/{people[0]['id']}"})
        return out

    # --- quotes, counts, events, places ---------------------------------------------------

    def _quote_select(self):
        q, a = t.quotes, t.articles
        return select(q.c.article_id, q.c.text, q.c.start, q.c.end, q.c.direct, q.c.speaker, q.c.speaker_id,
                      q.c.entity_id, q.c.cue, q.c.via, q.c.sentence, q.c.kind, a.c.published,
                      a.c.title).join(a, a.c.id == q.c.article_id)

    def quotes(self, speaker: str | None = None, text_: str | None = None, since: str | None = None,
               until: str | None = None, direct: bool | None = None, limit: int = 20,
               cursor: str | None = None) -> dict[str, Any]:
        q, a = t.quotes, t.articles
        stmt = self._quote_select().where(q.c.kind == "speech").order_by(a.c.published.desc(), q.c.article_id,
                                                                          q.c.start)
        if speaker:
            stmt = stmt.where(or_(q.c.speaker.ilike(_like(speaker), escape="\\"),
                                  q.c.entity_id.in_(self._entity_ids(speaker, ("PERSON", "ORG", "GPE", "NORP")))))
        if text_:
            stmt = stmt.where(q.c.text.ilike(_like(text_), escape="\\"))
        stmt = _dated(stmt, since, until)
        if direct is not None:
            stmt = stmt.where(q.c.direct == direct)
        with self.engine.connect() as conn:
            return page(conn, stmt, limit, cursor)

    def _count_select(self):
        c, a = t.counts, t.articles
        return select(c.c.article_id, c.c.number, c.c.text, c.c.object, c.c.detail, c.c.action, c.c.qualifier,
                      c.c.actor, c.c.place, c.c.date, c.c.kind, c.c.category, c.c.start, c.c.end, c.c.sentence,
                      a.c.published, a.c.title).join(a, a.c.id == c.c.article_id)

    def counts(self, object_: str | None = None, action: str | None = None, place: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 20,
               cursor: str | None = None) -> dict[str, Any]:
        c, a = t.counts, t.articles
        stmt = self._count_select().order_by(a.c.published.desc(), c.c.article_id, c.c.start)
        for col, value in ((c.c.object, object_), (c.c.action, action), (c.c.place, place)):
            if value:
                stmt = stmt.where(col.ilike(_like(value), escape="\\"))
        stmt = _dated(stmt, since, until)
        with self.engine.connect() as conn:
            return page(conn, stmt, limit, cursor)

    def events(self, type_: str | None = None, actor: str | None = None, place: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 20,
               cursor: str | None = None) -> dict[str, Any]:
        ev, a = t.events, t.articles
        stmt = (select(ev.c.article_id, ev.c.type, ev.c.mode, ev.c.source_actor, ev.c.target_actor,
                       ev.c.source_country, ev.c.target_country, ev.c.place,
                       ev.c.date, ev.c.trigger, ev.c.sentence, ev.c.start, ev.c.end, ev.c.negated,
                       ev.c.hypothetical, ev.c.future, a.c.published, a.c.title)
                .join(a, a.c.id == ev.c.article_id).order_by(a.c.published.desc(), ev.c.article_id, ev.c.start))
        if type_:
            stmt = stmt.where(ev.c.type == type_.upper())
        if actor:
            # 'Russia' finds what Russia, Russian troops or Russia's president did
            stmt = stmt.where(or_(*(c.ilike(_like(actor), escape="\\") for c in (
                ev.c.source_actor, ev.c.target_actor, ev.c.source_country, ev.c.target_country))))
        if place:
            stmt = stmt.where(ev.c.place.ilike(_like(place), escape="\\"))
        stmt = _dated(stmt, since, until)
        with self.engine.connect() as conn:
            return page(conn, stmt, limit, cursor)

    def events_by_day(self, f: ArticleFilter) -> list[dict]:
        """Events per day and type: the event's own date when it has one, else the article's."""
        ev, a = t.events, t.articles
        day = func.substr(func.coalesce(ev.c.date, a.c.published), 1, 10)
        stmt = (select(day.label("day"), ev.c.type, func.count().label("n")).join(a, a.c.id == ev.c.article_id)
                .group_by(day, ev.c.type).order_by(day))
        cond = self.article_ids(f)
        if cond is not None:
            stmt = stmt.where(cond)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt) if r.day]

    def places(self, f: ArticleFilter, limit: int = 100, cursor: str | None = None,
               cap: int = MAX_LIMIT, min_confidence: float | None = None) -> dict[str, Any]:
        """Places of the selection, most mentioned first (the map asks for all of them: a higher cap).
        ``min_confidence`` keeps the places resolved at least that surely (a namesake abroad, a name read
        through its qualifier, an ambiguous town are below 0.7)."""
        p, m = t.places, t.mentions
        mentions = func.count(m.c.id).label("mentions")
        stmt = (select(p.c.name, func.max(p.c.lat).label("lat"), func.max(p.c.lon).label("lon"),
                       func.max(p.c.country).label("country"), func.max(p.c.kind).label("kind"),
                       func.min(p.c.confidence).label("confidence"), mentions,
                       func.count(func.distinct(p.c.article_id)).label("articles"))
                .join(m, and_(m.c.article_id == p.c.article_id, m.c.local_id == p.c.entity_id))
                .group_by(p.c.name).order_by(mentions.desc(), p.c.name))
        if min_confidence is not None:
            stmt = stmt.where(p.c.confidence >= min_confidence)
        cond = self.article_ids(f)
        if cond is not None:
            stmt = stmt.where(p.c.article_id.in_(select(t.articles.c.id).where(cond)))
        with self.engine.connect() as conn:
            return page(conn, stmt, limit, cursor, cap=cap)


def _dated(stmt, since: str | None, until: str | None):
    a = t.articles
    if since:
        stmt = stmt.where(a.c.published >= since)
    if until:
        stmt = stmt.where(a.c.published <= until + "\uffff")
    return stmt
