"""Speech cues: the verbs that report speech (data/cue_verbs.txt, with their inflected forms) and
where a quote's cue stands.

The cue of a quote is the outermost speech verb governing it (climbing stops at a speech clause
with a subject of its own: '..., said A, while B said it was the "worst in months"'); else the nearest one beside it
in its sentences; else a short sentence right after the quote ('"...." Morin said.'), a lead-in
before it ('X described the aftermath: "..."'), a speech verb the quote opens with ('X had
"asked that ..."'), or the last speech verb with a named subject earlier in the paragraph.
Nouns the tagger may take for a cue verb ('report', 'call') are listed in data/cue_exclusions.txt."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span, Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.intervals import Intervals
from newsgraph.pipeline.paragraphs import para_bounds
from newsgraph.pipeline.syntax import SUBJECT_DEPS, subject_of


def cue_lemmas() -> frozenset[str]:
    return lexicon.words("cue_verbs.txt")


@cache
def cue_forms() -> frozenset[str]:
    """Inflected forms of the cue verbs, for tokens the small model tags as nouns ('lamenting')."""
    forms = set(lexicon.words("irregular_cue_forms.txt"))
    for lemma in cue_lemmas():
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms |= {lemma, lemma + "s", stem + "ed", stem + "ing", lemma + "d"}
        if lemma.endswith("y"):
            forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return frozenset(forms)


def is_cue(tok: Token) -> bool:
    if tok.pos_ == "VERB":
        return tok.lemma_.lower() in cue_lemmas()
    if tok.lower_ in cue_forms() and tok.dep_ == "ROOT" and (
            any(c.dep_ == "nsubj" for c in tok.children)
            or any(c.dep_ in ("nmod", "compound") and c.i < tok.i for c in tok.children)
            and any(c.dep_ == "ccomp" for c in tok.children)):
        return True  # 'The Department of Agriculture notes, "..."': a verb the tagger took for a plural noun
    return tok.tag_ in ("NN", "VBG", "VBD", "VBN", "VBZ") and tok.lower_ in cue_forms() \
        and tok.lower_ not in lexicon.words("cue_exclusions.txt")


def governing_cue(inside: list[Token], sents: list[Span], start: int, end: int) -> Token | None:
    """The outermost speech verb above the quote, else the nearest one beside it.

    Climbing stops at a speech clause adjoined to another ('..., said A, while B said the fighting
    was the "worst in months"'): the higher verb reports other words."""
    outermost: Token | None = None
    depth = -1
    for tok in inside:
        if tok.is_punct:
            continue  # a closing period hangs on the sentence's root, whoever speaks there
        for anc in _ancestors_within_statement(tok, start, end):
            if start <= anc.idx < end or not is_cue(anc):
                continue
            d = sum(1 for _ in anc.ancestors)
            if outermost is None or d < depth:
                outermost, depth = anc, d
    if outermost is not None:
        return outermost
    beside = [t for s in sents for t in s if is_cue(t) and not (start <= t.idx < end)]
    if beside:
        return min(beside, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    return None


def _ancestors_within_statement(tok: Token, start: int, end: int) -> list[Token]:
    """Heads above ``tok`` up to the first speech verb outside the quote that is itself adjoined
    (advcl) or coordinated (conj) with a subject of its own: above it, the words belong to someone else
    ('telling X, "..."' has no subject of its own and speaks for the verb it hangs on)."""
    out = []
    for anc in tok.ancestors:
        out.append(anc)
        if not (start <= anc.idx < end) and is_cue(anc) and anc.dep_ in ("advcl", "conj") \
                and any(c.dep_ in SUBJECT_DEPS for c in anc.children):
            break
    return out


def cue_in_tail(ctx: Context, end: int, paras: list[tuple[int, int]]) -> Token | None:
    """'"...." Morin said.' -- a short sentence right after the quote, in the same paragraph, with a cue."""
    _, para_end = para_bounds(end, paras)
    pos = end + 1
    while pos < para_end and ctx.article.text[pos] in " ,.\"”'’":
        pos += 1
    if pos >= para_end or pos - end > 4:
        return None
    nxt = ctx.sentence_at(pos)
    if nxt.start_char > pos:
        return None
    # a long sentence speaks for the quote only when it opens with the attribution of a quote that did not
    # end its own sentence ('"... paid!" X declared, a point ...'; not '"...." X later announced a probe')
    open_ended = ctx.article.text[end - 1 : end] in ("!", "?", ",")
    reach = nxt.end if len(nxt) <= 12 else min(nxt.end, nxt.start + 5) if open_ended else nxt.start
    cues = [t for t in nxt.doc[nxt.start : reach] if is_cue(t) and t.idx >= pos]
    return cues[0] if cues else None


def cue_in_lead_in(ctx: Context, start: int, paras: list[tuple[int, int]]) -> Token | None:
    """'X described the aftermath: "..."' or 'X issued a statement. "..."': the sentence before,
    in the same paragraph, introduces the quote that opens this sentence."""
    sent = ctx.sentence_at(start)
    para_start, _ = para_bounds(start, paras)
    if sent.start == 0:
        return None
    prev = ctx.sentence_at(sent.start_char - 1)
    if sent.start_char <= para_start and not prev.text.rstrip().endswith((":", ",")):
        return None  # a new paragraph continues the last one only after 'X stated:'

    cues = [t for t in prev if is_cue(t) and t.dep_ != "relcl"]  # ('an interview during which callers asked')
    opens_sentence = not ctx.article.text[sent.start_char : start].strip(" \"“'`‘")
    if prev.text.rstrip().endswith((":", ",")) or opens_sentence:
        if cues:
            return cues[-1]
        if opens_sentence and any(t.lemma_.lower() in lexicon.words("speech_nouns.txt") for t in prev):
            return prev.root if prev.root.pos_ in ("VERB", "AUX") else None
    return None


def attributing_verb(ctx: Context, start: int, end: int) -> Token | None:
    """Any verb standing where news writing puts the attribution, listed as a speech verb or not:
    right after a quote closed by a comma, '?' or '!' ('"Go back to Univision," Trump barked') or
    right before the comma or colon that opens one ('Hillary shot back, "..."'), with its subject."""
    text, doc = ctx.article.text, ctx.doc
    if text[end - 1 : end] in (",", "?", "!", "—"):
        pos = end + 1
        while pos < len(text) and text[pos] in " \"”'’":
            pos += 1
        after = doc.char_span(pos, min(len(text), pos + 60), alignment_mode="expand")
        for tok in list(after or [])[:4]:
            if tok.is_sent_start and tok.idx > pos or tok.is_punct:
                break
            if tok.pos_ == "VERB" and _named_subject(tok, pos):
                return tok
    pos = start - 1
    while pos > 0 and text[pos - 1] in " \"“'‘`":
        pos -= 1
    if pos > 0 and text[pos - 1] in ",:":
        before = doc.char_span(max(0, pos - 40), pos - 1, alignment_mode="contract")
        words = [t for t in (before or []) if not t.is_space]
        verb = words[-2] if len(words) >= 2 and words[-1].dep_ in ("prt", "advmod") else words[-1] if words else None
        if verb is not None and verb.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children):
            return verb
    return None


def _named_subject(verb: Token, pos: int) -> bool:
    """A nominal subject of the verb right after ``pos`` ('Trump barked'), or after the verb ('barked Trump');
    or a name standing right before it however the parser hung it ('Trump' as a compound of 'barked')."""
    if any(c.dep_ == "nsubj" and c.idx >= pos and c.pos_ in ("PROPN", "NOUN", "PRON") for c in verb.children):
        return True
    before = [t for t in verb.doc[: verb.i] if t.idx >= pos]
    return bool(before) and all(t.pos_ == "PROPN" or t.text == "." for t in before)


def predicate_cue(inside: list[Token], start: int) -> Token | None:
    """'Sarkozy had "asked that all available means ..."': the quote opens with the speech verb of a
    subject named before it."""
    for tok in inside[:3]:
        if is_cue(tok) and tok.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.idx < start for c in tok.children):
            return tok
    return None


def cue_earlier_in_paragraph(ctx: Context, start: int, paras: list[tuple[int, int]],
                              quoted: Intervals) -> Token | None:
    """The last speech verb with a named subject earlier in the quote's paragraph, outside quotes."""
    para_start, _ = para_bounds(start, paras)
    before = ctx.doc.char_span(para_start, start, alignment_mode="contract")
    if before is None:
        return None
    for tok in reversed(before):
        if is_cue(tok) and tok.pos_ == "VERB" and tok.idx not in quoted:
            subj = subject_of(tok)
            if subj is not None and (subj.pos_ == "PROPN" or ctx.entity_at(subj)):
                return tok
    return None
