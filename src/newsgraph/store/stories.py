"""Stories in the store: place each new article in the same transaction as its facts.

On ingest an article is fingerprinted (exact and near-duplicates, via MinHash bands),
then joins a story or starts one. Candidate stories come from an index of each story's
heaviest features, newest first and a bounded number per feature, so placing one article
costs the same whatever the size of the store. The story's claims are then lined up
again from its members' stored facts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from newsgraph.record import Record
from newsgraph.store import schema as t
from newsgraph.stories import claims as claims_mod
from newsgraph.stories import clustering as cl
from newsgraph.stories import duplicates as dup
from newsgraph.stories import splitting
from newsgraph.stories.features import Vector, record_vector, story_time, top

PER_TERM = 40  # newest stories read per index term
MAX_CANDIDATES = 30  # stories scored per article
MAX_DUPLICATE_CANDIDATES = 50
MAX_CLAIM_ARTICLES = 200  # a story's newest articles whose facts are lined up


@dataclass(frozen=True)
class Placement:
    story_id: int
    similarity: float
    new_story: bool
    merged: tuple[int, ...] = ()
    duplicate_of: str | None = None
    duplicate_similarity: float | None = None
    split_off: int | None = None  # a story split off the one the article joined (see split_story)


def now(timespec: str = "seconds") -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


def reach_days() -> float:
    """How far back a dated article can still join a story at all (similarity at most 1)."""
    return cl.WINDOW_DAYS + cl.DECAY_DAYS * math.log(1 / cl.JOIN)


# --- placing one article ---------------------------------------------------------------

def place(conn: Connection, record: Record, keep_story: int | None = None) -> Placement:
    """Fingerprint the article, find its duplicate and its story, and store both (the caller's
    transaction). ``keep_story``: a re-ingested article stays in the story it had."""
    article = record.article
    vector = record_vector(record)
    when = story_time(record)
    fingerprint = dup.fingerprint(article.text)
    duplicate_of, dup_similarity = find_duplicate(conn, article.id, fingerprint)

    decision_similarity, merged, new_story = 1.0, (), False
    # a re-ingested article stays where it was
    story_id = live_story(conn, keep_story) if keep_story is not None else None
    if story_id is None and duplicate_of is not None:
        story_id = conn.execute(select(t.story_articles.c.story_id)
                                .where(t.story_articles.c.article_id == duplicate_of)).scalar_one()
        story_id = live_story(conn, story_id)
        decision_similarity = dup_similarity
    elif story_id is None:
        decision = cl.decide(vector, when, candidates(conn, vector, when))
        decision_similarity, merged = decision.similarity, decision.merge
        if decision.story is None:
            story_id, new_story = create_story(conn, article.title), True
        else:
            story_id = int(decision.story)
        for other in merged:
            merge_stories(conn, story_id, int(other), article.id)

    conn.execute(t.story_articles.insert().values(
        article_id=article.id, story_id=story_id, similarity=round(decision_similarity, 4), story_time=when,
        vector=vector, duplicate_of=duplicate_of, duplicate_similarity=dup_similarity,
        exact_key=fingerprint.exact, signature=fingerprint.signature, joined_at=now("microseconds")))
    conn.execute(t.article_bands.insert(), [{"band": b, "article_id": article.id} for b in fingerprint.bands])
    if new_story or (keep_story is None and duplicate_of is None and not merged):
        size = add_to_story(conn, story_id, vector, when, article.title)
    else:
        size = refresh_story(conn, story_id)
    split_off = split_story(conn, story_id, article.id) if splitting.due(size) else None
    if split_off is not None:
        story_id = conn.execute(select(t.story_articles.c.story_id)
                                .where(t.story_articles.c.article_id == article.id)).scalar_one()
    return Placement(story_id, decision_similarity, new_story, tuple(int(m) for m in merged),
                     duplicate_of, dup_similarity, split_off)


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


def candidates(conn: Connection, vector: Vector, when: str | None) -> list[cl.StoryProfile]:
    """Stories sharing the article's heaviest features: a bounded read whatever the store's size."""
    st = t.story_terms
    since = (dt.date.fromisoformat(when) - dt.timedelta(days=reach_days())).isoformat() if when else None
    weights: Counter[int] = Counter()
    for term, weight in top(vector, cl.INDEX_TERMS).items():
        stmt = select(st.c.story_id).where(st.c.term == term)
        if since and not term.startswith("d:"):  # a day both name is the event's: no time limit (see cl)
            stmt = stmt.where(st.c.seen >= since)
        for story_id in conn.execute(stmt.order_by(st.c.seen.desc()).limit(PER_TERM)).scalars():
            weights[story_id] += weight
    ids = [sid for sid, _ in weights.most_common(MAX_CANDIDATES)]
    if not ids:
        return []
    s = t.stories
    rows = conn.execute(select(s.c.id, s.c.profile, s.c.size, s.c.first_seen, s.c.last_seen)
                        .where(s.c.id.in_(ids), s.c.merged_into.is_(None))).all()
    return [cl.StoryProfile(r.id, dict(r.profile or {}), r.size, r.first_seen, r.last_seen) for r in rows]


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
    conn.execute(update(t.stories).where(t.stories.c.id == other).values(merged_into=into, size=0, updated_at=now()))
    conn.execute(t.story_changes.insert().values(kind="merge", story_id=into, other_story_id=other, article_id=article_id,
                                                 detail={"reason": reason, "articles": list(moved)}, at=now()))


# --- a story's profile, index and claims -------------------------------------------------

def split_story(conn: Connection, story_id: int, article_id: str | None) -> int | None:
    """When the story's newest members form two groups (see stories.splitting), the smaller group
    becomes a new story, logged as a split; returns its id. Reads the newest WINDOW members' vectors,
    and the older ones only when the story does split."""
    sa = t.story_articles
    newest = select(sa.c.article_id, sa.c.vector).where(sa.c.story_id == story_id)
    rows = conn.execute(newest.order_by(sa.c.joined_at.desc(), sa.c.article_id.desc())
                        .limit(splitting.WINDOW)).all()[::-1]
    found = splitting.find_split([(r.article_id, r.vector or {}) for r in rows])
    if found is None:
        return None
    every = conn.execute(newest.order_by(sa.c.joined_at, sa.c.article_id)).all()
    divided = splitting.divide([(r.article_id, r.vector or {}) for r in every], found)
    assert divided is not None  # the newest members were split already
    _stay, leave, split = divided
    title = conn.execute(select(t.articles.c.title).where(t.articles.c.id == leave[0])).scalar()
    new_id = create_story(conn, title)
    conn.execute(update(sa).where(sa.c.article_id.in_(leave)).values(story_id=new_id))
    conn.execute(t.story_changes.insert().values(
        kind="split", story_id=story_id, other_story_id=new_id, article_id=article_id,
        detail={"reason": "two groups", "articles": leave, "within": split.within, "across": split.across},
        at=now()))
    refresh_story(conn, story_id)
    refresh_story(conn, new_id)
    return new_id


def add_to_story(conn: Connection, story_id: int, vector: Vector, when: str | None, title: str | None) -> int:
    """The usual case: one more member, added to the stored profile without reading the others.
    Returns the story's size."""
    s = t.stories
    row = conn.execute(select(s.c.profile, s.c.size, s.c.first_seen, s.c.last_seen, s.c.title)
                       .where(s.c.id == story_id)).one()
    profile = cl.StoryProfile(story_id, dict(row.profile or {}), row.size, row.first_seen, row.last_seen)
    profile.add(vector, when)
    _save_profile(conn, profile, row.title or title)
    return profile.size


