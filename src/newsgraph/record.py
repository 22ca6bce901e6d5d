"""The record: what newsgraph says about one article.

Every fact carries character offsets (``start``/``end``) into ``article.text``,
so a reader can always click through to the words it came from. The field
names here are the names in the database, the API and every export.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = "1.3"  # 1.1: events.source_country, events.target_country; 1.2: quotes.speaker_start/end, counts.kind duration; 1.3: quotes.kind stance, counts.kind fraction

EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"]
EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    start: int = Field(ge=0, description="character offset into article.text")
    end: int = Field(ge=0, description="end offset (exclusive)")


_SURROGATE = re.compile("[\ud800-\udfff]")


class Article(_Model):
    id: str = ""
    url: str | None = None
    source: str | None = Field(None, description="the outlet")
    title: str | None = None
    subtitle: str | None = Field(None, description="standfirst / dek")
    section: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = Field(None, description="ISO 8601 date or datetime")
    retrieved: str | None = None
    language: str | None = None
    text: str

    @field_validator("id", "url", "source", "title", "subtitle", "section", "authors", "published", "retrieved",
                     "language", "text", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        """Text every store keeps alike: a lone surrogate ('\\ud800', half of a UTF-16 pair) is no
        character and cannot be encoded, so the article is refused with where it is; a NUL is dropped
        (PostgreSQL refuses it in text where SQLite keeps it, and one input must give one store)."""
        if isinstance(value, list):
            return [cls._storable(v) for v in value]
        if not isinstance(value, str):
            return value
        bad = _SURROGATE.search(value)
        if bad:
            raise ValueError(f"holds a lone surrogate ({bad.group().encode('unicode_escape').decode()}) at "
                             f"character {bad.start()}: not text; the producer's encoding is broken")
        return value.replace("\x00", "")

    def with_id(self) -> Article:
        """Return the article with ``id`` filled in when it was not given."""
        if self.id:
            return self
        return self.model_copy(update={"id": article_id(self)})


def article_id(article: Article) -> str:
    """A stable id: hash of source+url when there is a url, else of the normalized text."""
    if article.url:
        key = f"url:{article.source or ''}|{article.url.strip()}"
    else:
        key = "text:" + normalize_text(article.text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def normalize_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Mention(Span):
    text: str


class Entity(_Model):
    id: str = Field(description="id within this record, e.g. 'e3'")
    name: str = Field(description="canonical name: the fullest form in the article")
    type: EntityType
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


# A place resolved at least this surely has no namesake chosen among near equals and was not read
# through a qualifier ('North Texas'): the map's and the API's 'sure places only'.
SURE_PLACE_CONFIDENCE = 0.7


class Place(_Model):
    entity_id: str
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2")
    admin1: str | None = None
    kind: str | None = Field(None, description="country | region | city | district | facility | ...")
    confidence: float | None = None


class Quote(Span):
    text: str
    direct: bool = Field(description="true for words inside quote marks")
    speaker: str | None = Field(None, description="canonical name of the speaker")
    speaker_id: str | None = None
    cue: str | None = Field(None, description="the verb that introduces the quote")
    via: str | None = Field(None, description="outlet or medium the quote was taken from")
    sentence: str = ""
    kind: Literal["speech", "label", "stance"] = Field(
        "speech", description="'label' for quoted names, terms and scare quotes; 'stance' for a position "
                              "taken without words reported ('endorsed Cruz', 'accused X of lying', "
                              "'the survey found that ...', 'wants to stay'): the text is the position"
    )
    speaker_start: int | None = Field(
        None, description="the words that name the speaker for this quote ('the senator', 'she', 'Bundy'): "
                          "first character; null when no words do (a speaker carried over from context)")
    speaker_end: int | None = None


class Count(Span):
    number: float | None = Field(description="null for vague amounts ('dozens')")
    text: str = Field("", description="the number as written")
    object: str | None = None
    detail: str | None = None
    action: str | None = None
    qualifier: str | None = None
    actor: str | None = None
    place: str | None = None
    date: str | None = None
    kind: Literal["count", "money", "percent", "measure", "duration", "age", "ordinal", "fraction"] = Field(
        "count", description="'fraction' for a share ('two-thirds of the sales'): the number is the share, 0.667")
    category: str | None = Field(None, description="GDELT-style count type: KILL, WOUND, ...")
    sentence: str = ""


class DateRange(_Model):
    start: str
    end: str


class DateMention(Span):
    text: str
    value: str | DateRange | None = Field(
        None, description="ISO date (or YYYY-MM, YYYY), a {start, end} range, or null"
    )


class Event(Span):
    type: EventType
    mode: str | None = None
    source_actor: str | None = None
    target_actor: str | None = None
    source_country: str | None = Field(None, description="the country the source acts for: itself, its "
                                       "nationality ('Russian troops'), a person's national office ('Russian "
                                       "President Vladimir Putin'), an institution's ('Russia's Defense Ministry')")
    target_country: str | None = Field(None, description="the country the target belongs to, the same way")
    place: str | None = None
    date: str | None = None
    trigger: str
    sentence: str = ""
    negated: bool = False
    hypothetical: bool = False
    future: bool = False


class SentenceTone(Span):
    polarity: float = Field(description="VADER compound score in [-1, 1]")


class Theme(_Model):
    name: str = Field(description="a theme of data/themes.json: military, diplomacy, sanctions, ...")
    terms: list[str] = Field(description="the words in the text that evidence it")


class Tone(_Model):
    positive: float = Field(0.0, description="mean share of positive words per sentence (VADER)")
    negative: float = 0.0
    neutral: float = 0.0
    polarity: float = Field(0.0, description="mean sentence compound score in [-1, 1]")
    sentences: list[SentenceTone] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)


class Record(_Model):
    schema_version: str = SCHEMA_VERSION
    pipeline_version: str | None = None
    article: Article
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    counts: list[Count] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    tone: Tone | None = None
    notes: list[str] = Field(default_factory=list, description="what the pipeline skipped and why")

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> Record:
        return cls.model_validate_json(data)

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)


def json_schema() -> dict:
    """The JSON Schema of a record, as shipped in docs/record.schema.json."""
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"newsgraph record (schema {SCHEMA_VERSION})"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
