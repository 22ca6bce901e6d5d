"""Events in PLOVER: who did what to whom, where and when.

Triggers are verb and noun lemmas from data/events.json. A verb's source is
its subject (or the agent of a passive), its target its object or the object
of 'on/against/with...'; a noun trigger ('launched a massive attack on
Ukraine') takes its source from a possessor, 'by/from X' or the subject of
its verb. Modes, negation, hypothetical and future flags come from the
sentence and the trigger's own modifiers. A capital that acts stands for its state ('protests
from Bratislava' -> Slovakia), except as the literal target of an assault; each actor also
carries the state it acts for (a country, a place's country, a person's national role, a
nationality in an institution's name), in source_country and target_country.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.frames import acts_for_country, date_in, place_in
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.referents import entity_of
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.syntax import core_tokens, subject_of
from newsgraph.pipeline.vocabulary import country_of_demonym
from newsgraph.record import Event


@cache
def table() -> dict:
    return lexicon.table("events.json")


def trigger_of(tok: Token) -> tuple[str, str | None] | None:
    t = table()
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in t["verbs"]:
        return tuple(t["verbs"][lemma])  # type: ignore[return-value]
    if tok.pos_ == "VERB" and lemma in t["object_verbs"] and (mode := _launched_weapon(tok)):
        return t["object_verbs"][lemma], mode  # 'launched 157 drones': an assault by air
    if tok.pos_ == "NOUN" and lemma in t["nouns"] and tok.dep_ != "compound" and not _modifies_weapon(tok):
        return tuple(t["nouns"][lemma])  # type: ignore[return-value]
    return None


@cache
def _weapons() -> dict[str, str]:
    return {cue: mode for mode, cues in table()["modes"].items() for cue in cues}


def weapon_mode(tok: Token | None) -> str | None:
    """The mode of the weapon a phrase names ('121 drones' -> aerial), else None."""
    if tok is None:
        return None
    return next((_weapons()[t.lower_] for t in tok.subtree if t.lower_ in _weapons() and t.pos_ == "NOUN"), None)


def _launched_weapon(tok: Token) -> str | None:
    """The mode of a weapon a verb's object names, a coordinated object included ('launched 157 strike
    and decoy drones', which the parser splits)."""
    objects = [c for c in tok.children if c.dep_ == "dobj" or c.dep_ == "conj" and c.pos_ == "NOUN"]
    if any(o.lemma_.lower() in table()["nouns"] and not _modifies_weapon(o) for o in objects):
        return None  # 'launched a missile attack': the noun is the event
    return next((mode for o in objects if (mode := weapon_mode(o))), None)


def _modifies_weapon(tok: Token) -> bool:
    """'strike drones', '157 strike and decoy drones', 'attack helicopters': the trigger word names a
    kind of weapon, no event. Looks at the next few words for a weapon noun, across 'and'/'or' and one
    other modifier, with no verb, determiner or punctuation between."""
    for nxt in tok.doc[tok.i + 1 : tok.i + 4]:
        if nxt.lower_ in _weapons():
            return True
        if nxt.pos_ in ("VERB", "AUX", "DET", "ADP", "PUNCT", "PRON") or nxt.is_punct:
            return False
    return False


def actor_name(ctx: Context, tok: Token | None) -> str | None:
    """The canonical entity a phrase names, else the phrase itself without determiners
    ('Russian troops', '26 of Ukraine's allies')."""
    if tok is None or tok.pos_ == "PRON" and not ctx.entity_at(tok):
        return None
    eid = entity_of(ctx, tok)
    ent = ctx.entity(eid) if eid else None
    if ent is not None and ent.type == "NORP" and ctx.entity_at(tok) != eid and acts_for_country(tok):
        return country_of_demonym(ent.name) or ent.name  # 'Russian forces' act for Russia
    if ent is not None and ent.type != "NORP":
        return ent.name
    words = [t for t in core_tokens(tok) if not t.is_punct and t.dep_ not in ("det", "cc", "conj")]
    if tok.pos_ == "NUM" or tok.lower_ in lexicon.table("numbers.json")["vague"]:  # "26 of Ukraine's allies"
        words += [t for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.subtree]
    words.sort(key=lambda t: t.i)
    if not words:
        return None
    return tok.doc[words[0].i : words[-1].i + 1].text


def capital_as_state(ctx: Context, tok: Token | None, name: str | None) -> str | None:
    """'prompting protests from Bratislava', 'Moscow rejected': a capital acting stands for its state."""
    eid = ctx.entity_at(tok) if tok is not None else None
    ent = ctx.entity(eid) if eid else None
    if ent is None or ent.type != "GPE" or name != ent.name:
        return name
    best = gazetteer().best(ent.name)
    if best is None or not best[0].capital:
        return name
    return _country_name(best[0].country) or name


def _country_name(code: str | None) -> str | None:
    """A country's gazetteer name from its ISO code."""
    countries = gazetteer().countries
    return countries[code].name if code in countries else None


def country_named(name: str | None) -> str | None:
    """The country a name is, as the gazetteer names it ('US' -> 'United States'), else None."""
    if not name:
        return None
    countries = [c for c in gazetteer().candidates(name) if c.kind == "country"]
    return countries[0].name if countries else None


def country_in(text: str) -> str | None:
    """The first country a phrase names by name or nationality: 'Russian President' -> Russia,
    'Russia's Defense Ministry' -> Russia, 'North Korean army' -> North Korea."""
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in text.replace(",", " ").split()]
    for n in (3, 2, 1):
        for k in range(len(words) - n + 1):
            phrase = " ".join(words[k : k + n])
            if not phrase[:1].isupper():
                continue
            country = country_of_demonym(phrase) or country_named(phrase)
            if country:
                return country_named(country) or country
    return None


def actor_country(ctx: Context, tok: Token | None, name: str | None) -> str | None:
    """The state an actor acts for: a country itself, a place's country, a person's national office
    (their roles), an institution or group by the nationality in its name or modifiers. Possessors are
    left out: "Ukraine's allies" are not Ukraine."""
    if name is None:
        return None
    country = country_named(name)
    if country:
        return country
    eid = entity_of(ctx, tok) if tok is not None else None
    ent = ctx.entity(eid) if eid else None
    if ent is not None and ent.type == "GPE":
        best = gazetteer().best(ent.name)
        return _country_name(best[0].country) if best is not None else None
    if ent is not None and ent.type == "PERSON":
        return next((c for role in ent.roles if (c := country_in(role))), None)
    if ent is not None and (country := country_in(ent.name)):
        return country
    if tok is None:
        return None
    kinds = ("amod", "compound", "nmod", "poss") if _acts_as_institution(tok) else ("amod", "compound", "nmod")
    modifiers = [c.text for c in tok.lefts if c.dep_ in kinds]  # "Russia's Defense Ministry", not "Ukraine's allies"
    return country_in(" ".join([*modifiers, tok.text]))


