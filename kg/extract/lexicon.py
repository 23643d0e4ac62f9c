"""The event lexicon and grammar tables, read from data (`kg/data/event_*.json`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.records import ArgumentRole, EventType
from kg.resources import data_file


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """When a verb or noun announces an event, and of which type."""

    event_type: EventType
    military: bool = False  # only about troops: 'reduce troops', not 'reduce taxes'
    particles: tuple[str, ...] = ()  # one must be a child: pull OUT, hand OVER
    objects: tuple[str, ...] = ()  # the object must be one of these: launch MISSILES
    excluded_objects: tuple[str, ...] = ()  # never with these: declare INDEPENDENCE
    troop_object: bool = False  # pull 700 TROOPS
    with_argument: bool = False  # discuss WITH someone
    person_object: bool = False  # host SOMEONE
    by_preposition: tuple[EventType, EventType] | None = None  # relocate FROM / TO
    objects_are_entities: bool = False  # hit AL-ASAD, not hit a record
    stative: bool = False  # troops STATIONED in Kuwait: where they are, not a move
    joins_object: bool = False  # reinforce US TROOPS: the object is joined, not moved


# The role an argument takes when it names a person or body, and when it names a place.
RoleChoice = tuple[ArgumentRole, ArgumentRole]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Trigger words, each with its senses tried in order, and the words that mark troops."""

    verbs: dict[str, tuple[TriggerSpec, ...]]
    nouns: dict[str, tuple[TriggerSpec, ...]]
    troop_nouns: frozenset[str]  # words for forces: 'troops', 'service members', 'squadron'
    troop_designation: re.Pattern[str]  # aircraft named by type: 'F-35s'
    military_nouns: frozenset[str]  # troop nouns and other words that make a clause military
    planned_cues: frozenset[str]
    denial_cues: frozenset[str]
    # Every word with a sense as a verb or a noun: a token whose lemma, word or singular is
    # none of them triggers nothing (`kg.extract.triggers.may_trigger`).
    trigger_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class Grammar:
    """Which parse relation gives which argument; see `kg/data/event_grammar.json`."""

    preposition_roles: dict[str, dict[str, RoleChoice]]
    object_roles: dict[str, RoleChoice]
    reporting_verbs: frozenset[str]
    light_verbs: frozenset[str]
    order_verbs: frozenset[str]
    collective_nouns: frozenset[str]
    assignment_verbs: frozenset[str]
    presence_verbs: frozenset[str]
    staying_verbs: frozenset[str]
    possession_verbs: frozenset[str]
    presence_prepositions: frozenset[str]
    now_words: frozenset[str]
    ongoing_words: frozenset[str]
    modals: frozenset[str]
    time_nouns: frozenset[str]
    adjunct_nouns: frozenset[str]
    movement_particles: frozenset[str]


def _spec(raw: dict[str, Any]) -> TriggerSpec:
    by_preposition = raw.get("by_preposition")
    return TriggerSpec(
        event_type=raw["type"],
        military=raw.get("military", False),
        particles=tuple(raw.get("particles", ())),
        objects=tuple(raw.get("objects", ())),
        excluded_objects=tuple(raw.get("excluded_objects", ())),
        troop_object=raw.get("troop_object", False),
        with_argument=raw.get("with", False),
        person_object=raw.get("person_object", False),
        by_preposition=tuple(by_preposition) if by_preposition else None,  # type: ignore[arg-type]
        objects_are_entities=raw.get("objects_are_entities", False),
        stative=raw.get("stative", False),
        joins_object=raw.get("joins_object", False),
    )


def _senses(raw: dict[str, Any] | list[dict[str, Any]]) -> tuple[TriggerSpec, ...]:
    return tuple(_spec(s) for s in raw) if isinstance(raw, list) else (_spec(raw),)


def _choice(raw: str | list[str]) -> RoleChoice:
    if isinstance(raw, str):
        return raw, raw  # type: ignore[return-value]
    actor, place = raw
    return actor, place  # type: ignore[return-value]


def load_lexicon() -> Lexicon:
    """The lexicon the running pipeline names (default: the shipped one)."""
    return _lexicon(data_file("event_triggers.json"))


def load_grammar() -> Grammar:
    """The argument grammar the running pipeline names (default: the shipped one)."""
    return _grammar(data_file("event_grammar.json"))


@cache
def _lexicon(path: Path) -> Lexicon:
    """The lexicon in `path`, parsed once per process."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    troop_nouns = frozenset(raw["troop_nouns"])
    return Lexicon(
        verbs={lemma: _senses(spec) for lemma, spec in raw["verbs"].items()},
        nouns={lemma: _senses(spec) for lemma, spec in raw["nouns"].items()},
        troop_nouns=troop_nouns,
        troop_designation=re.compile(raw["troop_designation"]),
        military_nouns=troop_nouns | frozenset(raw["military_words"]),
        planned_cues=frozenset(raw["planned_cues"]),
        denial_cues=frozenset(raw["denial_cues"]),
        trigger_words=frozenset(raw["verbs"]) | frozenset(raw["nouns"]),
    )


@cache
def _grammar(path: Path) -> Grammar:
    """The argument grammar in `path`, parsed once per process."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Grammar(
        preposition_roles={
            word: {event: _choice(role) for event, role in roles.items()}
            for word, roles in raw["preposition_roles"].items()
        },
        object_roles={event: _choice(role) for event, role in raw["object_roles"].items()},
        **{
            name: frozenset(raw[name])
            for name in (
                "reporting_verbs",
                "light_verbs",
                "order_verbs",
                "collective_nouns",
                "assignment_verbs",
                "presence_verbs",
                "staying_verbs",
                "possession_verbs",
                "presence_prepositions",
                "now_words",
                "ongoing_words",
                "modals",
                "time_nouns",
                "adjunct_nouns",
                "movement_particles",
            )
        },
    )
