"""What differs between the databases the store runs on, in one place."""

from __future__ import annotations

from sqlalchemy import Connection


def dialect_insert(conn: Connection):
    """The INSERT construct with ON CONFLICT (upserts) for this connection's database."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert
