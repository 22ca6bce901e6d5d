"""Batch jobs the front ends share: read inputs, run the pipeline, store or emit records.

One bad article never stops a batch: read and pipeline errors are collected
with the input they came from, and the rest goes on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from newsgraph.errors import ProcessError
from newsgraph.readers import Item, ReadError, Skipped, read_inputs
from newsgraph.record import Article, Record
from newsgraph.runners import Runner
from newsgraph.store import Store


@dataclass
class Summary:
    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # records that are not articles, by reason
    storing_seconds: float = 0.0  # time in the one writer (storing, placing in stories, lining up claims)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def line(self) -> str:
        parts = [f"{self.outcomes[k]} {k}" for k in ("new", "updated", "unchanged")]
        parts.append(f"{self.failed} failed")
        text = ", ".join(parts)
        if self.skipped:
            text += f", {sum(self.skipped.values())} skipped (" + ", ".join(
                f"{n} {reason}" for reason, n in self.skipped.most_common(4)) + ")"
        if self.failures:
            text += " (" + "; ".join(self.failures[:5]) + (" ..." if len(self.failures) > 5 else "") + ")"
        if self.storing_seconds >= 0.05:  # where a run with many workers spends its single writer's time
            text += f"; storing took {self.storing_seconds:.1f} s"
        return text


def articles_of(items: Iterable[Item], summary: Summary, on_error: Callable[[str], None] = lambda _: None,
                skip: Callable[[Article], bool] = lambda _: False) -> Iterator[Article]:
    """The articles among reader items; read errors and skipped records go to the summary, and so do
    articles ``skip`` says the caller already has (counted 'unchanged')."""
    for item in items:
        if isinstance(item, Skipped):
            summary.skipped[item.reason] += 1
        elif isinstance(item, ReadError):
            summary.failures.append(str(item))
            on_error(str(item))
        elif skip(item):
            summary.outcomes["unchanged"] += 1
        else:
            yield item


def records(paths: Iterable[str], runner: Runner | None, summary: Summary,
            on_error: Callable[[str], None] = lambda _: None,
            skip: Callable[[Article], bool] = lambda _: False, policy=None,
            **overrides: str | None) -> Iterator[Record]:
    """Records for every readable article, in input order; errors go to the summary.

    ``runner=None`` gives reader output only (article fields, no stages).
    ``skip`` lets a caller pass over articles it already has (counted 'unchanged').
    """
    articles = articles_of(read_inputs(paths, policy, **overrides), summary, on_error, skip)
    if runner is None:
        yield from (Record(article=a) for a in articles)
        return
    yield from extracted(articles, runner, summary, on_error)


def extracted(articles: Iterable[Article], runner: Runner, summary: Summary,
              on_error: Callable[[str], None] = lambda _: None) -> Iterator[Record]:
    for result in runner.process_many(articles):
        if isinstance(result, ProcessError):
            summary.failures.append(str(result))
            on_error(str(result))
        else:
            yield result


def ingest(paths: Iterable[str], store: Store, runner: Runner, summary: Summary | None = None,
           on_error: Callable[[str], None] = lambda _: None,
           on_stored: Callable[[Record, str], None] = lambda _r, _o: None, policy=None,
           **overrides: str | None) -> Summary:
    """Read, extract and store; articles already stored unchanged are not processed again."""
    return ingest_items(read_inputs(paths, policy, **overrides), store, runner, summary, on_error, on_stored)


def ingest_items(items: Iterable[Item], store: Store, runner: Runner, summary: Summary | None = None,
                 on_error: Callable[[str], None] = lambda _: None,
                 on_stored: Callable[[Record, str], None] = lambda _r, _o: None) -> Summary:
    """The read-extract-store path every front end shares (batch commands, watch, POST /api/articles):
    reader items in, each article extracted unless stored unchanged, each record stored in its own
    transaction. One bad item fails alone, with its reason in the summary."""
    summary = summary or Summary()

    def current(a: Article) -> bool:
        return store.is_current(a.id, a.text, runner.version)

    for record in extracted(articles_of(items, summary, on_error, skip=current), runner, summary, on_error):
        started = time.perf_counter()
        try:
            outcome = store.ingest(record).outcome
        except Exception as exc:  # a store error for one article must not lose the batch
            message = f"article {record.article.id}: not stored: {type(exc).__name__}: {exc}"
            summary.failures.append(message)
            on_error(message)
            continue
        finally:
            summary.storing_seconds += time.perf_counter() - started
        summary.outcomes[outcome] += 1
        on_stored(record, outcome)
    if summary.outcomes["new"] or summary.outcomes["updated"]:
        started = time.perf_counter()
        try:  # the stories this batch changed line up their claims once, not once per article
            store.refresh_claims()
        except Exception as exc:  # the articles are stored; their claims are lined up when read
            message = f"claims not lined up after this batch: {type(exc).__name__}: {exc}"
            summary.failures.append(message)
            on_error(message)
        finally:
            summary.storing_seconds += time.perf_counter() - started
    return summary
