"""What each outlet claims about one story, lined up: counts, quotes and coverage.

Pure functions over what the records already say (the store hands in rows). Every cell
keeps its article id and character span, so each claim clicks through to its words.

- Counts about the same thing (equivalent object and action, same category and day) from
  different articles form one claim: ``agree`` when every figure fits every other (qualifiers
  taken into account: "at least 150" fits "157"), ``update`` when figures change only with
  later publication, ``conflict`` otherwise.
- The same words quoted by different articles (fuzzy match) form one claim, with each
  outlet's speaker (``speaker_conflict`` when they differ), a word diff against the first
  publisher's wording, and who cites whom (``via``).
- Coverage: which outlets mention which actors and event types.
- Provenance: every claim names its first publisher and when (``first_published``, with
  ``first_precision`` 'day' when that outlet gave only a date). Agreement is not confirmation when
  every outlet repeats one source: the same official or agency for a figure ("the air force
  said"), or one outlet's copy for a quote (each later cell ``via`` the first publisher or one
  agency). Such a claim's status is ``repeated`` and ``one_source`` names the source.

Near-duplicate articles are not counted twice: their cells hang under the original as
``copies``.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar, Literal

from pydantic import BaseModel
from rapidfuzz import fuzz

from newsgraph.lexicon import table
from newsgraph.names import fold, name_key, same_person
from newsgraph.timeparse import iso_day, published_bounds

QUOTE_MIN_WORDS = 4  # shorter quotes ("no", "a disaster") match by chance
QUOTE_SAME = 85.0  # rapidfuzz ratio at which two quotes are the same words
QUOTE_CONTAINED = 92.0  # partial ratio at which a shorter quote is an excerpt of a longer one


class Copy(BaseModel):
    """A near-duplicate of a cell's article, whose figure or words are not counted again."""

    article_id: str
    source: str | None = None


class Cell(BaseModel):
    """One outlet's figure or words in a claim, pointing at its words (``article_id``, ``start``,
    ``end``). A count's cell sets the count fields, a quote's the quote fields; a field a cell does
    not set is left out of its JSON (``to_dict``), as it is of the claims table."""

    article_id: str
    source: str | None = None
    published: str | None = None
    start: int | None = None
    end: int | None = None
    sentence: str | None = None  # the sentence the figure or words stand in
    copies: list[Copy] = []
    # a count's
    number: int | float | None = None
    text: str | None = None
    qualifier: str | None = None
    object: str | None = None
    action: str | None = None
    date: str | None = None
    said_by: str | None = None
    # a quote's
    speaker: str | None = None
    via: str | None = None
    direct: bool | None = None
    cue: str | None = None
    diff: list[list[str]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)


