"""Agreement of two clusterings of the same items: BCubed and pairwise precision, recall, F1.

``predicted`` and ``gold`` map item -> cluster label. Used by `newsgraph eval --set stories`
and by `newsgraph stories rebuild` (incremental against batch).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    items = [i for i in gold if i in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    both = Counter((predicted[i], gold[i]) for i in items)
    pred_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    p = sum(both[(predicted[i], gold[i])] / pred_size[predicted[i]] for i in items) / len(items)
    r = sum(both[(predicted[i], gold[i])] / gold_size[gold[i]] for i in items) / len(items)
    return p, r, _f1(p, r)


def pairwise(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """Over all pairs of items: a pair is predicted linked when both share a predicted cluster."""
    items = [i for i in gold if i in predicted]
    both: defaultdict[tuple, int] = defaultdict(int)
    for i in items:
        both[(predicted[i], gold[i])] += 1
    pairs = lambda n: n * (n - 1) // 2  # noqa: E731
    linked_both = sum(pairs(n) for n in both.values())
    linked_pred = sum(pairs(n) for n in Counter(predicted[i] for i in items).values())
    linked_gold = sum(pairs(n) for n in Counter(gold[i] for i in items).values())
    p = linked_both / linked_pred if linked_pred else 1.0
    r = linked_both / linked_gold if linked_gold else 1.0
    return p, r, _f1(p, r)
