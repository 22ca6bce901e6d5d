"""WARC archives (.warc, .warc.gz), streamed record by record in constant memory.

HTML responses with status 200 become articles; other records are skipped and
counted by reason. A truncated or broken record is reported and the reader
goes on with the next one where the archive allows it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from newsgraph.errors import InputError
from newsgraph.readers.decoding import max_bytes
from newsgraph.readers.items import ReadError, Skipped
from newsgraph.record import Article

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(path: str) -> Iterator[Article | ReadError | Skipped]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from newsgraph.readers.html import parse_html

    limit = max_bytes()
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream, check_digests=False)
        number = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                left = os.fstat(stream.fileno()).st_size - records.offset
                if left > 0:  # a gzip member cut short ends the iteration silently: say so
                    yield ReadError(path, f"archive truncated: its last {left} bytes after record {number} "
                                          "are not a complete record", number + 1)
                return
            except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
                yield ReadError(path, f"archive broken after record {number}: {exc}", number + 1)
                return
            except Exception as exc:  # warcio meets garbage in ways of its own (None URIs, bad lengths)
                yield ReadError(path, f"archive broken after record {number}: {type(exc).__name__}: {exc}",
                                number + 1)
                return
            number += 1
            try:
                item = _record_item(record, path, number, limit, parse_html)
            except (InputError, EOFError, OSError, ValueError) as exc:
                item = ReadError(path, f"record {number}: {exc}", number)
            except Exception as exc:  # a malformed record must not end the archive's other records
                item = ReadError(path, f"record {number}: malformed ({type(exc).__name__}: {exc})", number)
            if item is not None:
                yield item


def _record_item(record, path: str, number: int, limit: int, parse_html):
    if record.rec_type != "response":
        return Skipped(path, f"{record.rec_type} record")
    uri = record.rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    if http is None:
        return Skipped(path, "response without HTTP headers")
    status = http.get_statuscode()
    if status != "200":
        return Skipped(path, f"HTTP status {status}")
    kind = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if kind not in HTML_TYPES:
        return Skipped(path, f"not HTML ({kind or 'no content type'})")
    stream = record.content_stream()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{uri}: larger than the {limit / 1_048_576:.0f} MB limit")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:  # the archive ended before the record's declared length: never store a cut-off page
        raise InputError(f"{uri}: truncated record ({missing} of its {record.length} bytes missing)")
    date = record.rec_headers.get_header("WARC-Date")
    return parse_html(data, url=uri, fallback_date=date[:10] if date else None)
