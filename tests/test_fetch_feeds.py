"""URLs, feeds and hostile web input, against a real HTTP server on 127.0.0.1."""

import json
import sqlite3

import pytest

from conftest import run_cli
from localserver import LocalServer


@pytest.fixture(scope="module")
def server():
    with LocalServer() as s:
        yield s


def test_watch_stores_17_reports_3_then_makes_conditional_requests(server, tmp_path):
    db = str(tmp_path / "w.db")
    feed = server.url("/feed.xml")
    first = run_cli("watch", feed, "--once", "--db", db, "--allow-private", "--timeout", "1.5")
    err = first.stderr.decode()
    assert first.returncode == 1  # three items failed, and the exit status says so
    assert "17 new" in err and "3 failed" in err
    assert "HTTP 404" in err and "timed out" in err and "binary" in err
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == 17
    published = con.execute("select published from articles order by published").fetchall()
    assert all(p[0] for p in published)

    before = len(server.site.requests)
    second = run_cli("watch", feed, "--once", "--db", db, "--allow-private", "--timeout", "1.5")
    assert second.returncode == 0, second.stderr.decode()
    assert "0 new" in second.stderr.decode() and "feed not modified" in second.stderr.decode()
    later = server.site.requests[before:]
    assert [p for p, _ in later] == ["/feed.xml"]  # one conditional request, no page fetched
    headers = later[0][1]
    assert headers.get("If-None-Match") == '"feed-v1"' and headers.get("If-Modified-Since")
    assert "newsgraph/" in headers.get("User-Agent", "")
    assert con.execute("select count(*) from articles").fetchone()[0] == 17


def test_private_addresses_are_refused_by_default(server):
    proc = run_cli("extract", server.url("/a/1.html"))
    assert proc.returncode == 1
    assert "non-public address 127.0.0.1" in proc.stderr.decode() and "--allow-private" in proc.stderr.decode()


def test_redirect_to_loopback_is_refused(server):
    host = f"127.0.0.1:{server.port}"
    proc = run_cli("extract", server.url("/redirect-local"), server.url("/a/2.html"), "--allow-host", host)
    err = proc.stderr.decode()
    assert "localhost resolves to the non-public address" in err
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(records) == 1 and records[0]["article"]["url"].endswith("/a/2.html")  # the batch went on


def test_xml_bomb_feed_is_refused_and_the_batch_continues(server):
    proc = run_cli("extract", "--no-nlp", server.url("/bomb.xml"), server.url("/a/3.html"), "--allow-private")
    assert "refused: the feed declares XML entities" in proc.stderr.decode()
    assert len(proc.stdout.decode().splitlines()) == 1


@pytest.mark.parametrize("path", ["/huge.html", "/huge-declared.html"])
def test_huge_page_is_refused_without_reading_it_all(server, path):
    proc = run_cli("extract", "--no-nlp", server.url(path), server.url("/a/4.html"), "--allow-private")
    assert "over the 20 MB limit" in proc.stderr.decode() or "larger than the 20 MB limit" in proc.stderr.decode()
    assert len(proc.stdout.decode().splitlines()) == 1


def test_binary_page_is_refused(server):
    proc = run_cli("extract", "--no-nlp", server.url("/broken/garbage"), "--allow-private")
    assert proc.returncode == 1 and "looks like a binary file" in proc.stderr.decode()


def test_ingest_a_feed_url_reads_every_item(server, tmp_path):
    proc = run_cli("extract", "--no-nlp", server.url("/feed.xml"), "--allow-private", "--timeout", "1")
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(records) == 17 and proc.returncode == 1
    assert records[0]["article"]["source"] == "Wikinews" and records[0]["article"]["published"]


def test_a_server_that_trickles_bytes_is_cut_off_at_the_overall_deadline(server):
    """One byte every half second never trips a 2 s read timeout; the deadline in all stops it."""
    import time

    started = time.monotonic()
    proc = run_cli("extract", "--no-nlp", server.url("/broken/trickle"), server.url("/a/4.html"),
                   "--allow-private", "--timeout", "2", env={"NEWSGRAPH_DEADLINE": "3"})
    assert time.monotonic() - started < 30
    assert proc.returncode == 1 and "took longer than 3 s in all" in proc.stderr.decode()
    assert len(proc.stdout.decode().splitlines()) == 1  # the other page is read


def test_watch_refuses_to_poll_flat_out(tmp_path):
    proc = run_cli("watch", "http://example.invalid/feed.xml", "--every", "0s", "--db", str(tmp_path / "w.db"))
    assert proc.returncode != 0 and "too often" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


def test_watch_stopped_with_ctrl_c_prints_the_runs_summary(server, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    db = tmp_path / "w.db"
    log = tmp_path / "watch.log"
    with open(log, "wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "watch", server.url("/feed.xml"),
                                 "--every", "10s", "--db", str(db), "--allow-private", "--timeout", "1.5"],
                                stdout=subprocess.DEVNULL, stderr=stderr, env=os.environ.copy())
        deadline = time.time() + 240
        while time.time() < deadline and "17 new" not in log.read_text() and proc.poll() is None:
            time.sleep(0.3)
        assert proc.poll() is None, log.read_text()
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        proc.wait(timeout=60)
    err = log.read_text()
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert "stopped after 1 poll: 17 new" in err and "3 failed" in err.splitlines()[-1]
