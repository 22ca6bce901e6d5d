"""Stories across outlets: duplicates, incremental clustering, claims, rebuild, API and CLI.

The texts are written for the repository (tests/fixtures/stories, and the sentences below); the
pipeline, the store and the HTTP server are the real ones.
"""

import json
import random
import sqlite3

import pytest

from conftest import STORIES, run_cli
from newsgraph.names import fold, name_key
from newsgraph.record import Article, Record
from newsgraph.store import Store
from newsgraph.store.queries import Queries
from newsgraph.stories import claims, clustering, duplicates, features, placer
from newsgraph.stories.scoring import bcubed, pairwise

WIRE = ("The city council of Harlow voted on Tuesday to close the old bus depot on Mill Road by March, "
        "ending a decade of disputes over its future.\n\n"
        "Council leader Dana Price said the site would be sold to a housing association that plans 240 "
        "flats, a third of them affordable. \"This is the best offer we have had in ten years,\" Price said.\n\n"
        "Residents who had campaigned to keep a bus service on the site said they would ask for a judicial "
        "review. The depot employs 85 drivers, who will move to a new garage in the east of the town.\n\n"
        "The vote passed by 23 votes to 14, with two abstentions.")
SYNDICATED = ("The city council of Harlow voted on Tuesday to close the old bus depot on Mill Road by March, "
              "ending ten years of disputes over its future.\n\n"
              "Council leader Dana Price said the site will be sold to a housing association that plans 240 "
              "flats, a third of them affordable. \"This is the best offer we have had in ten years,\" Price said.\n\n"
              "The vote passed by 23 votes to 14, with two abstentions.")
SAME_SUBJECT = ("Harlow's last bus depot will stay open for at least another year after the county transport "
                "board refused on Thursday to approve its sale, the board's chair Martin Ekwueme said.\n\n"
                "The board said drivers and residents had not been consulted about the move to a new garage, "
                "and asked the council to present a plan for bus routes in the east of the town by June.")


def test_a_lightly_edited_syndicated_copy_is_a_near_duplicate():
    a, b = duplicates.fingerprint(WIRE), duplicates.fingerprint(SYNDICATED)
    assert a.exact != b.exact
    assert duplicates.similarity(a.signature, b.signature) >= duplicates.NEAR_DUPLICATE
    assert set(a.bands) & set(b.bands), "the lookup index must bring the copy up as a candidate"


def test_two_stories_on_the_same_subject_are_not_duplicates():
    a, b = duplicates.fingerprint(WIRE), duplicates.fingerprint(SAME_SUBJECT)
    assert duplicates.similarity(a.signature, b.signature) < 0.1


def test_exact_duplicates_ignore_case_and_spacing():
    assert duplicates.exact_key(WIRE) == duplicates.exact_key("  " + WIRE.upper().replace("\n\n", "\n"))


@pytest.mark.parametrize("cells, status", [
    ([(157, None, "09:00"), (157, None, "10:00")], "agree"),
    ([(150, "at least", "09:00"), (157, None, "10:00")], "agree"),  # "at least 150" is true of 157
    ([(157, None, "09:00"), (150, None, "10:00")], "conflict"),  # a later, lower figure is flagged
    ([(12, None, "09:00"), (19, None, "18:00")], "update"),  # a toll that rises with later reports
    ([(12, None, "09:00"), (19, None, "09:00")], "conflict"),  # two figures at the same time
    ([(100, "about", "09:00"), (104, None, "10:00")], "agree"),
    ([(100, "up to", "09:00"), (120, None, "09:00")], "conflict"),
])
def test_count_status_reads_qualifiers_and_time(cells, status):
    rows = [claims.Cell(article_id=f"a{k}", number=n, qualifier=q, published=f"2025-01-01T{t}")
            for k, (n, q, t) in enumerate(cells)]
    assert claims.count_status(rows) == status


