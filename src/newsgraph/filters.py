"""Which articles: the one definition of the article filter every front end uses.

The CLI's options (``newsgraph search``, ``export``), the API's query parameters (``/api/articles``,
``/api/places``) and the pages' filters are generated from :class:`ArticleFilter`'s fields, help text
and date pattern included; the store's queries take it. This module imports nothing heavy, so a
command's ``--help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

ISO_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _criterion(help: str, date: bool = False):  # noqa: A002 (the word front ends show)
    return field(default=None, metadata={"help": help, "date": date})


@dataclass
class ArticleFilter:
    """Which articles. The one definition of the filter: the CLI's options (``newsgraph search``,
    ``export``), the API's query parameters (``/api/articles``, ``/api/places``) and the pages' are
    generated from these fields, their help text included (``filter_fields``)."""

    q: str | None = _criterion("Only articles with these words in the title or text (word forms match)")
    source: str | None = _criterion("Only articles from this outlet")
    since: str | None = _criterion("Only articles published on or after this day (ISO date)", date=True)
    until: str | None = _criterion("Only articles published on or before this day (ISO date)", date=True)
    person: str | None = _criterion("Only articles mentioning this person (any spelling of the name)")
    place: str | None = _criterion("Only articles mentioning this place")
    event_type: str | None = _criterion("Only articles with an event of this PLOVER type")

    def active(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def filter_fields() -> list[tuple[str, str, bool]]:
    """(name, help, is a date) of every ArticleFilter field, in order."""
    return [(f.name, f.metadata["help"], f.metadata["date"]) for f in fields(ArticleFilter)]
