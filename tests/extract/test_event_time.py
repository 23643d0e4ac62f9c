"""When events happened: a reported event takes the day it was reported, if it has no date."""

from __future__ import annotations

from datetime import date

import pytest

PUBLISHED = date(2021, 5, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "event_type", "expected"),
    [
        ("The Lithuanian army said on Monday that two of its soldiers were wounded in an attack.",
         "Attack", "2021-05-10"),
        ("Officials told reporters on Tuesday that the convoy had been ambushed near Gao.",
         "Attack", "2021-05-11"),
    ],
)  # fmt: skip
def test_event_time_reported_event_takes_the_day_of_the_report(
    events_of, text, event_type, expected
):
    dates = {e.date for e, _ in events_of(text, published=PUBLISHED) if e.event_type == event_type}
    assert expected in dates


def test_event_time_a_planned_event_does_not_take_the_day_it_was_announced(events_of):
    text = "The ministry said on Monday that its troops would withdraw from the region."
    dates = {
        e.date for e, _ in events_of(text, published=PUBLISHED) if e.event_type == "Withdrawal"
    }
    assert "2021-05-10" not in dates


def test_event_time_a_reported_event_keeps_its_own_date(events_of):
    text = "The army said on Monday that Camp Halsey had been attacked in March."
    dates = {e.date for e, _ in events_of(text, published=PUBLISHED) if e.event_type == "Attack"}
    assert dates == {"2021-03"}


def test_event_time_the_day_before_said_counts_too(events_of):
    text = "The Estonian army on Monday said that two of its soldiers were wounded in an ambush."
    dates = {e.date for e, _ in events_of(text, published=PUBLISHED) if e.event_type == "Attack"}
    assert "2021-05-10" in dates


def test_event_time_a_dateline_is_no_subject(events_of):
    text = "ANKARA, March 3 (Reuters) - Turkey has sent 400 commandos to Qatar, officials said."
    found = [
        (e, r) for e, r in events_of(text, published=PUBLISHED) if e.event_type == "Deployment"
    ]
    assert found and all("Ankara" not in roles.get("agent", set()) for _, roles in found)
    assert any("Turkey" in roles.get("agent", set()) for _, roles in found)
