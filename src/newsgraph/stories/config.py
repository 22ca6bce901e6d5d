"""Every threshold of story placement in one frozen config, recorded with each rebuild.

The placer (stories.placer) and the scoring (stories.clustering) read these and nothing else, so
the store and the in-memory index decide alike, and a rebuild's log says which settings made it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class StoryConfig:
    join: float = 0.20  # an article joins a story at this similarity or above
    merge: float = 0.5  # two stories that one article joins, alike at least this much, become one
    # News time: reports of one event come out within a few days. Inside close_days of a story
    # nothing is taken off; beyond, similarity falls by 1/e every decay_days, so a report a week
    # or more later joins only on strong evidence (the event's day named, the same figures).
    close_days: int = 3
    decay_days: float = 3.0
    # A report that shares this many names few recent articles carry with a story (a victim, a
    # suspect, a street: one shared rare name is as often the next development of a topic) is a
    # follow-up, whose time decays by 1/e every follow_up_decay_days (a charge, a hearing).
    follow_up_names: int = 3
    follow_up_decay_days: float = 60.0
    profile_size: int = 300  # features a story's profile keeps
    index_terms: int = 25  # features of a story (and of a new article) used to find candidates
    per_term: int = 40  # newest stories read per index term
    max_candidates: int = 30  # stories scored per article
    # Evidence weighted by what it tells in this stream (stories.stream): document frequencies over
    # the articles published in the last window_days (undated articles form one bucket of their own).
    window_days: int = 30
    prior_articles: int = 20  # pseudo-articles added to the window, so a young stream damps little (10-50 score alike)
    free_articles: int = 4  # a feature in at most this many recent articles (one story's reports) keeps its weight
    damping_power: float = 2.0  # how hard a common feature is taken down (its IDF share, to this power)
    floor: float = 0.05  # the least share of its weight a feature keeps

    def reach_days(self) -> float:
        """How far back a dated article can still join a story at all (similarity at most 1)."""
        return self.close_days + self.decay_days * math.log(1 / self.join)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT = StoryConfig()
