"""The trigger lexicon, one sentence per trigger and sense: type and parties out.

Every sentence is written for this table, in the style of wire copy. A row
names the event type expected and some of its arguments (by entity name);
the negative rows are sentences a careless lexicon would turn into events.
"""

from __future__ import annotations

import pytest

TRIGGERS = [
    # moving troops in
    (
        "The Pentagon repositioned a squadron of F-16s from Italy to Poland.",
        "Deployment",
        {"agent": {"Pentagon"}, "destination": {"Poland"}, "location": {"Italy"}},
    ),
    (
        "A Dutch battalion rotated into Lithuania in January.",
        "Deployment",
        {"agent": {"Netherlands"}, "destination": {"Lithuania"}},
    ),
    (
        "Canadian soldiers arrived in Latvia on Sunday.",
        "Deployment",
        {"agent": {"Canada"}, "destination": {"Latvia"}},
    ),
    (
        "French marines arrived at Camp Lemonnier on Friday.",
        "Deployment",
        {"agent": {"France"}, "destination": {"Camp Lemonnier"}},
    ),
    (
        "Germany reinforced its troops in Lithuania with a tank company.",
        "Deployment",
        {"agent": {"Germany"}, "destination": {"Lithuania"}},
    ),
    (
        "Britain will augment the NATO battlegroup in Estonia.",
        "Deployment",
        {"agent": {"United Kingdom"}, "participant": {"NATO"}, "destination": {"Estonia"}},
    ),
    (
        "The United States redeployed 1,000 troops from Germany to Poland.",
        "Deployment",
        {"agent": {"United States"}, "destination": {"Poland"}, "location": {"Germany"}},
    ),
    (
        "The US Air Force airlifted 300 soldiers to Niger.",
        "Deployment",
        {"agent": {"United States Air Force"}, "destination": {"Niger"}},
    ),
    (
        "The United States established a drone base in Niger.",
        "Deployment",
        {"agent": {"United States"}, "destination": {"Niger"}},
    ),
    (
        "Vladimir Putin authorized the deployment of troops to Belarus.",
        "Deployment",
        {"agent": {"Vladimir Putin"}, "destination": {"Belarus"}},
    ),
    (
        "The arrival of German troops in Lithuania was welcomed.",
        "Deployment",
        {"agent": {"Germany"}, "destination": {"Lithuania"}},
    ),
    (
        "A nine-month rotation of Polish soldiers in Latvia began.",
        "Deployment",
        {"agent": {"Poland"}, "destination": {"Latvia"}},
    ),
    (
        "About 300 British troops will stay in Estonia.",
        "TroopPresence",
        {"agent": {"United Kingdom"}, "location": {"Estonia"}},
    ),
    # moving troops out
    (
        "Russian troops vacated their positions in Syria.",
        "Withdrawal",
        {"agent": {"Russia"}, "location": {"Syria"}},
    ),
    (
        "French troops evacuated their base in Mali.",
        "Withdrawal",
        {"agent": {"France"}, "location": {"Mali"}},
    ),
    (
        "Italian aircraft airlifted the last soldiers out of Afghanistan.",
        "Withdrawal",
        {"agent": {"Italy"}, "location": {"Afghanistan"}},
    ),
    (
        "Russian forces retreated from Kyiv in March.",
        "Withdrawal",
        {"agent": {"Russia"}, "location": {"Kyiv"}},
    ),
    (
        "Israel pulled back its troops from southern Lebanon.",
        "Withdrawal",
        {"agent": {"Israel"}, "location": {"Lebanon"}},
    ),
    (
        "Washington will pull 2,000 troops from Syria.",
        "Withdrawal",
        {"agent": {"Washington, D.C."}, "location": {"Syria"}},
    ),
    (
        "The last American soldiers departed from Afghanistan on Monday.",
        "Withdrawal",
        {"agent": {"United States"}, "location": {"Afghanistan"}},
    ),
    (
        "Dutch soldiers will rotate out of Lithuania in June.",
        "Withdrawal",
        {"agent": {"Netherlands"}, "location": {"Lithuania"}},
    ),
    # handing over
    (
        "Britain handed over control of Basra to Iraq in 2007.",
        "Handover",
        {"agent": {"United Kingdom"}, "participant": {"Iraq"}, "target": {"Basra"}},
    ),
    (
        "Italy handed back Camp Dublin to Iraq.",
        "Handover",
        {"agent": {"Italy"}, "participant": {"Iraq"}, "target": {"Camp Dublin"}},
    ),
    (
        "Iraqi forces took over Camp Taji on Sunday.",
        "Handover",
        {"agent": {"Iraq"}, "target": {"Camp Taji"}},
    ),
    (
        "The coalition turned over control of Camp Taji to Iraq.",
        "Handover",
        {"participant": {"Iraq"}, "target": {"Camp Taji"}},
    ),
    (
        "The Taliban takeover of Kabul stunned the world.",
        "Handover",
        {"agent": {"Taliban"}, "target": {"Kabul"}},
    ),
    # attacks
    (
        "Two rockets were launched from Lebanon toward Israel.",
        "Attack",
        {"location": {"Lebanon"}, "target": {"Israel"}},
    ),
    (
        "Deadly clashes between Armenia and Azerbaijan erupted in 2020.",
        "Attack",
        {"agent": {"Armenia", "Azerbaijan"}},
    ),
    (
        "Russia fired cruise missiles at Kyiv on Sunday.",
        "Attack",
        {"agent": {"Russia"}, "target": {"Kyiv"}},
    ),
    (
        "Hezbollah fired rockets into northern Israel.",
        "Attack",
        {"agent": {"Hezbollah"}, "target": {"Israel"}},
    ),
    (
        "A US destroyer shot down three drones over the Red Sea.",
        "Attack",
        {"agent": {"United States"}, "location": {"Red Sea"}},
    ),
    (
        "Israeli air defences intercepted a missile over Eilat.",
        "Attack",
        {"agent": {"Israel"}},
    ),
    (
        "Armenian troops clashed with Azerbaijani forces near the border.",
        "Attack",
        {"agent": {"Armenia"}, "participant": {"Azerbaijan"}},
    ),
    (
        "Three Italian soldiers were wounded in Lebanon on Tuesday.",
        "Attack",
        {"target": {"Italy"}, "location": {"Lebanon"}},
    ),
    (
        "Two French peacekeepers were injured near Naqoura.",
        "Attack",
        {"target": {"France"}},
    ),
    (
        "French and Belgian jets hit the targets overnight.",
        "Attack",
        {"agent": {"France", "Belgium"}},
    ),
    # meetings
    (
        "Lloyd Austin visited US troops in Poland on Friday.",
        "Meeting",
        {"agent": {"Lloyd Austin"}, "participant": {"United States"}, "location": {"Poland"}},
    ),
    (
        "Lloyd Austin visited United States Central Command in Tampa.",
        "Meeting",
        {"agent": {"Lloyd Austin"}, "participant": {"United States Central Command"}},
    ),
    (
        "Emmanuel Macron visited Kyiv on Thursday.",
        "Meeting",
        {"agent": {"Emmanuel Macron"}, "location": {"Kyiv"}},
    ),
    (
        "During his visit to Kyiv, Olaf Scholz pledged more air defence.",
        "Meeting",
        {"location": {"Kyiv"}},
    ),
    # statements
    (
        "A communique by the European Union urged restraint.",
        "Statement",
        {"agent": {"European Union"}},
    ),
    (
        "A joint declaration by Japan and South Korea called for talks.",
        "Statement",
        {"agent": {"Japan", "South Korea"}},
    ),
    ("Iran denounced the sanctions on Monday.", "Statement", {"agent": {"Iran"}}),
    ("NATO reaffirmed its support for Ukraine.", "Statement", {"agent": {"NATO"}}),
    ("Israel vowed to respond to the attack.", "Statement", {"agent": {"Israel"}}),
    ("Japan pledged $5 billion in aid.", "Statement", {"agent": {"Japan"}}),
    ("Egypt urged both sides to stop fighting.", "Statement", {"agent": {"Egypt"}}),
    (
        "Russia accused Ukraine of shelling the plant.",
        "Statement",
        {"agent": {"Russia"}, "target": {"Ukraine"}},
    ),
    (
        "Germany criticized Turkey over the arrests.",
        "Statement",
        {"agent": {"Germany"}, "target": {"Turkey"}},
    ),
    (
        "Al-Shabaab claimed responsibility for the bombing in Mogadishu.",
        "Statement",
        {"agent": {"Al-Shabaab"}},
    ),
    (
        "The Pentagon said in a statement that the strikes hit five sites.",
        "Statement",
        {"agent": {"Pentagon"}},
    ),
    (
        "The Kremlin issued a statement on Sunday.",
        "Statement",
        {"agent": {"Kremlin"}},
    ),
    (
        "A statement by NATO said the alliance would respond.",
        "Statement",
        {"agent": {"NATO"}},
    ),
    (
        "A Pentagon statement said two soldiers were wounded.",
        "Statement",
        {"agent": {"Pentagon"}},
    ),
    (
        "A report published by the United Nations confirmed that the camp was shelled.",
        "Statement",
        {"agent": {"United Nations"}},
    ),
    (
        "Turkey announced a ceasefire in northern Syria.",
        "Statement",
        {"agent": {"Turkey"}},
    ),
    (
        "China warned the United States against sending warships.",
        "Statement",
        {"agent": {"China"}, "target": {"United States"}},
    ),
    (
        "France condemned the Iranian attacks on shipping.",
        "Statement",
        {"agent": {"France"}, "target": {"Iran"}},
    ),
    (
        "NATO confirmed that one soldier was killed.",
        "Statement",
        {"agent": {"NATO"}},
    ),
    (
        "Joe Biden and Olaf Scholz expressed concern about the fighting.",
        "Statement",
        {"agent": {"Joe Biden", "Olaf Scholz"}},
    ),
    # movement and seizure in conflict reporting
    (
        "Hundreds of mercenary fighters crossed into Niger from Mali overnight.",
        "Deployment",
        {"destination": {"Niger"}, "location": {"Mali"}},
    ),
    (
        "Two Chinese destroyers sailed through the Tsushima Strait on Friday.",
        "Deployment",
        {"agent": {"China"}, "location": {"Tsushima Strait"}},
    ),
    (
        "Ethiopian troops entered Somalia on Sunday, witnesses said.",
        "Deployment",
        {"agent": {"Ethiopia"}, "destination": {"Somalia"}},
    ),
    (
        "Sudanese army units advanced toward Khartoum at dawn.",
        "Deployment",
        {"agent": {"Sudan"}, "destination": {"Khartoum"}},
    ),
    (
        "Russia amassed 100,000 troops along Ukraine's eastern border.",
        "Deployment",
        {"agent": {"Russia"}, "location": {"Ukraine"}},
    ),
    (
        "Rebel fighters stormed the town of Goma on Monday.",
        "Attack",
        {"target": {"Goma"}},
    ),
    (
        "Iraqi soldiers captured Tikrit after a week of fighting.",
        "Attack",
        {"agent": {"Iraq"}, "target": {"Tikrit"}},
    ),
    (
        "Government troops recaptured the city of Mosul from the militants.",
        "Attack",
        {"target": {"Mosul"}},
    ),
]


