"""Stories across outlets: stories, membership (with duplicate fingerprints), the candidate
index, MinHash bands, the change log of merges and splits, and claims.

Articles stored before this revision have no story until `newsgraph stories rebuild`.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text), sa.Column("first_seen", sa.String(40)), sa.Column("last_seen", sa.String(40)),
        sa.Column("size", sa.Integer, nullable=False), sa.Column("profile", sa.JSON),
        sa.Column("created_at", sa.String(40)), sa.Column("updated_at", sa.String(40)),
        sa.Column("merged_into", sa.Integer),
    )
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])
    op.create_index("ix_stories_merged_into", "stories", ["merged_into"])
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("similarity", sa.Float), sa.Column("story_time", sa.String(40)), sa.Column("vector", sa.JSON),
        sa.Column("duplicate_of", sa.String(64)), sa.Column("duplicate_similarity", sa.Float),
        sa.Column("exact_key", sa.String(32)), sa.Column("signature", sa.LargeBinary),
        sa.Column("joined_at", sa.String(40)),
    )
    for column in ("story_id", "duplicate_of", "exact_key"):
        op.create_index(f"ix_story_articles_{column}", "story_articles", [column])
    op.create_table(
        "story_terms",
        sa.Column("term", sa.String(200), nullable=False), sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("seen", sa.String(40), nullable=False),
    )
    op.create_index("ix_story_terms_term_seen", "story_terms", ["term", "seen"])
    op.create_index("ix_story_terms_story_id", "story_terms", ["story_id"])
    op.create_table(
        "article_bands",
        sa.Column("band", sa.String(40), nullable=False),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_article_bands_band", "article_bands", ["band"])
    op.create_index("ix_article_bands_article_id", "article_bands", ["article_id"])
    op.create_table(
        "story_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False), sa.Column("story_id", sa.Integer),
        sa.Column("other_story_id", sa.Integer), sa.Column("article_id", sa.String(64)),
        sa.Column("detail", sa.JSON), sa.Column("at", sa.String(40)),
    )
    op.create_index("ix_story_changes_story_id", "story_changes", ["story_id"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False), sa.Column("key", sa.Text),
        sa.Column("status", sa.String(24)), sa.Column("label", sa.Text),
        sa.Column("cells", sa.JSON), sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_claims_story_id", "claims", ["story_id"])
    op.create_index("ix_claims_status", "claims", ["status"])


def downgrade() -> None:
    for table in ("claims", "story_changes", "article_bands", "story_terms", "story_articles", "stories"):
        op.drop_table(table)
