"""``--dask ADDRESS``: the pipeline on a Dask cluster, the same records in the same order.

A scheduler address (``tcp://host:8786``), a scheduler file, or ``local`` (a local cluster of
``workers`` processes, started when the runner is entered or first used and closed with it). The
workers need newsgraph and its model installed; each loads the model once. Batches go out as
``WorkerPool``'s do, a bounded window in flight; Dask itself runs a lost worker's batch again
elsewhere. The Dask settings the local cluster needs are scoped to its start, not set for the process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout

from newsgraph.errors import ProcessError
from newsgraph.pipeline import DEFAULT_STAGES, DEFAULT_TIME_LIMIT, batches, pipeline_version
from newsgraph.pipeline.registry import check_order
from newsgraph.record import Article, Record
from newsgraph.runners.local import Closing, failed, process_batch
from newsgraph.runners.pool import BATCH, GRACE, WINDOW


class DaskRunner(Closing):
    def __init__(self, address: str, workers: int = 2, stages: Iterable[str] | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
        if not address:
            raise ValueError("a Dask address is a scheduler (tcp://host:8786), a scheduler file, or 'local'")
        self.address = address
        self.workers = max(1, workers)
        self.stages = tuple(stages) if stages is not None else DEFAULT_STAGES
        check_order(self.stages)
        self.version = pipeline_version(self.stages)
        self.time_limit = time_limit
        self.timeout = (time_limit or DEFAULT_TIME_LIMIT) * BATCH + GRACE
        self.client = None
        self.cluster = None

    def __enter__(self) -> DaskRunner:
        self.connect()
        return self

    def connect(self) -> None:
        """Connect to the scheduler, or start the local cluster (once)."""
        if self.client is not None:
            return
        from distributed import Client, LocalCluster

        if self.address == "local":
            import dask

            # fork: the workers start with newsgraph already imported here (spawn re-imports it in
            # each, seconds of CPU the workers would otherwise spend before their first batch)
            with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}):
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address=None, memory_limit="2GiB")
            self.client = Client(self.cluster)
        elif os.path.exists(self.address):
            self.client = Client(scheduler_file=self.address)
        else:
            self.client = Client(self.address)

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        self.connect()
        window = max(2, len(self.client.scheduler_info().get("workers", {})) or self.workers) * WINDOW
        pending: deque = deque()
        for batch in batches(articles, BATCH):
            # pure=False: a batch is submitted once; Dask reruns it on another worker if its worker dies
            pending.append((self.client.submit(process_batch, batch, self.stages, self.time_limit,
                                                  pure=False, retries=2), batch))
            if len(pending) >= window:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _collect(self, future, batch: list[Article]) -> list[Record | ProcessError]:
        try:
            return future.result(timeout=self.timeout)
        except (FutureTimeout, TimeoutError):
            future.cancel()
            return failed(batch, f"no result from the cluster within {self.timeout:g} s")
        except Exception as exc:  # the batch failed on every worker that tried it
            return failed(batch, f"cluster task failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
