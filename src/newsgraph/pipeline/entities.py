"""Entities: named mentions grouped into canonical people, organizations and places.

Starts from spaCy's NER and repairs what the small model gets wrong with
shipped data: outlets by phrase list, "X region/district/oblast" areas, places
mislabelled as people or organizations (checked against the gazetteer). Then
groups mentions (surname-only, title-only and pronoun mentions join the person
they refer to) and reads roles from premodifiers and appositions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from newsgraph import lexicon
from newsgraph.names import name_key, strip_accents
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.cues import cue_lemmas
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.registry import stage
from newsgraph.record import Entity, Mention

OUR_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
_MAX_ROLE_TOKENS = 6


@dataclass
class Group:
    type: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token spans
    surfaces: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    id: str = ""


def fold(text: str) -> str:
    """Compare names without accents, case or possessive endings."""
    text = text.strip()
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return " ".join(strip_accents(text.lower()).split())


@cache
def _outlet_matcher(vocab_id: int, vocab) -> PhraseMatcher:  # noqa: ARG001 (cache key)
    matcher = PhraseMatcher(vocab)
    matcher.add("ORG", [vocab_make(vocab, n) for n in _outlet_names()])
    return matcher


def vocab_make(vocab, text: str) -> Doc:
    return Doc(vocab, words=text.replace("/", " / ").split())


def _outlet_names() -> tuple[str, ...]:
    return lexicon.lines("outlets.txt")


@cache
def outlet_keys() -> frozenset[str]:
    return frozenset(fold(n) for n in _outlet_names())


def is_outlet(name: str | None) -> bool:
    return bool(name) and fold(name) in outlet_keys()


def country_of_demonym(word: str) -> str | None:
    """'Russian' -> 'Russia', 'North Korean' -> 'North Korea' (data/demonyms.json)."""
    return lexicon.table("demonyms.json").get(word.lower())


def role_heads() -> frozenset[str]:
    return lexicon.words("roles.txt")


# --- finding spans -------------------------------------------------------------------


def candidate_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """(start token, end token, type) for every entity mention, repaired."""
    spans: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ in OUR_TYPES:
            fixed = _trim(ent)
            if fixed is not None:
                spans.append(fixed)
    forced = _outlet_spans(doc) + _area_spans(doc)
    spans = [s for s in spans if not any(_overlaps(s, f) for f in forced)] + forced
    spans += [s for s in _untagged_people(doc) if not any(_overlaps(s, o) for o in spans)]
    spans = _people_after_roles(doc, spans)
    spans = _people_in_lists(doc, spans)
    spans = _relabel_places(doc, spans)
    spans = _repair_people(doc, spans)
    spans = _relabel_surnames(doc, spans)
    spans = _untagged_surnames(doc, spans)
    signed = _signatures(doc)
    spans = [s for s in spans if not any(_overlaps(s, g) for g in signed)] + signed
    return sorted(set(s for s in spans if not _is_name_modifier(doc, s)))


_DASHES = ("―", "—", "–", "-", "--")
_CLOSING_MARKS = ('"', "”", "’", "'")


def _signatures(doc: Doc) -> list[tuple[int, int, str]]:
    """'"...." ― Pamela Padilla' at the end of a line: a quote signed with a person's name
    (two to five capitalized words or initials, whatever the NER made of them)."""
    out = []
    for tok in doc:
        if tok.text not in _DASHES or tok.i == 0 or not doc[tok.i - 1].text.endswith(_CLOSING_MARKS):
            continue
        words: list[Token] = []
        for nxt in doc[tok.i + 1 :]:
            if nxt.is_space and "\n" not in nxt.text and not words:
                continue  # (non-breaking) spaces after the dash
            if nxt.is_space:
                break
            words.append(nxt)
            if "\n" in nxt.whitespace_:
                break
        end = words[-1].i + 1 if words else tok.i + 1
        line_ends = end >= len(doc) or doc[end].is_space or "\n" in doc[end - 1].whitespace_
        if words and line_ends and 2 <= len(words) <= 5 and all(
                w.text[:1].isupper() and w.is_alpha or _is_initial(w) for w in words):
            out.append((words[0].i, end, "PERSON"))
    return out


@cache
def given_names() -> dict[str, str]:
    """Given name -> 'm' or 'f' (data/given_names.tsv)."""
    return dict(line.split("\t", 1) for line in lexicon.phrases("given_names.tsv"))


def _looks_like_person(doc: Doc, s: int, e: int) -> bool:
    """'Volodymyr Zelenskiy' tagged ORG: two or three capitalized words, the first a given name,
    none an organization word."""
    words = [t for t in doc[s:e]]
    return 2 <= len(words) <= 3 and words[0].lower_ in given_names() \
        and all(t.text[:1].isupper() for t in words) and not any(t.lower_ in lexicon.words("org_words.txt")
                                                                 for t in words)


def _repair_people(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Given names tell where a person is inside or beside a mislabelled span:
    'Council on American-Islamic Relations Alia Salem' (ORG) -> the council and a person;
    'Valeska' (GPE) + 'Paris' (GPE) -> 'Valeska Paris'; 'Nonpartisan Paul Tse' -> 'Paul Tse'."""
    names = given_names()
    spans = sorted(spans)
    out: list[tuple[int, int, str]] = []
    skip_until = -1
    for k, (s, e, label) in enumerate(spans):
        if s < skip_until:
            continue
        following = next((x for x in spans[k + 1 :] if x[0] == e), None)
        if label == "PERSON" and e - s >= 3 and doc[s].lower_ not in names and doc[s + 1].lower_ in names \
                and not _is_initial(doc[s]) and doc[s + 1].lower_ not in lexicon.words("name_particles.txt"):
            out.append((s + 1, e, label))
        elif label == "PERSON" and s > 1 and _is_given_name_slot(doc[s - 1]) and not doc[s - 1].ent_type_ \
                and not any(x[0] <= s - 1 < x[1] for x in spans) \
                and any(x[1] == s - 1 and x[2] == "ORG" for x in spans):
            # 'the Refugee Council Enver Solomon': an untagged first name right before the surname
            out.append((s - 1, e, label))
        elif label == "ORG" and e - s >= 2 and following and following[2] == "PERSON" \
                and following[1] - following[0] == 1 and _is_given_name_slot(doc[e - 1]):
            # 'the Refugee Council Enver' + 'Solomon': the name's first word went to the organization
            out.append((s, e - 1, label))
            out.append((e - 1, following[1], "PERSON"))
            skip_until = following[1]
        elif label != "PERSON" and e - s >= 3 and doc[e - 2].lower_ in names and doc[e - 1].text[:1].isupper() \
                and doc[e - 1].pos_ == "PROPN":
            out.append((s, e - 2, label))
            out.append((e - 2, e, "PERSON"))
        elif label != "PERSON" and e - s == 1 and doc[s].lower_ in names and e < len(doc) \
                and doc[e].text[:1].isupper() and doc[e].pos_ == "PROPN" and doc[s].whitespace_ != "":
            end = following[1] if following and following[1] - following[0] <= 2 else e + 1
            out.append((s, end, "PERSON"))
            skip_until = end
        else:
            out.append((s, e, label))
    return out


