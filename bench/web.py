"""Web speed: article page and search latency with 20 concurrent clients, on a 10,000-article store.

    python bench/web.py [--articles 10000] [--clients 20] [--requests 1000] [--json] [--update-readme]

The store is built from the fixtures: the 31 fixture articles are extracted once, then
their records are stored again under new ids, URLs and dates until the store holds the
asked number of articles. The server is `newsgraph serve` in its own process on
127.0.0.1; the clients run in this process (asyncio + httpx) on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, markdown_table, update_readme  # noqa: E402


def build_store(db: Path, n: int) -> list[str]:
    from newsgraph.pipeline import Pipeline
    from newsgraph.readers import ReadError, read_inputs
    from newsgraph.store import Store

    fixtures = ROOT / "tests" / "fixtures"
    articles = [a for a in read_inputs([str(fixtures / "seed.txt"), str(fixtures / "wikinews.jsonl")])
                if not isinstance(a, ReadError)]
    records = list(Pipeline().process_many(articles))
    store = Store(str(db))
    ids = []
    start = dt.date(2015, 1, 1)
    for i in range(n):
        base = records[i % len(records)]
        day = (start + dt.timedelta(days=i % 3650)).isoformat()
        article = base.article.model_copy(update={"id": f"web-{i:05d}", "url": f"https://news.example/{i}",
                                                  "published": day})
        store.ingest(base.model_copy(update={"article": article}))
        ids.append(article.id)
    store.engine.dispose()
    return ids


async def load(base: str, paths: list[str], clients: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                path = queue.get_nowait()
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t)
                errors += not ok

        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors


def vocabulary(db: Path, size: int = 2000) -> list[str]:
    """Search words as users would type them: the store's own content words, frequent and rare."""
    import re
    import sqlite3
    from collections import Counter

    texts = sqlite3.connect(db).execute("select text from articles limit 200").fetchall()
    words = Counter(w.lower() for (t,) in texts for w in re.findall(r"[A-Za-z]{5,}", t))
    return [w for w, _ in words.most_common(size)]


def wrk_run(base: str, paths: list[str], clients: int, seconds: int) -> dict:
    """Load from wrk (C, two threads) when it is installed: the loader then barely competes with the server."""
    import shutil

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    proc = subprocess.run([shutil.which("wrk"), "-t2", f"-c{clients}", f"-d{seconds}s", "-s",
                           str(Path(__file__).parent / "wrk_paths.lua"), base, "--", f.name],
                          capture_output=True, text=True, timeout=seconds + 60)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("WRKJSON "))
    r = json.loads(line[len("WRKJSON "):])
    return {"requests": r["requests"], "errors": r["errors"], "p50_ms": r["p50_ms"], "p95_ms": r["p95_ms"],
            "max_ms": r["max_ms"], "requests_per_s": round(r["requests"] / r["seconds"], 1)}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=1000, help="per page kind (Python loader)")
    ap.add_argument("--seconds", type=int, default=15, help="per page kind (wrk)")
    ap.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    ap.add_argument("--workers", type=int, default=2, help="server processes")
    ap.add_argument("--db", help="Keep the built store here and reuse it when it exists")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "web.db"
        t = time.perf_counter()
        if db.exists():
            import sqlite3

            ids = [r[0] for r in sqlite3.connect(db).execute("select id from articles")]
        else:
            ids = build_store(db, args.articles)
        build_s = time.perf_counter() - t
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port",
                                   str(port), "--workers", str(args.workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "NEWSGRAPH_TOKEN": ""})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(base + "/api/health", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            words = vocabulary(db)
            kinds = {  # every article, every word: the cache helps only as often as real use repeats
                "article page": [f"/articles/{i}" for i in rng.sample(ids, len(ids))],
                "search page": [f"/search?q={w}" for w in words],
                "search API": [f"/api/articles?q={w}" for w in words],
            }
            asyncio.run(load(base, [p for paths in kinds.values() for p in paths[:20]], args.clients))  # warm
            import shutil

            use_wrk = args.loader == "wrk" or (args.loader == "auto" and shutil.which("wrk"))
            loader = "wrk" if use_wrk else "python (asyncio + httpx)"
            rows = {}
            for name, paths in kinds.items():
                if use_wrk:
                    rows[name] = wrk_run(base, paths, args.clients, args.seconds)
                    continue
                t = time.perf_counter()
                lat, errors = asyncio.run(load(base, paths, args.clients))
                wall = time.perf_counter() - t
                rows[name] = {"requests": len(paths), "errors": errors, "p50_ms": round(1000 * statistics.median(lat), 1),
                              "p95_ms": round(1000 * percentile(lat, 95), 1), "max_ms": round(1000 * max(lat), 1),
                              "requests_per_s": round(len(paths) / wall, 1)}
        finally:
            server.terminate()
            server.wait()
    result = {"articles": len(ids), "clients": args.clients, "loader": loader, "build_s": round(build_s, 1),
              "pages": rows}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    body = markdown_table(["page", "requests", "errors", "p50 ms", "p95 ms", "max ms", "requests/s"],
                          [[k, str(v["requests"]), str(v["errors"]), f"{v['p50_ms']:.1f}", f"{v['p95_ms']:.1f}",
                            f"{v['max_ms']:.1f}", f"{v['requests_per_s']:.0f}"] for k, v in rows.items()])
    body += (f"\n{len(ids):,} articles in the store, {args.clients} concurrent clients on loopback "
             f"(load from {loader}), {args.workers} server process{'es' if args.workers > 1 else ''}.\n")
    print(body)
    if args.update_readme:
        update_readme("bench:web", body, f"python bench/web.py --articles {args.articles} --update-readme")


if __name__ == "__main__":
    main()
