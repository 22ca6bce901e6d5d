"""Feed state for `newsgraph watch`: conditional-GET validators per feed, and the items already stored.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text), sa.Column("last_modified", sa.Text), sa.Column("checked_at", sa.String(40)),
    )
    op.create_table(
        "feed_items",
        sa.Column("feed_url", sa.Text, primary_key=True), sa.Column("link", sa.Text, primary_key=True),
        sa.Column("article_id", sa.String(64)), sa.Column("seen_at", sa.String(40)),
    )


def downgrade() -> None:
    op.drop_table("feed_items")
    op.drop_table("feeds")
