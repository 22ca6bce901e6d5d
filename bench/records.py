"""Records before and after a change: save every record of a fixed set of articles, then compare.

    python bench/records.py save /tmp/before.jsonl      # on the commit before the change
    python bench/records.py compare /tmp/before.jsonl   # on the commit after it

The set: the seed and the Wikinews corpus (repository fixtures), the story fixtures, and PolNeAR dev
when ../shared is there (it says so when not). ``pipeline_version`` is left out of the comparison: it
is meant to change with the code and the data files. ``compare`` prints each article whose record
differs with the first differing field, and exits 1 when any does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.evaluation import find_shared  # noqa: E402
from newsgraph.evaluation.polnear import load as load_polnear  # noqa: E402
from newsgraph.pipeline import Pipeline, ProcessError  # noqa: E402
from newsgraph.readers import read_path  # noqa: E402
from newsgraph.record import Article  # noqa: E402

FIXTURES = ["tests/fixtures/seed.txt", "tests/fixtures/wikinews.jsonl",
            *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests/fixtures/stories").glob("*.jsonl"))]


def articles() -> Iterator[Article]:
    for path in FIXTURES:
        for item in read_path(str(ROOT / path)):
            if isinstance(item, Article):
                yield item
    shared = find_shared()
    if shared is None:
        print("../shared not found: PolNeAR dev left out", file=sys.stderr)
        return
    for name, text, _ in load_polnear(shared / "bench" / "polnear", "dev"):
        yield Article(id=f"polnear-dev/{name}", text=text)


def records() -> Iterator[tuple[str, dict]]:
    for result in Pipeline().process_many(articles()):
        if isinstance(result, ProcessError):
            yield result.article_id, {"error": result.message}
            continue
        data = json.loads(result.to_json())
        data.pop("pipeline_version", None)
        yield result.article.id, data


def first_difference(a, b, path: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{path or '/'}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            diff = first_difference(a.get(key), b.get(key), f"{path}/{key}")
            if diff:
                return diff
        return None
    if isinstance(a, list):
        for n, (x, y) in enumerate(zip(a, b, strict=False)):  # a length difference is reported below
            diff = first_difference(x, y, f"{path}/{n}")
            if diff:
                return diff
        return f"{path}: {len(a)} items != {len(b)}" if len(a) != len(b) else None
    return None if a == b else f"{path}: {str(a)[:120]!r} != {str(b)[:120]!r}"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    command, path = argv
    if command == "save":
        with open(path, "w", encoding="utf-8") as out:
            n = 0
            for article_id, data in records():
                out.write(json.dumps({"id": article_id, "record": data}, sort_keys=True) + "\n")
                n += 1
        print(f"saved {n} records to {path}")
        return 0
    before = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            before[row["id"]] = row["record"]
    now = dict(records())
    differing = 0
    for article_id in sorted(set(before) | set(now)):
        diff = first_difference(before.get(article_id), now.get(article_id))
        if diff:
            differing += 1
            print(f"{article_id}: {diff}")
    print(f"{len(now)} records compared with {len(before)} saved: {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
