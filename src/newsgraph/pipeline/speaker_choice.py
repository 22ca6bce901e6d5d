"""Who said a quoted stretch: one decision over candidates.

Every rule that can name a source for the quote adds a :class:`Candidate` with the evidence it
rests on: the quote's own form (a title or term is a label), a signature line, a speech verb that
governs the quote or stands right after or before it, a verb the quote opens with, any verb where
attributions stand, a name before a colon, 'according to', a speech verb earlier in the paragraph,
the previous quote's speaker. A cue's subject that is a pronoun or a bare description adds its
referent as a candidate of its own (the previous quote's speaker for 'she continued', the person
before a 'he' whose quote names him). :func:`choose` scores them all the same way
(data/speaker_scores.json: a prior per rule plus weights for the evidence) and keeps the best."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.coref import add_description_mention, move_mention
from newsgraph.pipeline.cues import (
    attributing_verb,
    cue_earlier_in_paragraph,
    cue_in_lead_in,
    cue_in_tail,
    governing_cue,
    is_cue,
    predicate_cue,
)
from newsgraph.pipeline.labels import is_label, short_fragment
from newsgraph.pipeline.paragraphs import para_bounds
from newsgraph.pipeline.sources import name_before_colon, source_in
from newsgraph.pipeline.speakers import Attribution, Found, sentences_touching
from newsgraph.pipeline.syntax import in_subject, subject_of, tokens_inside, words_span
from newsgraph.pipeline.vocabulary import gender_of, pronoun_gender


@dataclass
class Candidate:
    """A possible source for a quote, and what the text says for it."""

    rule: str
    speaker_id: str | None = None
    speaker: str | None = None
    words: tuple[int, int] | None = None  # the words naming the speaker for this quote
    cue: str | None = None
    via: str | None = None
    kind: str = "speech"
    refines: str | None = None  # the cue rule whose subject this candidate resolves
    evidence: tuple[str, ...] = ()
    on_choose: Callable[[], None] | None = field(default=None, repr=False)  # e.g. move a pronoun's mention


@cache
def _scores() -> dict:
    return lexicon.table("speaker_scores.json")


def score(c: Candidate) -> float:
    table = _scores()
    base = table["rules"][c.refines] if c.refines else 0
    return base + table["rules"][c.rule] + sum(table["evidence"].get(e, 0) for e in c.evidence)


def choose(candidates: list[Candidate]) -> Candidate | None:
    """The best-scoring candidate (the first gathered among equals); none scoring above 0."""
    best = max(candidates, key=score, default=None)
    return best if best is not None and score(best) > 0 else None


def decide(ctx: Context, attr: Attribution, found: Found, previous: Found | None) -> None:
    """Fill ``found`` (speaker, words, cue, via, kind) from the best of its candidates. Rules are asked
    in the order of the most they could score, and no further once none left could beat the best
    so far (evidence only takes away), so the choice is the one over every candidate."""
    best: Candidate | None = None
    for bound, gather in _rules(ctx, attr, found, previous):
        if best is not None and bound <= score(best):
            break
        best = choose([c for c in (best, *gather()) if c is not None])
    if best is None:
        return
    found.speaker_id, found.speaker, found.speaker_words = best.speaker_id, best.speaker, best.words
    found.cue, found.via, found.kind = best.cue, best.via, best.kind
    if best.on_choose is not None:
        best.on_choose()


Gather = Callable[[], list[Candidate]]


def _rules(ctx: Context, attr: Attribution, found: Found, previous: Found | None) -> list[tuple[float, Gather]]:
    """(the most a rule's candidates can score, how to gather them), in that order."""
    text, doc, paras = ctx.article.text, ctx.doc, attr.paras
    start, end = found.start, found.end
    inside = tokens_inside(doc, start, end)
    sents = sentences_touching(ctx, start, end)
    continues = previous is not None and _continues(text, previous, found, paras)
    under_cue = any(is_cue(a) and not (start <= a.idx < end) for tok in inside for a in tok.ancestors)
    rules = _scores()["rules"]
    refinement = max(rules[r] for r in _REFINEMENTS)

    def label_form() -> list[Candidate]:
        return [Candidate("label_form", kind="label")] if is_label(text, start, text[start:end], inside,
                                                                     said=under_cue) else []

    def signature() -> list[Candidate]:
        signed = _signed_by(ctx, end, paras)  # '"...." ― Pamela Padilla': an epigraph's signature
        return [Candidate("signature", *signed)] if signed is not None else []

    def speech_verb() -> list[Candidate]:
        governing = governing_cue(inside, sents, start, end)
        if governing is not None and short_fragment(text[start:end]) and not under_cue:
            governing = None  # a short quoted term beside (not under) a speech verb: a scare quote
        finders: tuple[tuple[str, Callable[[], Token | None]], ...] = (
            ("governing_cue", lambda: governing), ("tail_cue", lambda: cue_in_tail(ctx, end, paras)),
            ("lead_in_cue", lambda: cue_in_lead_in(ctx, start, paras)),
            ("predicate_cue", lambda: predicate_cue(inside, start)),
            ("attributing_verb", lambda: attributing_verb(ctx, start, end)))
        for rule, find in finders:
            if (cue := find()) is not None:  # one cue speaks for a quote: a farther verb would only lose
                return _cue_candidates(ctx, attr, found, rule, cue, previous if continues else None)
        return []

    def colon_name() -> list[Candidate]:
        named = name_before_colon(doc, _mark_token(doc, start), ctx.entity_at)  # 'Clinton: "Our goal is ..."'
        if named is None:
            return []
        eid, name = attr.entity_name(named.root)
        return [Candidate("name_before_colon", eid, name, (named.start_char, named.end_char))]

    def according() -> list[Candidate]:
        # 'in the words of the prosecutor, X, "..."', '"...", according to the Herald': an outlet
        # quoted for its own words is the speaker
        source = source_in(sents)
        if source is None:
            return []
        eid, name = attr.entity_name(source)
        return [Candidate("according_to", eid, name, words_span(source), cue="according to")]

    def earlier_cue() -> list[Candidate]:
        # 'Kiara Perkins admitted she was willing to ... Why did she want to attend? "It's Warhol."'
        if short_fragment(text[start:end]):
            return []
        earlier = cue_earlier_in_paragraph(ctx, start, paras, attr.quoted)
        if earlier is None or continues and earlier.idx <= previous.end:
            return []
        return [_with_evidence(ctx, _from_verb(attr, found, "earlier_cue", earlier, keep_cue=False), inside)]

    def previous_speaker() -> list[Candidate]:
        if not continues:
            return []
        carried = Candidate("previous_speaker", previous.speaker_id, previous.speaker, previous.speaker_words,
                            via=previous.via)  # the words that named the speaker before
        return [_with_evidence(ctx, carried, inside)]

    def short_term() -> list[Candidate]:  # a short quoted term nobody is said to have said
        return [Candidate("short_term", kind="label")] if len(text[start:end].split()) <= 3 else []

    return [(rules["label_form"], label_form), (rules["signature"], signature),
            (max(rules[r] for r in _CUE_RULES) + refinement, speech_verb),
            (rules["name_before_colon"], colon_name), (rules["according_to"], according),
            (rules["earlier_cue"], earlier_cue), (rules["previous_speaker"], previous_speaker),
            (rules["short_term"], short_term)]


_CUE_RULES = ("governing_cue", "tail_cue", "lead_in_cue", "predicate_cue", "attributing_verb")
_REFINEMENTS = ("definite_description", "pronoun_continues_previous", "other_person_before")


def _cue_candidates(ctx: Context, attr: Attribution, found: Found, rule: str, cue: Token,
                    previous: Found | None) -> list[Candidate]:
    """The cue's own candidate, and the referents of its subject when the cue alone names nobody."""
    base = _from_verb(attr, found, rule, cue)
    out = [base]
    subj = subject_of(cue)
    if subj is None:
        return out
    if base.speaker is None:
        eid, name = attr.definite_reference(subj, previous)
        if name is not None:  # 'the city reasoned': the entity the description fits
            base = _refined(base, "definite_description", eid, name)
            if eid is not None and _is_person(ctx, eid):  # 'the Russian leader' is a mention of the person
                base.on_choose = lambda: add_description_mention(ctx, subj, eid)
            out.append(base)
    if base.speaker_id and _names_in_third_person(ctx, found, subj, base.speaker_id):
        # 'He said, "Andy Warhol was the center of ..."': he is not Warhol, but the person before
        other = _other_person_before(ctx, subj, found)
        if other is not None:
            moved = _refined(base, "other_person_before", other, ctx.entity_name(other))
            moved.on_choose = lambda: move_mention(ctx, subj, other)
            out.append(moved)
    if base.speaker is None and previous is not None and subj.lower_ in ("it", "they", "he", "she") \
            and _gender_fits(subj, previous.speaker):
        # 'she continued': she names the speaker here
        out.append(_refined(base, "pronoun_continues_previous", previous.speaker_id, previous.speaker,
                            words_span(subj)))
    return out


def _from_verb(attr: Attribution, found: Found, rule: str, verb: Token, keep_cue: bool = True) -> Candidate:
    probe = Found(found.start, found.end)
    attr.from_verb(probe, verb, attr.ctx.sentence_of(verb))
    return Candidate(rule, probe.speaker_id, probe.speaker, probe.speaker_words,
                     probe.cue if keep_cue else None, probe.via)


def _refined(base: Candidate, rule: str, eid: str | None, name: str | None,
             words: tuple[int, int] | None = None) -> Candidate:
    return Candidate(rule, eid, name, words or base.words, base.cue, base.via, refines=base.refines or base.rule)


def _with_evidence(ctx: Context, c: Candidate, inside: list[Token]) -> Candidate:
    """A speaker carried over from elsewhere whom the quote names in the third person: people seldom
    speak of themselves so."""
    if c.speaker_id and _is_person(ctx, c.speaker_id) and _named_inside(ctx, inside, c.speaker_id):
        c.evidence += ("names_itself",)
    return c


def _is_person(ctx: Context, eid: str) -> bool:
    ent = ctx.entity(eid)
    return ent is not None and ent.type == "PERSON"


_SIGNATURE = re.compile(r"[\"”’']?[^\S\n]*[―—–-]{1,2}[^\S\n]*")


def _signed_by(ctx: Context, end: int, paras: list[tuple[int, int]]) -> tuple[str | None, str] | None:
    """A dash and a name right after the closing mark, ending the paragraph: the quote's signature."""
    text = ctx.article.text
    _, para_end = para_bounds(end, paras)
    after_mark = end + (1 if text[end:end + 1] in "\"”’'" else 0)
    m = _SIGNATURE.match(text, end)
    if not text[after_mark:para_end].strip() and para_end < len(text):
        # a quote ending its paragraph, signed at the start of the next: '-Maria Ortiz, Lisbon'
        _, para_end = para_bounds(_next_visible(text, para_end), paras)
        m = _SIGNATURE.match(text, _next_visible(text, after_mark))
    if m is None or m.end() == after_mark:
        return None  # no dash
    line_end = text.find("\n", m.end())
    rest = text[m.end() : min(para_end, line_end) if line_end >= 0 else para_end].strip()
    rest = rest.split(",")[0].strip()  # '-Maria Ortiz, Lisbon', '-President Obama, tweeting after ...'
    if not rest or len(rest.split()) > 6 or not rest[:1].isupper():
        return None
    span = ctx.doc.char_span(m.end(), m.end() + len(rest), alignment_mode="expand")
    if span is None:
        return None
    eid = next((e for t in span if (e := ctx.entity_at(t))), None)
    ent = ctx.entity(eid) if eid else None
    if ent is not None and ent.type in ("PERSON", "ORG"):
        return eid, ent.name
    return None


def _next_visible(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _gender_fits(pronoun: Token, name: str | None) -> bool:
    """'she' never continues Brian's quotes; names of unknown gender fit either."""
    wanted = pronoun_gender(pronoun.text)
    return wanted is None or not name or gender_of(name) in (wanted, None)


def _names_in_third_person(ctx: Context, found: Found, pronoun: Token, eid: str) -> bool:
    """A quote given to 'he'/'she' that names that very person by name: people seldom do."""
    if pronoun_gender(pronoun.text) is None:
        return False
    return _named_inside(ctx, tokens_inside(ctx.doc, found.start, found.end), eid)


def _named_inside(ctx: Context, inside: list[Token], eid: str) -> bool:
    """Whether a quote's tokens name this person (a mention of them, or their surname)."""
    surname = ctx.entity_name(eid).split()[-1:]
    return any(t.pos_ == "PROPN" and (ctx.entity_at(t) == eid or [t.text] == surname) for t in inside)


def _other_person_before(ctx: Context, pronoun: Token, found: Found) -> str | None:
    """Another person of the pronoun's gender named in the sentence before the quote or since, and not
    in the quote: the latest subject among them, else the latest."""
    start = ctx.sentence_before(min(found.start, pronoun.idx)).start
    inside = tokens_inside(ctx.doc, found.start, found.end)
    people: list[tuple[Token, str]] = []
    for tok in pronoun.doc[start : pronoun.i]:
        eid = ctx.entity_at(tok)
        ent = ctx.entity(eid) if eid and tok.pos_ == "PROPN" and not found.start <= tok.idx < found.end else None
        if ent is not None and ent.type == "PERSON" and gender_of(ent.name) in (pronoun_gender(pronoun.text), None) \
                and not _named_inside(ctx, inside, eid):
            people.append((tok, eid))
    subjects = [(t, e) for t, e in people if in_subject(t)]
    return (subjects or people)[-1][1] if people else None


def _continues(text: str, previous: Found, found: Found, paras: list[tuple[int, int]]) -> bool:
    """The same speaker goes on: same paragraph, or the next paragraph opening with a quote."""
    def para_of(pos: int) -> int:
        return max(n for n, (a, _) in enumerate(paras) if a <= pos)

    p_prev, p_now = para_of(previous.start), para_of(found.start)
    if p_prev == p_now:
        return True
    return p_now == p_prev + 1 and paras[p_now][0] >= found.start - 1


def _mark_token(doc, start: int) -> int:
    """The index of the token holding a quote's opening mark (the character before ``start``)."""
    if start < 1:
        return 0
    tok = doc.char_span(start - 1, start, alignment_mode="expand")
    return tok.start if tok is not None else 0
