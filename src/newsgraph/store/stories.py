"""Stories in the store: the story index of stories.placer over SQL tables.

On ingest an article is fingerprinted (exact and near-duplicates, via MinHash bands), then
placed by the one placement procedure (stories.placer) over :class:`SqlIndex`: stream
frequencies per publication day (stream_terms, stream_days), stories' profiles (stories) and
their heaviest features (story_terms, newest stories first, a bounded number per feature, so
placing one article costs the same whatever the size of the store). A story that changes is
marked ``claims_stale``; its claims are lined up again after the batch (:func:`refresh_claims`),
not inside each article's write.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from newsgraph.record import Record
from newsgraph.store import schema as t
from newsgraph.store.dialect import dialect_insert
from newsgraph.stories import claims as claims_mod
from newsgraph.stories import clustering as cl
from newsgraph.stories import duplicates as dup
from newsgraph.stories import placer, splitting, stream
from newsgraph.stories.claims import Claim
from newsgraph.stories.config import DEFAULT, StoryConfig
from newsgraph.stories.features import Vector, record_vector, story_time
from newsgraph.stories.placer import Placement

MAX_DUPLICATE_CANDIDATES = 50
MAX_CLAIM_ARTICLES = 200  # a story's newest articles whose facts are lined up
TERM_CHUNK = 400  # terms per frequency query (well under every database's parameter limit)

__all__ = ["Placement", "SqlIndex", "place", "rebuild", "refresh_claims"]


_last_stamp = [""]


def now(timespec: str = "seconds") -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


def joining_stamp() -> str:
    """A microsecond stamp later than the last one this process gave: 'the newest members' holds
    within a batch even when two articles join in the same microsecond."""
    stamp = now("microseconds")
    if stamp <= _last_stamp[0]:
        last = dt.datetime.fromisoformat(_last_stamp[0])
        stamp = (last + dt.timedelta(microseconds=1)).isoformat(timespec="microseconds")
    _last_stamp[0] = stamp
    return stamp


# --- placing one article ---------------------------------------------------------------

def place(conn: Connection, record: Record, keep_story: int | None = None,
          config: StoryConfig = DEFAULT) -> Placement:
    """Fingerprint the article, find its duplicate, and place it (the caller's transaction).
    ``keep_story``: a re-ingested article stays in the story it had."""
    article = record.article
    fingerprint = dup.fingerprint(article.text)
    vector = record_vector(record)
    duplicate_of, dup_similarity = find_duplicate(conn, article.id, fingerprint)
    if duplicate_of is not None and not same_event(conn, vector, record, duplicate_of):
        duplicate_of, dup_similarity = None, None
    placement = placer.place(
        SqlIndex(conn, config), article.id, vector, story_time(record), article.title,
        duplicate_of=duplicate_of, duplicate_similarity=dup_similarity, keep_story=keep_story,
        note={"duplicate_of": duplicate_of, "duplicate_similarity": dup_similarity,
              "exact_key": fingerprint.exact, "signature": fingerprint.signature})
    conn.execute(t.article_bands.insert(), [{"band": b, "article_id": article.id} for b in fingerprint.bands])
    return placement


class SqlIndex:
    """stories.placer's story index over the store's tables, inside one transaction."""

    def __init__(self, conn: Connection, config: StoryConfig = DEFAULT) -> None:
        self.conn = conn
        self.config = config

    # -- the stream's frequencies
    def frequencies(self, terms: Sequence[str], day: str | None) -> tuple[int, dict[str, int]]:
        first, last = stream.window(day, self.config)
        st, sd = t.stream_terms, t.stream_days
        articles = self.conn.execute(select(func.coalesce(func.sum(sd.c.n), 0))
                                     .where(sd.c.day >= first, sd.c.day <= last)).scalar_one()
        found: dict[str, int] = {}
        keys = sorted({term[:200] for term in terms})
        for i in range(0, len(keys), TERM_CHUNK):
            rows = self.conn.execute(select(st.c.term, func.sum(st.c.n)).where(
                st.c.term.in_(keys[i:i + TERM_CHUNK]), st.c.day >= first, st.c.day <= last).group_by(st.c.term))
            found.update({term: int(n) for term, n in rows})
        return int(articles), {term: found[term[:200]] for term in terms if term[:200] in found}

    def count(self, terms: Sequence[str], day: str | None) -> None:
        insert = dialect_insert(self.conn)
        b = stream.bucket(day)
        st, sd = t.stream_terms, t.stream_days
        stmt = insert(sd).values(day=b, n=1)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["day"], set_={"n": sd.c.n + 1}))
        rows = [{"term": term, "day": b, "n": 1} for term in sorted({term[:200] for term in terms})]
        if rows:
            stmt = insert(st)
            self.conn.execute(stmt.on_conflict_do_update(index_elements=["term", "day"], set_={"n": st.c.n + 1}), rows)

    # -- looking stories up
    def stories_with(self, terms: Sequence[str], since: str | None, unlimited: frozenset[str],
                     limit: int) -> dict[str, list[int]]:
        """One query for all the article's index terms: each term's newest stories, numbered per term."""
        st = t.story_terms
        keys = {term[:200]: term for term in terms}
        if not keys:
            return {}
        free = [k for k, term in keys.items() if since is None or term in unlimited]
        bounded = [k for k in keys if k not in set(free)]
        conditions = []
        if free:
            conditions.append(st.c.term.in_(free))
        if bounded:
            conditions.append(and_(st.c.term.in_(bounded), or_(st.c.seen >= since, st.c.seen == "")))
        rank = func.row_number().over(partition_by=st.c.term, order_by=(st.c.seen.desc(), st.c.story_id.desc()))
        ranked = select(st.c.term, st.c.story_id, st.c.seen, rank.label("rank")).where(or_(*conditions)).subquery()
        rows = self.conn.execute(select(ranked.c.term, ranked.c.story_id).where(ranked.c.rank <= limit)
                                 .order_by(ranked.c.term, ranked.c.seen.desc(), ranked.c.story_id.desc()))
        out: dict[str, list[int]] = {}
        for key, story_id in rows:
            out.setdefault(keys[key], []).append(story_id)
        return out

    def profiles(self, story_ids: Sequence[int]) -> list[cl.StoryProfile]:
        if not story_ids:
            return []
        s = t.stories
        rows = {r.id: r for r in self.conn.execute(select(s.c.id, s.c.profile, s.c.size, s.c.first_seen, s.c.last_seen)
                                                    .where(s.c.id.in_(story_ids), s.c.merged_into.is_(None)))}
        return [cl.StoryProfile(r.id, dict(r.profile or {}), r.size, r.first_seen, r.last_seen)
                for sid in story_ids if (r := rows.get(sid)) is not None]

    def live(self, story_id: int | None) -> int | None:
        return live_story(self.conn, story_id) if story_id is not None else None

    def story_of(self, article_id: str) -> int | None:
        return self.conn.execute(select(t.story_articles.c.story_id)
                                 .where(t.story_articles.c.article_id == article_id)).scalar()

    # -- changing stories
    def new_story(self, title: str | None) -> int:
        return create_story(self.conn, title)

    def add(self, story_id: int, article_id: str, vector: Vector, day: str | None, title: str | None,
            note: dict[str, Any]) -> int:
        self.conn.execute(t.story_articles.insert().values(
            article_id=article_id, story_id=story_id, story_time=day, vector=vector, joined_at=joining_stamp(),
            **note))
        s = t.stories
        row = self.conn.execute(select(s.c.profile, s.c.size, s.c.first_seen, s.c.last_seen, s.c.title)
                                .where(s.c.id == story_id)).one()
        profile = cl.StoryProfile(story_id, dict(row.profile or {}), row.size, row.first_seen, row.last_seen)
        profile.add(vector, day, self.config)
        _save_profile(self.conn, profile, row.title or title, self.config)
        return profile.size

    def merge(self, into: int, other: int, article_id: str) -> None:
        merge_stories(self.conn, into, other, article_id)

    def refresh(self, story_id: int) -> int:
        return refresh_story(self.conn, story_id, self.config)

    def members(self, story_id: int, newest: int | None = None) -> list[tuple[str, Vector]]:
        sa = t.story_articles
        stmt = select(sa.c.article_id, sa.c.vector).where(sa.c.story_id == story_id)
        if newest is None:
            rows = self.conn.execute(stmt.order_by(sa.c.joined_at, sa.c.article_id)).all()
        else:
            rows = self.conn.execute(stmt.order_by(sa.c.joined_at.desc(), sa.c.article_id.desc())
                                     .limit(newest)).all()[::-1]
        return [(r.article_id, r.vector or {}) for r in rows]

    def split_off(self, story_id: int, leave: list[str], split: splitting.Split, article_id: str) -> int:
        sa = t.story_articles
        title = self.conn.execute(select(t.articles.c.title).where(t.articles.c.id == leave[0])).scalar()
        new_id = create_story(self.conn, title)
        self.conn.execute(update(sa).where(sa.c.article_id.in_(leave)).values(story_id=new_id))
        self.conn.execute(t.story_changes.insert().values(
            kind="split", story_id=story_id, other_story_id=new_id, article_id=article_id,
            detail={"reason": "two groups", "articles": leave, "within": split.within, "across": split.across},
            at=now()))
        self.refresh(story_id)
        self.refresh(new_id)
        return new_id


def same_event(conn: Connection, vector: Vector, record: Record, original: str) -> bool:
    """A near-copy is a copy only when it gives no other figures, days or places than its original."""
    stored = conn.execute(select(t.story_articles.c.vector).where(t.story_articles.c.article_id == original)).scalar()
    places = conn.execute(select(t.places.c.name).where(t.places.c.article_id == original)).scalars().all()
    return not dup.facts_differ(vector, stored or {}, [p.name for p in record.places if p.name], places)


def find_duplicate(conn: Connection, article_id: str, fp: dup.Fingerprint) -> tuple[str | None, float | None]:
    """The original this article copies: same normalized text, else the most similar near-duplicate."""
    sa = t.story_articles
    exact = conn.execute(select(sa.c.article_id, sa.c.duplicate_of).where(
        sa.c.exact_key == fp.exact, sa.c.article_id != article_id).order_by(sa.c.joined_at, sa.c.article_id)
        .limit(1)).first()
    if exact is not None:
        return exact.duplicate_of or exact.article_id, 1.0
    shared = (select(t.article_bands.c.article_id, func.count().label("n"))
              .where(t.article_bands.c.band.in_(fp.bands), t.article_bands.c.article_id != article_id)
              .group_by(t.article_bands.c.article_id).order_by(func.count().desc(), t.article_bands.c.article_id)
              .limit(MAX_DUPLICATE_CANDIDATES)).subquery()
    rows = conn.execute(select(sa.c.article_id, sa.c.duplicate_of, sa.c.signature)
                        .join(shared, shared.c.article_id == sa.c.article_id)).all()
    best: tuple[float, str] | None = None
    for row in rows:
        if row.signature is None:
            continue
        score = dup.similarity(fp.signature, row.signature)
        original = row.duplicate_of or row.article_id
        if score >= dup.NEAR_DUPLICATE and (best is None or (score, original) > best):
            best = (score, original)
    return (best[1], round(best[0], 4)) if best else (None, None)


def create_story(conn: Connection, title: str | None) -> int:
    stamp = now()
    return conn.execute(t.stories.insert().values(title=title, size=0, profile={}, created_at=stamp,
                                                  updated_at=stamp)).inserted_primary_key[0]


def live_story(conn: Connection, story_id: int) -> int | None:
    """Follow merges to the story that holds the articles now."""
    seen = set()
    while story_id is not None and story_id not in seen:
        seen.add(story_id)
        row = conn.execute(select(t.stories.c.id, t.stories.c.merged_into).where(t.stories.c.id == story_id)).first()
        if row is None:
            return None
        if row.merged_into is None:
            return row.id
        story_id = row.merged_into
    return None


def merge_stories(conn: Connection, into: int, other: int, article_id: str | None, reason: str = "bridged") -> None:
    """Fold ``other`` into ``into``: its articles move, its row points on, the change is logged."""
    moved = conn.execute(select(t.story_articles.c.article_id).where(t.story_articles.c.story_id == other)).scalars().all()
    conn.execute(update(t.story_articles).where(t.story_articles.c.story_id == other).values(story_id=into))
    conn.execute(delete(t.story_terms).where(t.story_terms.c.story_id == other))
    conn.execute(delete(t.claims).where(t.claims.c.story_id == other))
    conn.execute(update(t.stories).where(t.stories.c.id == other).values(merged_into=into, size=0, outlet_count=0, updated_at=now()))
    conn.execute(t.story_changes.insert().values(kind="merge", story_id=into, other_story_id=other, article_id=article_id,
                                                 detail={"reason": reason, "articles": list(moved)}, at=now()))


# --- a story's profile, index and claims -------------------------------------------------

def _save_profile(conn: Connection, profile: cl.StoryProfile, title: str | None,
                  config: StoryConfig = DEFAULT) -> None:
    conn.execute(update(t.stories).where(t.stories.c.id == profile.id).values(
        profile=profile.centroid, size=profile.size, outlet_count=outlet_count(conn, profile.id),
        first_seen=profile.first_seen, last_seen=profile.last_seen, title=title, updated_at=now(),
        claims_stale=True))
    conn.execute(delete(t.story_terms).where(t.story_terms.c.story_id == profile.id))
    seen = profile.last_seen or ""  # undated stories: '' (placer.StoryIndex), found by every dated article too
    terms = [{"term": term[:200], "story_id": profile.id, "seen": seen} for term in profile.index_terms(config)]
    if terms:
        conn.execute(t.story_terms.insert(), terms)


def outlet_count(conn: Connection, story_id: int) -> int:
    """How many outlets reported the story; an article without an outlet name is its own outlet."""
    sa, a = t.story_articles, t.articles
    return conn.execute(select(func.count(func.distinct(func.coalesce(a.c.source, a.c.id))))
                        .select_from(sa.join(a, a.c.id == sa.c.article_id)).where(sa.c.story_id == story_id)).scalar_one()


def refresh_story(conn: Connection, story_id: int, config: StoryConfig = DEFAULT) -> int:
    """Recompute a story's profile, dates, title and index terms from its members (its claims are
    marked stale); returns its size."""
    sa, a = t.story_articles, t.articles
    rows = conn.execute(select(sa.c.vector, sa.c.story_time, a.c.title).join(a, a.c.id == sa.c.article_id)
                        .where(sa.c.story_id == story_id)
                        .order_by(sa.c.story_time.is_(None), sa.c.story_time, sa.c.joined_at, sa.c.article_id)).all()
    profile = cl.StoryProfile(story_id)
    for row in rows:
        profile.add(row.vector or {}, row.story_time, config)
    _save_profile(conn, profile, next((r.title for r in rows if r.title), None), config)
    return profile.size


def members(conn: Connection, story_id: int, limit: int = MAX_CLAIM_ARTICLES) -> list[claims_mod.Member]:
    """The story's newest articles with the facts claims are built from."""
    sa, a = t.story_articles, t.articles
    rows = conn.execute(select(a.c.id, a.c.source, a.c.published, a.c.title, sa.c.duplicate_of)
                        .join(sa, sa.c.article_id == a.c.id).where(sa.c.story_id == story_id)
                        .order_by(a.c.published.desc(), a.c.id).limit(limit)).all()
    by_id = {r.id: claims_mod.Member(r.id, r.source, r.published, r.title, r.duplicate_of) for r in rows}
    texts: dict[str, str] = {}
    if not by_id:
        return []
    ids = list(by_id)
    for table, attr, columns in (
            (t.counts, "counts", ("number", "text", "object", "action", "qualifier", "date", "category", "kind",
                                  "start", "end", "sentence")),
            (t.quotes, "quotes", ("text", "speaker", "via", "direct", "cue", "kind", "start", "end", "sentence",
                                  "speaker_start", "speaker_end")),
            (t.article_entities, "entities", ("name", "type")),
            (t.events, "events", ("type", "start", "end"))):
        order = [table.c.article_id] + ([table.c.start] if "start" in columns else [])
        for row in conn.execute(select(table.c.article_id, *[table.c[c] for c in columns])
                                .where(table.c.article_id.in_(ids)).order_by(*order)):
            getattr(by_id[row.article_id], attr).append({c: getattr(row, c) for c in columns})
    # the words that name a source ('the air force said') are evidence even when they name no entity
    named = sorted({m.article_id for m in by_id.values() for q in m.quotes if q.get("speaker_start") is not None})
    if named:
        texts = dict(conn.execute(select(a.c.id, a.c.text).where(a.c.id.in_(named))).all())
    for m in by_id.values():
        for q in m.quotes:
            start, end = q.pop("speaker_start"), q.pop("speaker_end")
            q["speaker_words"] = texts[m.article_id][start:end] if start is not None and end else None
    return list(by_id.values())


