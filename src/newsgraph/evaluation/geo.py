"""Places against public geoparsing gold (../shared/bench/geo: GeoWebNews, LGL, TR-News, GeoVirus,
the dev halves): toponym recognition and resolution, end to end through the pipeline.

- A predicted toponym is a mention of an entity that has a ``places`` row. It matches a gold toponym
  when their character spans overlap (one to one, in text order); precision, recall and F1 count
  those matches.
- Resolution is scored on the matched gold toponyms that have coordinates (the literature's
  accuracy@161 km): right when the predicted point is within 161 km (100 miles) of the gold point,
  or, for a country, when the country code is right (gazetteers put a country's point hundreds of
  kilometres apart). ``e2e_acc161`` divides the same hits by every gold toponym with coordinates.
- The baseline, in the same run, resolves the same matched names to the most populous place of that
  name in the same gazetteer (no context, no kind preference).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from newsgraph.evaluation.matching import prf
from newsgraph.evaluation.records import extract_all
from newsgraph.pipeline.gazetteer import distance_km
from newsgraph.record import Article, Record

SETS = {"gwn": "gwn-dev.jsonl", "lgl": "lgl-dev.jsonl", "trnews": "trnews-dev.jsonl",
        "geovirus": "geovirus-dev.jsonl"}
KM = 161.0


def predicted_toponyms(record: Record) -> list[dict[str, Any]]:
    """Every mention of a placed entity, with the place's point and country, in text order."""
    placed = {p.entity_id: p for p in record.places}
    out = []
    for e in record.entities:
        place = placed.get(e.id)
        if place is None:
            continue
        for m in e.mentions:
            if m.text[:1].isupper():  # a pronoun or 'the city' that coreference added is not a toponym
                out.append({"start": m.start, "end": m.end, "name": e.name, "lat": place.lat, "lon": place.lon,
                            "country": place.country, "kind": place.kind})
    return sorted(out, key=lambda t: (t["start"], t["end"]))


