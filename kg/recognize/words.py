"""The recognizer's word tables (`kg/data/recognition.json` or the pipeline's choice), read once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.resources import data_file


@dataclass(frozen=True, slots=True)
class RecognitionWords:
    """Closed word classes the recognition rules ask about."""

    people_nouns: frozenset[str]  # 'Soldiers' after a name is not part of it
    locative_prepositions: frozenset[str]  # 'in Darwin': what follows is a place
    place_nouns: frozenset[str]  # 'the Darwin area'
    name_particles: frozenset[str]  # 'von der', 'al-' stay inside a person's name
    vessel_prefixes: frozenset[str]  # 'USS', 'MV': the name after is a ship's
    ordinal_words: frozenset[str]  # 'First Army'
    unit_heads: frozenset[str]  # what a military unit's name ends in
    unit_echelons: dict[str, int]  # company < battalion < regiment < division
    phonetic_letters: frozenset[str]  # 'Charlie Company'
    lettered_units: frozenset[str]  # units named by a letter: company, battery, troop
    actor_nouns: frozenset[str]  # 'Italian contingent': a nationality that acts
    agentive_compounds: frozenset[str]  # 'Iranian-backed' acts; 'Liberian-owned' describes
    state_organ_heads: frozenset[str]  # 'Australian Army' acts for Australia
    generic_nouns: frozenset[str]  # 'the Alliance', 'Soldiers': capitalised by style, not names
    force_words: frozenset[str]  # an organization with one of these is a force
    portfolio_words: frozenset[str]  # 'Defence Secretary': a ministry's field before a title


def recognition_words() -> RecognitionWords:
    """The tables the running pipeline names (default: the shipped ones)."""
    return _words(data_file("recognition.json"))


@cache
def _words(path: Path) -> RecognitionWords:
    """The tables in `path`, read once per process."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return RecognitionWords(
        people_nouns=frozenset(raw["people_nouns"]),
        locative_prepositions=frozenset(raw["locative_prepositions"]),
        place_nouns=frozenset(raw["place_nouns"]),
        name_particles=frozenset(raw["name_particles"]),
        vessel_prefixes=frozenset(raw["vessel_prefixes"]),
        ordinal_words=frozenset(raw["ordinal_words"]),
        unit_heads=frozenset(raw["unit_heads"]),
        unit_echelons=dict(raw["unit_echelons"]),
        phonetic_letters=frozenset(raw["phonetic_letters"]),
        lettered_units=frozenset(raw["lettered_units"]),
        actor_nouns=frozenset(raw["actor_nouns"]),
        agentive_compounds=frozenset(raw["agentive_compounds"]),
        state_organ_heads=frozenset(raw["state_organ_heads"]),
        generic_nouns=frozenset(raw["generic_nouns"]),
        force_words=frozenset(raw["force_words"]),
        portfolio_words=frozenset(raw["portfolio_words"]),
    )