def _is_initial(tok: Token) -> bool:
    """'L.' of 'L. Ron Hubbard', 'J.' of 'J. K. Rowling'."""
    return len(tok.text) == 2 and tok.text[0].isupper() and tok.text[1] == "."


def _is_given_name_slot(tok: Token) -> bool:
    """A capitalized proper noun that could open a person's name (not 'Council', 'Ministry')."""
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.is_alpha and not tok.is_sent_start \
        and tok.lower_ not in lexicon.words("org_words.txt") and tok.lower_ not in role_heads()


def _name_run(doc: Doc, start: int) -> int:
    """End of a run of capitalized proper nouns (initials 'L.' and hyphenated parts allowed), at most 4."""
    end = start
    while end < len(doc) and end - start < 4 and (
            doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()
            or doc[end].text == "-" and end > start and not doc[end - 1].whitespace_):
        end += 1
    while end > start and doc[end - 1].text == "-":
        end -= 1
    return end


def _plain_name(doc: Doc, s: int, e: int) -> bool:
    org_words = lexicon.words("org_words.txt")
    return e > s and not any(t.lower_ in org_words or t.lower_ in role_heads() for t in doc[s:e]) \
        and not any(c.kind == "country" for c in gazetteer().candidates(doc[s:e].text))


def _people_after_roles(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'illustrator Johnnie Christmas', 'fashion designer Halston', 'writer L. Ron Hubbard': the name
    right after a lower-case role noun is a person, whatever the model called it."""
    out = list(spans)
    for tok in doc:
        # the tagger sometimes takes a plural role noun for a verb ('and athletes Vitas Gerulaitis')
        if not (tok.pos_ in ("NOUN", "VERB") and tok.text.islower() and tok.lemma_.lower() in role_heads()):
            continue
        start = tok.i + 1
        end = _name_run(doc, start)
        if not _plain_name(doc, start, end) or (tok.i > 0 and doc[tok.i - 1].lower_ in ("the", "a", "an")
                                                and tok.lemma_ != tok.lower_):
            continue
        if any(x[2] == "PERSON" and x[0] <= start < x[1] and x[1] >= end for x in out):
            continue
        inside = [x for x in out if _overlaps(x, (start, end, ""))]
        if any(x[0] < start or x[1] > end for x in inside):
            continue  # the name is part of a longer mention ('singer Beyonce Knowles Carter's band')
        out = [x for x in out if x not in inside] + [(start, end, "PERSON")]
    return out


def _people_in_lists(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Ansel Adams, Chuck Close, Walker Evans, Robert Mapplethorpe': an untagged two- or three-word
    name between people in a comma list is a person too."""
    people = {(s, e) for s, e, label in spans if label == "PERSON"}
    out = list(spans)
    for tok in doc:
        if tok.text != "," or tok.i + 1 >= len(doc):
            continue
        start = tok.i + 1
        end = _name_run(doc, start)
        if not 2 <= end - start <= 3 or not _plain_name(doc, start, end):
            continue
        # untagged, or tagged as exactly this span by another type ('Walker Evans' as ORG)
        same = [x for x in out if _overlaps(x, (start, end, ""))]
        if any(x != (start, end, x[2]) or x[2] == "PERSON" for x in same):
            continue
        before = any(e == tok.i for s, e in people)
        after_sep = doc[end].text in (",", "and") if end < len(doc) else False
        after = after_sep and any(s in (end + 1, end + 2) for s, e in people)
        if before and after:
            out = [x for x in out if x not in same] + [(start, end, "PERSON")]
            people.add((start, end))
    return out


def _untagged_people(doc: Doc) -> list[tuple[int, int, str]]:
    """'Dean Kamen founded...': a given name and a surname the model left untagged."""
    out = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.ent_type_ or tok.pos_ != "PROPN" or tok.lower_ not in given_names():
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < 3 and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                and not doc[end].ent_type_:
            end += 1
        if end - i >= 2 and _looks_like_person(doc, i, end):
            out.append((i, end, "PERSON"))
        i = end
    return out


def _relabel_surnames(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A one-word 'place' or 'organization' that is the surname of a person named in full is that
    person; so is a given name and surname the model called something else."""
    surnames = {fold(doc[e - 1].text) for s, e, label in spans if label == "PERSON" and e - s > 1}
    out = []
    for s, e, label in spans:
        if label in ("ORG", "GPE", "NORP", "FAC") and _looks_like_person(doc, s, e) or label != "PERSON" and e - s == 1 and fold(doc[s].text) in surnames:
            label = "PERSON"
        elif label == "GPE" and e - s == 1 and doc[s].pos_ == "ADJ":
            label = "NORP"  # "Ukrainian air defenses"
        elif label == "GPE" and e - s == 1 and _speaks(doc[s]) and not gazetteer().is_known(doc[s].text):
            label = "PERSON"  # 'as Bush claimed': no place we know of, and places do not claim
        out.append((s, e, label))
    return out


def _speaks(tok: Token) -> bool:
    """The token is the subject of a speech verb ('Bush claimed', 'said Bush')."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in lexicon.words("cue_verbs.txt")


def _untagged_surnames(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Rathbun requested donations' after 'Mark Rathbun': a surname the model left untagged (or
    swallowed into a bogus organization, 'Rathbun the Scientology') is that person again."""
    surnames = {fold(doc[e - 1].text) for s, e, label in spans if label == "PERSON" and e - s > 1}
    out = []
    for s, e, label in spans:  # an organization that opens with a person's surname and 'the'
        if label == "ORG" and e - s >= 3 and fold(doc[s].text) in surnames and doc[s + 1].lower_ == "the":
            out += [(s, s + 1, "PERSON"), (s + 2, e, "ORG")]
        else:
            out.append((s, e, label))
    taken = {i for s, e, _ in out for i in range(s, e)}
    for tok in doc:
        if tok.i in taken or fold(tok.text) not in surnames or not tok.text[:1].isupper():
            continue
        # the tagger may call a sentence-initial surname a noun ('Rathbun requested donations')
        if tok.pos_ != "PROPN" and not (tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass", "poss", "dobj")):
            continue
        neighbours = [doc[j] for j in (tok.i - 1, tok.i + 1) if 0 <= j < len(doc)]
        if any(n.pos_ == "PROPN" and n.text[:1].isupper() for n in neighbours):
            continue  # part of a longer name ('the Rathbun Foundation')
        out.append((tok.i, tok.i + 1, "PERSON"))
    return out


def _is_name_modifier(doc: Doc, span: tuple[int, int, str]) -> bool:
    """A lone 'person' word that modifies a role or a thing ('Slovak Prime Minister', 'Druzhba pipeline')."""
    s, e, label = span
    if label != "PERSON" or e - s != 1 or e >= len(doc):
        return False
    nxt = doc[e]
    two = f"{nxt.lower_} {doc[e + 1].lower_}" if e + 1 < len(doc) else ""
    return nxt.lower_ in role_heads() or two in role_heads() or (nxt.pos_ == "NOUN" and nxt.text.islower()
                                           and doc[s].dep_ in ("compound", "amod", "nmod"))


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _trim(ent: Span) -> tuple[int, int, str] | None:
    start, end = ent.start, ent.end
    doc = ent.doc
    for tok in ent:  # 'World Health Organisation (WHO': the parenthesis is another mention
        if tok.text == "(" and tok.i > start:
            end = tok.i
            break
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while ent.label_ == "PERSON" and end - start > 1 and _headline_speech_verb(doc[end - 1]):
        end -= 1  # a headline's 'Obama Says African-American Museum ...' (not 'United States')
    if ent.label_ == "PERSON":  # "Governor Jane Okafor": the title is a role, not the name
        while end - start > 1 and (doc[start].lower_ in role_heads() or doc[start].pos_ == "ADJ"
                                   and doc[start].lower_ not in given_names()):
            start += 1
        # "Wong Yeung-tat": the model stops at the hyphen of a given name
        while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].is_alpha:
            end += 2
    if start >= end or not any(any(c.isalpha() for c in t.text) for t in doc[start:end]):
        return None  # (a name needs letters; 'Secunia.com' is not all letters but is a name)
    return start, end, ent.label_


def _headline_speech_verb(tok: Token) -> bool:
    """'Says', 'Warns', 'Tells' capitalized in a headline (present tense only: 'Edward Said' is a name)."""
    word = tok.lower_
    return tok.text[:1].isupper() and word.endswith("s") and (word[:-1] in cue_lemmas() or word[:-2] in cue_lemmas())


def _outlet_spans(doc: Doc) -> list[tuple[int, int, str]]:
    matcher = _outlet_matcher(id(doc.vocab), doc.vocab)
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


def _area_spans(doc: Doc) -> list[tuple[int, int, str]]:
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


def _name_run_start(doc: Doc, end: int) -> int:
    """Start of the run of capitalized proper-noun tokens (hyphens allowed) ending before ``end``."""
    i = end
    while i > 0 and ((doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper()) or
                     (doc[i - 1].text == "-" and i > 1 and i < end)):
        i -= 1
    while i < end and doc[i].text == "-":
        i += 1
    return i


def _relabel_places(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Places the small model calls people or organizations become GPE (checked in the gazetteer)."""
    gaz = gazetteer()
    person_words = {fold(t.text) for s, e, label in spans if label == "PERSON" and e - s > 1
                    for t in doc[s:e]}
    out = []
    for s, e, label in sorted(spans):  # in text order: a place can vouch for the name after it
        text = doc[s:e].text
        if label == "PERSON" and fold(text) not in person_words and gaz.is_known(text) and not _speaks(doc[e - 1]):
            best = gaz.best(text)
            if best and (best[0].kind != "city" or best[0].population > 100_000):
                label = "GPE"
        elif label in ("ORG", "NORP") and any(c.kind == "country" for c in gaz.candidates(text)):
            label = "GPE"
        if label in ("ORG", "PERSON") and e - s <= 3 and _placed_by_context(doc, s, e, out) \
                and fold(text) not in person_words and _plain_name(doc, s, e):
            label = "GPE"
        out.append((s, e, label))
    return out


_PLACE_NOUNS = ("town", "city", "village", "province", "region", "district", "port", "capital", "island")


def _placed_by_context(doc: Doc, s: int, e: int, spans: list[tuple[int, int, str]]) -> bool:
    """The words around a name say it is a place: 'the town of Yeoncheon', 'off Nyonie, a small town',
    'Livorno, Tuscany,' (a name after a place and a comma), 'from Herat' (a known place after a
    preposition of movement or location)."""
    before = doc[s - 1].lower_ if s > 0 else ""
    two_before = doc[s - 2].lower_ if s > 1 else ""
    if before == "of" and two_before in _PLACE_NOUNS:
        return True
    after = doc[e : e + 5]
    if len(after) >= 2 and after[0].text == "," and any(t.lemma_ in _PLACE_NOUNS for t in after[1:4]) \
            and after[1].lower_ in ("a", "an", "the"):
        return True
    if before == "," and any(x[1] == s - 1 and x[2] in ("GPE", "LOC") for x in spans) and e < len(doc) \
            and doc[e].text in (",", ".", ";"):
        return True
    return before in ("from", "in", "to", "near", "off", "outside", "at") and gazetteer().is_known(doc[s:e].text) \
        and not any(t.lower_ in lexicon.words("org_words.txt") for t in doc[s:e])


# --- grouping --------------------------------------------------------------------------


def group_mentions(doc: Doc, spans: list[tuple[int, int, str]]) -> list[Group]:
    groups: list[Group] = []
    by_key: dict[tuple[str, str], Group] = {}
    persons = [(s, e) for s, e, label in spans if label == "PERSON"]
    full = {fold(doc[s:e].text): (s, e) for s, e in persons if e - s > 1}
    for s, e, label in spans:
        text = doc[s:e].text
        k = fold(text)
        group = _person_group(k, s, groups, full) if label == "PERSON" else by_key.get((label, k))
        if group is None:
            group = Group(label, text)
            groups.append(group)
            by_key[(label, k)] = group
        group.mentions.append((s, e))
        group.surfaces.append(text)
        if label == "PERSON" and len(text.split()) > len(group.name.split()):
            group.name = text
    return groups


def _person_group(k: str, start: int, groups: list[Group], full: dict) -> Group | None:
    """The person a name belongs to: same full name, or a full name ending (or starting) with it."""
    people = [g for g in groups if g.type == "PERSON"]
    for g in people:
        if fold(g.name) == k:
            return g
    words = k.split()
    if len(words) == 1:
        by_surname = [g for g in people if words[0] == fold(g.name).split()[-1]]
        if by_surname:  # 'Smith' after John and Jane Smith: the most recently mentioned
            return max(by_surname, key=lambda g: g.mentions[-1][0])
        # 'Kim' after Kim Jong Il and Kim Jong Nam (family name first): the most mentioned
        by_first = [g for g in people if len(g.name.split()) > 1 and words[0] == fold(g.name).split()[0]]
        if by_first:
            return max(by_first, key=lambda g: (len(g.mentions), g.mentions[-1][0]))
        for name in full:  # a full name that appears only later in the text
            if words[0] == name.split()[-1]:
                return next((g for g in people if fold(g.name) == name), None)
        misspelt = [g for g in people if len(g.name.split()) > 1 and _is_misspelling(words[0], fold(g.name).split()[-1])]
        if len(misspelt) == 1:  # 'Ms Bauchtman' for Lydia Buchtmann, 'Water' for Kathryn Waters
            return misspelt[0]
    else:
        for g in people:
            if len(fold(g.name).split()) == 1 and fold(g.name) == words[-1]:
                return g
    return None


def _is_misspelling(word: str, surname: str) -> bool:
    """One slip in a surname of five letters or more (two in long ones), same first letter."""
    if len(word) < 5 or word[0] != surname[0] or word == surname:
        return False
    allowed = 2 if min(len(word), len(surname)) >= 8 else 1
    return abs(len(word) - len(surname)) <= allowed and edit_distance(word, surname) <= allowed


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short; the quadratic table is fine)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# --- roles ---------------------------------------------------------------------------------


def premodifier_role(doc: Doc, start: int) -> str | None:
    """'Ministry spokesperson Anna Berg' -> 'Ministry spokesperson'."""
    i = start
    while i > 0 and start - i < _MAX_ROLE_TOKENS:
        t = doc[i - 1]
        if t.is_sent_end or not (t.is_alpha or t.text in ("-", ".")) or t.pos_ not in ("PROPN", "NOUN", "ADJ"):
            break
        i -= 1
    if i == start or doc[start - 1].lower_ not in role_heads():
        return None
    return doc[i:start].text


def appositive_role(doc: Doc, start: int, end: int) -> str | None:
    """'Alireza Mehraban, the team's coach' or 'the team's coach, Alireza Mehraban'."""
    root = doc[start:end].root
    candidates = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        candidates.append(root.head)
    for head in candidates:
        if head.lower_ not in role_heads() or start <= head.i < end:
            continue
        left = head.left_edge.i
        right = head.i + 1
        if left <= start < right:  # the name is inside; take only what precedes it
            right = start
        words = [t for t in doc[left:right] if not t.is_punct]
        while words and words[0].pos_ == "DET":
            words.pop(0)
        if words:
            return doc[words[0].i : words[-1].i + 1].text
    return None


# --- title-only and pronoun mentions -------------------------------------------------------


def title_mentions(doc: Doc, people: list[Group], taken: set[int],
                   modifiers: set[int] = frozenset()) -> list[tuple[Group, int, int]]:
    """'the Russian leader' -> the person whose roles share its words (the latest mentioned).
    ``modifiers``: tokens of adjective entities ('Russian') that may sit inside such a phrase."""
    out = []
    for tok in doc:
        if tok.lower_ not in role_heads() or tok.i in taken or tok.pos_ != "NOUN":
            continue
        left = [c for c in tok.lefts]
        if not left or left[0].lower_ != "the" or any(c.i in taken and c.i not in modifiers for c in left):
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].i in taken:
            continue  # a premodifier of a name, handled as a role
        mods = {c.lower_ for c in left[1:]} | {tok.lower_}
        best, best_score = None, 0
        for g in people:
            before = [m for m in g.mentions if m[0] < tok.i]
            if not before:
                continue
            role_words = {w.lower() for r in g.roles for w in r.split()}
            score = len(mods & role_words)
            if score > best_score or (score == best_score and best and before[-1][0] > best[1]):
                best, best_score = (g, before[-1][0]), score
        if best and best_score >= 1:
            out.append((best[0], left[0].i, tok.i + 1))
    return out


MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}


def gender_of(name: str) -> str | None:
    """'m' or 'f' from a person's given name (data/given_names.tsv), else unknown."""
    first = fold(name).split()[0] if name.split() else ""
    return given_names().get(first)


def pronoun_gender(pronoun: str) -> str | None:
    """'m' for he/him/his, 'f' for she/her, None for any other word."""
    word = pronoun.lower()
    return "m" if word in MALE else "f" if word in FEMALE else None


def pronoun_mentions(doc: Doc, people: list[Group], taken: set[int]) -> list[tuple[Group, int, int]]:
    """he/she/his/her -> a person mentioned before, within three sentences, of a compatible gender:
    in the pronoun's own sentence the nearest; before it, the latest subject (the person a text is
    about is usually the subject), else the nearest mention."""
    # (token, person, gender): a name's gender from the given-names list, a pronoun's from itself
    mentions = sorted(((m[0], g, gender_of(g.name)) for g in people for m in g.mentions), key=lambda x: x[0])
    sentence_of = _sentence_numbers(doc)
    out = []
    for tok in doc:
        if tok.lower_ not in PRONOUNS or tok.i in taken:
            continue
        wanted = "m" if tok.lower_ in MALE else "f"
        here = sentence_of[tok.i]
        before = [(i, g, sex) for i, g, sex in mentions if i < tok.i and here - sentence_of[i] <= 3
                  and sex in (wanted, None)]
        if not before:
            continue
        same_sentence = [c for c in before if sentence_of[c[0]] == here]
        subjects = [c for c in before if in_subject(doc[c[0]])]
        own_subjects = [c for c in same_sentence if in_subject(doc[c[0]])]
        tier = own_subjects or same_sentence or subjects or before
        # within a tier, a name known to fit the pronoun's gender beats one of unknown gender ('Antonin')
        i, g, _ = ([c for c in tier if c[2] == wanted] or tier)[-1]
        if not same_sentence and _unnamed_person_between(doc, i, tok):
            continue  # 'An African Union soldier said ... He added': someone the article does not name
        out.append((g, tok.i, tok.i + 1))
        bisect.insort(mentions, (tok.i, g, wanted), key=lambda x: x[0])  # 'Clinton ... She ... She ... she said'
    return out


