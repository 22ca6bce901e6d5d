"""Frames: what a clause says around a count or an event: its verb and the action it names
('shoot down or jam', 'leaving 15 settlements without electricity'), who acted (a nationality
acting for its country), and the place and date named in its sentence."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.dates import value_text
from newsgraph.pipeline.numbers import rules
from newsgraph.pipeline.referents import entity_of
from newsgraph.pipeline.syntax import subject_of
from newsgraph.pipeline.vocabulary import country_of_demonym


def governing_verb(tok: Token) -> Token | None:
    """The nearest verb above a token (itself if it is one), not across an apposition; an
    instrument verb ('launched an attack, deploying 157 drones') gives way to the verb it serves."""
    node = tok
    while node.pos_ != "VERB":
        if node.dep_ == "appos" or node.head.i == node.i or _described_by_dashes(node) is not None:
            return None  # 'a group of 35 countries': a description, not an action
        node = node.head
    if node.lemma_.lower() in rules()["instrument_verbs"] and node.dep_ == "advcl" and node.head.pos_ == "VERB":
        return node.head
    return node


def _described_by_dashes(node: Token) -> Token | None:
    """'the "coalition of the willing"—a group of 35 countries—announced': a noun phrase set off by
    dashes right after a noun describes that noun (the parser may take it for a subject). The noun."""
    if node.pos_ not in ("NOUN", "PROPN") or node.dep_ not in ("nsubj", "nsubjpass", "dobj", "ROOT", "appos"):
        return None
    first = node.left_edge
    if first.i < 2 or first.doc[first.i - 1].text not in "—–":
        return None
    before = first.doc[first.i - 2]
    while before.is_punct and before.i > 0 and before.text not in ",;:—–()":
        before = before.doc[before.i - 1]  # past a closing quote mark
    described = before
    while described.pos_ not in ("NOUN", "PROPN"):  # 'of the willing' -> coalition
        if described.head.i == described.i or described.head.i > described.i or described.pos_ == "VERB":
            return None
        described = described.head
    of = described.head if described.dep_ == "pobj" and described.head.lower_ == "of" else None
    return of.head if of is not None and of.head.pos_ in ("NOUN", "PROPN") else described


def apposition_action(tok: Token) -> str | None:
    """'the coalition, a group of 35 countries': the things counted make up the noun described."""
    node = tok
    while node.dep_ != "appos" and _described_by_dashes(node) is None:
        if node.head.i == node.i or node.pos_ == "VERB":
            return None
        node = node.head
    described = _described_by_dashes(node) or node.head
    words = [described] + [t for c in described.rights if c.dep_ == "prep" and c.i < node.left_edge.i
                           for t in c.subtree]
    words += [c for c in described.lefts if c.dep_ in ("det", "compound") or c.pos_ == "PROPN"]
    words = sorted((t for t in words if not t.is_punct), key=lambda t: t.i)
    return f"{rules()['apposition_action']} {' '.join(t.text for t in words)}"


def action_phrase(verb: Token) -> str:
    """The verb with its particle and coordinated verbs: 'shoot down or jam'."""
    doc = verb.doc
    parts = [verb] + [c for c in verb.children if c.dep_ == "prt"]
    for c in verb.children:
        verbal = c.pos_ == "VERB" or any(g.dep_ == "nummod" for g in c.children)
        if c.dep_ == "conj" and verbal and verb.i < c.i <= verb.i + 4:
            cc = [x for x in verb.children if x.dep_ == "cc" and verb.i < x.i < c.i]
            parts += cc + [c] + [x for x in c.children if x.dep_ == "prt"]
    parts.sort(key=lambda t: t.i)
    if parts[-1].i - parts[0].i + 1 <= len(parts) + 1:
        text = doc[parts[0].i : parts[-1].i + 1].text
    else:
        text = " ".join(t.text for t in parts)
    result = _result_phrase(verb)
    return f"{text} {result}" if result else text


def _result_phrase(verb: Token) -> str | None:
    """'leaving 15 settlements without electricity': a prepositional phrase that completes what the verb
    did to the things counted (data: count_rules.json result_prepositions)."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    for c in [*verb.children, *(g for o in objects for g in o.children)]:
        if c.dep_ == "prep" and c.lower_ in rules()["result_prepositions"] and c.i > verb.i:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.i - c.i <= 3:
                return verb.doc[c.i : obj.i + 1].text
    return None


def acts_for_country(head: Token) -> bool:
    """'Russian troops', 'Ukrainian air defenses': a group that acts for its country."""
    return head.lemma_.lower() in lexicon.words("acting_groups.txt") or head.lower_ in lexicon.words(
        "acting_groups.txt")


def clause_actor(ctx: Context, verb: Token) -> str | None:
    """Who did it: the subject's entity; a nationality stands for its country ('Russian troops' -> Russia)."""
    subj = subject_of(verb)
    if subj is None:
        return None
    eid = entity_of(ctx, subj)
    ent = ctx.entity(eid) if eid else None
    if ent is not None and ent.type == "NORP" and acts_for_country(subj):
        return country_of_demonym(ent.name) or ent.name
    if ent is not None and ent.type != "NORP":
        return ent.name
    if subj.pos_ in ("PRON",):
        return None
    words = [t for t in subj.subtree if not t.is_punct]
    return ctx.doc[words[0].i : words[-1].i + 1].text if words else None


def place_in(ctx: Context, sent, skip: set[str]) -> str | None:
    for tok in sent:
        eid = ctx.entity_at(tok)
        ent = ctx.entity(eid) if eid else None
        if ent and ent.type in ("GPE", "LOC", "FAC") and ent.name not in skip:
            return ent.name
    return None


def date_in(ctx: Context, sent) -> str | None:
    d = ctx.first_date_in(sent.start_char, sent.end_char)
    return value_text(d.value) if d is not None else None
