"""A nationality word brings its country in where the country acts, not where it describes."""

from __future__ import annotations

import pytest


def _countries(extract, text):
    return {m.name for m in extract(text).mentions if m.entity_class == "Country"}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Italian soldiers patrolled the town.", "Italy"),
        ("Several soldiers of the Belgian and Dutch contingent were hurt.", "Netherlands"),
        ("The Qatari-brokered deal held for a week.", "Qatar"),
        ("French President Emmanuel Macron spoke to reporters.", "France"),
        ("The Turkish-backed fighters advanced at dawn.", "Turkey"),
        ("Canadian officials denied the report.", "Canada"),
    ],
)
def test_nationality_that_acts_names_its_country(extract, text, country):
    assert country in _countries(extract, text)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("A Panamanian-flagged tanker sank near the coast.", "Panama"),
        ("Ethnic Serbs protested in the north.", "Serbia"),
        ("Officials admired the Swiss watch.", "Switzerland"),
        ("The drones were Chinese-made, investigators said.", "China"),
    ],
)
def test_nationality_that_describes_names_no_country(extract, text, country):
    assert country not in _countries(extract, text)


def test_nationality_of_a_country_named_outright_stays(extract):
    text = "Panama protested. A Panamanian-flagged tanker had been seized."
    mentions = [m for m in extract(text).mentions if m.name == "Panama"]
    assert {m.text for m in mentions} == {"Panama", "Panamanian"}


def test_nationality_of_people_who_clash_acts(extract):
    text = "Police clashed with Croatian protesters near the border on Sunday."
    assert "Croatia" in _countries(extract, text)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Saudi airstrikes hit a fuel depot near the port.", "Saudi Arabia"),
        ("The Ethiopian withdrawal left the town undefended.", "Ethiopia"),
    ],
)
def test_nationality_on_an_event_names_who_carried_it_out(extract, text, country):
    assert country in _countries(extract, text)
