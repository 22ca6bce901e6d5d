"""Paragraphs of an article's text: their spans, and the one a position falls in."""

from __future__ import annotations

import re


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def para_bounds(pos: int, paras: list[tuple[int, int]]) -> tuple[int, int]:
    return next(((a, b) for a, b in paras if a <= pos <= b), (0, 0))
