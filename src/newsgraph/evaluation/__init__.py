"""`newsgraph eval`: score newsgraph (and baselines, in the same run) against gold data.

Each gold set maps metric names to numbers; a set whose data is absent maps to
``{"skipped": "reason"}`` and is never reported as zero or as a pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgraph.evaluation.gold import GoldArticle, read_our_gold, read_seed, score_gold

SETS = ("seed", "corpus", "polnear", "gum-news", "conll", "newsquant", "geo", "article-extraction", "stories")
Result = dict[str, Any]


def find_shared(explicit: str | None = None) -> Path | None:
    """--shared, else $NEWSGRAPH_SHARED, else ../shared beside the working directory or the checkout."""
    candidates = [explicit, os.environ.get("NEWSGRAPH_SHARED"), "../shared",
                  str(Path(__file__).resolve().parents[3].parent / "shared")]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


def _skipped(reason: str) -> Result:
    return {"skipped": reason}


def run_gold(golds: list[GoldArticle], with_baselines: bool) -> tuple[Result, list[dict], Result | None]:
    from newsgraph.pipeline import Pipeline

    pipeline = Pipeline()
    records = [r for r in pipeline.process_many([g.article for g in golds])]
    metrics, misses = score_gold(golds, records)
    baseline = None
    if with_baselines:
        from newsgraph.evaluation.baselines import spacy_ner_records

        metrics_b, _ = score_gold(golds, spacy_ner_records([g.article for g in golds]))
        comparable = ("persons.recall", "persons.precision", "places.recall", "quotes.direct.")
        baseline = {k: v for k, v in metrics_b.items() if k.startswith(comparable)}
    return metrics, misses, baseline


def evaluate(
    sets: tuple[str, ...] = SETS,
    shared: str | None = None,
    gold_paths: tuple[str, ...] = (),
    split: str = "dev",
    with_baselines: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[dict[str, Result], dict[str, Result], dict[str, list[dict]]]:
    """Returns (newsgraph metrics per set, baseline metrics per set, misses per set)."""
    root = find_shared(shared)
    results: dict[str, Result] = {}
    baselines: dict[str, Result] = {}
    misses: dict[str, list[dict]] = {}
    for name in sets:
        progress(name)
        if root is None:
            results[name] = _skipped("no ../shared folder (pass --shared DIR or set NEWSGRAPH_SHARED)")
            continue
        runner = RUNNERS[name]
        results[name], base, misses[name] = runner(root, split, with_baselines)
        if base:
            baselines[name] = base
    for path in gold_paths:
        progress(path)
        golds = read_our_gold(Path(path))
        results[path], misses[path], base = run_gold(golds, with_baselines)
        if base:
            baselines[path] = base
    return results, baselines, misses


def _seed(root: Path, split: str, with_baselines: bool):
    folder = root / "seed"
    if not (folder / "expected.json").exists():
        return _skipped(f"{folder}/expected.json not found"), None, []
    metrics, misses, base = run_gold(read_seed(folder), with_baselines)
    return metrics, base, misses


def _corpus(root: Path, split: str, with_baselines: bool):
    path = root / "corpus" / "gold.jsonl"
    if not path.exists():
        return _skipped(f"{path} not found"), None, []
    metrics, misses, base = run_gold(read_our_gold(path), with_baselines)
    return metrics, base, misses


def _polnear(root: Path, split: str, with_baselines: bool):
    from newsgraph.evaluation import polnear

    return polnear.run(root / "bench" / "polnear", split, with_baselines)


def _gum(root: Path, split: str, with_baselines: bool):
    from newsgraph.evaluation import gum

    return gum.run(root / "bench" / "gum-news", with_baselines)


def _conll(root: Path, split: str, with_baselines: bool):
    from newsgraph.evaluation import conll

    return conll.run(root / "bench" / "conll2003", with_baselines)


def _newsquant(root: Path, split: str, with_baselines: bool):
    from newsgraph.evaluation import newsquant

    return newsquant.run(root / "bench" / "newsquant", with_baselines)


def _geo(root: Path, split: str, with_baselines: bool):
    from newsgraph.evaluation import geo

    return geo.run(root / "bench" / "geo", with_baselines)


def _extraction(root: Path, split: str, with_baselines: bool):
    from newsgraph.evaluation import extraction

    return extraction.run(root / "bench" / "article-extraction", with_baselines)


def _stories(root: Path, split: str, with_baselines: bool):
    from newsgraph.evaluation import stories

    return stories.run(root / "bench", with_baselines)


RUNNERS = {"stories": _stories, "seed": _seed, "corpus": _corpus, "polnear": _polnear, "gum-news": _gum,
           "conll": _conll, "newsquant": _newsquant, "geo": _geo, "article-extraction": _extraction}
