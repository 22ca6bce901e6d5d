import gzip
import json

import pytest

from conftest import SEED, WIKINEWS
from newsgraph.readers import ReadError, read_inputs
from newsgraph.readers.text import parse_layout


def only(items):
    (item,) = list(items)
    assert not isinstance(item, ReadError), str(item)
    return item


def test_seed_page_furniture_becomes_fields():
    a = only(read_inputs([str(SEED)]))
    assert a.title == "Putin Warns Foreign Troops In Ukraine Will Be Targeted"
    assert a.section == "World News"
    assert a.published == "2025-09-07"  # not the page's own date line (2025-09-08)
    assert a.subtitle.startswith("As European allies pledge support for Ukraine, Russia declares")
    assert a.text.startswith("Russian President Vladimir Putin has issued his starkest warning yet")
    assert "Today :" not in a.text and a.title not in a.text


def test_plain_article_headline_then_body():
    layout = parse_layout("Floods close schools\n\nHeavy rain closed 40 schools on Monday, officials said. "
                          "More rain is expected.\n\nThe second paragraph follows.")
    assert layout.title == "Floods close schools"
    assert layout.subtitle is None and layout.section is None and layout.published is None
    assert layout.paragraphs[0].startswith("Heavy rain closed 40 schools")


def test_labelled_published_line_and_overrides(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Published: 3 March 2024\n\nA headline here\n\nA body sentence that is long enough to be "
                 "prose, ending with a full stop.\n\nAnother paragraph of the body.")
    a = only(read_inputs([str(p)]))
    assert a.published == "2024-03-03" and a.title == "A headline here"
    b = only(read_inputs([str(p)], title="Other", published="2024-01-01", source="Outlet", url="https://x.org/1"))
    assert (b.title, b.published, b.source, b.url) == ("Other", "2024-01-01", "Outlet", "https://x.org/1")


def test_jsonl_keeps_given_id_and_reports_broken_lines(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text('{"id": "a1", "text": "First article text.", "title": "One"}\n'
                 '{"id": "a2", "text": "broken\n'
                 '\n'
                 '["not", "an", "object"]\n'
                 '{"url": "https://example.org/3", "text": "Third article.", "outlet": "Example"}\n')
    items = list(read_inputs([str(p)]))
    articles = [i for i in items if not isinstance(i, ReadError)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [a.id for a in articles][0] == "a1"
    assert articles[1].source == "Example" and articles[1].id and articles[1].id != "a1"
    assert [(e.line, e.input) for e in errors] == [(2, str(p)), (4, str(p))]
    assert "invalid JSON" in errors[0].message and "expected a JSON object" in errors[1].message


def test_gzip_is_read_transparently(tmp_path):
    p = tmp_path / "seed.txt.gz"
    p.write_bytes(gzip.compress(SEED.read_bytes()))
    assert only(read_inputs([str(p)])).title.startswith("Putin Warns")
    q = tmp_path / "w.jsonl.gz"
    q.write_bytes(gzip.compress(WIKINEWS.read_bytes()))
    assert len([a for a in read_inputs([str(q)]) if not isinstance(a, ReadError)]) == 30


def test_non_utf8_text_is_decoded(tmp_path):
    p = tmp_path / "latin1.txt"
    body = ("Café owners in Zürich said the façade was damaged. " * 3).strip()
    p.write_bytes(f"Storm damages café\n\n{body}\n\nA second paragraph.".encode("cp1252"))
    a = only(read_inputs([str(p)]))
    assert "Café owners in Zürich" in a.text


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"\x00\x01\x02\x03binary\x00" * 100, "binary"), (b"   \n\n  ", "empty")],
)
def test_bad_files_give_clear_errors(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    (item,) = list(read_inputs([str(p)]))
    assert isinstance(item, ReadError) and message in item.message and item.input == str(p)


def test_oversized_text_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_BYTES", str(1024 * 1024))
    p = tmp_path / "huge.txt"
    p.write_bytes(b"word " * 400_000)
    (item,) = list(read_inputs([str(p)]))
    assert isinstance(item, ReadError) and "limit" in item.message


def test_directory_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second headline\n\nSecond body sentence is long enough, truly.")
    (tmp_path / "1.txt").write_text("First headline\n\nFirst body sentence is long enough, truly.")
    titles = [a.title for a in read_inputs([str(tmp_path)])]
    assert titles == ["First headline", "Second headline"]


def test_missing_path_is_an_error_not_a_crash():
    (item,) = list(read_inputs(["/nonexistent/file.txt"]))
    assert isinstance(item, ReadError) and "no such file" in item.message


def test_corpus_fixture_reads_as_30_articles():
    articles = list(read_inputs([str(WIKINEWS)]))
    assert len(articles) == 30 and all(not isinstance(a, ReadError) for a in articles)
    assert json.loads(WIKINEWS.read_text().splitlines()[0])["id"] == articles[0].id


def test_directory_walk_skips_non_article_files(tmp_path):
    (tmp_path / "NOTICE.md").write_text("# Licence notes\n\nNot an article at all, but long enough to look like one.")
    (tmp_path / "a.txt").write_text("A headline\n\nThe body of the article is right here, long enough.")
    assert [a.title for a in read_inputs([str(tmp_path)])] == ["A headline"]
