"""The curation file: an analyst's decisions as Turtle, read, sorted and written back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg.atomic import atomic_write_text
from kg.defaults import DEFAULT_BASE_IRI
from kg.graphio import GraphFileError, read_quads
from kg.names import match_key
from kg.namespaces import KG, PREFIX_IRIS
from kg.records import ENTITY_CLASSES

DecisionKind = Literal["reject", "split", "join", "class", "label"]
KINDS: tuple[DecisionKind, ...] = ("reject", "split", "join", "class", "label")  # applied so
ID_PREFIX = "id:"

_NAMED = ox.NamedNode(KG.named)
_NOT_AN_ENTITY = ox.NamedNode(KG.NotAnEntity)
_TYPE = ox.NamedNode(PREFIX_IRIS["rdf"] + "type")
_LABEL = ox.NamedNode(PREFIX_IRIS["rdfs"] + "label")
_PAIRS: dict[ox.NamedNode, DecisionKind] = {
    ox.NamedNode(PREFIX_IRIS["owl"] + "sameAs"): "join",
    ox.NamedNode(PREFIX_IRIS["owl"] + "differentFrom"): "split",
}
_CLASSES = {ox.NamedNode(KG[name]): name for name in ENTITY_CLASSES}
_HEADER = f"""\
# newskg curation: an analyst's decisions, applied by `kg build` over its own rules.
# A name is a label, any alias, or an IRI (id:… or in full). The first name of
# owl:sameAs is the node kept; the first name of owl:differentFrom is split off
# the second. kg join / split / reject / relabel add decisions and rewrite this
# file sorted, as below (comments other than this header are not kept).
@prefix kg: <{PREFIX_IRIS["kg"]}> .
@prefix owl: <{PREFIX_IRIS["owl"]}> .
@prefix rdfs: <{PREFIX_IRIS["rdfs"]}> .
"""


class CurationError(ValueError):
    """A curation file that cannot be read or written; the message names it and the fix."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision: `name` is the form split off or rejected, the node kept, the node
    relabelled; `other` the node split from or joined in, the label, or the class."""

    kind: DecisionKind
    name: str
    other: str = ""

    def __str__(self) -> str:
        return {
            "reject": f'reject "{self.name}"',
            "split": f'split "{self.name}" from "{self.other}"',
            "join": f'join "{self.other}" into "{self.name}"',
            "class": f'class of "{self.name}" is {self.other}',
            "label": f'label of "{self.name}" is "{self.other}"',
        }[self.kind]

    @property
    def slot(self) -> tuple[str, frozenset[str]]:
        """What the decision decides: a later decision of the same slot replaces it
        (a split of two names undoes their join; a new label, the old one)."""
        names = {_name_key(self.name)}
        if self.kind in ("split", "join"):
            return "pair", frozenset({*names, _name_key(self.other)})
        return self.kind, frozenset(names)

    def turtle(self) -> str:
        """The decision as one line of the curation file."""
        node = f"[ kg:named {_quoted(self.name)} ]"
        if self.kind == "reject":
            return f"{node} a kg:NotAnEntity ."
        if self.kind == "class":
            return f"{node} a kg:{self.other} ."
        if self.kind == "label":
            return f"{node} rdfs:label {_quoted(self.other)} ."
        verb = "owl:sameAs" if self.kind == "join" else "owl:differentFrom"
        return f"{node} {verb} [ kg:named {_quoted(self.other)} ] ."

    def sort_key(self) -> tuple[int, str, str, str]:
        return (KINDS.index(self.kind), self.name.casefold(), self.name, self.other)


def _quoted(text: str) -> str:
    return str(ox.Literal(text))  # N-Triples escaping, which Turtle reads


def _name_key(name: str) -> str:
    """Names that find the same node compare equal: IRIs under the default base as `id:`
    ones, other IRIs as written, names by match key."""
    if is_iri(name):
        return ID_PREFIX + name.removeprefix(ID_PREFIX).removeprefix(DEFAULT_BASE_IRI)
    return match_key(name)


def is_iri(name: str) -> bool:
    return name.startswith(ID_PREFIX) or "://" in name


@dataclass(frozen=True, slots=True)
class Curation:
    """The decisions of one curation file, sorted; empty when there is none."""

    decisions: tuple[Decision, ...] = ()

    def added(self, decision: Decision) -> tuple[Curation, tuple[Decision, ...]]:
        """This curation with `decision`, and the decisions it replaced (same slot)."""
        replaced = tuple(d for d in self.decisions if d.slot == decision.slot)
        kept = [d for d in self.decisions if d.slot != decision.slot]
        return Curation(sorted_decisions([*kept, decision])), replaced

    def of_kind(self, kind: DecisionKind) -> list[Decision]:
        return [d for d in self.decisions if d.kind == kind]

    def turtle(self) -> str:
        """The file's text: the header, then one line per decision, in order."""
        return _HEADER + "".join(f"\n{d.turtle()}" for d in self.decisions) + "\n"


def sorted_decisions(decisions: Iterable[Decision]) -> tuple[Decision, ...]:
    return tuple(sorted(set(decisions), key=Decision.sort_key))


def read_curation(path: Path) -> Curation:
    """The decisions in the curation file at `path`.

    Raises:
        CurationError: not a .ttl file, missing, not valid Turtle, or a
            statement that is no decision (naming it and what is read).
    """
    _check_suffix(path)
    try:
        _, quads, _ = read_quads(path)
    except GraphFileError as err:
        raise CurationError(str(err)) from err
    names: dict[object, str] = {
        quad.subject: quad.object.value
        for quad in quads
        if quad.predicate == _NAMED and isinstance(quad.object, ox.Literal)
    }
    decisions = []
    for quad in quads:
        if quad.predicate != _NAMED:
            decisions.append(_decision(quad, names, path))
    return Curation(sorted_decisions(decisions))


def _decision(quad: ox.Quad, names: dict[object, str], path: Path) -> Decision:
    """The decision one statement of the file makes."""

    def name_of(node: object) -> str:
        if isinstance(node, ox.NamedNode):
            return node.value
        if node in names:
            return names[node]
        raise CurationError(f'{path}: {node} names nothing; write [ kg:named "a name" ]')

    subject, predicate, obj = quad.subject, quad.predicate, quad.object
    if predicate == _TYPE and obj == _NOT_AN_ENTITY:
        return Decision("reject", name_of(subject))
    if predicate == _TYPE and obj in _CLASSES:
        return Decision("class", name_of(subject), _CLASSES[obj])  # type: ignore[index]
    if predicate == _LABEL and isinstance(obj, ox.Literal):
        return Decision("label", name_of(subject), obj.value)
    if predicate in _PAIRS:
        return Decision(_PAIRS[predicate], name_of(subject), name_of(obj))
    raise CurationError(
        f"{path}: {quad.triple} is no decision kg reads; use owl:sameAs, owl:differentFrom, "
        'rdfs:label "…", a kg:NotAnEntity, or a class such as kg:Place'
    )


def write_curation(path: Path, curation: Curation) -> None:
    """Write `curation` to `path` atomically, sorted: the same decisions, the same bytes."""
    _check_suffix(path)
    try:
        atomic_write_text(path, curation.turtle())
    except OSError as err:
        raise CurationError(f"cannot write {path}: {err.strerror or err}") from err


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() != ".ttl":
        raise CurationError(f"{path}: a curation file is Turtle; give a name ending in .ttl")