def write_claims(conn: Connection, story_id: int) -> None:
    conn.execute(delete(t.claims).where(t.claims.c.story_id == story_id))
    rows = [claim.row() for claim in lined_up(conn, story_id)]
    if rows:
        conn.execute(t.claims.insert(), rows)
    conn.execute(update(t.stories).where(t.stories.c.id == story_id).values(claims_stale=False))


def lined_up(conn: Connection, story_id: int) -> list[Claim]:
    """The story's claims lined up now from its members' facts (not yet stored: no id)."""
    claims = claims_mod.line_up(members(conn, story_id))
    for claim in claims:
        claim.story_id = story_id
    return claims


def stale_stories(conn: Connection, story_ids: Sequence[int] | None = None) -> list[int]:
    s = t.stories
    stmt = select(s.c.id).where(s.c.claims_stale.is_(True), s.c.merged_into.is_(None))
    if story_ids is not None:
        stmt = stmt.where(s.c.id.in_(list(story_ids)))
    return list(conn.execute(stmt.order_by(s.c.id)).scalars())


def claims_of(conn: Connection, story_ids: Sequence[int], fresh: bool = True) -> list[Claim]:
    """The claims of these stories: the stored ones, and for a story changed since its claims were
    lined up (a batch still running, or a library caller that never called refresh_claims), lined up
    now without writing (id None). ``fresh=False``: the stored ones only, as last lined up (a listing's
    tallies, which would otherwise line up every listed story again while a batch writes)."""
    if not story_ids:
        return []
    c = t.claims
    stale = set(stale_stories(conn, story_ids)) if fresh else set()
    claims = [Claim.from_row(dict(r._mapping)) for r in conn.execute(
        select(*[c.c[name] for name in (*Claim.IDS, *Claim.COLUMNS, "detail")])
        .where(c.c.story_id.in_(list(story_ids))).order_by(c.c.story_id, c.c.id)) if r.story_id not in stale]
    for story_id in sorted(stale):
        for claim in lined_up(conn, story_id):
            claim.id = None
            claims.append(claim)
    return sorted(claims, key=lambda c: (c.story_id, c.id is None, c.id or 0))


