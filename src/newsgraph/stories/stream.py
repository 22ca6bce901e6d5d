"""Evidence weighted by what it tells in this stream.

A name in every story that week tells little; a figure, a place or a rare phrase that two reports
share tells a lot. The background rarity of a word in English (stories.features) cannot know that
"Biden" is in a third of a political desk's articles, so before an article is placed each of its
features is taken down by how many recent articles carry it: a document frequency kept by the story
index over the articles published in the last ``window_days`` (updated on ingest, so it is the same
whether articles arrive in one batch or many). A feature that at most ``free_articles`` recent articles
carry (one story's own reports) keeps its whole weight; beyond, its weight falls with its inverse
document frequency, relative to that of a feature just at the free count, to ``damping_power``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from newsgraph.stories.config import StoryConfig
from newsgraph.stories.features import DAY_PREFIX, FIGURE_PREFIX, NAME_PREFIX, Vector, normalize
from newsgraph.timeparse import iso_day, parse_iso_date

UNDATED = ""  # the bucket of articles without a publication day


def bucket(day: str | None) -> str:
    return iso_day(day) or UNDATED


def window(day: str | None, config: StoryConfig) -> tuple[str, str]:
    """The first and last bucket (inclusive) whose articles count for an article of this day."""
    end = parse_iso_date(day)
    if end is None:
        return UNDATED, UNDATED
    return (end - dt.timedelta(days=config.window_days)).isoformat(), end.isoformat()


def share(frequency: int, articles: int, config: StoryConfig) -> float:
    """The share of its weight a feature keeps when ``frequency`` of ``articles`` recent ones carry it."""
    if frequency <= config.free_articles:
        return 1.0
    total = articles + config.prior_articles + 1
    idf = math.log(total / (frequency + 1)) / math.log(total / (config.free_articles + 1))
    return max(config.floor, min(1.0, idf)) ** config.damping_power


def weighted(vector: Vector, articles: int, frequencies: dict[str, int], config: StoryConfig) -> Vector:
    """The article's vector with each feature taken down by how common it is in the window."""
    return normalize({k: v * share(frequencies.get(k, 0), articles, config) for k, v in vector.items()})


@dataclass(frozen=True)
class Evidence:
    """What the stream says about an article's features beyond their weights: the days it names that
    many recent articles name too (a reference date such as 'January 6', no event's day), and the
    figures it gives that few recent articles give ('four women found dead', '38 missing': a report
    weeks later that gives the same is about the same event, as one that names the event's day), and
    the names it carries that few recent articles carry (a victim's, a suspect's, a street's)."""

    common_days: frozenset[str] = frozenset()
    rare_figures: frozenset[str] = frozenset()
    rare_names: frozenset[str] = frozenset()


NO_EVIDENCE = Evidence()


def evidence(vector: Vector, frequencies: dict[str, int], config: StoryConfig) -> Evidence:
    common = frozenset(k for k in vector if k.startswith(DAY_PREFIX) and frequencies.get(k, 0) > config.free_articles)
    def rare(prefix: str) -> frozenset[str]:
        return frozenset(k for k in vector if k.startswith(prefix) and frequencies.get(k, 0) <= config.free_articles)

    return Evidence(common, rare(FIGURE_PREFIX), distinct_names(rare(NAME_PREFIX)))


def distinct_names(keys: frozenset[str]) -> frozenset[str]:
    """Name keys without the surname keys of full names beside them ('e:reid' beside 'e:tara reid')."""
    return frozenset(k for k in keys if not any(o != k and o.endswith(" " + k[len(NAME_PREFIX):]) for o in keys))
