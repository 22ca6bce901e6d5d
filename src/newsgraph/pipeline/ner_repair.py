"""NER repair: spaCy's entities of our types, trimmed (determiners, titles, a headline's
'Says'), then the repairs of ner_places and ner_people in order. The result is the list of
(start token, end token, type) spans the entities stage groups."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from newsgraph import lexicon
from newsgraph.pipeline.intervals import Intervals
from newsgraph.pipeline.ner_people import (
    headline_speech_verb,
    is_name_modifier,
    not_people,
    people_after_roles,
    people_in_lists,
    people_with_role_appositives,
    relabel_surnames,
    repair_people,
    signatures,
    untagged_people,
    untagged_surnames,
)
from newsgraph.pipeline.ner_places import area_spans, dateline_spans, outlet_spans, relabel_places
from newsgraph.pipeline.ner_teams import team_spans
from newsgraph.pipeline.vocabulary import given_names, role_heads

_SCORE = re.compile(r"^\d+[-–]\d+$")
OUR_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}


def candidate_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """(start token, end token, type) for every entity mention, repaired."""
    spans: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ in OUR_TYPES:
            fixed = _trim(ent)
            if fixed is not None:
                spans.append(fixed)
    forced = outlet_spans(doc) + area_spans(doc) + dateline_spans(doc)
    spans = _not_overlapping(spans, forced) + forced
    spans += _not_overlapping(untagged_people(doc), spans)
    spans = people_after_roles(doc, spans)
    spans = people_with_role_appositives(doc, spans)
    spans = people_in_lists(doc, spans)
    spans = relabel_places(doc, spans)
    spans = team_spans(doc, spans)
    spans = repair_people(doc, spans)
    spans = not_people(doc, spans)
    spans = coordinated_names(doc, spans)
    spans = organization_names_again(doc, spans)
    spans = relabel_surnames(doc, spans)
    spans = untagged_surnames(doc, spans)
    signed = signatures(doc)
    spans = _not_overlapping(spans, signed) + signed
    return sorted(set(s for s in spans if not is_name_modifier(doc, s)))


def _not_overlapping(spans: list[tuple[int, int, str]], taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    held = Intervals(taken)
    return [s for s in spans if not held.overlaps(s[0], s[1])]


def _trim(ent: Span) -> tuple[int, int, str] | None:
    start, end = ent.start, ent.end
    doc = ent.doc
    for tok in ent:  # 'World Health Organisation (WHO': the parenthesis is another mention
        if tok.text == "(" and tok.i > start:
            end = tok.i
            break
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while ent.label_ == "PERSON" and end - start > 1 and headline_speech_verb(doc[end - 1]):
        end -= 1  # a headline's 'Obama Says African-American Museum ...' (not 'United States')
    # 'Chelsea 2-1', 'J. Ratcliffe 63': a score (or a person's age) after a name is not part of it
    if end - start > 3 and doc[end - 1].is_digit and doc[end - 2].text in ("-", "–") and doc[end - 3].is_digit:
        end -= 3
    while end - start > 1 and (_SCORE.match(doc[end - 1].text) or ent.label_ == "PERSON"
                               and doc[end - 1].text[:1].isdigit()):
        end -= 1
    if ent.label_ == "PERSON":  # "Governor Jane Okafor": the title is a role, not the name
        while end - start > 1 and (doc[start].lower_ in role_heads() or doc[start].pos_ == "ADJ"
                                   and doc[start].lower_ not in given_names()):
            start += 1
        # "Wong Yeung-tat": the model stops at the hyphen of a given name
        while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].is_alpha:
            end += 2
    if start >= end or not any(any(c.isalpha() for c in t.text) for t in doc[start:end]):
        return None  # (a name needs letters; 'Secunia.com' is not all letters but is a name)
    return start, end, ent.label_


def coordinated_names(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Party of Action and Solidarity': an organization named 'X of A and B', which the parser splits at
    'and', is one name when B is one common English word (an abstract noun: Solidarity, Justice,
    Development) ending the phrase. 'the Union of Right Forces and Yabloko' stays two: Yabloko is no
    English word."""
    from wordfreq import zipf_frequency

    org_words = lexicon.words("org_words.txt")
    by_start = {s: (s, e, label) for s, e, label in spans}
    out, merged = [], set()
    for s, e, label in sorted(spans):
        if (s, e, label) in merged:
            continue
        # the 'and' between the parts, or (as the model also cuts it) at the end of the first part
        inner = e - 1 if e - s > 2 and doc[e - 1].lower_ == "and" else e
        nxt = by_start.get(inner + 1)
        if (label == "ORG" and nxt is not None and nxt[1] - nxt[0] == 1 and inner + 1 < len(doc)
                and doc[inner].lower_ == "and" and any(t.lower_ == "of" for t in doc[s:inner])
                and any(t.lower_ in org_words for t in doc[s:inner]) and doc[inner + 1].is_title
                and zipf_frequency(doc[inner + 1].lower_, "en") >= 3.0
                and (nxt[1] >= len(doc) or not doc[nxt[1]].is_title)):
            out.append((s, nxt[1], "ORG"))
            merged.add(nxt)
        else:
            out.append((s, e, label))
    return out


def organization_names_again(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Law and Justice leader Jaroslaw Kaczynski' after 'the Law and Justice party': the model's
    'Law' (a person) where the words there spell an organization the article names is that
    organization again. The organization's own words decide, not a list of names."""
    # the words as written: 'a North Philadelphia home' is no 'North Philadelphia Home' organization
    orgs = {tuple(t.text for t in doc[s:e]) for s, e, label in spans if label == "ORG" and e - s > 1}
    org_words = lexicon.words("org_words.txt")  # 'the Law and Justice party' is also written without 'party'
    orgs |= {words[:-1] for words in orgs if len(words) > 2 and words[-1].lower() in org_words}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in orgs:  # looked up by first word: a text of thousands of names stays linear
        by_first.setdefault(words[0], []).append(words)
    out, grown = [], []
    for s, e, label in spans:
        if label in ("PERSON", "GPE", "NORP"):
            longest = max((len(words) for words in by_first.get(doc[s].text, ()) if len(words) > e - s
                           and tuple(t.text for t in doc[s:s + len(words)]) == words), default=0)
            if longest and not any(x != (s, e, label) and x[0] < s + longest and s < x[1] and x[2] == "PERSON"
                                   and x[0] >= e for x in spans):
                grown.append((s, s + longest, "ORG"))
                continue
        out.append((s, e, label))
    kept: list[tuple[int, int, str]] = []
    for g in sorted(grown):  # two mentions that grew into one name are that name once
        if not kept or g[0] >= kept[-1][1]:
            kept.append(g)
    # the spans a grown name now covers ('Justice' inside 'Law and Justice') give way to it
    return [x for x in out if not any(x[0] < g[1] and g[0] < x[1] for g in kept)] + kept

