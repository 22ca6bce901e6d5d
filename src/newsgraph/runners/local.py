"""The pipeline in this process, and what a worker process runs for each batch it is sent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from newsgraph.errors import ProcessError
from newsgraph.pipeline import DEFAULT_STAGES, DEFAULT_TIME_LIMIT, Pipeline, pipeline_version
from newsgraph.pipeline.registry import check_order
from newsgraph.record import Article, Record


class Closing:
    """The context-manager half of a runner: ``with runner:`` closes it however the block ends."""

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcess(Closing):
    """The pipeline in this process (the model loads on first use)."""

    def __init__(self, stages: Iterable[str] | None = None, time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
        self.stages = tuple(stages) if stages is not None else DEFAULT_STAGES
        check_order(self.stages)  # a bad stage list is refused here, before the model loads
        self.time_limit = time_limit
        self.version = pipeline_version(self.stages)
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(stages=self.stages, time_limit=self.time_limit)
        return self._pipeline

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        return self.pipeline.process_many(articles)


@cache
def worker_pipeline(stages: tuple[str, ...], time_limit: float | None = DEFAULT_TIME_LIMIT) -> Pipeline:
    """One Pipeline per worker process, built on its first batch (the model loads once)."""
    return Pipeline(stages=stages, time_limit=time_limit)


def warm(stages: tuple[str, ...], time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
    """Build this process's pipeline and run it once on a short text, so everything it loads lazily
    (word lists, the gazetteer) is loaded before workers are forked from this process."""
    warm_up = Article(id="warm-up", text="Warm-up\n\nThe council in Tartu met on Monday, Mayor Anna Berg said.")
    list(worker_pipeline(stages, time_limit).process_many([warm_up]))


def process_batch(articles: list[Article], stages: tuple[str, ...] = DEFAULT_STAGES,
                  time_limit: float | None = DEFAULT_TIME_LIMIT) -> list[Record | ProcessError]:
    """Runs in a worker: the records (or errors) of one batch, in order."""
    return list(worker_pipeline(stages, time_limit).process_many(articles))


def failed(batch: list[Article], why: str) -> list[ProcessError]:
    return [ProcessError(a.id, why) for a in batch]
