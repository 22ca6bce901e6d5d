"""Server-rendered pages: home, article, entity, stories, map, timeline, search. No JavaScript needed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsgraph.api.answers import answer_bytes, shared_story
from newsgraph.filters import ArticleFilter, filter_fields
from newsgraph.record import SURE_PLACE_CONFIDENCE
from newsgraph.store.paging import MAX_LIMIT
from newsgraph.store.queries import FACET_WINDOW, Queries
from newsgraph.store.quote_queries import QuoteFilter
from newsgraph.web import markup, worldmap
from newsgraph.web.markup import article_html

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("newsgraph.web").joinpath("templates")))


def web_link(url: str) -> bool:
    """Only http(s) addresses become links: a stored 'javascript:' or 'data:' URL is shown as text."""
    return url.strip().lower().startswith(("http://", "https://"))


templates.env.filters["web_link"] = web_link
templates.env.filters["marked"] = markup.marked_snippet
MAP_PLACES = 2000
FILTER_KEYS = tuple(name for name, _, _ in filter_fields())  # the one definition, newsgraph.filters


def _queries(request: Request) -> Queries:
    return request.app.state.queries


def _filter(request: Request) -> ArticleFilter:
    p = request.query_params
    return ArticleFilter(**{k: (p.get(k) or None) for k in FILTER_KEYS})


def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    def with_params(**changes: Any) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "cursor"}
        params.update({k: v for k, v in changes.items() if v is not None})
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
        return "?" + urlencode(params)

    return templates.TemplateResponse(request, name, {"with_params": with_params, **context})


async def _cached_page(request: Request, render: Callable[[], HTMLResponse]) -> HTMLResponse:
    """The page rendered once per store version: under a load of readers while an ingest writes, one
    reader renders it and the others get the same bytes."""
    return HTMLResponse(await answer_bytes(request, lambda: bytes(render().body)))


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, cursor: str | None = None) -> HTMLResponse:
    return await _cached_page(request, lambda: _search_page(request, cursor, "index.html"))


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, cursor: str | None = None) -> HTMLResponse:
    return await _cached_page(request, lambda: _search_page(request, cursor, "search.html"))


def _search_page(request: Request, cursor: str | None, template: str) -> HTMLResponse:
    q, f = _queries(request), _filter(request)
    cache = request.app.state.cache
    key = tuple(sorted(f.active().items()))
    # one full-text search serves the first pages of the list and the facets
    match = cache.get(("match", key), lambda: q.match(f, FACET_WINDOW))
    try:
        page = q.articles(f, 20, cursor, match=match)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    facets = cache.get(("facets", key), lambda: q.facets(f, match=match))
    if f.q:
        found = q.snippets([item["id"] for item in page["items"]], f.q, markup.SNIPPET_MARKS)
        page = {**page, "items": [{**item, "snippet": found.get(item["id"])} for item in page["items"]]}
    return _render(request, template, page=page, facets=facets, active=f.active(), window=FACET_WINDOW)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article(request: Request, article_id: str,
                  span: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$")] = None) -> HTMLResponse:
    q = _queries(request)
    target = tuple(int(x) for x in span.split("-")) if span else None

    def render() -> str | None:
        record = q.store.get(article_id)
        if record is None:
            return None
        links = q.local_entity_map(record.article.id)
        people = [e for e in record.entities if e.type == "PERSON"]
        story_id = q.story_of(record.article.id)
        return _render(request, "article.html", record=record, body=article_html(record, links, target),
                       links=links, story_id=story_id,
                       people=people, quotes=[(n, x) for n, x in enumerate(record.quotes) if x.kind == "speech"],
                       stances=[(n, x) for n, x in enumerate(record.quotes) if x.kind == "stance"],
                       counts=list(enumerate(record.counts))).body

    html = request.app.state.cache.get(("article", article_id, span), render)
    if html is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return HTMLResponse(html)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: Annotated[int, PathParam(ge=1, le=2**63 - 1)]) -> HTMLResponse:
    q = _queries(request)
    data = q.entity(entity_id)
    if data is None:
        raise HTTPException(404, f"no entity with id {entity_id}")
    by_day = q.mentions_by_date(entity_id)
    wordings = q.wordings(QuoteFilter(entity_id=entity_id), limit=MAX_LIMIT)
    return _render(request, "entity.html", entity=data, co=q.co_mentioned(entity_id), chart=_bars(by_day),
                   wordings=wordings)


ENTITY_TYPES = {"PERSON": "People", "ORG": "Organizations", "GPE": "Places", "LOC": "Places", "FAC": "Places",
                "NORP": "Groups", "EVENT": "Events"}


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, cursor: str | None = None, name: str | None = None,
                  type: Annotated[str | None, Query(pattern="^(?i:PERSON|ORG|GPE|LOC|NORP|FAC|EVENT)$")] = None
                  ) -> HTMLResponse:
    """People, organizations and places with how many articles mention each; any alias finds one."""
    try:
        page = _queries(request).entities(name or None, type or None, 50, cursor)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    return _render(request, "entities.html", page=page, wanted=name or "", type=(type or "").upper(),
                   types=ENTITY_TYPES)


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, cursor: str | None = None, text: str | None = None, speaker: str | None = None,
                source: str | None = None,
                since: Annotated[str | None, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")] = None,
                until: Annotated[str | None, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")] = None,
                order: Annotated[str, Query(pattern="^(newest|outlets|oldest)$")] = "newest") -> HTMLResponse:
    """Quotes by wording: every outlet that carries the same words, in publication order, the first marked."""
    f = QuoteFilter(text or None, speaker or None, source or None, since or None, until or None)
    try:
        page = _queries(request).wordings(f, 20, cursor, order)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    return _render(request, "quotes.html", page=page, active=f.active(), order=order)


@router.get("/stories", response_class=HTMLResponse)
async def stories_page(request: Request, cursor: str | None = None,
                 since: Annotated[str | None, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")] = None,
                 order: Annotated[str, Query(pattern="^(latest|outlets|size)$")] = "latest",
                 min_outlets: Annotated[int, Query(ge=1, le=10_000)] = 1) -> HTMLResponse:
    def render() -> HTMLResponse:
        try:
            page = _queries(request).stories(since or None, 20, cursor, order, min_outlets)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        return _render(request, "stories.html", page=page, since=since, order=order, min_outlets=min_outlets)

    return await _cached_page(request, render)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: Annotated[int, PathParam(ge=1, le=2**63 - 1)]) -> HTMLResponse:
    def render() -> HTMLResponse:
        story = shared_story(request, story_id)
        if story is None:
            raise HTTPException(404, f"no story with id {story_id}")
        top = max((d["articles"] for d in story["timeline"]), default=1)
        return _render(request, "story.html", story=story, top=top)

    return await _cached_page(request, render)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    q, f = _queries(request), _filter(request)
    sure = request.query_params.get("sure") == "1"
    places = q.places(f, MAP_PLACES, cap=MAP_PLACES, min_confidence=SURE_PLACE_CONFIDENCE if sure else None)["items"]
    return _render(request, "map.html", outline=worldmap.countries_path(),
                   markers=worldmap.markers(places, uncertain_below=SURE_PLACE_CONFIDENCE),
                   unplaced=[p for p in places if p["lat"] is None], width=worldmap.WIDTH, height=worldmap.HEIGHT,
                   active=f.active(), sure=sure, sure_level=SURE_PLACE_CONFIDENCE)


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request) -> HTMLResponse:
    q, f = _queries(request), _filter(request)
    rows = q.events_by_day(f)
    days: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        days[r["day"]][r["type"]] = r["n"]
    top = max((sum(v.values()) for v in days.values()), default=1)
    types = sorted({r["type"] for r in rows})
    return _render(request, "timeline.html", days=sorted(days.items()), top=top, types=types, active=f.active())


def _bars(series: list[tuple[str, int]], width: int = 600, height: int = 120) -> dict[str, Any]:
    """Bars of a dated series, sized to fit an SVG."""
    if not series:
        return {"bars": [], "width": width, "height": height}
    top = max(n for _, n in series)
    step = min(width / len(series), 40)
    bars = [{"x": round(i * step + 1, 1), "w": round(max(step - 2, 1), 1), "h": round(n / top * (height - 20), 1),
             "y": round(height - 16 - n / top * (height - 20), 1), "day": day, "n": n}
            for i, (day, n) in enumerate(series)]
    return {"bars": bars, "width": width, "height": height, "first": series[0][0], "last": series[-1][0]}


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API, the docs' assets or a client asking for JSON)."""
    path = request.url.path
    if path.startswith(("/api/", "/static/", "/docs-assets/")) or path in ("/api", "/openapi.json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, detail: Any) -> HTMLResponse:
    """An error as a page with the site's navigation: what went wrong and where to go instead."""
    if isinstance(detail, list):  # validation errors: one line per parameter
        detail = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', [])[1:])}: {e.get('msg')}" for e in detail)
    return templates.TemplateResponse(request, "error.html", {"status": status, "detail": str(detail)},
                                      status_code=status)
