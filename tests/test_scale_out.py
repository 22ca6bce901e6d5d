"""All cores and a cluster: `--workers N` and `--dask` give the records one process gives, in the same
order; a failed article is still reported by name; a Dask run survives a killed worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEED, STORIES, WIKINEWS, run_cli
from newsgraph.store import Store
from warcgen import write_warc

BIN = Path(sys.executable).parent


def records_of(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def one_process() -> list[dict]:
    done = run_cli("extract", str(WIKINEWS), str(SEED), str(STORIES), "-f", "jsonl")
    assert done.returncode == 0, done.stderr.decode()
    return records_of(done.stdout)


def test_workers_give_the_records_of_one_process_in_order(one_process):
    done = run_cli("extract", str(WIKINEWS), str(SEED), str(STORIES), "-f", "jsonl", "--workers", "2")
    assert done.returncode == 0, done.stderr.decode()
    assert records_of(done.stdout) == one_process and len(one_process) == 37


def test_a_failed_article_is_named_and_the_workers_go_on(one_process):
    env = {"NEWSGRAPH_MAX_CHARS": "3000"}  # the longer articles fail, in the workers, by name
    done = run_cli("extract", str(WIKINEWS), "-f", "jsonl", "--workers", "2", env=env)
    long_ids = [r["article"]["id"] for r in one_process
                if len(r["article"]["text"]) > 3000 and r["article"]["id"].startswith("wikinews")]
    assert done.returncode == 1 and long_ids
    assert all(f"article {i}: text of" in done.stderr.decode() for i in long_ids)
    kept = [r["article"]["id"] for r in records_of(done.stdout)]
    assert kept == [r["article"]["id"] for r in one_process
                    if r["article"]["id"].startswith("wikinews") and r["article"]["id"] not in long_ids]


def _ids(store: Store) -> list[str]:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return list(conn.execute(text("select id from articles order by id")).scalars())


class DaskCluster:
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "scheduler.json"
        self.procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                        "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(self.file)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        deadline = time.time() + 60
        while not self.file.exists() and time.time() < deadline:
            time.sleep(0.2)
        self.workers = [subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(self.file),
                                          "--host", "127.0.0.1", "--nthreads", "1", "--memory-limit", "2GiB",
                                          "--dashboard-address", "127.0.0.1:0", "--no-nanny"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                        for _ in range(2)]
        self.procs += self.workers
        from distributed import Client

        with Client(scheduler_file=str(self.file), timeout=30) as client:
            client.wait_for_workers(2, timeout=60)

    def stop(self) -> None:
        for p in reversed(self.procs):  # workers first, then the scheduler
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """A WARC of 40 records (25 article pages among images, 404s and request records) and what one
    process stores of it: the reference the runs with workers, killed or not, are compared with."""
    folder = tmp_path_factory.mktemp("crawl")
    warc = folder / "crawl.warc.gz"
    kinds = write_warc(warc, 40)
    inputs = [str(warc)]
    reference = folder / "one.db"
    assert run_cli("ingest", *inputs, "--db", str(reference)).returncode == 0
    return inputs, kinds, reference


def test_a_dask_run_with_a_worker_killed_halfway_ends_with_every_article_once(tmp_path, crawl):
    inputs, kinds, reference = crawl
    cluster = DaskCluster(tmp_path)
    try:
        db = tmp_path / "dask.db"
        run = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", *inputs, "--db", str(db),
                                "--dask", str(cluster.file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=os.environ.copy())
        deadline = time.time() + 300
        while time.time() < deadline and run.poll() is None and _stored(db) < 10:
            time.sleep(0.3)
        assert run.poll() is None, "the run ended before a worker could be killed"
        cluster.workers[0].send_signal(signal.SIGKILL)  # halfway: its batches run again on the other worker
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err.decode()[-2000:]
        assert "0 failed" in err.decode(), err.decode()[-3000:]
    finally:
        cluster.stop()
    a, b = Store(str(reference), create=False), Store(str(db), create=False)
    assert _ids(a) == _ids(b) and len(_ids(b)) == kinds["html"]
    assert all(a.get(i) == b.get(i) for i in _ids(a))


def _stored(db: Path) -> int:
    import sqlite3

    try:
        con = sqlite3.connect(db, timeout=1)
        n = con.execute("select count(*) from articles").fetchone()[0]
        con.close()
        return n
    except sqlite3.OperationalError:
        return 0


def test_dask_local_straight_to_parquet(tmp_path, one_process):
    """`ingest --dask local --out DIR`: a crawl to Parquet tables with no store, the same rows as the
    records of one process."""
    import pyarrow.dataset as ds

    out = tmp_path / "lake"
    done = run_cli("ingest", str(WIKINEWS), "--dask", "local", "--out", str(out))
    assert done.returncode == 0 and "30 new" in done.stderr.decode(), done.stderr.decode()[-1000:]
    quotes = ds.dataset(out / "quotes", format="parquet", partitioning="hive").to_table().to_pylist()
    want = sorted((r["article"]["id"], q["start"], q["text"]) for r in one_process
                  if r["article"]["id"].startswith("wikinews") for q in r["quotes"])
    assert sorted((q["article_id"], q["start"], q["text"]) for q in quotes) == want


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_a_worker_killed_while_busy_neither_stalls_the_run_nor_loses_an_article(tmp_path, crawl):
    inputs, kinds, reference = crawl
    db = tmp_path / "workers.db"
    run = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", *inputs, "--db", str(db),
                            "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    deadline = time.time() + 300
    while time.time() < deadline and run.poll() is None and _stored(db) < 10:
        time.sleep(0.3)
    workers = _children(run.pid)
    assert run.poll() is None and workers, "the run ended before a worker could be killed"
    os.kill(workers[0], signal.SIGKILL)  # busy: the run keeps a window of batches in flight
    killed_at = time.time()
    _, err = run.communicate(timeout=600)
    assert time.time() - killed_at < 120  # a lost batch used to wait out a 300 s timeout
    assert run.returncode == 0 and "0 failed" in err.decode(), err.decode()[-3000:]
    assert f"{kinds['html']} new" in err.decode()  # each article stored once, though its batch ran twice
    a, b = Store(str(reference), create=False), Store(str(db), create=False)
    assert _ids(a) == _ids(b) and len(_ids(b)) == kinds["html"]
    assert all(a.get(i) == b.get(i) for i in _ids(a))  # the workers store what one process stores
