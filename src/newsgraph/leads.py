"""A title for an article or story that has none: its first sentence, cut on a word boundary.
Shown marked as derived, never stored as the article's title."""

from __future__ import annotations

import re

MAX_CHARS = 140
# a sentence ends at . ! ? before a space and a capital, a digit or a quote mark, unless the
# word before the stop is a single capital (an initial: 'John F. Kennedy')
_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s+[\"“‘'A-Z0-9])")


def lead_sentence(text: str | None, max_chars: int = MAX_CHARS) -> str | None:
    """The first sentence of the first paragraph with words in it, at most ``max_chars``."""
    for paragraph in (text or "").split("\n"):
        paragraph = " ".join(paragraph.split())
        if sum(ch.isalpha() for ch in paragraph) < 3:
            continue
        end = _END.search(paragraph)
        sentence = paragraph[: end.start() + 1] if end else paragraph
        if len(sentence) <= max_chars:
            return sentence
        cut = sentence[:max_chars].rsplit(" ", 1)[0].rstrip(",;:—-")
        return cut + "…"
    return None
