"""Sentence in, events out — type, arguments, date, figures and status, on the real pipeline.

The sentences are written for these tests, in the style of wire copy; none
comes from the sample articles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from kg.extract.context import ArticleContext
from kg.extract.entities import entity_mentions
from kg.extract.events import event_mentions
from kg.records import Article, ArticleExtraction, EventMention

PUBLISHED = date(2021, 5, 12)


@pytest.fixture(scope="module")
def events_of(nlp, gazetteer, make_article) -> Callable[..., list[EventMention]]:
    """Text in, (event mention, {role: names}) pairs out, dates read against `published`."""

    def run(
        text: str, published: date | None = PUBLISHED
    ) -> list[tuple[EventMention, dict[str, set[str]]]]:
        article: Article = replace(make_article(text), published=published)
        doc = nlp(article.body)
        mentions = tuple(entity_mentions(doc, gazetteer))
        names = {m.start: m.name for m in mentions}
        found = []
        for event in event_mentions(ArticleContext(doc, mentions), published):
            roles: dict[str, set[str]] = {}
            for role, start in event.arguments:
                roles.setdefault(role, set()).add(names[start])
            found.append((event, roles))
        return found

    return run


def _only(found, event_type):
    matching = [(e, r) for e, r in found if e.event_type == event_type]
    assert matching, f"no {event_type} in {[(e.event_type, e.trigger) for e, _ in found]}"
    return matching[0]


@pytest.mark.parametrize(
    ("text", "event_type", "roles"),
    [
        (
            "Germany withdrew its soldiers from Mali last year.",
            "Withdrawal",
            {"agent": {"Germany"}, "location": {"Mali"}},
        ),
        (
            "The withdrawal of French troops from Niger began on Monday.",
            "Withdrawal",
            {"agent": {"France"}, "location": {"Niger"}},
        ),
        (
            "Britain deployed 600 paratroopers to Estonia in March.",
            "Deployment",
            {"agent": {"United Kingdom"}, "destination": {"Estonia"}},
        ),
        (
            "A Turkish drone strike hit a village in northern Syria.",
            "Attack",
            {"agent": {"Turkey"}},
        ),
        (
            "Israel attacked the port of Hodeidah in Yemen on Sunday.",
            "Attack",
            {"agent": {"Israel"}},
        ),
        (
            "A US airstrike killed Ayman al-Zawahiri in Kabul.",
            "Killing",
            {"agent": {"United States"}, "target": {"Ayman al-Zawahiri"}, "location": {"Kabul"}},
        ),
        (
            "Russia invaded Ukraine in February 2022.",
            "Invasion",
            {"agent": {"Russia"}, "target": {"Ukraine"}},
        ),
        (
            "Emmanuel Macron met with Olaf Scholz in Berlin on Tuesday.",
            "Meeting",
            {"agent": {"Emmanuel Macron"}, "participant": {"Olaf Scholz"}},
        ),
        (
            "Japan and South Korea signed a defence pact in Seoul.",
            "Agreement",
            {"agent": {"Japan", "South Korea"}},
        ),
        (
            "The Pentagon announced the drawdown in a statement on Friday.",
            "Statement",
            {"agent": {"Pentagon"}},
        ),
    ],
)
def test_event_type_and_arguments(events_of, text, event_type, roles):
    _, found_roles = _only(events_of(text), event_type)
    for role, names in roles.items():
        assert names <= found_roles.get(role, set()), (role, found_roles)


def test_demonym_modifying_troops_is_the_agent(events_of):
    _, roles = _only(
        events_of("Some 2,000 American soldiers will leave Kuwait by June."), "Withdrawal"
    )
    assert roles["agent"] == {"United States"}
    assert roles["location"] == {"Kuwait"}


def test_figures_from_to_with_qualifier(events_of):
    event, _ = _only(
        events_of("Washington will cut its force in Somalia from about 700 to 200 troops."),
        "Withdrawal",
    )
    assert event.troops_before.value == 700 and event.troops_before.qualifier == "about"
    assert event.troops_after.value == 200 and event.troops_after.qualifier is None
    assert event.status == "planned"


def test_troop_presence_count_place_and_hedge(events_of):
    event, roles = _only(
        events_of("There are roughly 900 US troops in Syria, officials said."), "TroopPresence"
    )
    assert event.troop_count.value == 900
    assert event.troop_count.qualifier == "roughly"
    assert roles["agent"] == {"United States"}
    assert roles["location"] == {"Syria"}
    assert event.date == PUBLISHED.isoformat()  # a level stated in the present is as of publication


def test_past_troop_presence_is_not_dated_by_publication(events_of):
    event, _ = _only(
        events_of("There were about 150,000 US soldiers stationed in Iraq."), "TroopPresence"
    )
    assert event.troop_count.value == 150_000
    assert event.date is None


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Spain will withdraw its troops from Lebanon.", "planned"),
        ("Canada plans to pull its troops out of Latvia.", "planned"),
        ("Italy withdrew its troops from Iraq in 2006.", "reported"),
        ("Poland denied that it would withdraw troops from Lithuania.", "denied"),
        ("Norway did not withdraw its troops from Afghanistan.", "denied"),
    ],
)
def test_status(events_of, text, status):
    event, _ = _only(events_of(text), "Withdrawal")
    assert event.status == status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Italy withdrew its troops from Iraq in 2006.", "2006"),
        ("Spain will withdraw its troops from Lebanon by November.", "2021-11"),
        ("Germany withdrew its soldiers from Mali last month.", "2021-04"),
        ("Iran attacked the base on Jan. 8, killing no one.", "2021-01-08"),
        ("Turkey will send troops to Libya next April.", "2022-04"),
    ],
)
def test_dates_are_read_against_publication(events_of, text, expected):
    found = events_of(text)
    assert found, text
    assert found[0][0].date == expected


def test_no_publication_date_means_no_guessed_month(events_of):
    found = events_of("Spain will withdraw its troops from Lebanon by November.", published=None)
    assert found[0][0].date is None


def test_later_counts_from_the_last_date_given(events_of):
    found = events_of(
        "Iran attacked the al-Asad air base in Iraq on Jan. 8. "
        "Two months later, US jets struck five militia sites in Iraq."
    )
    strike = [
        e
        for e, roles in found
        if e.event_type == "Attack" and "United States" in roles.get("agent", ())
    ]
    assert strike and strike[0].date == "2021-03"


def test_according_to_names_the_source(events_of):
    _, roles = _only(
        events_of("About 2,500 US troops remain in Iraq, according to the Pentagon."),
        "TroopPresence",
    )
    assert roles["accordingTo"] == {"Pentagon"}


def test_reporting_speaker_is_the_source(events_of):
    _, roles = _only(
        events_of("Lloyd Austin said the United States would withdraw troops from Iraq."),
        "Withdrawal",
    )
    assert roles["agent"] == {"United States"}
    assert "Lloyd Austin" in roles["accordingTo"]


def test_sentence_without_an_event_gives_none(events_of):
    assert events_of("The weather in Baghdad was hot and dry on Monday.") == []


def test_event_offsets_point_at_trigger(extract):
    text = "France will withdraw its troops from Mali."
    extraction: ArticleExtraction = extract(text)
    event = extraction.events[0]
    assert text[event.start : event.end] == event.trigger == "withdraw"
    assert text[event.sentence_start : event.sentence_end].startswith("France will withdraw")
