"""The first schema: articles, entities, mentions, quotes, counts, events, places, dates,
and (on SQLite) a full-text index over title and text.

Revision ID: 0001
"""

from alembic import op

from newsgraph.store import schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copy of the tables as of this revision is schema.metadata at 0.1.0; later
# revisions change tables with explicit op.* calls.


def upgrade() -> None:
    bind = op.get_bind()
    schema.metadata.create_all(bind=bind, tables=[t for t in schema.metadata.sorted_tables
                                                  if t.name in schema.INITIAL_TABLES])
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "article_id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    schema.metadata.drop_all(bind=bind, tables=[t for t in schema.metadata.sorted_tables
                                                if t.name in schema.INITIAL_TABLES])
