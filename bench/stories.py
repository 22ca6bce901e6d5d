"""Stories: the cost of placing one new article as the store grows, and its share of ingest time.

    python bench/stories.py [--sizes 1000,10000,50000] [--probes 40] [--json] [--update-readme]

A store is filled with generated articles (records built directly, no NLP: synthetic people,
places, rare words and counts drawn per story, a few articles per story, dates over two years),
then real fixture articles (the seed, the Wikinews articles, the story fixtures) are ingested
as probes at each size. Reported per size: milliseconds to place one probe (duplicate lookup,
stream frequencies read and counted, candidate stories, scoring, profile written), the claims of
the stories the probes changed lined up once after them (as a batch ingest does), per probe, and
the whole ingest of the same probe (pipeline, store and its share of the claims), measured in the
same run. Placing must not grow by more than 2x from the smallest to the largest size, and must
stay under 20% of ingest time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import ROOT, markdown_table, update_readme  # noqa: E402
from newsgraph.pipeline import Pipeline  # noqa: E402
from newsgraph.readers import ReadError, read_inputs  # noqa: E402
from newsgraph.record import Article, Count, Entity, Mention, Quote, Record  # noqa: E402
from newsgraph.store import Store  # noqa: E402
from newsgraph.store import stories as story_store  # noqa: E402

SYLLABLES = ["ka", "ro", "mi", "tu", "sel", "van", "dor", "li", "ne", "bra", "zo", "quin", "ter", "ash", "ol"]
COMMON = ["the", "said", "on", "in", "a", "of", "to", "and", "that", "was", "for", "with", "by", "at", "from", "its", "after", "his", "her", "their", "were", "has", "have", "officials", "government", "police", "people", "city", "week", "report", "year", "told", "statement", "attack", "vote", "court"]


def _name(rng: random.Random, parts: int = 2) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(parts))


def generated(n: int, seed: int = 7):
    """n records in stories of 1-6 articles, each story with its own names, words and figures."""
    rng = random.Random(seed)
    made = 0
    story = 0
    while made < n:
        story += 1
        people = [_name(rng) for _ in range(3)]
        place = _name(rng, 1)
        words = [_name(rng, 1).lower() for _ in range(25)]
        figure = rng.randint(2, 400)
        day = f"{2024 + rng.randint(0, 1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        for k in range(min(rng.randint(1, 6), n - made)):
            body = " ".join(rng.choice(words) if rng.random() < 0.3 else rng.choice(COMMON) for _ in range(160))
            lead = f"{people[0]} said {figure} people were hurt in {place}. "
            text = lead + body
            start = text.index(str(figure))
            ents = [Entity(id=f"e{i}", name=p, type="PERSON", mentions=[Mention(start=0, end=len(p), text=p)])
                    for i, p in enumerate(people[: 2 + k % 2])]
            ents.append(Entity(id="e9", name=place, type="GPE"))
            made += 1
            yield Record(article=Article(id=f"gen-{made}", source=f"Outlet {made % 40}", published=day,
                                         title=f"{place} {words[0]} {words[1]}", text=text),
                         entities=ents,
                         counts=[Count(start=start, end=start + len(str(figure)), number=figure, text=str(figure),
                                       object="people", action="hurt", category="WOUND")],
                         quotes=[Quote(start=0, end=40, text=text[:40], direct=False, speaker=people[0],
                                       speaker_id="e0")])


def probes() -> list[Article]:
    return [a for a in read_inputs([str(ROOT / "tests" / "fixtures")]) if not isinstance(a, ReadError)]


def timed_place():
    """Wrap stories.place to collect its wall time (the store calls it inside ingest)."""
    spent: list[float] = []
    original = story_store.place

    def place(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t0)

    story_store.place = place
    return spent


def run(sizes: list[int], n_probes: int) -> list[dict]:
    pipeline = Pipeline()
    articles = probes()
    rng = random.Random(3)
    spent = timed_place()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "bench.db"))
        source = generated(max(sizes))
        filled = 0
        for size in sizes:
            for record in source:
                store.ingest(record)
                filled += 1
                if filled >= size:
                    break
            store.refresh_claims()  # the filling batch's claims, once (not the probes' cost)
            chosen = rng.sample(articles, min(n_probes, len(articles)))
            nlp_s, store_s = 0.0, 0.0
            spent.clear()
            for a in chosen:
                t0 = time.perf_counter()
                record = pipeline.process(a.model_copy(update={"id": f"probe-{size}-{a.id}"}))
                t1 = time.perf_counter()
                store.ingest(record)
                nlp_s += t1 - t0
                store_s += time.perf_counter() - t1
            t0 = time.perf_counter()
            store.refresh_claims()  # what a batch ingest does once, after its articles
            claims_s = time.perf_counter() - t0
            k = len(chosen)
            place_ms = sum(spent) / k * 1000
            ingest_ms = (nlp_s + store_s + claims_s) / k * 1000
            rows.append({"stored": size, "probes": k, "place_ms": round(place_ms, 2),
                         "claims_ms": round(claims_s / k * 1000, 2),
                         "ingest_ms": round(ingest_ms, 1), "share": round(place_ms / ingest_ms, 3)})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()
    rows = run([int(s) for s in args.sizes.split(",")], args.probes)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    table = markdown_table(["articles stored", "probes", "place one article (ms)", "claims after the batch (ms per article)",
                            "whole ingest (ms)", "share"],
                           [[f"{r['stored']:,}", str(r["probes"]), f"{r['place_ms']:.2f}", f"{r['claims_ms']:.2f}",
                             f"{r['ingest_ms']:.1f}", f"{r['share']:.1%}"] for r in rows])
    growth = rows[-1]["place_ms"] / rows[0]["place_ms"]
    body = (table + f"\n\nPlacing one article at {rows[-1]['stored']:,} stored takes {growth:.2f}x the time at "
            f"{rows[0]['stored']:,}; placing is at most {max(r['share'] for r in rows):.1%} of ingest time.\n")
    print(body)
    if args.update_readme:
        update_readme("bench:stories", body, f"python bench/stories.py --sizes {args.sizes} --update-readme")


if __name__ == "__main__":
    main()
