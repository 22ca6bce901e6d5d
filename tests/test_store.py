import html
import json
import re
import sqlite3

from conftest import SEED, WIKINEWS, kill_ingest_midway, run_cli
from newsgraph.readers import read_inputs
from newsgraph.store import Store
from newsgraph.store.queries import ArticleFilter, Queries


def test_ingest_is_idempotent_and_reextracts_changed_text(store_url, seed_record, pipeline):
    store = Store(store_url)
    assert store.ingest(seed_record).outcome == "new"
    before = store.stats()
    assert store.ingest(seed_record).outcome == "unchanged"
    assert store.stats() == before
    assert before["articles"] == 1 and before["quotes"] == len(seed_record.quotes)

    changed = seed_record.article.model_copy(update={"text": seed_record.article.text + "\n\nOne more line."})
    assert store.ingest(pipeline.process(changed)).outcome == "updated"
    assert store.stats()["articles"] == 1
    assert store.get(seed_record.article.id).article.text.endswith("One more line.")


def test_search_full_text_and_filters(store_url, seed_record):
    from newsgraph.store.queries import Queries

    store = Store(store_url)
    store.ingest(seed_record)

    def search(**f):
        return Queries(store).search(ArticleFilter(**f))["items"]

    hits = search(q="drones")
    assert [h["id"] for h in hits] == [seed_record.article.id] and "[drones]" in hits[0]["snippet"].lower()
    assert search(q="drones", person="Peskov") and not search(q="drones", person="Nobody Atall")
    assert search(place="Dnipro") and not search(q="drones", since="2026-01-01")
    published = seed_record.article.published[:10]
    assert search(until=published) and not search(until="2000-01-01")
    assert search(event_type="assault") and not search(event_type="SANCTION_NOTHING")
    assert search(q='unbalanced "quote AND (') == []  # user text never breaks the FTS syntax


def test_cli_search_api_and_pages_share_one_filter(served_db, server_url):
    """The same filter (every field the search page offers) gives the same articles on all three."""
    import httpx

    from conftest import run_cli

    filters = [{"q": "said"}, {"source": "Wikinews", "until": "2015-12-31"}, {"event_type": "ASSAULT"},
               {"person": "Obama", "since": "2008-01-01"}, {"place": "Somalia", "q": "killed"}]
    for f in filters:
        api = httpx.get(f"{server_url}/api/articles", params={**f, "limit": 100}).json()
        api_ids = [a["id"] for a in api["items"]]
        args = [f.get("q")] if f.get("q") else []
        for key in ("source", "since", "until", "person", "place", "event_type"):
            if key in f:
                args += [f"--{key.replace('_', '-')}", f[key]]
        done = run_cli("search", *args, "--limit", "1000", "--json", "--db", served_db)
        assert done.returncode == 0, done.stderr.decode()
        cli_ids = [a["id"] for a in json.loads(done.stdout)]
        page = httpx.get(f"{server_url}/search", params=f).text
        assert cli_ids == api_ids and api_ids, f
        assert all(html.escape(i) in page for i in api_ids[:20]), f


def test_one_entity_row_per_person_across_articles(store_url, pipeline):
    from sqlalchemy import text

    store = Store(store_url)
    a = next(iter(read_inputs([str(SEED)])))
    b = a.model_copy(update={"id": "", "url": "https://example.org/other",
                             "text": "Vladimir Putin said nothing new on Monday, according to the Kremlin."})
    store.ingest(pipeline.process(a))
    store.ingest(pipeline.process(b.with_id()))
    with store.engine.connect() as con:
        assert con.execute(text("select count(*) from entities where name = 'Vladimir Putin'")).scalar() == 1
        assert con.execute(text("select count(distinct article_id) from mentions m join entities e on "
                                "e.id = m.entity_id where e.name = 'Vladimir Putin'")).scalar() == 2


def test_cli_ingest_twice_then_stats_show_search(tmp_path):
    db = str(tmp_path / "c.db")
    first = run_cli("ingest", str(SEED), "--db", db)
    assert first.returncode == 0, first.stderr.decode()
    assert "1 new" in first.stderr.decode()
    storing = re.search(r"storing took (\d+\.\d) s", first.stderr.decode())  # the one writer's share of the run
    assert storing and float(storing[1]) > 0
    second = run_cli("ingest", str(SEED), "--db", db)
    assert "0 new" in second.stderr.decode() and "1 unchanged" in second.stderr.decode()
    assert "storing took" not in second.stderr.decode()  # nothing was stored
    stats = run_cli("stats", "--json", "--db", db)
    numbers = __import__("json").loads(stats.stdout)
    assert numbers["articles"] == 1 and numbers["quotes"] >= 11 and numbers["entities"] >= 9
    found = __import__("json").loads(run_cli("search", "sanctions", "--json", "--db", db).stdout)
    assert len(found) == 1
    shown = run_cli("show", found[0]["id"][:8], "--db", db)
    assert shown.returncode == 0 and "Dmitry Peskov" in shown.stdout.decode()
    missing = run_cli("show", "nope", "--db", db)
    assert missing.returncode == 1 and "no article" in missing.stderr.decode()


def test_killed_ingest_resumes_without_loss_or_duplicates(tmp_path):
    batch = tmp_path / "twelve.jsonl"  # enough to be killed midway, few enough to ingest twice quickly
    batch.write_text("".join(WIKINEWS.read_text(encoding="utf-8").splitlines(keepends=True)[:12]), encoding="utf-8")
    db = tmp_path / "k.db"
    stored = kill_ingest_midway([str(batch)], db, at_least=3)
    assert 3 <= stored < 12

    again = run_cli("ingest", str(batch), "--db", str(db))
    assert again.returncode == 0, again.stderr.decode()
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == 12
    assert con.execute("select count(*) from (select id from articles group by id having count(*) > 1)"
                       ).fetchone()[0] == 0
    # every stored article has its facts: none was half written
    partial = con.execute("select count(*) from articles a where not exists "
                          "(select 1 from mentions m where m.article_id = a.id)").fetchone()[0]
    assert partial == 0
    summary = again.stderr.decode()
    assert "unchanged" in summary and "0 failed" in summary


def test_spelling_variants_are_one_person_across_articles(store_url, pipeline):
    from newsgraph.record import Article
    from newsgraph.store.queries import Queries

    store = Store(store_url)
    texts = ["Ukrainian President Volodymyr Zelenskyy said the talks would continue on Monday.",
             "President Volodymyr Zelensky met European leaders in Brussels on Tuesday.",
             "Volodymyr Zelenskiy told reporters that air defences had improved."]
    for n, text in enumerate(texts):
        store.ingest(pipeline.process(Article(text=text, url=f"https://example.org/{n}").with_id()))
    people = Queries(store).entities("Zelensk", "PERSON")["items"]
    assert len(people) == 1 and people[0]["articles"] == 3
    assert {"Volodymyr Zelensky", "Volodymyr Zelenskiy"} <= set(people[0]["aliases"])
    for spelling in ("Zelensky", "Zelenskiy", "Zelenskyy"):
        assert Queries(store).articles(ArticleFilter(person=spelling))["total"] == 3
    shown = run_cli("show", "--entity", "Zelensky", "--db", store_url)
    assert shown.returncode == 0 and "3 articles" in shown.stdout.decode()


def test_names_keys():
    from newsgraph.names import name_key, same_person

    assert name_key("Zelenskyy") == name_key("Zelensky") == name_key("Zelenskiy")
    assert same_person("António Costa", "Antonio Costa") and same_person("Putin", "Vladimir Putin")
    assert not same_person("Donald Trump", "Melania Trump") and not same_person("Kim Jong-un", "Kim Jong-nam")
    # transliterations of one given name: the same first letter and consonant outline (v-l-d-m-r)
    assert same_person("Vladimir Zelensky", "Volodymyr Zelenskyy") and same_person("Volodomyr Zelensky", "Vladimir Zelensky")
    assert same_person("Aleksandr Lukashenko", "Alexander Lukashenko")
    assert name_key("Heorhii Tykhyi") == name_key("Heorhii Tyhkhi")  # 'kh' beside 'h' is one sound
    # four consonants tell too little (Martin/Morton), and a man's and a woman's name are two people
    assert not same_person("Martin Berg", "Morton Berg") and not same_person("Michael Brown", "Michelle Brown")
    assert not same_person("Christopher Lee", "Christine Lee") and not same_person("Anna Berg", "Hanna Berg")