def _sentence_numbers(doc: Doc) -> list[int]:
    """The sentence number of every token (one pass; asking each token for its sentence is slow)."""
    numbers = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            numbers[i] = n
    return numbers


def _unnamed_person_between(doc: Doc, named_at: int, pronoun: Token) -> bool:
    """Whether the subject of the sentence before the pronoun's is an unnamed person ('a soldier',
    'an official'), mentioned after the named candidate."""
    if pronoun.sent.start == 0:
        return False
    previous = doc[pronoun.sent.start - 1].sent
    for tok in previous:
        if tok.i > named_at and tok.dep_ == "nsubj" and tok.pos_ == "NOUN" and tok.tag_ == "NN" \
                and tok.lemma_.lower() in lexicon.words("person_nouns.txt") \
                and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
            return True
    return False


def in_subject(tok: Token) -> bool:
    """Whether a name's token is (part of) a clause subject."""
    while tok.dep_ in ("compound", "flat", "amod") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")


# --- the stage --------------------------------------------------------------------------


def merge_country_names(groups: list[Group]) -> list[Group]:
    """'US', 'U.S.' and 'the United States' are one country, named as the gazetteer names it."""
    gaz = gazetteer()
    by_country: dict[str, Group] = {}
    out = []
    for g in groups:
        cands = gaz.candidates(g.name) if g.type == "GPE" else []
        if not cands or any(c.kind != "country" or c.country != cands[0].country for c in cands):
            out.append(g)
            continue
        canonical = cands[0].name
        first = by_country.get(canonical)
        if first is None:
            g.name = canonical
            by_country[canonical] = g
            out.append(g)
        else:
            first.mentions += g.mentions
            first.surfaces += g.surfaces
    return out


