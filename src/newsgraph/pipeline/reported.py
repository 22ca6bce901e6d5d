"""Reported speech: the clause a speech verb reports ('X said that ...', 'X said, they
arrested ...', 'The bridge, officials said, was closed'), the sentence around 'according to X', and the
statement after a colon that its owner announces ('The alliance's position was clear: ...'), also as a
paragraph of its own without quote marks after 'X said:' (a block quote).
A clause mostly inside quote marks belongs to its direct quote."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.cues import is_cue
from newsgraph.pipeline.intervals import Intervals
from newsgraph.pipeline.sources import name_before_colon, relayed_source
from newsgraph.pipeline.speakers import Attribution, Found, to_quote
from newsgraph.pipeline.syntax import phrase_text, subject_of, trimmed_span
from newsgraph.pipeline.vocabulary import is_outlet
from newsgraph.record import Quote


def reported_speech(ctx: Context, attr: Attribution, direct: list[Found]) -> list[Quote]:
    inside_quotes = Intervals((f.start, f.end) for f in direct if f.kind == "speech")

    def mostly_quoted(a: int, b: int) -> bool:
        a += ctx.article.text[a : a + 1] in ('"', "“", "‘")  # (an opening mark the clause keeps is no word)
        return inside_quotes.covered(a, b) >= 0.8 * (b - a)

    def in_quote(pos: int) -> bool:
        return pos in inside_quotes

    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for tok in ctx.doc:
        if not is_cue(tok) or in_quote(tok.idx):
            continue
        clauses = _joined(ctx.article.text, [_clause_span(c, tok) for c in tok.children if c.dep_ == "ccomp"])
        if tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX") and not clauses:
            span = _parenthetical_span(tok)  # 'X said, they arrested ...'
            if span is not None and not inside_quotes.overlaps(*span):
                clauses = [span]  # (a clause holding a direct quote is that quote's business)
        for span in clauses:
            if span is None or mostly_quoted(*span) or span in seen:
                continue
            seen.add(span)
            found = Found(*span)
            attr.from_verb(found, tok, ctx.sentence_of(tok))
            out.append(to_quote(ctx, found, direct=False))

    def free(span: tuple[int, int] | None) -> bool:
        return span is not None and not mostly_quoted(*span) and not any(_overlap(span, s) > 0.5 for s in seen)

    def sourced(span: tuple[int, int], source: Token, cue: str, kind: str = "speech") -> Found:
        seen.add(span)
        found = Found(*span, cue=cue, kind=kind)
        attr.from_phrase(found, source)
        return found

    for sent in ctx.sentences():
        acc = attr.according_to(sent)
        if acc is not None and not in_quote(acc.idx) and not is_outlet(phrase_text(acc)):
            span = _according_clause(sent, acc)
            if free(span):
                found = sourced(span, acc, "according to")
                attr.relayed(found, sent)
                out.append(to_quote(ctx, found, direct=False))
        colon = next((t for t in sent if t.text == ":" and not in_quote(t.idx)), None)
        source, kind, cue = _colon_source(ctx, colon) if colon is not None else (None, "speech", ":")
        span = trimmed_span([t for t in sent if t.i > colon.i], _MIN_CLAUSE) if source is not None else None
        if source is not None and free(span):
            out.append(to_quote(ctx, sourced(span, source, cue, kind), direct=False))
    for colon, block in _block_quotes(ctx, attr.paras):
        if not free(block):
            continue
        verb = next((t for t in reversed(colon.sent) if t.i < colon.i and is_cue(t) and subject_of(t) is not None),
                    None)
        if verb is not None:  # 'In a statement, the ministry said:' and the paragraph it introduces
            seen.add(block)
            found = Found(*block)
            attr.from_verb(found, verb, colon.sent)
            out.append(to_quote(ctx, found, direct=False))
        elif (sourced_by := _colon_source(ctx, colon))[0] is not None:
            source, kind, cue = sourced_by
            out.append(to_quote(ctx, sourced(block, source, cue, kind), direct=False))
    return out


def _block_quotes(ctx: Context, paras: list[tuple[int, int]]) -> list[tuple[Token, tuple[int, int]]]:
    """A paragraph ending in a colon and the paragraph after it, set off without quote marks: the
    words the colon introduces (a block quote)."""
    text, out = ctx.article.text, []
    for (a, b), (c, d) in zip(paras, paras[1:], strict=False):  # (each paragraph with the next)
        lead = text[a:b].rstrip()
        body = text[c:d].strip()
        if not lead.endswith(":") or not body or body[0] in "\"“‘'«":
            continue
        colon = ctx.doc.char_span(a + len(lead) - 1, a + len(lead), alignment_mode="expand")
        start = c + text[c:d].index(body[0])
        if colon is not None:
            out.append((colon[0], (start, start + len(body))))
    return out


def _colon_source(ctx: Context, colon: Token) -> tuple[Token | None, str, str]:
    """Who holds the statement after a colon, whether it is speech or a stance, and the cue: the owner of a
    statement noun before it ('Her message was simple: ...'), of a position noun ('The alliance's
    position was clear: ...', a stance), or a name the line opens with ('Clinton: we will win')."""
    sent_start = colon.sent.start
    for tok in reversed(colon.doc[sent_start : colon.i]):
        lemma = tok.lemma_.lower()
        if lemma in _statement_nouns() or lemma in lexicon.words("position_nouns.txt"):
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            return owner, "stance" if lemma in lexicon.words("position_nouns.txt") else "speech", tok.text
    named = name_before_colon(colon.doc, colon.i + 1, ctx.entity_at)
    return (named.root if named is not None and named.start == sent_start else None), "speech", ":"


def _statement_nouns() -> frozenset[str]:
    return lexicon.words("statement_nouns.txt") | lexicon.words("speech_nouns.txt")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(1, min(a[1] - a[0], b[1] - b[0]))


_MIN_CLAUSE = 3  # tokens: a shorter stretch is no report


def _clause_span(clause: Token, verb: Token) -> tuple[int, int] | None:
    """The reported clause, without a trailing ', telling X, "..."' (a second cue of its own)."""
    cut = min((c.left_edge.i for c in clause.children if c.dep_ == "advcl" and _second_cue(c) and c.i > clause.i),
              default=None)
    toks = [t for t in clause.subtree if t.i != verb.i and (cut is None or t.i < cut)]
    while toks and (toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "whether", "if") or toks[0].is_punct
                    and toks[0].text not in ('"', "“", "‘")):  # (a quote opening the clause keeps its mark)
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text not in ('"', "”", "’"):
        toks.pop()
    if len(toks) < 3:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _joined(text: str, spans: list[tuple[int, int] | None]) -> list[tuple[int, int] | None]:
    """Two clauses of one speech verb with only a space between are one report the parser split
    ('... arrive with enough' + 'pledged delegates to force a vote')."""
    out: list[tuple[int, int] | None] = []
    for span in spans:
        last = out[-1] if out else None
        if span is not None and last is not None and last[1] <= span[0] and not text[last[1]:span[0]].strip():
            out[-1] = (last[0], span[1])
        else:
            out.append(span)
    return out


