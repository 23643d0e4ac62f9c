"""Blocking finds every event a claim could join, and keeps the work per claim bounded."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import kg.resolve.blocks as blocks_module
import kg.resolve.events as events_module
from kg.records import Article, ArticleExtraction, Entity, EventMention, EventType, Figure
from kg.resolve import EventStats, Resolution, resolve, resolve_events
from kg.resolve.ties import Facts, World

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from bench_resolve import synthetic_corpus  # noqa: E402


class _EveryGroup:
    """No blocking at all: every earlier group of the type is a candidate, oldest first."""

    def __init__(self, world: World) -> None:
        self.groups: dict[int, tuple[EventType, Any]] = {}

    def add(self, group: Any, event_type: EventType, facts: Facts) -> None:
        self.groups.setdefault(group.number, (event_type, group))

    def candidates(self, event_type: EventType, claims: list[Facts]) -> Iterator[Any]:
        for number in sorted(self.groups):
            of_type, group = self.groups[number]
            if of_type == event_type:
                yield group


@pytest.mark.parametrize(
    ("seed", "articles", "events_per_day"), [(1, 150, 0.1), (2, 150, 0.1), (1, 300, 0.03)]
)
def test_resolve_blocks_miss_no_event_a_claim_fits(
    gazetteer, monkeypatch, seed, articles, events_per_day
):
    # A small, dense world: most events are told by several articles, in every way.
    extractions = synthetic_corpus(articles, gazetteer, seed=seed, events_per_day=events_per_day)
    resolution = resolve(extractions, gazetteer)
    blocked = resolve_events(extractions, resolution)
    monkeypatch.setattr(events_module, "Blocks", _EveryGroup)
    unblocked = resolve_events(extractions, resolution)
    assert blocked == unblocked
    assert sum(len({c.article for c in e.claims}) >= 3 for e in blocked) >= 20


def _claim_article(
    source: str,
    published: date | None,
    event_type: EventType,
    arguments: dict[str, str],
    mention_entity: dict[tuple[str, int], str],
    **fields: Any,
) -> ArticleExtraction:
    """An article stating one event, its arguments given as role → entity key."""
    starts = []
    for offset, (role, key) in enumerate(arguments.items()):
        mention_entity[(source, 10 * (offset + 1))] = key
        starts.append((role, 10 * (offset + 1)))
    mention = EventMention(event_type, "met", 0, 3, 0, 80, tuple(starts), **fields)
    article = Article(source, "", "", (), published=published, body_digest=source)
    return ArticleExtraction(article, events=(mention,))


def test_resolve_blocks_one_claims_party_is_anothers_place():
    # 'Talks in Iraq on 9 September' and a plan for 'talks with Iraq' are tied by Iraq.
    entities = (Entity("country/iraq", "Country", "Iraq"), Entity("country/hub", "Country", "Hub"))
    mention_entity: dict[tuple[str, int], str] = {}
    extractions = [
        _claim_article(
            "a.txt",
            date(2020, 9, 9),
            "Meeting",
            {"location": "country/iraq"},
            mention_entity,
            date="2020-09-09",
        ),
        _claim_article(
            "b.txt",
            date(2020, 8, 1),
            "Meeting",
            {"agent": "country/hub", "participant": "country/iraq"},
            mention_entity,
            status="planned",
        ),
    ]
    (event,) = resolve_events(extractions, Resolution(entities, mention_entity))
    assert [c.article for c in event.claims] == ["a.txt", "b.txt"]


def test_resolve_blocks_a_starting_level_unsettles_an_events_date():
    # 'From 500' in May and 'from 500' in November are one drawdown (the same starting
    # level in one year), and an undated report of November names the party of the later
    # one: the May figure's date must not hide that report from a November claim.
    entities = (
        Entity("country/hub", "Country", "Hub"),
        Entity("country/ally", "Country", "Ally"),
        Entity("place/north", "Place", "North"),
    )
    mention_entity: dict[tuple[str, int], str] = {}
    extractions = [
        _claim_article(
            "a.txt",
            date(2019, 12, 1),
            "Withdrawal",
            {"agent": "country/hub", "location": "place/north"},
            mention_entity,
        ),
        _claim_article(
            "b.txt",
            date(2019, 4, 20),
            "Withdrawal",
            {"participant": "place/north"},
            mention_entity,
            date="2019-05",
            troops_before=Figure(500),
            status="planned",
        ),
        _claim_article(
            "c.txt",
            date(2019, 12, 1),
            "Withdrawal",
            {"agent": "country/hub", "participant": "country/ally"},
            mention_entity,
            date="2019-11",
            troops_before=Figure(500),
        ),
    ]
    (event,) = resolve_events(extractions, Resolution(entities, mention_entity))
    assert [c.article for c in event.claims] == ["a.txt", "b.txt", "c.txt"]


def _retold_event(places: int) -> tuple[list[ArticleExtraction], Resolution]:
    """One withdrawal from Iraq on one day, by a hub and its allies, told by twice `places`
    articles in turn: one naming Iraq and another place (the event gathers places as it is
    retold), one naming no place and another ally."""
    entities = [Entity("country/iraq", "Country", "Iraq"), Entity(HUB, "Country", "Hub")]
    entities += [Entity(f"place/p{n}", "Place", f"P{n}") for n in range(places)]
    entities += [Entity(f"country/c{n}", "Country", f"C{n}") for n in range(places)]
    mention_entity: dict[tuple[str, int], str] = {}
    extractions = []
    for n in range(places):
        for source, arguments in (
            (f"a{n:03d}.txt", {"agent": HUB, "location": "country/iraq", "target": f"place/p{n}"}),
            (f"a{n:03d}b.txt", {"agent": HUB, "participant": f"country/c{n}"}),
        ):
            extractions.append(
                _claim_article(
                    source,
                    date(2020, 9, 10),
                    "Withdrawal",
                    arguments,
                    mention_entity,
                    date="2020-09-09",
                )
            )
    return extractions, Resolution(tuple(entities), mention_entity)


def _filings_per_claim(places: int, monkeypatch: pytest.MonkeyPatch) -> float:
    """How many times the blocks filed an event under a place, party and time, per claim."""
    filings = 0
    insert = blocks_module._insert

    def counted(bucket: list[Any], group: Any) -> None:
        nonlocal filings
        filings += 1
        insert(bucket, group)

    monkeypatch.setattr(blocks_module, "_insert", counted)
    extractions, resolution = _retold_event(places)
    (event,) = resolve_events(extractions, resolution)
    assert len(event.claims) == 2 * places
    return filings / len(event.claims)


def test_resolve_blocks_a_claim_naming_no_place_is_filed_under_few_however_many_are_told(
    monkeypatch,
):
    # A claim that names no place is filed under the places of its event's first claim
    # to name one, not under every place the retellings gathered: the filings per claim
    # stay the same however many places they name.
    assert _filings_per_claim(40, monkeypatch) <= _filings_per_claim(10, monkeypatch)


def _pairs_per_claim_of_a_drawdown_told_monthly(years: int) -> float:
    """Pairs of facts compared per claim when one undated drawdown 'from 500' by one party is
    told once a month for `years` years: each retelling is tied to the last by the level."""
    entities = (Entity(HUB, "Country", "Hub"),)
    mention_entity: dict[tuple[str, int], str] = {}
    extractions = [
        _claim_article(
            f"a{n:03d}.txt",
            date(2010 + n // 12, n % 12 + 1, 15),
            "Withdrawal",
            {"agent": HUB},
            mention_entity,
            troops_before=Figure(500),
        )
        for n in range(12 * years)
    ]
    stats = EventStats()
    (event,) = resolve_events(extractions, Resolution(entities, mention_entity), stats)
    assert len(event.claims) == 12 * years
    return stats.comparisons / len(event.claims)


def test_resolve_blocks_a_claim_weighs_the_ties_of_its_own_years_only():
    # Every tie reaches a year either way at most: the retellings of years before are
    # not read, however many.
    two, eight = (_pairs_per_claim_of_a_drawdown_told_monthly(years) for years in (2, 8))
    assert eight <= 1.25 * two


# --- the work per claim: one hub party in every claim, places and months as the corpus grows --

HUB = "country/hub"
CLAIMS_PER_PLACE = 25


def _hub_corpus(claims: int, seed: int = 0) -> tuple[list[ArticleExtraction], Resolution]:
    """One withdrawal claim per article, all by the same party, at places that grow in number
    with the corpus (as an archive names more places), over three years; a third dated at
    some precision, one in five naming no place."""
    rng = random.Random(seed)
    places = [f"place/p{n}" for n in range(claims // CLAIMS_PER_PLACE)]
    entities = [Entity(HUB, "Country", "Hub")]
    entities += [Entity(p, "Place", p) for p in places]
    mention_entity: dict[tuple[str, int], str] = {}
    extractions = []
    for number in range(claims):
        source = f"a{number:05d}.txt"
        published = date(2018, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        day = published - timedelta(days=rng.randrange(20))
        arguments: list[tuple[Any, int]] = [("agent", 0)]
        mention_entity[(source, 0)] = HUB
        if rng.random() > 0.2:
            arguments.append(("location", 10))
            mention_entity[(source, 10)] = rng.choice(places)
        precision = rng.choice((0, 0, 0, 0, 4, 7, 10))
        mention = EventMention(
            event_type="Withdrawal",
            trigger="withdrew",
            start=5,
            end=13,
            sentence_start=0,
            sentence_end=40,
            arguments=tuple(arguments),
            date=day.isoformat()[:precision] if precision else None,
        )
        article = Article(source, "", "", (), published=published, body_digest=source)
        extractions.append(ArticleExtraction(article, events=(mention,)))
    return extractions, Resolution(tuple(entities), mention_entity)


def _work_per_claim(claims: int) -> float:
    extractions, resolution = _hub_corpus(claims)
    stats = EventStats()
    resolve_events(extractions, resolution, stats)
    return stats.comparisons / claims


def test_resolve_blocks_work_per_claim_does_not_grow_with_the_corpus():
    small, large = _work_per_claim(1000), _work_per_claim(4000)
    assert large <= 1.25 * small + 1
    assert large < 20  # a hub party in every claim makes no block of its own
