"""Quote marks: the one set of marks newsgraph knows, and the quoted stretches of a text.

Marks are paired paragraph by paragraph. A straight mark opens only after a space,
an opening bracket or a dash; an apostrophe never opens. An unbalanced mark is
recovered locally (a quote carried over a paragraph break, a closing mark whose
opening was lost before a speech verb), never by discarding the document. Closing
marks are looked up in an index of their positions, so a paragraph of marks that
never close is not scanned once per mark."""

from __future__ import annotations

import re
from bisect import bisect_left

from newsgraph.pipeline.cues import cue_forms
from newsgraph.pipeline.paragraphs import paragraph_spans

PAIRS = {"“": "”", '"': '"', "‘": "’", "'": "'", "«": "»", "„": "“"}


# what _closing_at accepts as the end of each opener's quote (a straight mark may close on a curly “
# after punctuation, a curly “ on a straight mark)
CLOSERS_OF = {opener: {close} | ({"“"} if opener == '"' else {'"'} if opener == "“" else set())
              for opener, close in PAIRS.items()}


CLOSING_MARKS = frozenset().union(*CLOSERS_OF.values())
OPENING_MARKS = frozenset(PAIRS)


def _is_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "'’":  # an apostrophe is not an opening mark
        return (before.isspace() or before in "([{—–-\"“") and after.isalnum()
    if text[i] == '"':  # a straight mark opens only after a space or an opening bracket or dash
        if before == "," and after == " " and _speech_word_before(text, i - 1):
            return True  # 'Wilkins said," [Warhol] liked ...": a mark misplaced before its space
        return (before.isspace() or before in "([{—–-:/") and not after.isspace()
    return not after.isspace() or before.isspace() or before in "([{—–-:"


def _speech_word_before(text: str, i: int) -> bool:
    """Whether the word ending at ``i`` is a speech verb ('said', 'says', 'added')."""
    m = re.search(r"([A-Za-z]+)$", text[max(0, i - 20) : i])
    return m is not None and m.group(1).lower() in cue_forms()


def _closing_at(text: str, i: int, opener: str) -> bool:
    ch = text[i]
    after = text[i + 1] if i + 1 < len(text) else " "
    if opener == '"' and ch == "“" and text[i - 1] in ".,!?" and (after.isspace() or after in ".,;"):
        return True  # 'decision.“ However': a mark of the wrong shape still closes after punctuation
    if ch != PAIRS[opener] and not (opener == "“" and ch == '"'):
        return False
    if ch in "'’":
        after = text[i + 1] if i + 1 < len(text) else " "
        return not after.isalnum()
    return True


def find_quote_marks(text: str) -> list[tuple[int, int]]:
    """(inside start, inside end) of every quoted stretch, paragraph by paragraph.

    A quote left open at a paragraph's end runs to that end when the next paragraph
    opens with a quote mark (the typographic convention for a quote over several
    paragraphs), or when the next paragraph closes it without opening one (then its
    start up to the closing mark is quoted too); otherwise the stray mark is ignored.
    """
    text = _doubled_marks_as_one(text)
    out: list[tuple[int, int]] = []
    paras = paragraph_spans(text)
    closers = _closer_positions(text)
    carried = False  # this paragraph continues a quote opened in the one before
    for n, (a, b) in enumerate(paras):
        i = a
        if carried:
            carried = False
            close = _dangling_close(text, a, b)
            if close is not None:
                if close > a:
                    out.append((a, close))
                i = close + 1
        elif (close := _attributed_close_without_opening(text, a, b)) is not None:
            out.append((a, close))  # 'It is time to say goodbye," Microsoft says': the opening mark was lost
            i = close + 1
        while i < b:
            ch = text[i]
            if ch in PAIRS and _is_opening(text, i):
                close = _find_close(text, i + 1, b, ch, closers)
                if close is not None:
                    first = i + 1
                    while first < close and text[first].isspace():
                        first += 1  # ('said," [Warhol] liked': the space belongs outside)
                    if close > first:
                        out.append((first, close))
                    i = close + 1
                    continue
                nxt = paras[n + 1] if n + 1 < len(paras) else None
                continues = nxt is not None and ch not in "'‘" and (
                    text[nxt[0]] in "“\"" or _dangling_close(text, nxt[0], nxt[1]) is not None)
                if continues:
                    end = b
                    while end > i + 1 and text[end - 1].isspace():
                        end -= 1
                    out.append((i + 1, end))
                    carried = text[nxt[0]] not in "“\""
                    break
            i += 1
    return out


_DOUBLED = re.compile(r"``|''")


def _doubled_marks_as_one(text: str) -> str:
    """The text with each ASCII double mark ('``' and "''", for a double quote mark in text typed or
    converted without curly quotes: ''Follow us,'' she said) written as a straight mark and a space, the
    space on the outside of the quote, so offsets are unchanged. An apostrophe pair before a letter or
    digit opens; elsewhere it closes."""
    if "''" not in text and "``" not in text:
        return text
    def one(m: re.Match[str]) -> str:
        after = text[m.end() : m.end() + 1]
        return ' "' if m.group() == "``" or after.isalnum() else '" '
    return _DOUBLED.sub(one, text)


def _attributed_close_without_opening(text: str, start: int, end: int) -> int | None:
    """A closing mark that nothing opened, right after sentence punctuation and right before a speech
    verb ('..., it's time to say goodbye," Microsoft says'): the quote ran from the paragraph's start."""
    close = _dangling_close(text, start, end)
    if close is None or close - start < 20 or text[close - 1] not in ",.!?":
        return None
    after = re.findall(r"[A-Za-z]+", text[close + 1 : close + 50].split(".")[0])[:4]
    return close if any(w.lower() in cue_forms() for w in after) else None


def _dangling_close(text: str, start: int, end: int) -> int | None:
    """The first closing double mark of a paragraph that none before it in the paragraph opened."""
    depth = 0
    for j in range(start, end):
        ch = text[j]
        if ch == "“" or (ch == '"' and _is_opening(text, j) and j != start):
            depth += 1
        elif ch == "”" or ch == '"':
            if depth == 0:
                return j
            depth -= 1
    return None


def _closer_positions(text: str) -> dict[str, list[int]]:
    """For each opening mark, the sorted positions of the marks that could close it."""
    at: dict[str, list[int]] = {}
    for i, ch in enumerate(text):
        if ch in CLOSING_MARKS:
            at.setdefault(ch, []).append(i)
    return {opener: sorted(i for ch in CLOSERS_OF[opener] for i in at.get(ch, ())) for opener in PAIRS}


def _find_close(text: str, start: int, end: int, opener: str, closers: dict[str, list[int]]) -> int | None:
    """The mark closing ``opener``, looked for only where a mark that can close it stands: a
    paragraph of 100,000 marks that never close is not scanned once per mark."""
    positions = closers[opener]
    for k in range(bisect_left(positions, start), len(positions)):
        j = positions[k]
        if j >= end:
            return None
        if _closing_at(text, j, opener):
            if opener in "'‘" and j - start > 300:  # single marks rarely quote long passages
                return None
            return j
    return None
