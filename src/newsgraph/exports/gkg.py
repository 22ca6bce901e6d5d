"""GDELT GKG 2.1: one 27-column tab-separated row per article, as GKG consumers parse them.

DATE (and the record id built on it) is the article's publication time, else the time it was
fetched, else the time the store took it, else the time of the export: GKG readers key rows by it,
and GDELT's own DATE is when GDELT saw the article, so a row never leaves it empty.

Filled from the record: counts (GKG's count types are our `category`; object and the count's
place), themes (data/gkg.json maps ours to GKG codes), locations (GKG location types; FIPS 10-4
country codes from data/fips_countries.tsv, not ISO), persons and organizations (V1 lower-cased and
de-duplicated, V2 with offsets), V1.5 tone, dates (`resolution#month#day#year#offset`), direct
quotations (`offset|length|cue|quote`), all names, amounts and the page title. What GKG has no
column for (each quote's speaker and via, events, themes without a GKG code, the story) goes into
the extras XML as newsgraph's own blocks, never into a column that means something else.

Not computed by newsgraph: the activity-reference density of the tone column (GKG's own
dictionary) is written as 0, because GDELT's readers take seven numbers there (an article whose
tone was not measured, not English or read without NLP, has tone 0 and ``<NEWSGRAPH_TONE>not
measured</NEWSGRAPH_TONE>`` in the extras); the GCAM scores
apart from the word count and the image columns are left empty.

A field never holds its own separators inside a value: a value's ``;``, ``#``, ``,`` or ``|`` becomes a
space where that field uses it, while the separators the field puts between its entries (the
extras' ``#`` between quote speakers, ``;`` between authors) stay. The document URL keeps its ``;``
and ``#`` (it is one value) with white space percent-encoded; the extras are well-formed XML
(control characters XML forbids, a NUL among them, are dropped).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TextIO
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from newsgraph import lexicon
from newsgraph.exports.source import Exported
from newsgraph.exports.tables import timestamp
from newsgraph.record import DateRange, Place, Record

COLUMNS = 27
SELF_WORDS = frozenset(["i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"])


@cache
def countries() -> dict[str, tuple[str, str]]:
    """ISO alpha-2 -> (FIPS 10-4 code, country name)."""
    out = {}
    for line in lexicon.lines("fips_countries.tsv"):
        iso, fips, name = (line.split("\t") + ["", ""])[:3]
        out[iso] = (fips, name.strip())
    return out


def clean(text: str | None, extra: str = "") -> str:
    """A value safe inside a GKG field: no tabs or line breaks, none of the field's delimiters."""
    text = re.sub(r"\s+", " ", text or "").strip()
    for ch in ";#" + extra:
        text = text.replace(ch, " ")
    return text


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def gkg_date(item: Exported) -> str:
    """GKG's DATE: when the article was published, else fetched, else stored. Every GKG reader keys
    rows by it, so a row never leaves it empty: an undated record read straight from a file (no
    store) is dated now."""
    a = item.record.article
    stamp = timestamp(a.published) or timestamp(a.retrieved) or timestamp(item.ingested_at)
    return (stamp or dt.datetime.now(dt.UTC)).strftime("%Y%m%d%H%M%S")


def location(place: Place) -> tuple[int, str, str, str] | None:
    """(GKG type, full name, FIPS country code, ADM1 code) of a geocoded place; None for what GKG has
    no type for (seas, continents) or what has no coordinates."""
    if place.lat is None or place.lon is None or not place.country:
        return None
    table = lexicon.table("gkg.json")
    types, kind = table["location_types"], place.kind or ""
    fips, country_name = countries().get(place.country, ("", ""))
    if kind == "country":
        return types["country"], place.name, fips, fips
    us = place.country == "US"
    if kind in table["region_kinds"]:
        kind_type = types["us_state"] if us else types["world_region"]
    elif kind in table["city_kinds"]:
        kind_type = types["us_city"] if us else types["world_city"]
    else:
        return None
    adm1 = f"{fips}{place.admin1}" if place.admin1 else fips
    full = place.name if not country_name or place.name == country_name else f"{place.name}, {country_name}"
    return kind_type, clean(full), fips, adm1


