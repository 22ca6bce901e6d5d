"""The server's cache under load: one computation per missing page however many readers ask, the
previous page to the others meanwhile after another process wrote, and never an old page after this
server's own write. A real SQLite store; writes go through Store.ingest as a second process's would."""

from __future__ import annotations

import threading
import time

from newsgraph.record import Article, Record
from newsgraph.store import Store
from newsgraph.store.cache import VersionedCache


def _store(tmp_path) -> Store:
    store = Store(str(tmp_path / "cache.db"))
    store.ingest(Record(article=Article(id="a1", text="The council met on Monday.")))
    return store


def _slow(calls: list, value: str, seconds: float = 0.4):
    def compute() -> str:
        calls.append(value)
        time.sleep(seconds)
        return value
    return compute


def _in_threads(n: int, call) -> list:
    results: list = [None] * n

    def run(k: int) -> None:
        results[k] = call()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_twenty_readers_of_a_missing_page_compute_it_once(tmp_path):
    cache, calls = VersionedCache(_store(tmp_path).engine), []
    assert _in_threads(20, lambda: cache.get("stories", _slow(calls, "page"))) == ["page"] * 20
    assert calls == ["page"]


def test_after_another_writer_readers_get_the_previous_page_at_once_while_it_is_computed_again(tmp_path):
    store = _store(tmp_path)
    cache, calls = VersionedCache(store.engine, version_ttl=0.0), []
    assert cache.get("stories", lambda: "before") == "before"
    store.ingest(Record(article=Article(id="a2", text="The council met again on Tuesday.")))  # another process's write
    started = time.perf_counter()
    answers = _in_threads(10, lambda: cache.get("stories", _slow(calls, "after", 0.6)))
    assert answers == ["before"] * 10 and time.perf_counter() - started < 0.3  # no reader waited 0.6 s
    deadline = time.time() + 5
    while cache.get("stories", _slow(calls, "again")) != "after" and time.time() < deadline:
        time.sleep(0.05)
    assert calls == ["after"]  # computed once, in the background, for all of them
    assert cache.get("stories", lambda: "never") == "after"


def test_a_failed_background_computation_is_the_next_readers_error(tmp_path):
    store = _store(tmp_path)
    cache = VersionedCache(store.engine, version_ttl=0.0)
    assert cache.get("stories", lambda: "before") == "before"
    store.ingest(Record(article=Article(id="a2", text="The council met again on Tuesday.")))

    def broken() -> str:
        time.sleep(0.2)
        raise RuntimeError("the database went away")

    assert cache.get("stories", broken) == "before"  # the refresh fails in the background, unseen
    time.sleep(0.4)
    cache.changed()  # now no earlier page may be served: the reader computes, and sees the error
    try:
        cache.get("stories", broken)
        raise AssertionError("the error was swallowed")
    except RuntimeError as exc:
        assert "went away" in str(exc)
    assert cache.get("stories", lambda: "after") == "after"  # and a later reader computes it


def test_after_this_servers_own_write_no_reader_gets_the_old_page(tmp_path):
    store = _store(tmp_path)
    cache, calls = VersionedCache(store.engine, version_ttl=0.0), []
    assert cache.get("stories", lambda: "before") == "before"
    store.ingest(Record(article=Article(id="a2", text="The council met again on Tuesday.")))
    cache.changed()  # POST /api/articles: the poster must see its article in the next answer
    computing = threading.Thread(target=lambda: cache.get("stories", _slow(calls, "after", 0.4)))
    computing.start()
    time.sleep(0.1)
    assert cache.get("stories", _slow(calls, "again")) == "after"  # waited for the new page
    computing.join()
    assert calls == ["after"]


def test_what_the_cache_holds_is_answered_without_the_database_or_a_computation(tmp_path):
    from newsgraph.store.cache import MISSING

    store = _store(tmp_path)
    cache = VersionedCache(store.engine, version_ttl=1.0)

    def never() -> str:
        raise AssertionError("computed on the event loop")

    assert cache.get_now("stories", never) is MISSING  # no version known yet: a worker thread reads it
    assert cache.get("stories", lambda: "before") == "before"
    cache.engine = None  # from here, any database read fails
    assert cache.get_now("stories", never) == "before"
    cache.engine = store.engine
    store.ingest(Record(article=Article(id="a2", text="The council met again on Tuesday.")))  # another process
    time.sleep(1.05)
    assert cache.get_now("stories", never) is MISSING  # the version is due to be read again
    cache.version()  # a worker thread reads it
    calls: list = []
    assert cache.get_now("stories", _slow(calls, "after", 0.2)) == "before"  # at once, computed in the background
    deadline = time.time() + 5
    while cache.get_now("stories", never) != "after" and time.time() < deadline:
        time.sleep(0.05)
    assert calls == ["after"] and cache.get_now("stories", never) == "after"
