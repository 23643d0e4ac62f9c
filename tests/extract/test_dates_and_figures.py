"""Temporal expressions and troop numbers, read as a reader of the article would."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.dates import normalise_date
from kg.extract.quantities import troop_figures
from kg.records import Figure

PUBLISHED = date(2020, 9, 9)


@pytest.mark.parametrize(
    ("text", "past", "anchor", "expected"),
    [
        ("in 2003", True, None, "2003"),
        ("in January", True, None, "2020-01"),
        ("Jan. 8", True, None, "2020-01-08"),
        ("this month", False, None, "2020-09"),
        ("last week", True, None, "2020-09"),
        ("by November", False, None, "2020-11"),
        ("during September", False, None, "2020-09"),
        ("next April", False, None, "2021-04"),
        ("in December", True, None, "2019-12"),  # a past December is last year's
        ("March 2021", True, None, "2021-03"),
        ("earlier this year", True, None, "2020"),
        ("two months ago", True, None, "2020-07"),
        ("Two months later", True, "2020-01-08", "2020-03"),
        ("a year later", True, "2011", "2012"),
        ("two months later", True, "2011", None),  # months from a bare year: unknown
        ("two months later", True, None, None),  # nothing to count from
        ("the coming weeks", False, None, None),
        ("by the end of the year", False, None, "2020"),
        ("at the start of the month", True, None, "2020-09"),
    ],
)
def test_normalise_date(text, past, anchor, expected):
    assert normalise_date(text, PUBLISHED, past=past, anchor=anchor) == expected


@pytest.mark.parametrize("text", ["in January", "this month", "last week", "Thursday"])
def test_no_publication_date_no_relative_date(text):
    assert normalise_date(text, None) is None


def test_explicit_year_needs_no_publication_date():
    assert normalise_date("on Jan. 8, 2020", None) == "2020-01-08"


def test_from_to_keeps_hedges():
    figures = troop_figures("The force will shrink from about 5,200 to 3,000 troops.")
    assert figures.before == Figure(5200, "about")
    assert figures.after == Figure(3000, None)
    assert figures.counts == ()


@pytest.mark.parametrize(
    ("sentence", "value", "qualifier"),
    [
        ("Close to 12,000 troops will be relocated.", 12000, "close to"),
        ("There are around 700 US soldiers in Syria.", 700, "around"),
        ("More than 2,000 troops will leave.", 2000, "more than"),
        ("The US has 2,500 military personnel there.", 2500, None),
    ],
)
def test_counts_with_hedges(sentence, value, qualifier):
    (figure,) = [f for _, f in troop_figures(sentence).counts]
    assert figure == Figure(value, qualifier)


def test_years_and_unrelated_numbers_are_not_troops():
    assert troop_figures("In 2003, 15 people died and 2011 was quieter.") == troop_figures("")


def test_restated_figure_from_another_source():
    figures = troop_figures(
        "There were 2,500 soldiers, while Iraqi sources put the number at over 3,000."
    )
    assert [f for _, f in figures.counts] == [Figure(2500, None)]
    assert [f for _, f in figures.restated] == [Figure(3000, "over")]
