"""events.source_country / target_country: the state an event's actors act for, so analysts can
filter 'everything Russia did' whether the text names Russia, its troops or its president.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("source_country", "target_country")


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(120)))
            batch.create_index(f"ix_events_{name}", [name])


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for name in COLUMNS:
            batch.drop_index(f"ix_events_{name}")
            batch.drop_column(name)