def refresh_claims(conn: Connection, story_ids: Sequence[int] | None = None) -> int:
    """Line up again the claims of every story changed since they were last lined up (after a batch);
    returns how many stories."""
    stale = stale_stories(conn, story_ids)
    for story_id in stale:
        write_claims(conn, story_id)
    return len(stale)


def remove_article(conn: Connection, article_id: str) -> int | None:
    """Take an article out of its story (before its row is replaced); returns the story it was in."""
    story_id = conn.execute(select(t.story_articles.c.story_id)
                            .where(t.story_articles.c.article_id == article_id)).scalar()
    conn.execute(delete(t.article_bands).where(t.article_bands.c.article_id == article_id))
    conn.execute(delete(t.story_articles).where(t.story_articles.c.article_id == article_id))
    return story_id


# --- the whole store at once -------------------------------------------------------------

def place_unplaced(conn: Connection) -> int:
    """Articles stored before stories existed get their fingerprint and story now."""
    sa, a = t.story_articles, t.articles
    ids = conn.execute(select(a.c.id).where(a.c.id.not_in(select(sa.c.article_id)))
                       .order_by(a.c.published, a.c.id)).scalars().all()
    for article_id in ids:
        raw = conn.execute(select(a.c.record).where(a.c.id == article_id)).scalar_one()
        place(conn, Record.from_json(raw))
    return len(ids)