def _second_cue(tok: Token) -> bool:
    """', adding that ...', ', telling reporters ...': a speech verb set off by a comma starts a report of its
    own ('arrive with enough pledged delegates' is no second report)."""
    first = tok.left_edge
    return is_cue(tok) and first.i > 0 and tok.doc[first.i - 1].text in (",", ";", "--", "—")


def _parenthetical_span(cue: Token) -> tuple[int, int] | None:
    """The clause a parenthetical speech verb comments on: 'Malaysian authorities said, they arrested
    ...' (after the cue), 'The bridge, officials said, was closed' (around it)."""
    inside_cue = {t.i for t in cue.subtree}
    toks = [t for t in cue.head.subtree if t.i not in inside_cue and not t.is_space]
    after = [t for t in toks if t.i > max(inside_cue)]
    if toks and min(t.i for t in toks) > min(inside_cue) or len(after) == len(toks):
        toks = after
    return trimmed_span(toks, _MIN_CLAUSE)


def _according_clause(sent: Span, acc: Token) -> tuple[int, int] | None:
    """The rest of the sentence around 'according to X'."""
    phrase = [t for t in sent if t.lower_ == "according"]
    if not phrase:
        return None
    a = phrase[0]
    pp_end = acc.i + 1 if acc.dep_ == "pcomp" else max(t.i for t in acc.subtree) + 1
    relay = relayed_source(sent)
    if relay is not None and relay.head.i >= pp_end:  # ', quoting KCNA,' belongs to the attribution
        comma = next((t for t in sent if t.i > relay.i and t.text == ","), None)
        pp_end = comma.i + 1 if comma is not None else pp_end
    before = [t for t in sent if t.i < a.i and not t.is_space]
    after = [t for t in sent if t.i >= pp_end and not t.is_space]
    return trimmed_span(after if len(after) >= len(before) else before, _MIN_CLAUSE)
