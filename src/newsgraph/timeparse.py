"""Small, deterministic date parsing shared by readers (page headers) and the dates stage.

We parse the handful of shapes news text uses ourselves instead of calling a
general parser: it is faster, never guesses a day the text did not give, and
behaves the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_RE = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?.*)?$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE}),?\s+(\d{{4}})$", re.I)
_MONTH_DAY_YEAR = re.compile(rf"^({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.I)
_WEEKDAY_PREFIX = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I
)


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date_line(line: str) -> str | None:
    """Parse a line that is only a date ('07 September 2025', 'Sep 08, 2025', '2025-09-07').

    Returns an ISO date (or datetime when the line has a time) or None.
    """
    s = _WEEKDAY_PREFIX.sub("", line.strip())
    m = _ISO.match(s)
    if m:
        d = safe_date(int(m[1]), int(m[2]), int(m[3]))
        if d is None:
            return None
        if m[4]:
            return f"{d.isoformat()}T{m[4]}:{m[5]}:{m[6] or '00'}"
        return d.isoformat()
    m = _DAY_MONTH_YEAR.match(s)
    if m:
        d = safe_date(int(m[3]), month_number(m[2]) or 0, int(m[1]))
        return d.isoformat() if d else None
    m = _MONTH_DAY_YEAR.match(s)
    if m:
        d = safe_date(int(m[3]), month_number(m[1]) or 0, int(m[2]))
        return d.isoformat() if d else None
    return None


def parse_iso_date(value: str | None) -> dt.date | None:
    """The date part of an ISO date/datetime string, or None."""
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    return safe_date(int(m[1]), int(m[2]), int(m[3])) if m else None


def iso_day(value: str | None) -> str | None:
    """The day ('2025-09-06') of an ISO date or date-time string, or None when it names no whole day
    ('2025-09', '', None). The one helper that turns a stored time into a day."""
    day = parse_iso_date(value)
    return day.isoformat() if day else None


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def published_bounds(value: str | None) -> tuple[str, str, str] | None:
    """(earliest, latest, precision) of the moments a published value can mean, as sortable UTC
    strings: '2025-09' is any moment of September ('month'), '2025-09-06' any of that day ('day'),
    '2025-09-06T07:40:00+02:00' one moment ('time'). None when the value is not a date.

    A vague value sorts by its latest moment, so a month-only date never sorts ahead of the exact
    times inside that month."""
    if not value:
        return None
    m = _PARTIAL.match(value.strip())
    if m:
        year, month, day = m[1], m[2], m[3]
        if day:
            return f"{year}-{month}-{day}T00:00:00", f"{year}-{month}-{day}T23:59:59", "day"
        if month:
            return f"{year}-{month}-01T00:00:00", f"{year}-{month}-31T23:59:59", "month"
        return f"{year}-01-01T00:00:00", f"{year}-12-31T23:59:59", "year"
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    exact = moment.isoformat(timespec="seconds")
    return exact, exact, "time"
