"""Pages of query results: ``{"items": [...], "total": N, "next": cursor-or-null}``, with opaque cursors."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import func, select

MAX_LIMIT = 100
MAX_OFFSET = 10**9  # a cursor past this is not one we handed out (and would overflow SQLite's integers)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "o" or not value.isdigit() or len(value) > 10 or int(value) > MAX_OFFSET:
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"invalid cursor {cursor!r}: pass back the 'next' value of a previous page") from None


def page(conn, stmt, limit: int, cursor: str | None, row: Any = dict, cap: int = MAX_LIMIT) -> dict[str, Any]:
    limit = max(1, min(limit, cap))
    offset = decode_cursor(cursor)
    total = conn.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = conn.execute(stmt.limit(limit).offset(offset)).all()
    nxt = encode_cursor(offset + limit) if offset + limit < total else None
    return {"items": [row(r._mapping) for r in rows], "total": total, "next": nxt}
