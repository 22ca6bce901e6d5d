"""`newsgraph export`: round trips through JSON Lines, CSV and Parquet, GKG rows that parse as GDELT's
do, a Datasette metadata file Datasette serves, and clear errors for bad requests."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from gkg import extras_xml, parse_row
from newsgraph.exports.csv_tables import FORMULA_STARTS
from newsgraph.exports.tables import ALL_TABLES, TABLES, record_rows
from newsgraph.record import Record
from newsgraph.store import Store

SHARED_GKG = Path(__file__).resolve().parents[2] / "shared" / "bench" / "gkg" / "gkg-sample.tsv"


@pytest.fixture(scope="module")
def store_db(served_db, tmp_path_factory) -> Path:
    """A copy of the fixtures' store (seed, Wikinews, story fixtures, one hostile article)."""
    db = tmp_path_factory.mktemp("export") / "store.db"
    shutil.copy(served_db, db)
    return db


@pytest.fixture(scope="module")
def stored(store_db) -> list[tuple[Record, int | None, str | None]]:
    from newsgraph.exports import source
    from newsgraph.store.queries import ArticleFilter

    return [(e.record, e.story_id, e.duplicate_of) for e in source.records(Store(str(store_db), create=False),
                                                                             ArticleFilter())]


def export(store_db: Path, *args: str):
    done = run_cli("export", *args, "--db", str(store_db))
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def expected_rows(stored) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for record, story_id, duplicate_of in stored:
        for name, items in record_rows(record, story_id, duplicate_of).items():
            rows[name] += items
    return rows


def test_jsonl_export_reingested_gives_the_same_records(store_db, stored, tmp_path):
    code, _, err = export(store_db, "--format", "jsonl", "--out", str(tmp_path / "all.jsonl"))
    assert code == 0 and f"exported {len(stored)} articles" in err
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [json.loads(r.to_json()) for r, _, _ in stored]
    fresh = tmp_path / "fresh.db"
    done = run_cli("ingest", str(tmp_path / "all.jsonl"), "--db", str(fresh))
    assert done.returncode == 0, done.stderr.decode()
    again = Store(str(fresh), create=False)
    for record, _, _ in stored:
        assert again.get(record.article.id) == record


def decode(cell: str, kind: str):
    """A CSV cell back to its value, by the data dictionary's type."""
    if cell == "":
        return None
    if kind == "string" and cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        cell = cell[1:]  # the apostrophe against formula injection (the data dictionary says so)
    return {"int": int, "float": float, "bool": lambda c: c == "true", "strings": json.loads, "json": json.loads,
            "date": dt.date.fromisoformat}.get(kind, str)(cell)


def check_store_tables(tables: dict[str, list[dict]], stored) -> None:
    """The stories and claims tables as the exported articles place them: one row per story with
    its size, and every claim cell pointing at the words of an article of its story."""
    from collections import Counter

    sizes = Counter(story_id for _, story_id, _ in stored if story_id is not None)
    assert {r["id"]: r["size"] for r in tables["stories"]} == dict(sizes)
    story_of = {record.article.id: story_id for record, story_id, _ in stored}
    texts = {record.article.id: record.article.text for record, _, _ in stored}
    assert tables["claims"] and {r["kind"] for r in tables["claims"]} == {"count", "quote"}
    for claim in tables["claims"]:
        assert len(claim["cells"]) >= 2, claim
        for cell in claim["cells"]:
            assert story_of[cell["article_id"]] == claim["story_id"], (claim, cell)
            assert texts[cell["article_id"]][cell["start"]:cell["end"]], (claim, cell)
    conflicts = [c for c in tables["claims"] if c["kind"] == "count" and c["status"] == "conflict"]
    assert any({cell["number"] for cell in c["cells"]} == {157, 150} for c in conflicts)  # the drones story