def test_a_transliterated_given_name_is_one_person_across_articles(tmp_path, pipeline):
    from newsgraph.record import Article
    from newsgraph.store.queries import Queries

    store = Store(str(tmp_path / "t.db"))
    for n, text in enumerate(["President Volodymyr Zelenskyy spoke to reporters in Odesa on Monday.",
                              "Vladimir Zelensky met the Slovak premier on Tuesday.",
                              "Heorhii Tykhyi, a foreign ministry spokesman, confirmed the meeting.",
                              "Spokesman Heorhii Tyhkhi said the talks went well."]):
        store.ingest(pipeline.process(Article(text=text, url=f"https://example.org/t{n}").with_id()))
    q = Queries(store)
    (zelensky,) = q.entities("Zelens", "PERSON")["items"]
    assert zelensky["articles"] == 2 and "Vladimir Zelensky" in zelensky["aliases"] + [zelensky["name"]]
    assert len(q.entities("Heorhii", "PERSON")["items"]) == 1


def test_events_keep_the_country_an_actor_acts_for(store_url, extract):
    record = extract("Russian President Ivan Sorokin rejected the proposal on Monday. Russian troops later "
                     "attacked the port of Odesa.")
    store = Store(store_url)
    store.ingest(record)
    stored = store.get(record.article.id)
    rejected = [e for e in stored.events if e.type == "REJECT"]
    assert rejected and rejected[0].source_actor == "Ivan Sorokin" and rejected[0].source_country == "Russia"
    # an actor filter for the country finds what the country's president and troops did
    found = Queries(store).events(actor="Russia")["items"]
    assert {e["type"] for e in found} >= {"REJECT", "ASSAULT"}
    assert all("Russia" in (e["source_country"] or "") + (e["source_actor"] or "") for e in found)


def test_two_processes_ingesting_into_postgresql_at_once(postgres, tmp_path):
    """Two `newsgraph ingest` runs into one PostgreSQL store, the same articles in opposite orders
    (the same people, the same stories): every article once, one entity row per person, the story
    fixtures in one story, no failure."""
    import subprocess
    import sys

    from sqlalchemy import text

    from conftest import STORIES

    url = postgres.new_database()
    Store(url).engine.dispose()  # migrated once, before the race
    some_wikinews = tmp_path / "ten.jsonl"
    some_wikinews.write_text("".join(WIKINEWS.read_text(encoding="utf-8").splitlines(keepends=True)[:10]),
                             encoding="utf-8")
    forward = [str(STORIES), str(SEED), str(some_wikinews)]
    runs = [subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "ingest", *order, "--db", url],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for order in (forward, forward[::-1])]
    outputs = [r.communicate(timeout=600) for r in runs]
    assert all(r.returncode == 0 for r in runs), [o[1].decode()[-500:] for o in outputs]
    assert all("0 failed" in o[1].decode() for o in outputs)
    store = Store(url, create=False)
    with store.engine.connect() as con:
        assert con.execute(text("select count(*), count(distinct id) from articles")).one() == (17, 17)
        assert con.execute(text("select count(*) from (select type, name_key from entities "
                                "group by type, name_key having count(*) > 1) d")).scalar() == 0
        assert con.execute(text("select count(*) from entities where name = 'Volodymyr Zelenskyy'")).scalar() == 1
        drone_stories = con.execute(text("select count(distinct story_id) from story_articles "
                                         "where article_id in ('ledger-drones', 'wire-drones', 'harbor-drones')")).scalar()
    assert drone_stories == 1


def test_three_processes_at_once_set_up_a_fresh_postgresql_database(postgres):
    """Each opens the empty database as `ingest` does (Store(url) migrates it); one creates the tables,
    the others wait for it (they used to fail on a UniqueViolation)."""
    import os
    import subprocess
    import sys

    url = postgres.new_database()
    opener = ("import sys; from newsgraph.record import Article, Record; from newsgraph.store import Store; "
              "Store(sys.argv[1]).ingest(Record(article=Article(id=sys.argv[2], text='Harbour report.')))")
    procs = [subprocess.Popen([sys.executable, "-c", opener, url, f"race-{n}"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=os.environ.copy()) for n in range(3)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert Store(url, create=False).stats()["articles"] == 3
