"""The same pipeline on every core, or on a Dask cluster: no second code path for big runs.

:class:`WorkerPipeline` (``--workers N``) and :class:`DaskPipeline` (``--dask ADDRESS``) extract as
:class:`Pipeline` does (``process_many``, ``version``), so batch's read-extract-store path runs
with either unchanged. Articles go out in batches (each parsed with ``nlp.pipe`` by a worker
forked from this process once its pipeline is loaded, or a Dask worker that loaded it once); records
come back in input order; the reader and the one writer stay
in this process. A bounded window of batches is in flight, so memory does not grow with the input.
A batch whose worker dies or overruns comes back as one ProcessError per article, named; the
batch goes on. A killed worker is noticed at once: the pool breaks, a new one is forked and the
batches that were in flight are sent again; a batch that was in flight at a second break is
reported failed (it may be the one that kills its worker). Dask itself runs a lost worker's batch
again elsewhere.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from functools import cache

from newsgraph.pipeline import (
    DEFAULT_STAGES,
    DEFAULT_TIME_LIMIT,
    Pipeline,
    ProcessError,
    batches,
    pipeline_version,
)
from newsgraph.record import Article, Record

BATCH = 4  # articles per task: small, so the last batches leave no worker idle long
WINDOW = 3  # batches in flight per worker
GRACE = 60.0  # seconds past a batch's own time limit before its worker is given up on


@cache
def _pipeline(stages: tuple[str, ...]) -> Pipeline:
    """One Pipeline per worker process, built on its first batch (the model loads once)."""
    return Pipeline(stages=stages)


def warm(stages: tuple[str, ...]) -> None:
    """Build this process's pipeline and run it once on a short text, so everything it loads lazily
    (word lists, the gazetteer) is loaded before workers are forked from this process."""
    list(_pipeline(stages).process_many([Article(id="warm-up", text="Warm-up\n\nThe council in Tartu met "
                                                                    "on Monday, Mayor Anna Berg said.")]))


def process_batch(articles: list[Article], stages: tuple[str, ...] = DEFAULT_STAGES) -> list[Record | ProcessError]:
    """Runs in a worker: the records (or errors) of one batch, in order."""
    return list(_pipeline(stages).process_many(articles))


def _failed(batch: list[Article], why: str) -> list[ProcessError]:
    return [ProcessError(a.id, why) for a in batch]


class _Windowed:
    """Submit batches, keep a bounded window in flight, collect them in submission order."""

    version: str
    window: int

    def _submit(self, batch: list[Article]):  # -> a future-like with .result(timeout) / .get(timeout)
        raise NotImplementedError

    def _collect(self, handle, batch: list[Article]) -> list[Record | ProcessError]:
        raise NotImplementedError

    def _run(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        pending: deque = deque()
        for batch in batches(articles, BATCH):
            pending.append((self._submit(batch), batch))
            if len(pending) >= self.window:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())


class WorkerPipeline:
    """``--workers N``: N processes on this machine, each with its own Pipeline."""

    def __init__(self, workers: int, stages: Iterable[str] | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
        self.workers = max(1, workers)
        self.stages = tuple(stages) if stages is not None else DEFAULT_STAGES
        self.version = pipeline_version(self.stages)
        self.window = self.workers * WINDOW
        self.timeout = (time_limit or DEFAULT_TIME_LIMIT) * BATCH + GRACE
        self._pool = None

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        # The pipeline is built and warmed here, then the workers are forked with it: each starts on its
        # first batch at once, sharing the model's pages, instead of importing newsgraph and loading the
        # model, word lists and gazetteer again (spawned workers spent ~2.5 s of CPU each doing that, 12%
        # of a 300-article run on two cores). Forked workers touch neither the reader nor the store, and
        # leave with os._exit, so the parent's open connections are not disturbed.
        warm(self.stages)
        self._pool = self._new_pool()
        try:
            yield from self._run_recovering(articles)
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))

    def _submit(self, batch: list[Article]):
        return self._pool.submit(process_batch, batch, self.stages)

    def _run_recovering(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        pending: deque[list] = deque()  # [future, batch, pool breaks it was in flight for]
        for batch in batches(articles, BATCH):
            try:
                handle = self._submit(batch)
            except BrokenProcessPool:  # a worker died since the last look
                self._recover(pending)
                handle = self._submit(batch)
            pending.append([handle, batch, 0])
            while len(pending) >= self.window:
                yield from self._next(pending)
        while pending:
            yield from self._next(pending)

    def _next(self, pending: deque[list]) -> Iterator[Record | ProcessError]:
        """The oldest batch's records, or nothing yet when a dead worker broke the pool: then the pool
        is forked again and the unfinished batches are sent again (a batch in flight at a second break
        comes back failed)."""
        handle, batch, breaks = pending[0]
        try:
            result = handle.result(timeout=self.timeout)
        except BrokenProcessPool:
            self._recover(pending)
            return
        except FutureTimeout:
            result = _failed(batch, f"its worker did not answer within {self.timeout:g} s (stuck)")
        except Exception as exc:  # a worker that raised outside the pipeline's own error handling
            result = _failed(batch, f"worker failed: {type(exc).__name__}: {exc}")
        pending.popleft()
        yield from result

    def _recover(self, pending: deque[list]) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        for item in pending:
            handle, batch, breaks = item
            if handle.done() and not isinstance(handle.exception(), BrokenProcessPool):
                continue  # finished before the break: its result stands
            if breaks >= 1:
                item[0] = _done(_failed(batch, "its worker died twice while it was in flight (killed, or "
                                               "an article that takes its worker down)"))
            else:
                item[0] = self._submit(batch)
            item[2] = breaks + 1


def _done(value):
    from concurrent.futures import Future

    future: Future = Future()
    future.set_result(value)
    return future


class DaskPipeline(_Windowed):
    """``--dask ADDRESS`` (a scheduler, ``tcp://host:8786`` or a scheduler file) or ``--dask local``
    (a local cluster of ``workers`` processes). The workers need newsgraph and its model installed,
    as on this machine; they load the model once each."""

    def __init__(self, address: str, workers: int = 2, stages: Iterable[str] | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
        from distributed import Client, LocalCluster

        self.stages = tuple(stages) if stages is not None else DEFAULT_STAGES
        self.version = pipeline_version(self.stages)
        self.timeout = (time_limit or DEFAULT_TIME_LIMIT) * BATCH + GRACE
        self.cluster = None
        if address == "local":
            import dask

            # fork: the workers start with newsgraph already imported here (spawn re-imports it in
            # each, seconds of CPU the workers would otherwise spend before their first batch)
            dask.config.set({"distributed.worker.multiprocessing-method": "fork"})
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                        dashboard_address=None, memory_limit="2GiB")
            self.client = Client(self.cluster)
        elif os.path.exists(address):
            self.client = Client(scheduler_file=address)
        else:
            self.client = Client(address)
        self.window = max(2, len(self.client.scheduler_info().get("workers", {})) or workers) * WINDOW

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        yield from self._run(articles)

    def _submit(self, batch: list[Article]):
        # pure=False: a batch is submitted once; Dask reruns it on another worker if its worker dies
        return self.client.submit(process_batch, batch, self.stages, pure=False, retries=2)

    def _collect(self, handle, batch: list[Article]) -> list[Record | ProcessError]:
        try:
            return handle.result(timeout=self.timeout)
        except (FutureTimeout, TimeoutError):
            handle.cancel()
            return _failed(batch, f"no result from the cluster within {self.timeout:g} s")
        except Exception as exc:  # the batch failed on every worker that tried it
            return _failed(batch, f"cluster task failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
