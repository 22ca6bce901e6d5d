"""Dependency-parse helpers several stages share: the subject of a verb (inherited through
governing verbs, a relative pronoun's antecedent), a phrase with or without its modifiers, and
the tokens inside a character span."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsgraph import lexicon

SUBJECT_DEPS = ("nsubj", "nsubjpass")


_CHAIN_DEPS = ("advcl", "xcomp", "conj", "acl", "pcomp", "prep", "ccomp", "acomp")


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, inherited from governing verbs ('..., stating that' -> stressed's subject)."""
    subj = _subject_as_written(verb)
    return _referent(subj) if subj is not None else None


def subject_words(verb: Token) -> tuple[int, int] | None:
    """Characters of the words naming the verb's subject; for a relative pronoun, from its antecedent
    through the pronoun ('Gov. Mike Pence, who'), both of which name the speaker."""
    subj = _subject_as_written(verb)
    if subj is None:
        return None
    referent = _referent(subj)
    start, end = words_span(referent)
    if _is_relative(subj) and referent.i < subj.i:
        end = subj.idx + len(subj.text)
    return start, end


def _is_relative(tok: Token) -> bool:
    return tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl"


def _subject_as_written(verb: Token) -> Token | None:
    tok: Token | None = verb
    for _ in range(6):
        if tok is None:
            return None
        subj = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if subj:  # "Malaysia's Prime Minister, Najib Razak said": two subjects, the name nearest the verb
            names = [c for c in subj if c.pos_ == "PROPN"]
            return (names or subj)[-1]
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agent:
            return agent[0]
        glued = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == tok.i - 1]
        if glued and tok.pos_ == "VERB":
            return glued[0]  # '"...," Trump barked': the parser made the name a compound of the verb
        if tok.dep_ in _CHAIN_DEPS and tok.head.i != tok.i or _authored_by_head(tok):
            tok = tok.head
        else:
            return None
    return None


def _authored_by_head(tok: Token) -> bool:
    """'She released a statement saying ...': a statement issued by the verb's subject speaks for it."""
    return tok.dep_ == "dobj" and tok.lemma_.lower() in lexicon.words("speech_nouns.txt") \
        and tok.head.lemma_.lower() in lexicon.words("authorship_verbs.txt")


def _referent(subj: Token) -> Token:
    """What a subject stands for: a relative pronoun's antecedent ('Devocht, who had told him he would
    help'), the one named example of a plural ('other sites such as Gawker.com have stated')."""
    if _is_relative(subj):
        return subj.head.head
    if subj.tag_ in ("NNS", "NNPS"):
        for prep in (c for c in subj.children if c.dep_ == "prep"):
            example = next((g for g in prep.children if g.dep_ == "pobj" and g.pos_ == "PROPN"), None)
            if example is not None and _names_examples(prep):
                return example
    return subj


def _names_examples(prep: Token) -> bool:
    """'such as', 'including', 'like': the phrase gives examples of the noun before it."""
    return prep.lower_ in ("including", "like") or (
        prep.lower_ == "as" and any(c.lower_ == "such" for c in prep.children))


def core_tokens(tok: Token) -> list[Token]:
    """A phrase without its prepositional and clausal modifiers ('local media [in Ryazan]')."""
    return phrase_without(tok, ("prep", "relcl", "acl", "advcl", "punct", "cc"))


def phrase_without(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    """A token and its subtree, leaving out the children (and their subtrees) attached by ``deps``."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in deps:
            out.extend(phrase_without(c, deps))
    return out


def without_conjuncts(tok: Token) -> list[Token]:
    return phrase_without(tok, ("conj", "cc", "relcl", "acl", "punct", "preconj"))


def name_phrase(tok: Token) -> str:
    """A phrase without its determiner, clauses and prepositional tails: 'the Saudi Interior Ministry'."""
    keep = sorted(without_conjuncts(tok), key=lambda t: t.i)
    keep = [t for t in keep if not t.is_punct and t.dep_ not in ("det", "poss", "case", "advmod", "prep", "pobj")
            or t.i == tok.i]
    if not keep:
        return tok.text
    return tok.doc[keep[0].i : keep[-1].i + 1].text


def words_span(tok: Token) -> tuple[int, int]:
    """Characters of the words a phrase names its referent with: from its leftmost modifier to its head
    ('another New Hampshire Democrat', 'the senator', 'she'), without what follows the head."""
    first = tok.left_edge
    while first.i < tok.i and (first.is_punct or first.is_space):
        first = tok.doc[first.i + 1]
    return first.idx, tok.idx + len(tok.text)


def trimmed_span(toks: list[Token], min_tokens: int = 1) -> tuple[int, int] | None:
    """Character offsets of a run of tokens without spaces and outer punctuation (a closing quote
    mark stays); None when fewer than ``min_tokens`` are left."""
    toks = [t for t in toks if not t.is_space]
    while toks and toks[0].is_punct:
        toks.pop(0)
    while toks and toks[-1].is_punct and toks[-1].text not in ('"', "”"):
        toks.pop()
    if len(toks) < max(1, min_tokens):
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def phrase_text(tok: Token) -> str:
    words = [t for t in tok.subtree if not t.is_punct]
    while words and words[0].pos_ == "DET":
        words.pop(0)
    if not words:
        return tok.text
    return tok.doc[words[0].i : words[-1].i + 1].text


def tokens_inside(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def in_subject(tok: Token) -> bool:
    """Whether a name's token is (part of) a clause subject."""
    while tok.dep_ in ("compound", "flat", "amod") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")
