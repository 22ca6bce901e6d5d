"""English word forms in SQLite's full-text index (the Porter stemmer over unicode61), so 'drone'
finds 'drones' and 'attacked' finds 'attack' as PostgreSQL's 'english' configuration already does.

The index is rebuilt from the stored articles (external content: nothing is stored twice).

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TOKENIZER = {"upgrade": "porter unicode61 remove_diacritics 2", "downgrade": "unicode61 remove_diacritics 2"}


def _rebuild(tokenizer: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
               f"content_rowid='rowid', tokenize='{tokenizer}')")
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def upgrade() -> None:
    _rebuild(TOKENIZER["upgrade"])


def downgrade() -> None:
    _rebuild(TOKENIZER["downgrade"])
