"""Readers turn inputs into Articles. They know formats, nothing about language.

Every reader yields either an :class:`Article` or a :class:`ReadError`; an error
names the input (and line) and says what is wrong, and the batch goes on.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsgraph.readers._io import InputError
from newsgraph.record import Article


@dataclass(frozen=True)
class ReadError:
    input: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.input}:{self.line}" if self.line else self.input
        return f"{where}: {self.message}"


Item = Article | ReadError

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
# What a directory walk picks up; a file named explicitly is read whatever its name.
ARTICLE_SUFFIXES = (".txt", ".text", ".jsonl", ".ndjson", ".html", ".htm", ".warc")


def is_article_file(name: str) -> bool:
    base = name.lower().removesuffix(".gz")
    return base.endswith(ARTICLE_SUFFIXES)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Directories recursively (sorted), globs, and '-' for standard input."""
    for path in paths:
        if path == "-":
            yield path
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith(".") and is_article_file(name):
                        yield os.path.join(root, name)
        elif any(c in path for c in "*?[") and not os.path.exists(path):
            yield from sorted(glob.glob(path, recursive=True))
        else:
            yield path


def read_path(path: str, **overrides: str | None) -> Iterator[Item]:
    """Read one input, choosing the reader by name (or by content for standard input)."""
    from newsgraph.readers import html, jsonl, text

    if path != "-" and not os.path.exists(path):
        yield ReadError(path, "no such file")
        return
    try:
        if path.lower().endswith(JSONL_SUFFIXES):
            yield from jsonl.read(path)
        elif path.lower().removesuffix(".gz").endswith((".html", ".htm")):
            yield from html.read(path, **overrides)
        elif path == "-":
            yield from _read_stdin(overrides)
        else:
            yield from text.read(path, **overrides)
    except InputError as exc:
        yield ReadError(path, str(exc))
    except OSError as exc:
        yield ReadError(path, f"cannot read: {exc.strerror or exc}")


def _read_stdin(overrides: dict) -> Iterator[Item]:
    from newsgraph.readers import jsonl, text
    from newsgraph.readers._io import decode, max_bytes, open_binary, read_capped

    data = decode(read_capped(open_binary("-"), max_bytes()))
    if data.lstrip().startswith("{"):
        yield from jsonl.read_text(data, "<stdin>")
    else:
        yield from text.read_text(data, "<stdin>", **overrides)


def read_inputs(paths: Iterable[str], **overrides: str | None) -> Iterator[Item]:
    """Every article of every input, in input order, with errors in their place."""
    for path in expand_paths(paths):
        yield from read_path(path, **overrides)
