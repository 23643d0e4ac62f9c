"""Read the dates news pages print, without guessing.

A wrong publication date silently shifts every relative date ("last month")
the extract stage resolves against it, so this module returns `None` rather
than guess: no relative dates ("6 hours ago"), no bare years (a copyright
line), and no numeric day/month order it cannot tell apart ("09/10/2020").
Written with regexes and a month table so that ingest needs no date library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from kg.dates import MONTHS, WEEKDAYS

# Pages print weekdays short too: "Tue., Sept. 8, 2020".
_WEEKDAY_WORDS: tuple[str, ...] = (
    *WEEKDAYS, "mon", "tues", "tue", "wed", "thurs", "thur", "thu", "fri", "sat", "sun",
)  # fmt: skip

# Years outside this range are page furniture or typos, not publication dates.
MIN_YEAR, MAX_YEAR = 1900, 2100


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "september" wins over "sep" in the alternation.
    return "|".join(sorted(words, key=len, reverse=True))


_MONTH = rf"(?P<month>{_alternation(MONTHS)})\b\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = rf"(?:(?:{_alternation(_WEEKDAY_WORDS)})\b\.?,?\s+)"
_TIME = (
    r"(?:\s*(?:,|\bat\b|[-–—|•·])?\s*"
    r"\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*[ap]\.?\s?m\.?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|\(?(?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?|\(?[A-Z]{2,5}\)?))?)"
)

# Each pattern is one way of writing a calendar date; named groups say which
# part is which. Numeric day/month forms use groups a and b (order unknown).
DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # ISO 8601: 2020-09-09, 2020-09-09T10:00:00Z
        rf"{_YEAR}-(?P<mon>\d{{1,2}})-(?P<day>\d{{1,2}})"
        r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?",
        # Year first with slashes or dots is always year/month/day: 2020/09/09
        rf"{_YEAR}\s*[/.]\s*(?P<mon>\d{{1,2}})\s*[/.]\s*(?P<day>\d{{1,2}})",
        # Aug 29, 2020 / June 12, 2020 / Sept. 9, 2020
        rf"{_MONTH}\s*{_DAY},?\s+{_YEAR}",
        # 9 September 2020 / 9th of September, 2020
        rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",
        # 28/10/2021, 28 - 10 - 2021, 10.28.2021: kept only when unambiguous
        r"(?P<a>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*" + _YEAR,
    )
)

_LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(rf"^\s*{_WEEKDAY}?(?:{p.pattern}){_TIME}?\s*$", re.IGNORECASE) for p in DATE_PATTERNS
)
_SEARCH_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(rf"(?<![\w/.-])(?:{p.pattern})(?![\w/-])", re.IGNORECASE) for p in DATE_PATTERNS
)
# A date that closes a line. Scraped bylines glue it to the name before it
# ("Public AffairsMay 23, 2025"), so a lower-case letter may precede it.
_TRAILING_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(
        rf"(?:(?<![\w/.-])|(?-i:(?<=[a-z])(?=[A-Z]))){_WEEKDAY}?(?:{p.pattern}){_TIME}?\s*$",
        re.IGNORECASE,
    )
    for p in DATE_PATTERNS
)


def _to_date(match: re.Match[str]) -> date | None:
    """Turn a pattern match into a date, or None when invalid or ambiguous."""
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = MONTHS[groups["month"].lower()]
        day = int(groups["day"])
    elif groups.get("mon"):
        month, day = int(groups["mon"]), int(groups["day"])
    else:
        a, b = int(groups["a"]), int(groups["b"])
        if a == b or (a > 12) != (b > 12):
            # Only one reading is a valid date (or both give the same date).
            day, month = (a, b) if a > 12 or a == b else (b, a)
        else:
            return None  # 09/10/2020: September 10 or 9 October? Do not guess.
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_date_line(text: str) -> bool:
    """True when `text` is nothing but a date (with optional weekday and time).

    Such lines are page furniture, never body text, even when the date in
    them is ambiguous and `parse_date` declines to read it.
    """
    return any(p.match(text) for p in _LINE_PATTERNS)


def parse_date(text: str) -> date | None:
    """Read `text` as a date if the whole string is one, e.g. "9 September 2020, 17:30".

    Returns None when the string holds anything else, or an ambiguous or
    invalid date.
    """
    for pattern in _LINE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _to_date(match)
    return None


def find_date(text: str) -> date | None:
    """Find the first readable date inside a labelled value such as "Published: Aug 29, 2020".

    Use only where the context already says "this is a date" (a metadata
    label or a `<meta>` tag); a date inside prose is not a publication date.
    """
    found: list[tuple[int, date]] = []
    for pattern in _SEARCH_PATTERNS:
        for match in pattern.finditer(text):
            value = _to_date(match)
            if value is not None:
                found.append((match.start(), value))
                break
    return min(found)[1] if found else None


def split_trailing_date(text: str) -> tuple[str, date] | None:
    """Split "By Jane Doe | March 3, 2024" into the text before the date and the date.

    Returns None when the line does not end with a readable date.
    """
    for pattern in _TRAILING_PATTERNS:
        match = pattern.search(text)
        if match:
            value = _to_date(match)
            return (text[: match.start()], value) if value is not None else None
    return None
