"""A story that holds two look-alike events splits in two, logged; one event told many ways does not.

The texts are written for the repository: two crane collapses at two ports, the second event's
reports naming the first (as follow-ups of a second accident do), so the first report of the
second collapse joins the first collapse's story and the story has to split later.
"""

import random

import httpx
import numpy as np
import pytest

from conftest import Served
from newsgraph.record import Article
from newsgraph.store import Store
from newsgraph.store.queries import Queries
from newsgraph.stories import clustering, features, placer, splitting

TILBURY = [
    "A crane collapsed at Tilbury docks on Monday, injuring operator Femi Okonkwo, the port authority said. "
    "Okonkwo, 44, was taken to Basildon hospital with leg injuries.",
    "Crane operator Femi Okonkwo was hurt when a dockside crane fell at Tilbury on Monday. The Port of Tilbury "
    "said an inquiry into the collapse had begun.",
    "Investigators at Tilbury docks are examining why a crane toppled on Monday, trapping its operator, Femi "
    "Okonkwo, 44, for an hour before firefighters freed him.",
    "The Tilbury crane collapse that injured Femi Okonkwo was caused by a failed brake, the port's union said, "
    "calling for every crane at the docks to be inspected.",
]
SECOND = " It was the second crane collapse at a port this year, after the one at Tilbury docks."
FELIXSTOWE = [
    "A crane collapsed at Felixstowe docks on Friday, injuring operator Ingrid Lindqvist, the port authority "
    "said. Lindqvist, 37, was taken to Ipswich hospital with head injuries." + SECOND,
    "Crane operator Ingrid Lindqvist was hurt when a dockside crane fell at Felixstowe on Friday. The Port of "
    "Felixstowe said an inquiry into the collapse had begun." + SECOND,
    "Investigators at Felixstowe docks are examining why a crane toppled on Friday, trapping its operator, "
    "Ingrid Lindqvist, 37, for two hours before firefighters freed her." + SECOND,
    "The Felixstowe crane collapse that injured Ingrid Lindqvist was caused by high winds, the port's union "
    "said, calling for every crane at the docks to be inspected." + SECOND,
]
MORE_TILBURY = [
    "Femi Okonkwo, the crane driver injured at Tilbury on Monday, is recovering after surgery on his leg, his "
    "family said, thanking the firefighters who cut him free.",
    "Dock workers at Tilbury stopped work for an hour on Wednesday in support of Femi Okonkwo, whose crane "
    "fell on Monday, and demanded the port publish its inspection records.",
]
# alternating, as reports of two events arrive
ORDER = [("t0", TILBURY[0]), ("f0", FELIXSTOWE[0]), ("t1", TILBURY[1]), ("f1", FELIXSTOWE[1]),
         ("t2", TILBURY[2]), ("f2", FELIXSTOWE[2]), ("t3", TILBURY[3]), ("f3", FELIXSTOWE[3])]


@pytest.fixture(scope="module")
def crane_records(pipeline):
    texts = ORDER + [(f"t{4 + i}", text) for i, text in enumerate(MORE_TILBURY)]
    records = pipeline.process_many([Article(id=aid, text=text) for aid, text in texts])
    return {r.article.id: r for r in records}


def test_the_second_collapse_first_joins_the_first_then_the_story_splits(tmp_path, crane_records):
    store = Store(str(tmp_path / "s.db"))
    placements = {}
    for aid, _ in ORDER:
        placements[aid] = store.ingest(crane_records[aid]).placement
    q = Queries(store)
    assert placements["f0"].story_id == placements["t0"].story_id  # the look-alike joined at first
    assert {q.story_of(a) for a, _ in ORDER if a.startswith("t")} == {q.story_of("t0")}
    assert {q.story_of(a) for a, _ in ORDER if a.startswith("f")} == {q.story_of("f0")}
    assert q.story_of("t0") != q.story_of("f0")
    split_at = [a for a, p in placements.items() if p.split_off is not None]
    assert len(split_at) == 1
    with store.engine.connect() as conn:
        changes = conn.exec_driver_sql("SELECT kind, story_id, other_story_id, article_id FROM story_changes").all()
    assert [c for c in changes if c.kind == "merge"] == []  # split once, never merged back
    (split,) = [c for c in changes if c.kind == "split"]
    assert split.article_id == split_at[0]
    assert {split.story_id, split.other_story_id} == {q.story_of("t0"), q.story_of("f0")}
    story = q.story(split.other_story_id)
    moved = set(next(c["detail"]["articles"] for c in story["changes"] if c["kind"] == "split"))
    arrived = [a for a, _ in ORDER]
    later = set(arrived[arrived.index(split_at[0]) + 1:])
    assert moved == {m["id"] for m in story["members"]} - later  # the group split off, then its later reports
    assert moved == {"f0", "f1", "f2"}  # three and three: the group with the oldest report keeps the story
    store.engine.dispose()
    served = Served(tmp_path / "s.db", None)  # the story page says so, over real HTTP
    try:
        page = httpx.get(f"{served.base}/stories/{split.other_story_id}").text
    finally:
        served.stop()
    assert f"story {split.other_story_id}</a> split off" in page and f"story {split.story_id}</a>" in page