def rebuild(conn: Connection, config: StoryConfig = DEFAULT) -> dict[str, Any]:
    """Re-cluster every article in one batch, in a canonical order (dated articles by day, then by
    id), through the same placer over a memory index, then move each article to its best story in a
    second pass. The new stories keep the ids of the old ones they overlap most; merges and splits
    against the old assignment are logged, with the config that made them. Returns how far the old
    (incremental) and new (batch) assignments agree."""
    placed_now = place_unplaced(conn)
    sa = t.story_articles
    rows = conn.execute(select(sa.c.article_id, sa.c.story_id, sa.c.vector, sa.c.story_time, sa.c.duplicate_of)
                        .order_by(sa.c.story_time.is_(None), sa.c.story_time, sa.c.article_id)).all()
    old = {r.article_id: r.story_id for r in rows}
    recount_stream(conn, [(r.vector or {}, r.story_time) for r in rows], config)
    new = batch_clusters([(r.article_id, r.vector or {}, r.story_time, r.duplicate_of) for r in rows], config=config)
    agreement = compare(old, new)
    mapping = _keep_ids(old, new)
    stamp = now()
    changes = _changes(old, new, mapping)
    for cluster, story_id in mapping.items():
        if story_id is None:
            mapping[cluster] = create_story(conn, None)
    for article_id, cluster in new.items():
        if old[article_id] != mapping[cluster]:
            conn.execute(update(sa).where(sa.c.article_id == article_id).values(story_id=mapping[cluster]))
    live = set(mapping.values())
    for change in changes:
        conn.execute(t.story_changes.insert().values(**change, at=stamp))
        if change["kind"] == "merge" and change["other_story_id"] not in live:
            conn.execute(update(t.stories).where(t.stories.c.id == change["other_story_id"])
                         .values(merged_into=change["story_id"], size=0, outlet_count=0, updated_at=stamp))
            conn.execute(delete(t.story_terms).where(t.story_terms.c.story_id == change["other_story_id"]))
            conn.execute(delete(t.claims).where(t.claims.c.story_id == change["other_story_id"]))
    for story_id in sorted(live):
        refresh_story(conn, story_id, config)
    refresh_claims(conn, sorted(live))
    report = {"articles": len(rows), "placed_now": placed_now, "stories_before": len(set(old.values())),
              "stories_after": len(live), "merges": sum(c["kind"] == "merge" for c in changes),
              "splits": sum(c["kind"] == "split" for c in changes), "agreement": agreement,
              "config": config.as_dict()}
    conn.execute(t.story_changes.insert().values(kind="rebuild", detail=report, at=stamp))
    return report


