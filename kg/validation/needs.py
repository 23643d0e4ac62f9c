"""Which triples the shapes read around a focus node, so a store can hand over only those.

Validating a few graphs of a large store must report what validating the whole
graph reports for their nodes. The engine sees a focus node as the whole graph
shows it when it is given:

- every triple whose subject is the node: its types (so its targets), the
  values of every forward path, the values a pair constraint compares;
- every triple that points at the node by a predicate of an inverse path;
- the types of the values of every path whose values `sh:class` checks;
- the class tree (`rdfs:subClassOf`).

`needs()` reads the shapes and names the predicates of the last two points. A
shape that reads farther (a property shape on a value node, a sequence or
transitive path, a SPARQL constraint, a target other than `sh:targetClass`
and `sh:targetSubjectsOf`) is refused with `UnsupportedShape`: a new shape
must not silently make a partial validation miss a violation.

Reference: https://www.w3.org/TR/shacl/#core-components
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, SH, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.validation.shapes import shapes_graph

# A path: the predicate IRI and whether it is followed backwards (sh:inversePath).
Path = tuple[str, bool]


class UnsupportedShape(ValueError):
    """A shape reads triples that a partial validation would not hand over."""


@dataclass(frozen=True, slots=True)
class Needs:
    """What the shapes read beyond a focus node's own triples.

    Attributes:
        inverse: predicates of inverse paths: triples `?x p focus` are needed.
        typed_values: paths whose value nodes `sh:class` checks: their types are needed.
    """

    inverse: frozenset[str]
    typed_values: frozenset[Path]


# Constraints on one value node's term, read from nothing but the term.
_ON_TERM = frozenset(
    SH[name]
    for name in (
        "datatype nodeKind in hasValue minInclusive maxInclusive minExclusive maxExclusive "
        "pattern flags minLength maxLength languageIn"
    ).split()
)
# Constraints on all the values of the shape's path at the focus node.
_ON_COUNT = frozenset({SH.minCount, SH.maxCount, SH.uniqueLang})
# Constraints comparing with the values of a predicate at the focus node itself.
_ON_PAIR = frozenset({SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals})
_LOGICAL_LISTS = frozenset({SH["or"], SH["and"], SH.xone})
_LOGICAL_ONE = frozenset({SH["not"], SH.node})
_TARGETS = frozenset({SH.targetClass, SH.targetSubjectsOf})
# Shape properties that constrain nothing.
_ANNOTATIONS = frozenset(
    {SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group}
)


@cache
def needs() -> Needs:
    """What `ontology/shapes.ttl` reads beyond each focus node's own triples."""
    return read_needs(shapes_graph())


def read_needs(shapes: Graph) -> Needs:
    """What `shapes` reads beyond each focus node's own triples.

    Raises:
        UnsupportedShape: a shape reads farther than the points in the module docstring.
    """
    for predicate in (SH.targetNode, SH.targetObjectsOf, SH.target):
        for shape in shapes.subjects(predicate, None):
            raise UnsupportedShape(f"{shape}: only sh:targetClass and sh:targetSubjectsOf targets")
    for cls in (RDFS.Class, OWL.Class):
        for shape in shapes.subjects(RDF.type, cls):
            if {SH.NodeShape, SH.PropertyShape} & set(shapes.objects(shape, RDF.type)):
                raise UnsupportedShape(f"{shape}: a shape that is also a class targets implicitly")
    walk = _Walk(shapes)
    for target in _TARGETS:
        for shape in sorted(set(shapes.subjects(target, None)), key=str):
            walk.shape(shape, at=None)
    return Needs(inverse=frozenset(walk.inverse), typed_values=frozenset(walk.typed_values))


class _Walk:
    """Visits shapes from their targets, noting what each constraint reads."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.inverse: set[str] = set()
        self.typed_values: set[Path] = set()
        self.seen: set[tuple[Node, Path | None]] = set()

    def shape(self, shape: Node, at: Path | None) -> None:
        """Visit `shape` applied to the focus node (`at` None) or to the values of path `at`."""
        if (shape, at) in self.seen:
            return
        self.seen.add((shape, at))
        path_node = self.shapes.value(shape, SH.path)  # type: ignore[arg-type]
        values_at = at
        if path_node is not None:
            if at is not None:
                raise UnsupportedShape(f"{shape}: a property shape on a value node reads 2 hops")
            values_at = self._path(shape, path_node)
        for predicate, value in self.shapes.predicate_objects(shape):  # type: ignore[arg-type]
            if not str(predicate).startswith(str(SH)) or predicate in _ANNOTATIONS:
                continue
            self._constraint(shape, predicate, value, at, values_at)

    def _constraint(
        self, shape: Node, predicate: Node, value: Node, at: Path | None, values_at: Path | None
    ) -> None:
        if predicate in _TARGETS or predicate in _ON_TERM or predicate == SH.path:
            return
        if predicate in _ON_COUNT or predicate in _ON_PAIR:
            if at is not None:  # counted or compared at a value node: 2 hops
                raise UnsupportedShape(f"{shape}: {predicate} on a value node reads 2 hops")
            return
        if predicate == SH["class"]:
            if values_at is not None:
                self.typed_values.add(values_at)
            return
        if predicate == SH.property:
            if values_at is not None:
                raise UnsupportedShape(f"{shape}: sh:property on a value node reads 2 hops")
            self.shape(value, at=None)
            return
        if predicate in _LOGICAL_LISTS or predicate in _LOGICAL_ONE:
            for member in self._members(predicate, value):
                self.shape(member, at=values_at)
            return
        raise UnsupportedShape(f"{shape}: {predicate} is not read by kg.validation.needs")

    def _members(self, predicate: Node, value: Node) -> Iterator[Node]:
        if predicate in _LOGICAL_ONE:
            yield value
        else:
            yield from Collection(self.shapes, value)  # type: ignore[arg-type]

    def _path(self, shape: Node, path: Node) -> Path:
        if isinstance(path, URIRef):
            return (str(path), False)
        inverse = self.shapes.value(path, SH.inversePath)  # type: ignore[arg-type]
        if isinstance(inverse, URIRef) and len(list(self.shapes.predicate_objects(path))) == 1:  # type: ignore[arg-type]
            self.inverse.add(str(inverse))
            return (str(inverse), True)
        raise UnsupportedShape(f"{shape}: only a predicate or its sh:inversePath as sh:path")