def test_csv_tables_read_back_as_the_store_holds_them(store_db, stored, tmp_path):
    out = tmp_path / "csv"
    code, _, err = export(store_db, "-f", "csv", "-o", str(out))
    assert code == 0, err
    expected = expected_rows(stored)
    store_tables: dict[str, list[dict]] = {}
    for name, columns in ALL_TABLES.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(",".join(c.name for c in columns).encode() + b"\r\n")  # header, CRLF (RFC 4180)
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
            rows = [{c.name: decode(r[c.name], "string" if c.type == "timestamp" else c.type) for c in columns}
                    for r in csv.DictReader(f)]
        if name in expected:
            want = [{c.name: row.get(c.name) for c in columns} for row in expected[name]]
            assert rows == want, name
        else:
            store_tables[name] = rows
    check_store_tables(store_tables, stored)
    texts = [r.article.text for r, _, _ in stored]
    assert any("\n" in t and "," in t and '"' in t for t in texts)  # the round trip above covered all three
    dictionary = (out / "README.md").read_text(encoding="utf-8")
    assert "| speaker | string | canonical name of the speaker |" in dictionary


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path, pipeline):
    """OWASP's CSV injection: a hostile page's title, outlet, section or quote must not become a formula."""
    from newsgraph.record import Article

    hostile = Article(id="=cmd|' /C calc'!A0", title="=HYPERLINK(\"http://evil.example\",\"click\")",
                      source="@SUM(1+1)*cmd|' /C calc'!A0", section="+1+1", subtitle="\tTAB",
                      url="https://example.org/x", published="2025-09-06",
                      text='-2+3 is a formula in a cell. "=1+1 is what the minister said," she said.')
    db = tmp_path / "hostile.db"
    Store(str(db)).ingest(pipeline.process(hostile))
    out = tmp_path / "csv"
    code, _, err = export(db, "-f", "csv", "-o", str(out))
    assert code == 0, err
    risky = []
    for name, columns in ALL_TABLES.items():
        kinds = {c.name: c.type for c in columns}
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                risky += [(name, k, v) for k, v in row.items()
                          if v.startswith(FORMULA_STARTS) and kinds[k] not in ("int", "float")]
    assert risky == []
    with open(out / "articles.csv", encoding="utf-8", newline="") as f:
        article = next(csv.DictReader(f))
    assert article["title"] == "'" + hostile.title and article["id"] == "'" + hostile.id
    assert "formula injection" in (out / "README.md").read_text(encoding="utf-8")


def test_parquet_datasets_are_typed_partitioned_and_read_by_common_tools(store_db, stored, tmp_path):
    import duckdb
    import pandas as pd
    import polars as pl
    import pyarrow.dataset as ds

    from newsgraph.exports.parquet import arrow_schema, arrow_value

    out = tmp_path / "pq"
    code, _, err = export(store_db, "-f", "parquet", "-o", str(out))
    assert code == 0, err
    expected = expected_rows(stored)
    for name, columns in TABLES.items():
        dataset = ds.dataset(out / name, format="parquet", partitioning="hive")
        table = dataset.to_table()
        for c in columns:  # the store's types, not strings
            assert table.schema.field(c.name).type == arrow_schema(name).field(c.name).type, (name, c.name)
        got = sorted(json.dumps({c.name: r[c.name] for c in columns}, default=str, sort_keys=True)
                     for r in table.to_pylist())
        want = sorted(json.dumps({c.name: arrow_value(r.get(c.name), c) for c in columns}, default=str, sort_keys=True)
                      for r in expected[name])
        assert got == want, name
    months = {p.name for p in (out / "quotes").iterdir()}
    assert "published_month=2025-09" in months and len(months) > 5
    quotes = pd.read_parquet(out / "quotes")
    assert len(quotes) == len(expected["quotes"]) and str(quotes["start"].dtype) == "int64"
    counts = duckdb.sql(f"select count(*), sum(number) from read_parquet('{out}/counts/**/*.parquet', "
                        "hive_partitioning = true)").fetchall()[0]
    assert counts[0] == len(expected["counts"])
    articles = pl.read_parquet(f"{out}/articles/**/*.parquet", hive_partitioning=True)
    assert articles.schema["published"] == pl.Datetime("us", "UTC") and articles.height == len(stored)


