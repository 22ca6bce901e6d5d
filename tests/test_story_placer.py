"""One placement procedure: the store's SQL index and the memory index place alike, and news time
with stream weights keeps events about the same people apart."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from sqlalchemy import select

from newsgraph.pipeline import Pipeline
from newsgraph.record import Article, Count, Entity, Mention, Record
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.stories import placer, stream
from newsgraph.stories.config import DEFAULT
from newsgraph.stories.features import record_vector, story_time

SYLLABLES = ["ka", "ro", "mi", "tu", "sel", "van", "dor", "li", "ne", "bra", "zo", "quin", "ter", "ash", "ol"]
COMMON = ["the", "said", "on", "in", "a", "of", "to", "and", "that", "was", "for", "with", "officials",
          "government", "minister", "talks", "week", "report", "statement", "vote", "court", "border"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def stream_of(n: int, seed: int = 3) -> list[Record]:
    """A dense stream: stories of 1-5 articles over two months, every story naming one or two of
    four famous people, some sharing their place with another story, each with its own words and
    figure, so placements join, start, merge and split."""
    rng = random.Random(seed)
    famous = [f"{_name(rng)} {_name(rng)}" for _ in range(4)]
    places = [_name(rng) for _ in range(12)]
    out: list[Record] = []
    story = 0
    while len(out) < n:
        story += 1
        people = rng.sample(famous, rng.randint(1, 2)) + [f"{_name(rng)} {_name(rng)}"]
        place = rng.choice(places)
        words = [_name(rng).lower() for _ in range(12)]
        figure = rng.randint(2, 400)
        first = rng.randint(1, 55)
        for k in range(min(rng.randint(1, 5), n - len(out))):
            day = f"2025-03-{1 + (first + rng.randint(0, 2)) % 28:02d}" if first < 28 else \
                f"2025-04-{1 + (first + rng.randint(0, 2)) % 28:02d}"
            lead = f"{people[0]} said {figure} people were hurt in {place}. "
            body = " ".join(rng.choice(words) if rng.random() < 0.25 else rng.choice(COMMON) for _ in range(90))
            text = lead + body
            at = text.index(str(figure))
            entities = [Entity(id=f"e{i}", name=p, type="PERSON", mentions=[Mention(start=0, end=len(p), text=p)])
                        for i, p in enumerate(people[: 2 + k % 2])]
            entities.append(Entity(id="e9", name=place, type="GPE",
                                   mentions=[Mention(start=text.index(place), end=text.index(place) + len(place),
                                                     text=place)]))
            out.append(Record(article=Article(id=f"s{story}-{k}", source=f"Outlet {k}", published=day,
                                              title=f"{place} {words[0]} {words[1]}", text=text),
                              entities=entities,
                              counts=[Count(start=at, end=at + len(str(figure)), number=figure, text=str(figure),
                                            object="people", action="hurt", category="WOUND")]))
    return out


def partition(assignment: dict[str, int]) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = defaultdict(set)
    for article_id, story_id in assignment.items():
        groups[story_id].add(article_id)
    return {frozenset(g) for g in groups.values()}


def test_store_and_memory_place_the_same_stories(store_url):
    records = stream_of(300 if store_url.startswith("/") else 150)  # PostgreSQL: a round trip per statement
    store = Store(store_url)
    for record in records:
        store.ingest(record)
    with store.engine.connect() as conn:
        rows = {r.article_id: r for r in conn.execute(select(t.story_articles.c.article_id, t.story_articles.c.story_id,
                                                             t.story_articles.c.duplicate_of))}
        changes = conn.execute(select(t.story_changes.c.kind)).scalars().all()
    memory = placer.replay([(r.article.id, record_vector(r), story_time(r), rows[r.article.id].duplicate_of)
                            for r in records])
    stored = partition({a: r.story_id for a, r in rows.items()})
    assert len(stored) > 40 and any(len(g) > 1 for g in stored)  # a real mix of joins and new stories
    assert stored == partition(memory.assignment())
    # the same merges and splits happened on both sides
    assert sorted(changes) == sorted(kind for kind, *_ in memory.changes)


def test_claims_wait_for_the_batch_and_are_right_when_read_before(tmp_path):
    records = stream_of(12, seed=5)
    store = Store(str(tmp_path / "claims.db"))
    for record in records:
        store.ingest(record)
    from newsgraph.store.queries import Queries

    q = Queries(store)
    with store.engine.connect() as conn:
        stale = conn.execute(select(t.stories.c.id).where(t.stories.c.claims_stale.is_(True))).scalars().all()
        written = conn.execute(select(t.claims.c.id)).scalars().all()
    assert stale and not written  # placing wrote no claims
    story_id = next(s for s in stale if q.story(s)["claims"])
    read_before = [(c["kind"], c["key"], c["status"]) for c in q.story(story_id)["claims"]]
    assert store.refresh_claims() == len(stale)
    read_after = [(c["kind"], c["key"], c["status"]) for c in q.story(story_id)["claims"]]
    assert read_before == read_after and all(c["id"] is not None for c in q.story(story_id)["claims"])
    assert store.refresh_claims() == 0


def test_a_feature_in_every_story_weighs_less():
    config = DEFAULT
    assert stream.share(0, 500, config) == 1.0
    assert stream.share(config.free_articles, 500, config) == 1.0  # one story's own reports
    assert stream.share(100, 500, config) < stream.share(20, 500, config) < 1.0
    weighted = stream.weighted({"e:biden": 0.8, "w:geneva": 0.6}, 500, {"e:biden": 200, "w:geneva": 3}, config)
    assert weighted["w:geneva"] > weighted["e:biden"]


def test_a_reference_date_many_articles_name_is_no_event_day():
    config = DEFAULT
    vector = {"d:2021-01-06": 0.5, "d:2021-06-03": 0.5}
    assert stream.evidence(vector, {"d:2021-01-06": 40, "d:2021-06-03": 2}, config).common_days == {"d:2021-01-06"}


LEADERS = ("President Aldo Varga of Norland and Prime Minister Ines Kovach of Sudria")

# The weeks before: the two leaders are in every story of this desk's stream, which is what the
# stream's frequencies learn (in a store of a dozen articles nothing is common yet). Written for this test.
TOPICS = [
    ("pensions", "a pension reform raising the retirement age for miners"),
    ("football", "a friendly football match won by Sudria at the national stadium"),
    ("election", "an early parliamentary election called for September"),
    ("vineyards", "a tour of vineyards and the growers' cooperative"),
    ("dockers", "a dockers' strike over pay at the container terminals"),
    ("telescope", "a radio telescope opened on a plateau"),
    ("wildfires", "wildfires burning pine forests in the hills"),
    ("vaccines", "a measles vaccination drive in village schools"),
    ("tariffs", "tariffs on imported steel and aluminium"),
    ("museum", "a museum returning looted medieval manuscripts"),
    ("drought", "a drought shrinking wheat harvests"),
    ("airline", "the bankruptcy of a regional airline"),
    ("orchestra", "an orchestra's tour of concert halls"),
    ("census", "a census counting households in remote valleys"),
    ("bridge", "a cracked motorway bridge closed to lorries"),
    ("fishing", "fishing licences for trawlers in the gulf"),
    ("students", "student protests against tuition fees"),
    ("hospital", "a children's hospital wing funded by a lottery"),
]
BACKGROUND = [
    (f"bg-{key}", ("Meridian Post", "Harbor Times", "Daily Ledger")[n % 3], f"2025-05-{10 + n:02d}",
     f"Varga and Kovach on {key}",
     f"President Aldo Varga of Norland and Prime Minister Ines Kovach of Sudria spoke about {what}. "
     f"Officials in Norland and Sudria said the {key} question would return next month.")
    for n, (key, what) in enumerate(TOPICS)
]

# Two different events about the same two leaders on consecutive days, three outlets each, then a
# fourth report a week later about something else again. Written for this test.
STREAM = [
    ("treaty-a", "Meridian Post", "2025-06-10", "Norland and Sudria sign water treaty",
     f"{LEADERS} signed a treaty on Tuesday sharing the waters of the Tavel river. The accord sets quotas for "
     "irrigation canals and a joint commission of hydrologists in the border town of Ostrava Mala."),
    ("treaty-b", "Harbor Times", "2025-06-10", "Tavel river water accord signed",
     "Norland's President Aldo Varga and Sudria's Prime Minister Ines Kovach put their names to a water-sharing "
     "treaty for the Tavel river, with irrigation quotas and a commission of hydrologists meeting in Ostrava Mala."),
    ("treaty-c", "Daily Ledger", "2025-06-10", "Leaders agree Tavel water quotas",
     "A treaty dividing the Tavel river's water between Norland and Sudria was signed by Aldo Varga and Ines "
     "Kovach. Hydrologists from both sides will sit on a commission in Ostrava Mala that oversees canal quotas."),
    ("ferry-a", "Meridian Post", "2025-06-11", "Ferry capsizes off Sudria coast",
     f"{LEADERS} flew to the port of Kelso on Wednesday after a passenger ferry capsized in a storm, leaving "
     "38 people missing. Coast guard divers searched the wreck of the ferry Albatross through the night."),
    ("ferry-b", "Harbor Times", "2025-06-11", "38 missing after ferry Albatross capsizes",
     "Divers searched for 38 people missing after the ferry Albatross overturned in a storm near Kelso. Aldo "
     "Varga and Ines Kovach visited the harbour and met relatives of the passengers at the coast guard station."),
    ("ferry-c", "Daily Ledger", "2025-06-11", "Storm overturns Kelso ferry",
     "The passenger ferry Albatross capsized in a storm outside Kelso harbour and 38 people are missing, the coast "
     "guard said. President Varga and Prime Minister Kovach came to the port as divers searched the wreck."),
    ("rail-a", "Meridian Post", "2025-06-18", "Norland and Sudria plan high-speed rail",
     f"{LEADERS} announced plans for a high-speed railway linking their capitals, with electric trains, new "
     "viaducts over the mountains and a tunnel financed by a consortium of banks."),
]


@pytest.fixture(scope="module")
def stream_records() -> list[Record]:
    pipeline = Pipeline()
    articles = [Article(id=i, source=s, published=d, title=title, text=text)
                for i, s, d, title, text in BACKGROUND + STREAM]
    return [r for r in pipeline.process_many(articles) if isinstance(r, Record)]


def test_two_events_about_the_same_leaders_are_two_stories_and_a_week_later_a_third(tmp_path, stream_records):
    assert len(stream_records) == len(BACKGROUND + STREAM)
    store = Store(str(tmp_path / "leaders.db"))
    for record in stream_records:
        store.ingest(record)
    with store.engine.connect() as conn:
        stories = dict(conn.execute(select(t.story_articles.c.article_id, t.story_articles.c.story_id)).all())
    ours = {i for i, *_ in STREAM}
    tested = {g & ours for g in partition(stories) if g & ours}
    assert tested == {frozenset({"treaty-a", "treaty-b", "treaty-c"}),
                      frozenset({"ferry-a", "ferry-b", "ferry-c"}), frozenset({"rail-a"})}
    # the same in any order within each day, through the memory index
    for seed in range(4):
        order = sorted(stream_records, key=lambda r: (r.article.published, random.Random(seed).random()))
        memory = placer.replay([(r.article.id, record_vector(r), story_time(r), None) for r in order])
        assert partition(memory.assignment()) == partition(stories)


def test_a_rebuild_counts_the_stream_again_as_ingest_did(tmp_path):
    store = Store(str(tmp_path / "recount.db"))
    for record in stream_of(40, seed=9):
        store.ingest(record)

    def counts():
        with store.engine.connect() as conn:
            return (sorted(conn.execute(select(t.stream_days.c.day, t.stream_days.c.n)).all()),
                    sorted(conn.execute(select(t.stream_terms.c.term, t.stream_terms.c.day, t.stream_terms.c.n)).all()))

    before = counts()
    assert sum(n for _, n in before[0]) == 40 and before[1]
    with store.engine.begin() as conn:  # a store from before migration 0011 has no counts
        conn.execute(t.stream_terms.delete())
        conn.execute(t.stream_days.delete())
    report = store.rebuild_stories()
    assert counts() == before
    assert report["config"] == DEFAULT.as_dict()  # the rebuild says which settings made it


def test_one_batch_or_many_give_the_same_stream_stories_and_claims(tmp_path):
    records = stream_of(40, seed=11)
    one, many = Store(str(tmp_path / "one.db")), Store(str(tmp_path / "many.db"))
    for record in records:
        one.ingest(record)
    one.refresh_claims()
    for start in range(0, len(records), 10):
        for record in records[start:start + 10]:
            many.ingest(record)
        many.refresh_claims()

    def state(store):
        with store.engine.connect() as conn:
            stories = dict(conn.execute(select(t.story_articles.c.article_id, t.story_articles.c.story_id)).all())
            terms = sorted(conn.execute(select(t.stream_terms.c.term, t.stream_terms.c.day, t.stream_terms.c.n)).all())
            claims = sorted((r.story_id, r.kind, r.key, r.status) for r in conn.execute(select(t.claims)))
            stale = conn.execute(select(t.stories.c.id).where(t.stories.c.claims_stale.is_(True))).all()
        return partition(stories), terms, claims, stale

    assert state(one) == state(many)
    assert state(one)[2] and not state(one)[3]  # claims were lined up, none left stale
