"""Gold data in newsgraph's own annotation format, and the scorers for it.

Our format (``--gold PATH``, JSON Lines): one object per article with ``id``
and either the article fields inline (``text``, ``title``, ``published``...)
or an ``articles.jsonl`` beside the gold file holding them; then any of
``quotes`` [{text, speaker, direct, via?, speaker_aliases?, kind?, optional?}],
``counts`` [{number, object, action?, qualifier?, sentence?}], ``persons``
[name or {name, aliases?, roles?}], ``places`` [name or {name, country?, lat?, lon?}],
``dates`` [{text, value}], ``events`` [{type, source_actor?, target_actor?}].
The seed's expected.json is read into the same shape.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.evaluation.matching import (
    DIRECT_MIN_F1,
    REPORTED_MIN_F1,
    fold_name,
    greedy_match,
    name_matches,
    normalize_quote,
    object_matches,
    overlap_f1,
    prf,
    without_title_and_realm,
)
from newsgraph.pipeline.gazetteer import distance_km
from newsgraph.readers import ReadError, read_inputs
from newsgraph.readers.jsonl import parse_line
from newsgraph.record import Article, Record


@dataclass
class GoldArticle:
    article: Article
    quotes: list[dict] = field(default_factory=list)
    counts: list[dict] = field(default_factory=list)
    persons: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    has: set[str] = field(default_factory=set)  # which kinds of facts this gold annotates


def _as_dicts(items: list, key: str = "name") -> list[dict]:
    return [i if isinstance(i, dict) else {key: i} for i in items]


def read_our_gold(path: Path) -> list[GoldArticle]:
    """A gold file in our format; article texts inline or in articles.jsonl beside it."""
    beside = path.parent / "articles.jsonl"
    articles: dict[str, Article] = {}
    if beside.exists() and beside != path:
        for item in read_inputs([str(beside)]):
            if not isinstance(item, ReadError):
                articles[item.id] = item
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        obj = json.loads(line)
        article = articles.get(str(obj.get("id")))
        if article is None:
            if not obj.get("text"):
                raise ValueError(f"{path}:{n}: gold article {obj.get('id')!r} has no text and is not in {beside}")
            article = parse_line(line, str(path), n)
        out.append(_gold_from(obj, article))
    return out


def _gold_from(obj: dict, article: Article) -> GoldArticle:
    g = GoldArticle(article=article)
    for kind in ("quotes", "counts", "persons", "places", "dates", "events"):
        if kind in obj:
            g.has.add(kind)
            setattr(g, kind, _as_dicts(obj[kind]))
    return g


def read_seed(seed_dir: Path) -> list[GoldArticle]:
    """../shared/seed: seed.txt read by our own text reader, expected.json as gold."""
    expected = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    (article,) = [a for a in read_inputs([str(seed_dir / "seed.txt")]) if not isinstance(a, ReadError)]
    return [_gold_from(expected, article)]


# --- scoring ----------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts summed over articles, turned into metrics at the end."""

    n: dict[str, int] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)

    def add(self, key: str, value: int = 1) -> None:
        self.n[key] = self.n.get(key, 0) + value

    def get(self, key: str) -> int:
        return self.n.get(key, 0)

    def miss(self, article: str, what: str, expected: Any, got: Any) -> None:
        self.misses.append({"article": article, "what": what, "expected": expected, "got": got})


