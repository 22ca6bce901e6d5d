"""`newsgraph export`: a store's records out in the formats analysts' tools read.

    result = export(store, "parquet", "out/", ArticleFilter(since="2025-01-01"))

Formats: ``jsonl`` (the record schema, one per line), ``csv`` (one file per table, a data
dictionary beside them), ``parquet`` (typed datasets partitioned by publication month), ``gkg``
(GDELT GKG 2.1 rows), ``datasette-metadata`` (a metadata file for ``datasette store.db -m``).
The filters are search's and the API's, plus a story. Records stream from the store, so memory
does not grow with it; output goes to a new temporary name of its own beside the target (created
exclusively, so nothing planted there is followed) and is renamed into place at the end, so a failed
export (a full disk included) leaves no half-written file or folder behind and says why in one line.
An existing target that is not a regular file (a device such as /dev/null, a named pipe, a socket)
is refused rather than replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.errors import NewsgraphError
from newsgraph.exports import source
from newsgraph.record import Record
from newsgraph.store import Store
from newsgraph.store.queries import ArticleFilter

FORMATS = ("jsonl", "csv", "parquet", "gkg", "datasette-metadata")
FOLDER_FORMATS = ("csv", "parquet")


@dataclass
class ExportResult:
    format: str
    out: str
    articles: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    note: str | None = None

    def line(self) -> str:
        if self.format == "datasette-metadata":
            return f"wrote Datasette metadata -> {self.out} (open it with: datasette STORE.db -m {self.out})"
        rows = ", ".join(f"{n:,} {name}" for name, n in self.rows.items())
        text = f"exported {self.articles:,} articles as {self.format}" + (f" ({rows})" if rows else "")
        text += f" -> {self.out}"
        return text + (f"; {self.note}" if self.note else "")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise NewsgraphError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return fmt


def export(store: Store, fmt: str, out: str | None, f: ArticleFilter | None = None, story: int | None = None,
           progress: Callable[[int, int], None] = lambda _done, _total: None) -> ExportResult:
    """Write the store's matching records in ``fmt`` to ``out`` (a file, '-' or None for standard
    output; a new or empty folder for csv and parquet)."""
    try:
        return _export(store, fmt, out, f, story, progress)
    except OSError as exc:  # a full disk, a file too large, a folder gone: one line, nothing left behind
        raise NewsgraphError(f"cannot write {out or 'standard output'}: {exc.strerror or exc}") from None


def _export(store: Store, fmt: str, out: str | None, f: ArticleFilter | None, story: int | None,
            progress: Callable[[int, int], None]) -> ExportResult:
    check_format(fmt)
    f = f or ArticleFilter()
    if fmt == "datasette-metadata":
        from newsgraph.exports.datasette import metadata

        with _output_file(out) as stream:
            stream.write(json.dumps(metadata(store), indent=2, ensure_ascii=False) + "\n")
        return ExportResult(fmt, out or "-")
    total = source.count(store, f, story)
    result = ExportResult(fmt, out or "-", note=None if total else "no articles match the filter: the export is empty")
    if fmt in FOLDER_FORMATS:
        with _output_folder(out, fmt) as folder:
            writer = _folder_writer(fmt, folder)
            _run(store, f, story, writer, result, total, progress)
    else:
        with _output_file(out) as stream:
            writer = _stream_writer(fmt, stream)
            _run(store, f, story, writer, result, total, progress)
    return result


def export_records(records: Iterable[Record], fmt: str, out: str | None) -> ExportResult:
    """Records that were never stored (``newsgraph ingest --out``), written as an export writes
    them: Parquet datasets straight from a crawl, say. No store, so no stories or claims."""
    try:
        return _export_records(records, fmt, out)
    except OSError as exc:
        raise NewsgraphError(f"cannot write {out or 'standard output'}: {exc.strerror or exc}") from None


def _export_records(records: Iterable[Record], fmt: str, out: str | None) -> ExportResult:
    check_format(fmt)
    if fmt == "datasette-metadata":
        raise NewsgraphError("datasette-metadata describes a store; write the records to a store first")
    result = ExportResult(fmt, out or "-")

    def run(writer) -> None:
        for record in records:
            writer.write(source.Exported(record, None, None))
            result.articles += 1
        result.rows = writer.close({})

    if fmt in FOLDER_FORMATS:
        with _output_folder(out, fmt) as folder:
            run(_folder_writer(fmt, folder))
    else:
        with _output_file(out) as stream:
            run(_stream_writer(fmt, stream))
    return result


def _run(store, f, story, writer, result: ExportResult, total: int, progress) -> None:
    story_ids: set[int] = set()
    for item in source.records(store, f, story):
        writer.write(item)
        if item.story_id is not None:
            story_ids.add(item.story_id)
        result.articles += 1
        progress(result.articles, total)
    result.rows = writer.close(source.store_rows(store, story_ids))


def _folder_writer(fmt: str, folder: Path):
    if fmt == "csv":
        from newsgraph.exports.csv_tables import CsvWriter

        return CsvWriter(folder)
    from newsgraph.exports.parquet import ParquetWriter

    return ParquetWriter(folder)


def _stream_writer(fmt: str, stream):
    if fmt == "jsonl":
        from newsgraph.exports.jsonl import JsonlWriter

        return JsonlWriter(stream)
    from newsgraph.exports.gkg import GkgWriter

    return GkgWriter(stream)


def _target(out: str) -> Path:
    """The path to write, refusing what must not be replaced: a device, a named pipe, a socket."""
    target = Path(out)
    if target.name in ("", ".", ".."):
        target = target.resolve()
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise NewsgraphError(f"cannot write {out}: {exc.strerror}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise NewsgraphError(f"cannot write {out}: it is {kind}, not a file; an export is renamed into place "
                             "and would replace it (give a regular file name, or '-' for standard output)")
    return target


class _output_file:
    """Standard output, or a file written under a temporary name and renamed into place on success."""

    def __init__(self, out: str | None) -> None:
        self.out = out
        self.tmp: Path | None = None

    def __enter__(self):
        if not self.out or self.out == "-":
            return sys.stdout
        target = _target(self.out)
        if target.is_dir():
            raise NewsgraphError(f"cannot write {self.out}: it is a folder; give a file name")
        self.target = target
        try:  # a fresh name of our own, created exclusively: a symlink planted beside is never followed
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        except OSError as exc:
            raise NewsgraphError(f"cannot write {self.out}: {exc.strerror}") from None
        self.tmp = Path(name)
        self.stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed in __exit__)
        return self.stream

    def __exit__(self, kind, _value, _tb) -> None:
        if self.tmp is None:
            return
        try:
            self.stream.close()  # flushing may fail on a full disk too
        except OSError:
            if kind is None:
                self.tmp.unlink(missing_ok=True)
                raise
        if kind is None:
            os.chmod(self.tmp, 0o666 & ~_umask())
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class _output_folder:
    """A new or empty folder, filled under a temporary name and renamed into place on success."""

    def __init__(self, out: str | None, fmt: str) -> None:
        if not out or out == "-":
            raise NewsgraphError(f"{fmt} export writes one file per table: give a folder with --out")
        self.target = _target(out)
        if self.target.exists() and (not self.target.is_dir() or any(self.target.iterdir())):
            raise NewsgraphError(f"cannot write {out}: it exists and is not an empty folder "
                                 "(a new export never mixes with an old one)")
        self.out = out

    def __enter__(self) -> Path:
        try:
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".partial",
                                             dir=self.target.parent))
        except OSError as exc:
            raise NewsgraphError(f"cannot write {self.out}: {exc.strerror}") from None
        return self.tmp

    def __exit__(self, kind, _value, _tb) -> None:
        if kind is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        os.chmod(self.tmp, 0o777 & ~_umask())
        if self.target.exists():
            self.target.rmdir()  # empty, checked above
        os.replace(self.tmp, self.target)
