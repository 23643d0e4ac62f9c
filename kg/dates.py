"""Dates as newskg writes them: ISO strings at the precision the text gives.

One month table for every reader (ingest reads a page's publication date,
extract the dates of events) and the one place that knows what such a
string stands for: "2020" is a year, "2020-09" a month, "2020-09-09" a day.
The graph types them (xsd:gYear, xsd:gYearMonth, xsd:date) and the view
filters and prints them from here, so no two parts disagree about a month's
last day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def iso_parts(value: str) -> tuple[int, int | None, int | None] | None:
    """Year, month and day of an ISO date at any precision; None unless it names a real
    year, month or day ("2020-02-30" is none)."""
    match = _ISO.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None  # noqa: S101  # the pattern always captures the year
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and (month is None or not 1 <= day <= _month_days(year, month)):
        return None
    return year, month, day


def date_interval(value: str) -> tuple[str, str] | None:
    """The first and last day a date stands for, as comparable strings ("2020-02" →
    2020-02-01 … 2020-02-29); None for anything that is not a real date."""
    parts = iso_parts(value)
    if parts is None:
        return None
    year, month, day = parts
    if month is None:
        first, last = date(year, 1, 1), date(year, 12, 31)
    elif day is None:
        first, last = date(year, month, 1), date(year, month, _month_days(year, month))
    else:
        first = last = date(year, month, day)
    return first.isoformat(), last.isoformat()


def readable_date(value: str) -> str:
    """ "2020-09" → "Sep 2020", "2020-06-12" → "12 Jun 2020"; anything else as it is."""
    parts = iso_parts(value) if _ISO.fullmatch(value.strip()) else None
    if parts is None:
        return value
    year, month, day = parts
    if month is None:
        return str(year)
    name = f"{_SHORT_MONTHS[month - 1]} {year}"
    return f"{day} {name}" if day else name


def precision(value: str) -> str:
    """ "year", "month" or "day": what an ISO date string (`YYYY[-MM[-DD]]`) names."""
    return {4: "year", 7: "month", 10: "day"}[len(value)]


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