@pytest.mark.parametrize("a, b, same", [
    ("fired", "launched", True), ("shot down or jammed", "intercepted", True),
    ("killed", "injured", False), ("launched", "shot down", False),
])
def test_equivalent_actions_share_a_key(a, b, same):
    assert (claims.action_key(a) == claims.action_key(b)) is same


def test_word_diff_marks_changed_words():
    diff = claims.word_diff("we will not let them break us", "we will never let them break us")
    assert ["-", "not"] in diff and ["+", "never"] in diff and diff[0] == ["=", "we will"]


def test_clustering_scores_agree_with_hand_computed_values():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    merged = {"a": 1, "b": 1, "c": 1, "d": 1}
    p, r, f = bcubed(merged, gold)
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)
    assert pairwise(merged, gold)[:2] == (pytest.approx(2 / 6), 1.0)


def test_time_decays_only_beyond_the_window():
    assert clustering.time_factor("2025-01-03", "2025-01-01", "2025-01-02") == 1.0
    assert clustering.time_factor(None, "2025-01-01", "2025-01-02") == 1.0
    far = clustering.time_factor("2026-01-01", "2025-01-01", "2025-01-02")
    near = clustering.time_factor("2025-02-15", "2025-01-01", "2025-01-02")
    assert far < near < 1.0


def test_rare_words_and_names_outweigh_common_ones():
    assert features.rarity("the") == 0.0
    assert features.rarity("depot") > features.rarity("city") > 0
    assert features.name_rarity("Dana Price") > features.name_rarity("Price")


@pytest.fixture(scope="module")
def story_store(tmp_path_factory, pipeline):
    from newsgraph.readers import read_inputs

    store = Store(str(tmp_path_factory.mktemp("stories") / "s.db"))
    records = {r.article.id: r for r in pipeline.process_many(read_inputs([str(STORIES)]))}
    for record in records.values():
        store.ingest(record)
    return store, records


@pytest.fixture
def own_story_store(story_store, tmp_path):
    """A copy of the module's story store for a test that writes (a re-ingest, a rebuild), so the
    tests that read it see the store as built, whatever order they run in."""
    import shutil

    store, records = story_store
    copy = tmp_path / "copy.db"
    with store.engine.connect() as conn:  # a consistent file: the WAL folded in first
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(store.url.removeprefix("sqlite:///"), copy)
    return Store(str(copy)), records


def _story(store, article_id):
    q = Queries(store)
    return q.story(q.story_of(article_id))


def test_three_outlets_reports_of_one_event_are_one_story(story_store):
    store, _ = story_store
    q = Queries(store)
    drones = {q.story_of(a) for a in ("ledger-drones", "wire-drones", "harbor-drones")}
    assert len(drones) == 1
    assert q.story_of("ledger-odesa") not in drones  # another attack, months later, is another story
    assert q.story_of("wire-election") not in drones
    story = _story(store, "wire-drones")
    assert story["outlets"] == ["Danube Wire", "Harbor Times", "Kyiv Ledger"]


def test_count_conflict_between_outlets(story_store):
    story = _story(story_store[0], "wire-drones")
    launched = [c for c in story["claims"] if c["kind"] == "count" and {x["number"] for x in c["cells"]} == {157, 150}]
    assert len(launched) == 1 and launched[0]["status"] == "conflict"
    cell = next(c for c in launched[0]["cells"] if c["number"] == 157)
    text = story_store[1][cell["article_id"]].article.text
    assert text[cell["start"]:cell["end"]] == "157"  # every cell points at its words
    downed = [c for c in story["claims"] if c["kind"] == "count" and {x["number"] for x in c["cells"]} == {121}]
    # all three outlets credit the air force: agreement, but one source repeated, not confirmation
    assert downed and downed[0]["status"] == "repeated" and len(downed[0]["cells"]) == 3
    assert claims.source_key(downed[0]["one_source"]) == "air force"
    assert downed[0]["first_publisher"] == "Kyiv Ledger" and downed[0]["first_published"].startswith("2025-09-06T07:40")


