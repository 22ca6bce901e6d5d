"""NER repair for places and outlets: outlets matched by name (data/outlets.txt), 'the Lviv
region' style areas (data/region_words.json), datelines in capitals ('BELGRADE 1996-08-30'), and places the model calls people or
organizations, checked in the gazetteer or told by the words around them ('the town of
Yeoncheon', 'from Herat'; data/place_nouns.txt)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsgraph import lexicon
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.gazetteer import key as gazetteer_key
from newsgraph.pipeline.ner_people import plain_name, speaks
from newsgraph.pipeline.vocabulary import mention_key, outlet_matcher


def outlet_spans(doc: Doc) -> list[tuple[int, int, str]]:
    matcher = outlet_matcher(id(doc.vocab), doc.vocab)
    found = sorted(((s, e) for _, s, e in matcher(doc)), key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[tuple[int, int, str]] = []
    for s, e in found:
        # Names are matched as written: "AP" or "Time" in capitals, not "ap" or "time".
        if not doc[s].text[:1].isupper() or (e - s == 1 and doc[s].is_sent_start):
            continue
        if out and s < out[-1][1]:
            continue
        out.append((s, e, "ORG"))
    return out


def area_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """'the Lviv region', 'Kramatorsk district', 'the Hodan and Wadajir districts':
    the names before an area word."""
    area_words = lexicon.table("region_words.json")
    out = []
    for tok in doc:
        if tok.lower_ not in area_words or tok.i == 0:
            continue
        end = tok.i
        while end > 0:
            start = _name_run_start(doc, end)
            if start == end:
                break
            out.append((start, end, "GPE"))
            # coordinated names share the (plural) area word: 'X and Y districts'
            if start >= 2 and doc[start - 1].lower_ in ("and", ",") and doc[start - 2].pos_ == "PROPN":
                end = start - 1
            else:
                break
    return out


def dateline_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """'BELGRADE 1996-08-30', 'KYIV, Ukraine (AP) —', 'NEW YORK (Reuters)': a place in capitals opening a
    paragraph, followed by a date, a comma, a parenthesis or a dash, and known to the gazetteer (the
    model misses most names written in capitals)."""
    out = []
    for tok in doc:
        if not _opens_paragraph(doc, tok.i):
            continue
        end = tok.i
        while end < len(doc) and end - tok.i < 4 and doc[end].is_alpha and doc[end].text.isupper():
            end += 1
        if end == tok.i or end >= len(doc):
            continue
        nxt = doc[end]
        dated = nxt.ent_type_ == "DATE" or nxt.like_num or nxt.text[:1].isdigit()
        if (dated or nxt.text in (",", "(", "—", "–")) and gazetteer().candidates(doc[tok.i:end].text):
            out.append((tok.i, end, "GPE"))
    return out


def _opens_paragraph(doc: Doc, i: int) -> bool:
    return i == 0 or "\n" in doc[i - 1].whitespace_ or (doc[i - 1].is_space and "\n" in doc[i - 1].text)


def _name_run_start(doc: Doc, end: int) -> int:
    """Start of the run of capitalized proper-noun tokens (hyphens allowed) ending before ``end``."""
    i = end
    while i > 0 and ((doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper()) or
                     (doc[i - 1].text == "-" and i > 1 and i < end)):
        i -= 1
    while i < end and doc[i].text == "-":
        i += 1
    return i


def relabel_places(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Places the small model calls people or organizations become GPE (checked in the gazetteer)."""
    gaz = gazetteer()
    person_words = {mention_key(t.text) for s, e, label in spans if label == "PERSON" and e - s > 1
                    for t in doc[s:e]}
    outlets = {(s, e) for s, e, _ in outlet_spans(doc)}
    not_place_heads = lexicon.table("not_place_heads.json")
    out = []
    for s, e, label in sorted(spans):  # in text order: a place can vouch for the name after it
        text = doc[s:e].text
        if (s, e) in outlets:  # 'according to BBC': an outlet, never a place (BBC is also a Texas town)
            out.append((s, e, label))
            continue
        head = doc[e - 1].lower_
        if label in ("GPE", "LOC", "FAC") and e - s > 1 and head in not_place_heads:  # 'Ambrosetti Forum'
            out.append((s, e, not_place_heads[head]))
            continue
        if label == "PERSON" and mention_key(text) not in person_words and gaz.is_known(text) and not speaks(doc[e - 1]):
            best = gaz.best(text)
            # a big city by its own name; an alternate spelling of one ('Rania' for Rānyah) is no evidence
            if best and (best[0].kind not in ("city", "county") or best[0].population > 100_000
                         and gazetteer_key(best[0].name) == gazetteer_key(text)):
                label = "GPE"
        elif label in ("ORG", "NORP") and any(c.kind == "country" for c in gaz.candidates(text)):
            label = "GPE"
        if label in ("ORG", "PERSON") and e - s <= 3 and _placed_by_context(doc, s, e, out) \
                and mention_key(text) not in person_words and plain_name(doc, s, e):
            label = "GPE"
        out.append((s, e, label))
    return out


def _placed_by_context(doc: Doc, s: int, e: int, spans: list[tuple[int, int, str]]) -> bool:
    """The words around a name say it is a place: 'the town of Yeoncheon', 'off Nyonie, a small town',
    'Livorno, Tuscany,' (a name after a place and a comma), 'from Herat' (a known place after a
    preposition of movement or location)."""
    before = doc[s - 1].lower_ if s > 0 else ""
    two_before = doc[s - 2].lower_ if s > 1 else ""
    if before == "of" and two_before in lexicon.words("place_nouns.txt"):
        return True
    after = doc[e : e + 5]
    if len(after) >= 2 and after[0].text == "," and any(t.lemma_ in lexicon.words("place_nouns.txt") for t in after[1:4]) \
            and after[1].lower_ in ("a", "an", "the"):
        return True
    if before == "," and any(x[1] == s - 1 and x[2] in ("GPE", "LOC") for x in spans) and e < len(doc) \
            and doc[e].text in (",", ".", ";"):
        return True
    return before in ("from", "in", "to", "near", "off", "outside", "at") and gazetteer().is_known(doc[s:e].text) \
        and not any(t.lower_ in lexicon.words("org_words.txt") for t in doc[s:e])
