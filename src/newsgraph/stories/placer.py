"""One placement procedure, over a small story index: the store's (SQL, store.stories) and the one
in memory here (rebuilds, eval, tests), so both give the same stories on the same stream.

Placing one article:
1. its features are weighted by what they tell in this stream (stories.stream: document
   frequencies the index keeps over a window of publication days), then counted in; a day it
   names that many recent articles name too is a reference date, not evidence of the event's day;
2. a re-ingested article keeps its story, a near-duplicate goes where its original is;
3. else candidates are the stories sharing the article's heaviest features (newest first, a
   bounded number per feature, within the reach of news time unless a named day is shared), and
   stories.clustering decides: join the most similar, start a story, fold in stories it bridges;
4. a story that has grown is checked for two look-alike events (stories.splitting).

Claims are not part of placing: the store marks a changed story's claims stale and lines them up
again after the batch (or when they are read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsgraph.stories import splitting, stream
from newsgraph.stories.clustering import StoryProfile, decide
from newsgraph.stories.config import DEFAULT, StoryConfig
from newsgraph.stories.features import DAY_PREFIX, FIGURE_PREFIX, Vector, top
from newsgraph.timeparse import parse_iso_date


@dataclass(frozen=True)
class Placement:
    story_id: int
    similarity: float
    new_story: bool
    merged: tuple[int, ...] = ()
    duplicate_of: str | None = None
    duplicate_similarity: float | None = None
    split_off: int | None = None  # a story split off the one the article joined


class StoryIndex(Protocol):
    """What placement needs from where stories live. ``seen`` of a story is its last day ('' when
    undated); lists of stories by term are newest first, then by id, highest first."""

    config: StoryConfig

    def frequencies(self, terms: Sequence[str], day: str | None) -> tuple[int, dict[str, int]]:
        """Articles in the window of ``day``, and how many of them carry each term."""

    def count(self, terms: Sequence[str], day: str | None) -> None:
        """One more article of ``day`` carrying these terms."""

    def stories_with(self, terms: Sequence[str], since: str | None, unlimited: frozenset[str],
                     limit: int) -> dict[str, list[int]]:
        """For each term, the live stories indexed under it (at most ``limit``), seen on or after
        ``since`` (or undated) unless the term is in ``unlimited``."""

    def profiles(self, story_ids: Sequence[int]) -> list[StoryProfile]: ...

    def live(self, story_id: int | None) -> int | None:
        """The story holding the articles now (merges followed), or None."""

    def story_of(self, article_id: str) -> int | None: ...

    def new_story(self, title: str | None) -> int: ...

    def add(self, story_id: int, article_id: str, vector: Vector, day: str | None, title: str | None,
            note: dict[str, Any]) -> int:
        """Make the article a member and add its vector to the story's profile; the story's size."""

    def merge(self, into: int, other: int, article_id: str) -> None:
        """Move ``other``'s members into ``into``; ``other`` points on. (The placer refreshes ``into``.)"""

    def refresh(self, story_id: int) -> int:
        """Rebuild the story's profile and index from its members; its size."""

    def members(self, story_id: int, newest: int | None = None) -> list[tuple[str, Vector]]:
        """The story's members in joining order (only the newest ``newest`` when given)."""

    def split_off(self, story_id: int, leave: list[str], split: splitting.Split, article_id: str) -> int:
        """Move ``leave`` to a new story, logged as a split; both refreshed; the new story's id."""


def place(index: StoryIndex, article_id: str, vector: Vector, day: str | None, title: str | None = None, *,
          duplicate_of: str | None = None, duplicate_similarity: float | None = None,
          keep_story: int | None = None, weighted: bool = False, note: dict[str, Any] | None = None) -> Placement:
    """Place one article (``vector`` from stories.features; ``weighted`` when it already carries the
    stream's weights, as stored vectors do) and return where it went."""
    config = index.config
    articles, frequencies = index.frequencies(list(vector), day)
    evidence = stream.evidence(vector, frequencies, config)
    index.count(list(vector), day)
    if not weighted:
        vector = stream.weighted(vector, articles, frequencies, config)
    similarity, merged, new_story = 1.0, (), False
    story_id = index.live(keep_story) if keep_story is not None else None
    if story_id is None and duplicate_of is not None:
        story_id = index.live(index.story_of(duplicate_of))
        similarity = duplicate_similarity if duplicate_similarity is not None else 1.0
    if story_id is None:
        decision = decide(vector, day, candidates(index, vector, day, evidence), config, evidence)
        similarity, merged = decision.similarity, tuple(int(m) for m in decision.merge)
        if decision.story is None:
            story_id, new_story = index.new_story(title), True
        else:
            story_id = int(decision.story)
        for other in merged:
            index.merge(story_id, other, article_id)
        if merged:
            index.refresh(story_id)
    size = index.add(story_id, article_id, vector, day, title,
                     {"similarity": round(similarity, 4), **(note or {})})
    if keep_story is not None:  # the profile still held the article's earlier vector
        size = index.refresh(story_id)
    split_off = split(index, story_id, article_id) if splitting.due(size) else None
    if split_off is not None:
        story_id = index.story_of(article_id) or story_id
    return Placement(story_id, similarity, new_story, merged, duplicate_of, duplicate_similarity, split_off)


