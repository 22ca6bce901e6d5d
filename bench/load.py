"""Story pages and search under load: 20 readers while an ingest writes, on a store of 10,000 articles
in stories, on SQLite and on PostgreSQL.

    python bench/load.py [--articles 10000] [--seconds 30] [--clients 20] [--backends sqlite,postgresql]
                         [--stores sqlite=PATH,postgresql=URL] [--json] [--update-readme]

The store is filled with generated reports (stories of 1-6 articles over six months, every report
naming one or two of a few famous people, its own place, words and figure), each placed by
``Store.ingest`` as a real ingest places it, claims lined up after. A server (``newsgraph serve``, one
process) then answers ``clients`` readers asking in turn for ``/stories``, a story page, ``/api/stories``,
a story's JSON and ``/search`` while ``newsgraph ingest`` writes new articles (the full pipeline) into
the same store. Prints p50/p95 per kind of request; the target is p95 under 300 ms for each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, markdown_table, start_server, update_readme  # noqa: E402

SYLLABLES = ["ka", "ro", "mi", "tu", "sel", "van", "dor", "li", "ne", "bra", "zo", "quin", "ter", "ash", "ol"]
COMMON = ["the", "said", "on", "in", "a", "of", "to", "and", "that", "was", "for", "with", "officials",
          "government", "minister", "talks", "week", "report", "statement", "vote", "court", "border"]
SEARCH_WORDS = ["minister", "court", "border", "talks", "vote", "statement"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def generated_records(n: int, seed: int = 7):
    """Reports of stories over six months, with entities, a quote and a count each (no parse needed)."""
    from newsgraph.record import Article, Count, Entity, Mention, Quote, Record

    rng = random.Random(seed)
    famous = [f"{_name(rng)} {_name(rng)}" for _ in range(6)]
    out, story = [], 0
    while len(out) < n:
        story += 1
        people = [*rng.sample(famous, rng.randint(1, 2)), f"{_name(rng)} {_name(rng)}"]
        place, words, figure = _name(rng), [_name(rng).lower() for _ in range(12)], rng.randint(2, 400)
        first = rng.randint(0, 180)
        for k in range(min(rng.randint(1, 6), n - len(out))):
            day = time.strftime("%Y-%m-%d", time.gmtime(1735689600 + 86400 * (first + rng.randint(0, 2))))
            lead = f"{people[0]} said {figure} people were hurt in {place}. "
            quote = f'"We will rebuild {place} within weeks," {people[0]} said. '
            body = " ".join(rng.choice(words) if rng.random() < 0.25 else rng.choice(COMMON) for _ in range(120))
            text = lead + quote + body + "."
            at = text.index(str(figure))
            entities = [Entity(id=f"e{i}", name=p, type="PERSON", mentions=[Mention(start=0, end=len(p), text=p)])
                        for i, p in enumerate(people)]
            q_start = text.index('"We') + 1
            out.append(Record(
                article=Article(id=f"g{story}-{k}", source=f"Outlet {rng.randint(1, 40)}",
                                published=f"{day}T{rng.randint(0, 23):02d}:00:00", title=f"{place} {words[0]}",
                                text=text),
                entities=entities,
                quotes=[Quote(start=q_start, end=q_start + 34, text=text[q_start:q_start + 34], speaker=people[0],
                              direct=True)],
                counts=[Count(start=at, end=at + len(str(figure)), number=figure, text=str(figure),
                              object="people", action="hurt", category="WOUND")]))
    return out


def build_store(url: str, n: int) -> float:
    from newsgraph.store import Store

    store = Store(url)
    started = time.perf_counter()
    for record in generated_records(n):
        store.ingest(record)
    store.refresh_claims()
    store.engine.dispose()
    return time.perf_counter() - started


def new_pg_database(name: str) -> str | None:
    from scale_out import new_pg_database as make

    return make(name)


def writer_corpus(folder: Path, n: int = 2000) -> Path:
    """New articles for the writer, with ids no earlier run stored (a stored article is skipped unread)."""
    path = folder / "writes.jsonl"
    run = f"{time.time_ns():x}"
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"w{run}-{i}", "title": f"Council meets {i}", "source": f"Outlet {i % 40}",
                                "published": "2025-06-30T12:00:00",
                                "text": f"Mayor Anna Berg said on Monday that {i} residents attended the council "
                                        "meeting in Tartu. The council will meet again next week."}) + "\n")
    return path


async def _readers(base: str, plan: list[tuple[str, str]], clients: int,
                   seconds: float) -> tuple[dict[str, list[float]], list[str]]:
    import httpx

    times: dict[str, list[float]] = {}
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    # idle connections are dropped before the server's own 5 s keep-alive ends: a request sent on a
    # connection the server is closing meanwhile fails with a reset that says nothing of the server
    limits = httpx.Limits(max_connections=clients, keepalive_expiry=4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def reader(n: int) -> None:
            i = n
            while time.perf_counter() < stop:
                kind, path = plan[i % len(plan)]
                i += clients
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                except httpx.TransportError as exc:  # counted, not fatal: the table shows it
                    errors.append(f"{path}: {type(exc).__name__}")
                    continue
                if r.status_code != 200:
                    errors.append(f"{path}: {r.status_code}")
                times.setdefault(kind, []).append((time.perf_counter() - t) * 1000)

        await asyncio.gather(*(reader(n) for n in range(clients)))
    return times, errors


def under_load(url: str, clients: int, seconds: float, folder: Path) -> dict[str, dict]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        story_ids = [r[0] for r in conn.execute(text("SELECT id FROM stories WHERE merged_into IS NULL"))]
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    engine.dispose()
    rng = random.Random(3)
    plan = []
    for n in range(400):
        sid = rng.choice(story_ids)
        plan += [("/stories", "/stories" + ("" if n % 2 else "?order=outlets")), ("/stories/{id}", f"/stories/{sid}"),
                 ("/api/stories", "/api/stories" + ("" if n % 2 else "?order=size")),
                 ("/api/stories/{id}", f"/api/stories/{sid}"), ("/search", f"/search?q={SEARCH_WORDS[n % 6]}")]
    server, base = start_server(url)
    writer = None
    try:
        writer = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", str(writer_corpus(folder)),
                                   "--db", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(5)  # the writer has loaded its model and is storing
        times, errors = asyncio.run(_readers(base, plan, clients, seconds))
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
        server.terminate()
        server.wait(timeout=30)
    out: dict = {"articles": articles, "stories": len(story_ids), "errors": len(errors),
                 "error_examples": sorted(set(errors))[:5]}
    for kind, values in times.items():
        values.sort()
        out[kind] = {"requests": len(values), "p50_ms": round(statistics.median(values), 1),
                     "p95_ms": round(values[int(0.95 * (len(values) - 1))], 1)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--stores", default="", help="reuse built stores instead of building them: "
                    "sqlite=PATH,postgresql=URL")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsgraph-load-"))
    result: dict[str, dict] = {}
    reuse = dict(pair.split("=", 1) for pair in args.stores.split(",") if pair)
    for backend in args.backends.split(","):
        url = reuse.get(backend) or (str(work / "load.db") if backend == "sqlite"
                                     else new_pg_database("newsgraph_bench_load"))
        if url is None:
            print(f"{backend}: not available, skipped", file=sys.stderr)
            continue
        built = None if backend in reuse else round(build_store(url, args.articles))
        result[backend] = {"build_s": built, **under_load(url, args.clients, args.seconds, work)}
        print(backend, json.dumps(result[backend]), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    rows = [[backend, kind, str(v["requests"]), f"{v['p50_ms']:.0f}", f"{v['p95_ms']:.0f}",
             "yes" if v["p95_ms"] < 300 else "no"]
            for backend, kinds in result.items() for kind, v in kinds.items() if isinstance(v, dict)]
    body = markdown_table(["store", "request", "requests", "p50 ms", "p95 ms", "p95 < 300 ms"], rows)
    sizes = ", ".join(f"{b} {v['articles']:,} articles in {v['stories']:,} stories" for b, v in result.items())
    failed = ", ".join(f"{b} {v['errors']} ({'; '.join(v['error_examples']) or 'none'})" for b, v in result.items())
    body += (f"\n{args.clients} readers for {args.seconds:g} s while `newsgraph ingest` writes through the full "
             f"pipeline, one server process, on {machine()}; stores at the start: {sizes}. Requests that failed "
             f"(an error status or a broken connection): {failed}.\n")
    print(body)
    if args.update_readme:
        update_readme("bench:load", body, " ".join(["python bench/load.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