def _coords(place: Place) -> tuple[str, str]:
    return f"{place.lat:g}", f"{place.lon:g}"


def locations(record: Record) -> tuple[str, str]:
    v1, v2 = [], []
    mentions = {e.id: e.mentions for e in record.entities}
    for place in record.places:
        loc = location(place)
        if loc is None:
            continue
        kind, full, fips, adm1 = loc
        lat, lon = _coords(place)
        v1.append(f"{kind}#{full}#{fips}#{adm1}#{lat}#{lon}#")
        v2 += [f"{kind}#{full}#{fips}#{adm1}##{lat}#{lon}##{m.start}" for m in mentions.get(place.entity_id, [])]
    return ";".join(dict.fromkeys(v1)), ";".join(v2)


def count_entries(record: Record) -> tuple[str, str]:
    places = {p.name: p for p in record.places}
    v1, v2 = [], []
    for c in record.counts:
        if c.number is None or not c.category:
            continue
        loc = location(places[c.place]) if c.place in places else None
        where = "#####"
        if loc is not None:
            lat, lon = _coords(places[c.place])
            where = f"{loc[0]}#{loc[1]}#{loc[2]}#{loc[3]}#{lat}#{lon}"
        entry = f"{c.category}#{number_text(c.number)}#{clean(c.object)}#{where}#"
        v1.append(entry)
        v2.append(f"{entry}#{c.start}")
    return "".join(e + ";" for e in dict.fromkeys(v1)), "".join(e + ";" for e in v2)


def theme_entries(record: Record) -> tuple[str, str, list[str]]:
    codes = lexicon.table("gkg.json")["themes"]
    text = record.article.text.lower()
    v1, v2, unmapped = [], [], []
    for theme in record.tone.themes if record.tone else []:
        code = codes.get(theme.name)
        if code is None:
            unmapped.append(theme.name)
            continue
        v1.append(code)
        for term in theme.terms:
            v2 += [f"{code},{m.start()}" for m in re.finditer(rf"\b{re.escape(term.lower())}", text)]
    return ";".join(dict.fromkeys(v1)), ";".join(sorted(set(v2), key=lambda e: int(e.split(",")[1]))), unmapped


def names(record: Record, kind: str) -> tuple[str, str]:
    ents = [e for e in record.entities if e.type == kind]
    v1 = ";".join(dict.fromkeys(clean(e.name, ",").lower() for e in ents))
    v2 = ";".join(f"{clean(e.name, ',')},{m.start}" for e in ents for m in e.mentions)
    return v1, v2


def tone(record: Record) -> str:
    """tone, positive %, negative %, polarity, activity density (not computed: 0), self/group
    reference density (% of words that are first-person pronouns), word count."""
    words = re.findall(r"[A-Za-z']+", record.article.text)
    t = record.tone
    # an article whose tone was not measured (not English, or read without NLP) still gets seven
    # numbers, as GDELT's readers need; the extras' NEWSGRAPH_TONE says they are no measurement
    pos, neg = (t.positive * 100, t.negative * 100) if t is not None else (0.0, 0.0)
    self_share = 100 * sum(w.lower() in SELF_WORDS for w in words) / max(len(words), 1)
    return ",".join([f"{pos - neg:g}", f"{pos:g}", f"{neg:g}", f"{pos + neg:g}", "0", f"{self_share:g}",
                     str(len(record.article.text.split()))])


def date_entries(record: Record) -> str:
    out = []
    for d in record.dates:
        value = d.value.start if isinstance(d.value, DateRange) else d.value
        parts = [int(p) for p in (value or "").split("-")[:3] if p.isdigit()]
        if not parts:
            continue
        year, month, day = (parts + [0, 0])[:3]
        out.append(f"{len(parts)}#{month}#{day}#{year}#{d.start}")
    return ";".join(out)


def quotations(record: Record) -> str:
    direct = [q for q in record.quotes if q.direct and q.kind == "speech"]
    return "#".join(f"{q.start}|{q.end - q.start}|{clean(q.cue, '|')}|{clean(q.text, '|')}" for q in direct)


