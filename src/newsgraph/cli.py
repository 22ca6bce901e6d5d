"""The newsgraph command line. Thin: every command calls the library."""

from __future__ import annotations

import functools
import inspect
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsgraph import batch
from newsgraph.record import Record

app = typer.Typer(help="newsgraph: world news in, source-linked evidence out.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)
out = Console()


def _show_version(value: bool) -> None:
    if value:
        from newsgraph import __version__

        print(f"newsgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                help="Print the version and exit")] = False) -> None:
    """newsgraph: world news in, source-linked evidence out."""

Workers = Annotated[int, typer.Option("--workers", "-w", min=1, max=256,
                                     help="Extract in this many processes (one per core; each loads the model once)")]
DaskOption = Annotated[str | None, typer.Option("--dask", help="Extract on a Dask cluster: a scheduler address "
                                                "(tcp://host:8786), a scheduler file, or 'local'")]


@contextmanager
def _running(workers: int, dask: str | None) -> Iterator:
    """A runner for the batch (this process, ``workers`` processes, or a Dask cluster), closed however
    the command ends; a cluster that cannot be reached is a one-line error and exit status 2."""
    from newsgraph.runners import open_runner

    runner = open_runner(workers, dask)
    try:
        runner.__enter__()
    except Exception as exc:  # no scheduler there, no dask installed
        _report_error(f"cannot use the Dask cluster {dask!r}: {type(exc).__name__}: {exc}" if dask
                      else f"cannot start the workers: {type(exc).__name__}: {exc}")
        raise typer.Exit(2) from None
    try:
        yield runner
    finally:
        runner.close()


@contextmanager
def _no_runner() -> Iterator[None]:
    yield None


def _generated_options(options: list[tuple[str, str]], collect: str, build: Callable[..., Any],
                       argument: str | None = None) -> Callable:
    """Adds one option per (name, help) to a command and hands the command their values as the one
    parameter ``collect``, made by ``build(**values)``; ``argument`` is given as an argument instead.
    The article filter and the article overrides are declared once, where they live, not per command."""

    def decorate(command: Callable) -> Callable:
        signature = inspect.signature(command, eval_str=True)
        added = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                   annotation=Annotated[str | None, typer.Argument(help=help) if name == argument
                                                        else typer.Option(help=help)])
                 for name, help in options]
        params = []  # the generated ones where the command declares ``collect``, in the help's order
        for p in signature.parameters.values():
            params += added if p.name == collect else [p]

        @functools.wraps(command)
        def with_options(**values: Any) -> Any:
            given = {name: values.pop(name) for name, _ in options}
            return command(**values, **{collect: build(**given)})

        with_options.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        return with_options

    return decorate


def _article_filter(argument: str | None = None) -> Callable:
    """The command gets ``article_filter``: newsgraph.filters.ArticleFilter from its fields' options."""
    from newsgraph.filters import ArticleFilter, filter_fields

    return _generated_options([(name, help) for name, help, _ in filter_fields()], "article_filter", ArticleFilter,
                              argument)


def _article_overrides() -> Callable:
    """The command gets ``overrides``: what readers.ARTICLE_OVERRIDES a user set, as a dict."""
    from newsgraph.readers import ARTICLE_OVERRIDES

    return _generated_options(list(ARTICLE_OVERRIDES.items()), "overrides", dict)


DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL or SQLite path "
                                              "(default: $NEWSGRAPH_DB or ./newsgraph.db)")]


AllowPrivate = Annotated[bool, typer.Option("--allow-private", help="Allow fetching from loopback and "
                                           "private network addresses (refused by default)")]
AllowHost = Annotated[list[str] | None, typer.Option("--allow-host", help="Allow this host:port even if "
                                                     "it is private (repeatable)")]
Timeout = Annotated[float, typer.Option(help="Seconds before a fetch gives up")]


def _policy(allow_private: bool, allow_host: list[str] | None, timeout: float):
    from newsgraph.readers.fetch import FetchPolicy

    return FetchPolicy(allow_private=allow_private, allow_hosts=frozenset(allow_host or ()), timeout=timeout)


def _open_store(db: str | None, create: bool = False):
    """The store, or a one-line error and exit status 2 (a read-only command never creates one)."""
    from newsgraph.store import Store, StoreError

    try:
        return Store(db, create=create)
    except StoreError as exc:
        _report_error(str(exc))
        raise typer.Exit(2) from None


def _report_error(message: str) -> None:
    err.print(f"[red]error[/red]: {escape(message)}", highlight=False, soft_wrap=True)


