"""Reliability: hostile and careless input against every reader, the pipeline and the HTTP API,
SIGKILL in the middle of ingests, a load of readers while an ingest writes, and what arrived since:
exports on hostile content and a full disk, three processes setting up one PostgreSQL database, a
worker killed while busy, a feed server that trickles bytes, a flood of distinct page spans.

    python bench/reliability.py [--examples 10000] [--kills 20] [--load-seconds 30] [--json] [--update-readme]

Prints one table: per part, the inputs tried and what went wrong. A crash is an exception that is
neither a record nor a clear error naming the input; a hang is an input that took longer than its
bound (readers: 2 s plus 2 s per MB; pipeline: the per-article time limit plus 10 s for loading and
slack); a 500 is a server error; lost is an article missing or stored twice after SIGKILLs.
Every part should report 0 in every column but the first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import io
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from _common import ROOT, markdown_table, update_readme  # noqa: E402

TIME_LIMIT = 10.0  # NEWSGRAPH_TIME_LIMIT for the pipeline part


# --- 1. readers ----------------------------------------------------------------------------

def _reader_strategies():
    from hypothesis import strategies as st

    words = st.sampled_from(["the", "mayor", "said", "“", "”", '"', "'", "—", "\n\n", "\u202e", "東京", "\x00",
                             "<p>", "</p>", "<script>", "&amp;", "&#0;", "\ufeff", "2025-09-06", "157", "\r"])
    prose = st.lists(st.one_of(words, st.text(max_size=30)), max_size=200).map(" ".join)
    text = st.one_of(st.binary(max_size=4096), prose.map(lambda s: s.encode("utf-8", "surrogatepass")),
                     prose.map(lambda s: s.encode("utf-16")), prose.map(lambda s: gzip.compress(s.encode())))
    json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                              lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                                  st.sampled_from(["id", "text", "title", "published", "url", "source", "body",
                                                   "authors", "x"]), inner, max_size=6), max_leaves=20)
    jsonl = st.lists(st.one_of(json_value.map(json.dumps), st.text(max_size=80), prose.map(
        lambda s: json.dumps({"title": s[:40], "text": s, "published": "2025-09-06"}))), max_size=8).map(
        lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))
    tags = st.sampled_from(["<html>", "<head>", "<title>", "</title>", "<body>", "<article>", "<p>", "</p>",
                            "<script>var a=1;</script>", '<meta property="og:title" content="x">',
                            '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"x"}</script>',
                            "<div>", "</div>", "<!--", "-->", "<![CDATA[", "<svg onload=x>", '<html lang="zz">'])
    html = st.lists(st.one_of(tags, prose), max_size=120).map(lambda parts: "".join(parts).encode(
        "utf-8", "surrogatepass"))
    feed_parts = st.sampled_from(['<?xml version="1.0"?>', "<rss><channel>", "</channel></rss>", "<item>",
                                  "</item>", "<link>https://news.example/a</link>", "<title>T</title>",
                                  "<pubDate>Sat, 06 Sep 2025 10:00:00 GMT</pubDate>", "<feed>", "</feed>",
                                  '<!DOCTYPE x [<!ENTITY a "aaaa">]>', "&a;", "<entry>", "</entry>"])
    feed = st.lists(st.one_of(feed_parts, prose), max_size=60).map(lambda p: "".join(p).encode(
        "utf-8", "surrogatepass"))
    warc = st.tuples(st.lists(st.tuples(st.sampled_from(["200 OK", "404 Not Found", "301 Moved"]),
                                        st.sampled_from(["text/html", "image/png", "text/plain", ""]),
                                        html), min_size=1, max_size=4),
                     st.booleans(), st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=50))
    return {"text": (".txt", text), "jsonl": (".jsonl", jsonl), "html": (".html", html), "feed": (None, feed),
            "warc": (".warc", warc)}


def _warc_bytes(spec) -> tuple[bytes, str]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    records, compress, cut, flips = spec
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for i, (status, kind, body) in enumerate(records):
        http = StatusAndHeaders(status, [("Content-Type", kind)] if kind else [], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://news.example/{i}", "response",
                                                      payload=io.BytesIO(body), http_headers=http))
    data = bytearray(out.getvalue())
    rng = random.Random(len(data) + cut + flips)
    for _ in range(flips):  # a few corrupted bytes
        data[rng.randrange(len(data))] = rng.randrange(256)
    data = data[: max(0, len(data) - cut)]
    return bytes(data), ".warc.gz" if compress else ".warc"


def _read_one(kind: str, suffix: str | None, payload, folder: Path) -> str:
    """ok, crash or hang for one generated input."""
    from newsgraph.errors import InputError
    from newsgraph.readers import ReadError, Skipped, read_inputs
    from newsgraph.record import Article

    if kind == "warc":
        payload, suffix = _warc_bytes(payload)
    size_mb = len(payload) / 1_048_576
    started = time.perf_counter()
    try:
        if kind == "feed":
            from newsgraph.readers.feeds import parse_feed

            with contextlib.suppress(InputError):  # a clear refusal is a right answer
                parse_feed(payload, "fuzz")
        else:
            path = folder / f"fuzz{suffix}"
            path.write_bytes(payload)
            for item in read_inputs([str(path)]):
                if not isinstance(item, Article | ReadError | Skipped):
                    return "crash"
                if isinstance(item, ReadError) and str(path) not in str(item):
                    return "crash"  # an error must name its input
    except Exception:  # anything else escaping a reader is a crash
        return "crash"
    return "hang" if time.perf_counter() - started > 2 + 2 * size_mb else "ok"


def _fuzz_one_reader(kind, suffix, strategy, examples: int, folder: Path, tally: Counter, first: list) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    warm = {"warc": ([("200 OK", "text/html", b"<p>warm up</p>")], False, 0, 0)}.get(kind, b"<p>warm up</p>")
    _read_one(kind, suffix, warm, folder)  # imports and models load once, outside the timed inputs

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(payload):
        outcome = _read_one(kind, suffix, payload, folder)
        tally[outcome] += 1
        if outcome != "ok" and not first:
            first.append(repr(payload)[:200])

    one()


def fuzz_readers(examples: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for kind, (suffix, strategy) in _reader_strategies().items():
            tally: Counter = Counter()
            first_crash: list = []
            started = time.perf_counter()
            _fuzz_one_reader(kind, suffix, strategy, examples, Path(folder), tally, first_crash)
            rows.append({"part": f"reader: {kind}", "tried": sum(tally.values()), "crashes": tally["crash"],
                         "server_errors": 0, "hangs": tally["hang"], "lost": 0,
                         "note": f"{time.perf_counter() - started:.0f} s" + (f"; first: {first_crash[0]}"
                                                                             if first_crash else "")})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


# --- 2. the pipeline on adversarial texts --------------------------------------------------

ADVERSARIAL = {
    "100,000 quote marks": '"' * 100_000,
    "punctuation runs": "( ! ' “ — $ " * 15_000,
    "a 5 MB token": "a" * 5_000_000,
    "nested quotes": "He said " + "“she said ‘" * 3_000 + "ok" + "’”" * 3_000,
    "100,000 short lines": "short line\n" * 100_000,
    "mixed scripts and bidi controls": "Kyiv \u202eتجربة\u202c Київ 東京 \u200f" * 5_000,
    "one 150,000-character paragraph": ("The minister said 157 drones were launched. " * 3_400),
    "empty quotes": '"" ' * 30_000,
}


def adversarial_pipeline() -> dict:
    from newsgraph.pipeline import Pipeline, ProcessError
    from newsgraph.record import Article, Record

    pipeline = Pipeline(time_limit=TIME_LIMIT)
    tally: Counter = Counter()
    slowest = 0.0
    for name, text in ADVERSARIAL.items():
        started = time.perf_counter()
        try:
            result = next(pipeline.process_many([Article(id=name, title="Headline", text=text)]))
            outcome = "ok" if isinstance(result, Record | ProcessError) else "crash"
        except Exception:
            outcome = "crash"
        elapsed = time.perf_counter() - started
        slowest = max(slowest, elapsed)
        tally["hang" if elapsed > TIME_LIMIT + 10 else outcome] += 1
    return {"part": "pipeline: adversarial texts", "tried": len(ADVERSARIAL), "crashes": tally["crash"],
            "server_errors": 0, "hangs": tally["hang"], "lost": 0,
            "note": f"slowest {slowest:.1f} s (limit {TIME_LIMIT:g} s)"}


# --- 3. the HTTP API -------------------------------------------------------------------------

def _serve(db: Path, port: int, token: str = "bench-token", workers: int = 1) -> subprocess.Popen:
    import urllib.request

    env = {**os.environ, "NEWSGRAPH_TOKEN": token}
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port),
                             "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fixture_store(folder: Path) -> Path:
    db = folder / "api.db"
    subprocess.run([sys.executable, "-m", "newsgraph.cli", "ingest", str(ROOT / "tests" / "fixtures"), "--db", str(db)],
                   check=True, capture_output=True)
    return db


HOSTILE_REQUESTS = [
    ("GET", "/api/articles?cursor=bzoxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw", None, {}),
    ("GET", "/api/quotes?speaker=" + "a_" * 30_000, None, {}),
    ("GET", "/api/articles?q=" + "%22" * 3000, None, {}),
    ("GET", "/api/articles?since=9999-99-99&until=0000-00-00", None, {}),
    ("GET", "/api/entities/99999999999999999999999", None, {}),
    ("GET", "/api/stories/0", None, {}),
    ("GET", "/articles/..%2F..%2Fetc%2Fpasswd", None, {}),
    ("GET", "/search?q=%00%ff%fe&person=%E2%80%AE", None, {}),
    ("GET", "/map?place=" + "x" * 1999, None, {}),
    ("POST", "/api/articles", b"{not json", {"Authorization": "Bearer bench-token",
                                             "Content-Type": "application/json"}),
    ("POST", "/api/articles", b'{"text": ""}', {"Authorization": "Bearer bench-token",
                                                 "Content-Type": "application/json"}),
    ("POST", "/api/articles", json.dumps({"text": "T\n\n" + "\u202e" * 10_000}).encode(),
     {"Authorization": "Bearer bench-token", "Content-Type": "application/json"}),
    ("POST", "/api/articles", b'{"url": "http://127.0.0.1:1/x"}', {"Authorization": "Bearer bench-token",
                                                                    "Content-Type": "application/json"}),
    ("POST", "/api/articles", b'{"text": "x"}', {"Authorization": "Bearer t\u00e9st".encode()}),
    ("POST", "/api/articles", b'{"text": "x"}', {"Authorization": "bench-token"}),
]


def api_fuzz(db: Path, examples: int) -> dict:
    import httpx

    port = _free_port()
    server = _serve(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        errors = 0
        with httpx.Client(base_url=base, timeout=120) as client:
            for method, path, body, headers in HOSTILE_REQUESTS:
                r = client.request(method, path, content=body, headers=headers)
                errors += r.status_code >= 500
        schemathesis = str(Path(sys.executable).parent / "schemathesis")
        proc = subprocess.run([schemathesis, "run", f"{base}/openapi.json", "--checks", "not_a_server_error",
                               "--max-examples", str(examples), "--exclude-method", "POST"],
                              capture_output=True, text=True, timeout=3600)
        tried = _schemathesis_cases(proc.stdout)
        failed = proc.returncode != 0
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"part": "HTTP API (schemathesis + hostile requests)", "tried": tried + len(HOSTILE_REQUESTS),
            "crashes": 0, "server_errors": errors + (1 if failed else 0), "hangs": 0, "lost": 0,
            "note": f"schemathesis {examples} examples per operation" + (": FAILED, see its output" if failed else "")}


def _schemathesis_cases(output: str) -> int:
    import re

    numbers = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) generated", output)]
    if numbers:
        return sum(numbers)
    found = re.findall(r"(\d+) passed", output)
    return int(found[-1]) if found else 0


# --- 4. SIGKILL during ingest --------------------------------------------------------------

def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def kills(count: int, folder: Path, articles: int = 600) -> dict:
    """Ingest the same corpus again and again, each time SIGKILLed once a random number of further
    articles has been committed; then let one run finish and count."""
    from newsgraph.readers import ReadError, read_inputs

    base = [a for a in read_inputs([str(ROOT / "tests" / "fixtures")]) if not isinstance(a, ReadError)]
    corpus = folder / "kill.jsonl"
    with corpus.open("w") as f:
        for i in range(articles):
            a = base[i % len(base)]
            f.write(json.dumps({"id": f"k{i}", "title": a.title, "source": a.source, "published": a.published,
                                "text": f"Report {i}. " + a.text}) + "\n")
    db = folder / "kill.db"
    rng = random.Random(11)
    killed = 0
    for _ in range(count):
        target = _stored(db) + rng.randint(1, 20)
        proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", str(corpus), "--db", str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and _stored(db) < target:
            time.sleep(rng.uniform(0.02, 0.2))  # a random moment once the target is reached
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
    subprocess.run([sys.executable, "-m", "newsgraph.cli", "ingest", str(corpus), "--db", str(db)],
                   capture_output=True, timeout=3600)
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM articles")]
    placed = con.execute("SELECT count(*) FROM story_articles").fetchone()[0]
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    lost = (articles - len(set(ids))) + (len(ids) - len(set(ids))) + (len(ids) - placed) + (ok != "ok")
    return {"part": "SIGKILL during ingest (SQLite)", "tried": killed, "crashes": 0, "server_errors": 0,
            "hangs": 0, "lost": lost,
            "note": f"{killed} kills; {len(set(ids))}/{articles} stored once each, {placed} placed in stories, "
                    f"integrity_check {ok}"}


# --- 5. readers under load while an ingest writes -----------------------------------------

async def _load(base: str, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int, int]:
    import httpx

    latencies: list[float] = []
    errors = server_errors = 0
    stop = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=30,
                                 limits=httpx.Limits(max_connections=clients)) as client:
        async def worker(n: int) -> None:
            nonlocal errors, server_errors
            i = n
            while time.perf_counter() < stop:
                path = paths[i % len(paths)]
                i += clients
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    errors += r.status_code != 200
                    server_errors += r.status_code >= 500
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t)

        await asyncio.gather(*(worker(n) for n in range(clients)))
    return latencies, errors, server_errors


def load_while_ingesting(db: Path, seconds: float, folder: Path) -> dict:
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM articles")]
    stories = [r[0] for r in con.execute("SELECT id FROM stories WHERE merged_into IS NULL")]
    con.close()
    paths = [f"/articles/{i}" for i in ids] + [f"/stories/{s}" for s in stories] + [
        "/", "/stories", "/api/articles?limit=20", "/api/stories", "/search?q=said", "/map", "/timeline"]
    corpus = folder / "load.jsonl"
    with corpus.open("w") as f:
        for i in range(400):
            f.write(json.dumps({"id": f"load{i}", "title": f"Load {i}",
                                "text": f"Report {i}. The council met on Monday and {i} residents attended."}) + "\n")
    port = _free_port()
    server = _serve(db, port, workers=2)
    writer = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", str(corpus), "--db", str(db)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        latencies, errors, server_errors = asyncio.run(_load(f"http://127.0.0.1:{port}", paths, 20, seconds))
    finally:
        writer.kill()
        writer.wait()
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] * 1000 if latencies else 0.0
    return {"part": f"20 clients for {seconds:g} s while an ingest writes", "tried": len(latencies),
            "crashes": errors - server_errors, "server_errors": server_errors, "hangs": 0, "lost": 0,
            "note": f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 {p95:.0f} ms"}


# --- 6. what arrived since: exports, PostgreSQL set-up, workers, feeds, the page cache ----------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _hostile_store(folder: Path) -> Path:
    """The fixtures' store (so every output outgrows the full disk's limit) and one article that
    carries what a hostile page can: formula cells, GKG separators, a NUL byte."""
    import shutil

    from newsgraph.pipeline import Pipeline
    from newsgraph.record import Article
    from newsgraph.store import Store

    db = folder / "hostile-export.db"
    shutil.copy(folder / "api.db" if (folder / "api.db").exists() else _fixture_store(folder), db)
    article = Article(id="=cmd|' /C calc'!A0", title='=HYPERLINK("http://evil.example","click")',
                      source="+Outlet;#x", url="https://example.org/a;b?c=1#frag",
                      text='@SUM(1+1) said the mayor.\n\n"-2+3," said Jane Doe, the council\'s head;# '
                           "on Monday.\n\nThe fire destroyed 12 homes\x00 in Harbour Town.")
    store = Store(str(db))
    store.ingest(Pipeline().process(article))
    store.engine.dispose()
    return db


def _export(db: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    import resource

    def limited() -> None:  # a full disk: a write past the limit fails with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "newsgraph.cli", "export", *args, "--db", str(db)],
                          capture_output=True, timeout=300, preexec_fn=limited if limit else None)


def _csv_formulas(folder: Path) -> int:
    import csv

    found = 0
    for table in folder.glob("*.csv"):
        with table.open(newline="", encoding="utf-8") as f:
            # a number such as '-0.68' is data, not a formula (OWASP leaves numbers as they are)
            found += sum(cell.startswith(FORMULA_START) and not _is_number(cell) for row in csv.reader(f) for cell in row)
    return found


def _gkg_faults(path: Path) -> int:
    """Rows a reader as strict as GDELT's own would refuse: not 27 fields, no 14-digit date, a tone
    block without seven numbers, a NUL anywhere."""
    faults = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        tone = fields[15].split(",") if len(fields) == 27 else []
        numbers = len(tone) == 7 and all(_is_number(v) for v in tone)
        dated = len(fields) == 27 and re.fullmatch(r"\d{14}", fields[1]) is not None
        faults += len(fields) != 27 or not dated or not numbers or "\x00" in line
    return faults


def _is_number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def exports(folder: Path) -> dict:
    """Every export format on hostile content, on a full disk, at a device, a pipe, a planted symlink
    and the current folder: each must end in one clear line or a good file, and leave nothing half-written."""
    import stat

    db = _hostile_store(folder)
    tried = crashes = lost = 0
    problems: list[str] = []
    formats = {"jsonl": "out.jsonl", "gkg": "out.tsv", "csv": "tables", "parquet": "parquet",
               "datasette-metadata": "meta.json"}
    for fmt, name in formats.items():
        out = folder / f"good-{fmt}"
        out.mkdir()
        done = _export(db, "-f", fmt, "-o", str(out / name))
        tried += 1
        if done.returncode != 0:
            crashes += 1
            problems.append(f"{fmt}: {done.stderr.decode()[-200:]}")
        elif fmt == "csv" and (n := _csv_formulas(out / name)):
            crashes += 1
            problems.append(f"csv: {n} formula cells")
        elif fmt == "gkg" and (n := _gkg_faults(out / name)):
            crashes += 1
            problems.append(f"gkg: {n} rows a strict reader refuses")
    for fmt, name in formats.items():  # a full disk: one line naming the output, nothing left behind
        out = folder / f"full-{fmt}"
        out.mkdir()
        done = _export(db, "-f", fmt, "-o", str(out / name), limit=64_000)  # SQLite itself needs 32 KB
        tried += 1
        err = done.stderr.decode()
        if "Traceback" in err or (done.returncode != 0 and "cannot write" not in err):
            crashes += 1
            problems.append(f"{fmt} on a full disk: {err[-200:]}")
        if done.returncode != 0 and list(out.iterdir()):
            lost += 1
            problems.append(f"{fmt} on a full disk left {[p.name for p in out.iterdir()]}")
    pipe = folder / "pipe"
    os.mkfifo(pipe)
    for target, kind in (("/dev/null", stat.S_ISCHR), (str(pipe), stat.S_ISFIFO)):
        done = _export(db, "-f", "jsonl", "-o", target)
        tried += 1
        crashes += done.returncode != 2 or "Traceback" in done.stderr.decode()
        lost += not kind(os.stat(target).st_mode)  # the device or pipe replaced by a file
    victim = folder / "victim.txt"
    victim.write_text("keep me")
    (folder / ".planted.jsonl.partial").symlink_to(victim)
    done = _export(db, "-f", "jsonl", "-o", str(folder / "planted.jsonl"))
    tried += 1
    crashes += done.returncode != 0
    lost += victim.read_text() != "keep me"
    done = subprocess.run([sys.executable, "-m", "newsgraph.cli", "export", "-f", "jsonl", "-o", ".", "--db", str(db)],
                          capture_output=True, timeout=300, cwd=folder)
    tried += 1
    crashes += done.returncode != 2 or "Traceback" in done.stderr.decode()
    note = "; ".join(problems) or ("5 formats on hostile content and on a full disk; /dev/null, a pipe, "
                                   "a planted symlink, '-o .'")
    return {"part": "exports (hostile cells, full disk, devices)", "tried": tried, "crashes": crashes,
            "server_errors": 0, "hangs": 0, "lost": lost, "note": note}


PG_ADMIN = os.environ.get("NEWSGRAPH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def postgres_setup_race(rounds: int) -> dict | None:
    """Three processes open one fresh PostgreSQL database at once, as three `ingest` runs do."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        admin = make_url(PG_ADMIN)
        connect = dict(host=admin.host, port=admin.port, user=admin.username, dbname=admin.database or "postgres",
                       autocommit=True, connect_timeout=3)
        psycopg.connect(**connect).close()
    except Exception as exc:  # no server, no driver
        print(f"skipping the PostgreSQL race: {exc}", file=sys.stderr)
        return None
    opener = ("import sys; from newsgraph.record import Article, Record; from newsgraph.store import Store; "
              "Store(sys.argv[1]).ingest(Record(article=Article(id=sys.argv[2], text='Harbour report.')))")
    failed = stored = 0
    for n in range(rounds):
        name = f"newsgraph_bench_race_{os.getpid()}_{n}"
        with psycopg.connect(**connect) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = admin.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
        procs = [subprocess.Popen([sys.executable, "-c", opener, url, f"race-{k}"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE) for k in range(3)]
        failed += sum(p.wait(timeout=120) != 0 for p in procs)
        for p in procs:
            p.stderr.close()
        with psycopg.connect(**{**connect, "dbname": name}) as conn:
            stored += conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        with psycopg.connect(**connect) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {"part": "PostgreSQL set-up race (3 processes, fresh database)", "tried": rounds * 3, "crashes": failed,
            "server_errors": 0, "hangs": 0, "lost": rounds * 3 - stored,
            "note": f"{rounds} rounds; {stored}/{rounds * 3} articles stored"}


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children()]
    except psutil.Error:
        return []