def score_quotes(gold: GoldArticle, record: Record, t: Tally) -> None:
    aid = gold.article.id
    required = [q for q in gold.quotes if not q.get("optional") and q.get("kind") != "label"]
    labels = [q for q in gold.quotes if q.get("kind") == "label"]
    for direct, threshold, name in ((True, DIRECT_MIN_F1, "direct"), (False, REPORTED_MIN_F1, "reported")):
        g = [q for q in required if bool(q.get("direct")) == direct]
        p = [q for q in record.quotes if q.direct == direct and q.kind == "speech"]
        if direct:  # a quoted label the gold lists as optional is neither required nor penalized
            p = [q for q in p if not any(overlap_f1(q.text, lab["text"]) >= threshold for lab in labels)]
        pairs = greedy_match(g, p, lambda a, b: overlap_f1(a["text"], b.text), threshold)
        t.add(f"{name}.gold", len(g))
        t.add(f"{name}.predicted", len(p))
        t.add(f"{name}.matched", len(pairs))
        matched_g = {i for i, _, _ in pairs}
        for i, j, _ in pairs:
            gq, pq = g[i], p[j]
            ok = name_matches(pq.speaker, gq.get("speaker"), gq.get("speaker_aliases", ()))
            t.add(f"{name}.speaker_right", int(ok))
            if not ok:
                t.miss(aid, f"{name} quote speaker", {"text": gq["text"][:80], "speaker": gq.get("speaker")},
                       pq.speaker)
            if gq.get("via"):
                t.add(f"{name}.via_gold")
                t.add(f"{name}.via_right", int(fold_name(pq.via) == fold_name(gq["via"])))
        for i, q in enumerate(g):
            if i not in matched_g:
                t.miss(aid, f"{name} quote not found", q["text"][:100], None)
        matched_p = {j for _, j, _ in pairs}
        for j, q in enumerate(p):
            if j not in matched_p:
                t.miss(aid, f"{name} quote not in gold", None, q.text[:100])
    t.add("labels.gold", len(labels))
    t.add("labels.kept_apart", sum(
        1 for lab in labels
        if any(q.kind == "label" and overlap_f1(q.text, lab["text"]) >= DIRECT_MIN_F1 for q in record.quotes)))


def _counts_predicted(record: Record) -> list:
    return [c for c in record.counts if c.kind == "count" and c.number is not None]


def _count_pair_score(g: dict, p) -> float:
    if g.get("number") is None or p.number is None or not math.isclose(float(g["number"]), p.number):
        return 0.0
    if g.get("sentence"):
        s = overlap_f1(g["sentence"], p.sentence)
        if s < 0.5:
            return 0.0
        return s + (1.0 if object_matches(p.object, g.get("object")) else 0.0)
    return 1.0 + (1.0 if object_matches(p.object, g.get("object")) else 0.0)


def _stems(s: str | None) -> set[str]:
    return {w[:3] for w in fold_name(s).split() if len(w) > 2 and w not in ("the", "and", "was", "were")}


def score_counts(gold: GoldArticle, record: Record, t: Tally) -> None:
    aid = gold.article.id
    g = [c for c in gold.counts if c.get("number") is not None]
    p = _counts_predicted(record)
    pairs = greedy_match(g, p, _count_pair_score, 0.5)
    t.add("counts.gold", len(g))
    t.add("counts.predicted", len(p))
    t.add("counts.number_matched", len(pairs))
    matched_g, matched_p = set(), set()
    for i, j, _ in pairs:
        gc, pc = g[i], p[j]
        if object_matches(pc.object, gc.get("object")):
            t.add("counts.matched")
            matched_g.add(i)
            matched_p.add(j)
            if gc.get("action"):
                t.add("counts.action_gold")
                t.add("counts.action_right", int(bool(_stems(gc["action"]) & _stems(pc.action))))
            t.add("counts.qualifier_right", int((gc.get("qualifier") or None) == (pc.qualifier or None)))
        else:
            t.miss(aid, "count object", {"number": gc["number"], "object": gc.get("object")}, pc.object)
    for i, c in enumerate(g):
        if i not in matched_g:
            t.miss(aid, "count not found", {"number": c["number"], "object": c.get("object")}, None)
    for j, c in enumerate(p):
        if j not in matched_p:
            t.miss(aid, "count not in gold", None, {"number": c.number, "object": c.object,
                                                     "sentence": c.sentence[:80]})