def _save_profile(conn: Connection, profile: cl.StoryProfile, title: str | None) -> None:
    stamp = now()
    conn.execute(update(t.stories).where(t.stories.c.id == profile.id).values(
        profile=profile.centroid, size=profile.size, first_seen=profile.first_seen, last_seen=profile.last_seen,
        title=title, updated_at=stamp))
    conn.execute(delete(t.story_terms).where(t.story_terms.c.story_id == profile.id))
    seen = profile.last_seen or stamp
    terms = [{"term": term[:200], "story_id": profile.id, "seen": seen} for term in profile.index_terms()]
    if terms:
        conn.execute(t.story_terms.insert(), terms)
    write_claims(conn, int(profile.id))


def refresh_story(conn: Connection, story_id: int) -> int:
    """Recompute a story's profile, dates, title and index terms from its members, then its claims;
    returns its size."""
    sa, a = t.story_articles, t.articles
    rows = conn.execute(select(sa.c.vector, sa.c.story_time, a.c.title).join(a, a.c.id == sa.c.article_id)
                        .where(sa.c.story_id == story_id)
                        .order_by(sa.c.story_time.is_(None), sa.c.story_time, sa.c.joined_at, sa.c.article_id)).all()
    profile = cl.StoryProfile(story_id)
    for row in rows:
        profile.add(row.vector or {}, row.story_time)
    _save_profile(conn, profile, next((r.title for r in rows if r.title), None))
    return profile.size


