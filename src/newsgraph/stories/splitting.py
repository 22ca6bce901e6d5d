"""When one story is really two: its members fall into two groups, each alike within itself
and clearly less alike across.

Incremental placement makes its mistakes early: the first report of a second look-alike event
(another rehab, another DUI arrest of the same team's player, another emergency patch for the
same browser) resembles the story of the first at least as much as a second report of the first
does, so it joins; later reports of either event then find the mixed story. Comparing the whole
story with itself catches what one article against a profile cannot. After a story gains members,
its newest members are split in two by spherical 2-means; the split stands when both groups have
at least MIN_PART articles and the mean similarity across the groups is below SPLIT_RATIO of the
mean similarity within the less cohesive group (a silhouette-style test: two events of one kind
share the kind's words and places, but each event's reports share more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsgraph.stories.features import Vector

MIN_PART = 3  # fewer reports than this are no story of their own to split off
SPLIT_RATIO = 0.6  # across-group similarity below this share of within-group similarity splits
WINDOW = 60  # the newest members compared with each other (the rest follow the nearer group)
ROUNDS = 8


@dataclass(frozen=True)
class Split:
    """Two groups of a story's newest members; older members follow the nearer group's centre."""

    groups: tuple[list[str], list[str]]  # article ids
    centres: np.ndarray = field(repr=False)  # (2, features) over ``features``
    features: dict[str, int] = field(repr=False)
    within: float  # mean similarity inside the less cohesive group
    across: float  # mean similarity across the groups

    def side(self, vector: Vector) -> int:
        """0 or 1: the group an older member goes with."""
        row = np.zeros(len(self.features))
        for key, value in vector.items():
            if key in self.features:
                row[self.features[key]] = value
        return int(np.argmax(self.centres @ row))


def distinct(within: float, across: float) -> bool:
    """The test itself: groups are distinct when across-group similarity is below SPLIT_RATIO of
    the within-group similarity (of the less cohesive group)."""
    return across < SPLIT_RATIO * within


def due(size: int) -> bool:
    """Whether a story of this size is checked after gaining a member: every time while small,
    then each time it has grown by about an eighth, so the checks cost O(1) per article."""
    if size < 2 * MIN_PART:
        return False
    return size <= 16 or size % (size // 8) == 0


def _matrix(vectors: Sequence[Vector]) -> tuple[np.ndarray, dict[str, int]]:
    features: dict[str, int] = {}
    for vector in vectors:
        for key in vector:
            features.setdefault(key, len(features))
    m = np.zeros((len(vectors), len(features)))
    for row, vector in enumerate(vectors):
        for key, value in vector.items():
            m[row, features[key]] = value
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0), features


def _two_means(m: np.ndarray) -> np.ndarray | None:
    """Group labels (0/1) from spherical 2-means seeded by the two members farthest apart: the one
    least like the whole, and the one least like it."""
    centre = m.sum(axis=0)
    first = int(np.argmin(m @ centre))
    second = int(np.argmin(m @ m[first]))
    if first == second:
        return None
    seeds = m[[first, second]]
    labels: np.ndarray | None = None
    for _round in range(ROUNDS):
        new = np.argmax(m @ seeds.T, axis=1)
        if new.min() == new.max():
            return None
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        seeds = np.stack([m[labels == k].sum(axis=0) for k in (0, 1)])
        seeds /= np.maximum(np.linalg.norm(seeds, axis=1, keepdims=True), 1e-12)
    return labels


def _mean_within(gram: np.ndarray, idx: np.ndarray) -> float:
    n = len(idx)
    block = gram[np.ix_(idx, idx)]
    return float((block.sum() - np.trace(block)) / (n * (n - 1)))


def find_split(members: Sequence[tuple[str, Vector]]) -> Split | None:
    """Two groups among a story's newest members (at most WINDOW of them), or None when they hold
    together."""
    if len(members) < 2 * MIN_PART:
        return None
    m, features = _matrix([vector for _, vector in members])
    labels = _two_means(m)
    if labels is None:
        return None
    a, b = np.flatnonzero(labels == 0), np.flatnonzero(labels == 1)
    if min(len(a), len(b)) < MIN_PART:
        return None
    gram = m @ m.T
    within = min(_mean_within(gram, a), _mean_within(gram, b))
    across = float(gram[np.ix_(a, b)].mean())
    if not distinct(within, across):
        return None
    centres = np.stack([m[a].sum(axis=0), m[b].sum(axis=0)])
    groups = ([members[i][0] for i in a], [members[i][0] for i in b])
    return Split(groups, centres, features, round(within, 4), round(across, 4))


def divide(members: Sequence[tuple[str, Vector]], found: Split | None = None) -> tuple[list[str], list[str], Split] | None:
    """A story's members (oldest first) as (stay, leave, split): the newest WINDOW decide (``found``,
    when the caller has already split them), older ones follow the nearer group, and the group
    holding more members keeps the story."""
    found = found or find_split(members[-WINDOW:])
    if found is None:
        return None
    groups: tuple[list[str], list[str]] = ([], [])
    for article_id, vector in members[:-WINDOW]:
        groups[found.side(vector)].append(article_id)
    for k in (0, 1):
        groups[k].extend(found.groups[k])
    order = {article_id: i for i, (article_id, _) in enumerate(members)}
    stay, leave = sorted(groups, key=lambda g: (-len(g), min(order[a] for a in g)))
    return sorted(stay, key=order.get), sorted(leave, key=order.get), found
