"""Quotes: the stage. Direct quotes (words inside quote marks) and reported speech, with speakers.

For each quoted stretch (quote_marks): a label (labels) has no speaker; a signature line
('"...." ― Pamela Padilla') signs it; else its cue (cues) gives the speaker (speakers), with a
'he'/'she' that the quote itself names by name handed to the other person before it; else
'according to X'; else a speech verb earlier in the paragraph; else the previous quote's speaker
when the text continues it; a short quoted term nobody is said to have said is a label.
Reported speech (reported) follows, then stances (stances): positions taken without words quoted."""

from __future__ import annotations

import re

from spacy.tokens import Token

from newsgraph.pipeline.context import Context
from newsgraph.pipeline.coref import move_mention
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
from newsgraph.pipeline.quote_marks import find_quote_marks
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.reported import reported_speech
from newsgraph.pipeline.sources import name_before_colon, source_in
from newsgraph.pipeline.speakers import Attribution, Found, sentences_touching, to_quote
from newsgraph.pipeline.stances import stances
from newsgraph.pipeline.syntax import in_subject, subject_of, tokens_inside, words_span
from newsgraph.pipeline.vocabulary import gender_of, pronoun_gender


@stage("quotes", requires=("entities",), assigns=("quotes",))
def quotes(ctx: Context) -> None:
    text, doc = ctx.article.text, ctx.doc
    marks = find_quote_marks(text)
    attr = Attribution(ctx, marks)
    direct: list[Found] = []
    previous: Found | None = None
    paras = attr.paras
    for start, end in marks:
        found = Found(start, end)
        inside = tokens_inside(doc, start, end)
        sents = sentences_touching(ctx, start, end)
        under_cue = any(is_cue(a) and not (start <= a.idx < end) for tok in inside for a in tok.ancestors)
        if is_label(text, start, text[start:end], inside, said=under_cue):
            found.kind = "label"
        elif (signed := _signed_by(ctx, end, paras)) is not None:
            found.speaker_id, found.speaker = signed  # '"...." ― Pamela Padilla': an epigraph's signature
        else:
            cue = governing_cue(inside, sents, start, end)
            if cue is not None and short_fragment(text[start:end]) and not under_cue:
                cue = None  # a short quoted term beside (not under) a speech verb: a scare quote
            if cue is None:
                cue = cue_in_tail(ctx, end, paras) or cue_in_lead_in(ctx, start, paras) \
                    or predicate_cue(inside, start) or attributing_verb(ctx, start, end)
            if cue is not None:
                attr.from_verb(found, cue, ctx.sentence_of(cue))
                subj = subject_of(cue)
                if found.speaker is None and subj is not None:
                    found.speaker_id, found.speaker = attr.definite_reference(
                        subj, previous if previous is not None and _continues(text, previous, found, paras) else None)
                if subj is not None and _names_in_third_person(ctx, found, subj):
                    # 'He said, "Andy Warhol was the center of ..."': he is not Warhol, but the person before
                    other = _other_person_before(ctx, subj, found)
                    if other is not None:
                        move_mention(ctx, subj, other)
                        found.speaker_id, found.speaker = other, ctx.entity_name(other)
                if found.speaker is None and previous is not None and subj is not None \
                        and subj.lower_ in ("it", "they", "he", "she") and _continues(text, previous, found, paras) \
                        and _gender_fits(subj, previous.speaker):
                    found.speaker_id, found.speaker = previous.speaker_id, previous.speaker
                    found.speaker_words = words_span(subj)  # 'she continued': she names the speaker here
            elif (named := name_before_colon(doc, _mark_token(doc, start), ctx.entity_at)) is not None:
                found.speaker_id, found.speaker = attr.entity_name(named.root)  # 'Clinton: "Our goal is ..."'
                found.speaker_words = named.start_char, named.end_char
            elif (source := source_in(sents)) is not None:
                # 'in the words of the prosecutor, X, "..."', '"...", according to the Herald': an outlet
                # quoted for its own words is the speaker
                found.speaker_id, found.speaker = attr.entity_name(source)
                found.speaker_words = words_span(source)
                found.cue = "according to"
            elif not short_fragment(text[start:end]) and (
                    earlier := cue_earlier_in_paragraph(ctx, start, paras, attr.quoted)) is not None and (
                    previous is None or not _continues(text, previous, found, paras) or earlier.idx > previous.end):
                # 'Kiara Perkins admitted she was willing to ... Why did she want to attend? "It's Warhol."'
                attr.from_verb(found, earlier, ctx.sentence_of(earlier))
                found.cue = None
            elif previous is not None and _continues(text, previous, found, paras):
                found.speaker_id, found.speaker, found.via = previous.speaker_id, previous.speaker, previous.via
                found.speaker_words = previous.speaker_words  # the words that named the speaker before
            elif len(text[start:end].split()) <= 3:
                found.kind = "label"  # a short quoted term nobody is said to have said
            if found.kind == "speech":
                previous = found
        direct.append(found)
        ctx.record.quotes.append(to_quote(ctx, found, direct=True))
    for q in reported_speech(ctx, attr, direct):
        ctx.record.quotes.append(q)
    taken = [(q.start, q.end) for q in ctx.record.quotes if q.kind == "speech"]
    ctx.record.quotes.extend(stances(ctx, attr, taken))
    ctx.record.quotes.sort(key=lambda q: (q.start, not q.direct))


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


def _names_in_third_person(ctx: Context, found: Found, pronoun: Token) -> bool:
    """A quote given to 'he'/'she' that names that very person by name: people seldom do."""
    if pronoun_gender(pronoun.text) is None or not found.speaker_id:
        return False
    return _named_inside(ctx, tokens_inside(ctx.doc, found.start, found.end), found.speaker_id)


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