def test_one_source_repeated_only_when_every_figure_credits_it():
    assert claims.one_source(["the air force", "Ukraine's air force", "Air Force"]) == "the air force"
    assert claims.one_source(["regional governor Ivan Rudnytskyi", "Ivan Rudnytskyi"]) is not None
    assert claims.one_source(["the air force", "the navy"]) is None
    assert claims.one_source(["the air force", None]) is None  # one outlet counted for itself
    assert claims.one_source(["the air force"]) is None


def test_first_publisher_needs_a_time_that_comes_first():
    def cell(source, published):
        return source, published

    timed = claims.first_report([cell("A", "2025-09-06T07:40:00"), cell("B", "2025-09-06T09:00:00")])
    assert timed == {"first_publisher": "A", "first_published": "2025-09-06T07:40:00", "first_precision": "time"}
    # a date-only report of the same day may have come before or after: no first publisher
    day_only = claims.first_report([cell("A", "2025-09-06"), cell("B", "2025-09-06T09:00:00")])
    assert day_only["first_publisher"] is None and day_only["first_precision"] == "day"
    assert claims.first_report([cell("A", "2025-09-05"), cell("B", "2025-09-06T09:00:00")])["first_publisher"] == "A"
    # a month-only date is any moment of the month: never first over a timed report inside it
    month = claims.first_report([cell("A", "2025-09"), cell("B", "2025-09-06T09:00:00")])
    assert month["first_publisher"] is None and month["first_precision"] == "month"
    assert claims.first_report([cell("A", "2025-08"), cell("B", "2025-09-06T09:00:00")])["first_publisher"] == "A"
    # times with offsets compare as moments: 08:00 in Kyiv (+03:00) is before 07:00 in London (UTC)
    zoned = claims.first_report([cell("A", "2025-09-06T07:00:00+00:00"), cell("B", "2025-09-06T08:00:00+03:00")])
    assert zoned["first_publisher"] == "B"


def test_quote_agreement_speaker_conflict_and_first_publisher(story_store):
    story = _story(story_store[0], "wire-drones")
    quotes = {c["label"][:20]: c for c in story["claims"] if c["kind"] == "quote"}
    agreed = quotes["We will not let thes"]
    assert agreed["status"] == "agree" and agreed["first_publisher"] == "Kyiv Ledger"
    assert [c["source"] for c in agreed["cells"]] == ["Kyiv Ledger", "Danube Wire"]
    disputed = quotes["Every drone that get"]
    assert disputed["status"] == "speaker_conflict"
    assert {c["speaker"] for c in disputed["cells"]} == {"Andriy Yermak", "Volodymyr Zelenskyy"}
    assert disputed["first_publisher"] == "Danube Wire"


def test_coverage_shows_what_an_outlet_leaves_out(story_store):
    coverage = _story(story_store[0], "wire-drones")["coverage"]
    yermak = next(r for r in coverage["actors"] if r["name"] == "Andriy Yermak")
    assert yermak["missing"] == ["Harbor Times", "Kyiv Ledger"]
    zelenskyy = [r for r in coverage["actors"] if "Zelenskyy" in r["name"]]
    assert len(zelenskyy) == 1  # 'Zelenskyy' and 'Volodymyr Zelenskyy' are one row


def test_a_syndicated_copy_is_stored_as_a_duplicate_and_not_counted_twice(story_store):
    store, _ = story_store
    story = _story(store, "wire-election")
    members = {m["id"]: m for m in story["members"]}
    assert members["courier-election"]["duplicate_of"] == "wire-election"
    assert members["courier-election"]["duplicate_similarity"] >= duplicates.NEAR_DUPLICATE
    assert all(len(c["cells"]) >= 2 for c in story["claims"])
    assert not [c for c in story["claims"] if c["kind"] == "count"], "one report and its copy make no claim"


