"""Which story an article belongs to: one scoring, written once, used by the store's
incremental assignment and by the batch rebuild.

A story is a profile: the sum of its members' vectors (kept to its heaviest features),
its size and the dates it was seen. An article joins the candidate story it is most
similar to when the similarity clears JOIN; two candidate stories that the article
links and that are alike themselves (MERGE) become one, recorded as a merge. Time
matters only when both sides have dates: inside WINDOW_DAYS of the story nothing is
taken off; beyond, similarity decays with the gap, so a strong match of names can still
join a follow-up weeks later while look-alike events a year apart stay apart. The gap of a
dated article is from the nearest of its publication day and the days its text names.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from newsgraph.stories import splitting
from newsgraph.stories.features import Vector, cosine, normalize, top

JOIN = 0.22  # an article joins a story at this similarity or above
MERGE = 0.5  # two stories that one article joins, alike at least this much, become one
WINDOW_DAYS = 7
CLOSE_DAYS = 2  # reports this close in time to a story are likelier to be about it ...
CLOSE_BONUS = 1.0  # ... by this factor
DECAY_DAYS = 180  # beyond the window, similarity falls by 1/e every this many days (trials, anniversaries)
PROFILE_SIZE = 300  # features a story's profile keeps
INDEX_TERMS = 25  # features of a story (and of a new article) used to find candidates


def day(value: str | None) -> dt.date | None:
    """The calendar day of an ISO date or datetime, or None."""
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass
class StoryProfile:
    id: int | str
    centroid: Vector = field(default_factory=dict)  # sum of member vectors (pruned)
    size: int = 0
    first_seen: str | None = None  # ISO day of the earliest dated member
    last_seen: str | None = None

    def add(self, vector: Vector, published: str | None) -> None:
        merged = dict(self.centroid)
        for k, v in vector.items():
            merged[k] = merged.get(k, 0.0) + v
        self.centroid = top(merged, PROFILE_SIZE)
        self.size += 1
        self._see(day(published))

    def absorb(self, other: StoryProfile) -> None:
        merged = dict(self.centroid)
        for k, v in other.centroid.items():
            merged[k] = merged.get(k, 0.0) + v
        self.centroid = top(merged, PROFILE_SIZE)
        self.size += other.size
        self._see(day(other.first_seen))
        self._see(day(other.last_seen))

    def _see(self, d: dt.date | None) -> None:
        if d is None:
            return
        iso = d.isoformat()
        if self.first_seen is None or iso < self.first_seen:
            self.first_seen = iso
        if self.last_seen is None or iso > self.last_seen:
            self.last_seen = iso

    def direction(self) -> Vector:
        return normalize(self.centroid)

    def index_terms(self) -> list[str]:
        return list(top(self.centroid, INDEX_TERMS))


def time_factor(published: str | None, first_seen: str | None, last_seen: str | None) -> float:
    """1 inside the story's window; decaying with the days beyond it; 1 when either side is undated."""
    d, first, last = day(published), day(first_seen), day(last_seen)
    if d is None or first is None or last is None:
        return 1.0
    gap = (first - d).days if d < first else (d - last).days if d > last else 0
    if gap <= CLOSE_DAYS:
        return CLOSE_BONUS
    if gap <= WINDOW_DAYS:
        return 1.0
    return math.exp(-(gap - WINDOW_DAYS) / DECAY_DAYS)


def similarity(vector: Vector, published: str | None, story: StoryProfile) -> float:
    """Cosine of the article and the story, taken down by the time between them. A dated article is
    as close in time as the nearest of its publication day and the days its text names: a report of
    a hearing months later that names the day of the shooting is about that shooting."""
    return cosine(vector, story.direction()) * article_time_factor(vector, published, story)


def article_time_factor(vector: Vector, published: str | None, story: StoryProfile) -> float:
    if published is None:  # an undated article is placed on its content alone
        return 1.0
    days = [published] + [key[2:] for key in vector if key.startswith("d:")]
    # a day the story's reports name too is the event's day: a sentencing a year on that names the
    # day of the shooting is as close to its story as the first reports were
    if any(key in story.centroid for key in vector if key.startswith("d:")):
        return 1.0
    return max(time_factor(d, story.first_seen, story.last_seen) for d in days)


def would_split(a: StoryProfile, b: StoryProfile) -> bool:
    """Whether two stories, merged, would split again at once (the test of stories.splitting),
    judged from their profiles: a profile is the sum of unit member vectors, so the mean similarity
    across is a.b / (n_a n_b) and within (|a|^2 - n_a) / (n_a (n_a - 1)). Stories too small to be
    split off are never kept apart this way."""
    if min(a.size, b.size) < splitting.MIN_PART:
        return False

    def within(p: StoryProfile) -> float:
        return (sum(v * v for v in p.centroid.values()) - p.size) / (p.size * (p.size - 1))

    small, large = sorted((a.centroid, b.centroid), key=len)
    across = sum(v * large.get(k, 0.0) for k, v in small.items()) / (a.size * b.size)
    return splitting.distinct(min(within(a), within(b)), across)