def busy_worker_kill(folder: Path, articles: int = 120) -> dict:
    """`ingest --workers 2`, one worker SIGKILLed while it works: the run must go on at once and
    store every article (a lost batch used to wait out a 300 s timeout)."""
    from newsgraph.readers import ReadError, read_inputs

    base = [a for a in read_inputs([str(ROOT / "tests" / "fixtures")]) if not isinstance(a, ReadError)]
    corpus = folder / "busy.jsonl"
    with corpus.open("w") as f:
        for i in range(articles):
            a = base[i % len(base)]
            f.write(json.dumps({"id": f"b{i}", "title": a.title, "text": f"Report {i}. " + a.text}) + "\n")
    db = folder / "busy.db"
    run = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", str(corpus), "--db", str(db),
                            "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while run.poll() is None and _stored(db) < 10:
        time.sleep(0.2)
    workers = _children(run.pid)
    killed_at = time.monotonic()
    if workers and run.poll() is None:
        os.kill(workers[0], signal.SIGKILL)
    _, err = run.communicate(timeout=900)
    after = time.monotonic() - killed_at
    stored = _stored(db)
    return {"part": "a worker SIGKILLed while busy (--workers 2)", "tried": articles,
            "crashes": int(run.returncode != 0), "server_errors": 0, "hangs": int(after > 120),
            "lost": articles - stored,
            "note": f"{'killed one of ' + str(len(workers)) + ' workers' if workers else 'no worker to kill'}; "
                    f"the run ended {after:.0f} s later, {stored}/{articles} stored"}


