"""WARC ingest memory: peak RSS should not grow with the number of records.

    python bench/warc.py [--sizes 250,1000] [--json] [--update-readme]

Each size is generated (tests/warcgen.py: HTML responses from the fixtures, images,
404s and request records) and ingested with the full pipeline into a fresh SQLite
store, in a process of its own so that each peak is that size's own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from _common import markdown_table, peak_rss_mb, sizes_cli, update_readme  # noqa: E402


def measure(n: int, tmp: Path) -> dict:
    from newsgraph import batch
    from newsgraph.pipeline import Pipeline
    from newsgraph.store import Store
    from warcgen import write_warc

    path = tmp / f"crawl-{n}.warc.gz"
    kinds = write_warc(path, n)
    store, pipeline = Store(str(tmp / f"w-{n}.db")), Pipeline()
    t = time.perf_counter()
    summary = batch.ingest([str(path)], store, pipeline)
    seconds = time.perf_counter() - t
    return {"records": n, "articles": summary.outcomes["new"], "html_records": kinds["html"],
            "skipped": sum(summary.skipped.values()), "failed": summary.failed,
            "records_per_s": round(n / seconds, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}


def main() -> None:
    args, rows = sizes_cli(__doc__, "250,1000", measure)
    if rows is None:
        return
    body = markdown_table(["WARC records", "articles stored", "skipped", "failed", "records/s", "peak RSS MB"],
                          [[f"{r['records']:,}", str(r["articles"]), str(r["skipped"]), str(r["failed"]),
                            f"{r['records_per_s']:.1f}", f"{r['peak_rss_mb']:.0f}"] for r in rows])
    print(body)
    if args.update_readme:
        update_readme("bench:warc", body, f"python bench/warc.py --sizes {args.sizes} --update-readme")


if __name__ == "__main__":
    main()
