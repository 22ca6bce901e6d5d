"""Coreference: mentions grouped into one entity per person, organization or place.

A surname joins the person named in full (the most recent; for family-name-first names the
most mentioned), a slip in a long surname too; 'the Russian leader' joins the person whose roles
share its words; he/she joins a person of fitting gender within three sentences: in its own
sentence the nearest, before it the latest subject; a name known to fit the pronoun beats one of
unknown gender ('Antonin'); pronouns chain through earlier resolved ones ('Clinton ... She ...
she said'), but not across an unnamed 'a soldier said' in between. 'US' and 'the United States' are one country; 'the Church' joins 'the Church of
Scientology'; spelling variants and an acronym join their organization (data/acronym_skips.txt)."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from newsgraph import lexicon
from newsgraph.names import name_key, same_person
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.gazetteer import key as gazetteer_key
from newsgraph.pipeline.syntax import in_subject
from newsgraph.pipeline.vocabulary import MALE, gender_of, mention_key, role_heads
from newsgraph.record import Entity, Mention

PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}


@dataclass
class Group:
    type: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token spans
    surfaces: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    id: str = ""


def group_mentions(doc: Doc, spans: list[tuple[int, int, str]]) -> list[Group]:
    groups: list[Group] = []
    by_key: dict[tuple[str, str], Group] = {}
    persons = [(s, e) for s, e, label in spans if label == "PERSON"]
    full = {mention_key(doc[s:e].text): (s, e) for s, e in persons if e - s > 1}
    for s, e, label in spans:
        text = doc[s:e].text
        k = mention_key(text)
        group = _person_group(k, s, groups, full) if label == "PERSON" else by_key.get((label, k))
        if group is None:
            group = Group(label, text)
            groups.append(group)
            by_key[(label, k)] = group
        group.mentions.append((s, e))
        group.surfaces.append(text)
        longer_person_name = label == "PERSON" and len(text.split()) > len(group.name.split())
        ordinary_spelling = group.name.isupper() and not text.isupper()  # 'VLADIVOSTOK (Reuters) -', then 'Vladivostok'
        if longer_person_name or ordinary_spelling:
            group.name = text
    return groups


def _person_group(k: str, start: int, groups: list[Group], full: dict) -> Group | None:
    """The person a name belongs to: same full name, or a full name ending (or starting) with it."""
    people = [g for g in groups if g.type == "PERSON"]
    for g in people:
        if mention_key(g.name) == k:
            return g
    words = k.split()
    if len(words) == 1:
        by_surname = [g for g in people if words[0] == mention_key(g.name).split()[-1]]
        if by_surname:  # 'Smith' after John and Jane Smith: the most recently mentioned
            return max(by_surname, key=lambda g: g.mentions[-1][0])
        # 'Kim' after Kim Jong Il and Kim Jong Nam (family name first): the most mentioned
        by_first = [g for g in people if len(g.name.split()) > 1 and words[0] == mention_key(g.name).split()[0]]
        if by_first:
            return max(by_first, key=lambda g: (len(g.mentions), g.mentions[-1][0]))
        for name in full:  # a full name that appears only later in the text
            if words[0] == name.split()[-1]:
                return next((g for g in people if mention_key(g.name) == name), None)
        misspelt = [g for g in people if len(g.name.split()) > 1 and _is_misspelling(words[0], mention_key(g.name).split()[-1])]
        if len(misspelt) == 1:  # 'Ms Bauchtman' for Lydia Buchtmann, 'Water' for Kathryn Waters
            return misspelt[0]
    else:
        for g in people:
            if len(mention_key(g.name).split()) == 1 and mention_key(g.name) == words[-1]:
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


def pronoun_mentions(doc: Doc, people: list[Group], taken: set[int]) -> list[tuple[Group, int, int]]:
    """he/she/his/her -> a person mentioned before, within three sentences, of a compatible gender:
    in the pronoun's own sentence the nearest; before it, the latest subject (the person a text is
    about is usually the subject), else the nearest mention."""
    # (token, person, gender): a name's gender from the given-names list, a pronoun's from itself
    mentions = sorted(((m[0], g, gender_of(g.name)) for g in people for m in g.mentions), key=lambda x: x[0])
    sentence_of = _sentence_numbers(doc)
    first_token = [sent.start for sent in doc.sents]  # the window of three sentences, found by bisection
    out = []
    for tok in doc:
        if tok.lower_ not in PRONOUNS or tok.i in taken:
            continue
        wanted = "m" if tok.lower_ in MALE else "f"
        here = sentence_of[tok.i]
        window = mentions[bisect.bisect_left(mentions, first_token[max(here - 3, 0)], key=lambda x: x[0]):
                          bisect.bisect_left(mentions, tok.i, key=lambda x: x[0])]
        before = [(i, g, sex) for i, g, sex in window if sex in (wanted, None)]
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


def merge_mistyped_places(groups: list[Group]) -> list[Group]:
    """'from Edmonton' (a place) then 'Amber of Felixstowe Road, Edmonton,' (typed an organization):
    a name is one thing over all its mentions. An organization or nationality named exactly as a
    place of the same article is one entity with it: a place when the gazetteer knows a place of that
    own name, a town of some size ('Evansville', typed an organization twice and a place once), else
    typed as most of its mentions are ('Scientology', once typed a place, is the organization; so is
    McDonald's beside a village called McDonald). Before that, a name no
    nationality or person has is a place (retyped_place)."""
    for g in groups:
        if retyped_place(g):
            g.type = "GPE"
    places = {mention_key(g.name): g for g in groups if g.type in ("GPE", "LOC")}

    def place_named(g: Group) -> Group | None:
        place = places.get(mention_key(g.name)) if g.type in ("ORG", "NORP") else None
        if place is g:  # the place itself, retyped by an organization folded in before it
            return None
        if place is not None and not known_place(place.name, TYPING_MIN_POPULATION) \
                and len(g.mentions) >= len(place.mentions):
            place.type = g.type
        return place

    return _fold_into(groups, place_named)


PLACE_MIN_POPULATION = 100_000  # 'Aleppo' typed a nationality is the city; 'Arab' is also a village
# Mentions that disagree ('McDonald's' an organization three times, a place once) are a place when the
# gazetteer has a town of that name this size: the villages of a thousand people are there to resolve
# names already read as places, not to overrule the text (McDonald, Pennsylvania has 2,000 people).
TYPING_MIN_POPULATION = 5_000


def known_place(name: str, min_population: int = PLACE_MIN_POPULATION) -> bool:
    """The gazetteer knows the name as a place's own name: a country, a region or a town of at least
    ``min_population``."""
    return any(gazetteer_key(c.name) == gazetteer_key(name) and (
        c.kind in ("country", "region") or c.population >= min_population)
        for c in gazetteer().candidates(name))


def retyped_place(g: Group) -> bool:
    """A 'nationality' that is a known place ('Aleppo', typed NORP), and a 'person' whose last word is
    an area word ('Scott County', data/region_words.json)."""
    if g.type == "NORP":
        return known_place(g.name)
    if g.type == "PERSON":
        words = g.name.split()
        return len(words) > 1 and words[-1].lower() in lexicon.table("region_words.json")
    return False


def merge_short_org_names(groups: list[Group]) -> list[Group]:
    """'the Church' after 'the Church of Scientology', 'the Council' after 'the Refugee Council':
    a one-word organization name that begins or ends exactly one longer organization name; and a
    name that is a longer one without its last, generic word ('Law and Justice' and 'the Law and
    Justice party', data/org_words.txt)."""
    orgs = [g for g in groups if g.type == "ORG" and len(g.name.split()) > 1]

    org_words = lexicon.words("org_words.txt")
    by_word: dict[str, list[Group]] = {}  # an organization under its first and last word, and under its
    without_last: dict[str, list[Group]] = {}  # name without a last generic word ('... party')
    for o in orgs:
        words = mention_key(o.name).split()
        for w in dict.fromkeys((words[0], words[-1])):
            by_word.setdefault(w, []).append(o)
        if words[-1] in org_words:
            without_last.setdefault(" ".join(words[:-1]), []).append(o)

    def longer_name(g: Group) -> Group | None:
        if g.type != "ORG":
            return None
        word = mention_key(g.name)
        if len(g.name.split()) > 1:  # 'Law and Justice' beside 'the Law and Justice party'
            longer = [o for o in without_last.get(word, ()) if o is not g]
        else:
            longer = by_word.get(word, [])
        return longer[0] if len(longer) == 1 else None

    return _fold_into(groups, longer_name)


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


def merge_mistyped_surnames(groups: list[Group]) -> list[Group]:
    """'Volodymyr Zelenskyy ... Zelenskiy left': a one-word name the model typed as an organization or
    a nationality (or as a place the gazetteer does not know) that is a spelling of a person's surname
    in the article (names.same_person) is that person."""
    people = [g for g in groups if g.type == "PERSON" and len(g.name.split()) > 1]

    def person_spelled(g: Group) -> Group | None:
        one_word = len(g.name.split()) == 1 and not g.name.isupper() and (
            g.type in ("ORG", "NORP") or g.type in ("GPE", "LOC") and gazetteer().best(g.name) is None)
        matches = [p for p in people if same_person(g.name, p.name)] if one_word else []
        return matches[0] if len(matches) == 1 else None

    return _fold_into(groups, person_spelled)


def _fold_into(groups: list[Group], target_of: Callable[[Group], Group | None]) -> list[Group]:
    """The groups, each one that ``target_of`` names a target for folded into that target."""
    out: list[Group] = []
    for g in groups:
        target = target_of(g)
        if target is None:
            out.append(g)
        else:
            target.mentions += g.mentions
            target.surfaces += g.surfaces
    return out


def acronym_of(name: str) -> str:
    """'World Health Organisation' -> 'WHO', 'Korean Central News Agency' -> 'KCNA'."""
    return "".join(w[0] for w in name.split() if w.lower() not in lexicon.words("acronym_skips.txt") and w[:1].isupper())


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


def move_mention(ctx: Context, tok: Token, to: str) -> None:
    """Re-point a pronoun's mention from the entity the entities stage chose to ``to``."""
    old = ctx.entity_at(tok)
    source, target = ctx.entity(old) if old else None, ctx.entity(to)
    if target is None or old == to:
        return
    if source is not None:
        moved = [m for m in source.mentions if m.start == tok.idx]
        source.mentions = [m for m in source.mentions if m.start != tok.idx]
        _give_mentions(target, moved)
    ctx.token_entity[tok.i] = to


def add_description_mention(ctx: Context, tok: Token, to: str) -> None:
    """'the Kremlin chief said' resolved to the person the article named: the description's head word
    ('chief') becomes a mention of that person, as 'he' would be (the words around it keep theirs)."""
    target = ctx.entity(to)
    if target is None or ctx.entity_at(tok):
        return
    _give_mentions(target, [Mention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text)])
    ctx.token_entity[tok.i] = to


def _give_mentions(target: Entity, mentions: list[Mention]) -> None:
    target.mentions = sorted([*target.mentions, *mentions], key=lambda m: m.start)
