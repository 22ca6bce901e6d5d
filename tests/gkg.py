"""A GDELT GKG 2.1 reader for the tests: the grammar of each of the 27 columns, strict enough that a
row in the wrong shape fails. The same reader parses real GDELT rows and newsgraph's export."""

from __future__ import annotations

import re

COLUMNS = 27
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


class GkgError(ValueError):
    pass


def _entries(field: str, sep: str = ";") -> list[str]:
    return [e for e in field.split(sep) if e]


def _int(text: str, what: str) -> int:
    if not re.fullmatch(r"-?\d+", text):
        raise GkgError(f"{what}: {text!r} is not an integer")
    return int(text)


def _num(text: str, what: str, empty: bool = False) -> float | None:
    if empty and text == "":
        return None
    if not NUMBER.match(text):
        raise GkgError(f"{what}: {text!r} is not a number")
    return float(text)


def counts(field: str, v2: bool) -> list[dict]:
    out = []
    for e in _entries(field):
        parts = e.split("#")
        if len(parts) != (11 if v2 else 10):
            raise GkgError(f"count {e!r}: {len(parts)} parts")
        out.append({"type": parts[0], "number": _num(parts[1], "count number"), "object": parts[2],
                    "loctype": parts[3], "location": parts[4], "country": parts[5],
                    "offset": _int(parts[10], "count offset") if v2 else None})
    return out


def locations(field: str, v2: bool) -> list[dict]:
    out = []
    for e in _entries(field):
        parts = e.split("#")
        if len(parts) != (9 if v2 else 7):
            raise GkgError(f"location {e!r}: {len(parts)} parts")
        _int(parts[0], "location type")
        lat, lon = (parts[5], parts[6]) if v2 else (parts[4], parts[5])
        _num(lat, "latitude", empty=True)
        _num(lon, "longitude", empty=True)
        out.append({"type": int(parts[0]), "name": parts[1], "country": parts[2], "adm1": parts[3],
                    "offset": _int(parts[8], "location offset") if v2 else None})
    return out


def named_offsets(field: str) -> list[tuple[str, int]]:
    out = []
    for e in _entries(field):
        name, _, offset = e.rpartition(",")
        out.append((name, _int(offset, f"offset of {name!r}")))
    return out


def tone(field: str) -> list[float | None]:
    parts = field.split(",")
    if len(parts) != 7:
        raise GkgError(f"tone: {len(parts)} numbers, not 7")
    return [_num(p, "tone") for p in parts]  # GDELT's readers take seven numbers, none empty


def dates(field: str) -> list[tuple[int, ...]]:
    out = []
    for e in _entries(field):
        parts = e.split("#")
        if len(parts) != 5:
            raise GkgError(f"date {e!r}: {len(parts)} parts")
        out.append(tuple(_int(p, "date part") for p in parts))
    return out


def quotations(field: str) -> list[dict]:
    out = []
    for e in _entries(field, "#"):
        parts = e.split("|", 3)
        if len(parts) != 4:
            raise GkgError(f"quotation {e!r}: {len(parts)} parts")
        out.append({"offset": _int(parts[0], "quote offset"), "length": _int(parts[1], "quote length"),
                    "verb": parts[2], "quote": parts[3]})
    return out


def amounts(field: str) -> list[dict]:
    out = []
    for e in _entries(field):
        parts = e.split(",")
        if len(parts) < 3:
            raise GkgError(f"amount {e!r}: {len(parts)} parts")
        out.append({"number": _num(parts[0], "amount"), "object": ",".join(parts[1:-1]),
                    "offset": _int(parts[-1], "amount offset")})
    return out


def extras(field: str) -> dict[str, str]:
    blocks = re.findall(r"<(\w+)>(.*?)</\1>", field, flags=re.S)
    if "".join(f"<{k}>{v}</{k}>" for k, v in blocks) != field:
        raise GkgError(f"extras: not a sequence of <TAG>...</TAG> blocks: {field[:80]!r}")
    return dict(blocks)


def extras_xml(field: str) -> dict[str, str]:
    """Our extras as XML: well-formed, as an XML parser must take them (GDELT's own rows are not always:
    their titles carry bare ampersands)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(f"<EXTRAS>{field}</EXTRAS>")
    except ET.ParseError as exc:
        raise GkgError(f"extras: not XML ({exc}): {field[:80]!r}") from None
    if root.text or any(child.tail or len(child) for child in root):
        raise GkgError(f"extras: not a sequence of <TAG>...</TAG> blocks: {field[:80]!r}")
    return {child.tag: child.text or "" for child in root}


def parse_row(line: str) -> dict:
    cols = line.rstrip("\n").split("\t")
    if len(cols) != COLUMNS:
        raise GkgError(f"{len(cols)} columns, not {COLUMNS}")
    if not re.fullmatch(r"\d{14}-T?\d+", cols[0]):
        raise GkgError(f"record id {cols[0]!r}")
    if not re.fullmatch(r"\d{14}", cols[1]):
        raise GkgError(f"date {cols[1]!r}")
    if cols[2] not in "123456" or len(cols[2]) != 1:
        raise GkgError(f"source collection {cols[2]!r}")
    themes = _entries(cols[7])
    if any(not re.fullmatch(r"[A-Za-z0-9_]+", t) for t in themes):
        raise GkgError(f"themes {cols[7][:80]!r}")
    gcam = _entries(cols[17], ",")
    if any(":" not in g for g in gcam):
        raise GkgError(f"gcam {cols[17][:80]!r}")
    return {
        "id": cols[0], "date": cols[1], "collection": int(cols[2]), "source": cols[3], "document": cols[4],
        "counts": counts(cols[5], v2=False), "v2counts": counts(cols[6], v2=True), "themes": themes,
        "v2themes": named_offsets(cols[8]), "locations": locations(cols[9], v2=False),
        "v2locations": locations(cols[10], v2=True), "persons": _entries(cols[11]),
        "v2persons": named_offsets(cols[12]), "organizations": _entries(cols[13]),
        "v2organizations": named_offsets(cols[14]), "tone": tone(cols[15]), "dates": dates(cols[16]),
        "gcam": gcam, "quotations": quotations(cols[22]), "allnames": named_offsets(cols[23]),
        "amounts": amounts(cols[24]), "extras": extras(cols[26]),
    }
