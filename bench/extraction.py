"""HTML extraction speed and quality: newsgraph's HTML reader against trafilatura's defaults.

    python bench/extraction.py [--rounds 2] [--json] [--update-readme]

Reads ../shared/bench/article-extraction (181 pages) when present and says so when not.
Both run in the same process, alternating rounds; the best round of each is kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import markdown_table, update_readme  # noqa: E402
from newsgraph.evaluation import find_shared  # noqa: E402
from newsgraph.evaluation.extraction import load, ours, score, trafilatura_default  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()
    shared = find_shared()
    folder = shared / "bench" / "article-extraction" if shared else None
    if folder is None or not (folder / "ground-truth.json").exists():
        print("skipped: ../shared/bench/article-extraction not found")
        return
    pages = load(folder)
    best: dict[str, tuple[list, float]] = {}
    for _ in range(args.rounds):
        for name, fn in (("trafilatura default", trafilatura_default), ("newsgraph", ours)):
            pairs, seconds = fn(pages)
            if name not in best or seconds < best[name][1]:
                best[name] = (pairs, seconds)
    rows = {name: {**score(pairs), "pages_per_s": round(len(pages) / s, 1)} for name, (pairs, s) in best.items()}
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    body = markdown_table(["extractor", "precision", "recall", "F1", "pages/s"],
                          [[n, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
                            f"{r['pages_per_s']:.1f}"] for n, r in rows.items()])
    body += f"\n{len(pages)} pages; ratio newsgraph / trafilatura pages/s: " \
            f"{rows['newsgraph']['pages_per_s'] / rows['trafilatura default']['pages_per_s']:.2f}\n"
    print(body)
    if args.update_readme:
        update_readme("bench:extraction", body, "python bench/extraction.py --update-readme")


if __name__ == "__main__":
    main()
