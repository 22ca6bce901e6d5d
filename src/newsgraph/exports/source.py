"""What an export reads: the store's records that match a filter, streamed in publication order.

The filter is the one search, the API and the pages use (``Queries.article_ids``), plus a story.
Rows come from the database in batches (a server-side cursor on PostgreSQL), so memory does not
grow with the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from newsgraph.record import Record
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.queries import ArticleFilter, Queries
from newsgraph.store.stories import claims_of as story_claims

BATCH = 200


@dataclass(frozen=True)
class Exported:
    """One record as the store holds it, with where the store placed it across outlets."""

    record: Record
    story_id: int | None
    duplicate_of: str | None
    ingested_at: str | None = None  # when the store took it: the date of last resort for a GKG row


def condition(store: Store, f: ArticleFilter, story: int | None):
    """The SQL condition on articles for a filter and a story (None: everything)."""
    a = t.articles
    conds = []
    cond = Queries(store).article_ids(f)
    if cond is not None:
        conds.append(cond)
    if story is not None:
        conds.append(a.c.id.in_(select(t.story_articles.c.article_id)
                                .where(t.story_articles.c.story_id == live_story(store, story))))
    return and_(*conds) if conds else None


def live_story(store: Store, story: int) -> int:
    """A story id, or the story it was merged into (a merged id answers with its successor)."""
    with store.engine.connect() as conn:
        for _ in range(100):
            merged = conn.execute(select(t.stories.c.merged_into).where(t.stories.c.id == story)).scalar()
            if merged is None:
                return story
            story = merged
    return story


def count(store: Store, f: ArticleFilter, story: int | None = None) -> int:
    cond = condition(store, f, story)
    stmt = select(func.count()).select_from(t.articles)
    with store.engine.connect() as conn:
        return conn.execute(stmt.where(cond) if cond is not None else stmt).scalar_one()


def records(store: Store, f: ArticleFilter, story: int | None = None) -> Iterator[Exported]:
    a, sa = t.articles, t.story_articles
    stmt = (select(a.c.record, a.c.ingested_at, sa.c.story_id, sa.c.duplicate_of)
            .select_from(a.outerjoin(sa, sa.c.article_id == a.c.id))
            .order_by(a.c.published, a.c.id))
    cond = condition(store, f, story)
    if cond is not None:
        stmt = stmt.where(cond)
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
        for row in result:
            yield Exported(Record.from_json(row.record), row.story_id, row.duplicate_of, row.ingested_at)


def store_rows(store: Store, story_ids: set[int]) -> dict[str, list[dict[str, Any]]]:
    """The stories the exported articles belong to, and their claims."""
    out: dict[str, list[dict[str, Any]]] = {"stories": [], "claims": []}
    if not story_ids:
        return out
    s = t.stories
    ids = sorted(story_ids)
    with store.engine.connect() as conn:
        for chunk in (ids[k : k + 500] for k in range(0, len(ids), 500)):
            out["stories"] += [dict(r._mapping) for r in conn.execute(
                select(s.c.id, s.c.title, s.c.first_seen, s.c.last_seen, s.c.size)
                .where(s.c.id.in_(chunk)).order_by(s.c.id))]
            out["claims"] += [claim.row() for claim in story_claims(conn, chunk)]
    return out
