"""Dates as news pages print them, and the strings that must not become dates."""

from __future__ import annotations

from datetime import date

import pytest

from kg.ingest.dates import find_date, is_date_line, parse_date, split_trailing_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aug 29, 2020", date(2020, 8, 29)),
        ("June 12, 2020", date(2020, 6, 12)),
        ("9 September 2020, 17:30", date(2020, 9, 9)),
        ("2020-09-09", date(2020, 9, 9)),
        ("2020-09-09T10:00:00Z", date(2020, 9, 9)),
        ("2020-09-09T23:30:00+03:00", date(2020, 9, 9)),  # the local date, as printed
        ("Sept. 9, 2020", date(2020, 9, 9)),
        ("Sep 9 2020", date(2020, 9, 9)),
        ("Wednesday 9 September 2020", date(2020, 9, 9)),
        ("Wednesday, September 9, 2020 10:00 AM ET", date(2020, 9, 9)),
        ("9th of September, 2020", date(2020, 9, 9)),
        ("  12 June 2020 ", date(2020, 6, 12)),
        ("2020/06/12", date(2020, 6, 12)),
        ("09/09/2020", date(2020, 9, 9)),  # day and month agree: unambiguous
        ("28/10/2021", date(2021, 10, 28)),  # 28 cannot be a month
        ("THU 28 - 10 - 2021", date(2021, 10, 28)),
    ],
)
def test_dates_parse_date_reads_printed_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected
    assert is_date_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "09/10/2020",  # 9 October or September 10: never guessed
        "31 February 2020",
        "2020-13-01",
        "June 12, 1492",
    ],
)
def test_dates_parse_date_refuses_ambiguous_or_invalid_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "None",
        "Copyright 2021",
        "© 2021 The Daily Star",
        "May 2020",
        "2020",
        "Published duration 6 hours ago",
        "6 hours ago",
        "Yesterday",
        "The meeting on June 12, 2020 was postponed.",
        "",
    ],
)
def test_dates_non_dates_are_not_date_lines(text: str) -> None:
    assert parse_date(text) is None
    assert not is_date_line(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aug 29, 2020", date(2020, 8, 29)),
        ("Published: 9 September 2020 | Updated: 10 September 2020", date(2020, 9, 9)),
        ("Posted on Sept. 9, 2020 at 5pm", date(2020, 9, 9)),
        ("2020-09-09T10:00:00.000Z", date(2020, 9, 9)),
        ("None", None),
        ("Copyright 2021", None),
        ("2021", None),
        ("10/09/2020", None),
        ("version 1.2.2020", None),
    ],
)
def test_dates_find_date_in_labelled_values(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Fleet Public AffairsJune 3, 2021", ("By Fleet Public Affairs", date(2021, 6, 3))),
        ("By Jane Roe, Reuters | March 3, 2024", ("By Jane Roe, Reuters | ", date(2024, 3, 3))),
        (
            "By Jane Roe on Tuesday, 9 September 2020, 10:00 GMT",
            ("By Jane Roe on ", date(2020, 9, 9)),
        ),
        ("By Jane Roe 2022-05-04T08:00:00Z", ("By Jane Roe ", date(2022, 5, 4))),
        ("By Jane Roe", None),
        ("By Jane Roe | 09/10/2020", None),  # ambiguous: not guessed
        ("By Jane Roe in Kabul, Aug. 30, 2021, before dawn", None),  # not at the end
        ("Troops reached Pumay 3, 2021", None),  # a month glued on starts with a capital
    ],
)
def test_dates_split_trailing_date(text: str, expected: tuple[str, date] | None) -> None:
    assert split_trailing_date(text) == expected
