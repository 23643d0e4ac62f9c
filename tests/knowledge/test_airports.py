"""Airfield records in, bases and airports out, with the names news uses for them."""

from __future__ import annotations

import pytest

from kg.gazetteer import load_gazetteer
from kg.knowledge.airports import airfields, name_variants

FIXTURE = [
    {"name": "RAF Little Stowe", "country": "GB"},
    {"name": "Okuma Ridge Air Base", "country": "JP"},
    {"name": "Calder Flats Air Force Base", "country": "US"},
    {"name": "Brandes Air Field 2 Airport", "country": "US"},
    {"name": "Nkansa International Airport", "country": "GH"},
    {"name": "Smalltown Municipal Airport", "country": "US"},
]


@pytest.fixture(scope="module")
def entries():
    return {e.label: e for e in airfields(load_gazetteer(), FIXTURE)}


def test_airports_military_airfields_are_bases_in_their_country(entries):
    kadena = entries["Okuma Ridge Air Base"]
    assert (kadena.key, kadena.entity_class) == ("base/okuma-ridge-air-base", "MilitaryBase")
    assert kadena.located_in == ("country/japan",)
    assert kadena.origin == "airports"


@pytest.mark.parametrize(
    ("label", "alias"),
    [
        ("RAF Little Stowe", "Royal Air Force Little Stowe"),
        ("Calder Flats Air Force Base", "Calder Flats AFB"),
        ("Okuma Ridge Air Base", "Okuma Ridge AB"),
    ],
)
def test_airports_bases_answer_to_spelled_out_and_short_names(entries, label, alias):
    assert alias in entries[label].aliases


def test_airports_international_airports_are_places(entries):
    assert entries["Nkansa International Airport"].entity_class == "Place"


def test_airports_other_fields_are_left_out(entries):
    assert "Brandes Air Field 2 Airport" not in entries
    assert "Smalltown Municipal Airport" not in entries


def test_airports_name_variants_go_both_ways():
    assert name_variants("RAAF Base Tindal") >= {
        "RAAF Base Tindal",
        "Royal Australian Air Force Base Tindal",
    }
