"""The rules between two claims: what ties two statements of one event in time."""

from __future__ import annotations

import gc
import weakref
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.records import (
    ArgumentRole,
    Entity,
    EventArgument,
    EventClaim,
    EventType,
    Figure,
    Status,
)
from kg.resolve.ties import Consensus, Facts, World, consistent, month, tied_in_time

WORLD = World([Entity("person/x", "Person", "X"), Entity("country/c", "Country", "C")])


def _facts(
    event_type: EventType,
    published: date | None,
    claim_date: str | None = None,
    before: int | None = None,
    status: Status = "reported",
) -> Facts:
    arguments: tuple[EventArgument, ...] = (("agent", "country/c"), ("target", "person/x"))
    return Facts.of(_claim(arguments, claim_date, before, status), published, event_type, WORLD)


def _claim(
    arguments: tuple[EventArgument, ...],
    claim_date: str | None,
    before: int | None,
    status: Status,
) -> EventClaim:
    return EventClaim(
        article="a.txt",
        evidence="",
        sentence_start=0,
        sentence_end=0,
        triggers=((0, 1, "t"),),
        arguments=arguments,
        date=claim_date,
        troops_before=Figure(before) if before else None,
        status=status,
    )


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


# --- what a group keeps of its claims: the same answers as every claim, with less to read --

SMALL_WORLD = World(
    [
        Entity("country/c", "Country", "C"),
        Entity("place/p", "Place", "P", located_in=("country/c",)),
        Entity("base/b", "MilitaryBase", "B", located_in=("place/p",)),
        Entity("country/d", "Country", "D"),
        Entity("person/x", "Person", "X"),
    ]
)
_KEYS = ("country/c", "place/p", "base/b", "country/d", "person/x")
_ROLES: tuple[ArgumentRole, ...] = ("agent", "participant", "target", "location", "destination")
_DATES = (None, "2019", "2019-05", "2019-05-03", "2019-11", "2020", "2020-01-10")


@st.composite
def _any_facts(
    draw: st.DrawFn,
    dates: tuple[str | None, ...] = _DATES,
    levels: tuple[int | None, ...] = (None, 500, 800),
) -> Facts:
    arguments = draw(st.frozensets(st.tuples(st.sampled_from(_ROLES), st.sampled_from(_KEYS))))
    claim = _claim(
        tuple(sorted(arguments)),
        draw(st.sampled_from(dates)),
        draw(st.sampled_from(levels)),
        draw(st.sampled_from(("reported", "planned"))),
    )
    published = draw(st.one_of(st.none(), st.dates(date(2019, 9, 1), date(2020, 3, 1))))
    event_type = draw(st.sampled_from(("Withdrawal", "Meeting", "Statement")))
    return Facts.of(claim, published, event_type, SMALL_WORLD)


@settings(max_examples=200, deadline=None)
@given(st.lists(_any_facts(), min_size=1, max_size=6), _any_facts())
def test_resolve_ties_a_consensus_admits_what_every_claim_admits(held, new):
    consensus = Consensus()
    for facts in held:
        consensus.add(facts)
    expected = all(consistent(h, new, SMALL_WORLD) for h in held)
    assert consensus.admits(new, SMALL_WORLD) is expected


@settings(max_examples=200, deadline=None)
@given(_any_facts(dates=(None,), levels=(None,)), _any_facts())
def test_resolve_ties_an_undated_claim_ties_only_within_its_months(held, new):
    # A claim that only time can tie is kept by its month of publication (`tie_months`).
    if held.published and tied_in_time(held, new, SMALL_WORLD):
        assert month(held.published) in new.tie_months()


def test_resolve_ties_world_reaches_containers_and_principals_transitively():
    world = World(
        [
            Entity("country/c", "Country", "C"),
            Entity("org/army", "Organization", "Army", acts_for=("country/c",)),
            Entity("org/brigade", "Organization", "Brigade", acts_for=("org/army",)),
            Entity("base/b", "MilitaryBase", "B", located_in=("place/p",)),
            Entity("place/p", "Place", "P", located_in=("country/c",)),
        ]
    )
    assert world.acting_for("org/brigade") == ("org/army", "country/c")
    assert world.containers("base/b") == {"place/p", "country/c"}
    assert world.containers("country/c") == frozenset()
    assert world.shared({"country/c"}) is world.shared({"country/c"})


def test_resolve_ties_world_goes_when_resolution_is_done():
    """A World's caches must not outlive it: they hold every entity of a build."""
    world = World([Entity("place/p", "Place", "P", located_in=("country/c",))])
    world.containers("place/p")
    world.acting_for("place/p")
    Facts.of(_claim((("location", "place/p"),), None, None, "reported"), None, "Withdrawal", world)
    gone = weakref.ref(world)
    del world
    gc.collect()
    assert gone() is None
