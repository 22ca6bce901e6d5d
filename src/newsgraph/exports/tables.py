"""The record as tables: one row per article, entity, mention, quote, count, event, place, date, theme
and sentence tone, each row carrying its ``article_id`` (and its offsets where the fact has them).

Column names are the record's field names; a nested field is flattened with an underscore
(``tone.positive`` -> ``tone_positive``). Column types and descriptions come from the record's own
model (record.py), so the CSV data dictionary, the Parquet schema and the record never disagree.
Types: string, int, float, bool, strings (a list of strings), timestamp, date, json.
"""

from __future__ import annotations

import calendar
import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from newsgraph.record import (
    Article,
    Count,
    DateMention,
    DateRange,
    Entity,
    Event,
    Mention,
    Place,
    Quote,
    Record,
    SentenceTone,
    Theme,
    Tone,
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str = ""


ARTICLE_ID = Column("article_id", "string", "the article the row belongs to (articles.id)")


def column_type(annotation: Any) -> str:
    """The export type of a record field's annotation."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return column_type(args[0]) if len(args) == 1 else "json"
    if origin is Literal:
        return "string"
    if origin is list:
        return "strings" if args == [str] else "json"
    return {str: "string", int: "int", float: "float", bool: "bool"}.get(annotation, "json")


def model_columns(model: type[BaseModel], skip: tuple[str, ...] = (), prefix: str = "") -> list[Column]:
    hints = typing.get_type_hints(model)
    return [Column(prefix + name, column_type(hints[name]), field.description or "")
            for name, field in model.model_fields.items() if name not in skip]


TIMESTAMPS = {"published", "retrieved"}

TABLES: dict[str, list[Column]] = {
    "articles": [
        *(Column(c.name, "timestamp" if c.name in TIMESTAMPS else c.type, c.description)
          for c in model_columns(Article)),
        Column("story_id", "int", "the story the store placed the article in (stories.id)"),
        Column("duplicate_of", "string", "the article this one copies, exact or near-duplicate (articles.id)"),
        Column("schema_version", "string", "the record schema's version"),
        Column("pipeline_version", "string", "the pipeline (code and word lists) that made the record"),
        *model_columns(Tone, skip=("sentences", "themes"), prefix="tone_"),
    ],
    "entities": [ARTICLE_ID, *model_columns(Entity, skip=("mentions",))],
    "mentions": [ARTICLE_ID, Column("entity_id", "string", "the entity mentioned (entities.id, per article)"),
                 *model_columns(Mention)],
    "quotes": [ARTICLE_ID, *model_columns(Quote)],
    "counts": [ARTICLE_ID, *model_columns(Count)],
    "events": [ARTICLE_ID, *model_columns(Event)],
    "places": [ARTICLE_ID, *model_columns(Place)],
    "dates": [ARTICLE_ID, *model_columns(DateMention, skip=("value",)),
              Column("value", "string", "ISO date (or YYYY-MM, YYYY), a range as start/end, or empty"),
              Column("value_start", "date", "the first day the value covers"),
              Column("value_end", "date", "the last day the value covers")],
    "themes": [ARTICLE_ID, *model_columns(Theme)],
    "sentence_tones": [ARTICLE_ID, *model_columns(SentenceTone)],
}
RECORD_TABLES = tuple(TABLES)

STORE_TABLES: dict[str, list[Column]] = {  # rows the store adds across articles
    "stories": [Column("id", "int", "the story's id"), Column("title", "string", "its first article's title"),
                Column("first_seen", "string", "publication time of its first article"),
                Column("last_seen", "string", "publication time of its latest article"),
                Column("size", "int", "how many articles it holds")],
    "claims": [Column("id", "int", "the claim's id"), Column("story_id", "int", "its story (stories.id)"),
               Column("kind", "string", "count | quote"), Column("key", "string", "what the claim is about"),
               Column("status", "string", "counts: agree | update | conflict; quotes: agree | speaker_conflict"),
               Column("label", "string", "the claim in words"),
               Column("cells", "json", "each outlet's figure or words, with article_id, start and end"),
               Column("detail", "json", "the rest the claims table shows (word diff, first publisher, via)")],
}
ALL_TABLES = {**TABLES, **STORE_TABLES}


def record_rows(record: Record, story_id: int | None = None, duplicate_of: str | None = None) -> dict[str, list]:
    """Every table's rows for one record, as plain Python values in the columns' order."""
    a, aid = record.article, record.article.id
    tone = record.tone or Tone()
    out: dict[str, list] = {name: [] for name in TABLES}
    out["articles"].append({**a.model_dump(), "story_id": story_id, "duplicate_of": duplicate_of,
                            "schema_version": record.schema_version, "pipeline_version": record.pipeline_version,
                            **{f"tone_{k}": v for k, v in tone.model_dump(exclude={"sentences", "themes"}).items()}})
    for e in record.entities:
        out["entities"].append({"article_id": aid, **e.model_dump(exclude={"mentions"})})
        out["mentions"] += [{"article_id": aid, "entity_id": e.id, **m.model_dump()} for m in e.mentions]
    for name, items in (("quotes", record.quotes), ("counts", record.counts), ("events", record.events),
                        ("places", record.places), ("themes", tone.themes), ("sentence_tones", tone.sentences)):
        out[name] += [{"article_id": aid, **item.model_dump()} for item in items]
    for d in record.dates:
        first, last = date_bounds(d.value)
        out["dates"].append({"article_id": aid, "start": d.start, "end": d.end, "text": d.text,
                             "value": date_value_text(d.value), "value_start": first, "value_end": last})
    return out


def date_value_text(value: str | DateRange | None) -> str | None:
    if isinstance(value, DateRange):
        return f"{value.start}/{value.end}"
    return value


def date_bounds(value: str | DateRange | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day an ISO date, month, year or range covers ('2025-09' -> Sep 1, Sep 30)."""
    if isinstance(value, DateRange):
        return _day_bounds(value.start)[0], _day_bounds(value.end)[1]
    return _day_bounds(value) if value else (None, None)


def _day_bounds(text: str) -> tuple[dt.date | None, dt.date | None]:
    parts = text[:10].split("-")
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 3:
            day = dt.date(*nums)
            return day, day
        if len(nums) == 2:
            return dt.date(nums[0], nums[1], 1), dt.date(nums[0], nums[1], calendar.monthrange(*nums)[1])
        if len(nums) == 1:
            return dt.date(nums[0], 1, 1), dt.date(nums[0], 12, 31)
    except ValueError:
        pass
    return None, None


def timestamp(text: str | None) -> dt.datetime | None:
    """An ISO 8601 date or datetime as a UTC timestamp (a date alone is its midnight, UTC); None when
    the text is no ISO time."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def published_month(text: str | None) -> str:
    """'2025-09' from a publication date, 'unknown' without one (the Parquet partition key)."""
    stamp = timestamp(text)
    return stamp.strftime("%Y-%m") if stamp else "unknown"
