"""Exact and near-duplicate articles: the same wire story run by several outlets.

An exact duplicate has the same normalized text. A near-duplicate (a syndicated copy
with a new headline, a paragraph dropped or added, light edits) shares most of its
word shingles: MinHash estimates the Jaccard similarity of the shingle sets, and
locality-sensitive banding finds the few stored articles worth comparing, so the cost
of one lookup does not grow with the store.

Sharing words is not enough: short reports written from one template ("A man was shot in
X on Y; Z people were hurt") share most shingles across different events. A near-copy
whose figures, days or places differ from its original's (neither set holding the other,
as a dropped paragraph would) reports another event, and is no copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from newsgraph.names import fold
from newsgraph.record import normalize_text

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs at Jaccard 0.5 meet in a band 87% of the time, at 0.6 99%
ROWS = NUM_PERM // BANDS
SHINGLE = 4  # words per shingle
NEAR_DUPLICATE = 0.5  # estimated shingle Jaccard at or above which an article is a near-duplicate


@dataclass(frozen=True)
class Fingerprint:
    exact: str  # hash of the normalized text
    signature: bytes  # the MinHash values, uint64
    bands: tuple[str, ...]  # one key per band, for the lookup index


def exact_key(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:32]


def shingles(text: str) -> set[bytes]:
    words = fold(text).split()
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


def fingerprint(text: str) -> Fingerprint:
    from datasketch import (
        MinHash,  # imported here: it pulls in scipy (0.7 s), which reading a store never needs
    )

    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch(sorted(shingles(text)))
    values = np.asarray(m.hashvalues, dtype=np.uint64)
    bands = tuple(f"{b}:{hashlib.blake2b(values[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
                  for b in range(BANDS))
    return Fingerprint(exact_key(text), values.tobytes(), bands)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets."""
    va, vb = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.mean(va == vb))


def _either_holds(a: set[str], b: set[str]) -> bool:
    return a <= b or b <= a


def facts_differ(copy_keys: Iterable[str], original_keys: Iterable[str],
                 copy_places: Iterable[str] = (), original_places: Iterable[str] = ()) -> bool:
    """Whether a near-copy gives other figures ('n:' keys), other days ('d:') or other places than
    its original: then it is another event written from the same template."""
    from newsgraph.stories.features import DAY_PREFIX, FIGURE_PREFIX

    a, b = set(copy_keys), set(original_keys)
    for prefix in (FIGURE_PREFIX, DAY_PREFIX):
        if not _either_holds({k for k in a if k.startswith(prefix)}, {k for k in b if k.startswith(prefix)}):
            return True
    return not _either_holds({fold(p) for p in copy_places}, {fold(p) for p in original_places})
