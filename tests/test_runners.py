"""Runners: the pipeline in this process, in worker processes, or on a Dask cluster, behind one
protocol (process_many, version, a context manager that closes), with options checked before
anything starts."""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from conftest import SEED, run_cli
from newsgraph.errors import ProcessError
from newsgraph.record import Article, Record
from newsgraph.runners import Runner, open_runner
from newsgraph.runners.local import InProcess
from newsgraph.runners.pool import WorkerPool

ARTICLES = [Article(id=f"r{n}", text=f"Report {n}\n\nThe council in Tartu met on Monday, Mayor Anna Berg said. "
                                     f"{n + 2} roads were closed.") for n in range(3)]


def test_open_runner_gives_the_runner_for_the_options_and_each_is_a_runner():
    assert isinstance(open_runner(), InProcess)
    assert isinstance(open_runner(workers=2), WorkerPool)
    for runner in (open_runner(), open_runner(workers=2)):
        assert isinstance(runner, Runner)
        with runner as entered:
            assert entered is runner


def test_a_bad_option_is_refused_before_anything_starts():
    with pytest.raises(ValueError, match="start must be one of"):
        WorkerPool(2, start="forkserver-please")
    with pytest.raises(Exception, match="nosuchstage"):
        WorkerPool(2, stages=["nosuchstage"])
    with pytest.raises(Exception, match="nosuchstage"):
        InProcess(stages=["nosuchstage"])


def test_the_cli_refuses_a_bad_format_before_it_reaches_for_the_cluster():
    # nothing listens on port 9: had the runner started first, the error would be about the cluster
    done = run_cli("extract", str(SEED), "--format", "bogus", "--dask", "tcp://127.0.0.1:9", timeout=60)
    err = done.stderr.decode()
    assert done.returncode == 2 and "--format" in err and "Dask cluster" not in err, err


def test_a_pool_gives_the_in_process_records_in_order():
    with InProcess() as here:
        expected = [r.to_json() for r in here.process_many(ARTICLES)]
    with WorkerPool(workers=2, batch_size=1) as pool:
        got = [r.to_json() for r in pool.process_many(ARTICLES)]
        assert got == expected
        assert pool.version == here.version


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def test_a_stuck_worker_is_stopped_its_batch_reported_and_the_pool_goes_on():
    with WorkerPool(workers=1, batch_size=1, time_limit=2, grace=2) as pool:
        (first,) = pool.process_many(ARTICLES[:1])  # starts the worker
        assert isinstance(first, Record)
        (pid,) = pool.worker_pids()
        os.kill(pid, signal.SIGSTOP)  # alive, holding its task, never answering
        started = time.monotonic()
        (stuck,) = pool.process_many(ARTICLES[1:2])
        assert isinstance(stuck, ProcessError) and stuck.article_id == "r1" and "stuck" in stuck.message
        assert time.monotonic() - started < 30
        # the stopped worker was killed, not left holding a core; the next batch runs on a new one
        # (a killed process takes a moment to exit on a busy machine: dead within a few seconds)
        assert _gone_within(pid, 10)
        (after,) = pool.process_many(ARTICLES[2:3])
        assert isinstance(after, Record) and after.article.id == "r2"
        assert pool.worker_pids() and pid not in pool.worker_pids()


def test_the_local_cluster_keeps_its_dask_settings_to_itself():
    import dask
    import distributed  # noqa: F401 (its settings are dask's defaults once it is imported)

    from newsgraph.runners.cluster import DaskRunner

    key = "distributed.worker.multiprocessing-method"
    before = dask.config.get(key)
    with DaskRunner("local", workers=1) as runner:
        assert dask.config.get(key) == before  # the fork setting was for starting the cluster only
        (record,) = runner.process_many(ARTICLES[:1])
        assert isinstance(record, Record)
    assert runner.client is None and runner.cluster is None
    assert dask.config.get(key) == before


def test_a_server_stopped_with_sigterm_leaves_no_worker_behind(served_db, tmp_path):
    """The server's spawned worker holds both ends of its task queue: stopped before the word to leave
    reached it, it waited for work for ever with the model in memory (one per test session here)."""
    import shutil

    import httpx

    from conftest import Served

    db = tmp_path / "posted.db"
    shutil.copy(served_db, db)
    served = Served(db, "test-token")
    try:
        posted = httpx.post(served.base + "/api/articles", headers={"Authorization": "Bearer test-token"},
                            json={"text": "Mayor Anna Berg said on Friday that 12 homes were flooded in Tartu."},
                            timeout=120)
        assert posted.status_code == 201, posted.text
        workers = [c.pid for c in psutil.Process(served.proc.pid).children(recursive=True)]
        assert workers  # the worker that extracted the article (and multiprocessing's tracker)
    finally:
        served.stop()  # SIGTERM
    assert all(_gone_within(pid, 10) for pid in workers)
