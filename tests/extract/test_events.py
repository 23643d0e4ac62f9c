"""Sentence in, events out — type, arguments, date, figures and status, on the real pipeline.

The sentences are written for these tests, in the style of wire copy; none
comes from the sample articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.records import ArticleExtraction

PUBLISHED = date(2021, 5, 12)


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


ARGUMENT_PATTERNS = [
    # passive, relative and participial clauses carry their arguments
    (
        "British soldiers were deployed to Estonia in March.",
        "Deployment",
        {"agent": {"United Kingdom"}, "destination": {"Estonia"}},
    ),
    (
        "The Dutch troops who were sent to Lithuania in 2017 returned home in May.",
        "Deployment",
        {"agent": {"Netherlands"}, "destination": {"Lithuania"}},
    ),
    (
        "The Dutch troops who were sent to Lithuania in 2017 returned home in May.",
        "Withdrawal",
        {"agent": {"Netherlands"}, "location": {"Lithuania"}},
    ),
    (
        "Belgian troops that had been deployed to Mali will leave in June.",
        "Withdrawal",
        {"agent": {"Belgium"}, "location": {"Mali"}},
    ),
    (
        "US forces stationed in Germany will be moved to Poland.",
        "Deployment",
        {"agent": {"United States"}, "destination": {"Poland"}, "location": {"Germany"}},
    ),
    # nominal forms
    (
        "The withdrawal of British troops from Basra ended in 2009.",
        "Withdrawal",
        {"agent": {"United Kingdom"}, "location": {"Basra"}},
    ),
    (
        "The repositioning of a Spanish squadron from Italy to Bulgaria began on Monday.",
        "Deployment",
        {"agent": {"Spain"}, "destination": {"Bulgaria"}, "location": {"Italy"}},
    ),
    (
        "The deployment of soldiers from the Israel Defense Forces to Gaza was approved.",
        "Deployment",
        {"agent": {"Israel Defense Forces"}, "destination": {"Gaza Strip"}},
    ),
    # coordination
    (
        "France and Britain launched strikes on Syria in April 2018.",
        "Attack",
        {"agent": {"France", "United Kingdom"}, "target": {"Syria"}},
    ),
    (
        "Strikes by Israel and the United States hit Iranian nuclear sites.",
        "Attack",
        {"agent": {"Israel", "United States"}},
    ),
    (
        "Denmark, Norway, Sweden and Finland issued a joint statement on Friday.",
        "Statement",
        {"agent": {"Denmark", "Norway", "Sweden", "Finland"}},
    ),
    # parties implied: demonyms, possessives, capitals, units, orders
    (
        "Moscow's forces withdrew from Kyiv in April.",
        "Withdrawal",
        {"agent": {"Moscow"}},
    ),
    (
        "Beijing sent two warships to Djibouti.",
        "Deployment",
        {"agent": {"Beijing"}, "destination": {"Djibouti"}},
    ),
    (
        "The Israel Defense Forces withdrew from Gaza on Sunday.",
        "Withdrawal",
        {"agent": {"Israel Defense Forces"}},
    ),
    (
        "Soldiers from United States Africa Command arrived in Niger.",
        "Deployment",
        {"agent": {"United States Africa Command"}, "destination": {"Niger"}},
    ),
    (
        "The United Nations said that 12 of its peacekeepers were wounded in Mali.",
        "Attack",
        {"target": {"United Nations"}, "location": {"Mali"}},
    ),
    (
        "Joe Biden ordered the deployment of 3,000 troops to Poland.",
        "Deployment",
        {"agent": {"Joe Biden"}, "destination": {"Poland"}},
    ),
    (
        "Emmanuel Macron ordered that 500 soldiers be sent to Estonia.",
        "Deployment",
        {"agent": {"Emmanuel Macron"}, "destination": {"Estonia"}},
    ),
    (
        "Olaf Scholz approved the deployment of 150 soldiers to Lithuania.",
        "Deployment",
        {"agent": {"Olaf Scholz"}, "destination": {"Lithuania"}},
    ),
    (
        "A rocket fired by Hezbollah hit a house in northern Israel.",
        "Attack",
        {"agent": {"Hezbollah"}},
    ),
]


@pytest.mark.parametrize(("text", "event_type", "roles"), ARGUMENT_PATTERNS)
def test_events_arguments_from_every_grammatical_form(events_of, text, event_type, roles):
    found = [r for e, r in events_of(text) if e.event_type == event_type]
    assert found, f"no {event_type} in {[(e.event_type, e.trigger) for e, _ in events_of(text)]}"
    for role, names in roles.items():
        assert any(names <= r.get(role, set()) for r in found), (role, found)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Joe Biden ordered the deployment of 3,000 troops to Poland.", 3000),
        ("Romania approved the deployment of 500 troops to Kosovo.", 500),
        (
            "Some 9,000 troops have deployed, and 1,500 troops in Italy have moved to Poland.",
            9000,
        ),
    ],
)
def test_events_count_goes_to_the_troops_it_counts(events_of, text, count):
    deployments = [e for e, _ in events_of(text) if e.event_type == "Deployment"]
    assert deployments[0].troop_count is not None
    assert deployments[0].troop_count.value == count


@pytest.mark.parametrize(
    ("text", "count", "roles"),
    [
        (
            "Poland sent 300 soldiers to Latvia to join the 200 Polish troops already there.",
            200,
            {"agent": {"Poland"}, "location": {"Latvia"}},
        ),
        (
            "Some 35,000 US service members based in Germany train with NATO allies.",
            35000,
            {"agent": {"United States"}, "location": {"Germany"}},
        ),
        (
            "About 35,000 US service members are based in Germany.",
            35000,
            {"agent": {"United States"}, "location": {"Germany"}},
        ),
        (
            "Eight Dutch F-35s currently deployed to Bulgaria patrol the Black Sea.",
            None,
            {"agent": {"Netherlands"}, "location": {"Bulgaria"}},
        ),
        (
            "Turkey, which keeps about 3,000 soldiers in Qatar, declined to comment.",
            3000,
            {"agent": {"Turkey"}, "location": {"Qatar"}},
        ),
        (
            "Czech soldiers will stay at the former estate of Vaclav Havel in Slovakia.",
            None,
            {"agent": {"Czech Republic"}, "location": {"Slovakia"}},
        ),
        (
            "About 200 US troops will remain in Syria after the drawdown.",
            200,
            {"agent": {"United States"}, "location": {"Syria"}},
        ),
    ],
)
def test_events_troop_presence_where_troops_are(events_of, text, count, roles):
    presence = [(e, r) for e, r in events_of(text) if e.event_type == "TroopPresence"]
    assert len(presence) == 1, presence
    event, found = presence[0]
    assert (event.troop_count.value if event.troop_count else None) == count
    for role, names in roles.items():
        assert names <= found.get(role, set()), (role, found)


def test_events_count_of_troops_present_is_not_the_move(events_of):
    found = events_of("Poland sent 300 soldiers to Latvia to join the 200 Polish troops there.")
    (move,) = [e for e, _ in found if e.event_type == "Deployment"]
    assert move.troop_count is not None and move.troop_count.value == 300


@pytest.mark.parametrize(
    ("text", "event_type", "expected"),
    [
        # a weekday or day of the month without a publication date: the story's own full date
        (
            "Soldiers unload a truck in Riga, Latvia, Sept. 14, 2023. "
            "Canadian troops arrived in Latvia on Tuesday.",
            "Deployment",
            "2023-09-12",
        ),
        (
            "A soldier stands guard in Vilnius, Lithuania, March 3, 2022. "
            "German troops arrived in Lithuania on Feb. 21.",
            "Deployment",
            "2022-02-21",
        ),
        # no publication date, no full date in the story: no year is guessed
        ("German troops arrived in Lithuania on Feb. 21.", "Deployment", None),
        ("Canadian troops arrived in Latvia on Tuesday.", "Deployment", None),
        # 'two months later' counts from the date the text named last
        (
            "Spain sent troops to Latvia in March 2017, and a second contingent of Spanish "
            "soldiers arrived in Latvia two months later.",
            "Deployment",
            "2017-05",
        ),
        # a date set off at the end of a caption dates its main verb
        (
            "Italian soldiers arrive at a checkpoint outside Tyre, Lebanon, Oct. 2, 2023.",
            "Deployment",
            "2023-10-02",
        ),
    ],
)
def test_events_dates_without_publication_date(events_of, text, event_type, expected):
    found = [e for e, _ in events_of(text, published=None) if e.event_type == event_type]
    assert found[-1].date == expected


def test_events_despite_an_attack_is_no_plan(events_of):
    found = events_of("Despite an attack on Camp Taji, the withdrawal from Iraq will continue.")
    attack, _ = _only(found, "Attack")
    assert attack.status == "reported"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Canadian troops are arriving in Latvia.", "2021-05-12"),
        ("Spanish troops arrive in Latvia for a NATO rotation", "2021-05-12"),
        ("Polish troops have arrived in Lithuania.", "2021-05"),
        ("Polish troops arrived in Lithuania.", None),  # a past without a date: unknown
        ("Polish troops will arrive in Lithuania.", None),  # a plan without a date
    ],
)
def test_events_undated_present_is_news_of_the_day(events_of, text, expected):
    (event, _) = _only(events_of(text), "Deployment")
    assert event.date == expected


@pytest.mark.parametrize(
    "text",
    [
        "Enabling units will also deploy.",
        "The brigade supported NATO exercises while forward deployed.",
        "Volunteers from the battalion helped local schools during their deployment.",
    ],
)
def test_events_troop_move_without_place_or_number_is_not_news(events_of, text):
    assert [e for e, _ in events_of(text) if e.event_type == "Deployment"] == []


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        (
            "A spate of bombings this month in Baghdad alarmed officials.",
            {"location": {"Baghdad"}},
        ),
        (
            "Israel carried out a wave of airstrikes overnight on Hezbollah positions.",
            {"agent": {"Israel"}, "target": {"Hezbollah"}},
        ),
        (
            "Militants stepped up the pace of raids this year against Nigerian troops.",
            {"target": {"Nigeria"}},
        ),
    ],
)
def test_events_noun_trigger_takes_prepositions_of_its_carrier(events_of, text, roles):
    _, found = _only(events_of(text), "Attack")
    for role, names in roles.items():
        assert names <= found.get(role, set()), (role, found)


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        # a purpose of another kind is intended, not reported
        ("Kenya sent 400 soldiers to Haiti to strike the gangs there.", "Deployment", "Attack"),
        ("Chad sent troops to Niger in order to attack Boko Haram.", "Deployment", "Attack"),
    ],
)
def test_events_purpose_clause_is_no_event_of_its_own(events_of, text, kept, dropped):
    types = {e.event_type for e, _ in events_of(text)}
    assert kept in types
    assert dropped not in types


def test_events_purpose_of_the_same_kind_is_the_same_event(events_of):
    found = events_of("Lloyd Austin visited Poland on Friday to meet with US troops.")
    meetings = [r for e, r in found if e.event_type == "Meeting"]
    assert len(meetings) == 1
    assert {"Lloyd Austin"} <= meetings[0]["agent"]
    assert {"United States"} <= meetings[0]["participant"]


def test_events_the_last_soldier_to_leave_left(events_of):
    found = events_of("He was the last British soldier to leave Helmand.")
    event, roles = _only(found, "Withdrawal")
    assert roles["agent"] == {"United Kingdom"}
    assert event.status == "reported"


def test_events_a_place_hung_on_the_particle_is_the_trigger_s(events_of):
    found = events_of("Ukrainian troops pulled back from Bakhmut on Saturday.")
    assert any(
        e.event_type == "Withdrawal" and "Bakhmut" in roles.get("location", set())
        for e, roles in found
    )
