"""CSV: one file per table, UTF-8 with a header, RFC 4180 quoting (CRLF line ends; a field with a
comma, a quote mark or a line break is quoted, its quote marks doubled), so text round-trips.

Cells: empty for null, ``true``/``false`` for booleans, lists and JSON values as JSON text. A
text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, as OWASP recommends against formula injection: a spreadsheet would otherwise run a
hostile page's title (``=HYPERLINK(...)``, a DDE payload) as a formula. A ``README.md`` beside the
files is the data dictionary, written from the record's own field descriptions, and says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any, TextIO

from newsgraph.exports.source import Exported
from newsgraph.exports.tables import ALL_TABLES, STORE_TABLES, TABLES, Column, record_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.type == "bool":
        return "true" if value else "false"
    if column.type in ("strings", "json"):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return defused(value)
    return str(value)


def defused(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvWriter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, TextIO] = {}
        self.writers: dict[str, Any] = {}
        self.rows = dict.fromkeys(ALL_TABLES, 0)
        for name, columns in ALL_TABLES.items():
            f = open(folder / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed in close)
            self.files[name] = f
            self.writers[name] = csv.writer(f, lineterminator="\r\n")
            self.writers[name].writerow([c.name for c in columns])

    def _write_rows(self, name: str, rows: list[dict[str, Any]]) -> None:
        columns = ALL_TABLES[name]
        self.writers[name].writerows([cell(r.get(c.name), c) for c in columns] for r in rows)
        self.rows[name] += len(rows)

    def write(self, item: Exported) -> None:
        for name, rows in record_rows(item.record, item.story_id, item.duplicate_of).items():
            self._write_rows(name, rows)

    def close(self, store_rows: dict[str, list]) -> dict[str, int]:
        for name in STORE_TABLES:
            self._write_rows(name, store_rows.get(name, []))
        for f in self.files.values():
            f.close()
        (self.folder / "README.md").write_text(data_dictionary("csv"), encoding="utf-8")
        return self.rows


def data_dictionary(fmt: str) -> str:
    """The tables and their columns, with types and the record's descriptions, as Markdown."""
    lines = ["# newsgraph export: data dictionary", "",
             "Every row carries its `article_id` (the `id` of `articles`); offsets (`start`, `end`) are "
             "character offsets into that article's `text`. Column names are the record's field names "
             "(`newsgraph schema`); `tone_*` flattens `tone`.", ""]
    if fmt == "csv":
        lines += ["CSV cells: empty for null, `true`/`false` for booleans, lists and JSON values as JSON "
                  "text; UTF-8, RFC 4180 quoting. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a "
                  "carriage return starts with an added apostrophe (`'=HYPERLINK(...)`), as OWASP recommends "
                  "against formula injection: strip one leading apostrophe from such a cell to get the text "
                  "back. Numbers are written as numbers.", ""]
    for name, columns in ALL_TABLES.items():
        origin = "record" if name in TABLES else "store"
        lines += [f"## {name} (from the {origin})", "", "| column | type | description |", "|---|---|---|"]
        lines += [f"| {c.name} | {c.type} | {c.description.replace('|', '/')} |" for c in columns]
        lines.append("")
    return "\n".join(lines)
