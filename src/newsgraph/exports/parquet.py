"""Parquet: one dataset per table, typed columns, the record tables partitioned by publication month.

    out/quotes/published_month=2025-09/part-00000.parquet

Types: dates as dates, publication times as UTC timestamps, numbers as numbers, lists as lists,
JSON values (claim cells) as JSON text. Hive-style partitions, readable as they are by pandas
(``pd.read_parquet("out/quotes")``), polars and DuckDB (``read_parquet('out/quotes/**/*.parquet',
hive_partitioning = true)``). Stories and claims span months and are not partitioned. Rows are
written in batches, so memory does not grow with the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsgraph.errors import NewsgraphError
from newsgraph.exports.source import Exported
from newsgraph.exports.tables import (
    ALL_TABLES,
    STORE_TABLES,
    TABLES,
    Column,
    published_month,
    record_rows,
    timestamp,
)

FLUSH_ROWS = 10_000  # rows buffered per table before they are written
FLUSH_ARTICLES = 1_000  # article rows carry the whole text


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise NewsgraphError("Parquet export needs pyarrow: pip install pyarrow") from None
    return pa, pq


def arrow_type(column: Column):
    pa, _ = _pyarrow()
    return {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
            "strings": pa.list_(pa.string()), "timestamp": pa.timestamp("us", tz="UTC"), "date": pa.date32(),
            "json": pa.string()}[column.type]


def arrow_schema(table: str):
    pa, _ = _pyarrow()
    return pa.schema([pa.field(c.name, arrow_type(c), description_of(c)) for c in ALL_TABLES[table]])


def description_of(column: Column) -> dict[bytes, bytes] | None:
    return {b"description": column.description.encode()} if column.description else None


def arrow_value(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.type == "timestamp":
        return timestamp(value)
    if column.type == "json":
        return json.dumps(value, ensure_ascii=False)
    if column.type == "float":
        return float(value)
    return value


class ParquetWriter:
    def __init__(self, folder: Path) -> None:
        _pyarrow()
        self.folder = folder
        self.buffers: dict[str, list[tuple[str, dict]]] = {name: [] for name in TABLES}
        self.rows = dict.fromkeys(ALL_TABLES, 0)
        self.parts: dict[tuple[str, str], int] = {}

    def write(self, item: Exported) -> None:
        month = published_month(item.record.article.published)
        for name, rows in record_rows(item.record, item.story_id, item.duplicate_of).items():
            self.buffers[name] += [(month, r) for r in rows]
            if len(self.buffers[name]) >= (FLUSH_ARTICLES if name == "articles" else FLUSH_ROWS):
                self._flush(name)

    def _flush(self, name: str) -> None:
        by_month: dict[str, list[dict]] = {}
        for month, row in self.buffers[name]:
            by_month.setdefault(month, []).append(row)
        self.buffers[name] = []
        for month, rows in sorted(by_month.items()):
            self._write_file(name, rows, self.folder / name / f"published_month={month}", (name, month))

    def _write_file(self, name: str, rows: list[dict], folder: Path, key: tuple[str, str]) -> None:
        pa, pq = _pyarrow()
        columns = ALL_TABLES[name]
        arrays = {c.name: pa.array([arrow_value(r.get(c.name), c) for r in rows], type=arrow_type(c))
                  for c in columns}
        folder.mkdir(parents=True, exist_ok=True)
        part = self.parts.get(key, 0)
        self.parts[key] = part + 1
        pq.write_table(pa.Table.from_pydict(arrays, schema=arrow_schema(name)), folder / f"part-{part:05d}.parquet")
        self.rows[name] += len(rows)

    def close(self, store_rows: dict[str, list]) -> dict[str, int]:
        for name in TABLES:
            self._flush(name)
            if not self.rows[name]:  # an empty table is still a typed dataset, not a missing folder
                self._write_file(name, [], self.folder / name / "published_month=unknown", (name, "unknown"))
        for name in STORE_TABLES:
            self._write_file(name, store_rows.get(name, []), self.folder / name, (name, ""))
        return self.rows
