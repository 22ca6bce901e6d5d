"""Phrases that name where words came from: 'according to X', 'in the words of X'
(data/source_phrases.txt), 'quoting X', 'telling X', and the author of a statement ('a statement
issued by the President's office' speaks for the office)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from spacy.tokens import Span, Token

from newsgraph import lexicon
from newsgraph.pipeline.syntax import SUBJECT_DEPS
from newsgraph.pipeline.vocabulary import role_heads


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


_LINE_BREAKERS = ("-", "–", "—", "|", "•")


def name_before_colon(doc, mark: int, known: Callable[[Token], bool] = lambda _: False) -> Span | None:
    """'Clinton: "Our goal is ..."', '- Michael P. McDonald: "At long last ..."', 'Hannity interjected: "So
    ..."': the name before a colon right before the quote's opening mark (token ``mark``), opening its
    line, its sentence or a stretch after a dash, or the subject of the verb before the colon, is the
    speaker. ``known``: whether the article's entities hold a token (the model tags a lone 'Trump'
    before a colon as a common noun)."""
    colon = mark - 1
    while colon > 0 and doc[colon].is_space:
        colon -= 1
    if colon < 1 or doc[colon].text != ":":
        return None
    name = doc[colon - 1]
    if name.pos_ == "VERB":
        subj = next((c for c in name.children if c.dep_ in SUBJECT_DEPS), None)
        return doc[subj.left_edge.i : subj.i + 1] if subj is not None and subj.i < name.i else None
    if name.pos_ != "PROPN" and name.ent_type_ not in ("PERSON", "ORG") and not known(name):
        return None
    first = name
    while first.i > 0 and (doc[first.i - 1].pos_ == "PROPN" or doc[first.i - 1].text == "."
                           and doc[first.i - 2].pos_ == "PROPN"):
        first = doc[first.i - 1]
    before = doc[first.i - 1] if first.i > 0 else None
    opens = before is None or first.is_sent_start or "\n" in before.whitespace_ or before.is_space \
        or before.text in _LINE_BREAKERS
    return doc[first.i : name.i + 1] if opens else None


def post_posed_speaker(verb: Token) -> Token | None:
    """'"...," added another New Hampshire Republican', '"...," said the minister': with no subject, the
    parser makes the speaker after a speech verb its object (not after 'tell', whose object listens)."""
    if verb.lemma_.lower() == "tell" or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    return next((c for c in verb.children if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > verb.i
                 and c.ent_type_ not in ("DATE", "TIME")  # ('said Wednesday, "..."')
                 and (c.pos_ == "PROPN" or c.lemma_.lower() in role_heads())), None)