def all_names(record: Record) -> str:
    return ";".join(f"{clean(m.text, ',')},{m.start}" for e in record.entities for m in e.mentions)


def amounts(record: Record) -> str:
    return "".join(f"{number_text(c.number)},{clean(' '.join(filter(None, (c.detail, c.object))), ',')},{c.start};"
                   for c in record.counts if c.number is not None)


def extras(item: Exported, unmapped_themes: list[str]) -> str:
    r, a = item.record, item.record.article
    blocks = [("PAGE_TITLE", a.title), ("PAGE_AUTHORS", ";".join(clean(x) for x in a.authors) or None)]
    stamp = timestamp(a.published)
    if stamp is not None and "T" in (a.published or ""):
        blocks.append(("PAGE_PRECISEPUBTIMESTAMP", stamp.strftime("%Y%m%d%H%M%S")))
    blocks.append(("NEWSGRAPH_ARTICLE_ID", a.id))
    blocks.append(("NEWSGRAPH_STORY_ID", str(item.story_id) if item.story_id is not None else None))
    speakers = [f"{q.start}|{clean(q.speaker, '|')}|{clean(q.via, '|')}" for q in r.quotes
                if q.kind == "speech" and (q.speaker or q.via)]
    blocks.append(("NEWSGRAPH_QUOTE_SPEAKERS", "#".join(speakers) or None))
    events = [f"{e.start}|{e.type}|{clean(e.source_actor, '|')}|{clean(e.target_actor, '|')}" for e in r.events]
    blocks.append(("NEWSGRAPH_EVENTS", "#".join(events) or None))
    blocks.append(("NEWSGRAPH_THEMES", ";".join(clean(t) for t in unmapped_themes) or None))
    blocks.append(("NEWSGRAPH_TONE", "not measured" if r.tone is None else None))
    # each value was cleaned of its own separators above; the block's separators between them stay
    return "".join(f"<{tag}>{escape(xml_text(value))}</{tag}>" for tag, value in blocks if value)


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text an XML parser takes: no characters XML 1.0 forbids, white space on one line."""
    return re.sub(r"\s+", " ", _XML_FORBIDDEN.sub("", value)).strip()


def document_url(url: str) -> str:
    """The URL as one value: its ';' and '#' kept, white space percent-encoded."""
    return re.sub(r"\s", lambda m: f"%{ord(m.group()):02X}", url.strip())


def row(item: Exported, serial: int) -> list[str]:
    r, a = item.record, item.record.article
    date = gkg_date(item)
    counts_v1, counts_v2 = count_entries(r)
    themes_v1, themes_v2, unmapped = theme_entries(r)
    loc_v1, loc_v2 = locations(r)
    persons_v1, persons_v2 = names(r, "PERSON")
    orgs_v1, orgs_v2 = names(r, "ORG")
    domain = urlsplit(a.url).netloc.lower().removeprefix("www.") if a.url else ""
    fields = [
        f"{date}-{serial}", date, "1" if a.url else "2", clean(domain or a.source),
        document_url(a.url) if a.url else clean(a.source or f"newsgraph:{a.id}"),
        counts_v1, counts_v2, themes_v1, themes_v2, loc_v1, loc_v2, persons_v1, persons_v2, orgs_v1, orgs_v2,
        tone(r), date_entries(r), f"wc:{len(a.text.split())}", "", "", "", "",
        quotations(r), all_names(r), amounts(r), "", extras(item, unmapped),
    ]
    assert len(fields) == COLUMNS
    return [f.replace("\t", " ").replace("\n", " ").replace("\r", " ") for f in fields]


class GkgWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.rows = {"gkg rows": 0}

    def write(self, item: Exported) -> None:
        self.out.write("\t".join(row(item, self.rows["gkg rows"])) + "\n")
        self.rows["gkg rows"] += 1

    def close(self, store_rows: dict[str, list]) -> dict[str, int]:  # noqa: ARG002
        self.out.flush()
        return self.rows

