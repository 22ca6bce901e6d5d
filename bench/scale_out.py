"""Scale-out: one process, `--workers 2` and a Dask cluster of two workers on the same articles; SQLite
against PostgreSQL for storing and for search.

    python bench/scale_out.py [--articles 300] [--rounds 3] [--search-articles 100000] [--json] [--update-readme]
    python bench/scale_out.py --short-words 250 --rounds 3 [--update-readme]   # short articles only

1. `newsgraph ingest` of the same articles (the fixtures, each copy with its own dateline) into a
   fresh SQLite store: one process, `--workers 2`, `--dask local` (two worker processes). Wall
   time from start to the closing line, model loading included; the speedups are ratios to one
   process measured in the same run (with ``--rounds N``, of the median of N runs of each mode,
   interleaved, and every run's seconds printed: this machine is shared and one run varies ~5%). Peak memory is the largest resident size any worker process
   reached (sampled every 0.2 s).
2. Storing alone: the same records (extracted once) written into SQLite and into PostgreSQL, one
   article per transaction, stories and claims included.
With ``--short-words N`` only part 1 runs, on articles cut to their first N words (short reports,
where the one writer's share of the run is largest), into its own README table; the table gives the
writer's share: the seconds the ingest spent storing, placing in stories and lining up claims (its
closing line's 'storing took'), over the run's wall time.
3. Search: a store of ``--search-articles`` articles on each backend (the fixtures' rows copied in
   SQL, with their full-text index), served by `newsgraph serve`; p50/p95 of `/api/articles?q=...`
   over words of the fixtures, sequential requests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, machine, markdown_table, start_server, update_readme  # noqa: E402

PG_ADMIN = os.environ.get("NEWSGRAPH_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CITIES = ["Lagos", "Lima", "Oslo", "Hanoi", "Quito", "Dakar", "Perth", "Minsk", "Doha", "Riga"]
WORDS = ["drones", "election", "police", "earthquake", "minister", "hospital", "pirates", "court", "ceasefire",
         "protest", "refugees", "missile", "stampede", "vaccine", "oil"]


def corpus(n: int, out: Path, words: int | None = None) -> None:
    from newsgraph.readers import ReadError, read_inputs

    base = [a for a in read_inputs([str(ROOT / "tests" / "fixtures" / "wikinews.jsonl"),
                                    str(ROOT / "tests" / "fixtures" / "stories")]) if not isinstance(a, ReadError)]
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            a = base[i % len(base)]
            text = a.text if words is None else " ".join(a.text.split(" ")[:words])
            f.write(json.dumps({"id": f"scale-{i}", "title": a.title, "published": a.published, "source": a.source,
                                "text": f"{CITIES[i % len(CITIES)]}, report {i}. " + text}) + "\n")


def timed_ingest(args: list[str], db: str) -> dict:
    cmd = [sys.executable, "-m", "newsgraph.cli", "ingest", *args, "--db", db]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    top = psutil.Process(proc.pid)
    peak_worker, peak_main = 0.0, 0.0
    while proc.poll() is None:
        try:
            peak_main = max(peak_main, top.memory_info().rss)
            for child in top.children(recursive=True):
                peak_worker = max(peak_worker, child.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - t
    err = proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    line = err.strip().splitlines()[-1]
    storing = re.search(r"storing took (\d+(?:\.\d+)?) s", line)
    return {"seconds": round(seconds, 1), "line": line,
            "writer_share": round(float(storing[1]) / seconds, 2) if storing else None,
            "peak_rss_mb_main": round(peak_main / 2**20), "peak_rss_mb_worker": round(peak_worker / 2**20)}


def _median_run(runs: list[dict]) -> dict:
    """The run with the median time (the lower middle one of an even number), peaks the largest seen."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    middle = dict(ordered[(len(ordered) - 1) // 2])
    for peak in ("peak_rss_mb_main", "peak_rss_mb_worker"):
        middle[peak] = max(r[peak] for r in runs)
    return middle


