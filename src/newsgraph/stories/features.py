"""What a record says about its story, as one sparse weighted vector.

Story assignment compares articles by what the pipeline already found, never by a
second parse: canonical entities (people by surname, so "Reid" and "Tara Reid" meet),
counted things with their numbers, resolved dates, event types, and the words of the
headline and text weighted by how rare they are in English at large. The rarity comes
from a fixed background table (wordfreq), not from the store, so an article's vector
does not depend on what was ingested before it; what a feature tells in the stream being
read (a name in every story that week) is weighed at placement, by stories.stream.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache, lru_cache

from newsgraph.names import fold, name_key
from newsgraph.record import Record
from newsgraph.timeparse import iso_day

Vector = dict[str, float]
DAY_PREFIX = "d:"  # the key of a resolved day the text names: "d:2014-02-12"
NAME_PREFIX = "e:"  # the key of an entity by its name key: "e:tara reid"
FIGURE_PREFIX = "n:"  # the key of a counted thing with its number: "n:38:peopl"

# Feature kinds and how much one occurrence weighs against a word of the same rarity.
ENTITY_WEIGHT = {"PERSON": 2.0, "ORG": 1.5, "FAC": 1.5, "EVENT": 1.5, "GPE": 1.0, "LOC": 1.0, "NORP": 0.5}
COUNT_WEIGHT = 1.5  # a number with what it counts ("5 wounded"); many are incidental (records, scores)
DATE_WEIGHT = 3.0  # a resolved day: "2014-02-12"
MONTH_WEIGHT = 1.5  # a day's month, which "in April 2006" also gives
AGE_WEIGHT = 2.0  # "a 14-year-old"
EVENT_TYPE_WEIGHT = 0.5
TITLE_REPEAT = 2  # headline words count as if written this many times more
SURNAME_SHARE = 0.5  # a person's surname alone, beside the full name
# Words carry most: a name is in many stories of a stream, the words around it say which one
# (with names at 0.35 a one-name article was a third its name, and stories gathered by person).
BLOCK_SHARE = {"words": 0.7, "entities": 0.2, "facts": 0.1}
MAX_NAME_RARITY = 8.0  # the most a name's words together tell
POSITION_DROP = 0.5  # a feature first said at the very end of the text weighs this much less

MAX_RARITY = 5.0  # a word absent from the background table (names, typos) weighs this much
COMMONEST = 6.5  # zipf frequency at or above which a word carries no weight
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


@cache
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=200_000)  # bounded: a crawl of millions of articles meets millions of distinct words
def rarity(word: str) -> float:
    """How much a word tells: 0 for the commonest English words, up to MAX_RARITY for unseen ones."""
    from wordfreq import zipf_frequency

    if word in stop_words() or len(word) < 2:
        return 0.0
    return min(MAX_RARITY, max(0.0, COMMONEST - zipf_frequency(word, "en")))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def name_rarity(name: str) -> float:
    """A name tells as much as its words together ('Tara Reid' more than 'Reid', far more than
    'United States'), up to MAX_NAME_RARITY."""
    return min(MAX_NAME_RARITY, sum(rarity(w) for w in words(name)))


def _sublinear(weight: float, times: int) -> float:
    return weight * (1.0 + math.log(times))


@cache
def _chrome() -> re.Pattern[str]:
    from newsgraph.lexicon import lines

    return re.compile("|".join(f"(?:{p})" for p in lines("page_chrome.txt")), re.IGNORECASE)


CHROME_LINE = 120  # longer lines are text, whatever they start with
_LINE = re.compile(r"[^\n]+")


# a dateline's credit: 'ST. LOUIS (KTVI) -', 'NEW HAVEN, Conn., Oct. 27 (UPI) --': who sent it, not what happened
_CREDIT = re.compile(r"^[^\S\n]*[A-Z][A-Z.'-]+(?:[ ,]+[\w.'-]+){0,6}?[^\S\n]*(\([^()\n]{2,40}\))[^\S\n]*(?:—|–|-{1,2})",
                     re.MULTILINE)


def without_chrome(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with what the site or the wire adds to every article blanked, offsets kept, and the
    blanked spans: its own lines ('Please enable Javascript to watch this video', 'Follow us on
    Twitter', data/page_chrome.txt) and a dateline's credit ('(KTVI)', '(AP)'). Two unrelated
    articles of one site share these."""
    spans = [(m.start(), m.end()) for m in _LINE.finditer(text)
             if len(m.group().strip()) <= CHROME_LINE and _chrome().fullmatch(m.group().strip())]
    spans += [m.span(1) for m in _CREDIT.finditer(text)]
    if not spans:
        return text, []
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars), spans


