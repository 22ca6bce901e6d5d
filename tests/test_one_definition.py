"""One definition of each idea: the article filter's and the article overrides' parameters in every
front end (CLI options, API query parameters, request fields) come from the one place each is
declared, help text included. A field declared again by hand (another help text) or a front end
that takes part of the filter outside the known other filters fails here."""

from __future__ import annotations

import typer.main

from newsgraph.cli import app as cli_app
from newsgraph.filters import filter_fields
from newsgraph.readers import ARTICLE_OVERRIDES

FILTER_HELP = {name: help for name, help, _ in filter_fields()}
# Front ends that filter something other than articles, with names that happen to be the filter's:
# events and counts by type, actor or object and place; quotes by speaker, outlet and day; stories by day.
OTHER_FILTERS = {"GET /api/events", "GET /api/counts", "GET /api/quotes", "GET /api/quotes/wordings", "GET /api/stories",
                 "GET /api/entities", "quotes", "stories"}


def cli_commands() -> dict[str, dict[str, str]]:
    """Every CLI command (sub-commands too): parameter name -> its help text."""
    root = typer.main.get_command(cli_app)
    out = {}

    def walk(command, path: str) -> None:
        out[path] = {p.name: (getattr(p, "help", None) or "") for p in command.params}
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(root, "")
    return out


def api_routes() -> dict[str, dict[str, str]]:
    """Every API route's query parameters: name -> description, from the OpenAPI the server publishes."""
    from fastapi.testclient import TestClient

    from newsgraph.app import create_app

    spec = TestClient(create_app("sqlite://")).get("/openapi.json").json()
    return {f"{method.upper()} {path}": {p["name"]: p.get("description") or ""
                                         for p in op.get("parameters", []) if p["in"] == "query"}
            for path, ops in spec["paths"].items() for method, op in ops.items()}


def misdeclared(front_ends: dict[str, dict[str, str]], definition: dict[str, str], others: set[str],
                besides: dict[str, str] | None = None) -> list[str]:
    """What breaks the one definition; ``besides``: another definition sharing a name (the outlet is
    both a filter and an override), whose parameters are its own."""
    bad = []
    for where, params in front_ends.items():
        params = {n: h for n, h in params.items() if not besides or besides.get(n) != h}
        shared = set(params) & set(definition)
        if not shared or where in others:
            continue
        if shared != set(definition):
            bad.append(f"{where}: takes {sorted(shared)} of the filter but not {sorted(set(definition) - shared)}")
        bad += [f"{where}: {name} is declared again ({params[name]!r})" for name in sorted(shared)
                if params[name] != definition[name]]
    return bad


def test_the_check_finds_a_field_declared_by_hand():
    hand_made = {"search": {**FILTER_HELP, "since": "Only after (ISO date)"}, "partial": {"person": FILTER_HELP["person"],
                                                                                          "place": "somewhere"}}
    assert len(misdeclared(hand_made, FILTER_HELP, set())) == 3


def test_every_cli_filter_and_override_comes_from_its_one_definition():
    commands = cli_commands()
    assert {"search", "export"} <= {c for c, p in commands.items() if set(FILTER_HELP) <= set(p)}
    assert misdeclared(commands, FILTER_HELP, OTHER_FILTERS, besides=ARTICLE_OVERRIDES) == []
    assert {"extract", "ingest"} <= {c for c, p in commands.items() if set(ARTICLE_OVERRIDES) <= set(p)}
    assert misdeclared(commands, ARTICLE_OVERRIDES, OTHER_FILTERS, besides=FILTER_HELP) == []


def test_every_api_filter_comes_from_its_one_definition():
    routes = api_routes()
    assert {"GET /api/articles", "GET /api/places"} <= {r for r, p in routes.items() if set(FILTER_HELP) <= set(p)}
    assert misdeclared(routes, FILTER_HELP, OTHER_FILTERS) == []


def test_the_ingest_request_takes_the_overrides_as_defined():
    from newsgraph.api.routes import IngestRequest

    fields = IngestRequest.model_fields
    for name, help in ARTICLE_OVERRIDES.items():
        assert name in fields and (name == "url" or fields[name].description == help), name
