"""quotes.speaker_start / speaker_end: the words that name a quote's speaker ('the senator', 'she').

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quotes") as batch:
        batch.add_column(sa.Column("speaker_start", sa.Integer))
        batch.add_column(sa.Column("speaker_end", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("quotes") as batch:
        batch.drop_column("speaker_end")
        batch.drop_column("speaker_start")
