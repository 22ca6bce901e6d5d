"""Word lists shipped as data under newsgraph/data, loaded once per process."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources


def data_text(name: str) -> str:
    """A data file's text."""
    return resources.files("newsgraph.data").joinpath(name).read_text(encoding="utf-8")


def data_bytes(name: str) -> bytes:
    """A data file's bytes (for fingerprints of what a cache was built from)."""
    return resources.files("newsgraph.data").joinpath(name).read_bytes()


@cache
def words(name: str) -> frozenset[str]:
    """A one-entry-per-line list (comments start with '#'), lower-cased."""
    return frozenset(phrases(name))


@cache
def lines(name: str) -> tuple[str, ...]:
    """Entries of a list file in file order, as written (comments start with '#')."""
    out = []
    for line in data_text(name).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


@cache
def phrases(name: str) -> tuple[str, ...]:
    """Entries of a list file in file order, lower-cased."""
    return tuple(line.lower() for line in lines(name))


@cache
def table(name: str) -> dict:
    """A JSON data file."""
    return json.loads(data_text(name))


@cache
def fingerprint() -> str:
    """A digest of every shipped data file: part of the pipeline version, so an edited word list
    re-extracts stored articles."""
    return folder_fingerprint(resources.files("newsgraph.data"))


def folder_fingerprint(folder) -> str:
    """A digest of a data folder's files, names and contents (code files left out)."""
    digest = hashlib.sha1()
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.endswith((".py", ".pyc")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()