class Claim(BaseModel):
    """What the outlets of one story say about one thing, lined up: a count or a quote, its status,
    a cell per outlet, and who published first. The one shape of a claim for the stories code, the
    store (``row``/``from_row``: the claims table's columns and the rest as ``detail``), the API, the
    pages and the exports."""

    id: int | None = None  # the claims table's row; None for claims lined up on read
    story_id: int | None = None
    kind: Literal["count", "quote"]
    key: str
    status: str  # counts: agree | update | conflict | repeated; quotes: agree | speaker_conflict | repeated
    label: str | None = None
    cells: list[Cell]
    first_publisher: str | None = None
    first_published: str | None = None
    first_precision: str | None = None
    via_chain: list[str] | None = None  # quotes: who cites whom
    one_source: str | None = None  # set when every outlet repeats one source

    COLUMNS: ClassVar[tuple[str, ...]] = ("kind", "key", "status", "label", "cells")  # the rest is ``detail``
    IDS: ClassVar[tuple[str, ...]] = ("id", "story_id")

    def to_dict(self, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
        """The claim as JSON, the fields it does not set left out (and those in ``exclude``)."""
        return self.model_dump(mode="json", exclude_unset=True, exclude=set(exclude) or None)

    def row(self) -> dict[str, Any]:
        """The claims table's columns (id and story_id as set) and ``detail``, the rest."""
        data = self.to_dict()
        return {**{k: data[k] for k in (*self.IDS, *self.COLUMNS) if k in data},
                "detail": {k: v for k, v in data.items() if k not in (*self.IDS, *self.COLUMNS)}}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Claim:
        return cls(**{k: row[k] for k in (*cls.IDS, *cls.COLUMNS) if k in row}, **(row.get("detail") or {}))


@dataclass
class Member:
    """One article of a story and the facts the claims are built from (store rows as dicts)."""

    article_id: str
    source: str | None
    published: str | None
    title: str | None = None
    duplicate_of: str | None = None
    counts: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def outlet(self) -> str:
        return self.source or "(unknown outlet)"


def _rules() -> dict[str, Any]:
    return table("claim_actions.json")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 3 and word[-1] == word[-2] else word


@cache
def _action_classes() -> dict[str, str]:
    return {w: head for head, members in _rules()["equivalent_actions"].items() for w in members}


def _action_class(word: str) -> str | None:
    classes = _action_classes()
    stem = _stem(word)
    return next((classes[f] for f in (word, stem, stem + "e") if f in classes), None)


def action_key(action: str | None) -> str:
    """'shot down or jammed' -> 'down'; 'fired' -> 'launch'; unknown actions key on their first word."""
    words = fold(action or "").split()
    for w in reversed(words):  # a particle or the last verb decides: "shot down" is downing
        if (head := _action_class(w)) is not None:
            return head
    return _stem(words[0]) if words else ""


def object_key(obj: str | None) -> str:
    words = fold(obj or "").split()
    return name_key(_stem(words[-1])) if words else ""


# --- counts -----------------------------------------------------------------------------

def fits(a: Cell, b: Cell) -> bool:
    """Can both figures be true of the same quantity, given their qualifiers?"""
    return _interval(a)[0] <= _interval(b)[1] and _interval(b)[0] <= _interval(a)[1]


def _interval(cell: Cell) -> tuple[float, float]:
    n = cell.number
    bound = _rules()["qualifier_bounds"].get((cell.qualifier or "").lower())
    tol = _rules()["approx_tolerance"]
    eps = 1e-9
    return {
        "min": (n, float("inf")), "min_exclusive": (n + eps, float("inf")),
        "max": (float("-inf"), n), "max_exclusive": (float("-inf"), n - eps),
        "approx": (n * (1 - tol), n * (1 + tol)),
    }.get(bound, (n, n))


def count_status(cells: list[Cell]) -> str:
    """agree when every figure fits every other; update when the figures only grow with later
    publication (tolls rise as news comes in); conflict otherwise, a later lower figure included."""
    if all(fits(a, b) for i, a in enumerate(cells) for b in cells[i + 1:]):
        return "agree"
    if all(c.published for c in cells):
        by_time = sorted(cells, key=lambda c: c.published)
        grows = all(fits(a, b) or (a.published < b.published and a.number < b.number)
                    for i, a in enumerate(by_time) for b in by_time[i + 1:])
        if grows:
            return "update"
    return "conflict"


def count_claims(members: list[Member]) -> list[Claim]:
    groups: dict[tuple[str, str, str], list[Cell]] = defaultdict(list)
    copies = _copies(members)
    for m in members:
        if m.duplicate_of:
            continue
        seen: set[tuple] = set()
        for c in m.counts:
            if c.get("number") is None or c.get("kind") not in ("count", None):
                continue
            key = (object_key(c.get("object")), action_key(c.get("action")), c.get("category") or "")
            if not key[0] or key in seen:  # one figure per article for one thing: its first
                continue
            seen.add(key)
            groups[key].append(_cell(m, c, copies, number=c["number"], text=c.get("text"),
                                     qualifier=c.get("qualifier"), object=c.get("object"),
                                     action=c.get("action"), date=c.get("date"), said_by=_said_by(m, c)))
    claims = []
    for key, cells in groups.items():
        for part in _same_day(cells):
            if len({c.article_id for c in part}) < 2:
                continue
            part.sort(key=lambda c: (c.published or "~", c.article_id))
            claim = Claim(kind="count", key="|".join(key), status=count_status(part), label=_count_label(part),
                          cells=part, **first_report((c.source, c.published) for c in part))
            source = one_source([c.said_by for c in part])
            if claim.status == "agree" and source:
                claim.status, claim.one_source = "repeated", source
            claims.append(claim)
    return sorted(claims, key=lambda c: (c.status != "conflict", -len(c.cells), c.key))


def _same_day(cells: list[Cell]) -> list[list[Cell]]:
    """Split cells whose counts are dated to different days; undated cells go with every day's
    group when there is one day, else with the largest."""
    days: dict[str, list[Cell]] = defaultdict(list)
    undated = []
    for c in cells:
        day = iso_day(c.date)
        (days[day] if day else undated).append(c)
    if not days:
        return [undated]
    largest = max(days, key=lambda d: (len(days[d]), d))
    days[largest].extend(undated)
    return list(days.values())


def _count_label(cells: list[Cell]) -> str:
    c = cells[0]
    return " ".join(x for x in (c.object, c.action) if x) or "count"


# --- quotes -----------------------------------------------------------------------------

def normalize_quote(text: str) -> str:
    return " ".join(fold(text).split())


def word_diff(reference: str, text: str) -> list[list[str]]:
    """[[op, words], ...] turning the reference wording into this one; op is =, - or +."""
    a, b = reference.split(), text.split()
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(["=", " ".join(a[i1:i2])])
        if op in ("delete", "replace"):
            out.append(["-", " ".join(a[i1:i2])])
        if op in ("insert", "replace"):
            out.append(["+", " ".join(b[j1:j2])])
    return out


def _same_words(a: str, b: str) -> bool:
    if fuzz.ratio(a, b) >= QUOTE_SAME:
        return True
    shorter = min(a, b, key=len)
    return len(shorter.split()) >= QUOTE_MIN_WORDS + 2 and fuzz.partial_ratio(a, b) >= QUOTE_CONTAINED


def quote_claims(members: list[Member]) -> list[Claim]:
    copies = _copies(members)
    groups: list[tuple[str, list[Cell]]] = []  # (normalized text of the first, cells)
    for m in sorted(members, key=lambda m: (m.published or "~", m.article_id)):
        if m.duplicate_of:
            continue
        for q in m.quotes:
            if q.get("kind", "speech") != "speech":
                continue  # labels and stances are not words anyone said
            norm = normalize_quote(q.get("text") or "")
            if len(norm.split()) < QUOTE_MIN_WORDS:
                continue
            cell = _cell(m, q, copies, text=q.get("text"), speaker=q.get("speaker"), via=q.get("via"),
                         direct=q.get("direct"), cue=q.get("cue"))
            group = next((g for g in groups if _same_words(g[0], norm)), None)
            if group is None:
                groups.append((norm, [cell]))
            elif all(c.article_id != m.article_id for c in group[1]):
                group[1].append(cell)
    claims = []
    for _norm, cells in groups:
        if len(cells) < 2:
            continue
        first = cells[0]
        for c in cells:
            c.diff = word_diff(first.text or "", c.text or "")
        speakers = [c.speaker for c in cells if c.speaker]
        conflict = any(not _same_speaker(a, b) for i, a in enumerate(speakers) for b in speakers[i + 1:])
        claim = Claim(kind="quote", key=normalize_quote(first.text or "")[:200],
                      status="speaker_conflict" if conflict else "agree", label=first.text, cells=cells,
                      **first_report((c.source, c.published) for c in cells),
                      via_chain=[f"{c.source or '?'} <- {c.via}" for c in cells if c.via])
        source = copied_from([c.via for c in cells])
        if claim.status == "agree" and source:
            claim.status, claim.one_source = "repeated", source
        claims.append(claim)
    return sorted(claims, key=lambda c: (c.status != "speaker_conflict", -len(c.cells), c.key))


def line_up(members: list[Member]) -> list[Claim]:
    """A story's claims: its counts, then its quotes."""
    return count_claims(members) + quote_claims(members)


def first_report(reports: Iterable[tuple[str | None, str | None]]) -> dict[str, Any]:
    """Who published first and when, from (outlet, published) pairs. No first publisher when the
    earliest time is shared, or when a vaguer date ('2025-09-06', '2025-09') could be before or after
    another outlet's report."""
    dated = [(bounds, source, published) for source, published in reports
             if (bounds := published_bounds(published))]
    if not dated:
        return {"first_publisher": None, "first_published": None, "first_precision": None}
    dated.sort(key=lambda d: (d[0][0], d[0][1]))
    (_, latest, precision), first_source, first_published = dated[0]
    rivals = [bounds for bounds, source, _ in dated[1:] if source != first_source]
    certain = all(latest < earliest for earliest, _, _ in rivals)
    return {"first_publisher": first_source if certain else None, "first_published": first_published,
            "first_precision": precision}


def _said_by(m: Member, count: dict[str, Any]) -> str | None:
    """Who the article credits for a figure: the words naming the source of what was said or stated
    in its sentence ("121 were shot down, the air force said"), else its resolved speaker."""
    sentence = count.get("sentence")
    if sentence is None:
        return None
    return next((q.get("speaker_words") or q["speaker"] for q in m.quotes if q.get("sentence") == sentence
                 and (q.get("speaker_words") or q.get("speaker")) and q.get("kind", "speech") != "label"), None)


def source_key(name: str) -> str:
    """'Ukraine's air force', 'the air force' and 'Air Force' are one source."""
    words = fold(name).replace("\u2019", "'").split()
    while words and (words[0] in ("the", "a", "an") or words[0].endswith("'s")):
        words = words[1:]
    return " ".join(words)


def same_source(a: str, b: str) -> bool:
    """One source named two ways: the same words once 'the' and a possessor are dropped, one naming
    ending the other ('regional governor Ivan Rudnytskyi', 'Ivan Rudnytskyi'), or one person."""
    ka, kb = source_key(a), source_key(b)
    if not ka or not kb:
        return False
    return ka == kb or ka.endswith(" " + kb) or kb.endswith(" " + ka) or _same_speaker(a, b)


def one_source(sources: list[str | None]) -> str | None:
    """The one source every figure is credited to, when they all credit the same one."""
    if len(sources) < 2 or not all(sources):
        return None
    first = sources[0] or ""
    return first if all(same_source(s or "", first) for s in sources[1:]) else None


def copied_from(vias_in_order: list[str | None]) -> str | None:
    """The outlet or agency every later report of a quote came through (each report's ``via``, the
    first publisher's first): each later one is via the first publisher, or all name one agency."""
    if len(vias_in_order) < 2:
        return None
    vias = vias_in_order[1:]
    if not all(vias):
        return None
    keys = {source_key(v or "") for v in vias}
    if len(keys) == 1:
        return vias[0]
    return None


def _same_speaker(a: str, b: str) -> bool:
    return a == b or same_person(a, b) or name_key(a) == name_key(b)


# --- coverage ---------------------------------------------------------------------------

COVERAGE_TYPES = ("PERSON", "ORG", "GPE")


def coverage(members: list[Member], limit: int = 25) -> dict[str, Any]:
    """Outlets x actors and outlets x event types: which outlet names whom and what."""
    outlets = sorted({m.outlet for m in members})
    actors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names = _canonical_names([e for m in members for e in m.entities if e.get("type") in COVERAGE_TYPES])
    for m in members:
        for e in m.entities:
            if e.get("type") in COVERAGE_TYPES:
                actors[names[(e["name"], e["type"])]][m.outlet] += 1
        for ev in m.events:
            kinds[ev["type"]][m.outlet] += 1

    def table(rows: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
        ranked = sorted(rows.items(), key=lambda kv: (-len(kv[1]), -sum(kv[1].values()), kv[0]))[:limit]
        return [{"name": name, "outlets": {o: by.get(o, 0) for o in outlets},
                 "missing": [o for o in outlets if not by.get(o)]} for name, by in ranked]

    return {"outlets": outlets, "actors": table(actors), "event_types": table(kinds)}


def _canonical_names(entities: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """One name per person across outlets: 'Zelenskyy' and 'Volodymyr Zelenskyy' are one row,
    under the fullest spelling."""
    out: dict[tuple[str, str], str] = {}
    people = sorted({e["name"] for e in entities if e["type"] == "PERSON"}, key=lambda n: (-len(n.split()), n))
    for e in entities:
        name = e["name"]
        # a lone surname another outlet's parser typed as ORG or GPE is still the person
        if e["type"] == "PERSON" or len(name.split()) == 1:
            name = next((full for full in people if same_person(full, name)), name)
        out[(e["name"], e["type"])] = name
    return out


# --- shared -----------------------------------------------------------------------------

def _copies(members: list[Member]) -> dict[str, list[Copy]]:
    out: dict[str, list[Copy]] = defaultdict(list)
    for m in members:
        if m.duplicate_of:
            out[m.duplicate_of].append(Copy(article_id=m.article_id, source=m.source))
    return out


def _cell(m: Member, fact: dict[str, Any], copies, **values: Any) -> Cell:
    return Cell(article_id=m.article_id, source=m.source, published=m.published, start=fact.get("start"),
                end=fact.get("end"), sentence=fact.get("sentence"), copies=copies.get(m.article_id, []), **values)


