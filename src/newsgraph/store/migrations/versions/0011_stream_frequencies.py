"""Stories on a real stream: document frequencies of story features per publication day (what a
feature tells in this stream), and claims recomputed after a batch (stories.claims_stale).

Articles stored before this revision do not count in the frequencies until `newsgraph stories
rebuild`.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stream_terms",
        sa.Column("term", sa.String(200), primary_key=True), sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_table(
        "stream_days",
        sa.Column("day", sa.String(10), primary_key=True), sa.Column("n", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("claims_stale", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_stories_claims_stale", "stories", ["claims_stale"])


def downgrade() -> None:
    op.drop_index("ix_stories_claims_stale", "stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("claims_stale")
    op.drop_table("stream_days")
    op.drop_table("stream_terms")
