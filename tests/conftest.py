from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
STORIES = FIXTURES / "stories" / "three_outlets.jsonl"  # reports of one event by three invented outlets
SEED = FIXTURES / "seed.txt"
WIKINEWS = FIXTURES / "wikinews.jsonl"


@pytest.fixture(scope="session")
def pipeline():
    from newsgraph.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def extract(pipeline):
    """Text in, record out: the whole pipeline over one hand-written passage."""
    from newsgraph.record import Article

    def run(text: str):
        return pipeline.process(Article(text=text).with_id())

    return run


@pytest.fixture(scope="session")
def seed_record(pipeline):
    from newsgraph.readers import read_inputs

    (article,) = list(read_inputs([str(SEED)]))
    return pipeline.process(article)


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "newsgraph.cli", *args], input=stdin, capture_output=True,
        env={**os.environ, **(env or {})}, cwd=cwd, timeout=timeout,
    )


HOSTILE = {
    "id": "hostile-1",
    "title": 'Hostile <script>window.__pwned = 1</script> headline',
    "source": "<img src=x onerror=\"window.__pwned = 2\">",
    "published": "2025-09-06",
    "text": ('The mayor, Anna <b>Berg</b>, said: "<script>window.__pwned = 3</script> we will rebuild." '
             "Three <img src=x onerror=\"window.__pwned = 4\"> houses burned in Lyon.\n\n"
             'A second paragraph with <a href="javascript:window.__pwned=5">a link</a> and <svg onload="window.__pwned=6">.'),
}


@pytest.fixture(scope="session")
def served_records(pipeline) -> list:
    """The records of the fixtures' store, in the order they are stored: the seed, 30 Wikinews
    articles, the story fixtures and one hostile article."""
    import json as _json

    from newsgraph.readers import read_inputs
    from newsgraph.readers.jsonl import parse_line

    articles = [a for a in read_inputs([str(SEED), str(WIKINEWS), str(STORIES)])]
    articles.append(parse_line(_json.dumps(HOSTILE), "hostile", 1))
    return list(pipeline.process_many(articles))


@pytest.fixture(scope="session")
def served_db(tmp_path_factory, served_records):
    """The fixtures' store on SQLite."""
    from newsgraph.store import Store

    db = tmp_path_factory.mktemp("served") / "served.db"
    store = Store(str(db))
    for record in served_records:
        store.ingest(record)
    store.engine.dispose()
    return db


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, db, token: str | None, env: dict | None = None) -> None:
        import time
        import urllib.request

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(env or {})}
        env.pop("NEWSGRAPH_TOKEN", None)
        if token:
            env["NEWSGRAPH_TOKEN"] = token
        self.proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db),
                                      "--port", str(self.port)], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/api/health", timeout=2)
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


# PostgreSQL: the server this machine runs (127.0.0.1:5432, trust auth) unless NEWSGRAPH_TEST_POSTGRES
# names another admin URL. Each test gets a database of its own, dropped at the end of the session.
PG_ADMIN = os.environ.get("NEWSGRAPH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


class Postgres:
    def __init__(self, admin_url: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin = make_url(admin_url)
        self.created: list[str] = []

    def _connect(self):
        import psycopg

        u = self.admin
        return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                               dbname=u.database or "postgres", autocommit=True, connect_timeout=3)

    def available(self) -> str | None:
        try:
            self._connect().close()
            return None
        except Exception as exc:  # no server, no driver
            return f"{type(exc).__name__}: {exc}"

    def new_database(self) -> str:
        name = f"newsgraph_test_{os.getpid()}_{len(self.created)}"
        with self._connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.admin.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self._connect() as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres():
    """Fresh PostgreSQL databases; the tests that need one skip without a server, or fail when
    NEWSGRAPH_REQUIRE_POSTGRES=1 (CI, where .ci/run starts one)."""
    pg = Postgres(PG_ADMIN)
    problem = pg.available()
    if problem:
        if os.environ.get("NEWSGRAPH_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here and not reachable at {PG_ADMIN}: {problem}")
        pytest.skip(f"no PostgreSQL at {PG_ADMIN}: {problem}")
    yield pg
    pg.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A new, empty store on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture(scope="session")
def served_pg(postgres, served_records):
    """The fixtures' store again, on PostgreSQL: the same records, stored in the same order."""
    from newsgraph.store import Store

    url = postgres.new_database()
    store = Store(url)
    for record in served_records:
        store.ingest(record)
    store.engine.dispose()
    return url


@pytest.fixture(scope="session")
def server_url(served_db):
    """`newsgraph serve` in its own process on 127.0.0.1, accepting writes with the token 'test-token'."""
    served = Served(served_db, "test-token")
    yield served.base
    served.stop()


def kill_ingest_midway(args: list[str], db, at_least: int, timeout: float = 120) -> int:
    """Start `newsgraph ingest ARGS --db DB`, SIGKILL it once ``at_least`` articles are committed;
    returns how many were stored. Fails when the ingest ends before it could be killed."""
    import signal
    import sqlite3
    import time

    cmd = [sys.executable, "-m", "newsgraph.cli", "ingest", *args, "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    stored, deadline = 0, time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            con = sqlite3.connect(db, timeout=1)
            stored = con.execute("select count(*) from articles").fetchone()[0]
            con.close()
        except sqlite3.OperationalError:
            continue
        if stored >= at_least:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; the test needs a longer input"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return stored


@pytest.fixture(scope="session")
def pg_server_url(served_pg):
    """`newsgraph serve` on the PostgreSQL copy of the fixtures' store."""
    served = Served(served_pg, "test-token")
    yield served.base
    served.stop()
