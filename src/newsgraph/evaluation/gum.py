"""GUM news (CoNLL-U with CorefUD entity brackets): entity detection/typing and person coreference.

Named mentions (a gold mention of type person, place or organization that
contains a proper noun) are matched to our entity mentions by overlap and
type. Coreference is scored over person chains with MUC and B³, predicted
mentions aligned to gold mentions by overlap (details in docs/evaluation.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.evaluation.matching import greedy_match, prf
from newsgraph.record import Article, Record

GUM_TO_OURS = {"person": "person", "place": "place", "organization": "organization"}
OURS_TO_GUM = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization"}
_BRACKET = re.compile(r"\((?P<single>\d+)-(?P<stype>[a-z]+)[^()]*\)|\((?P<open>\d+)-(?P<otype>[a-z]+)[^()]*"
                      r"|(?P<close>\d+)\)")


@dataclass
class GoldMention:
    chain: str
    type: str
    start: int  # character offsets into the rebuilt text
    end: int
    proper: bool


@dataclass
class GumDoc:
    name: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


def read_conllu(path: Path) -> GumDoc:
    parts: list[str] = []
    pos = 0
    open_stack: dict[str, list[tuple[str, int, bool]]] = {}
    mentions: list[GoldMention] = []
    sentence_started = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") and not line.startswith("# newpar_"):
            if parts:
                parts.append("\n\n")
                pos += 2
            sentence_started = False
            continue
        if not line or line.startswith("#"):
            if not line and sentence_started and parts and parts[-1] not in (" ", "\n\n"):
                parts.append(" ")
                pos += 1
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        sentence_started = True
        form, upos, misc = cols[1], cols[3], cols[9]
        start = pos
        parts.append(form)
        pos += len(form)
        entity = next((m[7:] for m in misc.split("|") if m.startswith("Entity=")), "")
        for m in _BRACKET.finditer(entity):
            if m["single"]:
                mentions.append(GoldMention(m["single"], m["stype"], start, pos, upos == "PROPN"))
            elif m["open"]:
                open_stack.setdefault(m["open"], []).append((m["otype"], start, False))
        for stack in open_stack.values():
            if stack and upos == "PROPN":
                stack[-1] = (stack[-1][0], stack[-1][1], True)
        for m in _BRACKET.finditer(entity):
            if m["close"] and open_stack.get(m["close"]):
                etype, s0, proper = open_stack[m["close"]].pop()
                mentions.append(GoldMention(m["close"], etype, s0, pos, proper))
        if "SpaceAfter=No" not in misc:
            parts.append(" ")
            pos += 1
    text = "".join(parts)
    return GumDoc(path.stem, text, mentions)


def _named(doc: GumDoc) -> list[GoldMention]:
    return [m for m in doc.mentions if m.type in GUM_TO_OURS and m.proper]


def _predicted_named(record: Record) -> list[tuple[str, int, int, str]]:
    out = []
    for e in record.entities:
        if e.type in OURS_TO_GUM:
            for m in e.mentions:
                if m.text[:1].isupper():  # named mentions only (not pronouns or 'the president')
                    out.append((OURS_TO_GUM[e.type], m.start, m.end, e.id))
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> float:
    inter = min(a1, b1) - max(a0, b0)
    return inter / max(1, max(a1, b1) - min(a0, b0)) if inter > 0 else 0.0


def entity_scores(docs: list[GumDoc], records: list[Record]) -> dict[str, float]:
    tp_typed = tp_any = n_gold = n_pred = 0
    for doc, record in zip(docs, records, strict=True):
        gold = _named(doc)
        pred = _predicted_named(record)
        n_gold += len(gold)
        n_pred += len(pred)
        any_pairs = greedy_match(gold, pred, lambda g, p: _overlap(g.start, g.end, p[1], p[2]), 0.01)
        typed = greedy_match(gold, pred, lambda g, p: _overlap(g.start, g.end, p[1], p[2]) * (g.type == p[0]),
                             0.01)
        tp_any += len(any_pairs)
        tp_typed += len(typed)
    typed = prf(tp_typed, n_pred, n_gold)
    untyped = prf(tp_any, n_pred, n_gold)
    return {**{f"entities.{k}": v for k, v in typed.items()},
            "entities.untyped_f1": untyped["f1"], "entities.gold": n_gold}


def coref_scores(docs: list[GumDoc], records: list[Record]) -> dict[str, float]:
    muc_num_r = muc_den_r = muc_num_p = muc_den_p = 0
    b3_p = b3_r = 0.0
    n = 0
    for doc, record in zip(docs, records, strict=True):
        gold_chains: dict[str, list[int]] = {}
        persons = [m for m in doc.mentions if m.type == "person"]
        for k, m in enumerate(persons):
            gold_chains.setdefault(m.chain, []).append(k)
        pred_of: dict[int, str] = {}
        pred_mentions = [(e.id, m.start, m.end) for e in record.entities if e.type == "PERSON" for m in e.mentions]
        pairs = greedy_match(persons, pred_mentions, lambda g, p: _head_overlap(g, p), 0.01)
        for gi, pj, _ in pairs:
            pred_of[gi] = pred_mentions[pj][0]
        gold_of = {k: m.chain for k, m in enumerate(persons)}
        pred_clusters: dict[str, list[int]] = {}
        for k in range(len(persons)):
            pred_clusters.setdefault(pred_of.get(k, f"single{k}"), []).append(k)
        # MUC
        for chain in gold_chains.values():
            partitions = {pred_of.get(k, f"single{k}") for k in chain}
            muc_num_r += len(chain) - len(partitions)
            muc_den_r += len(chain) - 1
        for key, cluster in pred_clusters.items():
            if key.startswith("single"):
                continue
            partitions = {gold_of[k] for k in cluster}
            muc_num_p += len(cluster) - len(partitions)
            muc_den_p += len(cluster) - 1
        # B³ over gold person mentions
        for k in range(len(persons)):
            g = set(gold_chains[gold_of[k]])
            p = set(pred_clusters[pred_of.get(k, f"single{k}")])
            b3_p += len(g & p) / len(p)
            b3_r += len(g & p) / len(g)
            n += 1
    muc = _f(muc_num_p / muc_den_p if muc_den_p else 0.0, muc_num_r / muc_den_r if muc_den_r else 0.0)
    b3 = _f(b3_p / n if n else 0.0, b3_r / n if n else 0.0)
    return {"coref.muc_precision": muc[0], "coref.muc_recall": muc[1], "coref.muc_f1": muc[2],
            "coref.b3_precision": b3[0], "coref.b3_recall": b3[1], "coref.b3_f1": b3[2]}


def _head_overlap(g: GoldMention, p: tuple[str, int, int]) -> float:
    """Predicted mention inside the gold one, ending where it ends scores best."""
    ov = _overlap(g.start, g.end, p[1], p[2])
    return ov + (1.0 if ov and p[2] == g.end else 0.0)


def _f(p: float, r: float) -> tuple[float, float, float]:
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def run(folder: Path, with_baselines: bool):
    files = sorted(folder.glob("GUM_news_*.conllu"))
    if not files:
        return {"skipped": f"{folder}/GUM_news_*.conllu not found"}, None, []
    from newsgraph.pipeline import Pipeline

    docs = [read_conllu(f) for f in files]
    articles = [Article(id=d.name, text=d.text) for d in docs]
    records = list(Pipeline().process_many(articles))
    metrics = {**entity_scores(docs, records), **coref_scores(docs, records), "documents": len(docs)}
    baseline = None
    if with_baselines:
        from newsgraph.evaluation.baselines import spacy_ner_records

        base = spacy_ner_records(articles)
        baseline = {**entity_scores(docs, base), **coref_scores(docs, base)}
    return metrics, baseline, []