def pg_admin():
    """An autocommit connection to the PostgreSQL server's admin database, and its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(PG_ADMIN)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                           dbname=u.database or "postgres", autocommit=True, connect_timeout=3), u


def new_pg_database(name: str) -> str | None:
    try:
        conn, u = pg_admin()
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return u.set(database=name).render_as_string(hide_password=False)
    except Exception as exc:
        print(f"PostgreSQL not reachable at {PG_ADMIN}: {exc}; its rows are left out", file=sys.stderr)
        return None


def drop_pg_databases(*names: str) -> None:
    try:
        conn, _ = pg_admin()
        with conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:
        print(f"could not drop the bench databases: {exc}", file=sys.stderr)


def storing(records, url: str) -> float:
    from newsgraph.store import Store

    store = Store(url)
    t = time.perf_counter()
    for r in records:
        store.ingest(r)
    seconds = time.perf_counter() - t
    store.engine.dispose()
    return len(records) / seconds


def copy_rows(url: str, articles: int) -> None:
    """Fill a store holding the fixtures' records up to ``articles`` rows, by SQL copies (new ids,
    dates spread over two years), with the full-text index kept."""
    from sqlalchemy import text

    from newsgraph.store import Store

    store = Store(url)
    sqlite = store.is_sqlite
    with store.engine.begin() as conn:
        base = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        copies = -(-articles // base) - 1
        day = ("date('2024-01-01', '+' || (:n % 730) || ' days')" if sqlite
               else "to_char(date '2024-01-01' + (:n % 730), 'YYYY-MM-DD')")
        conn.execute(text("CREATE TEMP TABLE base AS SELECT id FROM articles"))
        for n in range(1, copies + 1):
            conn.execute(text(
                "INSERT INTO articles (id, url, source, title, subtitle, section, authors, published, retrieved, "
                "language, text, text_hash, pipeline_version, schema_version, record, ingested_at) "
                f"SELECT id || '-' || :n, url, source, title, subtitle, section, authors, {day}, retrieved, "
                "language, text, text_hash, pipeline_version, schema_version, record, ingested_at "
                "FROM articles WHERE id IN (SELECT id FROM base)"), {"n": n})
        if sqlite:
            conn.execute(text("INSERT INTO articles_fts(rowid, title, text) SELECT rowid, coalesce(title, ''), text "
                              "FROM articles WHERE id NOT IN (SELECT id FROM base)"))
    if not sqlite:
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE articles"))
    store.engine.dispose()


def serve_and_time(db: str, rounds: int = 4) -> dict:
    proc, base = start_server(db)
    try:
        for w in WORDS:  # warm the caches once
            urllib.request.urlopen(f"{base}/api/articles?q={w}&limit=20", timeout=60).read()
        times = []
        for r in range(rounds):
            for w in WORDS:
                query = urllib.parse.urlencode({"q": w, "limit": 20, "since": f"202{4 + r % 2}-01-01"})
                t = time.perf_counter()
                urllib.request.urlopen(f"{base}/api/articles?{query}", timeout=60).read()
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        return {"requests": len(times), "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--search-articles", type=int, default=100_000, help="0: no search part")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run each mode this many times, interleaved; the median run of each is reported")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    ap.add_argument("--from-json", help="report a run saved with --json instead of measuring again")
    ap.add_argument("--short-words", type=int, help="only the ingest runs, on articles cut to this many words")
    args = ap.parse_args()
    if args.from_json:
        report(json.loads(Path(args.from_json).read_text()), args)
        return
    result: dict = {"machine": machine(), "articles": args.articles, "rounds": args.rounds,
                    "short_words": args.short_words}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "articles.jsonl"
        corpus(args.articles, data, args.short_words)
        modes = (("one_process", []), ("workers_2", ["--workers", "2"]), ("dask_2", ["--dask", "local"]))
        tried: dict[str, list[dict]] = {name: [] for name, _ in modes}
        for n in range(args.rounds):  # rounds interleave the modes, so a busy spell hits all of them
            for name, extra in modes:
                db = work / f"{name}-{n}.db"
                run = timed_ingest([str(data), *extra], str(db))
                run["articles_per_s"] = round(args.articles / run["seconds"], 2)
                tried[name].append(run)
                print(name, n + 1, json.dumps(run), file=sys.stderr, flush=True)
                if n or name != "one_process":
                    db.unlink()
        runs = {name: {**_median_run(tried[name]), "rounds_seconds": [r["seconds"] for r in tried[name]]}
                for name in tried}
        one = runs["one_process"]["articles_per_s"]
        result.update(runs=runs, one_process_articles_per_s=one,
                      workers_speedup=round(runs["workers_2"]["articles_per_s"] / one, 2),
                      dask_speedup=round(runs["dask_2"]["articles_per_s"] / one, 2),
                      peak_rss_mb_per_worker=max(runs["workers_2"]["peak_rss_mb_worker"],
                                                 runs["dask_2"]["peak_rss_mb_worker"]))
        if args.short_words:
            report(result, args)
            return

        from newsgraph.exports import source
        from newsgraph.store import Store
        from newsgraph.store.queries import ArticleFilter

        records = [e.record for e in source.records(Store(str(work / "one_process-0.db"), create=False),
                                                    ArticleFilter())]
        pg_store = new_pg_database("newsgraph_bench_store")
        result["storing_articles_per_s"] = {"sqlite": round(storing(records, str(work / "store.db")), 1)}
        if pg_store:
            result["storing_articles_per_s"]["postgresql"] = round(storing(records, pg_store), 1)
        print("storing", json.dumps(result["storing_articles_per_s"]), file=sys.stderr, flush=True)

        search = {}
        fixtures = records[: 36]  # one copy of each fixture article
        for backend in ("sqlite", "postgresql") if args.search_articles else ():
            url = str(work / "search.db") if backend == "sqlite" else new_pg_database("newsgraph_bench_search")
            if url is None:
                continue
            storing(fixtures, url)
            t = time.perf_counter()
            copy_rows(url, args.search_articles)
            built = time.perf_counter() - t
            search[backend] = {**serve_and_time(url), "articles": args.search_articles, "build_s": round(built)}
            print("search", backend, json.dumps(search[backend]), file=sys.stderr, flush=True)
        result["search"] = search
        drop_pg_databases("newsgraph_bench_store", "newsgraph_bench_search")
    if args.json:
        print(json.dumps(result, indent=2))
        return
    report(result, args)


def report(result: dict, args) -> None:
    one = result["one_process_articles_per_s"]
    rows = [[name.replace("_", " "), f"{r['seconds']:.1f}", f"{r['articles_per_s']:.2f}",
             f"{r['articles_per_s'] / one:.2f}", f"{r['peak_rss_mb_main']}", f"{r['peak_rss_mb_worker'] or '-'}",
             f"{r['writer_share']:.2f}" if r.get("writer_share") is not None else "-"]
            for name, r in result["runs"].items()]
    body = markdown_table(["run", "seconds", "articles/s", "x one process", "peak RSS MB (main)",
                           "peak RSS MB (per worker)", "writer's share"], rows)
    short = result.get("short_words")
    body += f"\n{result['articles']} articles{f' of at most {short} words' if short else ''}, model loading included."
    rounds = result.get("rounds", 1)
    if rounds > 1:
        seconds = "; ".join(f"{name.replace('_', ' ')} {', '.join(f'{x:.1f}' for x in r['rounds_seconds'])}"
                            for name, r in result["runs"].items())
        body += f" Median of {rounds} interleaved rounds (seconds of each: {seconds})."
    if short:
        print(body)
        if args.update_readme:
            update_readme("bench:scale_out_short", body, f"python bench/scale_out.py --articles {result['articles']} "
                                                         f"--short-words {short} --rounds {result['rounds']}")
        return
    body += "\n\n"
    s = result["storing_articles_per_s"]
    body += markdown_table(["storing only (one article per transaction)", "articles/s"],
                           [[k, f"{v:.1f}"] for k, v in s.items()])
    if result.get("search"):
        body += "\n" + markdown_table(["search API", "articles", "requests", "p50 ms", "p95 ms"],
                                      [[k, f"{v['articles']:,}", str(v["requests"]), f"{v['p50_ms']:.1f}",
                                        f"{v['p95_ms']:.1f}"] for k, v in result["search"].items()])
    print(body)
    if args.update_readme:
        rounds = f" --rounds {result['rounds']}" if result.get("rounds", 1) > 1 else ""
        update_readme("bench:scale_out", body, f"python bench/scale_out.py --articles {result['articles']}{rounds} "
                                               f"--search-articles {args.search_articles}")


if __name__ == "__main__":
    main()
