"""Teams: in a sports report a place's name often names its team ('Leicestershire beat Somerset by
an innings', 'San Diego 3 NEW YORK 2', 'NEW YORK 74 59 .556', 'CHICAGO AT TORONTO'). Such a GPE or
LOC becomes an ORG, and so do its other mentions in the article (one name, one sense per article);
a country stays a place, as its national side is reported under its name ('Australia beat England').

A place is a team when it is the subject or object of a competition verb in a sentence that has a
sports word or a score (data/competition.json), when a score follows it in a line of results (a line
where numbers are a good share of the words, the number not a date), or when it stands on either
side of 'at' / 'v' in a line of fixtures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from newsgraph import lexicon
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.vocabulary import mention_key

PLACE_TYPES = ("GPE", "LOC")
_SCORE = re.compile(r"^\d+(?:[-–]\d+)?$|^\.\d{3}$")  # '3', '108-3', '.556'
_NUMBER_SHARE = 0.3  # of a line's words, for it to be a line of results


@cache
def _table() -> dict:
    return lexicon.table("competition.json")


def team_spans(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The spans, with places that name teams (and their other mentions) made ORG."""
    places = [(s, e) for s, e, label in spans if label in PLACE_TYPES]
    if not places:
        return spans
    lines = _Lines(doc)
    teams = {mention_key(doc[s:e].text) for s, e in places
             if not _is_country(doc[s:e].text) and _is_team(doc, s, e, lines)}
    if not teams:
        return spans
    return [(s, e, "ORG") if label in PLACE_TYPES and mention_key(doc[s:e].text) in teams else (s, e, label)
            for s, e, label in spans]


@dataclass
class _Line:
    tokens: int = 0  # not counting spaces
    words: int = 0  # not counting punctuation either
    scores: int = 0
    has_verb: bool = False


class _Lines:
    """Each token's line and what each line holds, counted in one pass over the document (asking
    each candidate name for its line walked the line again, per name)."""

    def __init__(self, doc: Doc) -> None:
        self.line_of: list[int] = []
        self.lines: list[_Line] = [_Line()]
        for tok in doc:
            if tok.i and ("\n" in doc[tok.i - 1].whitespace_ or "\n" in doc[tok.i - 1].text or "\n" in tok.text):
                self.lines.append(_Line())
            self.line_of.append(len(self.lines) - 1)
            if tok.is_space:
                continue
            line = self.lines[-1]
            line.tokens += 1
            line.has_verb = line.has_verb or tok.pos_ == "VERB"
            if not tok.is_punct:
                line.words += 1
                line.scores += _is_score(tok)

    def of(self, i: int) -> _Line:
        return self.lines[self.line_of[i]]


def _is_country(name: str) -> bool:
    """A country's team is reported as the country ('Australia beat England'): it stays a place."""
    return any(c.kind == "country" for c in gazetteer().candidates(name))


def _is_team(doc: Doc, s: int, e: int, lines: _Lines) -> bool:
    return _competes(doc[s:e]) or _in_results(doc, s, e, lines) or _in_fixtures(doc, s, e, lines)


def _competes(span: Span) -> bool:
    """'Leicestershire beat Somerset by an innings': subject or object of a competition verb, in a
    sentence about sport."""
    root = span.root
    verb = root.head
    if root.dep_ == "pobj" and verb.lower_ in ("to", "with", "against", "over", "by"):
        verb = verb.head  # 'lost to Kent', 'drew with Essex', 'a win over Surrey'
    elif root.dep_ not in ("nsubj", "dobj", "nsubjpass", "conj", "appos"):
        return False
    if root.dep_ in ("conj", "appos"):  # 'Essex, Derbyshire and Surrey all closed in'
        first = root
        while first.dep_ in ("conj", "appos") and first.head.i != first.i:
            first = first.head
        verb = first.head if first.dep_ in ("nsubj", "dobj") else None
        if verb is None:
            return False
    return verb.lemma_.lower() in _table()["verbs"] and _about_sport(span.sent)


@cache
def _sports_words() -> frozenset[str]:
    return frozenset(_table()["words"])


def _about_sport(sent: Span) -> bool:
    words = _sports_words()
    return any(t.lower_ in words or t.lemma_.lower() in words or (_SCORE.match(t.text) and "-" in t.text)
               for t in sent)


def _is_score(tok: Token) -> bool:
    # (the model tags standings' numbers as dates: a year is what is no score, not a DATE tag)
    return bool(_SCORE.match(tok.text)) and not (len(tok.text) == 4 and tok.text.isdigit())


def _in_results(doc: Doc, s: int, e: int, lines: _Lines) -> bool:
    """'Lotte 6 Hyundai 2', 'NEW YORK 74 59 .556 -', 'Kent 108-3': a score right after the name, in a
    line made largely of numbers."""
    if e >= len(doc) or not _is_score(doc[e]):
        return False
    line = lines.of(s)
    return line.words > 0 and line.scores >= _NUMBER_SHARE * line.words


def _in_fixtures(doc: Doc, s: int, e: int, lines: _Lines) -> bool:
    """'CHICAGO AT TORONTO', 'v Somerset (four days)': a short line of names around 'at' or 'v'."""
    fixture = _table()["fixture_words"]
    before = doc[s - 1] if s > 0 else None
    after = doc[e] if e < len(doc) else None
    beside = (before is not None and before.lower_ in fixture) or (after is not None and after.lower_ in fixture)
    if not beside:
        return False
    line = lines.of(s)
    return line.tokens <= 12 and not line.has_verb