def recount_stream(conn: Connection, members: list[tuple[Vector, str | None]], config: StoryConfig = DEFAULT) -> None:
    """Count the stream's frequencies again from the stored articles' features (a store from before
    migration 0011 has none, so its new articles would be weighed as if the stream were new)."""
    conn.execute(delete(t.stream_terms))
    conn.execute(delete(t.stream_days))
    days: Counter[str] = Counter()
    terms: Counter[tuple[str, str]] = Counter()
    for vector, day in members:
        b = stream.bucket(day)
        days[b] += 1
        terms.update((term[:200], b) for term in {k[:200] for k in vector})
    if days:
        conn.execute(t.stream_days.insert(), [{"day": d, "n": n} for d, n in sorted(days.items())])
    rows = [{"term": term, "day": d, "n": n} for (term, d), n in sorted(terms.items())]
    for i in range(0, len(rows), 5000):
        conn.execute(t.stream_terms.insert(), rows[i:i + 5000])


def batch_clusters(items: list[tuple[str, Vector, str | None, str | None]], passes: int = 2,
                   config: StoryConfig = DEFAULT) -> dict[str, int]:
    """(article id, stored vector, day, duplicate_of) in canonical order -> cluster per article."""
    return placer.replay(items, config, weighted=True, passes=passes).assignment()


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """BCubed and pairwise agreement of two assignments of the same articles (a as reference)."""
    from newsgraph.stories.scoring import bcubed, pairwise

    p, r, f = bcubed(b, a)
    pp, pr, pf = pairwise(b, a)
    return {"bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": f,
            "pairwise_precision": pp, "pairwise_recall": pr, "pairwise_f1": pf}


