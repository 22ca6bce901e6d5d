"""Places: geocode GPE/LOC/FAC entities offline with the gazetteer.

The article's own countries steer ambiguous names (a Paris in the article
about France); 'the Lviv region' is the region, not the city (data/region_words.json). Unknown
places are kept with null coordinates, a name with an airport or refinery word as a facility
(data/facility_words.txt).
"""

from __future__ import annotations

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.gazetteer import distance_km, gazetteer, key, near_anchors
from newsgraph.pipeline.registry import stage
from newsgraph.record import Place

PLACE_TYPES = ("GPE", "LOC", "FAC")


@stage("places", requires=("entities",), assigns=("places",))
def places(ctx: Context) -> None:
    gaz = gazetteer()
    ents = [e for e in ctx.record.entities if e.type in PLACE_TYPES]
    areas = lexicon.table("region_words.json")
    text = ctx.article.text
    named = {e.id: _area_name(text, e, areas) for e in ents}  # 'Licking County', 'Donetsk Oblast'
    first = {e.id: best for e in ents if (best := _resolve(gaz, e.name, named[e.id]))}
    # the countries the article is about: those it names, and those of the regions it names
    countries = frozenset(b[0].country for b in first.values()
                          if b[0].country and b[0].kind in ("country", "region"))
    # the places the article names for sure (one candidate, or a region) steer the rest by distance;
    # a country steers by its code alone: its point is arbitrary, and a suburb of Madrid near Spain's
    # point had beaten Los Angeles in an article that named Spain
    anchors = {e_id: (b[0].lat, b[0].lon) for e_id, b in first.items()
               if b[0].lat is not None and b[0].kind not in ("continent", "country")
               and (b[1] >= 0.9 or b[0].kind != "city")}
    for e in ents:
        area = _area_word(text, e, areas)
        others = tuple(point for e_id, point in anchors.items() if e_id != e.id)
        best = _resolve(gaz, e.name, named[e.id], countries, others)
        if best is None:
            ctx.record.places.append(Place(entity_id=e.id, name=e.name, kind=area or _kind_hint(e.name)))
            continue
        cand, confidence = best
        if area and cand.kind == "city":  # 'the Lviv region': the area named after the city
            confidence = min(confidence, 0.6)
        ctx.record.places.append(Place(
            entity_id=e.id, name=e.name, lat=cand.lat, lon=cand.lon, country=cand.country,
            admin1=cand.admin1, kind=area if area and cand.kind == "city" else cand.kind,
            confidence=round(confidence, 2),
        ))


def _resolve(gaz, name: str, area_name: str | None, countries: frozenset[str] = frozenset(),
             anchors: tuple = ()):
    """The name with its area word when the gazetteer knows that ('Boone County'), else the name. A
    region named after its centre ('the Chernihiv region') keeps the centre's point, as before."""
    bare = gaz.best(name, countries, anchors) or _qualified(gaz, name, countries, anchors)
    if area_name and (found := gaz.best(area_name, countries, anchors)):
        region, _ = found
        if bare and bare[0].kind == "city" and bare[0].country == region.country and None not in (
                region.lat, bare[0].lat) and distance_km(region.lat, region.lon, bare[0].lat, bare[0].lon) < CENTRE_KM:
            return bare
        return found
    return bare


CENTRE_KM = 150.0  # a town this close to the region's point, with the region's name, is its centre
QUALIFIED_CONFIDENCE = 0.5  # 'North Texas' read as Texas: a part of it, or a town beside it
CORE_MIN_POPULATION = 50_000  # a smaller town named by the rest ('East Bank' -> Bank) needs the article's places near


def _qualified(gaz, name: str, countries: frozenset[str], anchors: tuple):
    """A name the gazetteer lacks read through its qualifier ('South Philadelphia', 'Oaxaca State',
    'Republic of Armenia', data/place_qualifiers.json): the place the rest names, when that is a
    country, a region, a city of some size or a place beside the article's other places."""
    core = _core_name(name)
    found = gaz.best(core, countries, anchors) if core else None
    if found is None:
        return None
    cand, confidence = found
    if cand.kind == "city" and (key(cand.name) != key(core)  # 'Creek' is another name of Baytown, Texas
                                or cand.population < CORE_MIN_POPULATION and not near_anchors(cand, anchors)):
        return None
    return cand, min(confidence, QUALIFIED_CONFIDENCE)


def _core_name(name: str) -> str | None:
    """The name without one qualifier word or phrase in front or behind; None when it has none."""
    table = lexicon.table("place_qualifiers.json")
    spaced = " ".join(name.split())  # the qualifier's length counts in the name as the table writes it
    lowered = spaced.lower()
    core = next((spaced[len(p):] for p in table["prefixes"]
                 if lowered.startswith(p + " ") or p.endswith(".") and lowered.startswith(p)), None)
    if core is None:
        core = next((spaced[: -len(s)] for s in table["suffixes"] if lowered.endswith(" " + s)), None)
    core = core.strip() if core is not None else None
    return core if core and core[0].isupper() else None


def _area_name(text: str, entity, areas: dict) -> str | None:
    """'Boone' followed by 'County' in the text: 'Boone County'."""
    name = entity.name.lower()
    return next((f"{entity.name} {w.title()}" for w in _area_words_after(text, entity, areas)
                 if not name.endswith(w)), None)


def _area_word(text: str, entity, areas: dict) -> str | None:
    """'Lviv region', 'Kramatorsk district': the kind an area word after a mention gives."""
    return next((areas[w] for w in _area_words_after(text, entity, areas)), None)


def _area_words_after(text: str, entity, areas: dict):
    """The area words ('county', 'region') right after the entity's mentions, in mention order."""
    for m in entity.mentions:
        following = text[m.end : m.end + 16].split()
        if following and (word := following[0].lower().strip(",.")) in areas:
            yield word


def _kind_hint(name: str) -> str | None:
    return "facility" if any(w in name.lower() for w in lexicon.words("facility_words.txt")) else None
