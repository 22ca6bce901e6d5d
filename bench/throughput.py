"""Throughput of the full pipeline against bare spaCy (`nlp.pipe`, same model, same texts).

    python bench/throughput.py [--repeat 3] [--json] [--update-readme]

Both are measured in the same run, alternating rounds, after a warm-up that
loads the model and the gazetteer (start-up is per process, not per article).
The ratio is what matters: machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, markdown_table, peak_rss_mb, update_readme  # noqa: E402
from newsgraph.pipeline import Pipeline  # noqa: E402
from newsgraph.pipeline.parse import MODEL  # noqa: E402
from newsgraph.readers import ReadError, read_inputs  # noqa: E402


def load_articles(paths: list[str]):
    return [a for a in read_inputs(paths) if not isinstance(a, ReadError)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "examples")])
    ap.add_argument("--repeat", type=int, default=3, help="rounds of each (best round is kept)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()

    articles = load_articles(args.paths)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(MODEL)
    pipeline = Pipeline()
    list(bare.pipe(texts[:1]))
    list(pipeline.process_many(articles[:1]))  # warm-up: model and gazetteer load once

    bare_times, full_times = [], []
    stage_totals: dict[str, float] = {}
    for _ in range(args.repeat):
        t = time.perf_counter()
        list(bare.pipe(texts, batch_size=pipeline.batch_size))
        bare_times.append(time.perf_counter() - t)
        pipeline.timings = dict.fromkeys(pipeline.timings, 0.0)
        t = time.perf_counter()
        list(pipeline.process_many(articles))
        full_times.append(time.perf_counter() - t)
        if full_times[-1] == min(full_times):
            stage_totals = dict(pipeline.timings)

    n = len(articles)
    bare_s, full_s = min(bare_times), min(full_times)
    result = {
        "articles": n,
        "words": words,
        "articles_per_s": round(n / full_s, 2),
        "words_per_s": round(words / full_s),
        "bare_spacy_articles_per_s": round(n / bare_s, 2),
        "bare_spacy_words_per_s": round(words / bare_s),
        "ratio": round(bare_s / full_s, 3),
        "ms_per_article": {k: round(1000 * v / n, 2) for k, v in stage_totals.items()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    body = render(result)
    if not args.json:
        print(body)
    if args.update_readme:
        update_readme("bench:throughput", body, "make bench")


def render(r: dict) -> str:
    rows = [
        ["full pipeline", f"{r['articles_per_s']:.1f}", f"{r['words_per_s']:,}"],
        ["bare spaCy `nlp.pipe`", f"{r['bare_spacy_articles_per_s']:.1f}", f"{r['bare_spacy_words_per_s']:,}"],
    ]
    out = markdown_table(["run", "articles/s", "words/s"], rows)
    out += (f"\nRatio full / bare: **{r['ratio']:.2f}** over {r['articles']} articles ({r['words']:,} words); "
            f"peak RSS **{r['peak_rss_mb']:.0f} MB**.\n\n")
    stages = r["ms_per_article"]
    total = sum(stages.values()) or 1.0
    out += markdown_table(["stage", "ms / article", "share"],
                          [[k, f"{v:.2f}", f"{100 * v / total:.1f}%"] for k, v in stages.items()])
    added = []
    for label, names in STAGE_GROUPS:
        part = sum(stages.get(n, 0.0) for n in names)
        added.append(f"{label} add {100 * part / max(total - part, 1e-9):.1f}%")
    out += "\nTime the stages add to the rest of the pipeline: " + "; ".join(added) + ".\n"
    return out


# The issues' speed targets are per group of stages (the time a group adds to the rest).
STAGE_GROUPS = [
    ("entities + places + dates", ("entities", "places", "dates")),
    ("quotes", ("quotes",)),
    ("counts + events + tone", ("counts", "events", "tone")),
]


if __name__ == "__main__":
    main()
