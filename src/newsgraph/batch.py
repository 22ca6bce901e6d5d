"""Batch jobs the front ends share: read inputs, run the pipeline, store or emit records.

One bad article never stops a batch: read and pipeline errors are collected
with the input they came from, and the rest goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from newsgraph.pipeline import Pipeline, ProcessError
from newsgraph.readers import ReadError, Skipped, read_inputs
from newsgraph.record import Article, Record
from newsgraph.store import Store


@dataclass
class Summary:
    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # records that are not articles, by reason

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
        return text


def records(paths: Iterable[str], pipeline: Pipeline | None, summary: Summary,
            on_error: Callable[[str], None] = lambda _: None,
            skip: Callable[[Article], bool] = lambda _: False, policy=None,
            **overrides: str | None) -> Iterator[Record]:
    """Records for every readable article, in input order; errors go to the summary.

    ``pipeline=None`` gives reader output only (article fields, no stages).
    ``skip`` lets a caller pass over articles it already has (counted 'unchanged').
    """

    def articles() -> Iterator[Article]:
        for item in read_inputs(paths, policy, **overrides):
            if isinstance(item, Skipped):
                summary.skipped[item.reason] += 1
            elif isinstance(item, ReadError):
                summary.failures.append(str(item))
                on_error(str(item))
            elif skip(item):
                summary.outcomes["unchanged"] += 1
            else:
                yield item

    if pipeline is None:
        yield from (Record(article=a) for a in articles())
        return
    for result in pipeline.process_many(articles()):
        if isinstance(result, ProcessError):
            summary.failures.append(str(result))
            on_error(str(result))
        else:
            yield result


def ingest(paths: Iterable[str], store: Store, pipeline: Pipeline, summary: Summary | None = None,
           on_error: Callable[[str], None] = lambda _: None,
           on_stored: Callable[[Record, str], None] = lambda _r, _o: None, policy=None,
           **overrides: str | None) -> Summary:
    """Read, extract and store; articles already stored unchanged are not processed again."""
    summary = summary or Summary()

    def current(a: Article) -> bool:
        return store.is_current(a.id, a.text, pipeline.version)

    for record in records(paths, pipeline, summary, on_error, skip=current, policy=policy, **overrides):
        try:
            outcome = store.ingest(record)
        except Exception as exc:  # a store error for one article must not lose the batch
            message = f"article {record.article.id}: not stored: {type(exc).__name__}: {exc}"
            summary.failures.append(message)
            on_error(message)
            continue
        summary.outcomes[outcome] += 1
        on_stored(record, outcome)
    return summary
