"""Dates: find date expressions and resolve them against article.published.

"September 5, 2025" -> 2025-09-05; "the night of September 4-5" -> a range;
"August 2025" -> 2025-08; "on Thursday", "yesterday", "overnight" -> days
counted from the publication date.
"""

from __future__ import annotations

import datetime as dt
import re

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.intervals import Intervals
from newsgraph.pipeline.registry import stage
from newsgraph.record import DateMention, DateRange
from newsgraph.timeparse import MONTH_RE, month_number, parse_iso_date, safe_date

_PREFIX = r"(?:(?:the\s+)?(?:night|morning|evening|afternoon|weekend)\s+of\s+)?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_PATTERNS = [
    ("mdy_range", rf"{_PREFIX}(?P<m>{MONTH_RE})\s+{_DAY}\s*[-–]\s*(\d{{1,2}})(?:,?\s+(\d{{4}}))?"),
    ("dmy_range", rf"{_PREFIX}{_DAY}\s*[-–]\s*(\d{{1,2}})\s+(?P<m>{MONTH_RE})(?:,?\s+(\d{{4}}))?"),
    ("mdy", rf"{_PREFIX}(?P<m>{MONTH_RE})\s+{_DAY}(?:,?\s+(\d{{4}}))?"),
    ("dmy", rf"{_PREFIX}{_DAY}\s+(?P<m>{MONTH_RE})(?:,?\s+(\d{{4}}))?"),
    ("my", rf"(?:in\s+|of\s+)?(?P<m>{MONTH_RE})\s+(\d{{4}})"),
    ("iso", r"(\d{4})-(\d{2})-(\d{2})"),
]
_COMPILED = [(kind, re.compile(r"\b" + p + r"\b", re.I)) for kind, p in _PATTERNS]


def _relative_re() -> re.Pattern:
    table = lexicon.table("relative_dates.json")
    words = sorted(table["phrases"], key=len, reverse=True)
    days = "|".join(table["weekdays"])
    return re.compile(r"\b(?:(?:on|last|this|next)\s+)?(?:" + days + r")\b|\b(?:" + "|".join(words) + r")\b", re.I)


def _year_for(month: int, day: int | None, published: dt.date | None) -> int | None:
    """A date without a year is the latest such date not far after publication."""
    if published is None:
        return None
    year = published.year
    candidate = safe_date(year, month, day or 1)
    if candidate and (candidate - published).days > 60:
        year -= 1
    return year


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    taken = Intervals(())
    out: list[DateMention] = []

    def add(start: int, end: int, value) -> None:
        if not taken.add_if_free(start, end):
            return
        out.append(DateMention(text=text[start:end], start=start, end=end, value=value))

    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            value = _absolute(kind, m, published)
            if value is not None:
                add(m.start(), m.end(), value)
    rel = _relative_re()
    weekdays = lexicon.table("relative_dates.json")["weekdays"]
    phrases = lexicon.table("relative_dates.json")["phrases"]
    for m in rel.finditer(text):
        words = m.group(0).lower().split()
        value = None
        if published is not None:
            if words[-1] in weekdays:
                back = (published.weekday() - weekdays.index(words[-1])) % 7
                if words[0] == "last" and back == 0:
                    back = 7
                value = (published - dt.timedelta(days=back)).isoformat()
            elif m.group(0).lower() in phrases:
                a, b = phrases[m.group(0).lower()]
                start, end = published + dt.timedelta(days=a), published + dt.timedelta(days=b)
                value = start.isoformat() if a == b else DateRange(start=start.isoformat(), end=end.isoformat())
        add(m.start(), m.end(), value)
    return sorted(out, key=lambda d: d.start)


def _absolute(kind: str, m: re.Match, published: dt.date | None):
    g = [x for x in m.groups()]
    if kind == "iso":
        d = safe_date(int(g[0]), int(g[1]), int(g[2]))
        return d.isoformat() if d else None
    month = month_number(m.group("m"))
    if month is None:
        return None
    if kind == "my":
        return f"{int(g[1]):04d}-{month:02d}"
    nums = [x for x in g if x is not None and x.isdigit()]
    if kind in ("mdy_range", "dmy_range"):
        d1, d2 = int(nums[0]), int(nums[1])
        year = int(nums[2]) if len(nums) > 2 else _year_for(month, d1, published)
        if year is None:
            return None
        a, b = safe_date(year, month, d1), safe_date(year, month, d2)
        if a and b and a < b:
            return DateRange(start=a.isoformat(), end=b.isoformat())
        return None
    day = int(nums[0])
    year = int(nums[1]) if len(nums) > 1 else _year_for(month, day, published)
    if year is None:
        return None
    d = safe_date(year, month, day)
    return d.isoformat() if d else None


def value_text(value) -> str | None:
    """A date value as one string: '2025-09-05' or '2025-09-04/2025-09-05'."""
    if value is None:
        return None
    if isinstance(value, DateRange):
        return f"{value.start}/{value.end}"
    return str(value)


@stage("dates", assigns=("dates",))
def dates(ctx: Context) -> None:
    ctx.record.dates.extend(find_dates(ctx.article.text, parse_iso_date(ctx.article.published)))
