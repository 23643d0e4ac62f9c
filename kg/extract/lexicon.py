"""The event trigger lexicon, read from data (`kg/data/event_triggers.json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.records import EventType
from kg.resources import data_file


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """When a verb or noun announces an event, and of which type."""

    event_type: EventType
    military: bool = False  # only about troops: 'reduce troops', not 'reduce taxes'
    particles: tuple[str, ...] = ()  # one must be a child: pull OUT, hand OVER
    objects: tuple[str, ...] = ()  # the object must be one of these: launch MISSILES
    with_argument: bool = False  # discuss WITH someone
    person_object: bool = False  # visit SOMEONE
    by_preposition: tuple[EventType, EventType] | None = None  # relocate FROM / TO
    needs_modifier: tuple[str, ...] = ()  # a JOINT statement
    objects_are_entities: bool = False  # hit AL-ASAD, not hit a record


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, TriggerSpec]
    nouns: dict[str, TriggerSpec]
    military_nouns: frozenset[str]
    planned_cues: frozenset[str]
    denial_cues: frozenset[str]


def _spec(raw: dict[str, Any]) -> TriggerSpec:
    by_preposition = raw.get("by_preposition")
    return TriggerSpec(
        event_type=raw["type"],
        military=raw.get("military", False),
        particles=tuple(raw.get("particles", ())),
        objects=tuple(raw.get("objects", ())),
        with_argument=raw.get("with", False),
        person_object=raw.get("person_object", False),
        by_preposition=tuple(by_preposition) if by_preposition else None,  # type: ignore[arg-type]
        needs_modifier=tuple(raw.get("needs_modifier", ())),
        objects_are_entities=raw.get("objects_are_entities", False),
    )


@cache
def load_lexicon() -> Lexicon:
    """The shipped lexicon, parsed once per process."""
    raw = json.loads(data_file("event_triggers.json").read_text(encoding="utf-8"))
    return Lexicon(
        verbs={lemma: _spec(spec) for lemma, spec in raw["verbs"].items()},
        nouns={lemma: _spec(spec) for lemma, spec in raw["nouns"].items()},
        military_nouns=frozenset(raw["military_nouns"]),
        planned_cues=frozenset(raw["planned_cues"]),
        denial_cues=frozenset(raw["denial_cues"]),
    )