class _Lead:
    """The article's text as the story features read it (the site's own lines blanked), and how
    early in it a thing is first said: news puts who, what, where and when first and background
    after, so a name or word first met in the closing paragraphs (an earlier event recalled, "it
    was the second collapse this year after ...") weighs up to POSITION_DROP less."""

    def __init__(self, text: str) -> None:
        self.text, self.chrome = without_chrome(text)
        self.length = max(1, len(text))

    def weight(self, offsets: list[int]) -> float:
        first = min(offsets, default=0)
        return 1.0 - POSITION_DROP * min(1.0, first / self.length)

    def in_chrome(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.chrome)


class _Weights:
    """Each feature's base weight and where it occurs; ``vector`` weighs a feature sublinearly in
    how often it occurs, taken down by how late it is first said."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[list[int], float]] = {}

    def see(self, key: str, base: float, offset: int) -> None:
        self._seen.setdefault(key, ([], base))[0].append(offset)

    def vector(self, lead: _Lead) -> Vector:
        return {k: _sublinear(base, len(offsets)) * lead.weight(offsets)
                for k, (offsets, base) in self._seen.items() if base > 0}


def _number_key(number: float) -> str:
    return f"{number:g}"


def _object_key(obj: str | None) -> str:
    tail = words(obj or "")
    return name_key(tail[-1]) if tail else ""


def _word_block(record: Record, lead: _Lead) -> Vector:
    article = record.article
    folded = fold(lead.text)  # offsets here are into the folded text
    seen = _Weights()
    for w in words(article.title or ""):
        for _ in range(TITLE_REPEAT):
            seen.see("w:" + w, rarity(w), 0)
    for match in _WORD.finditer(folded):
        w = match.group()
        seen.see("w:" + w, rarity(w), match.start())
    return seen.vector(_Lead(folded))


def _entity_block(record: Record, lead: _Lead) -> Vector:
    out: Vector = {}

    def put(key: str, weight: float) -> None:
        if weight > 0:
            out[key] = max(out.get(key, 0.0), weight)

    for e in record.entities:
        type_weight = ENTITY_WEIGHT.get(e.type, 1.0)
        key = name_key(e.name)
        said = [m.start for m in e.mentions if not lead.in_chrome(m.start)]
        if not key or (e.mentions and not said):
            continue
        mentions = max(1, len(said))
        early = lead.weight(said)
        put(NAME_PREFIX + key, _sublinear(type_weight * name_rarity(e.name), mentions) * early)
        if e.type == "PERSON" and " " in key:  # another outlet may give the surname alone
            surname = e.name.split()[-1]
            put(NAME_PREFIX + key.split()[-1],
                _sublinear(type_weight * name_rarity(surname), mentions) * SURNAME_SHARE * early)
    return out


def _fact_block(record: Record, lead: _Lead) -> Vector:
    seen = _Weights()
    for c in (c for c in record.counts if not lead.in_chrome(c.start)):
        if c.number is not None and c.kind in ("count", "money", "measure") and (obj := _object_key(c.object)):
            seen.see(f"{FIGURE_PREFIX}{_number_key(c.number)}:{obj}", COUNT_WEIGHT, c.start)
        elif c.kind == "age" and c.number:
            # a victim's or a suspect's age ("a 14-year-old") tells one incident from another like it
            seen.see(f"a:{_number_key(c.number)}", AGE_WEIGHT, c.start)
    for d in (d for d in record.dates if not lead.in_chrome(d.start)):
        if isinstance(d.value, str) and len(d.value) == 10:
            seen.see(DAY_PREFIX + d.value, DATE_WEIGHT, d.start)
        if isinstance(d.value, str) and len(d.value) >= 7:
            seen.see("m:" + d.value[:7], MONTH_WEIGHT, d.start)
    out = seen.vector(lead)
    # an event type is no statement of where the article puts weight: counted, not placed
    for kind, n in Counter(e.type for e in record.events).items():
        out["t:" + kind] = _sublinear(EVENT_TYPE_WEIGHT, n)
    return out


def record_vector(record: Record) -> Vector:
    """The record's features, L2-normalized. Keys are prefixed by kind: w: word, e: entity,
    n: count, d: date, t: event type. Each block is normalized on its own and weighted by
    BLOCK_SHARE, so a long article's words cannot drown its names and numbers."""
    lead = _Lead(record.article.text)
    blocks = {"words": _word_block(record, lead), "entities": _entity_block(record, lead),
              "facts": _fact_block(record, lead)}
    out: Vector = {}
    for name, block in blocks.items():
        share = math.sqrt(BLOCK_SHARE[name])
        out.update({k: v * share for k, v in normalize(block).items()})
    return normalize(out)


def normalize(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two normalized vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def top(vector: Vector, n: int) -> Vector:
    """The n heaviest features (a story's profile and index keep only these)."""
    if len(vector) <= n:
        return dict(vector)
    return dict(sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:n])



def story_time(record: Record) -> str | None:
    """The article's day on the story's clock: its publication day, or None. (The days its text
    names are features instead: a dateline or "on July 7, 2012" speaks for content, and placing
    an undated article on them split follow-ups from the first reports on ECB+.)"""
    return iso_day(record.article.published)
