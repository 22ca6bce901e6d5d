"""JSON Lines: one record per line, exactly the record schema (``newsgraph schema``)."""

from __future__ import annotations

from typing import TextIO

from newsgraph.exports.source import Exported


class JsonlWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.rows = {"records": 0}

    def write(self, item: Exported) -> None:
        self.out.write(item.record.to_json() + "\n")
        self.rows["records"] += 1

    def close(self, store_rows: dict[str, list]) -> dict[str, int]:  # noqa: ARG002 (stories are not in records)
        self.out.flush()
        return self.rows
