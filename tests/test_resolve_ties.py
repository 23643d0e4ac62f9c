"""The rules between two claims: what ties two statements of one event in time."""

from __future__ import annotations

from datetime import date

import pytest

from kg.records import Entity, EventClaim, EventType, Figure, Status
from kg.resolve.ties import Facts, World, tied_in_time

WORLD = World([Entity("person/x", "Person", "X"), Entity("country/c", "Country", "C")])


def _facts(
    event_type: EventType,
    published: date | None,
    claim_date: str | None = None,
    before: int | None = None,
    status: Status = "reported",
) -> Facts:
    claim = EventClaim(
        article="a.txt",
        evidence="",
        sentence_start=0,
        sentence_end=0,
        triggers=((0, 1, "t"),),
        arguments=(("agent", "country/c"), ("target", "person/x")),
        date=claim_date,
        troops_before=Figure(before) if before else None,
        status=status,
    )
    return Facts.of(claim, published, event_type)


@pytest.mark.parametrize(
    ("a", "b", "tied"),
    [
        # the same starting level ties within a year, not across nine
        (
            _facts("Withdrawal", date(2020, 3, 1), before=5200),
            _facts("Withdrawal", date(2020, 9, 9), "2020-09", before=5200),
            True,
        ),
        (
            _facts("Withdrawal", date(2011, 12, 19), before=5200),
            _facts("Withdrawal", date(2020, 9, 9), "2020-09", before=5200),
            False,
        ),
        # a person is killed once, but an undated mention four years on is no tie
        (
            _facts("Killing", date(2020, 2, 1)),
            _facts("Killing", date(2020, 1, 4), "2020-01-03"),
            True,
        ),
        (
            _facts("Killing", date(2024, 2, 1)),
            _facts("Killing", date(2020, 1, 4), "2020-01-03"),
            False,
        ),
        # an undated report follows its event within a year; a plan precedes it
        (
            _facts("Withdrawal", date(2020, 9, 30)),
            _facts("Withdrawal", date(2020, 9, 10), "2020-09-09"),
            True,
        ),
        (
            _facts("Withdrawal", date(2020, 6, 1)),
            _facts("Withdrawal", date(2020, 9, 10), "2020-09-09"),
            False,
        ),
        (
            _facts("Withdrawal", date(2020, 6, 1), status="planned"),
            _facts("Withdrawal", date(2020, 9, 10), "2020-09-09"),
            True,
        ),
        # two undated claims: articles published within a month
        (_facts("Attack", date(2021, 3, 1)), _facts("Attack", date(2021, 3, 30)), True),
        (_facts("Attack", date(2021, 3, 1)), _facts("Attack", date(2021, 4, 15)), False),
    ],
)
def test_resolve_ties_tied_in_time_either_way(a, b, tied):
    assert tied_in_time(a, b, WORLD) is tied
    assert tied_in_time(b, a, WORLD) is tied