def score_persons(gold: GoldArticle, record: Record, t: Tally) -> None:
    aid = gold.article.id
    people = [e for e in record.entities if e.type == "PERSON"]
    t.add("persons.gold", len(gold.persons))
    t.add("persons.predicted", len(people))
    found_pred: set[int] = set()
    surnames = Counter(fold_name(gp["name"]).split()[-1] for gp in gold.persons if fold_name(gp["name"]))

    def matches(e, gp) -> bool:
        if fold_name(e.name) in {fold_name(a) for a in gp.get("aliases", [])} or fold_name(e.name) in (
                fold_name(gp["name"]), without_title_and_realm(fold_name(gp["name"]))):
            return True  # including one-word names: 'Halston', 'Rania' (Queen Rania of Jordan)
        if len(e.name.split()) > 1:
            return name_matches(e.name, gp["name"], gp.get("aliases", ()))
        # a lone surname is the whole name the article gives ('President Obama') when no other
        # gold person of the article shares it
        return surnames[fold_name(e.name)] == 1 and fold_name(gp["name"]).split()[-1] == fold_name(e.name)

    for gp in gold.persons:
        hit = next((k for k, e in enumerate(people) if k not in found_pred and matches(e, gp)), None)
        if hit is None:
            t.miss(aid, "person not found", gp["name"], None)
            continue
        found_pred.add(hit)
        t.add("persons.matched")
        for role in gp.get("roles", []):
            t.add("persons.roles_gold")
            t.add("persons.roles_right", int(fold_name(role) in {fold_name(r) for r in people[hit].roles}))
    for k, e in enumerate(people):
        if k not in found_pred:
            t.miss(aid, "person not in gold", None, e.name)


def score_places(gold: GoldArticle, record: Record, t: Tally) -> None:
    from newsgraph.pipeline.gazetteer import gazetteer

    gaz = gazetteer()
    aid = gold.article.id

    def same(gname: str, pname: str) -> bool:
        if fold_name(gname) == fold_name(pname):
            return True
        a, b = gaz.best(gname), gaz.best(pname)
        return bool(a and b and a[0] == b[0])

    predicted = record.places
    t.add("places.gold", len(gold.places))
    t.add("places.predicted", len(predicted))
    for gp in gold.places:
        hit = next((p for p in predicted if same(gp["name"], p.name)), None)
        if hit is None:
            t.miss(aid, "place not found", gp["name"], None)
            continue
        t.add("places.matched")
        if gp.get("lat") is not None:
            t.add("places.coords_gold")
            if hit.lat is not None and distance_km(gp["lat"], gp["lon"], hit.lat, hit.lon) <= 25:
                t.add("places.within_25km")
            else:
                t.miss(aid, "place coordinates", [gp["name"], gp["lat"], gp["lon"]], [hit.lat, hit.lon])


def score_dates(gold: GoldArticle, record: Record, t: Tally) -> None:
    from newsgraph.pipeline.dates import value_text

    for gd in gold.dates:
        t.add("dates.gold")
        want = gd["value"] if isinstance(gd["value"], str) else f"{gd['value']['start']}/{gd['value']['end']}"
        hit = next((d for d in record.dates if normalize_quote(gd["text"]) in normalize_quote(d.text)
                    or normalize_quote(d.text) in normalize_quote(gd["text"])), None)
        if hit and value_text(hit.value) == want:
            t.add("dates.right")
        else:
            t.miss(gold.article.id, "date", {"text": gd["text"], "value": want},
                   value_text(hit.value) if hit else None)


def score_events(gold: GoldArticle, record: Record, t: Tally) -> None:
    for ge in gold.events:
        t.add("events.gold")
        hits = [e for e in record.events if e.type == ge["type"]]
        if hits:
            t.add("events.type_found")
        if any(_actor_matches(e.source_actor, ge.get("source_actor"))
               or (e.source_country and _actor_matches(e.source_country, ge.get("source_actor"))) for e in hits):
            t.add("events.with_source")
        else:
            t.miss(gold.article.id, "event", {"type": ge["type"], "source": ge.get("source_actor")},
                   [(e.type, e.source_actor) for e in hits][:3])