def merge_short_org_names(groups: list[Group]) -> list[Group]:
    """'the Church' after 'the Church of Scientology', 'the Council' after 'the Refugee Council':
    a one-word organization name that begins or ends exactly one longer organization name."""
    orgs = [g for g in groups if g.type == "ORG" and len(g.name.split()) > 1]
    out = []
    for g in groups:
        if g.type == "ORG" and len(g.name.split()) == 1:
            word = fold(g.name)
            longer = [o for o in orgs if word in (fold(o.name).split()[0], fold(o.name).split()[-1])]
            if len(longer) == 1:
                longer[0].mentions += g.mentions
                longer[0].surfaces += g.surfaces
                continue
        out.append(g)
    return out


def merge_spelling_variants(groups: list[Group]) -> list[Group]:
    """'al-Shabab' and 'al-Shabaab' in one article: organizations whose name keys (names.name_key)
    agree are one, named by the spelling used most."""
    out: list[Group] = []
    by_key: dict[str, Group] = {}
    for g in groups:
        k = name_key(g.name) if g.type == "ORG" else ""
        first = by_key.get(k) if k else None
        if first is None:
            if k:
                by_key[k] = g
            out.append(g)
            continue
        if len(g.mentions) > len(first.mentions):
            first.name = g.name
        first.mentions += g.mentions
        first.surfaces += g.surfaces
    return out


