"""Acronyms an article defines name what they stand for, or nothing."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "acronym", "name"),
    [
        ("The Joint Logistics Group (JLG) moved the fuel. Later the JLG said the depot was full.",
         "JLG", "Joint Logistics Group"),
        ("The Maritime Security Centre (MSC) issued a warning. MSC said two ships were hit.",
         "MSC", "Maritime Security Centre"),
    ],
)  # fmt: skip
def test_acronyms_after_a_name_are_that_name(extract, text, acronym, name):
    short = [m for m in extract(text).mentions if m.text == acronym]
    assert short
    assert all(m.name == name and m.forms == (acronym,) for m in short)


@pytest.mark.parametrize(
    ("text", "acronym"),
    [
        ("The army fielded a new medium-range air defense system (MRADS). "
         "MRADS batteries were deployed along the border.", "MRADS"),
        ("Crews fired a long-range precision munition (LRPM) at the depot. The LRPM hit.",
         "LRPM"),
    ],
)  # fmt: skip
def test_acronyms_after_a_common_noun_name_nothing(extract, text, acronym):
    assert acronym not in {m.text for m in extract(text).mentions}


def test_acronyms_a_name_that_does_not_spell_it_is_not_its_long_form(extract):
    text = "The South Lebanon Army (SLA) shelled the village. SLA gunners fired again."
    assert "Lebanon" not in {m.name for m in extract(text).mentions if m.text == "SLA"}
