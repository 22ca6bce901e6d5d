"""``--workers N`` and the API's extraction: the pipeline in a pool of worker processes.

Articles go out in batches (each parsed with ``nlp.pipe`` by one worker); records come back in input
order; the reader and the one writer stay in this process. A bounded window of batches is in flight,
so memory does not grow with the input. The pool is started on first use and kept until ``close``,
so a server or ``watch`` pays for the workers once.

A dead worker is noticed at once (the pool breaks): a new pool is started and the batches that were
in flight are sent again; a batch in flight at a second break is reported failed by name (it may be
the one that kills its worker). A batch that overruns its time limit plus a grace is reported failed
and the pool's workers are killed, so a stuck parse does not keep a worker busy for ever; the other
batches in flight are sent again.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from newsgraph.errors import ProcessError
from newsgraph.pipeline import DEFAULT_STAGES, DEFAULT_TIME_LIMIT, batches, pipeline_version
from newsgraph.pipeline.registry import check_order
from newsgraph.record import Article, Record
from newsgraph.runners.local import Closing, failed, process_batch, warm

BATCH = 4  # articles per task: small, so the last batches leave no worker idle long
WINDOW = 3  # batches in flight per worker
GRACE = 30.0  # seconds past a batch's own time limit before its worker is given up on
START_METHODS = ("fork", "spawn")


def _note_pid(started) -> None:
    """Runs first in each worker: tells the pool its process id, so a stuck worker can be killed."""
    started.put(os.getpid())


class WorkerPool(Closing):
    """``workers`` processes, each with its own Pipeline.

    ``start='fork'`` (the CLI) builds and warms the pipeline here first and forks the workers from
    it: each starts on its first batch at once, sharing the model's pages. ``start='spawn'`` (the
    server, whose threads a fork would copy mid-flight) starts fresh interpreters that load the
    model on their first batch, and keeps it out of the server's memory.
    """

    def __init__(self, workers: int = 2, stages: Iterable[str] | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT, start: str = "fork", batch_size: int = BATCH,
                 grace: float = GRACE) -> None:
        if start not in START_METHODS:
            raise ValueError(f"start must be one of {', '.join(START_METHODS)}, not {start!r}")
        self.workers = max(1, workers)
        self.stages = tuple(stages) if stages is not None else DEFAULT_STAGES
        check_order(self.stages)
        self.version = pipeline_version(self.stages)
        self.start = start
        self.batch_size = max(1, batch_size)
        self.window = self.workers * WINDOW
        self.time_limit = time_limit
        self.timeout = (time_limit or DEFAULT_TIME_LIMIT) * self.batch_size + grace
        self._lock = threading.RLock()
        self._pool: ProcessPoolExecutor | None = None
        self._started = None  # the queue workers put their process ids on
        self._pids: set[int] = set()

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        pending: deque[list] = deque()  # [future, batch, pool it was sent to, breaks it was in flight for]
        for batch in batches(articles, self.batch_size):
            pending.append(self._send(batch))
            while len(pending) >= self.window:
                yield from self._next(pending)
        while pending:
            yield from self._next(pending)

    def close(self) -> None:
        """Stop the workers. They are told to leave and then ended by signal: a spawned worker holds
        both ends of its task queue, so one whose parent exits before the word reaches it (a server
        stopped with SIGTERM) would otherwise wait for work for ever, with the model in memory."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                self._kill_workers(signal.SIGTERM)
            self._started, self._pids = None, set()  # ids of exited workers may be reused: never kill them later

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context(self.start)
                if self.start == "fork":
                    warm(self.stages, self.time_limit)
                self._started = context.SimpleQueue()
                self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_note_pid,
                                                 initargs=(self._started,))
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """A fresh pool in place of ``broken`` (once, however many callers saw it break); its
        workers are killed first, as one of them may be stuck."""
        with self._lock:
            if self._pool is broken:
                self._kill_workers()
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            return self._current()

    def worker_pids(self) -> set[int]:
        """The process ids of the workers started so far (for a test or a monitor)."""
        with self._lock:
            while self._started is not None and not self._started.empty():
                self._pids.add(self._started.get())
            return set(self._pids)

    def _kill_workers(self, sig: int = signal.SIGKILL) -> None:
        for pid in self.worker_pids():
            with contextlib.suppress(ProcessLookupError):  # it had already left
                os.kill(pid, sig)
        self._pids.clear()

    def _send(self, batch: list[Article], breaks: int = 0) -> list:
        pool = self._current()
        try:
            future = pool.submit(process_batch, batch, self.stages, self.time_limit)
        except (BrokenProcessPool, RuntimeError):  # a worker died since the last look, or another caller replaced it
            pool = self._replace(pool)
            future = pool.submit(process_batch, batch, self.stages, self.time_limit)
        return [future, batch, pool, breaks]

    def _next(self, pending: deque[list]) -> Iterator[Record | ProcessError]:
        """The oldest batch's records; nothing yet when a dead worker broke its pool (the batches in
        flight are sent again to a new one)."""
        future, batch, pool, _ = pending[0]
        try:
            result = future.result(timeout=self.timeout)
        except (BrokenProcessPool, CancelledError):
            self._resend(pending, pool, broke=True)
            return
        except FutureTimeout:
            pending.popleft()
            self._resend(pending, pool, broke=False)
            yield from failed(batch, f"its worker did not answer within {self.timeout:g} s (stuck) and was stopped")
            return
        except Exception as exc:  # a worker that raised outside the pipeline's own error handling
            result = failed(batch, f"worker failed: {type(exc).__name__}: {exc}")
        pending.popleft()
        yield from result

    def _resend(self, pending: deque[list], pool: ProcessPoolExecutor, broke: bool) -> None:
        self._replace(pool)
        for item in pending:
            future, batch, sent_to, breaks = item
            if sent_to is not pool or (future.done() and not future.cancelled()
                                       and not isinstance(future.exception(), BrokenProcessPool)):
                continue  # on another pool, or finished before the break: its result stands
            if broke and breaks >= 1:
                item[0] = _done(failed(batch, "its worker died twice while it was in flight (killed, or "
                                              "an article that takes its worker down)"))
            else:
                item[:] = self._send(batch, breaks + broke)


def _done(value) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future
