"""The pipeline: one spaCy parse per article, then registered stages in order.

    >>> from newsgraph.pipeline import Pipeline
    >>> record = Pipeline().process(article)

Stages know language, nothing about formats or storage. Each one is a function
of a :class:`Context` registered by name with what it requires and assigns (see
``registry.py``); the default run order is :data:`DEFAULT_STAGES`, and an order in
which a stage would read what no earlier stage wrote is refused.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from newsgraph import __version__, lexicon
from newsgraph.errors import ExtractionError, ProcessError, StageOrderError
from newsgraph.pipeline import counts, dates, entities, events, places, quotes, tone  # noqa: F401 (register)
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.parse import load_model
from newsgraph.pipeline.registry import STAGES, Stage, check_order
from newsgraph.record import Article, Record

DEFAULT_TIME_LIMIT = float(os.environ.get("NEWSGRAPH_TIME_LIMIT", 60))
# A long-form feature runs to about 60,000 characters; past this a text is a dump, not an article, and
# its parse alone would take minutes.
MAX_CHARS = int(os.environ.get("NEWSGRAPH_MAX_CHARS", 200_000))
ALONE_CHARS = 20_000  # texts this long are parsed on their own, so the time limit is theirs alone
DEFAULT_STAGES: tuple[str, ...] = ("entities", "places", "dates", "quotes", "counts", "events", "tone")


TIMEOUT_RETRY = 0.25  # seconds between the alarms after the first, until the limited block ends


@contextmanager
def time_limit(seconds: float | None):
    """Raise TimeoutError when the block runs longer than ``seconds`` (main thread only: elsewhere,
    where signals cannot reach, it does nothing)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    state = {"active": True}

    def expire(_signum, _frame):
        if state["active"]:
            raise TimeoutError(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    # and again every TIMEOUT_RETRY seconds until the block ends: a TimeoutError raised while Python
    # runs a callback whose errors it ignores (a gc callback, a finalizer) is lost, and one alarm
    # alone had let a hostile text parse for three times its limit
    signal.setitimer(signal.ITIMER_REAL, seconds, TIMEOUT_RETRY)
    try:
        yield
    finally:
        while True:  # an alarm landing here, before the timer is off, must not leave it running
            try:
                state["active"] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except TimeoutError:
                continue


def load_shared_data() -> None:
    """Load what the stages load once per process (the gazetteer's index, word frequencies) now, with
    the model, rather than inside the first article's time limit: on a busy machine that loading
    alone could make a short first article overrun a tight limit."""
    from wordfreq import zipf_frequency

    from newsgraph.pipeline.gazetteer import gazetteer

    gazetteer()
    zipf_frequency("news", "en")


class Pipeline:
    def __init__(self, stages: Iterable[str] | None = None, batch_size: int = 8,
                 time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
        self.stage_names = tuple(stages) if stages is not None else DEFAULT_STAGES
        self.stages: list[Stage] = check_order(self.stage_names)
        self.nlp = load_model()
        load_shared_data()
        self.batch_size = batch_size
        self.time_limit = time_limit  # seconds for one article's stages; a stuck article fails alone
        self.timings: dict[str, float] = {"parse": 0.0, **{n: 0.0 for n in self.stage_names}}
        self.version = pipeline_version(self.stage_names)

    def process(self, article: Article) -> Record:
        result = next(self.process_many([article]))
        if isinstance(result, ProcessError):
            raise ExtractionError(str(result))
        return result

    def process_many(self, articles: Iterable[Article]) -> Iterator[Record | ProcessError]:
        """Records in input order; short articles are parsed in batches (nlp.pipe), long ones alone.
        The time limit covers each article's parse and its stages."""
        english, other = _split_by_language(articles, self.version)
        for batch in batches(english, self.batch_size):
            t0 = time.perf_counter()
            docs = self._parse(batch)
            spent = time.perf_counter() - t0
            self.timings["parse"] += spent
            for article, (doc, seconds) in zip(batch, docs, strict=True):
                yield from other.flush_before(article)
                if isinstance(doc, ProcessError):
                    yield doc
                else:  # one limit for the whole article: its stages get what its parse left
                    yield self._run_stages(article, doc, spent / len(batch) if seconds is None else seconds)
        yield from other.flush_before(None)

    def _parse(self, batch: list[Article]) -> list[tuple]:
        """(Doc or ProcessError, parse seconds or None when parsed in the batch) per article. Too long
        is refused before any work; a batch that overruns its time is parsed again one article at a
        time, so only the slow one fails."""
        out: list[tuple] = [(None, None)] * len(batch)
        together = []
        for n, a in enumerate(batch):
            if len(a.text) > MAX_CHARS:
                out[n] = (ProcessError(a.id, f"text of {len(a.text):,} characters is longer than the {MAX_CHARS:,} "
                                             "an article may have (set NEWSGRAPH_MAX_CHARS to raise it)"), 0.0)
            elif len(a.text) > ALONE_CHARS:
                out[n] = self._parse_one(a)
            else:
                together.append(n)
        if together:
            try:
                with time_limit(self.time_limit and self.time_limit * len(together)):
                    docs = list(self.nlp.pipe([batch[n].text for n in together], batch_size=len(together)))
                for n, doc in zip(together, docs, strict=True):
                    out[n] = (doc, None)
            except TimeoutError:
                for n in together:
                    out[n] = self._parse_one(batch[n])
        return out

    def _parse_one(self, article: Article) -> tuple:
        t0 = time.perf_counter()
        try:
            with time_limit(self.time_limit):
                return self.nlp(article.text), time.perf_counter() - t0
        except TimeoutError as exc:
            return ProcessError(article.id, f"parse {exc}: the text is too hard to parse "
                                            "(raise NEWSGRAPH_TIME_LIMIT to give it longer)"), 0.0

    def _run_stages(self, article: Article, doc, parse_seconds: float = 0.0) -> Record | ProcessError:
        record = Record(article=article, pipeline_version=self.version)
        ctx = Context(article=article, doc=doc, record=record)
        name = ""
        left = self.time_limit and max(self.time_limit - parse_seconds, 0.5)
        try:
            with time_limit(left):
                for current in self.stages:
                    name = current.name
                    t = time.perf_counter()
                    try:
                        current(ctx)
                    finally:
                        self.timings[name] += time.perf_counter() - t
        except Exception as exc:  # one bad article never stops a batch
            return ProcessError(article.id, f"stage {name!r} failed: {type(exc).__name__}: {exc}")
        return record


class _NonEnglish:
    """Articles the English stages skip, kept in their input position."""

    def __init__(self, pipeline_version: str) -> None:
        self.queue: list[tuple[int, Article]] = []
        self.version = pipeline_version
        self.order: dict[int, int] = {}

    def flush_before(self, article: Article | None) -> Iterator[Record]:
        limit = self.order.get(id(article), 1 << 62) if article is not None else 1 << 62
        while self.queue and self.queue[0][0] < limit:
            _, a = self.queue.pop(0)
            yield Record(article=a, pipeline_version=self.version,
                         notes=[f"language {a.language!r} is not English: English-only stages skipped"])


def _split_by_language(articles: Iterable[Article], version: str) -> tuple[Iterator[Article], _NonEnglish]:
    other = _NonEnglish(version)

    def english() -> Iterator[Article]:
        for n, a in enumerate(articles):
            if is_english(a.language):
                other.order[id(a)] = n
                yield a
            else:
                other.queue.append((n, a))

    return english(), other


def batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Lists of ``size`` items (the last may be shorter), in order."""
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def is_english(language: str | None) -> bool:
    return not language or language.lower().split("-")[0] in ("en", "eng")


def pipeline_version(stage_names: Iterable[str]) -> str:
    """Changes when the package, the stage list or any data file (word lists, lexicons) changes, so
    stored records re-extract after an edit to a word list too."""
    digest = hashlib.sha1(",".join(stage_names).encode())
    digest.update(lexicon.fingerprint().encode())
    return f"{__version__}+{digest.hexdigest()[:6]}"


_default: Pipeline | None = None


def extract(article: Article) -> Record:
    """Process one article with the default pipeline (built once per process)."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default.process(article)


__all__ = ["Pipeline", "ProcessError", "extract", "DEFAULT_STAGES", "STAGES", "Context", "StageOrderError"]