def _acts_as_institution(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return lemma in lexicon.words("institutions.txt") or acts_for_country(tok)


def _prep_object(tok: Token, preps: list[str]) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in preps:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def verb_actors(tok: Token) -> tuple[Token | None, Token | None]:
    t = table()
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    if passive:
        source = _prep_object(tok, ["by"])
        # the passive subject nearest the verb ('deployments before a peace agreement is signed': agreement)
        target = [c for c in tok.children if c.dep_ == "nsubjpass"][-1]
        return source, target
    source = subject_of(tok)
    target = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
    return source, target or _prep_object(tok, t["target_preps"])


def noun_actors(tok: Token) -> tuple[Token | None, Token | None]:
    t = table()
    source = next((c for c in tok.children if c.dep_ == "poss"), None) or _prep_object(tok, t["source_preps"])
    if source is None:
        head = tok.head
        while head.pos_ != "VERB" and head.head.i != head.i and head.dep_ in ("pobj", "prep", "conj", "dobj", "appos"):
            if head.dep_ == "prep" and head.lower_ in t["no_actor_preps"]:
                # 'warehouses burned after the strike': the burning things did not strike
                return None, _prep_object(tok, t["target_preps"])
            head = head.head
        if head.pos_ == "VERB" and head.i != tok.i:
            # the doer of that verb: its subject, or the agent when it is passive (its subject is acted on)
            passive = any(c.dep_ == "nsubjpass" for c in head.children)
            source = _prep_object(head, ["by"]) if passive else subject_of(head)
    return source, _prep_object(tok, t["target_preps"])


def flags(tok: Token) -> tuple[bool, bool, bool]:
    t = table()
    verb = tok if tok.pos_ == "VERB" else next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), tok)
    around = [c for c in verb.children] + [c for c in tok.children]
    negated = any(c.dep_ == "neg" for c in around)
    future = any(c.lower_ in t["future"] and c.dep_ in ("aux", "auxpass") for c in around)
    hypothetical = any((c.lower_ in t["hypothetical"] and c.dep_ in ("aux", "mark")) for c in around)
    return negated, hypothetical, future


def mode_of(tok: Token, mode: str | None, event_type: str, target: Token | None = None) -> str | None:
    """The weapon the object names ('shot down 121 drones': aerial), the trigger's own mode, or a
    weapon word in the sentence."""
    if event_type != "ASSAULT":
        return mode
    if (named := weapon_mode(target)) is not None:
        return named
    if mode:
        return mode
    words = {t.lower_ for t in tok.sent}
    for name, cues in table()["modes"].items():
        if words & set(cues):
            return name
    return None


def _idiom(tok: Token, target: Token | None) -> bool:
    """'struck a conciliatory note', 'strike a deal': the trigger's object makes it no event of its type."""
    objects = table().get("idioms", {}).get(tok.lemma_.lower(), [])
    return target is not None and target.lemma_.lower() in objects


@stage("events", requires=("entities", "dates"), assigns=("events",))
def events(ctx: Context) -> None:
    for tok in ctx.doc:
        found = trigger_of(tok)
        if found is None:
            continue
        event_type, mode = found
        source, target = verb_actors(tok) if tok.pos_ == "VERB" else noun_actors(tok)
        if tok.lemma_.lower() in table()["object_verbs"]:  # 'fired missiles at the town': the object is the weapon
            weapons = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
            target = next((o for w in weapons if (o := _prep_object(w, table()["target_preps"])) is not None), None)
        source = None if source is not None and source.i == tok.i else source
        if _idiom(tok, target):
            continue
        source_name = capital_as_state(ctx, source, actor_name(ctx, source))
        target_name = actor_name(ctx, target)
        if source_name is not None and source_name == target_name:
            source, source_name = None, None  # 'two warehouses ... by two warehouses': no one acts on itself
        if event_type not in table().get("literal_place_types", []):
            target_name = capital_as_state(ctx, target, target_name)
        if source_name is None and target_name is None:
            continue  # a trigger word with no one acting or acted on ("in case of attack") says too little
        negated, hypothetical, future = flags(tok)
        sent = ctx.sentence_of(tok)
        ctx.record.events.append(Event(
            type=event_type, mode=mode_of(tok, mode, event_type, target), source_actor=source_name,
            target_actor=target_name, source_country=actor_country(ctx, source, source_name),
            target_country=actor_country(ctx, target, target_name),
            place=place_in(ctx, sent, {n for n in (source_name, target_name) if n}),
            date=date_in(ctx, sent), trigger=tok.text, sentence=sent.text.strip(),
            start=tok.idx, end=tok.idx + len(tok.text), negated=negated, hypothetical=hypothetical,
            future=future,
        ))
