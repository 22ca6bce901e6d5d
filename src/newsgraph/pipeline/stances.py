"""Stances: positions a source takes without its words being reported ('Walker endorsed Cruz',
'lawmakers accused each other of playing politics', 'the survey found that ...', 'she wants to stay',
'his call for a ban'). Each is a quote of kind 'stance': the position is its text, the verb (with
its preposition) its cue, the verb's subject its speaker, found as for reported speech.

The frames (data/stance_frames.txt) say which of a verb's arguments hold the position. A stance
needs a subject that names a source: a passive ('was criticized') or a clause without a subject
is left out, as is a stretch already taken by a quote or by reported speech."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.intervals import Intervals
from newsgraph.pipeline.speakers import Attribution, Found, to_quote
from newsgraph.pipeline.syntax import subject_of, trimmed_span
from newsgraph.record import Quote

_CLAUSE_SLOTS = ("dobj", "ccomp", "xcomp")
_NO_SOURCE = frozenset({"it", "there", "this", "that", "what", "which"})


@cache
def frames() -> dict[str, tuple[str, ...]]:
    """Lemma (nouns as 'n:lemma') -> the slots holding the position, from data/stance_frames.txt."""
    out: dict[str, tuple[str, ...]] = {}
    for line in lexicon.phrases("stance_frames.txt"):
        lemma, *slots = line.split()
        out[lemma] = tuple(slots)
    return out


def stances(ctx: Context, attr: Attribution, taken: list[tuple[int, int]]) -> list[Quote]:
    """Stance quotes of the document, none overlapping a stretch in ``taken`` (quotes and reported
    speech) or each other by more than half."""
    busy = Intervals(taken)
    out: list[Quote] = []
    for tok in ctx.doc:
        slots = _frame_of(tok)
        if slots is None or tok.idx in busy:
            continue
        found = _verb_stance(ctx, attr, tok, slots) if tok.pos_ in ("VERB", "AUX") else _noun_stance(ctx, attr, tok, slots)
        if found is None or busy.covered(found.start, found.end) > 0.5 * (found.end - found.start):
            continue
        busy.add(found.start, found.end)
        out.append(to_quote(ctx, found, direct=False))
    return out


def _frame_of(tok: Token) -> tuple[str, ...] | None:
    if tok.pos_ == "VERB" or tok.pos_ == "AUX" and tok.dep_ == "ROOT":
        return frames().get(tok.lemma_.lower())
    if tok.pos_ == "NOUN":
        return frames().get("n:" + tok.lemma_.lower())
    return None


def _verb_stance(ctx: Context, attr: Attribution, verb: Token, slots: tuple[str, ...]) -> Found | None:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None  # 'Clinton was criticized for ...': the target stands where the source would
    subj = subject_of(verb)
    if subj is None or subj.lower_ in _NO_SOURCE or subj.dep_ == "expl" or subj.idx in attr.quoted:
        return None
    args = [c for c in verb.children if c.i > verb.i and c.dep_ in slots and c.dep_ in _CLAUSE_SLOTS]
    if "oprd" in slots:  # 'called the plan a disgrace': the object and what it was called, or nothing
        predicate = [c for c in verb.children if c.dep_ == "oprd" and c.i > verb.i]
        args = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i] + predicate if predicate else args
    preps = [c for c in verb.children if c.i > verb.i and c.dep_ in ("prep", "dative") and c.lower_ in slots]
    cue = verb.text
    if args:
        last = max(a.i for a in args)
        parts = args + [p for p in preps if p.i > last]
    elif preps:
        objs = [g for g in preps[0].children if g.dep_ in ("pobj", "pcomp")]
        if not objs or all(g.ent_type_ in ("DATE", "TIME") for g in objs):
            return None  # ('called on Tuesday')
        cue = f"{verb.text} {preps[0].text}"
        parts = objs
    else:
        return None
    span = _span(parts)
    if span is None:
        return None
    found = Found(*span)
    attr.from_verb(found, verb, ctx.sentence_of(verb))
    found.cue, found.kind = cue, "stance"
    return found


def _noun_stance(ctx: Context, attr: Attribution, noun: Token, slots: tuple[str, ...]) -> Found | None:
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in slots and c.i > noun.i), None)
    if owner is None or prep is None or owner.idx in attr.quoted:
        return None
    objs = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]
    span = _span(objs)
    if span is None:
        return None
    found = Found(*span, cue=f"{noun.text} {prep.text}", kind="stance")
    attr.from_phrase(found, owner)
    return found


def _span(parts: list[Token]) -> tuple[int, int] | None:
    """Character offsets covering the parts' subtrees, without outer punctuation."""
    if not parts:
        return None
    doc = parts[0].doc
    return trimmed_span(list(doc[min(p.left_edge.i for p in parts) : max(p.right_edge.i for p in parts) + 1]))
