"""Entities: the stage. Named mentions grouped into canonical people, organizations and places.

The model's entities are repaired (ner_repair), grouped into entities (coref), given roles
(roles), joined by title-only and pronoun mentions, and written to the record with the
token-to-entity index later stages read."""

from __future__ import annotations

from newsgraph.pipeline.context import Context
from newsgraph.pipeline.coref import (
    Group,
    add_acronym_mentions,
    group_mentions,
    merge_country_names,
    merge_mistyped_places,
    merge_mistyped_surnames,
    merge_short_org_names,
    merge_spelling_variants,
    pronoun_mentions,
    title_mentions,
)
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.gazetteer import key as gazetteer_key
from newsgraph.pipeline.ner_repair import candidate_spans
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.roles import appositive_role, premodifier_role
from newsgraph.record import Entity, Mention


@stage("entities", assigns=("entities",))
def entities(ctx: Context) -> None:
    doc = ctx.doc
    groups = group_mentions(doc, candidate_spans(doc))
    groups = merge_short_org_names(merge_spelling_variants(merge_mistyped_places(merge_country_names(groups))))
    groups = merge_mistyped_surnames(groups)
    groups = add_acronym_mentions(doc, groups)
    for g in groups:
        if g.type != "PERSON":
            continue
        for s, e in g.mentions:
            for role in (premodifier_role(doc, s), appositive_role(doc, s, e)):
                if role and role not in g.roles:
                    g.roles.append(role)
    people = [g for g in groups if g.type == "PERSON"]
    taken = {i for g in groups for s, e in g.mentions for i in range(s, e)}
    adjectives = {i for g in groups if g.type == "NORP" for s, e in g.mentions for i in range(s, e)}
    titles = title_mentions(doc, people, taken, adjectives)
    for _g, s, e in titles:  # the adjective now belongs to the title mention, not to a NORP entity
        for other in groups:
            if other.type == "NORP":
                other.mentions = [m for m in other.mentions if not (s <= m[0] and m[1] <= e)]
    groups = [g for g in groups if g.mentions]
    for g, s, e in titles + pronoun_mentions(doc, people, taken):
        g.mentions.append((s, e))
    _emit(ctx, groups)


def _dateline_spelling(name: str, type_: str) -> str:
    """A place written only in a capitalized dateline ('VLADIVOSTOK, Russia -') under the gazetteer's
    spelling of it ('Vladivostok', 'Kyiv'), so it is one place with its ordinary spelling. Capitals
    the gazetteer does not spell the same way (UK, USSR) are left as written."""
    if type_ not in ("GPE", "LOC") or not name.isupper() or len(name.replace(" ", "")) <= 3:
        return name
    best = gazetteer().best(name)
    return best[0].name if best and gazetteer_key(best[0].name) == gazetteer_key(name) else name


def _emit(ctx: Context, groups: list[Group]) -> None:
    doc = ctx.doc
    ordered = sorted(groups, key=lambda g: min(m[0] for m in g.mentions))
    for n, g in enumerate(ordered, start=1):
        g.id = f"e{n}"
        spans = sorted(set(g.mentions))
        mentions = [Mention(start=doc[s:e].start_char, end=doc[s:e].end_char, text=doc[s:e].text) for s, e in spans]
        aliases = []
        for surface in g.surfaces:
            clean = surface.removesuffix("’s").removesuffix("'s")
            if clean != g.name and clean not in aliases:
                aliases.append(clean)
        ctx.add_entity(Entity(id=g.id, name=_dateline_spelling(g.name, g.type), type=g.type, aliases=aliases, roles=g.roles, mentions=mentions),
                       (i for s, e in spans for i in range(s, e)))
