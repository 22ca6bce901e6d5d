"""CoNLL-2003 (eng.testa, the development split): names of people, organizations and places.

A document at a time, its sentences one per line (the first, the headline, a paragraph of its own),
tokens joined as a writer would (no space before closing punctuation or a clitic), so the pipeline
reads something close to the article. Scored by exact character span and type, micro-averaged
over PER, ORG and LOC (MISC has no counterpart in the record): PERSON -> PER, ORG -> ORG,
GPE/LOC/FAC -> LOC. Only name mentions count: a pronoun or a description ('the minister') that
coreference added to an entity is not a CoNLL name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.evaluation.matching import prf
from newsgraph.evaluation.records import extract_all
from newsgraph.record import Article, Record

OURS_TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TYPES = ("PER", "ORG", "LOC")
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "'s", "'", "n't", "%", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "$"}
_NOT_NAMES = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "it", "its", "we", "i", "you"}


@dataclass
class ConllDoc:
    name: str
    text: str = ""
    entities: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, PER/ORG/LOC)


def read_conll(path: Path) -> list[ConllDoc]:
    """Documents of a CoNLL-2003 file (`token POS chunk tag`, IOB1, -DOCSTART- between documents)."""
    docs: list[ConllDoc] = []
    sentences: list[list[tuple[str, str]]] = [[]]

    def close_document() -> None:
        done = [s for s in sentences if s]
        if done:
            docs.append(_build(f"conll-{len(docs) + 1:03d}", done))
        sentences.clear()
        sentences.append([])

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            close_document()
        elif not line.strip():
            sentences.append([])
        else:
            cols = line.split()
            sentences[-1].append((cols[0], cols[-1]))
    close_document()
    return docs


def _build(name: str, sentences: list[list[tuple[str, str]]]) -> ConllDoc:
    doc = ConllDoc(name)
    parts: list[str] = []
    pos = 0
    for n, sentence in enumerate(sentences):
        if n:
            sep = "\n\n" if n == 1 else "\n"  # the headline is a paragraph of its own
            parts.append(sep)
            pos += len(sep)
        open_entity: tuple[int, str] | None = None
        previous, last_end = "", pos
        for k, (token, tag) in enumerate(sentence):
            if k and token not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
                parts.append(" ")
                pos += 1
            kind = tag[2:] if tag != "O" else ""
            if open_entity and (kind != open_entity[1] or tag.startswith("B-")):
                doc.entities.append((open_entity[0], last_end, open_entity[1]))
                open_entity = None
            if kind and open_entity is None:
                open_entity = (pos, kind)
            parts.append(token)
            pos += len(token)
            last_end = pos
            previous = token
        if open_entity:
            doc.entities.append((open_entity[0], last_end, open_entity[1]))
    doc.text = "".join(parts)
    doc.entities = [e for e in doc.entities if e[2] in TYPES]
    return doc


def predicted_names(record: Record) -> set[tuple[int, int, str]]:
    """(start, end, CoNLL type) of every name mention in a record."""
    out = set()
    for e in record.entities:
        kind = OURS_TO_CONLL.get(e.type)
        if kind is None:
            continue
        for m in e.mentions:
            words = m.text.split()
            if not words or not m.text[:1].isupper() or m.text.lower() in _NOT_NAMES \
                    or words[0].lower() in ("the", "a", "an") and len(words) > 1 and words[1][:1].islower():
                continue
            out.add((m.start, m.end, kind))
    return out


def score(docs: list[ConllDoc], records: list[Record]) -> tuple[dict[str, float], list[dict]]:
    hits, predicted, gold = Counter(), Counter(), Counter()
    misses: list[dict] = []
    for doc, record in zip(docs, records, strict=True):
        ours = predicted_names(record)
        theirs = set(doc.entities)
        for kind in TYPES:
            hits[kind] += len({x for x in ours & theirs if x[2] == kind})
            predicted[kind] += sum(1 for x in ours if x[2] == kind)
            gold[kind] += sum(1 for x in theirs if x[2] == kind)
        for s, e, kind in sorted(theirs - ours):
            misses.append({"doc": doc.name, "missed": doc.text[s:e], "type": kind})
        for s, e, kind in sorted(ours - theirs):
            misses.append({"doc": doc.name, "spurious": doc.text[s:e], "type": kind})
    metrics: dict[str, float] = {}
    total = prf(sum(hits.values()), sum(predicted.values()), sum(gold.values()))
    metrics.update({f"names.{k}": v for k, v in total.items()})
    for kind in TYPES:
        metrics[f"names.{kind}.f1"] = prf(hits[kind], predicted[kind], gold[kind])["f1"]
    metrics["names.gold"] = sum(gold.values())
    return metrics, misses


def run(folder: Path, with_baselines: bool):
    path = folder / "eng.testa"
    if not path.exists():
        return {"skipped": f"{path} not found"}, None, []
    docs = read_conll(path)
    articles = [Article(id=d.name, text=d.text) for d in docs]
    records, failure = extract_all(articles, "documents")
    if failure:
        return {"skipped": failure}, None, []
    metrics, misses = score(docs, records)
    metrics["documents"] = len(docs)
    baseline = None
    if with_baselines:
        from newsgraph.evaluation.baselines import spacy_ner_records

        baseline, _ = score(docs, spacy_ner_records(articles))
    return metrics, baseline, misses
