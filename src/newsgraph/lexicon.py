"""Word lists shipped as data under newsgraph/data, loaded once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


def _data_text(name: str) -> str:
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
    for line in _data_text(name).splitlines():
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
    return json.loads(_data_text(name))
