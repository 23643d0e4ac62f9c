"""ISO dates at any precision: what they stand for, how they read, which are no dates."""

from __future__ import annotations

import pytest

from kg.dates import date_interval, iso_parts, precision, readable_date


@pytest.mark.parametrize(
    ("value", "interval", "readable"),
    [
        ("2020", ("2020-01-01", "2020-12-31"), "2020"),
        ("2020-09", ("2020-09-01", "2020-09-30"), "Sep 2020"),
        ("2020-02", ("2020-02-01", "2020-02-29"), "Feb 2020"),  # a leap year
        ("2021-02", ("2021-02-01", "2021-02-28"), "Feb 2021"),
        ("2020-12", ("2020-12-01", "2020-12-31"), "Dec 2020"),
        ("2020-06-12", ("2020-06-12", "2020-06-12"), "12 Jun 2020"),
        ("sometime", None, "sometime"),
        ("2021-02-29", None, "2021-02-29"),  # no such day: neither filtered nor printed
        ("2020-13", None, "2020-13"),
        ("2020-04-31", None, "2020-04-31"),
    ],
)
def test_dates_interval_and_reading(
    value: str, interval: tuple[str, str] | None, readable: str
) -> None:
    assert date_interval(value) == interval
    assert readable_date(value) == readable


@pytest.mark.parametrize(
    ("value", "parts", "named"),
    [
        ("1991", (1991, None, None), "year"),
        ("2024-02", (2024, 2, None), "month"),
        ("2024-02-29", (2024, 2, 29), "day"),
    ],
)
def test_dates_parts_and_precision(
    value: str, parts: tuple[int, int | None, int | None], named: str
) -> None:
    assert iso_parts(value) == parts
    assert precision(value) == named