def test_reingested_article_keeps_its_story_and_changes_no_other(own_story_store, pipeline):
    store, records = own_story_store
    q = Queries(store)
    before = {a: q.story_of(a) for a in records}
    with store.engine.connect() as conn:
        changes_before = conn.exec_driver_sql("SELECT count(*) FROM story_changes").scalar()
    changed = records["harbor-drones"].article.model_copy(
        update={"text": records["harbor-drones"].article.text + "\n\nThe air force gave no figure for missiles."})
    ingested = store.ingest(pipeline.process(changed))
    assert ingested.outcome == "updated" and ingested.placement.story_id == before["harbor-drones"]
    assert {a: q.story_of(a) for a in records} == before
    with store.engine.connect() as conn:  # no merge or split was logged: nothing else moved
        assert conn.exec_driver_sql("SELECT count(*) FROM story_changes").scalar() == changes_before


def test_rebuild_reports_agreement_and_records_changes(own_story_store):
    store, records = own_story_store
    report = store.rebuild_stories()
    assert report["articles"] == len(records)
    assert report["agreement"]["bcubed_f1"] == pytest.approx(1.0)  # these stories are clear-cut
    with store.engine.connect() as conn:
        kinds = conn.exec_driver_sql("SELECT kind FROM story_changes").scalars().all()
    assert "rebuild" in kinds


def _invented_words(rng: random.Random, n: int) -> list[str]:
    syllables = ["ka", "ro", "mi", "tu", "sel", "van", "dor", "li", "ne", "bra", "zo", "quin", "ter", "ash", "ol"]
    return ["".join(rng.choice(syllables) for _ in range(4)) for _ in range(n)]


def test_a_merge_is_recorded_not_silent(tmp_path):
    """Two reports alike in many light words but with no heavy word in common: the second cannot find
    the first's story (candidates come from each story's heaviest terms) and starts its own. A third
    report carrying heavy words of both finds both, joins one and folds the other in: one story,
    recorded as a merge on the story page and in its changes."""
    rng = random.Random(7)
    heavy_a, heavy_b, light = _invented_words(rng, 25), _invented_words(rng, 25), _invented_words(rng, 200)

    def report(aid: str, heavy: list[str], shared: list[str]) -> Record:
        repeated = [w for w in heavy for _ in range(3)]
        text = " ".join(repeated[:40] + shared + repeated[40:]) + "."
        return Record(article=Article(id=aid, title=None, text=text, published="2025-01-01"))

    store = Store(str(tmp_path / "m.db"))
    q = Queries(store)
    first = store.ingest(report("x1", heavy_a, light)).placement
    # the light words in another order: alike in words, not a near-copy in phrasing
    second = store.ingest(report("x2", heavy_b, sorted(light))).placement
    assert second.new_story and q.story_of("x1") != q.story_of("x2")
    bridge = store.ingest(report("x3", heavy_a[:12] + heavy_b[:13], [])).placement
    assert bridge.merged, bridge
    assert q.story_of("x1") == q.story_of("x2") == q.story_of("x3") == bridge.story_id
    assert {bridge.story_id, *bridge.merged} == {first.story_id, second.story_id}
    story = q.story(bridge.merged[0])  # the folded story's id still answers, with the story it went into
    assert story["id"] == bridge.story_id and story["merged_from"] == bridge.merged[0]
    assert [c["kind"] for c in story["changes"]].count("merge") == 1


def test_feeding_order_changes_little(story_store):
    _, records = story_store
    items = list(records.values())
    results = []
    for seed in (1, 2, 3):
        random.Random(seed).shuffle(items)
        memory = placer.replay([(r.article.id, features.record_vector(r), features.story_time(r), None)
                                for r in items])
        results.append({a: frozenset(m for m, _ in memory.members(s)) for a, s in memory.assignment().items()})
    assert results[0] == results[1] == results[2]


