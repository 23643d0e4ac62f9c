"""'Base X in Y' → X kg:locatedIn Y, read from the sentence."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "inner", "outer"),
    [
        ("Soldiers left Camp Buehring in Kuwait on Friday.", "Camp Buehring", "Kuwait"),
        ("Rockets struck the Balad air base in Iraq.", "Balad Air Base", "Iraq"),
        ("Drones hit Ain al-Asad in the western province of Anbar.", "Al Asad Airbase", "Anbar"),
        ("Militants attacked the K-1 air base near Kirkuk.", "K-1 Air Base", "Kirkuk"),
    ],
)
def test_base_located_in_place(extract, text, inner, outer):
    extraction = extract(text)
    names = {m.start: m.name for m in extraction.mentions}
    assert (inner, outer) in {(names[p.inner], names[p.outer]) for p in extraction.placements}


def test_no_placement_without_a_place(extract):
    assert extract("Soldiers left Camp Buehring in a hurry.").placements == ()