def candidates(index: StoryIndex, vector: Vector, day: str | None,
               evidence: stream.Evidence = stream.NO_EVIDENCE) -> list[StoryProfile]:
    """Stories sharing the article's heaviest features, weighed by those features: a bounded read
    whatever the index's size. A dated article looks back only as far as news time can reach,
    except through a day it names, a figure it gives or a name few recent articles carry (a
    sentencing a year on that names the day of the shooting, the victim and the suspect), which can
    bring a story of any age (stories.clustering)."""
    config = index.config
    since = None
    if (published := parse_iso_date(day)) is not None:
        since = (published - dt.timedelta(days=config.reach_days())).isoformat()
    heaviest = top(vector, config.index_terms)
    unlimited = frozenset(t for t in heaviest if t.startswith((DAY_PREFIX, FIGURE_PREFIX)) or t in evidence.rare_names)
    found = index.stories_with(list(heaviest), since, unlimited, config.per_term)
    weights: dict[int, float] = {}
    for term, weight in heaviest.items():
        for story_id in found.get(term, ()):
            weights[story_id] = weights.get(story_id, 0.0) + weight
    ids = sorted(weights, key=lambda sid: (-weights[sid], sid))[:config.max_candidates]
    return index.profiles(ids)


def split(index: StoryIndex, story_id: int, article_id: str) -> int | None:
    """When the story's newest members form two groups, the smaller becomes a story of its own."""
    found = splitting.find_split(index.members(story_id, splitting.WINDOW))
    if found is None:
        return None
    divided = splitting.divide(index.members(story_id), found)
    assert divided is not None  # the newest members were split already
    _stay, leave, how = divided
    return index.split_off(story_id, leave, how, article_id)