@app.command()
@_article_overrides()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for standard input")],
    format: Annotated[str, typer.Option("--format", "-f", help="json | jsonl | table")] = "",
    overrides: dict[str, str | None] | None = None,
    no_nlp: Annotated[bool, typer.Option("--no-nlp", help="Reader output only, no stages")] = False,
    allow_private: AllowPrivate = False,
    allow_host: AllowHost = None,
    timeout: Timeout = 20.0,
    workers: Workers = 1,
    dask: DaskOption = None,
) -> None:
    """Print records: one input, one JSON object; several, JSON Lines; or a readable table.

    Inputs are text, JSON Lines, HTML, WARC files (gzip or not), directories, or http(s) URLs of
    pages and feeds. Output order is input order, with --workers and --dask too."""
    if format not in ("", "json", "jsonl", "table"):
        raise typer.BadParameter("--format must be json, jsonl or table")  # before any worker or cluster starts
    summary = batch.Summary()
    with _no_runner() if no_nlp else _running(workers, dask) as runner:
        results = batch.records(paths, runner, summary, _report_error,
                                policy=_policy(allow_private, allow_host, timeout), **(overrides or {}))
        if format == "table":
            from newsgraph.report import print_record

            for record in results:
                print_record(record, out)
        elif format == "json" or (not format and len(paths) == 1 and paths[0] != "-"):
            collected = list(results)
            if len(collected) == 1:
                sys.stdout.write(collected[0].to_json(indent=2) + "\n")
            else:
                for record in collected:
                    sys.stdout.write(record.to_json() + "\n")
        else:
            for record in results:
                sys.stdout.write(record.to_json() + "\n")
                sys.stdout.flush()
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
@_article_overrides()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for standard input")],
    db: DbOption = None,
    overrides: dict[str, str | None] | None = None,
    allow_private: AllowPrivate = False,
    allow_host: AllowHost = None,
    timeout: Timeout = 20.0,
    workers: Workers = 1,
    dask: DaskOption = None,
    out_dir: Annotated[str | None, typer.Option("--out", help="Write Parquet tables to this new folder instead "
                                                "of a store (a crawl straight to a data lake)")] = None,
) -> None:
    """Extract and store articles. Re-running is safe, and resumes a run that was stopped: articles
    already stored unchanged are skipped without extraction, none is duplicated.

    Inputs are text, JSON Lines, HTML, WARC files (gzip or not), directories, or http(s) URLs of
    pages and feeds."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from newsgraph.readers import count_items

    if out_dir:
        _ingest_to_parquet(paths, out_dir, workers, dask, _policy(allow_private, allow_host, timeout),
                           **(overrides or {}))
        return
    store = _open_store(db, create=True)
    with _running(workers, dask) as runner:
        summary = batch.Summary()
        total = count_items(paths) if err.is_terminal else None  # a bar with a total and time left, when cheap to know
        columns = ([SpinnerColumn()] if total is None else [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()])
        with Progress(*columns, TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("ingesting", total=total)
            started = time.perf_counter()

            def stored(record: Record, outcome: str) -> None:
                o = summary.outcomes
                done = sum(o.values()) + summary.failed + sum(summary.skipped.values())
                rate = done / max(time.perf_counter() - started, 1e-9)
                progress.update(task, completed=done, description=f"{o['new']} new, {o['updated']} updated, "
                                f"{o['unchanged']} unchanged, {summary.failed} failed, "
                                f"{sum(summary.skipped.values())} skipped · {rate:.1f} records/s")

            batch.ingest(paths, store, runner, summary, _report_error, stored,
                         policy=_policy(allow_private, allow_host, timeout), **(overrides or {}))
    err.print(f"{summary.line()} -> {store.url}", highlight=False, soft_wrap=True)
    raise typer.Exit(1 if summary.failed else 0)


def _ingest_to_parquet(paths: list[str], out_dir: str, workers: int, dask: str | None, policy,
                       **overrides: str | None) -> None:
    from newsgraph.errors import NewsgraphError
    from newsgraph.exports import export_records

    summary = batch.Summary()
    with _running(workers, dask) as runner:
        try:
            result = export_records(batch.records(paths, runner, summary, _report_error, policy=policy, **overrides),
                                    "parquet", out_dir)
        except NewsgraphError as exc:
            _report_error(str(exc))
            raise typer.Exit(2) from None
    summary.outcomes["new"] = result.articles
    err.print(f"{summary.line()} -> {out_dir} (parquet)", highlight=False, soft_wrap=True)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feed URLs")],
    db: DbOption = None,
    every: Annotated[str, typer.Option(help="How often to poll: 30s, 10m, 1h")] = "10m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit")] = False,
    allow_private: AllowPrivate = False,
    allow_host: AllowHost = None,
    timeout: Timeout = 20.0,
) -> None:
    """Poll feeds (conditional GET) and store each new item's article; state lives in the store."""
    from newsgraph import watch as watcher
    from newsgraph.runners.local import InProcess

    try:
        interval = watcher.parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    store = _open_store(db, create=True)

    def report(summary: batch.Summary) -> None:
        err.print(f"{time.strftime('%H:%M:%S')} {summary.line()} -> {store.url}", highlight=False, soft_wrap=True)

    interrupted: list[bool] = []

    def stopped(total: batch.Summary, polls: int) -> None:
        interrupted.append(True)
        err.print(f"{time.strftime('%H:%M:%S')} stopped after {polls} poll{'s' * (polls != 1)}: {total.line()} -> "
                  f"{store.url}", highlight=False, soft_wrap=True)

    with InProcess() as runner:
        summary = watcher.watch(feeds, store, runner, _policy(allow_private, allow_host, timeout), interval,
                                once, report, _report_error, stopped)
    raise typer.Exit(130 if interrupted else 1 if summary.failed else 0)