def test_gkg_rows_parse_like_gdelts_and_point_at_the_words(store_db, stored, seed_record, tmp_path):
    code, _, err = export(store_db, "-f", "gkg", "-o", str(tmp_path / "out.gkg"))
    assert code == 0, err
    lines = (tmp_path / "out.gkg").read_text(encoding="utf-8").split("\n")[:-1]
    assert len(lines) == len(stored) and all(len(line.split("\t")) == 27 for line in lines)
    rows = {row["extras"]["NEWSGRAPH_ARTICLE_ID"]: row for row in map(parse_row, lines)}
    seed = next(r for r, _, _ in stored if r.article.id == seed_record.article.id)
    row, text = rows[seed.article.id], seed.article.text
    numbered = [c for c in seed.counts if c.number is not None]
    assert [a["offset"] for a in row["amounts"]] == [c.start for c in numbered]  # every figure, at its words
    assert all(text[a["offset"]:].startswith(_number_text(seed, a["offset"])) for a in row["amounts"])
    assert {a["object"].split()[-1] for a in row["amounts"]} >= {"drones", "missiles", "settlements"}
    typed = [(r, rows[r.article.id]) for r, _, _ in stored if any(c.category and c.number for c in r.counts)]
    assert typed  # GKG's count columns hold the typed counts (KILL, WOUND, ...), each at its number
    for record, gkg in typed:
        assert gkg["v2counts"] and all(
            record.article.text[c["offset"]:].startswith(_number_text(record, c["offset"])) and c["type"] in
            ("KILL", "WOUND", "ARREST", "KIDNAP", "AFFECT", "SEIZE", "PROTEST") for c in gkg["v2counts"])
    people = {e.name: e for e in seed.entities if e.type == "PERSON"}
    assert "volodymyr zelenskyy" in row["persons"]
    for name, offset in row["v2persons"]:
        assert any(m.start == offset and text[m.start:m.end] == m.text for m in people[name].mentions)
    places = {p.name for p in seed.places}
    assert {loc["name"].split(",")[0] for loc in row["v2locations"]} <= places
    assert any(loc["type"] == 1 and loc["country"] == "UP" for loc in row["locations"])  # Ukraine: FIPS UP
    for loc in row["v2locations"]:
        assert text[loc["offset"]:].startswith(loc["name"].split(",")[0].split()[0][:4])
    assert row["quotations"]
    for q in row["quotations"]:
        assert re.sub(r"\s+", " ", text[q["offset"]:q["offset"] + q["length"]]).replace(";", " ").replace(
            "#", " ").replace("|", " ").strip() == q["quote"]
    speakers = row["extras"]["NEWSGRAPH_QUOTE_SPEAKERS"]
    assert "Vladimir Putin" in speakers and "AP News" in speakers  # speaker and via, in the extras
    assert row["tone"][6] == len(text.split())
    assert all("NEWSGRAPH_TONE" not in gkg["extras"] for gkg in rows.values())  # every tone was measured


def _number_text(record: Record, offset: int) -> str:
    return next(c.text for c in record.counts if c.start == offset)



def test_an_undated_article_is_dated_when_stored_in_its_gkg_row():
    from newsgraph.exports.gkg import row
    from newsgraph.exports.source import Exported
    from newsgraph.record import Article

    undated = Record(article=Article(id="undated", text="Two houses burned in Lyon on a quiet day."))
    stored_row = parse_row("\t".join(row(Exported(undated, None, None, "2025-03-04T05:06:07.123456+00:00"), 3)))
    assert stored_row["date"] == "20250304050607" and stored_row["id"] == "20250304050607-3"
    fetched = undated.model_copy(update={"article": undated.article.model_copy(
        update={"retrieved": "2024-01-02T03:04:05+00:00"})})
    assert parse_row("\t".join(row(Exported(fetched, None, None, "2025-03-04T05:06:07+00:00"), 0)))["date"] \
        == "20240102030405"  # fetched before it was stored: the fetch is the nearer date
    before = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    read_from_file = parse_row("\t".join(row(Exported(undated, None, None), 0)))  # no store: the export's time
    assert before <= read_from_file["date"] <= dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")

