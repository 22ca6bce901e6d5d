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

QUERIES = ["drones", "police", "election", "government", "killed", "crane", "Scientology", "flag", "asylum",
           "Korea", "Ukraine", "museum", "helicopter", "Mogadishu", "iodine", "Warhol", "tribunal", "Basra"]


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


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=1000, help="per page kind")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        t = time.perf_counter()
        ids = build_store(db, args.articles)
        build_s = time.perf_counter() - t
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port",
                                   str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "NEWSGRAPH_TOKEN": ""})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(base + "/api/health", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            kinds = {
                "article page": [f"/articles/{rng.choice(ids)}" for _ in range(args.requests)],
                "search page": [f"/search?q={rng.choice(QUERIES)}" for _ in range(args.requests)],
                "search API": [f"/api/articles?q={rng.choice(QUERIES)}" for _ in range(args.requests)],
            }
            asyncio.run(load(base, [p for paths in kinds.values() for p in paths[:20]], args.clients))  # warm
            rows = {}
            for name, paths in kinds.items():
                t = time.perf_counter()
                lat, errors = asyncio.run(load(base, paths, args.clients))
                wall = time.perf_counter() - t
                rows[name] = {"requests": len(paths), "errors": errors, "p50_ms": round(1000 * statistics.median(lat), 1),
                              "p95_ms": round(1000 * percentile(lat, 95), 1), "max_ms": round(1000 * max(lat), 1),
                              "requests_per_s": round(len(paths) / wall, 1)}
        finally:
            server.terminate()
            server.wait()
    result = {"articles": args.articles, "clients": args.clients, "build_s": round(build_s, 1), "pages": rows}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    body = markdown_table(["page", "requests", "errors", "p50 ms", "p95 ms", "max ms", "requests/s"],
                          [[k, str(v["requests"]), str(v["errors"]), f"{v['p50_ms']:.1f}", f"{v['p95_ms']:.1f}",
                            f"{v['max_ms']:.1f}", f"{v['requests_per_s']:.0f}"] for k, v in rows.items()])
    body += f"\n{args.articles:,} articles in the store, {args.clients} concurrent clients on loopback.\n"
    print(body)
    if args.update_readme:
        update_readme("bench:web", body, f"python bench/web.py --articles {args.articles} --update-readme")


if __name__ == "__main__":
    main()
