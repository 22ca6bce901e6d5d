import json
from pathlib import Path

from newsgraph.record import (
    SCHEMA_VERSION,
    Article,
    Count,
    DateMention,
    DateRange,
    Record,
    json_schema,
    json_schema_text,
)

DOCS = Path(__file__).parent.parent / "docs" / "record.schema.json"


def test_shipped_schema_matches_the_models():
    assert DOCS.read_text() == json_schema_text(), "run `make schema` to regenerate docs/record.schema.json"


def test_schema_names_the_record_fields():
    props = json_schema()["properties"]
    assert {"schema_version", "article", "entities", "places", "quotes", "counts", "events", "dates",
            "tone"} <= set(props)
    quote_fields = set(json_schema()["$defs"]["Quote"]["properties"])
    assert {"text", "start", "end", "direct", "speaker", "speaker_id", "cue", "via", "sentence"} <= quote_fields


def test_json_round_trip_keeps_everything():
    record = Record(
        article=Article(text="Seven drones.", published="2025-09-07").with_id(),
        counts=[Count(number=7, object="drones", start=0, end=5, text="Seven")],
        dates=[DateMention(text="4-5", start=0, end=3, value=DateRange(start="2025-09-04", end="2025-09-05"))],
    )
    again = Record.from_json(record.to_json())
    assert again == record
    assert json.loads(record.to_json())["schema_version"] == SCHEMA_VERSION


def test_article_id_is_stable_and_depends_on_url_or_text():
    a = Article(text="Same text.\n").with_id()
    b = Article(text="  same   TEXT. ").with_id()
    c = Article(text="Same text.", url="https://example.org/a").with_id()
    assert a.id == b.id != c.id
    assert Article(id="given", text="x").with_id().id == "given"
