"""The analyst's read side: quotes by wording across outlets, names by any spelling, search that
finds word forms and shows where the words are. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import httpx
import pytest

from newsgraph.readers.items import Article
from newsgraph.store import Store
from newsgraph.store.queries import ArticleFilter, Queries
from newsgraph.store.quote_queries import QuoteFilter, sort_key
from newsgraph.web.markup import SNIPPET_MARKS, marked_snippet

QUOTE = '"Our bridges will be open again by the spring," Mayor Lena Korvak told reporters in Tallinn on Monday.'


def _store_with_quote(store_url: str, pipeline, published: dict[str, str]) -> Queries:
    """One sentence carried by several outlets, each at its own publication time."""
    store = Store(store_url)
    for n, (source, when) in enumerate(published.items()):
        text = f"Bridges to reopen\n\n{QUOTE}\n\nEngineers inspected {n + 3} bridges over the weekend."
        store.ingest(pipeline.process(Article(id=f"bridge-{n}", text=text, title="Bridges to reopen",
                                              source=source, published=when)))
    return Queries(store)


def test_one_row_per_wording_with_every_outlet_in_publication_order(served_db):
    page = Queries(Store(str(served_db))).wordings(QuoteFilter(text="night attacks"))
    (row,) = page["items"]
    assert row["text"] == "We will not let these night attacks break the country"  # no trailing comma
    assert [c["source"] for c in row["carriers"]] == ["Kyiv Ledger", "Danube Wire"]
    assert row["first_publisher"] == "Kyiv Ledger" and [c["first"] for c in row["carriers"]] == [True, False]
    assert row["speakers"][0] == "Volodymyr Zelenskyy"  # the store's canonical name, not the article's words
    assert row["outlets"] == 2 and page["total"] == 1 and not page["truncated"]


def test_a_month_only_date_never_sorts_ahead_of_an_exact_time(store_url, pipeline):
    q = _store_with_quote(store_url, pipeline, {"Monthly Review": "2025-09", "Morning Post": "2025-09-08T06:10:00",
                                                "Evening Star": "2025-09-08T18:30:00+00:00"})
    (row,) = q.wordings(QuoteFilter(text="bridges spring"))["items"]
    assert [(c["source"], c["precision"]) for c in row["carriers"]] == [
        ("Morning Post", "time"), ("Evening Star", "time"), ("Monthly Review", "month")]
    # the month-only report could be from September 1st: nobody is certainly first
    assert row["first_publisher"] is None and not any(c["first"] for c in row["carriers"])
    assert q.wordings(QuoteFilter(text="bridges", source="Evening"))["items"][0]["first_publisher"] == "Evening Star"
    assert q.wordings(QuoteFilter(speaker="Korvak"))["total"] == 1  # by surname
    assert q.wordings(QuoteFilter(text="bridges", since="2025-10-01"))["total"] == 0
    with pytest.raises(ValueError, match="order must be one of"):
        q.wordings(QuoteFilter(), order="loudest")


def test_vague_dates_sort_at_the_end_of_their_period():
    ordered = sorted(["2025-09", "2025-09-30T23:00:00", "2025-09-06", "2025-09-06T09:00:00+03:00", None, "2025"],
                     key=sort_key)
    assert ordered == ["2025-09-06T09:00:00+03:00", "2025-09-06", "2025-09-30T23:00:00", "2025-09", "2025", None]


def test_search_finds_word_forms_and_other_spellings_of_a_name(store_url, pipeline):
    store = Store(store_url)
    text = ("Drone strike on Lutsk\n\nPresident Volodymyr Zelenskyy said the drones were shot down over "
            "Lutsk. Officials counted the damage.")
    store.ingest(pipeline.process(Article(id="zel", text=text, title="Drone strike on Lutsk", source="Test")))
    q = Queries(store)
    for words in ("Zelensky drone", "Zelenskiy drones", "counting officials"):
        found = q.search(ArticleFilter(q=words))["items"]
        assert [a["id"] for a in found] == ["zel"], words
    snippet = q.search(ArticleFilter(q="Zelensky drone"))["items"][0]["snippet"]
    assert "[Zelenskyy]" in snippet and "[drones]" in snippet
    assert q.search(ArticleFilter(q="Zelensky tanks"))["items"] == []  # every word still has to occur
    # the same spellings find the person in the index of names
    assert [e["name"] for e in q.entities(name="Zelenskiy", type_="PERSON")["items"]] == ["Volodymyr Zelenskyy"]


def test_a_snippet_marks_only_matched_pairs():
    start, end = SNIPPET_MARKS
    assert str(marked_snippet(f"the {start}drones{end} <b>flew</b>")) == "the <mark>drones</mark> &lt;b&gt;flew&lt;/b&gt;"
    # an article holding the mark characters itself cannot open a tag it never closes
    assert str(marked_snippet(f"{end}a {start}x{end} {start}stray")) == "a <mark>x</mark> stray"


def test_quotes_people_and_search_pages(server_url):
    quotes = httpx.get(f"{server_url}/quotes", params={"text": "night attacks"}).text
    assert "first published by <strong>Kyiv Ledger</strong>" in quotes
    assert quotes.count('class="badge first"') == 1 and "span=" in quotes
    people = httpx.get(f"{server_url}/entities", params={"type": "PERSON", "name": "Zelensky"}).text
    assert ">Volodymyr Zelenskyy</a>" in people
    person = httpx.get(f"{server_url}/entities/" + people.split('href="/entities/')[1].split('"')[0]).text
    assert "Kyiv Ledger" in person and "Harbor Times" in person and "night attacks" in person
    found = httpx.get(f"{server_url}/search", params={"q": "Zelensky drone"}).text
    assert "<mark>Zelenskyy</mark>" in found and "a story of" in found
    api = httpx.get(f"{server_url}/api/quotes/wordings", params={"text": "night attacks", "order": "outlets"}).json()
    assert api["items"][0]["first_publisher"] == "Kyiv Ledger" and api["quotes"] == 2
    assert httpx.get(f"{server_url}/api/quotes/wordings", params={"order": "loudest"}).status_code == 422


def test_cli_quotes_lines_up_outlets(served_db):
    import json

    from conftest import run_cli

    done = run_cli("quotes", "night attacks", "--db", served_db)
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert "first: Kyiv Ledger" in lines[0] and "2 outlets" in lines[0]
    assert lines[1].split()[2:4] == ["Kyiv", "Ledger"] and "[first]" in lines[1] and "ledger-drones?span=" in lines[1]
    assert "Danube Wire" in lines[2]
    as_json = json.loads(run_cli("quotes", "--speaker", "Zelenskiy", "--json", "--db", served_db).stdout)
    assert any(w["first_publisher"] == "Kyiv Ledger" for w in as_json["items"])
    refused = run_cli("quotes", "--order", "loudest", "--db", served_db)
    assert refused.returncode == 2 and b"order must be one of" in refused.stderr


def test_tour_prints_three_pages_that_answer_the_questions(served_db, server_url, tmp_path):
    from conftest import run_cli

    done = run_cli("tour", "--db", served_db, "--base", server_url)
    assert done.returncode == 0, done.stderr.decode()
    urls = [line.strip() for line in done.stdout.decode().splitlines() if line.startswith("    ")]
    assert len(urls) == 3 and all(u.startswith(server_url) for u in urls)
    story, quotes, person = (httpx.get(u) for u in urls)
    assert story.status_code == 200 and 'class="claim status-conflict' in story.text
    assert quotes.status_code == 200 and 'class="badge first"' in quotes.text
    assert person.status_code == 200 and 'class="wording"' in person.text
    Store(str(tmp_path / "empty.db")).engine.dispose()
    empty = run_cli("tour", "--db", str(tmp_path / "empty.db"))
    assert empty.returncode == 0 and b"nothing to show yet" in empty.stdout


def test_outlet_facts_from_the_list_a_users_file_and_the_domain(tmp_path, monkeypatch):
    from newsgraph.outlets import USER_FILE, OutletFactsError, outlet_facts

    assert outlet_facts("TASS").kinds == ("wire", "state-owned") and outlet_facts("tass").country == "RU"
    assert outlet_facts(None, "https://www.bbc.co.uk/news/world-1").name == "BBC"
    assert outlet_facts("Kyiv Ledger") is None and outlet_facts(None, "https://co.uk/") is None
    mine = tmp_path / "mine.tsv"
    mine.write_text("# my outlets\nKyiv Ledger;The Ledger\tledger.example\tua\tcopy\nReuters\treuters.com\tGB\twire;agency\n")
    monkeypatch.setenv(USER_FILE, str(mine))
    assert outlet_facts("the ledger").as_dict() == {"name": "Kyiv Ledger", "country": "UA", "kinds": ["copy"]}
    assert outlet_facts("Reuters").kinds == ("wire", "agency")  # the user's line wins
    bad = tmp_path / "bad.tsv"
    bad.write_text("Somewhere\tsome.example\tUkraine\twire\n")
    monkeypatch.setenv(USER_FILE, str(bad))
    with pytest.raises(OutletFactsError, match="bad.tsv, line 1: country 'Ukraine' is not a two-letter code"):
        outlet_facts("Somewhere")


def test_a_story_lines_up_its_outlets_with_tone_and_first_report(server_url):
    found = httpx.get(f"{server_url}/api/articles", params={"q": "drones", "limit": 50}).json()["items"]
    story_id = next(a["story_id"] for a in found if a["id"] == "wire-drones")
    story = httpx.get(f"{server_url}/api/stories/{story_id}").json()
    rows = {r["outlet"]: r for r in story["outlet_rows"]}
    assert {"Kyiv Ledger", "Danube Wire", "Harbor Times"} <= set(rows)
    assert all(-1 <= r["tone"] <= 1 for r in rows.values()) and rows["Kyiv Ledger"]["articles"] == 1
    assert story["first_publisher"] == "Kyiv Ledger" and story["first_precision"] == "time"
    page = httpx.get(f"{server_url}/stories/{story_id}").text
    assert "First reported by <strong>Kyiv Ledger</strong>" in page and "Tone" in page
    ranked = httpx.get(f"{server_url}/api/stories", params={"order": "outlets", "min_outlets": 3}).json()
    assert ranked["items"][0]["id"] == story_id and all(len(s["outlets"]) >= 3 for s in ranked["items"])
    assert httpx.get(f"{server_url}/api/stories", params={"order": "loudest"}).status_code == 422
    error = httpx.get(f"{server_url}/stories/999999", headers={"Accept": "text/html"})
    assert error.status_code == 404 and '<nav aria-label="Main">' in error.text and "no story with id" in error.text
    assert httpx.get(f"{server_url}/api/stories/999999").json() == {"detail": "no story with id 999999"}


def test_an_untitled_article_is_listed_by_its_first_sentence(store_url, pipeline):
    store = Store(store_url)
    text = "Flooding closed the main road into Tartu on Monday. Officials said 40 homes were evacuated."
    store.ingest(pipeline.process(Article(id="untitled", text=text, source="Test")))
    (item,) = Queries(store).articles(ArticleFilter())["items"]
    assert item["title"] is None and item["derived_title"] == "Flooding closed the main road into Tartu on Monday."


def test_ingest_in_a_terminal_shows_a_bar_with_the_total(tmp_path):
    """In a terminal (a pseudo-terminal here) ingest draws a bar with done/total and time left."""
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    examples = Path(__file__).parent.parent / "examples"
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", str(examples), "--db",
                             str(tmp_path / "t.db")], stdin=follower, stdout=follower, stderr=follower,
                            env={**os.environ, "COLUMNS": "160", "TERM": "xterm"})
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=120) == 0
    text = output.decode("utf-8", "replace")
    assert "/13" in text and "13 new" in text  # the bar's done/total, then the summary line


def test_extract_table_gives_each_fact_its_offsets_and_fits_the_terminal(tmp_path):
    import json
    from pathlib import Path

    from conftest import run_cli

    seed = str(Path(__file__).parent / "fixtures" / "seed.txt")
    record = json.loads(run_cli("extract", seed, "-f", "json").stdout)
    table = run_cli("extract", seed, "-f", "table", env={"COLUMNS": "80"}).stdout.decode()
    assert all(len(line) <= 80 for line in table.splitlines())
    for fact in record["quotes"][:5] + record["counts"][:5] + record["events"][:5]:
        assert f"{fact['start']}-{fact['end']}" in table
