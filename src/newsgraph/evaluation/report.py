"""Tables for `newsgraph eval`: newsgraph and baselines side by side, per gold set."""

from __future__ import annotations

from typing import Any

BASELINE_NAMES = {
    "seed": "spaCy NER / textacy", "corpus": "spaCy NER / textacy", "polnear": "textacy",
    "gum-news": "spaCy NER", "article-extraction": "trafilatura default",
    "stories": "TF-IDF cosine + average linkage, threshold tuned on the same data; on AllSides linking only "
               "articles at most 3 days apart",
}


def markdown(results: dict[str, dict[str, Any]], baselines: dict[str, dict[str, Any]]) -> str:
    out = []
    for name, metrics in results.items():
        out.append(f"**{name}**" + (f" (baseline: {BASELINE_NAMES.get(name, 'spaCy NER')})"
                                    if name in baselines else ""))
        out.append("")
        if "skipped" in metrics:
            out.append(f"skipped: {metrics['skipped']}\n")
            continue
        base = baselines.get(name, {})
        out.append("| metric | newsgraph | baseline |")
        out.append("|---|---|---|")
        for key, value in metrics.items():
            b = base.get(key)
            out.append(f"| {key} | {_fmt(value)} | {'' if b is None else _fmt(b)} |")
        out.append("")
    return "\n".join(out)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)