def members(conn: Connection, story_id: int, limit: int = MAX_CLAIM_ARTICLES) -> list[claims_mod.Member]:
    """The story's newest articles with the facts claims are built from."""
    sa, a = t.story_articles, t.articles
    rows = conn.execute(select(a.c.id, a.c.source, a.c.published, a.c.title, sa.c.duplicate_of)
                        .join(sa, sa.c.article_id == a.c.id).where(sa.c.story_id == story_id)
                        .order_by(a.c.published.desc(), a.c.id).limit(limit)).all()
    by_id = {r.id: claims_mod.Member(r.id, r.source, r.published, r.title, r.duplicate_of) for r in rows}
    if not by_id:
        return []
    ids = list(by_id)
    for table, attr, columns in (
            (t.counts, "counts", ("number", "text", "object", "action", "qualifier", "date", "category", "kind",
                                  "start", "end", "sentence")),
            (t.quotes, "quotes", ("text", "speaker", "via", "direct", "cue", "kind", "start", "end", "sentence")),
            (t.article_entities, "entities", ("name", "type")),
            (t.events, "events", ("type", "start", "end"))):
        order = [table.c.article_id] + ([table.c.start] if "start" in columns else [])
        for row in conn.execute(select(table.c.article_id, *[table.c[c] for c in columns])
                                .where(table.c.article_id.in_(ids)).order_by(*order)):
            getattr(by_id[row.article_id], attr).append({c: getattr(row, c) for c in columns})
    return list(by_id.values())


def write_claims(conn: Connection, story_id: int) -> None:
    conn.execute(delete(t.claims).where(t.claims.c.story_id == story_id))
    group = members(conn, story_id)
    rows: list[dict[str, Any]] = []
    for claim in claims_mod.count_claims(group) + claims_mod.quote_claims(group):
        detail = {k: v for k, v in claim.items() if k not in ("kind", "key", "status", "label", "cells")}
        rows.append({"story_id": story_id, "kind": claim["kind"], "key": claim["key"], "status": claim["status"],
                     "label": claim["label"], "cells": claim["cells"], "detail": detail})
    if rows:
        conn.execute(t.claims.insert(), rows)


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


def rebuild(conn: Connection) -> dict[str, Any]:
    """Re-cluster every article in one batch, in a canonical order (dated articles by day, then
    by id), then move each article to its best story in a second pass. The new stories keep the
    ids of the old ones they overlap most; merges and splits against the old assignment are logged.
    Returns how far the old (incremental) and new (batch) assignments agree."""
    placed_now = place_unplaced(conn)
    sa = t.story_articles
    rows = conn.execute(select(sa.c.article_id, sa.c.story_id, sa.c.vector, sa.c.story_time, sa.c.duplicate_of)
                        .order_by(sa.c.story_time.is_(None), sa.c.story_time, sa.c.article_id)).all()
    old = {r.article_id: r.story_id for r in rows}
    new = batch_clusters([(r.article_id, r.vector or {}, r.story_time, r.duplicate_of) for r in rows])
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
                         .values(merged_into=change["story_id"], size=0, updated_at=stamp))
            conn.execute(delete(t.story_terms).where(t.story_terms.c.story_id == change["other_story_id"]))
            conn.execute(delete(t.claims).where(t.claims.c.story_id == change["other_story_id"]))
    for story_id in sorted(live):
        refresh_story(conn, story_id)
    report = {"articles": len(rows), "placed_now": placed_now, "stories_before": len(set(old.values())),
              "stories_after": len(live), "merges": sum(c["kind"] == "merge" for c in changes),
              "splits": sum(c["kind"] == "split" for c in changes), "agreement": agreement}
    conn.execute(t.story_changes.insert().values(kind="rebuild", detail=report, at=stamp))
    return report


def batch_clusters(items: list[tuple[str, Vector, str | None, str | None]], passes: int = 2) -> dict[str, int]:
    """(article id, vector, day, duplicate_of) in canonical order -> cluster per article."""
    memory = cl.MemoryStories()
    vectors = {}
    for article_id, vector, when, duplicate_of in items:
        vectors[article_id] = (vector, when)
        if duplicate_of and duplicate_of in memory.story_of:
            memory.join(article_id, memory.story_of[duplicate_of], vector, when)
        else:
            memory.place(article_id, vector, when)
    for _ in range(passes - 1):
        memory.settle(vectors)
    return dict(memory.story_of)


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
