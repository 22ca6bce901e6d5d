"""NewsQuant (the dev half in ../shared): numbers in news sentences.

Each sentence is an article of its own. Every count the record finds with a number (any kind:
count, money, percent, measure, age) is compared with the gold quantities' values, a sentence
at a time, as multisets: value precision, recall and F1, the measure CQE's paper reports. A gold
range ('15-22') is its two ends, as the record gives a count for each. Vague amounts ('dozens',
number null) are not compared.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsgraph.evaluation.matching import prf
from newsgraph.evaluation.records import extract_all
from newsgraph.record import Article, Record


def read_newsquant(path: Path) -> list[tuple[str, list[float]]]:
    """(sentence, gold values) pairs."""
    out = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        values: list[float] = []
        for q in item.get("quantities", []):
            values += _values(str(q.get("value", "")))
        out.append((item["text"], values))
    return out


def _values(value: str) -> list[float]:
    """A gold value, or both ends of a range ('15.0-22.0'): the record has a count for each end."""
    match = re.fullmatch(r"(-?[\d.]+(?:[eE][-+]?\d+)?)-([\d.]+(?:[eE][-+]?\d+)?)", value)
    parts = match.groups() if match else (value,)
    try:
        return [float(p) for p in parts]
    except ValueError:
        return []


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def matched(predicted: list[float], gold: list[float]) -> int:
    """How many predicted values pair with a gold value, each used once."""
    left = list(gold)
    hits = 0
    for value in predicted:
        k = next((i for i, g in enumerate(left) if _same(value, g)), None)
        if k is not None:
            hits += 1
            left.pop(k)
    return hits


def score(items: list[tuple[str, list[float]]], records: list[Record]) -> tuple[dict[str, float], list[dict]]:
    hits = n_pred = n_gold = 0
    misses: list[dict] = []
    for (sentence, gold), record in zip(items, records, strict=True):
        ours = [c.number for c in record.counts if c.number is not None]
        found = matched(ours, gold)
        hits, n_pred, n_gold = hits + found, n_pred + len(ours), n_gold + len(gold)
        if found < max(len(ours), len(gold)):
            misses.append({"sentence": sentence, "gold": gold, "ours": ours,
                           "kinds": [c.kind for c in record.counts if c.number is not None]})
    metrics = {f"values.{k}": v for k, v in prf(hits, n_pred, n_gold).items()}
    metrics["values.gold"] = n_gold
    return metrics, misses


def run(folder: Path, with_baselines: bool):
    path = folder / "newsquant-dev.json"
    if not path.exists():
        return {"skipped": f"{path} not found"}, None, []
    items = read_newsquant(path)
    articles = [Article(id=f"newsquant-{n:03d}", text=text) for n, (text, _) in enumerate(items)]
    records, failure = extract_all(articles, "sentences")
    if failure:
        return {"skipped": failure}, None, []
    metrics, misses = score(items, records)
    metrics["sentences"] = len(items)
    return metrics, None, misses