def match_spans(predicted: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """Overlapping (predicted, gold) pairs, one to one, in text order."""
    pairs, used = [], set()
    for g in gold:
        for n, p in enumerate(predicted):
            if n not in used and p["start"] < g["end"] and g["start"] < p["end"]:
                pairs.append((p, g))
                used.add(n)
                break
    return pairs


COUNTRY_KM = 1500.0


def gold_country(g: dict[str, Any]) -> str | None:
    """The gold toponym's country code when the toponym is a country: a GeoNames A.PCL* feature code,
    or (sets without feature codes) a name the gazetteer knows as a country that holds the gold point
    (the country of the nearest town to it) or whose point is within 1,500 km of it. So the US state
    Georgia is not the country, and Russia is Russia although gold sets put its point in Siberia and
    gazetteers west of the Urals, 2,900 km apart."""
    from newsgraph.pipeline.gazetteer import gazetteer

    gaz = gazetteer()
    fcode = g.get("fcode") or ""
    if fcode and not fcode.startswith("A.PCL"):
        return None
    for name in (g.get("gaz_name"), g.get("alt_name"), g.get("text")):
        for c in gaz.candidates(name) if name else []:
            if c.kind == "country" and (fcode or c.country == country_holding(g["lat"], g["lon"]) or
                                        c.lat is not None and distance_km(c.lat, c.lon, g["lat"], g["lon"]) <= COUNTRY_KM):
                return c.country
    return None


def country_holding(lat: float, lon: float) -> str | None:
    """The country code of the town nearest to a point (GeoNames' towns, the reverse_geocode package)."""
    import reverse_geocode

    found = reverse_geocode.search([(lat, lon)])
    return found[0].get("country_code") if found else None


def resolved(point: dict[str, Any] | None, g: dict[str, Any], country: str | None) -> bool:
    if point is None:
        return False
    if country is not None and point.get("country") == country and point.get("kind") == "country":
        return True
    if point.get("lat") is None or point.get("lon") is None:
        return False
    return distance_km(point["lat"], point["lon"], g["lat"], g["lon"]) <= KM


def most_populous(name: str) -> dict[str, Any] | None:
    """The baseline's choice: the most populous place of that name."""
    from newsgraph.pipeline.gazetteer import gazetteer

    cands = [c for c in gazetteer().candidates(name) if c.lat is not None]
    if not cands:
        return None
    top = max(cands, key=lambda c: c.population)
    return {"lat": top.lat, "lon": top.lon, "country": top.country, "kind": top.kind}


def score_set(docs: list[dict], records: list[Record], with_baselines: bool) -> tuple[dict, dict | None, list]:
    tally: Counter = Counter()
    misses: list[dict] = []
    for doc, record in zip(docs, records, strict=True):
        predicted, gold = predicted_toponyms(record), doc["toponyms"]
        pairs = match_spans(predicted, gold)
        tally["tp"] += len(pairs)
        tally["predicted"] += len(predicted)
        tally["gold"] += len(gold)
        tally["gold_coords"] += sum(1 for g in gold if g.get("lat") is not None)
        matched = {id(g) for _, g in pairs}
        for g in gold:
            if id(g) not in matched:
                misses.append({"article": doc["id"], "what": "toponym missed", "expected": g["text"], "got": None})
        for p, g in pairs:
            if g.get("lat") is None:
                continue
            country = gold_country(g)
            tally["resolvable"] += 1
            if resolved(p, g, country):
                tally["right"] += 1
            else:
                got = f"{p['name']} ({p['country'] or '?'}, {p['lat']}, {p['lon']})"
                misses.append({"article": doc["id"], "what": "resolved wrong",
                               "expected": f"{g['text']} ({g['lat']}, {g['lon']})", "got": got})
            if with_baselines and resolved(most_populous(p["name"]), g, country):
                tally["baseline_right"] += 1
    metrics: dict[str, Any] = dict(prf(tally["tp"], tally["predicted"], tally["gold"]))
    metrics["acc161"] = round(tally["right"] / tally["resolvable"], 4) if tally["resolvable"] else 0.0
    metrics["e2e_acc161"] = round(tally["right"] / tally["gold_coords"], 4) if tally["gold_coords"] else 0.0
    metrics.update(articles=len(docs), toponyms=tally["gold"], resolvable=tally["resolvable"])
    baseline = None
    if with_baselines:
        baseline = {"acc161": round(tally["baseline_right"] / tally["resolvable"], 4) if tally["resolvable"] else 0.0}
    return metrics, baseline, misses


def read_set(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:  # lines end at '\n' only: texts hold U+2028 and friends
        return [json.loads(line) for line in f if line.strip()]


def run(folder: Path, with_baselines: bool, limit: int | None = None):
    found = {name: folder / file for name, file in SETS.items() if (folder / file).exists()}
    if not found:
        return {"skipped": f"no geoparsing gold in {folder}"}, None, []
    metrics: dict[str, Any] = {}
    baselines: dict[str, Any] = {}
    misses: list[dict] = []
    for name, path in found.items():
        docs = read_set(path)[:limit]
        articles = [Article(id=d["id"], text=d["text"], title=None, published=_date(d)) for d in docs]
        records, failure = extract_all(articles)
        if failure:
            metrics[f"{name}.skipped"] = failure
            continue
        m, b, miss = score_set(docs, records, with_baselines)
        metrics.update({f"{name}.{k}": v for k, v in m.items()})
        if b:
            baselines.update({f"{name}.{k}": v for k, v in b.items()})
        misses += [{**x, "article": f"{name}/{x['article']}"} for x in miss]
    return metrics, baselines or None, misses


def _date(doc: dict) -> str | None:
    value = (doc.get("date") or "")[:10]
    return value if len(value) == 10 and value[4] == "-" else None