def slow_feed() -> dict:
    """A server that sends one byte every half second never trips a read timeout; the overall
    deadline (NEWSGRAPH_DEADLINE) must end the read, name the page, and the next page is still read."""
    from localserver import LocalServer

    deadline = 3
    with LocalServer() as server:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "newsgraph.cli", "extract", "--no-nlp",
                               server.url("/broken/trickle"), server.url("/a/4.html"), "--allow-private",
                               "--timeout", "2"], capture_output=True, timeout=300,
                              env={**os.environ, "NEWSGRAPH_DEADLINE": str(deadline)})
        took = time.monotonic() - started
    err = done.stderr.decode()
    clear = f"took longer than {deadline} s in all" in err and "Traceback" not in err
    read = len(done.stdout.decode().splitlines())
    return {"part": "a feed server trickling one byte per 0.5 s", "tried": 2, "crashes": int(not clear),
            "server_errors": 0, "hangs": int(took > deadline + 20), "lost": 1 - read,
            "note": f"deadline {deadline} s: cut off and named after {took:.1f} s (with start-up); the other page read"}


def _rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def span_flood(folder: Path, spans: int) -> dict:
    """Many different ?span= values on one long article: each is a page of its own; the server's
    cache must stay within its budget (NEWSGRAPH_CACHE_MB, 64 MB by default) instead of growing."""
    import httpx

    from newsgraph.record import Article, Record
    from newsgraph.store import Store

    db = folder / "spans.db"
    paragraph = "The council said the harbour would reopen on Monday, and 40 boats waited outside. "
    text = "\n\n".join(paragraph * 3 for _ in range(600))
    store = Store(str(db))
    store.ingest(Record(article=Article(id="long", title="A long report", text=text)))
    store.engine.dispose()
    port = _free_port()
    server = _serve(db, port)
    errors = 0
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            client.get("/articles/long")
            before = _rss_mb(server.pid)
            for n in range(spans):
                start = (n * 37) % (len(text) - 50)
                errors += client.get(f"/articles/long?span={start}-{start + 20}").status_code != 200
            after = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    grew = after - before
    return {"part": f"{spans:,} different ?span= pages of one long article", "tried": spans, "crashes": errors,
            "server_errors": 0, "hangs": 0, "lost": int(grew > 200),
            "note": f"server memory {before:.0f} -> {after:.0f} MB ({len(text) // 1000} KB article)"}


