"""PolNeAR attributions (BRAT standoff): content-span overlap and source-span match.

Per article the first .ann file in sort order is the gold. A predicted quote
matches a gold attribution when their contents share at least half their words
(token-overlap F1 >= 0.5, the same rule as for reported speech). The source
matches when a mention of the predicted speaker overlaps the gold source span
(or both have no source). Scored for the direct-quote subset (gold content
opening with a quote mark, against direct quotes) and for all attributions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.evaluation.matching import REPORTED_MIN_F1, greedy_match, overlap_f1, prf
from newsgraph.record import Article, Record

OPENING_MARKS = ('"', "“", "‘", "'", "``")


@dataclass
class Attribution:
    content: str
    content_spans: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)

    @property
    def direct(self) -> bool:
        return self.content.lstrip().startswith(OPENING_MARKS)


@dataclass
class Predicted:
    text: str
    direct: bool
    source: list[tuple[int, int]]  # character spans of the speaker's mentions, and of the words naming it
    entity_source: list[tuple[int, int]] = field(default_factory=list)  # the speaker entity's mentions only


def read_ann(ann: Path, text: str) -> list[Attribution]:
    """Attributions of one BRAT file. Text-bound spans (T) are read first, whatever their order in the
    file; an event (E) whose content span is missing or malformed is skipped, not fatal."""
    lines = ann.read_text(encoding="utf-8").splitlines()
    spans: dict[str, list[tuple[int, int]]] = {}
    for line in lines:
        if line.startswith("T") and "\t" in line:
            tid, rest = line.split("\t")[0], line.split("\t")[1]
            _label, _, offsets = rest.partition(" ")
            try:
                spans[tid] = [(int(a), int(b)) for a, b in (p.split() for p in offsets.split(";"))]
            except ValueError:
                continue  # a malformed span: its attribution is skipped below
    out = []
    for line in lines:
        if not line.startswith("E") or "\t" not in line:
            continue
        roles = dict(part.split(":", 1) for part in line.split("\t")[1].split() if ":" in part)
        content_spans = spans.get(roles.get("Content", ""))
        if not content_spans:
            continue
        content = " ".join(text[a:b] for a, b in content_spans)
        out.append(Attribution(content, content_spans, spans.get(roles.get("Source", ""), [])))
    return out


def predictions(record: Record) -> list[Predicted]:
    by_id = {e.id: e for e in record.entities}
    out = []
    for q in record.quotes:
        if q.kind == "label":
            continue  # speech and stances are both attributions in PolNeAR
        ent = by_id.get(q.speaker_id or "")
        mentions = [(m.start, m.end) for m in ent.mentions] if ent else []
        words = [(q.speaker_start, q.speaker_end)] if q.speaker_start is not None and q.speaker_end is not None else []
        out.append(Predicted(q.text, q.direct, mentions + words, mentions))
    return out


def _source_ok(g: Attribution, p: Predicted, entity_only: bool = False) -> bool:
    spans = p.entity_source if entity_only else p.source
    if not g.source:
        return not spans
    return any(a < d and c < b for a, b in g.source for c, d in spans)


def score(golds: list[list[Attribution]], preds: list[list[Predicted]]) -> dict[str, float]:
    m: dict[str, float] = {}
    for subset in ("direct", "all"):
        tp = n_gold = n_pred = src = src_entity = 0
        for gold, pred in zip(golds, preds, strict=True):
            g = [a for a in gold if a.direct] if subset == "direct" else gold
            p = [q for q in pred if q.direct] if subset == "direct" else _dedupe(pred)
            if subset == "direct":  # a quote that matches an attribution outside the subset is not an error
                others = [a for a in gold if not a.direct]
                p = [q for q in p if not any(overlap_f1(a.content, q.text) >= REPORTED_MIN_F1 for a in others)]
            pairs = greedy_match(g, p, lambda a, b: overlap_f1(a.content, b.text), REPORTED_MIN_F1)
            tp += len(pairs)
            n_gold += len(g)
            n_pred += len(p)
            src += sum(_source_ok(g[i], p[j]) for i, j, _ in pairs)
            src_entity += sum(_source_ok(g[i], p[j], entity_only=True) for i, j, _ in pairs)
        r = prf(tp, n_pred, n_gold)
        m.update({f"{subset}.content_{k}": v for k, v in r.items()})
        m[f"{subset}.source_match"] = round(src / tp, 4) if tp else 0.0
        m[f"{subset}.entity_source_match"] = round(src_entity / tp, 4) if tp else 0.0
        m[f"{subset}.gold"] = n_gold
    return m


def _dedupe(pred: list[Predicted]) -> list[Predicted]:
    """A direct quote inside a reported clause is one attribution, not two."""
    reported = [p for p in pred if not p.direct]
    return reported + [p for p in pred if p.direct and not any(
        overlap_f1(p.text, r.text) >= REPORTED_MIN_F1 or p.text in r.text for r in reported)]


def textacy_spans(doc) -> list[Predicted]:
    """textacy's direct quotations with their speaker spans, the baseline for this scorer."""
    from newsgraph.evaluation.baselines import textacy_direct

    out = []
    for dq in textacy_direct(doc):
        source = [(t.idx, t.idx + len(t.text)) for t in dq.speaker]
        # (textacy's speaker is words, not an entity: both source measures read them)
        out.append(Predicted(doc.text[dq.content.start_char:dq.content.end_char], True, source, source))
    return out


def load(folder: Path, split: str) -> list[tuple[str, str, list[Attribution]]]:
    base = folder / "data" / split
    out = []
    for txt in sorted((base / "text").glob("*.txt")):
        anns = sorted((base / "attributions").glob(f"{txt.stem}_*.ann"))
        if not anns:
            continue
        text = txt.read_text(encoding="utf-8")
        out.append((txt.stem, text, read_ann(anns[0], text)))
    return out


def run(folder: Path, split: str, with_baselines: bool):
    if not (folder / "data" / split).is_dir():
        return {"skipped": f"{folder}/data/{split} not found"}, None, []
    from newsgraph.pipeline import Pipeline

    docs = load(folder, split)
    articles = [Article(id=name, text=text) for name, text, _ in docs]
    golds = [attrs for _, _, attrs in docs]
    records = list(Pipeline().process_many(articles))
    metrics = {**score(golds, [predictions(r) for r in records]), "articles": len(docs)}
    baseline = None
    if with_baselines:
        from newsgraph.evaluation.baselines import bare_nlp, textacy_available

        if textacy_available():
            preds = [textacy_spans(doc) for doc in bare_nlp().pipe(a.text for a in articles)]
            baseline = {k: v for k, v in score(golds, preds).items() if k.startswith("direct.")}
    return metrics, baseline, []
