"""Tables mirroring the record. Column names are the record's field names."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _article_fk() -> Column:
    return Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False, index=True)


articles = Table(
    "articles", metadata,
    Column("id", String(64), primary_key=True),
    Column("url", Text), Column("source", Text), Column("title", Text), Column("subtitle", Text),
    Column("section", Text), Column("authors", JSON), Column("published", String(40), index=True),
    Column("retrieved", String(40)), Column("language", String(16)), Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False), Column("pipeline_version", String(40)),
    Column("schema_version", String(16)), Column("record", Text, nullable=False),
    Column("ingested_at", String(40), index=True),  # migration 0013: the server's version reads
)

entities = Table(  # one row per real-world entity across articles, keyed by canonical name
    "entities", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False), Column("type", String(16), nullable=False),
    Column("aliases", JSON), Column("roles", JSON),
    Column("name_key", String(300), index=True),  # added by migration 0003: spelling-variant key
    Column("surname_key", String(300)),  # migration 0009: a person's last name-key word, for variants
    Index("ux_entities_type_name_key", "type", "name_key", unique=True),  # migration 0008: upserts on it
    Index("ix_entities_type_surname_key", "type", "surname_key"),
    Index("ix_entities_name_type", "name", "type", unique=True),
)

article_entities = Table(
    "article_entities", metadata, _article_fk(),
    Column("local_id", String(16), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),
    Column("name", String(300)), Column("type", String(16)), Column("roles", JSON), Column("aliases", JSON),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _article_fk(),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),
    Column("local_id", String(16)), Column("start", Integer), Column("end", Integer), Column("text", Text),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _article_fk(),
    Column("text", Text), Column("start", Integer), Column("end", Integer), Column("direct", Boolean),
    Column("speaker", String(300), index=True), Column("speaker_id", String(16)),
    Column("entity_id", Integer, ForeignKey("entities.id"), index=True),
    Column("cue", String(80)), Column("via", String(300)), Column("sentence", Text), Column("kind", String(16)),
    Column("speaker_start", Integer), Column("speaker_end", Integer),  # migration 0010
)

counts = Table(
    "counts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _article_fk(),
    Column("number", Float), Column("text", String(120)), Column("object", String(300), index=True),
    Column("detail", String(300)), Column("action", String(300)), Column("qualifier", String(40)),
    Column("actor", String(300)), Column("place", String(300)), Column("date", String(40)),
    Column("kind", String(16)), Column("category", String(16)),
    Column("start", Integer), Column("end", Integer), Column("sentence", Text),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _article_fk(),
    Column("type", String(16), index=True), Column("mode", String(40)),
    Column("source_actor", String(300)), Column("target_actor", String(300)),
    Column("source_country", String(120), index=True), Column("target_country", String(120), index=True),
    Column("place", String(300)), Column("date", String(40)), Column("trigger", String(120)),
    Column("sentence", Text), Column("start", Integer), Column("end", Integer),
    Column("negated", Boolean), Column("hypothetical", Boolean), Column("future", Boolean),
)

places = Table(
    "places", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _article_fk(),
    Column("entity_id", String(16)), Column("name", String(300), index=True),
    Column("lat", Float), Column("lon", Float), Column("country", String(2)), Column("admin1", String(40)),
    Column("kind", String(40)), Column("confidence", Float),
)

dates = Table(
    "dates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _article_fk(),
    Column("text", Text), Column("start", Integer), Column("end", Integer), Column("value", String(40)),
)

FACT_TABLES = (article_entities, mentions, quotes, counts, events, places, dates)

feeds = Table(  # migration 0002
    "feeds", metadata,
    Column("url", Text, primary_key=True), Column("etag", Text), Column("last_modified", Text),
    Column("checked_at", String(40)),
)

feed_items = Table(
    "feed_items", metadata,
    Column("feed_url", Text, primary_key=True), Column("link", Text, primary_key=True),
    Column("article_id", String(64)), Column("seen_at", String(40)),
)

# --- stories across outlets (migration 0006) ---------------------------------------------

stories = Table(  # one row per story; a story merged into another keeps its row, pointing on
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text), Column("first_seen", String(40)), Column("last_seen", String(40)),
    Column("size", Integer, nullable=False, default=0),
    Column("outlet_count", Integer, nullable=False, default=0, server_default="0", index=True),  # migration 0014
    Column("profile", JSON),  # the summed feature vector the clustering compares articles with
    Column("created_at", String(40)), Column("updated_at", String(40), index=True),
    Column("merged_into", Integer, index=True),
    Column("claims_stale", Boolean, nullable=False, default=False, index=True),  # migration 0011
)

story_articles = Table(  # story membership, and what each article's duplicate lookup needs
    "story_articles", metadata,
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False, index=True),
    Column("similarity", Float), Column("story_time", String(40)), Column("vector", JSON),
    Column("duplicate_of", String(64), index=True), Column("duplicate_similarity", Float),
    Column("exact_key", String(32), index=True), Column("signature", LargeBinary),
    Column("joined_at", String(40)),
)

story_terms = Table(  # candidate lookup: a story's heaviest features, newest stories first
    "story_terms", metadata,
    Column("term", String(200), nullable=False), Column("story_id", Integer, nullable=False, index=True),
    Column("seen", String(40), nullable=False),
    Index("ix_story_terms_term_seen", "term", "seen"),
)

stream_terms = Table(  # how many articles of each publication day carry a story feature (migration 0011)
    "stream_terms", metadata,
    Column("term", String(200), primary_key=True), Column("day", String(10), primary_key=True),
    Column("n", Integer, nullable=False),
)

stream_days = Table(  # how many articles each publication day has ('' holds the undated)
    "stream_days", metadata,
    Column("day", String(10), primary_key=True), Column("n", Integer, nullable=False),
)

article_bands = Table(  # MinHash bands: articles that share a band are near-duplicate candidates
    "article_bands", metadata,
    Column("band", String(40), nullable=False, index=True),
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
)

story_changes = Table(  # merges, splits and rebuilds: a story never changes silently
    "story_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False), Column("story_id", Integer, index=True),
    Column("other_story_id", Integer), Column("article_id", String(64)), Column("detail", JSON),
    Column("at", String(40)),
)

claims = Table(  # what each outlet says about one thing in a story; cells carry article spans
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False), Column("key", Text), Column("status", String(24), index=True),
    Column("label", Text), Column("cells", JSON), Column("detail", JSON),
)