_ACRONYM_SKIP = {"of", "the", "and", "for", "de", "in", "on", "&"}


def acronym_of(name: str) -> str:
    """'World Health Organisation' -> 'WHO', 'Korean Central News Agency' -> 'KCNA'."""
    return "".join(w[0] for w in name.split() if w.lower() not in _ACRONYM_SKIP and w[:1].isupper())


def add_acronym_mentions(doc: Doc, groups: list[Group]) -> list[Group]:
    """An acronym of an organization the article names in full is a mention of it: 'The World Health
    Organisation (WHO) recommends ... WHO say', whether the model tagged it or not."""
    by_acronym = {acronym_of(g.name): g for g in groups if g.type == "ORG" and len(acronym_of(g.name)) >= 2}
    if not by_acronym:
        return groups
    out = []
    for g in groups:  # an acronym the model tagged on its own
        full = by_acronym.get(g.name) if g.type in ("ORG", "GPE", "PERSON") and g.name.isupper() else None
        if full is not None and full is not g:
            full.mentions += g.mentions
            full.surfaces += g.surfaces
        else:
            out.append(g)
    taken = {i for g in out for s, e in g.mentions for i in range(s, e)}
    for tok in doc:
        full = by_acronym.get(tok.text) if tok.text.isupper() and tok.i not in taken else None
        if full is not None:
            full.mentions.append((tok.i, tok.i + 1))
            full.surfaces.append(tok.text)
    return out


