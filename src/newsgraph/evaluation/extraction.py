"""The article-extraction benchmark with its own metric: token 4-gram shingles,
precision and recall averaged over pages, F1 of the two averages."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path

from newsgraph.errors import InputError


def shingles(text: str, n: int = 4) -> Counter:
    toks = re.findall(r"\w+", text or "")
    return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))


def page_pr(predicted: str, gold: str) -> tuple[float, float]:
    p, g = shingles(predicted), shingles(gold)
    tp = sum((p & g).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    # the benchmark's convention: an empty prediction of an empty body is perfect
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    prs = [page_pr(p, g) for p, g in pairs]
    precision = sum(p for p, _ in prs) / len(prs)
    recall = sum(r for _, r in prs) / len(prs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def load(folder: Path) -> list[tuple[str, bytes, str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for key, item in sorted(truth.items()):
        page = folder / "html" / f"{key}.html.gz"
        if page.exists():
            out.append((key, gzip.decompress(page.read_bytes()), item.get("url"), item["articleBody"]))
    return out


def ours(pages: list[tuple[str, bytes, str, str]]) -> tuple[list[tuple[str, str]], float]:
    from newsgraph.readers.html import parse_html

    t = time.perf_counter()
    pairs = []
    for _, html, url, gold in pages:
        try:
            text = parse_html(html, url=url).text
        except InputError:
            text = ""
        pairs.append((text, gold))
    return pairs, time.perf_counter() - t


def trafilatura_default(pages: list[tuple[str, bytes, str, str]]) -> tuple[list[tuple[str, str]], float]:
    import trafilatura

    t = time.perf_counter()
    pairs = [(trafilatura.extract(html, url=url) or "", gold) for _, html, url, gold in pages]
    return pairs, time.perf_counter() - t


def run(folder: Path, with_baselines: bool):
    if not (folder / "ground-truth.json").exists():
        return {"skipped": f"{folder}/ground-truth.json not found"}, None, []
    pages = load(folder)
    ours(pages[:10])  # warm-up: imports and the language model load once per process
    if with_baselines:
        trafilatura_default(pages[:10])
    pairs, seconds = ours(pages)
    metrics = {**score(pairs), "pages_per_s": round(len(pages) / seconds, 1), "pages": len(pages)}
    baseline = None
    if with_baselines:
        base_pairs, base_seconds = trafilatura_default(pages)
        baseline = {**score(base_pairs), "pages_per_s": round(len(pages) / base_seconds, 1)}
    return metrics, baseline, []