@dataclass
class MemoryIndex:
    """The story index in memory: what the store keeps in tables, in dicts."""

    config: StoryConfig = DEFAULT
    stories: dict[int, StoryProfile] = field(default_factory=dict)
    story: dict[str, int] = field(default_factory=dict)  # article -> story
    vectors: dict[str, tuple[Vector, str | None]] = field(default_factory=dict)
    changes: list[tuple[str, int, int, str]] = field(default_factory=list)  # (kind, story, other story, article)
    merged_into: dict[int, int] = field(default_factory=dict)
    _members: dict[int, list[str]] = field(default_factory=dict)
    _order: dict[str, int] = field(default_factory=dict)  # joining order of each article
    _postings: dict[str, dict[int, str]] = field(default_factory=dict)  # term -> {story: seen}
    _days: dict[str, dict[str, int]] = field(default_factory=dict)  # bucket -> term -> articles
    _day_sizes: dict[str, int] = field(default_factory=dict)
    _next: int = 1

    # -- the stream's frequencies
    def frequencies(self, terms: Sequence[str], day: str | None) -> tuple[int, dict[str, int]]:
        first, last = stream.window(day, self.config)
        buckets = [b for b in self._day_sizes if first <= b <= last]
        found = {term: sum(self._days[b].get(term, 0) for b in buckets) for term in terms}
        return sum(self._day_sizes[b] for b in buckets), {k: v for k, v in found.items() if v}

    def count(self, terms: Sequence[str], day: str | None) -> None:
        b = stream.bucket(day)
        self._day_sizes[b] = self._day_sizes.get(b, 0) + 1
        counts = self._days.setdefault(b, {})
        for term in terms:
            counts[term] = counts.get(term, 0) + 1

    # -- looking stories up
    def stories_with(self, terms: Sequence[str], since: str | None, unlimited: frozenset[str],
                     limit: int) -> dict[str, list[int]]:
        out = {}
        for term in terms:
            found = [(seen, sid) for sid, seen in self._postings.get(term, {}).items()
                     if since is None or term in unlimited or seen == "" or seen >= since]
            out[term] = [sid for _seen, sid in sorted(found, reverse=True)[:limit]]
        return out

    def profiles(self, story_ids: Sequence[int]) -> list[StoryProfile]:
        return [self.stories[sid] for sid in story_ids if sid in self.stories]

    def live(self, story_id: int | None) -> int | None:
        seen: set[int] = set()
        while story_id is not None and story_id in self.merged_into and story_id not in seen:
            seen.add(story_id)
            story_id = self.merged_into[story_id]
        return story_id if story_id in self.stories else None

    def story_of(self, article_id: str) -> int | None:
        return self.story.get(article_id)

    # -- changing stories
    def new_story(self, title: str | None) -> int:
        story_id = self._next
        self._next += 1
        self.stories[story_id] = StoryProfile(story_id)
        self._members[story_id] = []
        return story_id

    def add(self, story_id: int, article_id: str, vector: Vector, day: str | None, title: str | None,
            note: dict[str, Any]) -> int:
        self._order.setdefault(article_id, len(self._order))
        self.vectors[article_id] = (vector, day)
        self.story[article_id] = story_id
        self._members[story_id].append(article_id)
        profile = self.stories[story_id]
        self._unindex(story_id)
        profile.add(vector, day, self.config)
        self._index(story_id)
        return profile.size

    def merge(self, into: int, other: int, article_id: str) -> None:
        self._unindex(other)
        for member in self._members.pop(other):
            self.story[member] = into
            self._members[into].append(member)
        del self.stories[other]
        self.merged_into[other] = into
        self.changes.append(("merge", into, other, article_id))

    def refresh(self, story_id: int) -> int:
        self._unindex(story_id)
        profile = StoryProfile(story_id)
        for article_id in sorted(self._members[story_id], key=self._refresh_order):
            profile.add(*self.vectors[article_id], self.config)
        self.stories[story_id] = profile
        self._index(story_id)
        return profile.size

    def members(self, story_id: int, newest: int | None = None) -> list[tuple[str, Vector]]:
        ids = sorted(self._members[story_id], key=self._order.__getitem__)
        if newest is not None:
            ids = ids[-newest:]
        return [(a, self.vectors[a][0]) for a in ids]

    def split_off(self, story_id: int, leave: list[str], split: splitting.Split, article_id: str) -> int:
        new_id = self.new_story(None)
        gone = set(leave)
        self._members[story_id] = [a for a in self._members[story_id] if a not in gone]
        for member in leave:
            self.story[member] = new_id
            self._members[new_id].append(member)
        self.refresh(story_id)
        self.refresh(new_id)
        self.changes.append(("split", story_id, new_id, article_id))
        return new_id

    # -- views
    def assignment(self) -> dict[str, int]:
        return dict(self.story)

    def _refresh_order(self, article_id: str) -> tuple:
        # as the store refreshes: dated members by day, undated last, then in joining order
        day = self.vectors[article_id][1]
        return (day is None, day or "", self._order[article_id])

    def _index(self, story_id: int) -> None:
        profile = self.stories[story_id]
        for term in profile.index_terms(self.config):
            self._postings.setdefault(term, {})[story_id] = profile.last_seen or ""

    def _unindex(self, story_id: int) -> None:
        for term in self.stories[story_id].index_terms(self.config):
            self._postings.get(term, {}).pop(story_id, None)


def settle(index: MemoryIndex, margin: float = 0.02) -> int:
    """One batch pass: move each article to the candidate story it fits clearly better than its own
    (its own profile judged without it). Returns how many moved."""
    from newsgraph.stories.clustering import similarity

    moved = 0
    config = index.config
    for article_id, (vector, day) in list(index.vectors.items()):
        own_id = index.story[article_id]
        own = index.stories[own_id]
        if own.size <= 1:
            continue
        without = StoryProfile(own_id, {k: v - vector.get(k, 0.0) for k, v in own.centroid.items()},
                               own.size - 1, own.first_seen, own.last_seen)
        stay = similarity(vector, day, without, config)
        best = max(((similarity(vector, day, s, config), s.id) for s in candidates(index, vector, day)
                    if s.id != own_id), default=(0.0, None))
        if best[1] is not None and best[0] >= config.join and best[0] > stay + margin:
            index._members[own_id].remove(article_id)
            index.refresh(own_id)
            index._members[int(best[1])].append(article_id)
            index.story[article_id] = int(best[1])
            index.refresh(int(best[1]))
            moved += 1
    return moved


def replay(items: Sequence[tuple[str, Vector, str | None, str | None]], config: StoryConfig = DEFAULT,
           weighted: bool = False, passes: int = 1) -> MemoryIndex:
    """Place (article id, vector, day, duplicate_of) in this order in a fresh memory index; with
    ``passes`` > 1, settle after. Rebuilds replay stored (``weighted``) vectors; eval replays raw ones."""
    index = MemoryIndex(config)
    for article_id, vector, day, duplicate_of in items:
        place(index, article_id, vector, day, duplicate_of=duplicate_of, weighted=weighted)
    for _ in range(passes - 1):
        settle(index)
    return index


__all__ = ["MemoryIndex", "Placement", "StoryIndex", "candidates", "place", "replay", "settle"]