@stage("entities")
def entities(ctx: Context) -> None:
    doc = ctx.doc
    groups = group_mentions(doc, candidate_spans(doc))
    groups = merge_short_org_names(merge_spelling_variants(merge_country_names(groups)))
    groups = add_acronym_mentions(doc, groups)
    for g in groups:
        if g.type != "PERSON":
            continue
        for s, e in g.mentions:
            for role in (premodifier_role(doc, s), appositive_role(doc, s, e)):
                if role and role not in g.roles:
                    g.roles.append(role)
    people = [g for g in groups if g.type == "PERSON"]
    taken = {i for g in groups for s, e in g.mentions for i in range(s, e)}
    adjectives = {i for g in groups if g.type == "NORP" for s, e in g.mentions for i in range(s, e)}
    titles = title_mentions(doc, people, taken, adjectives)
    for _g, s, e in titles:  # the adjective now belongs to the title mention, not to a NORP entity
        for other in groups:
            if other.type == "NORP":
                other.mentions = [m for m in other.mentions if not (s <= m[0] and m[1] <= e)]
    groups = [g for g in groups if g.mentions]
    for g, s, e in titles + pronoun_mentions(doc, people, taken):
        g.mentions.append((s, e))
    _emit(ctx, groups)


def _emit(ctx: Context, groups: list[Group]) -> None:
    doc = ctx.doc
    ordered = sorted(groups, key=lambda g: min(m[0] for m in g.mentions))
    for n, g in enumerate(ordered, start=1):
        g.id = f"e{n}"
        mentions = []
        for s, e in sorted(set(g.mentions)):
            span = doc[s:e]
            mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text))
            for i in range(s, e):
                ctx.token_entity[i] = g.id
        aliases = []
        for surface in g.surfaces:
            clean = surface.removesuffix("’s").removesuffix("'s")
            if clean != g.name and clean not in aliases:
                aliases.append(clean)
        ctx.record.entities.append(
            Entity(id=g.id, name=g.name, type=g.type, aliases=aliases, roles=g.roles, mentions=mentions)
        )


def is_person_token(token: Token, ctx: Context) -> bool:
    ent = ctx.record.entity(ctx.entity_at(token) or "")
    return bool(ent and ent.type == "PERSON")
