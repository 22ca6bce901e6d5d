"""Datasette: a metadata file that opens a SQLite store with labelled tables, column descriptions
(the record's), useful facets and the full-text index configured.

    newsgraph export --format datasette-metadata --out metadata.json
    datasette newsgraph.db -m metadata.json

Tables only the machinery needs (candidate lookups, MinHash bands, migrations) are hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgraph.errors import NewsgraphError
from newsgraph.exports.tables import ALL_TABLES
from newsgraph.store import Store

TABLES: dict[str, dict[str, Any]] = {
    "articles": {"label_column": "title", "sort_desc": "published", "facets": ["source", "language"],
                 "fts_table": "articles_fts", "fts_pk": "rowid",
                 "description": "One row per article: the reader's fields, the text, and the whole record as JSON."},
    "entities": {"label_column": "name", "facets": ["type"],
                 "description": "One row per real-world entity across articles, keyed by canonical name and type."},
    "article_entities": {"facets": ["type"], "description": "Which entities each article mentions."},
    "mentions": {"label_column": "text", "description": "Every mention of an entity, with its offsets."},
    "quotes": {"label_column": "text", "facets": ["speaker", "direct", "kind", "via"],
               "description": "Direct quotes and reported speech, each with its speaker, cue and via."},
    "counts": {"label_column": "text", "facets": ["category", "kind", "object"],
               "description": "What was counted: number, object, action, actor, place and date."},
    "events": {"label_column": "trigger", "facets": ["type", "source_country", "target_country"],
               "description": "PLOVER events: who did what to whom, where and when."},
    "places": {"label_column": "name", "facets": ["country", "kind"],
               "description": "Places geocoded offline (GeoNames)."},
    "dates": {"label_column": "text", "description": "Dates in the text, resolved against the publication date."},
    "stories": {"label_column": "title", "sort_desc": "last_seen",
                "description": "Stories: articles from many outlets about one event."},
    "story_articles": {"facets": ["story_id"], "description": "Story membership and near-duplicates."},
    "claims": {"label_column": "label", "facets": ["kind", "status"],
               "description": "What each outlet says about one thing in a story: agreement, conflict, update."},
    "story_changes": {"facets": ["kind"], "description": "Merges, splits and rebuilds of stories."},
}
HIDDEN = ("story_terms", "article_bands", "alembic_version", "feeds", "feed_items")


def metadata(store: Store) -> dict[str, Any]:
    if not store.is_sqlite:
        raise NewsgraphError(f"Datasette opens SQLite files and this store is {store.engine.dialect.name}: "
                             "export it with --format csv or parquet instead")
    database = Path(store.engine.url.database or "newsgraph.db").stem
    tables: dict[str, Any] = {}
    for name, config in TABLES.items():
        columns = {c.name: c.description for c in ALL_TABLES.get(name, []) if c.description}
        tables[name] = {**config, **({"columns": columns} if columns else {})}
    tables.update({name: {"hidden": True} for name in HIDDEN})
    return {"title": "newsgraph", "description": "World news as evidence: every fact points back to the "
                                                  "words it came from (character offsets into articles.text).",
            "databases": {database: {"tables": tables}}}
