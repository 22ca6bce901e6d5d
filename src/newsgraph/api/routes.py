"""JSON API routes. Field names are exactly the record's; lists are paginated by cursor."""

from __future__ import annotations

import hmac
import inspect
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, Field

from newsgraph.api.answers import cached_json, shared_story
from newsgraph.filters import ISO_DATE_PATTERN, ArticleFilter, filter_fields
from newsgraph.readers import ARTICLE_OVERRIDES
from newsgraph.record import SCHEMA_VERSION, SURE_PLACE_CONFIDENCE, Record
from newsgraph.store.queries import Queries
from newsgraph.store.quote_queries import QuoteFilter

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=100, description="Items per page")]
Cursor = Annotated[str | None, Query(description="The 'next' value of the previous page")]
Date = Annotated[str | None, Query(pattern=ISO_DATE_PATTERN, description="ISO date")]


def _article_filter_dependency():
    """A dependency whose query parameters are ArticleFilter's fields, help text and date pattern
    included: the API's filter is generated from the one definition, not written again."""
    params = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                annotation=Annotated[str | None, Query(description=help,
                                                                       pattern=ISO_DATE_PATTERN if date else None)])
              for name, help, date in filter_fields()]

    def article_filter(**criteria: str | None) -> ArticleFilter:
        return ArticleFilter(**criteria)

    article_filter.__signature__ = inspect.Signature(params, return_annotation=ArticleFilter)
    return article_filter


Filter = Annotated[ArticleFilter, Depends(_article_filter_dependency())]


class PageOf(BaseModel):
    items: list[dict[str, Any]]
    total: int
    next: str | None = Field(description="cursor of the next page, or null on the last page")


class IngestRequest(BaseModel):
    text: str | None = Field(None, description="Article text (page furniture is recognized as by the text reader)")
    jsonl: str | None = Field(None, description="One JSON Lines record: {id?, url?, source?, title?, text, ...}")
    url: str | None = Field(None, description="With no text: a page to fetch. With text: the article's URL")
    title: str | None = Field(None, description=ARTICLE_OVERRIDES["title"])
    published: str | None = Field(None, description=ARTICLE_OVERRIDES["published"])
    source: str | None = Field(None, description=ARTICLE_OVERRIDES["source"])


class IngestResult(BaseModel):
    id: str
    outcome: str
    title: str | None = None


async def queries(request: Request) -> Queries:  # async: no worker thread just to hand it over
    return request.app.state.queries


Q = Annotated[Queries, Depends(queries)]


def _paged(call):
    try:
        return call()
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


@router.get("/health")
def health(q: Q) -> dict[str, Any]:
    return {"status": "ok", "schema_version": SCHEMA_VERSION, "articles": q.store.stats()["articles"]}


@router.get("/articles", response_model=PageOf)
async def list_articles(request: Request, q: Q, f: Filter, limit: Limit = 20, cursor: Cursor = None) -> Response:
    return await cached_json(request, lambda: _paged(lambda: q.articles(f, limit, cursor)), PageOf)


class StoredRecord(Record):
    """A record as stored: the record itself, and where the store placed it across outlets."""

    story_id: int | None = Field(None, description="the story the article belongs to (GET /api/stories/{id})")
    duplicate_of: str | None = Field(None, description="the article this one copies (exact or near-duplicate)")


@router.get("/articles/{article_id:path}", response_model=StoredRecord)
def get_article(article_id: str, q: Q) -> StoredRecord:
    record = q.store.get(article_id)
    if record is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
    with q.engine.connect() as conn:
        placed = [{"id": record.article.id}]
        q.add_story_ids(conn, placed)
    return StoredRecord(**record.model_dump(), story_id=placed[0]["story_id"], duplicate_of=placed[0]["duplicate_of"])


@router.post("/articles", response_model=IngestResult, status_code=201)
def post_article(body: IngestRequest, request: Request,
                 authorization: Annotated[str | None, Header()] = None) -> IngestResult:
    _check_token(request, authorization)
    from newsgraph.api.ingest import ingest_one

    try:
        article, outcome = ingest_one(request.app.state.store, body.model_dump(), request.app.state.runner)
        request.app.state.cache.changed()
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return IngestResult(id=article.id, outcome=outcome, title=article.title)


def _check_token(request: Request, authorization: str | None) -> None:
    problem = token_problem(request.app.state.token, authorization)
    if problem:
        raise HTTPException(status_code=problem[0], detail=problem[1],
                            headers={"WWW-Authenticate": "Bearer"} if problem[0] == 401 else None)


