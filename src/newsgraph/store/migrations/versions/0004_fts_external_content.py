"""Full-text index as external content keyed by the articles' rowid: the text is not stored twice
(about half the store's size) and matches join on rowid instead of a stored id column (several
times faster on large stores).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
               "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")
    op.execute("INSERT INTO articles_fts(rowid, title, text) SELECT rowid, coalesce(title, ''), text FROM articles")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5("
               "article_id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')")
    op.execute("INSERT INTO articles_fts(article_id, title, text) SELECT id, coalesce(title, ''), text FROM articles")
