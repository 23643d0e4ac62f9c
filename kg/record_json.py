"""Extraction records as plain JSON values and back, checked field by field.

This is the extraction cache's format (and the store's after it): data that
anyone able to write the cache folder could have crafted, so reading it must
never run code. Unlike pickle, nothing here instantiates a class the bytes
name: every record type, field and field type is spelled out below, and a
value of the wrong shape raises `RecordFormatError` instead of being trusted.

Each record class has one `_Record` spec listing all its fields; a spec that
misses a field of its dataclass fails at import, so a field added to
`kg/records.py` cannot be dropped from the cache without notice.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from kg.records import (
    ARGUMENT_ROLES,
    ENTITY_CLASSES,
    Article,
    ArticleExtraction,
    EntityMention,
    EventMention,
    EventType,
    Figure,
    PlacementMention,
    RoleMention,
    Segment,
    Status,
)

T = TypeVar("T")
R = TypeVar("R")
Json = Any  # what json.loads gives: dict, list, str, int, float, bool or None


class RecordFormatError(ValueError):
    """A JSON value that is not a well-formed record of the expected type."""


@dataclass(frozen=True, slots=True)
class _Field(Generic[T]):
    """How one field's value is written to JSON and read back (with its checks)."""

    encode: Callable[[T], Json]
    decode: Callable[[Json], T]


def _int_value(value: Json) -> int:
    if type(value) is not int:  # bool is an int subclass: refuse it too
        raise RecordFormatError(f"expected an integer, got {value!r:.40}")
    return value


def _str_value(value: Json) -> str:
    if not isinstance(value, str):
        raise RecordFormatError(f"expected a string, got {value!r:.40}")
    return value


def _date_value(value: Json) -> date:
    try:
        return date.fromisoformat(_str_value(value))
    except ValueError as err:
        raise RecordFormatError(f"expected an ISO date, got {value!r:.40}") from err


INT: _Field[int] = _Field(lambda v: v, _int_value)
STR: _Field[str] = _Field(lambda v: v, _str_value)
DATE: _Field[date] = _Field(lambda v: v.isoformat(), _date_value)


def _choice(options: tuple[str, ...]) -> _Field[Any]:
    """A string that must be one of `options` (a `Literal` type's values)."""

    def decode(value: Json) -> str:
        if value not in options:
            raise RecordFormatError(f"expected one of {', '.join(options)}, got {value!r:.40}")
        return typing.cast(str, value)

    return _Field(lambda v: v, decode)


def _optional(inner: _Field[T]) -> _Field[T | None]:
    return _Field(
        lambda v: None if v is None else inner.encode(v),
        lambda v: None if v is None else inner.decode(v),
    )


def _tuple(inner: _Field[T]) -> _Field[tuple[T, ...]]:
    def decode(value: Json) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise RecordFormatError(f"expected a list, got {value!r:.40}")
        return tuple(inner.decode(item) for item in value)

    return _Field(lambda v: [inner.encode(item) for item in v], decode)


def _pair(first: _Field[T], second: _Field[R]) -> _Field[tuple[T, R]]:
    def decode(value: Json) -> tuple[T, R]:
        if not isinstance(value, list) or len(value) != 2:
            raise RecordFormatError(f"expected a pair, got {value!r:.40}")
        return first.decode(value[0]), second.decode(value[1])

    return _Field(lambda v: [first.encode(v[0]), second.encode(v[1])], decode)


class _Record(Generic[T]):
    """A record class's JSON object: exactly these fields, each of its own kind.

    `fixed` fields are not stored: they are given these values on reading
    (an article's text, which the extraction records do not need).
    """

    def __init__(
        self,
        cls: type[T],
        fields: Mapping[str, _Field[Any]],
        fixed: Mapping[str, object] | None = None,
    ) -> None:
        declared = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        fixed = dict(fixed or {})
        if declared != set(fields) | set(fixed):
            missing = sorted(declared - set(fields) - set(fixed))
            raise TypeError(f"the JSON form of {cls.__name__} lacks or invents fields: {missing}")
        self.cls = cls
        self.fields = dict(fields)
        self.fixed = fixed

    def encode(self, record: T) -> dict[str, Json]:
        return {name: f.encode(getattr(record, name)) for name, f in self.fields.items()}

    def decode(self, value: Json) -> T:
        if not isinstance(value, dict) or value.keys() != self.fields.keys():
            raise RecordFormatError(f"expected the fields of {self.cls.__name__}")
        values = {name: f.decode(value[name]) for name, f in self.fields.items()}
        return self.cls(**values, **self.fixed)

    def field(self) -> _Field[T]:
        """This record as a field of another."""
        return _Field(self.encode, self.decode)


_SEGMENT = _Record(Segment, {"body_start": INT, "source_start": INT, "length": INT})
_ARTICLE = _Record(
    Article,
    {
        "source_file": STR,
        "segments": _tuple(_SEGMENT.field()),
        "title": _optional(STR),
        "published": _optional(DATE),
        "publisher": _optional(STR),
        "authors": _tuple(STR),
        "url": _optional(STR),
        "body_digest": STR,
    },
    fixed={"source_text": "", "body": ""},
)
_ENTITY_MENTION = _Record(
    EntityMention,
    {
        "text": STR,
        "start": INT,
        "end": INT,
        "entity_class": _choice(ENTITY_CLASSES),
        "name": STR,
        "forms": _tuple(STR),
        "gazetteer_id": _optional(STR),
        "sentence_start": INT,
        "sentence_end": INT,
        "acts_for": _tuple(STR),
    },
)
_FIGURE = _optional(_Record(Figure, {"value": INT, "qualifier": _optional(STR)}).field())
_EVENT_MENTION = _Record(
    EventMention,
    {
        "event_type": _choice(typing.get_args(EventType)),
        "trigger": STR,
        "start": INT,
        "end": INT,
        "sentence_start": INT,
        "sentence_end": INT,
        "arguments": _tuple(_pair(_choice(ARGUMENT_ROLES), INT)),
        "date": _optional(STR),
        "troops_before": _FIGURE,
        "troops_after": _FIGURE,
        "troop_count": _FIGURE,
        "status": _choice(typing.get_args(Status)),
        "evidence": STR,
    },
)
_ROLE_MENTION = _Record(
    RoleMention,
    {
        "person": INT,
        "title": STR,
        "of": _tuple(INT),
        "sentence_start": INT,
        "sentence_end": INT,
    },
)
_PLACEMENT_MENTION = _Record(
    PlacementMention,
    {"inner": INT, "outer": INT, "sentence_start": INT, "sentence_end": INT},
)
_EXTRACTION = _Record(
    ArticleExtraction,
    {
        "article": _ARTICLE.field(),
        "mentions": _tuple(_ENTITY_MENTION.field()),
        "events": _tuple(_EVENT_MENTION.field()),
        "roles": _tuple(_ROLE_MENTION.field()),
        "placements": _tuple(_PLACEMENT_MENTION.field()),
    },
)


def extraction_to_json(extraction: ArticleExtraction) -> dict[str, Json]:
    """An article's extraction as a JSON object; the article's text is left out."""
    return _EXTRACTION.encode(extraction)


def extraction_from_json(value: Json) -> ArticleExtraction:
    """The extraction `extraction_to_json` wrote, its article without text.

    Raises:
        RecordFormatError: when `value` is not exactly such an object.
    """
    return _EXTRACTION.decode(value)