@app.command()
def stats(db: DbOption = None,
          as_json: Annotated[bool, typer.Option("--json", help="An object of counts keyed by table")] = False) -> None:
    """How many articles, entities, quotes, counts... the store holds."""

    numbers = _open_store(db).stats()
    if as_json:
        print(json.dumps(numbers))
    else:
        for name, n in numbers.items():
            out.print(f"{name:>10}  {n}")


@app.command()
def show(
    article_id: Annotated[str | None, typer.Argument(help="An article id (or a unique prefix)")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Show an entity across articles instead")] = None,
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json | table")] = "table",
) -> None:
    """Show one stored record, or (--entity NAME) an entity's mentions, roles and quotes across articles."""

    if entity:
        _show_entity(_open_store(db), entity, format)
        return
    if not article_id:
        raise typer.BadParameter("give an ARTICLE_ID or --entity NAME")
    record = _open_store(db).get(article_id)
    if record is None:
        _report_error(f"no article with id {article_id!r} in the store (see `newsgraph search`)")
        raise typer.Exit(1)
    if format == "json":
        sys.stdout.write(record.to_json(indent=2) + "\n")
    else:
        from newsgraph.report import print_record

        print_record(record, out)


def _show_entity(store, name: str, format: str) -> None:
    from newsgraph.report import print_entity
    from newsgraph.store.queries import Queries

    q = Queries(store)
    found = q.entities(name, limit=1)["items"]
    if not found:
        _report_error(f"no entity named like {name!r} in the store")
        raise typer.Exit(1)
    data = q.entity(found[0]["id"])
    if format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print_entity(data, out)


@app.command()
@_article_filter(argument="q")
def search(
    article_filter: Any = None,
    limit: Annotated[int, typer.Option(help="At most this many results", min=1, max=10_000)] = 20,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """Full-text search over titles and texts, with the same filters as the API and the search page."""
    from newsgraph.store.queries import Queries

    queries = Queries(_open_store(db))
    f = article_filter
    hits: list[dict] = []
    cursor = None
    while len(hits) < limit:  # the filter serves pages; the command gathers as many as asked for
        page = queries.search(f, min(limit - len(hits), 100), cursor)
        hits += page["items"]
        cursor = page["next"]
        if cursor is None:
            break
    if as_json:
        print(json.dumps(hits, ensure_ascii=False))
        return
    if not hits:
        out.print("no matching articles")
    for h in hits:
        out.print(f"{h['id']}  {h['published'] or '':10}  {h['title'] or '(untitled)'}",
                  highlight=False, markup=False)
        if h.get("snippet"):
            out.print(f"    {h['snippet']}", highlight=False, markup=False)


@app.command()
def quotes(
    text: Annotated[str | None, typer.Argument(help="Words the quote contains (all of them, any order)")] = None,
    speaker: Annotated[str | None, typer.Option(help="Said by this person or organization (any spelling)")] = None,
    source: Annotated[str | None, typer.Option(help="Carried by this outlet")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (ISO date)")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (ISO date)")] = None,
    order: Annotated[str, typer.Option(help="newest, oldest, or outlets (most outlets first)")] = "newest",
    limit: Annotated[int, typer.Option(help="At most this many wordings", min=1, max=100)] = 20,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """Quotes by wording: every outlet that carries the same words, in publication order, the first
    publisher marked, and who cites whom."""
    from newsgraph.report import print_wordings
    from newsgraph.store.queries import Queries
    from newsgraph.store.quote_queries import QuoteFilter

    queries = Queries(_open_store(db))
    try:
        page = queries.wordings(QuoteFilter(text, speaker, source, since, until), limit, order=order)
    except ValueError as exc:
        _report_error(str(exc))
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(page, ensure_ascii=False, default=str))
        return
    print_wordings(page, out)


@app.command()
def tour(
    db: DbOption = None,
    base: Annotated[str, typer.Option(help="Where `newsgraph serve` answers")] = "http://127.0.0.1:8000",
) -> None:
    """Three pages to start from on this store: conflicting figures, a quote's first publisher, a person's quotes."""
    from newsgraph.store.queries import Queries

    pages = Queries(_open_store(db)).start_pages()
    if not pages:
        out.print("nothing to show yet: ingest some articles first")
    for p in pages:
        out.print(f"{p['question']}:\n    {base.rstrip('/')}{p['path']}", highlight=False, markup=False,
                  soft_wrap=True)


@app.command()
@_article_filter()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | parquet | gkg | datasette-metadata")],
    out_path: Annotated[str | None, typer.Option("--out", "-o", help="A file ('-' or none: standard output); "
                                                 "for csv and parquet a new or empty folder")] = None,
    article_filter: Any = None,
    story: Annotated[int | None, typer.Option(help="Only the articles of this story", min=1)] = None,
    db: DbOption = None,
) -> None:
    """Export the store's records: JSON Lines, CSV tables, Parquet datasets, GDELT GKG 2.1 rows, or a
    Datasette metadata file. Filters are search's; every fact keeps its article id and offsets."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsgraph.errors import NewsgraphError
    from newsgraph.exports import check_format
    from newsgraph.exports import export as run_export
    try:
        check_format(fmt)
    except NewsgraphError as exc:
        _report_error(str(exc))
        raise typer.Exit(2) from None
    store = _open_store(db)
    f = article_filter
    with Progress(TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("export", total=None)

        def advance(done: int, total: int) -> None:
            if done % 100 == 0 or done == total:
                progress.update(task, completed=done, total=total)

        try:
            result = run_export(store, fmt, out_path, f, story, advance)
        except NewsgraphError as exc:
            _report_error(str(exc))
            raise typer.Exit(2) from None
    err.print(result.line(), highlight=False, soft_wrap=True)


stories_app = typer.Typer(help="Stories across outlets; `newsgraph stories rebuild` re-clusters the store.",
                          invoke_without_command=True, no_args_is_help=False)
app.add_typer(stories_app, name="stories")


@stories_app.callback()
def stories(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only stories seen on or after (ISO date)")] = None,
    limit: Annotated[int, typer.Option(help="Stories per page", min=1, max=100)] = 20,
    cursor: Annotated[str | None, typer.Option(help="The 'next' value of the previous page")] = None,
    order: Annotated[str, typer.Option(help="latest (activity), outlets (most first) or size (most articles)")
                     ] = "latest",
    min_outlets: Annotated[int, typer.Option(help="Only stories at least this many outlets reported", min=1)] = 1,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help='{"items": [...], "total", "next"}')] = False,
) -> None:
    """Stories across outlets (latest activity first, or by outlets or size): each story's articles and outlets.
    Listing never writes; `newsgraph stories rebuild` does."""
    if ctx.invoked_subcommand is not None:
        return
    from newsgraph.store.queries import Queries

    q = Queries(_open_store(db))
    if missing := q.unplaced():
        err.print(f"note: {missing} stored articles have no story yet (stored before stories existed): run "
                  "`newsgraph stories rebuild`", highlight=False, soft_wrap=True)
    try:
        page = q.stories(since, limit, cursor, order, min_outlets)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    keys = ("id", "title", "articles", "outlets", "first_seen", "last_seen")
    if as_json:
        print(json.dumps({"items": [{k: i[k] for k in keys} for i in page["items"]], "total": page["total"],
                          "next": page["next"]}, ensure_ascii=False))
        return
    from newsgraph.report import print_stories

    print_stories(page, out)


@stories_app.command("rebuild")
def stories_rebuild(db: DbOption = None) -> None:
    """Re-cluster the whole store in one batch (one transaction) and report how far the batch agrees with
    the incremental stories; merges and splits are recorded, and articles without a story are placed."""
    store = _open_store(db)
    report = store.rebuild_stories()
    agreement = report["agreement"]
    err.print(f"rebuilt {report['articles']} articles: {report['stories_before']} -> {report['stories_after']} "
              f"stories, {report['merges']} merges, {report['splits']} splits recorded; incremental vs batch "
              f"BCubed F1 {agreement['bcubed_f1']:.3f}, pairwise F1 {agreement['pairwise_f1']:.3f}"
              + (f"; {report['placed_now']} articles placed for the first time" if report["placed_now"] else ""),
              highlight=False, soft_wrap=True)


@app.command()
def story(
    story_id: Annotated[int, typer.Argument(help="A story id (see `newsgraph stories`)", min=1, max=2**63 - 1)],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The story with its claims as JSON")] = False,
) -> None:
    """One story: its outlets side by side, the claims they agree and conflict on, coverage gaps."""
    from newsgraph.store.queries import Queries

    data = Queries(_open_store(db)).story(story_id)
    if data is None:
        _report_error(f"no story with id {story_id} in the store (see `newsgraph stories`)")
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    from newsgraph.report import print_story

    print_story(data, out)


@app.command("eval")
def eval_(
    sets: Annotated[list[str] | None, typer.Option("--set", help="Gold sets to run (default: all): seed, "
                                                   "corpus, polnear, gum-news, conll, newsquant, geo, article-extraction, stories")] = None,
    gold: Annotated[list[str] | None, typer.Option("--gold", help="A gold file in newsgraph's format")] = None,
    split: Annotated[str, typer.Option(help="PolNeAR split: dev or train")] = "dev",
    shared: Annotated[str | None, typer.Option(help="The shared data folder (default ../shared)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: metrics per gold set")] = False,
    misses: Annotated[bool, typer.Option("--misses", help="List each miss: article, expected, got")] = False,
    baselines: Annotated[bool, typer.Option(help="Score the baselines in the same run")] = True,
    update_readme: Annotated[bool, typer.Option("--update-readme", help="Write the tables into README.md")] = False,
) -> None:
    """Score newsgraph (and baselines) against gold data; missing gold sets are reported as skipped."""
    from newsgraph import evaluation
    from newsgraph.evaluation.report import markdown

    chosen = tuple(sets) if sets else (() if gold else evaluation.SETS)
    unknown = set(chosen) - set(evaluation.SETS)
    if unknown:
        raise typer.BadParameter(f"unknown gold set(s): {', '.join(sorted(unknown))}")
    if update_readme and not Path("README.md").is_file():  # say so before minutes of measuring
        _report_error(f"no {Path.cwd() / 'README.md'} to write the tables into: run this from newsgraph's checkout")
        raise typer.Exit(2)
    results, base, missed = evaluation.evaluate(
        chosen, shared=shared, gold_paths=tuple(gold or ()), split=split, with_baselines=baselines,
        progress=lambda name: err.print(f"evaluating {name} ...", highlight=False))
    if as_json:
        payload: dict = dict(results)
        if baselines:
            payload["baselines"] = base
        if misses:
            payload["misses"] = missed
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        table = markdown(results, base)
        out.print(table, highlight=False, markup=False)
        if misses:
            for name, items in missed.items():
                for m in items:
                    out.print(f"{name}\t{m['article']}\t{m['what']}\texpected={m['expected']!r}\t"
                              f"got={m['got']!r}", highlight=False, markup=False, soft_wrap=True)
        if update_readme:
            from newsgraph.errors import NewsgraphError
            from newsgraph.readme import update_readme as write

            try:
                write("eval", table, "make eval")
            except NewsgraphError as exc:
                _report_error(str(exc))
                raise typer.Exit(2) from None


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind (loopback unless you mean to share it)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (one per core is a good start)")] = 1,
) -> None:
    """Serve the web app and the JSON API (/api, docs at /docs). Read-only unless NEWSGRAPH_TOKEN is set."""
    import os

    import uvicorn

    from newsgraph.app import create_app
    from newsgraph.outlets import OutletFactsError
    from newsgraph.store import StoreError, default_url

    try:
        application = create_app(db, create=False)  # also migrates the store once, before any worker starts
    except (StoreError, OutletFactsError) as exc:
        _report_error(str(exc))
        raise typer.Exit(2) from None
    mode = "accepting POST /api/articles with the token" if application.state.token else "read-only"
    err.print(f"newsgraph serving {application.state.store.url} at http://{host}:{port}/ ({mode}, "
              f"{workers} worker{'s' if workers > 1 else ''})", highlight=False, soft_wrap=True)
    if workers > 1:
        os.environ["NEWSGRAPH_DB"] = default_url(db)
        uvicorn.run("newsgraph.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
    else:
        uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def schema() -> None:
    """Print the record's JSON Schema (as shipped in docs/record.schema.json)."""
    from newsgraph.record import json_schema_text

    sys.stdout.write(json_schema_text())


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
