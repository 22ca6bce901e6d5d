"""Where the pipeline runs: in this process, in worker processes, or on a Dask cluster.

Every runner extracts as a :class:`~newsgraph.pipeline.Pipeline` does (``process_many`` gives a
record or a :class:`~newsgraph.errors.ProcessError` per article, in input order; ``version`` names
the pipeline) and is a context manager that closes what it started. The CLI, ``watch`` and the API
run batch's one read-extract-store path with any of them:

    >>> with open_runner(workers=2) as runner:
    ...     summary = batch.ingest(paths, store, runner)

Processes and clusters live here, not in ``pipeline/``: the pipeline is language processing only.
Options are checked when a runner is made; nothing starts until it is entered or first used. This
module imports no pipeline (a command that only reads or stores never loads spaCy).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from newsgraph.errors import ProcessError
from newsgraph.record import Article, Record


@runtime_checkable
class Runner(Protocol):
    """Turns articles into records somewhere, with the pipeline's per-article time limit."""

    version: str

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Runner: ...

    def __exit__(self, *exc: object) -> None: ...


def open_runner(workers: int = 1, dask: str | None = None) -> Runner:
    """In this process (``workers=1``), in ``workers`` forked processes, or on the Dask cluster at
    ``dask`` (a scheduler address, a scheduler file, or 'local' for a local cluster)."""
    if dask:
        from newsgraph.runners.cluster import DaskRunner

        return DaskRunner(dask, workers=max(workers, 2))
    if workers > 1:
        from newsgraph.runners.pool import WorkerPool

        return WorkerPool(workers)
    from newsgraph.runners.local import InProcess

    return InProcess()
