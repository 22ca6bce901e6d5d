"""Same input, same output, before and after a refactoring: records, stories and exports compared
byte for byte between two source trees.

    python bench/identity.py --before /tmp/before       # a checkout of the 'before' commit
    git worktree add /tmp/before bf1b773 && python bench/identity.py --before /tmp/before

Each tree's own command line (``PYTHONPATH=TREE/src python -m newsgraph.cli``) extracts the repo's
fixtures (the seed, the Wikinews articles, the story fixtures) to JSON Lines, ingests them into a
fresh SQLite store, lists every story and shows each as JSON, and exports the store as JSON Lines,
CSV tables, GKG rows and Parquet (read back as rows: Parquet files carry the writer's metadata).
Wall-clock fields (a story's ``created_at`` and ``updated_at``, a change's ``at``) are the only things masked. Prints
one row per output with both digests; exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ["tests/fixtures/seed.txt", "tests/fixtures/wikinews.jsonl", "tests/fixtures/stories"]
WALL_CLOCK = {"created_at", "updated_at", "at"}


def _cli(tree: Path, *args: str, cwd: Path) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run([sys.executable, "-m", "newsgraph.cli", *args], cwd=cwd, env=env, capture_output=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree}: newsgraph {' '.join(args)} failed:\n{done.stderr.decode()[-2000:]}")
    return done.stdout


def _masked(value):
    if isinstance(value, dict):
        return {k: ("<time>" if k in WALL_CLOCK else _masked(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _parquet_rows(folder: Path) -> bytes:
    import pyarrow.parquet as pq

    out = []
    for path in sorted(folder.rglob("*.parquet")):
        rows = pq.read_table(path).to_pylist()
        out.append(json.dumps({"file": str(path.relative_to(folder)), "rows": rows}, default=str, sort_keys=True))
    return "\n".join(out).encode()


def outputs(tree: Path) -> dict[str, bytes]:
    """Every output of the tree's command line on the fixtures, by name."""
    work = Path(tempfile.mkdtemp(prefix="identity-"))
    inputs = [str(ROOT / f) for f in FIXTURES]
    db = str(work / "store.db")
    out = {"records.jsonl": _cli(tree, "extract", *inputs, "-f", "jsonl", cwd=work)}
    _cli(tree, "ingest", *inputs, "--db", db, cwd=work)
    listing = json.loads(_cli(tree, "stories", "--json", "--limit", "100", "--db", db, cwd=work))
    out["stories.json"] = json.dumps(listing, sort_keys=True).encode()
    for item in sorted(listing["items"], key=lambda s: s["id"]):
        story = json.loads(_cli(tree, "story", str(item["id"]), "--json", "--db", db, cwd=work))
        out[f"story-{item['id']}.json"] = json.dumps(_masked(story), ensure_ascii=False).encode()
    for fmt, target in (("jsonl", "export.jsonl"), ("gkg", "export.gkg.tsv"), ("csv", "csv"), ("parquet", "parquet")):
        _cli(tree, "export", "-f", fmt, "-o", str(work / target), "--db", db, cwd=work)
    out["export.jsonl"] = (work / "export.jsonl").read_bytes()
    out["export.gkg.tsv"] = (work / "export.gkg.tsv").read_bytes()
    for path in sorted((work / "csv").iterdir()):
        out[f"csv/{path.name}"] = path.read_bytes()
    out["parquet (rows)"] = _parquet_rows(work / "parquet")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, type=Path, help="the source tree of the 'before' commit")
    parser.add_argument("--after", type=Path, default=ROOT, help="the source tree to compare (default: this one)")
    args = parser.parse_args()
    before, after = outputs(args.before), outputs(args.after)
    print("| output | before | after | same |\n|---|---|---|---|")
    differ = 0
    for name in sorted(set(before) | set(after)):
        a, b = (hashlib.sha256(x[name]).hexdigest()[:12] if name in x else "-" for x in (before, after))
        same = name in before and name in after and before[name] == after[name]
        differ += not same
        print(f"| {name} | {a} | {b} | {'yes' if same else 'NO'} |")
    print(f"\n{len(set(before) | set(after)) - differ} of {len(set(before) | set(after))} outputs identical")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
