"""Exact and near-duplicate articles: the same wire story run by several outlets.

An exact duplicate has the same normalized text. A near-duplicate (a syndicated copy
with a new headline, a paragraph dropped or added, light edits) shares most of its
word shingles: MinHash estimates the Jaccard similarity of the shingle sets, and
locality-sensitive banding finds the few stored articles worth comparing, so the cost
of one lookup does not grow with the store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

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