def test_one_event_told_six_ways_stays_one_story(tmp_path, crane_records):
    store = Store(str(tmp_path / "one.db"))
    ids = ["t0", "t1", "t2", "t3", "t4", "t5"]
    for aid in ids:
        assert store.ingest(crane_records[aid]).placement.split_off is None
    assert len({Queries(store).story_of(a) for a in ids}) == 1


def test_the_two_events_end_apart_in_any_feeding_order(crane_records):
    vectors = {a: features.record_vector(crane_records[a]) for a, _ in ORDER}
    outcomes = set()
    for seed in range(1, 9):  # some orders mix the events and split them, some never mix them
        ids = [a for a, _ in ORDER]
        random.Random(seed).shuffle(ids)
        memory = placer.replay([(a, vectors[a], None, None) for a in ids])
        groups: dict[int, set[str]] = {}
        for a, s in memory.assignment().items():
            groups.setdefault(s, set()).add(a)
        outcomes.add(frozenset(frozenset(m) for m in groups.values()))
    assert outcomes == {frozenset({frozenset({"t0", "t1", "t2", "t3"}), frozenset({"f0", "f1", "f2", "f3"})})}


def _unit(**weights: float) -> dict[str, float]:
    return features.normalize(dict(weights))


def test_find_split_separates_two_groups_that_share_only_their_kind():
    # every member shares the kind ("w:crane"); each group shares its own place and person
    a = [_unit(**{"w:crane": 1, "e:tilbury": 2, "e:okonkwo": 2, f"w:a{i}": 1}) for i in range(3)]
    b = [_unit(**{"w:crane": 1, "e:felixstowe": 2, "e:lindqvist": 2, f"w:b{i}": 1}) for i in range(3)]
    found = splitting.find_split([(f"a{i}", v) for i, v in enumerate(a)] + [(f"b{i}", v) for i, v in enumerate(b)])
    assert found is not None
    assert sorted(map(sorted, found.groups)) == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    # within a group: (1 + 4 + 4) / 10 = 0.9; across: 1 / 10 = 0.1
    assert found.within == pytest.approx(0.9)
    assert found.across == pytest.approx(0.1)


def test_find_split_keeps_a_story_whose_members_vary_without_two_groups():
    # each member shares the event's names and differs in its own details: no two groups
    members = [(f"m{i}", _unit(**{"e:tilbury": 2, "e:okonkwo": 2, f"w:d{i}": 1.5, f"w:d{(i + 1) % 6}": 1.5}))
               for i in range(6)]
    assert splitting.find_split(members) is None


def test_too_small_a_group_is_no_story_of_its_own():
    a = [(f"a{i}", _unit(**{"e:tilbury": 1, f"w:a{i}": 0.2})) for i in range(5)]
    b = [(f"b{i}", _unit(**{"e:felixstowe": 1, f"w:b{i}": 0.2})) for i in range(splitting.MIN_PART - 1)]
    assert splitting.find_split(a + b) is None


def test_older_members_follow_the_nearer_group(monkeypatch):
    monkeypatch.setattr(splitting, "WINDOW", 6)
    old = [("old_t", _unit(**{"e:tilbury": 1, "w:old": 0.5})), ("old_f", _unit(**{"e:felixstowe": 1, "w:old": 0.5}))]
    recent = [(f"t{i}", _unit(**{"e:tilbury": 1, f"w:t{i}": 0.3})) for i in range(3)]
    recent += [(f"f{i}", _unit(**{"e:felixstowe": 1, f"w:f{i}": 0.3})) for i in range(3)]
    stay, leave, _split = splitting.divide(old + recent)
    assert stay == ["old_t", "t0", "t1", "t2"]  # the group with the older member keeps the story on a tie
    assert leave == ["old_f", "f0", "f1", "f2"]


def test_would_split_reads_cohesion_from_profiles():
    def profile(sid, vectors):
        p = clustering.StoryProfile(sid)
        for v in vectors:
            p.add(v, None)
        return p

    a = [_unit(**{"w:crane": 1, "e:tilbury": 2, f"w:a{i}": 1}) for i in range(3)]
    b = [_unit(**{"w:crane": 1, "e:felixstowe": 2, f"w:b{i}": 1}) for i in range(3)]
    # within: (1 + 4) / 6 = 0.83; across: 1 / 6 = 0.17, below 0.6 * 0.83
    assert clustering.would_split(profile(1, a), profile(2, b))
    assert not clustering.would_split(profile(1, a), profile(2, a))
    assert not clustering.would_split(profile(1, a[:2]), profile(2, b))  # two members: too small to keep apart
    gram = np.array([[sum(x * y.get(k, 0.0) for k, x in u.items()) for y in a + b] for u in a + b])
    assert gram[:3, 3:].mean() == pytest.approx(1 / 6)
