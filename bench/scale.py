"""Scale: ingest 1k and 10k articles built from the fixtures into a fresh SQLite store.

    python bench/scale.py [--sizes 1000,10000] [--json] [--update-readme]

Reports, per size: wall time, articles/s, peak RSS of the process, and store size per
article. Time and memory should grow linearly (memory: flat) with the number of articles.
Articles are the 30 Wikinews fixtures and the seed, each copy made distinct by a dateline
sentence so that every one is a new article to the store.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, markdown_table, peak_rss_mb, sizes_cli, update_readme  # noqa: E402
from newsgraph import batch  # noqa: E402
from newsgraph.pipeline import Pipeline  # noqa: E402
from newsgraph.readers import ReadError, read_inputs  # noqa: E402
from newsgraph.store import Store  # noqa: E402

CITIES = ["Lagos", "Lima", "Oslo", "Hanoi", "Quito", "Dakar", "Perth", "Minsk", "Doha", "Riga"]


def build_corpus(n: int, out: Path) -> None:
    base = [a for a in read_inputs([str(ROOT / "tests" / "fixtures")]) if not isinstance(a, ReadError)]
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            a = base[i % len(base)]
            dateline = f"{CITIES[i % len(CITIES)]}, report {i}. "
            f.write(json.dumps({"id": f"scale-{i}", "title": a.title, "published": a.published,
                                "source": a.source, "text": dateline + a.text}) + "\n")


def measure(n: int, workdir: Path) -> dict:
    corpus = workdir / f"corpus-{n}.jsonl"
    build_corpus(n, corpus)
    db = workdir / f"scale-{n}.db"
    store = Store(str(db))
    pipeline = Pipeline()
    t = time.perf_counter()
    summary = batch.ingest([str(corpus)], store, pipeline)
    seconds = time.perf_counter() - t
    store.engine.dispose()
    size = sum(p.stat().st_size for p in workdir.glob(f"scale-{n}.db*"))
    return {"articles": n, "stored": summary.outcomes["new"], "failed": summary.failed,
            "seconds": round(seconds, 1), "articles_per_s": round(n / seconds, 2),
            "peak_rss_mb": round(peak_rss_mb(), 1), "store_kb_per_article": round(size / 1024 / n, 1)}


def main() -> None:
    args, rows = sizes_cli(__doc__, "1000,10000", measure)
    if rows is None:
        return
    body = markdown_table(
        ["articles", "seconds", "articles/s", "peak RSS MB", "store KB/article", "failed"],
        [[f"{r['articles']:,}", f"{r['seconds']:.0f}", f"{r['articles_per_s']:.1f}", f"{r['peak_rss_mb']:.0f}",
          f"{r['store_kb_per_article']:.1f}", str(r["failed"])] for r in rows])
    print(body)
    if args.update_readme:
        update_readme("bench:scale", body, f"python bench/scale.py --sizes {args.sizes} --update-readme")


if __name__ == "__main__":
    main()