def token_problem(expected: str | None, authorization: str | None) -> tuple[int, str] | None:
    """Why a write is refused (status, message), or None when the bearer token is right."""
    if not expected:
        return 403, "this server is read-only: start it with NEWSGRAPH_TOKEN set to accept articles"
    scheme, _, given = (authorization or "").strip().partition(" ")
    # bytes, so a token with non-ASCII characters is compared (and refused) rather than raising
    if scheme.lower() != "bearer" or not given.strip() or not hmac.compare_digest(
            given.strip().encode("utf-8", "surrogateescape"), expected.encode("utf-8")):
        return 401, "a valid token is needed: 'Authorization: Bearer <token>'"
    return None


@router.get("/entities", response_model=PageOf)
def list_entities(q: Q, name: str | None = None,
                  type: Annotated[str | None, Query(pattern="^(?i:PERSON|ORG|GPE|LOC|NORP|FAC|EVENT)$")] = None,
                  limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    return _paged(lambda: q.entities(name, type, limit, cursor))


EntityId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A store entity id")]


@router.get("/entities/{entity_id}")
def get_entity(entity_id: EntityId, q: Q) -> dict[str, Any]:
    entity = q.entity(entity_id)
    if entity is None:
        raise HTTPException(status_code=404, detail=f"no entity with id {entity_id}")
    entity["co_mentioned"] = q.co_mentioned(entity_id)
    return entity


@router.get("/quotes", response_model=PageOf)
def list_quotes(q: Q, speaker: str | None = None, text: str | None = None, since: Date = None,
                until: Date = None, direct: bool | None = None, limit: Limit = 20,
                cursor: Cursor = None) -> dict[str, Any]:
    return _paged(lambda: q.quotes(speaker, text, since, until, direct, limit, cursor))


class WordingPage(PageOf):
    quotes: int = Field(description="quotes read before grouping")
    truncated: bool = Field(description="true when more quotes matched than one request reads: narrow the filter")


@router.get("/quotes/wordings", response_model=WordingPage)
def list_wordings(q: Q, text: str | None = None, speaker: str | None = None, source: str | None = None,
                  since: Date = None, until: Date = None,
                  order: Annotated[str, Query(pattern="^(newest|outlets|oldest)$")] = "newest",
                  limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    """Quotes grouped by wording: each wording with every outlet that carries it in publication order
    (a date-only or month-only report sorts after the exact times of its day or month), the first
    publisher when it is certain, and who cites whom (``via_chain``)."""
    return _paged(lambda: q.wordings(QuoteFilter(text, speaker, source, since, until), limit, cursor, order))


@router.get("/counts", response_model=PageOf)
def list_counts(q: Q, object: str | None = None, action: str | None = None, place: str | None = None,
                since: Date = None, until: Date = None, limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    return _paged(lambda: q.counts(object, action, place, since, until, limit, cursor))


@router.get("/events", response_model=PageOf)
def list_events(q: Q, type: str | None = None, actor: str | None = None, place: str | None = None,
                since: Date = None, until: Date = None, limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    return _paged(lambda: q.events(type, actor, place, since, until, limit, cursor))


MinConfidence = Annotated[float | None, Query(ge=0, le=1, description=(
    "only places resolved at least this surely (0-1; a namesake chosen among near equals or a name read "
    f"through a qualifier is under {SURE_PLACE_CONFIDENCE})"))]


@router.get("/places", response_model=PageOf)
def list_places(q: Q, f: Filter, limit: Limit = 100, cursor: Cursor = None,
                min_confidence: MinConfidence = None) -> dict[str, Any]:
    return _paged(lambda: q.places(f, limit, cursor, min_confidence=min_confidence))


StoryId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A story id")]


@router.get("/stories", response_model=PageOf)
async def list_stories(request: Request, q: Q, since: Date = None, limit: Limit = 20, cursor: Cursor = None,
                 order: Annotated[str, Query(pattern="^(latest|outlets|size)$",
                                             description="latest activity, most outlets, or most articles")] = "latest",
                 min_outlets: Annotated[int, Query(ge=1, le=10_000, description="at least this many outlets")] = 1,
                 ) -> dict[str, Any]:
    """Stories, each with its articles, outlets, top people and places."""
    return await cached_json(request, lambda: _paged(lambda: q.stories(since, limit, cursor, order, min_outlets)),
                             PageOf)


@router.get("/stories/{story_id}", response_model=dict[str, Any])
async def get_story(request: Request, story_id: StoryId) -> Response:
    """One story with its claims (counts, quotes), coverage matrix, timeline and change log."""
    def story() -> dict[str, Any]:
        found = shared_story(request, story_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no story with id {story_id}")
        return found

    return await cached_json(request, story)
