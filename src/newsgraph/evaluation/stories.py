"""`newsgraph eval --set stories`: incremental story clustering against ECB+ and the Gun Violence Corpus.

Each article goes through the real pipeline and is ingested into a fresh SQLite store one at a
time, exactly as `newsgraph ingest` places it; the store's story assignment is then scored
against the gold clusters (ECB+: the sub-topic; GVC: the incident) with pairwise and BCubed
precision, recall and F1. Two feeding orders are measured: date order (a fixed shuffle where
there are no dates, as in ECB+) and a full shuffle, so order dependence shows. The baseline, in
the same run, is batch TF-IDF cosine with average-linkage agglomerative clustering, its distance
threshold tuned on the very data it is scored on (an optimistic baseline).
"""

from __future__ import annotations

import json
import math
import random
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from newsgraph.record import Article, Record
from newsgraph.stories.scoring import bcubed, pairwise

SEEDS = (13, 29)
MORE_ORDERS = (101, 102, 103, 104)  # further shuffles, replayed in memory, for the spread over orders
SETS = {"ecbplus": ("ecbplus/ecbplus-dev.jsonl", "subtopic"), "gvc": ("gvc/gvc.jsonl", "incident")}


def read(path: Path, gold_key: str) -> tuple[list[Article], dict[str, Any]]:
    articles, gold = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        articles.append(Article(id=d["id"], title=d.get("title"), text=d["text"], url=d.get("url"),
                                published=d.get("date")))
        gold[d["id"]] = d[gold_key]
    return articles, gold


def feeding_orders(records: list[Record]) -> dict[str, list[Record]]:
    shuffled = list(records)
    random.Random(SEEDS[0]).shuffle(shuffled)
    dated = sorted(shuffled, key=lambda r: (r.article.published is None, r.article.published or ""))
    other = list(records)
    random.Random(SEEDS[1]).shuffle(other)
    return {"date_order": dated, "shuffled": other}


def incremental(records: list[Record]) -> dict[str, int]:
    """Ingest one at a time into a fresh store; the stories it ends with."""
    from sqlalchemy import select

    from newsgraph.store import Store
    from newsgraph.store import schema as t

    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "stories.db"))
        for record in records:
            store.ingest(record)
        with store.engine.connect() as conn:
            assigned = dict(conn.execute(select(t.story_articles.c.article_id, t.story_articles.c.story_id)).all())
        store.engine.dispose()
    return assigned


def replayed(records: list[Record], gold: dict[str, Any]) -> list[float]:
    """BCubed F1 over both feeding orders and MORE_ORDERS shuffles, placed by the same decision in
    memory (the store's batch_clusters in one pass; no near-duplicate lookup), so one fixed shuffle is not read
    as the whole story."""
    from newsgraph.store.stories import batch_clusters
    from newsgraph.stories.features import record_vector, story_time

    vectors = {r.article.id: (record_vector(r), story_time(r)) for r in records}
    orders = list(feeding_orders(records).values())
    for seed in MORE_ORDERS:
        order = list(records)
        random.Random(seed).shuffle(order)
        orders.append(order)
    return [bcubed(batch_clusters([(r.article.id, *vectors[r.article.id], None) for r in order], passes=1), gold)[2]
            for order in orders]


def _scores(prefix: str, predicted: dict[str, Any], gold: dict[str, Any]) -> dict[str, float]:
    p, r, f = bcubed(predicted, gold)
    pp, pr, pf = pairwise(predicted, gold)
    return {f"{prefix}bcubed_precision": p, f"{prefix}bcubed_recall": r, f"{prefix}bcubed_f1": f,
            f"{prefix}pairwise_precision": pp, f"{prefix}pairwise_recall": pr, f"{prefix}pairwise_f1": pf}


