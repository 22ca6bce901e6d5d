"""entities.name_key: a spelling-variant key, so 'Zelensky' and 'Zelenskyy' are one person across articles.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from newsgraph.names import name_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("name_key", sa.String(300)))
        batch.create_index("ix_entities_name_key", ["name_key"])
    rows = bind.execute(sa.text("SELECT id, name FROM entities WHERE name_key IS NULL")).all()
    for row in rows:
        bind.execute(sa.text("UPDATE entities SET name_key = :k WHERE id = :id"), {"k": name_key(row.name), "id": row.id})


def downgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.drop_index("ix_entities_name_key")
        batch.drop_column("name_key")
