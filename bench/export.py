"""Export: throughput and peak memory of `newsgraph export` on a large store, per format.

    python bench/export.py [--articles 50000] [--json] [--update-readme]

The store: the fixtures (seed, Wikinews, story fixtures) through the real pipeline, then copied
in SQL until it holds ``--articles`` articles, each copy with its own id and a publication date
spread over two years (so Parquet writes many month partitions). Each format is exported in a
process of its own, so its peak RSS is its own; the baseline line is the same process importing
everything and opening the store, without exporting.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, markdown_table, peak_rss_mb, update_readme  # noqa: E402
from newsgraph.exports import export  # noqa: E402
from newsgraph.store import Store  # noqa: E402
from newsgraph.store.queries import ArticleFilter  # noqa: E402

FORMATS = ("baseline", "jsonl", "csv", "parquet", "gkg")


def build_store(db: Path, articles: int) -> None:
    """The fixtures' records, then SQL copies of them, each with its own id and date."""
    from newsgraph import batch
    from newsgraph.pipeline import Pipeline

    store = Store(str(db))
    batch.ingest([str(ROOT / "tests" / "fixtures" / "seed.txt"), str(ROOT / "tests" / "fixtures" / "wikinews.jsonl"),
                  str(ROOT / "tests" / "fixtures" / "stories")], store, Pipeline())
    with store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE base AS SELECT rowid AS r FROM articles")
        base = conn.exec_driver_sql("SELECT count(*) FROM base").scalar_one()
        copies = -(-articles // base) - 1
        for n in range(1, copies + 1):
            # day n spreads copies over two years; the record's own id and date follow the row's
            conn.exec_driver_sql(
                "INSERT INTO articles (id, url, source, title, subtitle, section, authors, published, retrieved, "
                "language, text, text_hash, pipeline_version, schema_version, record, ingested_at) "
                "SELECT id || '-' || ?1, url, source, title, subtitle, section, authors, "
                "date('2024-01-01', '+' || (?1 % 730) || ' days'), retrieved, language, text, text_hash, "
                "pipeline_version, schema_version, "
                "json_set(record, '$.article.id', id || '-' || ?1, '$.article.published', "
                "date('2024-01-01', '+' || (?1 % 730) || ' days')), ingested_at "
                "FROM articles WHERE rowid IN (SELECT r FROM base)", (n,))
        extra = conn.exec_driver_sql("SELECT count(*) FROM articles").scalar_one() - articles
        if extra > 0:
            conn.exec_driver_sql("DELETE FROM articles WHERE rowid IN (SELECT rowid FROM articles ORDER BY rowid DESC "
                                 "LIMIT ?1)", (extra,))
    store.engine.dispose()


def measure(fmt: str, db: Path, out: Path) -> dict:
    store = Store(str(db), create=False)
    t = time.perf_counter()
    if fmt == "baseline":
        n, rows = 0, {}
    else:
        target = out / fmt if fmt in ("csv", "parquet") else out / f"export.{fmt}"
        result = export(store, fmt, str(target), ArticleFilter())
        n, rows = result.articles, result.rows
    seconds = time.perf_counter() - t
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if fmt != "baseline" else 0
    return {"format": fmt, "articles": n, "seconds": round(seconds, 1),
            "articles_per_s": round(n / seconds, 1) if n else None, "rows": sum(rows.values()),
            "peak_rss_mb": round(peak_rss_mb(), 1), "output_mb": round(size / 2**20, 1)}


def in_own_process(fmt: str, db: Path, workdir: Path) -> dict:
    """Measure one format in a fresh interpreter, so its peak RSS is its own (a fork would inherit
    the builder's spaCy model)."""
    out = workdir / f"out-{fmt}"
    out.mkdir()
    done = subprocess.run([sys.executable, __file__, "--measure", fmt, "--db", str(db), "--out", str(out)],
                          capture_output=True, text=True, check=True)
    row = json.loads(done.stdout)
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    ap.add_argument("--measure", help=argparse.SUPPRESS)  # one format, in this process (used by the bench)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.db), Path(args.out))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db = workdir / "store.db"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                        f"from export import build_store; from pathlib import Path; "
                        f"build_store(Path({str(db)!r}), {args.articles})"], check=True)
        print(f"built a store of {args.articles:,} articles in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        rows = [in_own_process(fmt, db, workdir) for fmt in args.formats.split(",")]
        store_mb = db.stat().st_size / 2**20
    if args.json:
        print(json.dumps({"store_mb": round(store_mb, 1), "rows": rows}, indent=2))
        return
    body = markdown_table(
        ["format", "articles", "seconds", "articles/s", "rows written", "peak RSS MB", "output MB"],
        [[r["format"], f"{r['articles']:,}", f"{r['seconds']:.1f}", f"{r['articles_per_s'] or '-'}",
          f"{r['rows']:,}", f"{r['peak_rss_mb']:.0f}", f"{r['output_mb']:.0f}"] for r in rows])
    body += (f"\nStore: {args.articles:,} articles, {store_mb:,.0f} MB of SQLite. `baseline` is the same process "
             "importing newsgraph and opening the store without exporting: each format's memory above it is its "
             "own.\n")
    print(body)
    if args.update_readme:
        update_readme("bench:export", body, f"python bench/export.py --articles {args.articles}")


if __name__ == "__main__":
    main()
