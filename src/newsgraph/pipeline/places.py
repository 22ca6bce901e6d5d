"""Places: geocode GPE/LOC/FAC entities offline with the gazetteer.

The article's own countries steer ambiguous names (a Paris in the article
about France); 'the Lviv region' is the region, not the city (data/region_words.json). Unknown
places are kept with null coordinates, a name with an airport or refinery word as a facility
(data/facility_words.txt).
"""

from __future__ import annotations

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.registry import stage
from newsgraph.record import Place

PLACE_TYPES = ("GPE", "LOC", "FAC")


@stage("places", requires=("entities",), assigns=("places",))
def places(ctx: Context) -> None:
    gaz = gazetteer()
    ents = [e for e in ctx.record.entities if e.type in PLACE_TYPES]
    countries = frozenset(
        best[0].country
        for e in ents
        if (best := gaz.best(e.name)) and best[0].kind == "country"
    )
    areas = lexicon.table("region_words.json")
    text = ctx.article.text
    for e in ents:
        area = _area_word(text, e, areas)
        best = gaz.best(e.name, countries)
        if best is None:
            ctx.record.places.append(Place(entity_id=e.id, name=e.name, kind=area or _kind_hint(e.name)))
            continue
        cand, confidence = best
        if area and cand.kind == "city":  # 'the Lviv region': the area named after the city
            confidence = min(confidence, 0.6)
        ctx.record.places.append(Place(
            entity_id=e.id, name=e.name, lat=cand.lat, lon=cand.lon, country=cand.country,
            admin1=cand.admin1, kind=area or cand.kind, confidence=round(confidence, 2),
        ))


def _area_word(text: str, entity, areas: dict) -> str | None:
    """'Lviv region', 'Kramatorsk district': the kind an area word after a mention gives."""
    for m in entity.mentions:
        following = text[m.end : m.end + 16].split()
        if following and following[0].lower().strip(",.") in areas:
            return areas[following[0].lower().strip(",.")]
    return None


def _kind_hint(name: str) -> str | None:
    return "facility" if any(w in name.lower() for w in lexicon.words("facility_words.txt")) else None
