"""Temporal expressions → ISO dates at the precision the text gives.

Relative expressions ('last month', 'Thursday', 'in January') are read
against the article's publication date. Without one, a weekday or a day of
a month ('on Tuesday', 'Feb. 27') is read against a full date the story
itself gives (a photo caption's 'Aug. 30, 2021'), as the day nearest it;
anything else is dated only when it carries its own year: no date is better
than a guessed one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from kg.dates import MONTHS, WEEKDAYS

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH_DAY = re.compile(
    r"\b(?P<month>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\b\.?(?:\s+(?P<day>\d{1,2})\b)?",
    re.I,
)
_DAY_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\b",
    re.I,
)
# "this year", "last month"; "the end of the year": the current one, as news uses it
_RELATIVE_UNIT = re.compile(
    r"\b(this|last|next|past|previous|coming|(?:end|start|beginning|middle|rest) of the)\s+"
    r"(week|month|year)\b",
    re.I,
)
_AGO = re.compile(
    r"\b(a|one|two|three|four|five|six|\d+)\s+(month|year)s?\s+(ago|earlier|later)\b", re.I
)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_DATES = (
    re.compile(  # 'Aug. 30, 2021'
        rf"\b(?P<month>{_MONTH_NAMES})\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
        r"(?P<year>(?:19|20)\d\d)\b",
        re.I,
    ),
    re.compile(  # '30 August 2021'
        rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_NAMES})\b\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
        re.I,
    ),
)


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _month_iso(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _year_for_month(month: int, published: date, *, past: bool, text: str) -> int:
    """The year of a month named without one, seen from the publication date."""
    lowered = text.lower()
    if "next" in lowered or (not past and month < published.month):
        return published.year + (month <= published.month)
    if "last" in lowered or (past and month > published.month):
        return published.year - 1
    return published.year


def _weekday(text: str, published: date, *, past: bool) -> str | None:
    lowered = text.lower()
    for number, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", lowered):
            delta = (published.weekday() - number) % 7
            if past:
                return (published - timedelta(days=delta)).isoformat()
            return (published + timedelta(days=(number - published.weekday()) % 7)).isoformat()
    return None


def _nearest_weekday(text: str, story: date) -> str | None:
    """The named weekday nearest the story's date, before or after it."""
    lowered = text.lower()
    for number, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", lowered):
            ahead = (number - story.weekday()) % 7
            return (story + timedelta(days=ahead if ahead <= 3 else ahead - 7)).isoformat()
    return None


def _nearest_day(month: int, day: int, story: date) -> str | None:
    """The date of a month and day nearest the story's date, in its year or a neighbour."""
    options = []
    for year in (story.year - 1, story.year, story.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    return min(options, key=lambda d: abs((d - story).days)).isoformat()


def story_date(text: str) -> date | None:
    """The latest full date (month, day and year) a text gives, e.g. in a photo caption."""
    found = []
    for match in (m for pattern in _FULL_DATES for m in pattern.finditer(text)):
        try:
            found.append(
                date(int(match["year"]), MONTHS[match["month"].lower()], int(match["day"]))
            )
        except ValueError:
            continue
    return max(found, default=None)


def _relative(text: str, published: date) -> str | None:
    lowered = text.lower()
    if re.search(r"\btoday\b|\btonight\b", lowered):
        return published.isoformat()
    if re.search(r"\byesterday\b", lowered):
        return (published - timedelta(days=1)).isoformat()
    if re.search(r"\btomorrow\b", lowered):
        return (published + timedelta(days=1)).isoformat()
    match = _RELATIVE_UNIT.search(text)
    if match:
        step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}
        offset = step.get(match[1].lower(), 0)  # "the end of the year" is this year's end
        unit = match[2].lower()
        if unit == "year":
            return f"{published.year + offset:04d}"
        if unit == "month":
            return _month_iso(*_shift_month(published, offset))
        return _month_iso(*_shift_month(published + timedelta(weeks=offset), 0))
    return None


def _counted(text: str, published: date | None, anchor: str | None) -> str | None:
    """'two months ago' from publication; 'two months later' from the last date the story gave."""
    match = _AGO.search(text)
    if not match:
        return None
    count = _NUMBER_WORDS.get(match[1].lower()) or int(match[1])
    if match[3].lower() == "ago":
        if published is None:
            return None
        start, sign = published, -1
    else:
        if anchor is None:
            return None
        start = date.fromisoformat((anchor + "-01-01")[:10])
        sign = 1 if match[3].lower() == "later" else -1
    if match[2].lower() == "year":
        return f"{start.year + sign * count:04d}"
    if anchor is not None and len(anchor) == 4 and match[3].lower() != "ago":
        return None  # months from a bare year: the month is unknown
    return _month_iso(*_shift_month(start, sign * count))


def normalise_date(
    text: str,
    published: date | None,
    *,
    past: bool = True,
    anchor: str | None = None,
    story: date | None = None,
) -> str | None:
    """ISO 8601 for a temporal expression: '2003' → '2003', 'Jan. 8' → '2020-01-08'.

    Args:
        text: the expression, e.g. 'in January', 'by November', 'last week'.
        published: the article's publication date, for relative expressions.
        past: whether the event it dates is reported as past (else planned).
        anchor: the date the story last gave, for 'two months later'.
        story: a full date the story gives, for weekdays and days of a month
            when there is no publication date.
    """
    counted = _counted(text, published, anchor)
    if counted:
        return counted
    year_match = _YEAR.search(text)
    month_match = _DAY_MONTH.search(text) or _MONTH_DAY.search(text)
    if month_match:
        month = MONTHS[month_match["month"].lower()]
        day = int(month_match["day"]) if month_match["day"] else None
        if year_match:
            year = int(year_match[1])
        elif published:
            year = _year_for_month(month, published, past=past, text=text)
        elif story and day:
            return _nearest_day(month, day, story)
        else:
            return None
        if day and 1 <= day <= 31:
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return _month_iso(year, month)
        return _month_iso(year, month)
    if year_match:
        return year_match[1]
    if published is None:
        return _nearest_weekday(text, story) if story else None
    return _relative(text, published) or _weekday(text, published, past=past)
