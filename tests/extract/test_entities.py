"""Sentence in, typed entity mentions out — on the real pipeline."""

from __future__ import annotations

import pytest

TYPING_CASES = [
    # (sentence, name, expected class, expected gazetteer key or None)
    ("Turkish troops crossed into Syria on Sunday.", "Syria", "Country", "country/syria"),
    (
        "The U.S. embassy in Baghdad was closed.",
        "United States",
        "Country",
        "country/united-states",
    ),
    ("Iranian officials said the talks had failed.", "Iran", "Country", "country/iran"),
    (
        "American soldiers patrolled the border.",
        "United States",
        "Country",
        "country/united-states",
    ),
    ("Fighters loyal to ISIS regrouped in the desert.", "Islamic State", "Organization", None),
    ("Daesh claimed the bombing.", "Islamic State", "Organization", None),
    (
        "A spokesman for CENTCOM declined to comment.",
        "United States Central Command",
        "Organization",
        None,
    ),
    ("Rockets struck Camp Taji north of the capital.", "Camp Taji", "MilitaryBase", None),
    (
        "Drones were launched from Incirlik Air Base overnight.",
        "Incirlik Air Base",
        "MilitaryBase",
        None,
    ),
    (
        "Soldiers arrived at Camp Buckmaster late on Friday.",
        "Camp Buckmaster",
        "MilitaryBase",
        None,
    ),
    ("Jets took off from Harlow Air Base before dawn.", "Harlow Air Base", "MilitaryBase", None),
    ("Protesters gathered in Mosul after Friday prayers.", "Mosul", "Place", None),
    ("The minister flew to Brussels for the summit.", "Brussels", "Place", None),
    ("Angela Merkel spoke to reporters in Berlin.", "Angela Merkel", "Person", None),
    ("The decision was announced by Gen. Mark Milley.", "Mark Milley", "Person", None),
    (
        "Officials in Washington welcomed the deal.",
        "Washington, D.C.",
        "Place",
        "place/washington-d-c",
    ),
]


@pytest.mark.parametrize(("sentence", "name", "entity_class", "key"), TYPING_CASES)
def test_entities_typed(extract, sentence, name, entity_class, key):
    mentions = extract(sentence).mentions
    found = {(m.name, m.entity_class) for m in mentions}
    assert (name, entity_class) in found, found
    if key:
        assert any(m.gazetteer_id == key for m in mentions if m.name == name)


@pytest.mark.parametrize(
    ("sentence", "not_expected"),
    [
        ("Unaddressed questions remain about the plan.", "Unaddressed"),
        ("The Marine General declined to answer.", "Marine General"),
        ("He said the us and them rhetoric must end.", "United States"),
        ("There is no easy answer, he said.", "IS"),
        ("Secretary of State Ann Ellery flew home.", "State"),
    ],
)
def test_entities_not_names_rejected(extract, sentence, not_expected):
    names = {m.name for m in extract(sentence).mentions}
    assert not_expected not in names


@pytest.mark.parametrize(
    ("sentence", "written", "name"),
    [
        ("Gen Kenneth Robertson visited the troops.", "Gen Kenneth Robertson", "Kenneth Robertson"),
        ("Mr Johnson said he would stay.", "Mr Johnson", "Johnson"),
    ],
)
def test_entities_titles_stripped_forms_kept(extract, sentence, written, name):
    persons = [m for m in extract(sentence).mentions if m.entity_class == "Person"]
    assert any(m.name == name for m in persons), persons
    assert any(written in m.forms or written == m.text for m in persons)


def test_entities_offsets_point_at_text(extract):
    text = "Iraqi Prime Minister Mustafa al-Kadhimi met Joe Biden in Washington."
    for mention in extract(text).mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.sentence_start <= mention.start < mention.end <= mention.sentence_end


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Troops left the base of Harmony near the river.", "Harmony Base"),
        ("Mortars hit the Kalsu air base overnight.", "Kalsu Air Base"),
    ],
)
def test_entities_base_names_one_spelling(extract, sentence, name):
    bases = {m.name for m in extract(sentence).mentions if m.entity_class == "MilitaryBase"}
    assert name in bases


@pytest.mark.parametrize(
    ("sentence", "not_a_name"),
    [
        ("Two F-16 fighters escorted the tanker.", "F-16"),
        ("C-17s landed in Kabul before noon.", "C-17s"),
        ("Escorting F-15E Strike Eagles took off at dawn.", "Strike Eagles"),
        ("The destroyer USS Mason shot down a drone.", "Mason"),
        ("The crew of MV Ocean Pearl was rescued.", "Ocean Pearl"),
        ("Army Maj. Gen. Laura Finch inspected the site.", "Army"),
        ("Leaders of the Alliance met in Brussels.", "Alliance"),
    ],
)
def test_entities_equipment_ships_and_style_capitals_are_no_entities(extract, sentence, not_a_name):
    assert not_a_name not in {m.name for m in extract(sentence).mentions}


def test_entities_capitals_in_a_dateline_become_a_name(extract):
    mentions = extract("FORT HOOD, Texas — The division came home.").mentions
    assert "Fort Hood" in {m.name for m in mentions}


@pytest.mark.parametrize(
    ("sentence", "not_a_body"),
    [
        ("Defence Secretary Ann Roe flew to Riga on Monday.", "Defence"),
        ("Interior Minister Bo Lee resigned.", "Interior"),
    ],
)
def test_entities_a_word_before_a_title_is_no_body(extract, sentence, not_a_body):
    assert not_a_body not in {m.name for m in extract(sentence).mentions}
