"""WARC archives: streamed, non-articles skipped and counted, resumable after SIGKILL."""

import json
import sqlite3

import pytest

from conftest import kill_ingest_midway, run_cli
from newsgraph.readers import ReadError, Skipped, read_inputs
from newsgraph.record import Article
from warcgen import write_warc


def test_reader_skips_non_articles_and_counts_them(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    kinds = write_warc(path, 60)
    items = list(read_inputs([str(path)]))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(articles) == kinds["html"]
    assert len(skipped) == kinds["image"] + kinds["404"] + kinds["request"]
    assert {s.reason for s in skipped} == {"not HTML (image/png)", "HTTP status 404", "request record"}
    assert articles[0].url == "https://news.example/0/story.html" and articles[0].source == "Wikinews"


def test_truncated_archive_keeps_what_came_before(tmp_path):
    path = tmp_path / "cut.warc.gz"
    kinds = write_warc(path, 30, truncate_last=True)
    items = list(read_inputs([str(path)]))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(articles) >= kinds["html"] - 1 and len(errors) <= 1
    if errors:
        assert str(path) in str(errors[0])


def test_uncompressed_warc_and_summary_line(tmp_path):
    path = tmp_path / "plain.warc"
    kinds = write_warc(path, 12, gzip=False)
    proc = run_cli("ingest", str(path), "--db", str(tmp_path / "w.db"))
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert f"{kinds['html']} new" in err and "skipped" in err and "not HTML (image/png)" in err


def test_killed_warc_ingest_resumes_without_loss_or_duplicates(tmp_path):
    path = tmp_path / "big.warc.gz"
    kinds = write_warc(path, 30)  # 19 article pages: the ingest is still running when it is killed
    db = tmp_path / "k.db"
    stored = kill_ingest_midway([str(path)], db, at_least=5)
    assert 5 <= stored < kinds["html"]
    again = run_cli("ingest", str(path), "--db", str(db))
    assert again.returncode == 0, again.stderr.decode()
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == kinds["html"]
    assert con.execute("select count(distinct url) from articles").fetchone()[0] == kinds["html"]
    stats = json.loads(run_cli("stats", "--json", "--db", str(db)).stdout)
    assert stats["articles"] == kinds["html"]


@pytest.mark.parametrize("gzip", [True, False])
def test_a_record_cut_midway_is_reported_not_stored(tmp_path, gzip):
    path = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    write_warc(path, 4, gzip=gzip)  # four HTML pages
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 1200])  # the archive ends inside the last record
    items = list(read_inputs([str(path)]))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [str(i) for i in items if isinstance(i, ReadError)]
    assert len(articles) == 3 and all(a.text.endswith(".") or a.text for a in articles)
    assert len(errors) == 1 and str(path) in errors[0] and "truncated" in errors[0]


def test_a_record_warcio_cannot_parse_is_an_error_naming_the_archive(tmp_path):
    """A response record without WARC-Target-URI made warcio raise AttributeError out of the reader."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Some words of a page.</p>"
    broken = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
              b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
              + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
    path = tmp_path / "odd.warc"
    path.write_bytes(broken)
    items = list(read_inputs([str(path)]))
    assert len(items) == 1 and isinstance(items[0], ReadError) and str(path) in str(items[0])
