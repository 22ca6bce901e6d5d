"""What is known about an outlet: its country and kind (wire, state-owned, state-funded, public
broadcaster, aggregator, copy), from data/outlet_facts.tsv and a user's own file of the same shape
(NEWSGRAPH_OUTLET_FACTS), whose lines win. Matched by any of the outlet's names or by its web domain."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from newsgraph.lexicon import data_text
from newsgraph.names import fold

USER_FILE = "NEWSGRAPH_OUTLET_FACTS"


@dataclass(frozen=True)
class OutletFacts:
    names: tuple[str, ...]  # the first is the one shown
    country: str | None
    kinds: tuple[str, ...]
    domains: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.names[0]

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "country": self.country, "kinds": list(self.kinds)}


class OutletFactsError(ValueError):
    """A line of an outlet facts file that cannot be read."""


def parse_facts(text: str, origin: str) -> list[OutletFacts]:
    """The outlets of a facts file: names | domains | country | kinds, tab-separated; '#' comments."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")] + [""] * 3
        names = [n.strip() for n in fields[0].split(";") if n.strip()]
        if not names:
            raise OutletFactsError(f"{origin}, line {number}: no outlet name before the first tab")
        country = fields[2].upper() or None
        if country is not None and (len(country) != 2 or not country.isalpha()):
            raise OutletFactsError(f"{origin}, line {number}: country {fields[2]!r} is not a two-letter code")
        out.append(OutletFacts(tuple(names), country,
                               tuple(k.strip() for k in fields[3].split(";") if k.strip()),
                               tuple(d.strip().lower() for d in fields[1].split(";") if d.strip())))
    return out


@cache
def _index(user_file: str | None) -> tuple[dict[str, OutletFacts], dict[str, OutletFacts]]:
    facts = parse_facts(data_text("outlet_facts.tsv"), "outlet_facts.tsv")
    if user_file:
        path = Path(user_file)
        try:
            facts += parse_facts(path.read_text(encoding="utf-8"), str(path))
        except OSError as exc:
            raise OutletFactsError(f"{USER_FILE}={user_file}: cannot read it ({exc.strerror})") from None
    by_name, by_domain = {}, {}
    for f in facts:  # later lines (the user's) win
        for name in f.names:
            by_name[fold(name)] = f
        for domain in f.domains:
            by_domain[domain] = f
    return by_name, by_domain


def outlet_facts(source: str | None, url: str | None = None) -> OutletFacts | None:
    """The facts of an outlet named ``source`` (or publishing at ``url``), None when unknown."""
    by_name, by_domain = _index(os.environ.get(USER_FILE) or None)
    if source and (found := by_name.get(fold(source.strip()))):
        return found
    host = (urlsplit(url).hostname or "") if url else ""
    while host:
        if host in by_domain:
            return by_domain[host]
        host = host.partition(".")[2] if host.count(".") > 1 else ""
    return None
