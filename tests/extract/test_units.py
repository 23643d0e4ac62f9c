"""Military units: named by their chain of command, shared heads spread, their state."""

from __future__ import annotations

import pytest

from kg.extract.units import echelon


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Bravo Battery", 2),
        ("2nd Battalion", 3),
        ("5th Field Artillery Regiment", 4),
        ("1st Armored Brigade Combat Team", 4),
        ("82nd Airborne Division", 5),
        ("V Corps", 6),
        ("Joint Staff", 0),
        ("Cavalry Regiment", 0),
    ],
)
def test_units_echelon_from_designation(name, level):
    assert echelon(name) == level


def test_units_chain_of_command_names_the_small_unit(extract):
    text = "Bravo Battery, 2nd Battalion, 5th Field Artillery Regiment fired first."
    units = {m.name: m for m in extract(text).mentions if m.entity_class == "Organization"}
    assert set(units) == {
        "Bravo Battery, 2nd Battalion, 5th Field Artillery Regiment",
        "2nd Battalion, 5th Field Artillery Regiment",
        "5th Field Artillery Regiment",
    }
    assert units["Bravo Battery, 2nd Battalion, 5th Field Artillery Regiment"].forms == (
        "Bravo Battery",
    )
    for mention in units.values():
        assert text[mention.start : mention.end] == mention.text


def test_units_a_lower_unit_after_a_comma_is_no_parent(extract):
    text = "The 3rd Infantry Division, 1st Battalion and the engineers left."
    names = {m.name for m in extract(text).mentions if m.entity_class == "Organization"}
    assert "3rd Infantry Division, 1st Battalion" not in names


def test_units_shared_head_gives_two_units(extract):
    text = "Marines of the I and II Marine Expeditionary Force trained together."
    units = [m for m in extract(text).mentions if m.entity_class == "Organization"]
    assert {m.name for m in units} == {
        "I Marine Expeditionary Force",
        "II Marine Expeditionary Force",
    }
    for mention in units:
        assert text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    ("text", "unit", "state"),
    [
        ("The Australian Army's 1st Brigade moved to Darwin.", "1st Brigade", "country/australia"),
        ("U.S. Soldiers of the 3rd Infantry Division arrived in Poland.", "3rd Infantry Division",
         "country/united-states"),
        ("Britain's 16 Air Assault Brigade flew to Cyprus.", "16 Air Assault Brigade",
         "country/united-kingdom"),
    ],
)  # fmt: skip
def test_units_serve_the_state_the_text_gives(extract, text, unit, state):
    mentions = {m.name: m for m in extract(text).mentions}
    assert mentions[unit].acts_for == (state,)


def test_units_with_two_national_forces_in_the_story_get_no_guess(extract):
    text = (
        "French soldiers and German soldiers trained together. "
        "The 12th Cuirassier Regiment led the march."
    )
    mentions = {m.name: m for m in extract(text).mentions}
    assert mentions["12th Cuirassier Regiment"].acts_for == ()


@pytest.mark.parametrize(
    ("text", "organ", "state"),
    [
        ("The Kenya Defence Forces said the convoy was safe.", "Kenya Defence Forces",
         "country/kenya"),
        ("Officers of the Kosovo Police closed the bridge.", "Kosovo Police", "country/kosovo"),
    ],
)  # fmt: skip
def test_units_state_organs_serve_the_state_they_are_named_after(extract, text, organ, state):
    mentions = {m.name: m for m in extract(text).mentions}
    assert mentions[organ].acts_for == (state,)