def _keep_ids(old: dict[str, int], new: dict[str, int]) -> dict[int, int | None]:
    """Each new cluster takes the id of the old story it shares most articles with (each old id once)."""
    overlap: Counter[tuple[int, int]] = Counter((new[a], old[a]) for a in new)
    mapping: dict[int, int | None] = {c: None for c in set(new.values())}
    used: set[int] = set()
    for (cluster, story_id), _n in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if mapping[cluster] is None and story_id not in used:
            mapping[cluster] = story_id
            used.add(story_id)
    return mapping


def _changes(old: dict[str, int], new: dict[str, int], mapping: dict[int, int | None]) -> list[dict[str, Any]]:
    out = []
    olds_of: dict[int, set[int]] = {}
    news_of: dict[int, set[int]] = {}
    for a in new:
        olds_of.setdefault(new[a], set()).add(old[a])
        news_of.setdefault(old[a], set()).add(new[a])
    for cluster, olds in sorted(olds_of.items()):
        for story_id in sorted(olds - {mapping[cluster]}):
            if mapping[cluster] is not None:
                out.append({"kind": "merge", "story_id": mapping[cluster], "other_story_id": story_id,
                            "detail": {"reason": "rebuild"}})
    for story_id, clusters in sorted(news_of.items()):
        if len(clusters) > 1:
            out.append({"kind": "split", "story_id": story_id, "other_story_id": None,
                        "detail": {"reason": "rebuild", "into_clusters": len(clusters)}})
    return out