def test_gkg_values_keep_the_fields_separators_out_and_the_blocks_separators_in(tmp_path):
    """Hostile values: separators, a control character XML forbids, a URL with ';' and '#'."""
    from newsgraph.exports.gkg import row
    from newsgraph.exports.source import Exported
    from newsgraph.record import Article, Event, Quote, Tone

    text = '"We hold; we fight #1," Ana Li said. "No|pipes," said Bo Kim.'
    record = Record(
        article=Article(id="gkg-hostile", url="https://example.org/a;b?c=1#frag", source="Outlet",
                        title="Title \x01with a control; and # signs", authors=["Ana; Li", "Bo#Kim"],
                        published="2025-09-06T10:00:00+00:00", text=text),
        quotes=[Quote(start=1, end=28, text="We hold; we fight #1,", direct=True, speaker="Ana #Li", via="Wire;X",
                      cue="said"),
                Quote(start=40, end=48, text="No|pipes,", direct=True, speaker="Bo Kim", cue="said")],
        events=[Event(start=3, end=7, type="ASSAULT", trigger="fight", source_actor="A#B", target_actor="C;D")],
        tone=Tone(positive=0.1, negative=0.2))
    line = "\t".join(row(Exported(record, 7, None), 0))
    parsed = parse_row(line)
    assert parsed["document"] == "https://example.org/a;b?c=1#frag"
    assert [t is not None for t in parsed["tone"]] == [True] * 7
    extras = extras_xml(line.split("\t")[26])
    assert extras["PAGE_AUTHORS"].split(";") == ["Ana Li", "Bo Kim"]  # two authors, each clean of ';'/'#'
    assert [s.split("|")[1] for s in extras["NEWSGRAPH_QUOTE_SPEAKERS"].split("#")] == ["Ana Li", "Bo Kim"]
    assert len(extras["NEWSGRAPH_EVENTS"].split("#")) == 1 and "A B" in extras["NEWSGRAPH_EVENTS"]
    assert "\x01" not in extras["PAGE_TITLE"] and extras["PAGE_TITLE"].startswith("Title with a control")
    assert extras["NEWSGRAPH_STORY_ID"] == "7"
    untoned = parse_row("\t".join(row(Exported(record.model_copy(update={"tone": None}), 7, None), 0)))
    # seven numbers, as GDELT's readers need: no tone, the self-reference share and the word count counted
    assert untoned["tone"][:5] == [0] * 5 and untoned["tone"][5] > 0 and untoned["tone"][6] == len(text.split())
    assert untoned["extras"]["NEWSGRAPH_TONE"] == "not measured"  # and a reader is told they measure nothing


@pytest.mark.skipif(not SHARED_GKG.exists(), reason="../shared/bench/gkg not here (a user's machine has none)")
def test_the_gkg_reader_parses_real_gdelt_rows():
    lines = SHARED_GKG.read_text(encoding="utf-8").splitlines()
    rows = [parse_row(line) for line in lines]
    assert len(rows) == 100 and sum(bool(r["quotations"]) for r in rows) > 10
    assert sum(bool(r["v2locations"]) for r in rows) > 50


def test_datasette_serves_the_store_with_the_metadata(store_db, tmp_path):
    from datasette.app import Datasette

    code, _, err = export(store_db, "-f", "datasette-metadata", "-o", str(tmp_path / "metadata.json"))
    assert code == 0 and "datasette" in err
    meta = json.loads((tmp_path / "metadata.json").read_text())
    assert meta["databases"]["store"]["tables"]["quotes"]["columns"]["speaker"] == "canonical name of the speaker"
    ds = Datasette([str(store_db)], metadata=meta)

    async def get(path: str):
        return (await ds.client.get(path)).json()

    found = asyncio.run(get("/store/articles.json?_search=drones&_shape=array"))
    assert found and all("drone" in a["text"].lower() for a in found)
    tables = {t["name"]: t for t in asyncio.run(get("/store.json"))["tables"]}
    assert tables["article_bands"]["hidden"] and not tables["quotes"]["hidden"]
    facets = asyncio.run(get("/store/quotes.json?_facet=speaker"))
    assert facets["facet_results"]


