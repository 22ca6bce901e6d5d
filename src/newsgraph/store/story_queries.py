"""Read side of stories: lists, one story with its claims, coverage and change log.

Field names are the store's (and the record's where they overlap). Mixed into
:class:`newsgraph.store.queries.Queries`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, literal_column, select

from newsgraph.leads import lead_sentence
from newsgraph.outlets import outlet_facts
from newsgraph.store import schema as t
from newsgraph.store import stories as story_store
from newsgraph.store.paging import page
from newsgraph.stories import claims as claims_mod

TOP_NAMES = 5
STORY_ORDERS = ("latest", "outlets", "size")


class StoryQueries:
    engine: Any

    def stories(self, since: str | None = None, limit: int = 20, cursor: str | None = None,
                order: str = "latest", min_outlets: int = 1) -> dict[str, Any]:
        """Live stories: {"items": [{id, title, articles, outlets, first_seen, last_seen, size, ...}],
        "total", "next"}. ``order``: latest activity, most outlets, or most articles (size);
        ``min_outlets`` keeps stories that at least that many outlets reported."""
        if order not in STORY_ORDERS:
            raise ValueError(f"order must be one of {', '.join(STORY_ORDERS)}, not {order!r}")
        s = t.stories
        latest = (func.coalesce(s.c.last_seen, "").desc(), s.c.updated_at.desc(), s.c.id.desc())
        stmt = select(s.c.id, s.c.title, s.c.first_seen, s.c.last_seen, s.c.size, s.c.updated_at).where(
            s.c.merged_into.is_(None), s.c.size > 0)
        if min_outlets > 1:
            stmt = stmt.where(s.c.outlet_count >= min_outlets)
        if order == "outlets":
            stmt = stmt.order_by(s.c.outlet_count.desc(), s.c.size.desc(), *latest)
        if order == "size":
            stmt = stmt.order_by(s.c.size.desc(), *latest)
        elif order == "latest":
            stmt = stmt.order_by(*latest)
        if since:
            stmt = stmt.where(s.c.last_seen >= since)
        with self.engine.connect() as conn:
            result = page(conn, stmt, limit, cursor)
            self._describe(conn, result["items"])
        return result

    def _describe(self, conn, items: list[dict[str, Any]]) -> None:
        """Add each story's articles, outlets, top people and places, and claim tallies."""
        ids = [i["id"] for i in items]
        if not ids:
            return
        sa, a, ae = t.story_articles, t.articles, t.article_entities
        arts: dict[int, list] = defaultdict(list)
        for r in conn.execute(select(sa.c.story_id, a.c.id, a.c.source, a.c.published)
                              .join(a, a.c.id == sa.c.article_id).where(sa.c.story_id.in_(ids))
                              .order_by(a.c.published, a.c.id)):
            arts[r.story_id].append(r)
        names: dict[int, dict[str, Counter]] = defaultdict(lambda: {"people": Counter(), "places": Counter()})
        entity_ids: dict[int, dict[str, int]] = defaultdict(dict)
        for r in conn.execute(select(sa.c.story_id, ae.c.name, ae.c.type, ae.c.entity_id)
                              .join(ae, ae.c.article_id == sa.c.article_id)
                              .where(sa.c.story_id.in_(ids), ae.c.type.in_(("PERSON", "GPE", "LOC")))):
            names[r.story_id]["people" if r.type == "PERSON" else "places"][r.name] += 1
            entity_ids[r.story_id][r.name] = r.entity_id
        tallies: dict[int, Counter] = defaultdict(Counter)
        for claim in story_store.claims_of(conn, ids, fresh=False):  # as last lined up: a story page lines up anew
            tallies[claim.story_id][claim.status] += 1
        for item in items:
            members = arts[item["id"]]
            item["articles"] = [m.id for m in members]
            item["outlets"] = sorted({m.source for m in members if m.source})
            item["people"] = [n for n, _ in names[item["id"]]["people"].most_common(TOP_NAMES)]
            item["places"] = [n for n, _ in names[item["id"]]["places"].most_common(TOP_NAMES)]
            item["entity_ids"] = {n: entity_ids[item["id"]][n] for n in item["people"] + item["places"]}
            item["claims"] = dict(tallies[item["id"]])
            item["first_article"] = item["articles"][0] if item["articles"] else None
        self.add_derived_titles(conn, items, key="first_article")

    def story(self, story_id: int) -> dict[str, Any] | None:
        """One story: its articles (with duplicates), claims, coverage, timeline and change log. A
        merged story's id answers with the story it was merged into (``merged_from`` says so)."""
        with self.engine.connect() as conn:
            live = story_store.live_story(conn, story_id)
            if live is None:
                return None
            s = t.stories
            row = conn.execute(select(s.c.id, s.c.title, s.c.first_seen, s.c.last_seen, s.c.size, s.c.created_at,
                                      s.c.updated_at).where(s.c.id == live)).one()
            story = dict(row._mapping)
            if live != story_id:
                story["merged_from"] = story_id
            self._describe(conn, [story])
            sa, a = t.story_articles, t.articles
            story["members"] = [dict(r._mapping) for r in conn.execute(
                select(a.c.id, a.c.title, a.c.source, a.c.published, a.c.url, sa.c.similarity, sa.c.duplicate_of,
                       sa.c.duplicate_similarity).join(sa, sa.c.article_id == a.c.id)
                .where(sa.c.story_id == live).order_by(a.c.published, a.c.id))]
            self.add_derived_titles(conn, story["members"])
            if not story["title"] and story["members"]:
                first = story["members"][0]
                story["derived_title"] = first["title"] or first["derived_title"]
            story["claims"] = [claim.to_dict(exclude=("story_id",)) for claim in story_store.claims_of(conn, [live])]
            story["coverage"] = claims_mod.coverage(story_store.members(conn, live))
            story["timeline"] = _timeline(story["members"])
            story["outlet_rows"] = _outlet_rows(story["members"], self._tones(conn, [m["id"] for m in story["members"]]))
            story.update(claims_mod.first_report((m["source"], m["published"])
                                                 for m in story["members"] if not m["duplicate_of"]))
            ch = t.story_changes
            story["changes"] = [dict(r._mapping) for r in conn.execute(
                select(ch.c.kind, ch.c.story_id, ch.c.other_story_id, ch.c.article_id, ch.c.detail, ch.c.at)
                .where((ch.c.story_id == live) | (ch.c.other_story_id == live)).order_by(ch.c.id))]
        return story

    def add_derived_titles(self, conn, items: list[dict[str, Any]], key: str = "id") -> None:
        """Items without a title gain ``derived_title``: the first sentence of the article ``key`` names."""
        a = t.articles
        wanted = [i[key] for i in items if not i.get("title") and i.get(key)]
        leads = {r.id: lead_sentence(r.lead) for r in conn.execute(
            select(a.c.id, func.substr(a.c.text, 1, 600).label("lead")).where(a.c.id.in_(wanted)))} if wanted else {}
        for item in items:
            item["derived_title"] = None if item.get("title") else leads.get(item.get(key))

    def _tones(self, conn, article_ids: list[str]) -> dict[str, float]:
        """Each article's tone polarity (mean sentence score in [-1, 1]), read from its stored record."""
        a = t.articles
        if conn.dialect.name == "postgresql":
            polarity = literal_column("(articles.record::json #>> '{tone,polarity}')::float")
        else:
            polarity = func.json_extract(a.c.record, "$.tone.polarity")
        rows = conn.execute(select(a.c.id, polarity.label("polarity")).where(a.c.id.in_(article_ids))) if article_ids else []
        return {r.id: float(r.polarity) for r in rows if r.polarity is not None}

    def add_story_ids(self, conn, items: list[dict[str, Any]]) -> None:
        """Each article item gains story_id, story_title, story_size and duplicate_of (None until placed)."""
        sa, s = t.story_articles, t.stories
        ids = [i["id"] for i in items]
        found = {r.article_id: r for r in conn.execute(
            select(sa.c.article_id, sa.c.story_id, sa.c.duplicate_of, s.c.title, s.c.size)
            .join(s, s.c.id == sa.c.story_id).where(sa.c.article_id.in_(ids)))} if ids else {}
        for item in items:
            row = found.get(item["id"])
            item["story_id"] = row.story_id if row else None
            item["story_title"] = row.title if row else None
            item["story_size"] = row.size if row else None
            item["duplicate_of"] = row.duplicate_of if row else None

    def story_of(self, article_id: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.story_articles.c.story_id)
                                .where(t.story_articles.c.article_id == article_id)).scalar()

    def unplaced(self) -> int:
        """Articles without a story (stored before stories existed): `stories rebuild` places them."""
        a, sa = t.articles, t.story_articles
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(a)
                                .where(a.c.id.not_in(select(sa.c.article_id)))).scalar_one()