def test_cli_stories_json_and_story_table(tmp_path):
    db = tmp_path / "cli.db"
    assert run_cli("ingest", str(STORIES), "--db", str(db)).returncode == 0
    listed = json.loads(run_cli("stories", "--json", "--db", str(db)).stdout)
    assert set(listed) == {"items", "total", "next"} and listed["total"] == 3
    first = listed["items"][-1]
    assert set(first) == {"id", "title", "articles", "outlets", "first_seen", "last_seen"}
    drones = next(i for i in listed["items"] if "wire-drones" in i["articles"])
    shown = run_cli("story", str(drones["id"]), "--db", str(db), env={"COLUMNS": "250"})
    text = shown.stdout.decode()
    assert shown.returncode == 0 and "[CONFLICT]" in text and "[SPEAKER_CONFLICT]" in text
    since = json.loads(run_cli("stories", "--json", "--since", "2025-11-01", "--db", str(db)).stdout)
    assert [i["articles"] for i in since["items"]] == [["ledger-odesa"]]
    changes = "SELECT count(*) FROM story_changes"
    before = sqlite3.connect(db).execute(changes).fetchone()
    rebuilt = run_cli("stories", "rebuild", "--db", str(db))  # its own command: listing never writes
    assert rebuilt.returncode == 0 and "BCubed F1 1.000" in rebuilt.stderr.decode()
    assert sqlite3.connect(db).execute(changes).fetchone()[0] == before[0] + 1  # the rebuild is logged
    assert run_cli("stories", "--rebuild", "--db", str(db)).returncode == 2  # no longer a listing option
    assert run_cli("story", "99999", "--db", str(db)).returncode == 1


def test_ages_numbers_and_days_are_features():
    from newsgraph.record import Count, DateMention

    record = Record(article=Article(id="t", text="A 14-year-old boy was shot on Saturday; 3 people were hurt."),
                    counts=[Count(start=2, end=4, number=14, text="14", kind="age"),
                            Count(start=40, end=41, number=3, text="3", object="people", action="hurt")],
                    dates=[DateMention(start=30, end=38, text="Saturday", value="2016-01-16")])
    vector = features.record_vector(record)
    assert {"a:14", "n:3:peopl", "d:2016-01-16", "m:2016-01"} <= set(vector)


def test_a_late_follow_up_that_names_the_storys_day_is_close_in_time():
    """A sentencing report a year on that names the day of the shooting is as close as a report of
    that day; one that names no day decays with the year between."""
    from newsgraph.stories.clustering import StoryProfile, similarity

    story = StoryProfile(1)
    story.add({"w:osborne": 0.8, "e:brady osborne": 0.6}, "2014-03-02")
    names_the_day = {"w:osborne": 0.7, "e:brady osborne": 0.5, "d:2014-03-01": 0.5}
    names_no_day = {"w:osborne": 0.7, "e:brady osborne": 0.5, "w:probation": 0.5}
    assert similarity(names_the_day, "2015-03-12", story) > 0.5
    assert similarity(names_no_day, "2015-03-12", story) < 0.2
    assert similarity(names_no_day, None, story) > 0.5  # undated: content alone


def test_a_day_the_storys_reports_also_name_is_the_events_day():
    """The story's reports came out months after the shooting they name (a charge in August for a
    death in March); a sentencing a year later that names that March day is close to them, one that
    names another day of that spring is not."""
    from newsgraph.stories.clustering import StoryProfile, article_time_factor, similarity

    story = StoryProfile(1)
    story.add(features.normalize({"w:osborne": 0.8, "e:brady osborne": 0.6, "d:2014-03-01": 0.4}), "2014-08-25")
    same_day = features.normalize({"w:osborne": 0.7, "e:brady osborne": 0.5, "d:2014-03-01": 0.4})
    other_day = features.normalize({"w:osborne": 0.7, "e:brady osborne": 0.5, "d:2014-03-20": 0.4})
    assert article_time_factor(same_day, "2015-09-10", story) == 1.0
    assert article_time_factor(other_day, "2015-09-10", story) < 0.5  # 158 days before the story's first report
    assert similarity(same_day, "2015-09-10", story) > 2 * similarity(other_day, "2015-09-10", story)