@pytest.mark.parametrize(("text", "event_type", "roles"), TRIGGERS)
def test_event_lexicon_trigger_gives_type_and_parties(events_of, text, event_type, roles):
    found = [r for e, r in events_of(text) if e.event_type == event_type]
    assert found, f"no {event_type} in {[(e.event_type, e.trigger) for e, _ in events_of(text)]}"
    merged: dict[str, set[str]] = {}
    for found_roles in found:
        for role, names in found_roles.items():
            merged.setdefault(role, set()).update(names)
    for role, names in roles.items():
        assert names <= merged.get(role, set()), (role, merged)


NOT_EVENTS = [
    ("Joe Biden said the economy was growing.", "Statement"),
    ("The minister said on Monday that the talks had gone well.", "Statement"),
    ("Montenegro declared independence in 2006.", "Statement"),
    ("The government will cut taxes in Germany next year.", "Withdrawal"),
    ("Joe Biden visited a museum in Berlin.", "Meeting"),
    ("The club fired its coach in Madrid on Monday.", "Attack"),
    ("Oil prices retreated from their highs in London.", "Withdrawal"),
    ("Residents evacuated the town in Bavaria before the flood.", "Withdrawal"),
    ("Two cyclists were injured in a crash in Belgium.", "Attack"),
    ("Protesters in Peru tried to take over the town hall.", "Handover"),
    ("The company will move its offices from Berlin to Poland.", "Deployment"),
    ("Politicians in Italy clashed over the budget.", "Attack"),
    ("Analysts said the sanctions could hit Russia's revenues.", "Attack"),
    ("Inflation in Turkey hit a record in May.", "Attack"),
    ("Apple will return $90 billion to shareholders in the United States.", "Deployment"),
]


@pytest.mark.parametrize(("text", "event_type"), NOT_EVENTS)
def test_event_lexicon_ordinary_use_is_no_event(events_of, text, event_type):
    assert [e.trigger for e, _ in events_of(text) if e.event_type == event_type] == []


def test_event_lexicon_capitalised_headline_noun_is_a_trigger(events_of):
    found = events_of("Houthi Attacks Disrupt Shipping in the Red Sea")
    assert "Attack" in {e.event_type for e, _ in found}