# --- the table -------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="generated inputs per reader")
    parser.add_argument("--api-examples", type=int, default=200, help="schemathesis examples per operation")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--race-rounds", type=int, default=10, help="fresh PostgreSQL databases opened by 3 at once")
    parser.add_argument("--spans", type=int, default=1000, help="distinct ?span= pages asked of one long article")
    parser.add_argument("--only", help="run only these parts (comma-separated: exports,race,busy,feed,spans); no README")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()
    os.environ["NEWSGRAPH_TIME_LIMIT"] = str(TIME_LIMIT)
    if args.only:
        _print_only(args)
        return
    rows = fuzz_readers(args.examples)
    rows.append(adversarial_pipeline())
    print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = _fixture_store(folder)
        rows.append(api_fuzz(db, args.api_examples))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        rows.append(kills(args.kills, folder))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        rows.append(load_while_ingesting(db, args.load_seconds, folder))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        for part in _new_parts(args, folder).values():
            if (row := part()) is not None:
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    body = _table(rows)
    print(body)
    if args.update_readme:
        command = (f"python bench/reliability.py --examples {args.examples} --kills {args.kills} "
                   f"--load-seconds {args.load_seconds:g} --race-rounds {args.race_rounds} --spans {args.spans} "
                   "--update-readme")
        update_readme("bench:reliability", body, command)


def _new_parts(args, folder: Path) -> dict:
    return {"exports": lambda: exports(folder), "race": lambda: postgres_setup_race(args.race_rounds),
            "busy": lambda: busy_worker_kill(folder), "feed": slow_feed,
            "spans": lambda: span_flood(folder, args.spans)}


def _print_only(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        parts = _new_parts(args, Path(tmp))
        rows = [row for name in args.only.split(",") if (row := parts[name.strip()]()) is not None]
    print(json.dumps(rows, indent=2) if args.json else _table(rows))


def _table(rows: list[dict]) -> str:
    table = markdown_table(["part", "inputs tried", "crashes", "500s", "hangs", "data lost", "notes"],
                           [[r["part"], f"{r['tried']:,}", str(r["crashes"]), str(r["server_errors"]),
                             str(r["hangs"]), str(r["lost"]), r["note"]] for r in rows])
    total = {k: sum(r[k] for r in rows) for k in ("crashes", "server_errors", "hangs", "lost")}
    body = table + (f"\nIn all: {sum(r['tried'] for r in rows):,} inputs, {total['crashes']} crashes, "
                    f"{total['server_errors']} server errors, {total['hangs']} hangs, {total['lost']} articles lost.\n")
    return body


if __name__ == "__main__":
    main()