def test_what_an_article_says_first_weighs_more_than_what_it_recalls_last():
    """News puts the event first and background last: a name, word or figure first met in the
    closing sentence (an earlier event recalled) weighs up to half as much as in the lead."""
    from newsgraph.record import Count, Entity, Mention

    text = ("Ingrid Lindqvist was hurt when a crane fell at Felixstowe on Friday. "
            "It was the second collapse this year, after Femi Okonkwo was hurt at Tilbury.")
    late = text.index("Femi")
    record = Record(article=Article(id="t", text=text), entities=[
        Entity(id="e1", name="Ingrid Lindqvist", type="PERSON", mentions=[Mention(start=0, end=16, text="Ingrid Lindqvist")]),
        Entity(id="e2", name="Femi Okonkwo", type="PERSON", mentions=[Mention(start=late, end=late + 12, text="Femi Okonkwo")])],
        counts=[Count(start=text.index("second"), end=text.index("second") + 6, number=2, text="second", kind="ordinal")])
    vector = features.record_vector(record)
    lindqvist, okonkwo = vector["e:" + name_key("Ingrid Lindqvist")], vector["e:" + name_key("Femi Okonkwo")]
    # both people, said once: they differ by their names' rarity and by where they are first said
    rarity_ratio = features.name_rarity("Femi Okonkwo") / features.name_rarity("Ingrid Lindqvist")
    assert okonkwo / lindqvist == pytest.approx((1 - features.POSITION_DROP * late / len(text)) * rarity_ratio)
    assert okonkwo / lindqvist < 0.7 * rarity_ratio
    # words too, placed in the text folded for matching
    word_ratio = features.rarity("tilbury") / features.rarity("felixstowe")
    folded = fold(text)
    first_t, first_f = folded.index("tilbury"), folded.index("felixstowe")
    expected = (1 - features.POSITION_DROP * first_t / len(folded)) / (1 - features.POSITION_DROP * first_f / len(folded))
    assert vector["w:tilbury"] / vector["w:felixstowe"] == pytest.approx(expected * word_ratio)


@pytest.mark.parametrize("text, kept", [
    ("Please enable Javascript to watch this video\n\nST. LOUIS (KSTL) - A teenager was charged on Friday.",
     "ST. LOUIS        - A teenager was charged on Friday."),
    ("NEW HAVEN, Conn., Oct. 27 (UPI) -- One man was hurt.", "NEW HAVEN, Conn., Oct. 27       -- One man was hurt."),
    ("Follow WXYZ: Facebook | Twitter\nDETROIT (WXYZ) — A fire broke out.", "DETROIT        — A fire broke out."),
    ("The mayor (a Democrat) - who spoke first - said no.", "The mayor (a Democrat) - who spoke first - said no."),
    ("Share this story on Facebook to tell your friends what happened at the depot, and why the council "
     "voted to close it after ten years of disputes over the site.",
     "Share this story on Facebook to tell your friends what happened at the depot, and why the council "
     "voted to close it after ten years of disputes over the site."),  # a long line is text
])
def test_what_every_article_of_a_site_carries_is_no_story_feature(text, kept):
    blanked, spans = features.without_chrome(text)
    assert len(blanked) == len(text)  # offsets kept
    assert blanked.strip() == kept
    assert bool(spans) == (kept != text)


def test_two_unrelated_articles_of_one_site_do_not_meet_on_its_chrome():
    chrome = "Please enable Javascript to watch this video\nFollow KSTL: Facebook | Twitter\n"
    fire = "CLAYTON (KSTL) - Firefighters put out a warehouse fire on Elm Street overnight; nobody was hurt."
    vote = "FLORISSANT (KSTL) - The school board voted to rename Lincoln Middle School after a local teacher."

    def vector(text):
        return features.record_vector(Record(article=Article(id="x", text=text)))

    assert features.cosine(vector(chrome + fire), vector(chrome + vote)) == pytest.approx(
        features.cosine(vector(fire.replace("(KSTL) ", "")), vector(vote.replace("(KSTL) ", ""))), abs=0.02)