def _outlet_rows(members: list[dict[str, Any]], tones: dict[str, float]) -> list[dict[str, Any]]:
    """One row per outlet of a story: what is known about it, how many of its articles, its first
    report, the mean tone of its articles, and how many are copies of another article."""
    by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in members:
        by_outlet[m["source"] or "(unknown outlet)"].append(m)
    rows = []
    for name, arts in by_outlet.items():
        facts = outlet_facts(None if name == "(unknown outlet)" else name, arts[0].get("url"))
        scored = [tones[m["id"]] for m in arts if m["id"] in tones]
        rows.append({"outlet": name, "articles": len(arts), "copies": sum(1 for m in arts if m["duplicate_of"]),
                     "first_published": min((m["published"] for m in arts if m["published"]), default=None),
                     "tone": round(sum(scored) / len(scored), 3) if scored else None,
                     "facts": facts.as_dict() if facts else None})
    return sorted(rows, key=lambda r: (r["first_published"] is None, r["first_published"] or "", r["outlet"]))


def _timeline(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Articles per day and outlet: how coverage grew."""
    days: dict[str, Counter] = defaultdict(Counter)
    for m in members:
        days[(m["published"] or "undated")[:10]][m["source"] or "(unknown outlet)"] += 1
    return [{"day": d, "outlets": dict(c), "articles": sum(c.values())} for d, c in sorted(days.items())]