def _actor_matches(predicted: str | None, gold: str | None) -> bool:
    """Actors match as names do, or when every gold word (stemmed) is in the predicted phrase
    ('Russia' in 'Russian troops', '26 allies' in '26 of Ukraine's allies')."""
    if name_matches(predicted, gold):
        return True
    p, g = fold_name(predicted).split(), fold_name(gold).split()
    return bool(p and g) and all(any(w.startswith(x[:5]) for w in p) for x in g)


SCORERS = {"quotes": score_quotes, "counts": score_counts, "persons": score_persons,
           "places": score_places, "dates": score_dates, "events": score_events}


def metrics(t: Tally, has: set[str]) -> dict[str, float]:
    """Turn tallies into named metrics (stable keys, documented in docs/evaluation.md)."""
    m: dict[str, float] = {}
    if "quotes" in has:
        for name in ("direct", "reported"):
            r = prf(t.get(f"{name}.matched"), t.get(f"{name}.predicted"), t.get(f"{name}.gold"))
            for k, v in r.items():
                m[f"quotes.{name}.{k}"] = v
            m[f"quotes.{name}.speaker_accuracy"] = _ratio(t.get(f"{name}.speaker_right"), t.get(f"{name}.matched"))
            m[f"quotes.{name}.gold"] = t.get(f"{name}.gold")
            if t.get(f"{name}.via_gold"):
                m[f"quotes.{name}.via_accuracy"] = _ratio(t.get(f"{name}.via_right"), t.get(f"{name}.via_gold"))
        if t.get("labels.gold"):
            m["quotes.labels.kept_apart"] = _ratio(t.get("labels.kept_apart"), t.get("labels.gold"))
    if "counts" in has:
        r = prf(t.get("counts.matched"), t.get("counts.predicted"), t.get("counts.gold"))
        m.update({f"counts.{k}": v for k, v in r.items()})
        m["counts.number_recall"] = _ratio(t.get("counts.number_matched"), t.get("counts.gold"))
        m["counts.action_accuracy"] = _ratio(t.get("counts.action_right"), t.get("counts.action_gold"))
        m["counts.qualifier_accuracy"] = _ratio(t.get("counts.qualifier_right"), t.get("counts.matched"))
        m["counts.gold"] = t.get("counts.gold")
    if "persons" in has:
        m["persons.recall"] = _ratio(t.get("persons.matched"), t.get("persons.gold"))
        m["persons.precision"] = _ratio(t.get("persons.matched"), t.get("persons.predicted"))
        if t.get("persons.roles_gold"):
            m["persons.roles_recall"] = _ratio(t.get("persons.roles_right"), t.get("persons.roles_gold"))
    if "places" in has:
        m["places.recall"] = _ratio(t.get("places.matched"), t.get("places.gold"))
        if t.get("places.coords_gold"):
            m["places.within_25km"] = _ratio(t.get("places.within_25km"), t.get("places.coords_gold"))
    if "dates" in has:
        m["dates.accuracy"] = _ratio(t.get("dates.right"), t.get("dates.gold"))
    if "events" in has:
        m["events.type_recall"] = _ratio(t.get("events.type_found"), t.get("events.gold"))
        m["events.with_source_recall"] = _ratio(t.get("events.with_source"), t.get("events.gold"))
    return m


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def score_gold(golds: list[GoldArticle], records: list[Record]) -> tuple[dict[str, float], list[dict]]:
    t = Tally()
    has: set[str] = set()
    for gold, record in zip(golds, records, strict=True):
        has |= gold.has
        for kind in gold.has:
            SCORERS[kind](gold, record, t)
    return metrics(t, has), t.misses
