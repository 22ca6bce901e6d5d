"""Intervals answers as a scan over every range would, on random ranges (half-open, some empty,
some overlapping)."""

import random

from newsgraph.pipeline.intervals import Intervals


def _random_ranges(rng: random.Random, n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        start = rng.randrange(0, 200)
        out.append((start, start + rng.randrange(0, 15)))
    return out


def test_membership_overlap_and_coverage_match_a_scan():
    rng = random.Random(7)
    for _ in range(200):
        ranges = _random_ranges(rng, rng.randrange(0, 12))
        held = Intervals(ranges)
        positions = {p for s, e in ranges for p in range(s, e)}
        for p in range(-2, 220):
            assert (p in held) == any(s <= p < e for s, e in ranges)
        for a, b in _random_ranges(rng, 30):
            assert held.overlaps(a, b) == any(a < e and s < b for s, e in ranges if s < e and a < b)
            assert held.covered(a, b) == len(positions & set(range(a, b)))


def test_add_if_free_keeps_only_ranges_that_overlap_none_before():
    rng = random.Random(11)
    for _ in range(200):
        held, kept = Intervals(()), []
        for a, b in _random_ranges(rng, 25):
            free = a < b and not any(a < e and s < b for s, e in kept)
            assert held.add_if_free(a, b) == free
            if free:
                kept.append((a, b))
        assert list(zip(held.starts, held.ends, strict=True)) == sorted(kept)


def test_extra_items_such_as_a_label_are_ignored():
    held = Intervals([(3, 5, "PERSON"), (5, 8, "ORG")])
    assert 4 in held and 7 in held and 8 not in held and held.overlaps(7, 9)


def test_adding_ranges_one_by_one_gives_the_same_union_as_building_from_all():
    rng = random.Random(7)
    for _ in range(500):
        ranges = [(a, a + rng.randint(0, 10)) for a in (rng.randint(0, 40) for _ in range(rng.randint(0, 8)))]
        grown = Intervals([])
        for a, b in ranges:
            grown.add(a, b)
        built = Intervals(ranges)
        assert (grown.starts, grown.ends) == (built.starts, built.ends), ranges