def test_the_store_finds_a_story_a_year_old_through_the_day_both_name(tmp_path):
    """Candidates are looked up within the reach of the time decay, except through a day both name."""
    from newsgraph.record import DateMention
    from newsgraph.stories.config import DEFAULT

    def record(aid, text, published, day_text):
        at = text.index(day_text)
        return Record(article=Article(id=aid, text=text, published=published),
                      dates=[DateMention(start=at, end=at + len(day_text), text=day_text, value="2014-03-01")])

    charged = ("Brady Osborne, 16, of Rock Falls was charged with reckless conduct on Monday in the shooting "
               "death of his friend Matthew Anderson on March 1 at a home in Rock Falls.")
    sentenced = ("Brady Osborne of Rock Falls received probation on Thursday for the shooting death of his "
                 "friend Matthew Anderson on March 1, 2014.")
    store = Store(str(tmp_path / "late.db"))
    store.ingest(record("charged", charged, "2014-08-25", "March 1"))
    store.ingest(record("sentenced", sentenced, "2015-09-10", "March 1, 2014"))
    assert DEFAULT.reach_days() < 380  # the gap, 380 days, is beyond the window that the other index terms are searched in
    q = Queries(store)
    assert q.story_of("sentenced") == q.story_of("charged")


def test_a_near_copy_with_other_figures_days_or_places_is_no_copy():
    original = {"n:3:peopl", "d:2025-03-01", "w:shot"}
    assert not duplicates.facts_differ({"n:3:peopl", "d:2025-03-01"}, original, ["Gary"], ["Gary"])
    assert not duplicates.facts_differ({"d:2025-03-01"}, original, [], ["Gary"])  # a paragraph dropped
    assert duplicates.facts_differ({"n:5:peopl", "d:2025-03-01"}, original)  # another toll
    assert duplicates.facts_differ({"n:3:peopl", "d:2025-06-09"}, original)  # another day
    assert duplicates.facts_differ({"n:3:peopl"}, original, ["Toledo"], ["Gary"])  # another place


TEMPLATE = ("Police said {n} people were shot outside a nightclub in {place} early on {day}. Officers arrived "
            "to find the victims in the parking lot and took them to a hospital, where they were treated for "
            "wounds that were not life-threatening. No arrests have been made and anyone with information "
            "is asked to call the police tip line. The investigation is continuing, a spokesman said.")


def test_template_reports_of_different_events_are_not_copies(tmp_path, pipeline):
    store = Store(str(tmp_path / "template.db"))
    first = Article(id="t-gary", text=TEMPLATE.format(n="three", place="Gary, Indiana", day="Saturday, March 1"),
                    published="2025-03-01", source="Station A")
    again = Article(id="t-gary-copy", text=first.text.replace("early on", "early"), published="2025-03-01",
                    source="Station B")
    other = Article(id="t-toledo", text=TEMPLATE.format(n="five", place="Toledo, Ohio", day="Sunday, June 8"),
                    published="2025-06-08", source="Station A")
    for article in (first, again, other):
        store.ingest(pipeline.process(article))
    with store.engine.connect() as conn:
        rows = {r.article_id: r for r in conn.exec_driver_sql(
            "SELECT article_id, duplicate_of, story_id FROM story_articles")}
    assert rows["t-gary-copy"].duplicate_of == "t-gary"  # the same words, the same facts: a copy
    assert rows["t-toledo"].duplicate_of is None  # the same template, another event
    assert duplicates.similarity(duplicates.fingerprint(first.text).signature,
                                 duplicates.fingerprint(other.text).signature) >= duplicates.NEAR_DUPLICATE
