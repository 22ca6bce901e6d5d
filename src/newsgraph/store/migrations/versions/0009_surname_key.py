"""entities.surname_key: the last word of the name key, indexed with the type, so a person spelled
another way ('Zelensky' / 'Volodymyr Zelenskyy') is found by an index lookup. The lookup was
``name_key LIKE '%surname'``, a scan of every person row on each new person: ingest slowed as the
store grew.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("surname_key", sa.String(300)))
        batch.create_index("ix_entities_type_surname_key", ["type", "surname_key"])
    rows = bind.execute(sa.text("SELECT id, name_key FROM entities WHERE type = 'PERSON'")).all()
    for row in rows:
        words = (row.name_key or "").split()
        if words and not row.name_key.startswith("="):
            bind.execute(sa.text("UPDATE entities SET surname_key = :k WHERE id = :id"), {"k": words[-1], "id": row.id})


def downgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.drop_index("ix_entities_type_surname_key")
        batch.drop_column("surname_key")
