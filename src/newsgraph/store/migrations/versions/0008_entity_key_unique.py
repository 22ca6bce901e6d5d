"""One entity row per (type, name key), enforced: concurrent writers upsert on it.

Rows whose name has no key (no Latin letters) are keyed by the name itself ('=' + name, as
repository.entity_key does). Rows that already share a key (two processes that met the same new
person at once, before this revision) are merged into the oldest: their mentions, article links and
quotes point to it, the others are removed. Then a unique index makes it so.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REFERENCING = (("article_entities", "entity_id"), ("mentions", "entity_id"), ("quotes", "entity_id"))


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE entities SET name_key = '=' || name WHERE name_key IS NULL OR name_key = ''"))
    merges = bind.execute(sa.text(
        "SELECT e.id, k.keep FROM entities e JOIN (SELECT type, name_key, min(id) AS keep FROM entities "
        "GROUP BY type, name_key HAVING count(*) > 1) k ON e.type = k.type AND e.name_key = k.name_key "
        "WHERE e.id <> k.keep")).all()
    for old, keep in merges:
        for table, column in REFERENCING:
            bind.execute(sa.text(f"UPDATE {table} SET {column} = :keep WHERE {column} = :old"),
                         {"keep": keep, "old": old})
        bind.execute(sa.text("DELETE FROM entities WHERE id = :old"), {"old": old})
    op.create_index("ux_entities_type_name_key", "entities", ["type", "name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_entities_type_name_key", "entities")
