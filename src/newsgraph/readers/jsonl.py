"""JSON Lines: one article per line with any of id, url, source, title, subtitle,
section, authors, published, text. A line that is a whole newsgraph record (``newsgraph export
--format jsonl``, ``newsgraph extract -f jsonl``) is read as its article. A broken line is reported
and skipped."""

from __future__ import annotations

import json
from collections.abc import Iterator

from pydantic import ValidationError

from newsgraph.errors import InputError
from newsgraph.readers.decoding import decode, iter_lines, max_bytes, open_binary
from newsgraph.readers.items import Item, ReadError
from newsgraph.record import Article

FIELDS = ("id", "url", "source", "title", "subtitle", "section", "authors", "published",
          "retrieved", "language", "text")
# Other names the same idea goes by in common dumps.
SYNONYMS = {"outlet": "source", "body": "text", "headline": "title", "date": "published",
            "description": "subtitle"}


def read(path: str) -> Iterator[Item]:
    seen_any = False
    with open_binary(path) as stream:
        for number, raw in iter_lines(stream, max_bytes()):
            if raw is None:
                yield ReadError(path, "line longer than the size limit; skipped", number)
                continue
            if not raw.strip():
                continue
            seen_any = True
            try:
                yield parse_line(decode(raw), path, number)
            except InputError as exc:
                yield ReadError(path, str(exc), number)
    if not seen_any:
        yield ReadError(path, "empty file: no JSON lines")


def read_text(data: str, name: str) -> Iterator[Item]:
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            try:
                yield parse_line(line, name, number)
            except InputError as exc:
                yield ReadError(name, str(exc), number)


def parse_line(line: str, name: str, number: int) -> Article:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}")
    if isinstance(obj.get("article"), dict) and "schema_version" in obj:
        obj = obj["article"]  # an exported record: its article is what is read
    fields = {}
    for key, value in obj.items():
        key = SYNONYMS.get(key, key)
        if key in FIELDS and value is not None and key not in fields:
            fields[key] = value
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("no 'text' field with article text")
    if "published" in fields:
        fields["published"] = str(fields["published"])
    if isinstance(fields.get("authors"), str):
        fields["authors"] = [fields["authors"]]
    fields["id"] = str(fields.get("id") or "")
    try:
        return Article(**fields).with_id()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InputError(f"bad field value ({problems})") from None
