"""The seed article end to end: the foundation issue's acceptance points, with the real model."""

import json

from conftest import SEED, run_cli

PERSONS = ["Vladimir Putin", "Emmanuel Macron", "Volodymyr Zelenskyy", "Dmitry Peskov", "Serhii Lysak",
           "Pavel Malkov", "Donald Trump", "Antonio Costa", "Robert Fico"]
DIRECT = [
    ("legitimate targets", "Vladimir Putin"),
    ("unacceptable.", "Moscow"),
    ("If any troops appear there, especially now while fighting is ongoing, we assume that they will be "
     "legitimate targets.", "Vladimir Putin"),
    ("no one should doubt", "Vladimir Putin"),
    ("legally binding documents", "Dmitry Peskov"),
    ("Of course, you can't just take anybody's word for something.", "Dmitry Peskov"),
    ("start working now, during the war, and not only after it ends.", "Volodymyr Zelenskyy"),
    ("will definitely be in the thousands, not just a few.", "Volodymyr Zelenskyy"),
    ("Private homes were damaged. Windows in apartment buildings were shattered.", "Serhii Lysak"),
    ("Looks like we’ve lost India and Russia, to deepest, darkest China.", "Donald Trump"),
    ("Russian oil, like Russian gas, has no future", "Volodymyr Zelenskyy"),
]
COUNTS = [(157, "drones"), (7, "missiles"), (121, "drones"), (15, "settlements"), (92, "drones")]


def test_extract_cli_gives_the_seed_record():
    proc = run_cli("extract", str(SEED), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout)
    a = record["article"]
    assert a["title"] == "Putin Warns Foreign Troops In Ukraine Will Be Targeted"
    assert (a["section"], a["published"]) == ("World News", "2025-09-07")
    assert a["subtitle"].startswith("As European allies pledge support for Ukraine")

    persons = {e["name"] for e in record["entities"] if e["type"] == "PERSON"}
    assert len(set(PERSONS) & persons) >= 8, persons

    speech = {q["text"]: q for q in record["quotes"] if q["direct"] and q["kind"] == "speech"}
    right = [t for t, who in DIRECT if t in speech and speech[t]["speaker"] == who]
    assert len(right) >= 9, sorted(set(t for t, _ in DIRECT) - set(right))

    found = {(c["number"], c["object"]) for c in record["counts"]}
    assert set(COUNTS) <= found, found


def test_every_fact_points_at_its_words(seed_record):
    text = seed_record.article.text
    for q in seed_record.quotes:
        assert text[q.start : q.end] == q.text
        assert q.sentence and q.text[:20] in q.sentence or not q.direct
    for c in seed_record.counts:
        assert text[c.start : c.end] == c.text
    for e in seed_record.entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text


def test_roles_and_labels(seed_record):
    roles = {e.name: e.roles for e in seed_record.entities if e.type == "PERSON"}
    assert "Kremlin spokesperson" in roles["Dmitry Peskov"]
    assert "Regional administration head" in roles["Serhii Lysak"]
    assert "Governor" in roles["Pavel Malkov"]
    assert "Slovak Prime Minister" in roles["Robert Fico"]
    labels = {q.text for q in seed_record.quotes if q.kind == "label"}
    assert {"coalition of the willing", "reassurance force", "special military operation"} <= labels
    assert all(q.speaker is None for q in seed_record.quotes if q.kind == "label")


def test_via_names_the_outlet_not_the_speaker(seed_record):
    by_text = {q.text: q for q in seed_record.quotes if q.direct}
    ap = by_text["If any troops appear there, especially now while fighting is ongoing, we assume that they "
                 "will be legitimate targets."]
    assert (ap.speaker, ap.via, ap.cue) == ("Vladimir Putin", "AP News", "emphasized")
    aif = by_text["Of course, you can't just take anybody's word for something."]
    assert (aif.speaker, aif.via) == ("Dmitry Peskov", "Argumenty i Fakty")


def test_counts_have_qualifier_detail_and_date(seed_record):
    by_number = {c.number: c for c in seed_record.counts}
    assert by_number[15].qualifier == "at least"
    assert by_number[157].detail == "strike and decoy"
    assert by_number[157].date == "2025-09-04/2025-09-05"
    assert by_number[121].action.startswith("shoot down or jam")


def test_dates_resolve_against_publication(seed_record):
    values = {d.text: d.value for d in seed_record.dates}
    assert values["September 5, 2025"] == "2025-09-05"
    assert values["February 24, 2022"] == "2022-02-24"
    assert values["August 2025"] == "2025-08"
    night = values["the night of September 4-5"]
    assert (night.start, night.end) == ("2025-09-04", "2025-09-05")


def test_places_are_geocoded(seed_record):
    places = {p.name: p for p in seed_record.places}
    assert places["Dnipro"].country == "UA" and abs(places["Dnipro"].lat - 48.45) < 0.2
    assert places["Vladivostok"].country == "RU"
    assert places["Bratislava"].country == "SK"
    assert places["Novhorod-Siversk"].country == "UA"
