"""PostgreSQL as a first-class store: unbounded text columns and a full-text index.

On PostgreSQL, every VARCHAR(n) column becomes TEXT (article ids, names and cue words have no natural
length limit, and PostgreSQL enforces the ones SQLite ignores; TEXT costs the same there), and
``articles.search`` is a generated tsvector over title and text with a GIN index, which
``websearch_to_tsquery`` searches. Nothing changes on SQLite (its FTS5 index is migration 0004's).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        for column in inspector.get_columns(table):
            if isinstance(column["type"], sa.String) and getattr(column["type"], "length", None):
                op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column["name"]}" TYPE TEXT')
    op.execute("ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
               "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED")
    op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search")
