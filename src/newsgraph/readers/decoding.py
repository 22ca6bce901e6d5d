"""Bytes in, text out: gzip, standard input, size caps, binary and charset detection."""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterator
from typing import BinaryIO

from charset_normalizer import from_bytes

from newsgraph.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def max_bytes() -> int:
    return int(os.environ.get("NEWSGRAPH_MAX_BYTES", DEFAULT_MAX_BYTES))


def open_binary(path: str) -> BinaryIO:
    """Open a path (or '-' for standard input), decompressing gzip transparently."""
    raw: BinaryIO = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    buffered = io.BufferedReader(raw) if not hasattr(raw, "peek") else raw
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered


def read_capped(stream: BinaryIO, limit: int) -> bytes:
    """Read at most ``limit`` bytes; refuse (without reading it all) anything larger."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"larger than the {limit / 1_048_576:.0f} MB limit for one article "
            "(set NEWSGRAPH_MAX_BYTES to raise it)"
        )
    return data


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5% control characters in the first 8 KB."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > len(sample) * 0.05


BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(data: bytes) -> str:
    """Decode bytes as text: a byte-order mark's encoding (UTF-16 and UTF-32 are full of NUL bytes,
    so they are read before the binary check), UTF-8, else the charset detected from the bytes."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()} "
                                 f"({exc.reason} at byte {exc.start})") from None
    if looks_binary(data):
        raise InputError("looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError("not UTF-8 and no other character set fits")
    return str(best)


def iter_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes); a line over ``limit`` yields None and is skipped unread."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drain the rest of the long line
                line = stream.readline(1 << 20)
            yield number, None
            continue
        yield number, line