def test_bad_requests_are_refused_clearly(store_db, tmp_path):
    code, _, err = export(store_db, "-f", "xlsx")
    assert code == 2 and "unknown export format 'xlsx'" in err and "parquet" in err
    (tmp_path / "a-file").write_text("x")
    code, _, err = export(store_db, "-f", "csv", "-o", str(tmp_path / "a-file" / "sub"))
    assert code == 2 and "cannot write" in err
    code, _, err = export(store_db, "-f", "jsonl", "-o", str(tmp_path / "a-file" / "x.jsonl"))
    assert code == 2 and "cannot write" in err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.csv").write_text("x")
    code, _, err = export(store_db, "-f", "csv", "-o", str(tmp_path / "full"))
    assert code == 2 and "not an empty folder" in err
    code, out, err = export(store_db, "-f", "jsonl", "--person", "Nobody Atallknown")
    assert code == 0 and out == "" and "no articles match" in err
    code, _, err = export(store_db, "-f", "csv", "-o", str(tmp_path / "none"), "--since", "2099-01-01")
    assert code == 0 and "no articles match" in err
    assert (tmp_path / "none" / "quotes.csv").read_text().count("\n") == 1  # the header alone


def test_filters_and_stories_select_what_search_selects(store_db, stored, tmp_path):
    code, out, _ = export(store_db, "-f", "jsonl", "--source", "Wikinews", "--until", "2010-12-31")
    ids = [json.loads(line)["article"]["id"] for line in out.splitlines()]
    found = run_cli("search", "--source", "Wikinews", "--until", "2010-12-31", "--limit", "1000", "--json",
                    "--db", str(store_db))
    assert code == 0 and ids and sorted(ids) == sorted(a["id"] for a in json.loads(found.stdout))
    story = max((s for _, s, _ in stored if s is not None), key=lambda s: sum(x == s for _, x, _ in stored))
    code, out, _ = export(store_db, "-f", "jsonl", "--story", str(story))
    members = {r.article.id for r, s, _ in stored if s == story}
    assert code == 0 and len(members) > 1 and {json.loads(x)["article"]["id"] for x in out.splitlines()} == members


def _export_with_file_limit(store_db: Path, limit: int, *args: str):
    """`newsgraph export` where every file may grow to ``limit`` bytes: a write past it fails as on a
    full disk (EFBIG, with SIGXFSZ ignored), without filling the machine's disk."""
    import os
    import resource
    import signal
    import subprocess
    import sys

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "newsgraph.cli", "export", *args, "--db", str(store_db)],
                          capture_output=True, preexec_fn=limited, env=os.environ.copy(), timeout=300)


# Parquet and the Datasette metadata go through the same file and folder code, but their outputs
# here are smaller than the least limit SQLite itself needs (its 32 KB shared-memory file).
@pytest.mark.parametrize("fmt,name", [("jsonl", "out.jsonl"), ("gkg", "out.tsv"), ("csv", "tables")])
def test_a_full_disk_gives_one_line_and_leaves_nothing(store_db, tmp_path, fmt, name):
    out = tmp_path / "out"
    out.mkdir()
    done = _export_with_file_limit(store_db, 64_000, "-f", fmt, "-o", str(out / name))
    err = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in err, err
    assert f"cannot write {out / name}" in err and "File too large" in err
    assert list(out.iterdir()) == []  # no target, no .partial


def test_devices_and_pipes_are_refused_not_replaced(store_db, tmp_path):
    import os
    import stat

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for target, kind in (("/dev/null", "a device"), (str(pipe), "a named pipe")):
        code, _, err = export(store_db, "-f", "jsonl", "-o", target)
        assert code == 2 and f"it is {kind}" in err, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_symlink_planted_at_the_old_temporary_name_is_not_followed(store_db, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / ".out.jsonl.partial").symlink_to(victim)
    code, _, err = export(store_db, "-f", "jsonl", "-o", str(tmp_path / "out.jsonl"))
    assert code == 0, err
    assert victim.read_text() == "keep me" and (tmp_path / "out.jsonl").stat().st_size > 0


def test_the_current_folder_as_output_is_a_clear_error(store_db, tmp_path, monkeypatch):
    from newsgraph.errors import NewsgraphError
    from newsgraph.exports import export as run_export

    (tmp_path / "something").write_text("x")
    done = run_cli("export", "-f", "jsonl", "-o", ".", "--db", str(store_db), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in err and "cannot write ." in err, err
    monkeypatch.chdir(tmp_path)  # the folder formats, through the library the command calls
    with pytest.raises(NewsgraphError, match=r"cannot write \.: it exists and is not an empty folder"):
        run_export(Store(str(store_db), create=False), "csv", ".")
