"""Phrases that name where words came from: 'according to X', 'in the words of X'
(data/source_phrases.txt), 'quoting X', 'telling X', and the author of a statement ('a statement
issued by the President's office' speaks for the office)."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span, Token

from newsgraph import lexicon
from newsgraph.pipeline.syntax import SUBJECT_DEPS


@cache
def _source_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in lexicon.phrases("source_phrases.txt"))


def author_of_statement(tok: Token) -> Token:
    """'a statement issued by President Sarkozy's office' -> the office (a statement speaks for its author)."""
    if tok.lemma_.lower() not in lexicon.words("speech_nouns.txt"):
        return tok
    for t in tok.subtree:
        if t.dep_ in ("agent", "prep") and t.lower_ == "by" and (
                t.head.lemma_.lower() in lexicon.words("authorship_verbs.txt") or t.head.i == tok.i):
            obj = next((g for g in t.children if g.dep_ == "pobj"), None)
            if obj is not None:  # 'issued by X' (not 'seen by Sky News')
                return obj
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:  # 'the Home Office letter'
        owner = next((c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    return owner if owner is not None else tok


def according_to(sent: Span) -> Token | None:
    """The X of 'according to X', 'in the words of X' in a sentence: the first name after the phrase."""
    doc = sent.doc
    words = [t.lower_ for t in sent]
    for phrase in _source_phrases():
        n = len(phrase)
        for k in range(len(words) - n):
            if tuple(words[k : k + n]) == phrase:
                after = sent[k + n :]
                # 'according to curator Elaine Gustafon': the parse may give 'to' two objects; the name wins
                # ('According to Rathbun the property was ...': the parse may make the name a verb, pcomp)
                objects = [t for t in after if t.head.i == sent[k + n - 1].i and (
                    t.dep_ == "pobj" or t.dep_ == "pcomp" and t.text[:1].isupper())]
                found = next((t for t in objects if t.pos_ == "PROPN"), objects[0] if objects else None)
                if found is None:
                    found = next((t for t in after if t.dep_ == "pobj"), after[0] if len(after) else None)
                return author_of_statement(found) if found is not None and doc else None
    return None


def relayed_source(sent: Span) -> Token | None:
    """The object of a subjectless 'quoting'/'citing' in the sentence: whose words are passed on."""
    for tok in sent:
        if tok.lemma_.lower() in ("quote", "cite") and tok.tag_ == "VBG" \
                and not any(c.dep_ in SUBJECT_DEPS for c in tok.children):
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
    return None


def told_to(verb: Token) -> Token | None:
    """'telling Argumenty i Fakty' / 'told Reuters': the addressee of a telling verb in the sentence."""
    for tok in verb.sent:
        if tok.lemma_ == "tell":
            for c in tok.children:
                if c.dep_ in ("dobj", "dative", "iobj"):
                    return c
    return None


def source_in(sents: list[Span]) -> Token | None:
    return next((acc for sent in sents if (acc := according_to(sent)) is not None), None)