def tfidf_average_linkage(articles: list[Article], gold: dict[str, Any],
                          max_days: int | None = None) -> dict[str, float]:
    """The batch baseline: TF-IDF cosine, average linkage, the best threshold for this data. With
    ``max_days``, two articles published further apart than that are never linked (their distance
    is set far beyond any threshold, so no average across them can clear one)."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse import csr_matrix
    from scipy.spatial.distance import squareform

    from newsgraph.stories.features import stop_words

    docs = [Counter(w for w in re.findall(r"[a-z][a-z'-]+", f"{a.title or ''} {a.text}".lower())
                    if w not in stop_words()) for a in articles]
    df = Counter(w for d in docs for w in d)
    vocab = {w: i for i, w in enumerate(sorted(df))}
    rows, cols, vals = [], [], []
    for i, d in enumerate(docs):
        for w, n in d.items():
            rows.append(i)
            cols.append(vocab[w])
            vals.append((1 + math.log(n)) * (math.log(len(docs) / df[w]) + 1))
    m = csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = csr_matrix(m.multiply(1 / np.maximum(norms, 1e-12)[:, None]))
    distance = np.clip(1 - (m @ m.T).toarray(), 0, None)
    if max_days is not None:
        days = [_ordinal(a.published) for a in articles]
        for i, di in enumerate(days):
            for j in range(i + 1, len(days)):
                dj = days[j]
                if di is not None and dj is not None and abs(di - dj) > max_days:
                    distance[i, j] = distance[j, i] = FAR
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform(distance, checks=False), "average")
    best: dict[str, float] = {}
    for step in range(1, 20):
        threshold = step / 20
        labels = fcluster(tree, threshold, "distance")
        predicted = {a.id: int(label) for a, label in zip(articles, labels, strict=True)}
        scores = _scores("", predicted, gold)
        if not best or scores["bcubed_f1"] > best["bcubed_f1"]:
            best = {**scores, "threshold": threshold}
    return best


FAR = 1e3  # the distance of two articles the day-windowed baseline never links


def _ordinal(published: str | None) -> int | None:
    from newsgraph.timeparse import parse_iso_date

    found = parse_iso_date(published)
    return found.toordinal() if found else None


def run_set(name: str, articles: list[Article], gold: dict[str, Any], records: list[Record],
            with_baselines: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    metrics: dict[str, Any] = {}
    f1s = []
    for order, fed in feeding_orders(records).items():
        scores = _scores("", incremental(fed), gold)
        if order == "date_order":
            metrics.update(scores)
        else:
            metrics["shuffled.bcubed_f1"] = scores["bcubed_f1"]
        f1s.append(scores["bcubed_f1"])
    metrics["order_gap.bcubed_f1"] = abs(f1s[0] - f1s[1])
    spread = replayed(records, gold)
    metrics[f"orders_{len(spread)}.mean_bcubed_f1"] = sum(spread) / len(spread)
    metrics[f"orders_{len(spread)}.min_bcubed_f1"] = min(spread)
    metrics["articles"] = len(records)
    metrics["gold_stories"] = len(set(gold.values()))
    base = {}
    if with_baselines:
        b = tfidf_average_linkage(articles, gold)
        base = {k: v for k, v in b.items() if k != "threshold"}
        metrics["baseline_threshold"] = b["threshold"]
    return metrics, base


def run(root: Path, with_baselines: bool) -> tuple[dict[str, Any], dict[str, Any], list[dict]]:
    """Metrics for both sets, prefixed ecbplus. and gvc.; skipped where the data is absent."""
    from newsgraph.pipeline import Pipeline

    found = {n: (root / rel, key) for n, (rel, key) in SETS.items() if (root / rel).exists()}
    if not found:
        return {"skipped": f"{root / SETS['ecbplus'][0]} and {root / SETS['gvc'][0]} not found"}, {}, []
    pipeline = Pipeline()
    metrics: dict[str, Any] = {}
    base: dict[str, Any] = {}
    for name, (path, key) in found.items():
        articles, gold = read(path, key)
        records = [r for r in pipeline.process_many(articles) if isinstance(r, Record)]
        m, b = run_set(name, articles, gold, records, with_baselines)
        metrics.update({f"{name}.{k}": v for k, v in m.items()})
        base.update({f"{name}.{k}": v for k, v in b.items()})
    for name in set(SETS) - set(found):
        metrics[f"{name}.skipped"] = f"{root / SETS[name][0]} not found"
    return metrics, base, []