def stories_alike(a: StoryProfile, b: StoryProfile) -> float:
    span_a = time_factor(a.first_seen, b.first_seen, b.last_seen)
    span_b = time_factor(a.last_seen, b.first_seen, b.last_seen)
    return cosine(a.direction(), b.direction()) * max(span_a, span_b)


@dataclass(frozen=True)
class Decision:
    story: int | str | None  # the story to join, or None for a new one
    similarity: float
    merge: tuple[int | str, ...] = ()  # stories to fold into ``story``


def decide(vector: Vector, published: str | None, candidates: list[StoryProfile]) -> Decision:
    """Join the most similar candidate, or start a story; fold in others the article bridges."""
    scored = sorted(((similarity(vector, published, s), s) for s in candidates),
                    key=lambda pair: (-pair[0], -pair[1].size, str(pair[1].id)))
    if not scored or scored[0][0] < JOIN:
        return Decision(None, scored[0][0] if scored else 0.0)
    best_score, best = scored[0]
    merge = tuple(s.id for score, s in scored[1:]
                  if score >= JOIN and stories_alike(best, s) >= MERGE and not would_split(best, s))
    return Decision(best.id, best_score, merge)


class MemoryStories:
    """Incremental assignment over profiles held in memory, with the same candidate rule as the
    store: stories that share one of the article's heaviest features."""

    def __init__(self) -> None:
        self.profiles: dict[int, StoryProfile] = {}
        self.members: dict[int, list[str]] = {}
        self.story_of: dict[str, int] = {}
        self.vectors: dict[str, tuple[Vector, str | None]] = {}
        self.splits: list[tuple[int, int, splitting.Split]] = []  # (story, new story, the split)
        self._postings: dict[str, set[int]] = {}
        self._next = 1

    def candidates(self, vector: Vector) -> list[StoryProfile]:
        ids: set[int] = set()
        for term in top(vector, INDEX_TERMS):
            ids |= self._postings.get(term, set())
        return [self.profiles[i] for i in sorted(ids)]

    def place(self, article_id: str, vector: Vector, published: str | None) -> Decision:
        decision = decide(vector, published, self.candidates(vector))
        story_id = decision.story
        if story_id is None:
            story_id = self._next
            self._next += 1
            self.profiles[story_id] = StoryProfile(story_id)
            self.members[story_id] = []
        for other in decision.merge:
            self._unindex(story_id)
            self._unindex(other)
            self.profiles[story_id].absorb(self.profiles.pop(other))
            for a in self.members.pop(other):
                self.story_of[a] = story_id
                self.members[story_id].append(a)
        self.join(article_id, story_id, vector, published)
        if splitting.due(len(self.members[story_id])):
            self.split(story_id)
        return Decision(self.story_of[article_id], decision.similarity, decision.merge)

    def join(self, article_id: str, story_id: int, vector: Vector, published: str | None) -> None:
        """Add an article to a given story (a duplicate goes where its original is)."""
        profile = self.profiles[story_id]
        self._unindex(story_id)
        profile.add(vector, published)
        self.members[story_id].append(article_id)
        self.story_of[article_id] = story_id
        self.vectors[article_id] = (vector, published)
        self._index(story_id)

    def split(self, story_id: int) -> int | None:
        """Split the story in two when its members form two groups (see splitting); the new id."""
        found = splitting.divide([(a, self.vectors[a][0]) for a in self.members[story_id]])
        if found is None:
            return None
        stay, leave, split = found
        new_id = self._next
        self._next += 1
        self._unindex(story_id)
        for sid, group in ((story_id, stay), (new_id, leave)):
            self.profiles[sid] = StoryProfile(sid)
            self.members[sid] = []
            for article_id in group:
                self.join(article_id, sid, *self.vectors[article_id])
        self.splits.append((story_id, new_id, split))
        return new_id

    def _index(self, story_id: int) -> None:
        for term in self.profiles[story_id].index_terms():
            self._postings.setdefault(term, set()).add(story_id)

    def settle(self, vectors: dict[str, tuple[Vector, str | None]], margin: float = 0.02) -> int:
        """One batch pass: move each article to the candidate story it fits clearly better than
        its own (its own profile judged without it). Returns how many moved."""
        moved = 0
        for article_id, (vector, published) in vectors.items():
            own_id = self.story_of[article_id]
            own = self.profiles[own_id]
            if own.size <= 1:
                continue
            without = StoryProfile(own_id, {k: v - vector.get(k, 0.0) for k, v in own.centroid.items()},
                                   own.size - 1, own.first_seen, own.last_seen)
            stay = similarity(vector, published, without)
            best = max(((similarity(vector, published, s), s.id) for s in self.candidates(vector)
                        if s.id != own_id), default=(0.0, None))
            if best[1] is not None and best[0] >= JOIN and best[0] > stay + margin:
                self.members[own_id].remove(article_id)
                self.profiles[own_id] = without
                self.join(article_id, best[1], vector, published)
                moved += 1
        return moved

    def _unindex(self, story_id: int) -> None:
        for term in self.profiles[story_id].index_terms():
            self._postings.get(term, set()).discard(story_id)
