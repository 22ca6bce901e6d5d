"""Matching rules shared by every scorer (written down in docs/evaluation.md).

The same rules apply to newsgraph and to every baseline measured beside it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

from newsgraph import lexicon
from newsgraph.names import fold

QUOTE_CHARS = {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'", "´": "'"}
DIRECT_MIN_F1 = 0.8  # token-overlap F1 for a direct quote to match
REPORTED_MIN_F1 = 0.5  # reported speech is judgement-heavy: half the words in common is a match

A = TypeVar("A")
B = TypeVar("B")


def normalize_quote(text: str) -> str:
    """Unify quote marks and apostrophes, collapse spaces, strip outer marks and trailing ,.;: ."""
    for k, v in QUOTE_CHARS.items():
        text = text.replace(k, v)
    text = " ".join(text.split())
    text = text.strip().strip("\"'").strip()
    return text.rstrip(",.;: ").lower()


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", normalize_quote(text))


def overlap_f1(a: str, b: str) -> float:
    """Bag-of-words F1 between two strings."""
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def fold_name(name: str | None) -> str:
    """Names compare without accents, case, punctuation, possessives or hyphens (names.fold)."""
    return fold(name) if name else ""


def _stem(word: str) -> str:
    return word[:5]


_TITLES = ("king", "queen", "prince", "princess", "emperor", "empress", "pope", "sultan", "emir", "sheikh")


def without_title_and_realm(folded: str) -> str:
    """A reference-style name without its leading title and trailing realm: 'queen rania of jordan'
    -> 'rania'. Titles here are the hereditary ones such names carry, not job titles."""
    words = folded.split()
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def name_matches(predicted: str | None, gold: str | None, aliases: Sequence[str] = ()) -> bool:
    """Speaker/person names: equal after folding, equal to a gold alias, the surname alone
    ('Merkel' for 'Angela Merkel'), or a country for '<Country> government' ('South Korea' for
    'South Korean government')."""
    p, g = fold_name(predicted), fold_name(gold)
    if not p or not g:
        return not p and not g
    if p == g or p in {fold_name(a) for a in aliases} or p.replace(" ", "") == g.replace(" ", ""):
        return True
    if p == without_title_and_realm(g):
        return True  # 'Abdullah II' for 'Abdullah II of Jordan', 'Rania' for 'Queen Rania of Jordan'
    if len(p.split()) == 1 and len(g.split()) > 2 and p == "".join(w[0] for w in g.split()):
        return True  # an acronym: 'KCNA' for 'Korean Central News Agency'
    pw, gw = p.split(), g.split()
    if len(pw) > 1 and len(gw) > 1 and pw[-1] == gw[-1] and (pw[0].startswith(gw[0]) or gw[0].startswith(pw[0])):
        return True  # a short first name: 'Cres Eastman' for 'Creswell Eastman'

    if len(pw) == 1 and len(gw) > 1 and pw[0] == gw[-1]:
        return True
    if len(gw) == 1 and len(pw) > 1 and gw[0] == pw[-1]:
        return True
    if gw[-1] == "government" and len(gw) > 1:
        # 'Chinese government' is spoken for by 'China' (demonyms as in data/demonyms.json)
        named = lexicon.table("demonyms.json").get(" ".join(gw[:-1]))
        if named and fold_name(named) == p:
            return True
        country = [_stem(w) for w in gw[:-1]]
        return [_stem(w) for w in pw] == country
    return False


def greedy_match(
    gold: Sequence[A], predicted: Sequence[B], score: Callable[[A, B], float], threshold: float
) -> list[tuple[int, int, float]]:
    """One-to-one pairs (gold index, predicted index, score), best scores first."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            s = score(g, p)
            if s >= threshold:
                pairs.append((s, i, j))
    pairs.sort(key=lambda x: -x[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for s, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j, s))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def object_matches(predicted: str | None, gold: str | None) -> bool:
    """Counted objects compare loosely: a content word in common (plural 's' ignored)."""
    def words(s: str | None) -> set[str]:
        return {w.rstrip("s") for w in fold_name(s).split() if len(w) > 2 and w not in _OBJECT_STOP}

    return bool(words(predicted) & words(gold))


_OBJECT_STOP = {"the", "and", "for", "per", "with", "from", "into", "that", "this", "their", "its", "our",
                "range", "each", "all", "other"}
