"""Baselines scored beside newsgraph in the same run, with the same matching rules.

- spaCy's bare NER (same model, no newsgraph stages): persons and places, mentions grouped by
  identical strings.
- textacy's ``direct_quotations`` (when textacy is installed: ``pip install newsgraph[eval]``).
- trafilatura's default extraction, for article bodies.
"""

from __future__ import annotations

from functools import cache

import spacy

from newsgraph.pipeline.parse import MODEL
from newsgraph.record import Article, Entity, Mention, Place, Quote, Record

TYPES = {"PERSON": "PERSON", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC", "ORG": "ORG", "NORP": "NORP"}


@cache
def bare_nlp():
    return spacy.load(MODEL)


def spacy_ner_records(articles: list[Article]) -> list[Record]:
    """Baseline records: bare spaCy NER entities, plus textacy's direct quotations when installed."""
    out = []
    with_quotes = textacy_available()
    for doc, article in bare_nlp().pipe(((a.text, a) for a in articles), as_tuples=True):
        record = ner_record(doc, article)
        if with_quotes:
            record.quotes = textacy_quotes(doc)
        out.append(record)
    return out


def ner_record(doc, article: Article) -> Record:
    groups: dict[tuple[str, str], Entity] = {}
    for ent in doc.ents:
        if ent.label_ not in TYPES:
            continue
        key = (ent.label_, ent.text)
        if key not in groups:
            groups[key] = Entity(id=f"e{len(groups) + 1}", name=ent.text, type=TYPES[ent.label_])
        groups[key].mentions.append(Mention(start=ent.start_char, end=ent.end_char, text=ent.text))
    entities = list(groups.values())
    places = [Place(entity_id=e.id, name=e.name) for e in entities if e.type in ("GPE", "LOC", "FAC")]
    return Record(article=article, entities=entities, places=places)


def textacy_available() -> bool:
    try:
        import textacy.extract  # noqa: F401
    except ImportError:
        return False
    return True


def textacy_direct(doc) -> list:
    """textacy refuses a whole document with an odd number of quote marks; that counts as no quotes."""
    from textacy.extract.triples import direct_quotations

    try:
        return list(direct_quotations(doc))
    except ValueError:
        return []


def textacy_quotes(doc) -> list[Quote]:
    """textacy's direct quotations on a spaCy doc, as our Quote objects (speaker = its speaker span)."""
    out = []
    for dq in textacy_direct(doc):
        content = dq.content
        start, end = content.start_char, content.end_char
        text = doc.text[start:end].strip("\"“”'‘’ ")
        speaker = " ".join(t.text for t in dq.speaker) if dq.speaker else None
        out.append(Quote(text=text, start=start, end=end, direct=True, speaker=speaker,
                         cue=" ".join(t.text for t in dq.cue) if dq.cue else None))
    return out
