"""HTML pages: body and metadata from JSON-LD, OpenGraph and meta tags (fixture pages written for this project)."""

import json
import os

from conftest import FIXTURES, run_cli
from newsgraph.readers import ReadError, read_inputs
from newsgraph.readers.html import parse_html, plausible_date

HTML = FIXTURES / "html"


def only(path):
    (item,) = list(read_inputs([str(path)]))
    assert not isinstance(item, ReadError), str(item)
    return item


def test_json_ld_metadata_first():
    a = only(HTML / "jsonld.html")
    assert a.title == "Flooding forces 2,000 from homes in river valley"
    assert a.published == "2024-03-05T14:20:00+01:00"
    assert a.authors == ["Maria Lind", "Tom Okafor"]
    assert a.section == "Weather" and a.source == "The Valley Courier"
    assert a.url == "https://valleycourier.example/news/2024/03/05/flooding-forces-2000-from-homes"
    assert a.language == "en" and a.subtitle.startswith("Heavy rain swelled")
    assert a.text.startswith("About 2,000 people were evacuated")
    assert "Most read" not in a.text and "analytics" not in a.text and "Copyright" not in a.text


def test_opengraph_metadata():
    a = only(HTML / "opengraph.html")
    assert (a.title, a.source, a.section) == ("Port strike ends after pay deal", "Harbour Times", "Business")
    assert a.published == "2023-11-02T07:45:00Z" and a.authors == ["Priya Nair"]
    assert a.url == "https://harbourtimes.example/business/port-strike-ends"
    assert "Great news, finally" not in a.text  # comments are not the article


def test_impossible_dates_are_rejected():
    a = only(HTML / "bad-dates.html")
    assert a.published == "2022-06-14"  # the 2099 and year-1 dates are skipped
    assert plausible_date("2099-01-01") is None and plausible_date("1970-01-01") is None
    assert plausible_date("2021-02-30") is None and plausible_date("2021-02-03") == "2021-02-03"


def test_non_english_article_is_kept_and_skipped_by_english_stages(tmp_path):
    proc = run_cli("ingest", str(HTML / "german.html"), "--db", str(tmp_path / "g.db"))
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(run_cli("extract", str(HTML / "german.html")).stdout)
    assert record["article"]["language"] == "de" and record["article"]["text"].startswith("Nach starken")
    assert record["entities"] == [] and record["quotes"] == []
    assert "not English" in record["notes"][0]


def test_pipeline_runs_on_html_articles(pipeline):
    record = pipeline.process(only(HTML / "jsonld.html"))
    assert any(q.speaker == "Clara Meyer" and q.direct for q in record.quotes)
    assert any(c.number == 45 and c.qualifier == "at least" for c in record.counts)


def test_binary_and_empty_pages_are_refused(tmp_path):
    binary = tmp_path / "image.html"
    binary.write_bytes(os.urandom(4096))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    items = list(read_inputs([str(binary), str(empty)]))
    assert [type(i) for i in items] == [ReadError, ReadError]
    assert "binary" in items[0].message and "empty" in items[1].message


def test_page_without_article_text_is_an_error():
    import pytest

    from newsgraph.errors import InputError

    with pytest.raises(InputError, match="no article text"):
        parse_html(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
