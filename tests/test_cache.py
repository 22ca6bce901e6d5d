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


def test_after_another_writer_the_others_get_the_previous_page_while_one_computes(tmp_path):
    store = _store(tmp_path)
    cache, calls = VersionedCache(store.engine, version_ttl=0.0), []
    assert cache.get("stories", lambda: "before") == "before"
    store.ingest(Record(article=Article(id="a2", text="The council met again on Tuesday.")))  # another process's write
    computing = threading.Thread(target=lambda: cache.get("stories", _slow(calls, "after", 0.6)))
    computing.start()
    time.sleep(0.1)
    started = time.perf_counter()
    assert cache.get("stories", _slow(calls, "again")) == "before"  # answered at once, not after 0.6 s
    assert time.perf_counter() - started < 0.3
    computing.join()
    assert calls == ["after"] and cache.get("stories", lambda: "never") == "after"


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
