"""Which triples the shapes read around a focus node, so a store can hand over only those.

Validating some graphs of a large store must report what validating the whole
graph reports, without reading an entity's thousands of mentions each time
one article is checked. SHACL results are of two kinds:

- a result on one value (`sh:datatype`, `sh:class`, `sh:nodeKind`… of a
  property shape): it depends on one statement (focus node, path, value),
  on the value's types (`sh:class`) and on the focus node being a target;
- any other result (`sh:minCount`, `sh:maxCount`, `sh:lessThanOrEquals`, a
  constraint on the node itself, an `sh:or` of property shapes): it depends
  on the node's types and on its values for a few paths; a count is decided
  by a few values of its path (`witnesses`), and a target by one.

`needs()` reads the shapes and says which paths a check reads (`paths`),
which values are class-checked (`typed_values`), which paths a result of the
second kind reads whole (`full`: compared, or checked value by value inside
an `sh:or`), and how many values of the other paths it reads (`witnesses`). A shape that reads
farther (a property shape on a value node, a sequence or transitive path, a
SPARQL constraint, a target other than `sh:targetClass` and
`sh:targetSubjectsOf`) is refused with `UnsupportedShape`: a new shape must
not silently make a partial validation miss a violation.

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
    """What the shapes read around a focus node.

    Attributes:
        paths: every path a shape reads, and every predicate whose subjects a shape targets.
        typed_values: paths whose value nodes `sh:class` checks: their types are read.
        full: paths whose every value a result of the second kind reads.
        witnesses: for each path a result of the second kind reads, how many
            of its values decide it: the largest sh:minCount or sh:maxCount + 1,
            and 1 for a predicate whose subjects a shape targets.
        targeting: predicates whose subjects a shape targets that checks other
            paths value by value: a result on one value reads whether the node
            has one of them (one witness).
    """

    paths: frozenset[Path]
    typed_values: frozenset[Path]
    full: frozenset[Path]
    witnesses: dict[Path, int]
    targeting: frozenset[Path] = frozenset()

    @property
    def inverse(self) -> frozenset[str]:
        """Predicates of inverse paths: the triples pointing at a node by them are read."""
        return frozenset(predicate for predicate, inverse in self.paths if inverse)


# The components of results of the second kind: not about one value alone.
AGGREGATE_COMPONENTS = frozenset(
    "MinCount MaxCount UniqueLang HasValue Equals Disjoint LessThan LessThanOrEquals".split()
)

# Constraints on one value node's term, read from nothing but the term.
_ON_TERM = frozenset(
    SH[name]
    for name in (
        "datatype nodeKind in minInclusive maxInclusive minExclusive maxExclusive "
        "pattern flags minLength maxLength languageIn"
    ).split()
)
# Constraints on all the values of the shape's path at the focus node.
_ON_COUNT = frozenset({SH.minCount, SH.maxCount})
# Constraints on all the values of the path together.
_ON_ALL_VALUES = frozenset({SH.uniqueLang, SH.hasValue})
# Constraints comparing with the values of a predicate at the focus node itself.
_ON_PAIR = frozenset({SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals})
# The constraints of a property shape read together over all the values of its path.
AGGREGATE_PREDICATES = _ON_COUNT | _ON_ALL_VALUES | _ON_PAIR
_LOGICAL_LISTS = frozenset({SH["or"], SH["and"], SH.xone})
_LOGICAL_ONE = frozenset({SH["not"], SH.node})
TARGETS = frozenset({SH.targetClass, SH.targetSubjectsOf})
# Shape properties that constrain nothing.
ANNOTATIONS = frozenset(
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
    for target in TARGETS:
        for shape in sorted(set(shapes.subjects(target, None)), key=str):
            walk.shape(shape, at=None, folded=False)
        for targeted in shapes.objects(None, SH.targetSubjectsOf):
            walk.paths.add((str(targeted), False))
            walk.count((str(targeted), False), 1)
    return Needs(
        paths=frozenset(walk.paths),
        typed_values=frozenset(walk.typed_values),
        full=frozenset(walk.full),
        witnesses=dict(sorted(walk.witnesses.items())),
        targeting=frozenset(_targeting(shapes, walk)),
    )


def _targeting(shapes: Graph, walk: _Walk) -> Iterator[Path]:
    """The target predicates of each shape checking, value by value, a path it does not target."""
    for shape in set(shapes.subjects(SH.targetSubjectsOf, None)):
        targets = {(str(q), False) for q in shapes.objects(shape, SH.targetSubjectsOf)}
        checked = {
            walk.path_of(member, path)
            for member in shapes.objects(shape, SH.property)  # type: ignore[arg-type]
            if (path := shapes.value(member, SH.path)) is not None  # type: ignore[arg-type]
        }
        if checked - targets:
            yield from targets


class _Walk:
    """Visits shapes from their targets, noting what each constraint reads.

    `at` is None for a shape applied to the focus node, the path for a shape
    applied to its values; `folded` says the shape's results fold into one
    result on the node (a member of an `sh:or` on the node), which then reads
    every value the shape checks.
    """

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.paths: set[Path] = set()
        self.typed_values: set[Path] = set()
        self.full: set[Path] = set()
        self.witnesses: dict[Path, int] = {}
        self.seen: set[tuple[Node, Path | None, bool]] = set()

    def shape(self, shape: Node, at: Path | None, folded: bool) -> None:
        """Visit `shape` applied to the focus node (`at` None) or to the values of path `at`."""
        if (shape, at, folded) in self.seen:
            return
        self.seen.add((shape, at, folded))
        path_node = self.shapes.value(shape, SH.path)  # type: ignore[arg-type]
        values_at = at
        if path_node is not None:
            if at is not None:
                raise UnsupportedShape(f"{shape}: a property shape on a value node reads 2 hops")
            values_at = self.path_of(shape, path_node)
            self.paths.add(values_at)
        for predicate, value in self.shapes.predicate_objects(shape):  # type: ignore[arg-type]
            if not str(predicate).startswith(str(SH)) or predicate in ANNOTATIONS:
                continue
            self._constraint(shape, predicate, value, at, values_at, folded)

    def _constraint(
        self,
        shape: Node,
        predicate: Node,
        value: Node,
        at: Path | None,
        values_at: Path | None,
        folded: bool,
    ) -> None:
        if predicate in TARGETS or predicate == SH.path:
            return
        on_values = values_at is not None and at is None  # a property shape's own constraint
        if predicate in _ON_COUNT or predicate in _ON_PAIR or predicate in _ON_ALL_VALUES:
            if not on_values and not (at is None and predicate in _ON_PAIR | {SH.hasValue}):
                raise UnsupportedShape(f"{shape}: {predicate} on a value node reads 2 hops")
            if predicate in _ON_COUNT and values_at is not None:
                count = int(value)  # type: ignore[call-overload]
                self.count(values_at, count + 1 if predicate == SH.maxCount else count)
            elif values_at is not None:
                self.full.add(values_at)
            if predicate in _ON_PAIR:
                self.full.add((str(value), False))
            return
        if predicate in _ON_TERM or predicate == SH["class"]:
            if values_at is not None:
                if predicate == SH["class"]:
                    self.typed_values.add(values_at)
                if folded:
                    self.full.add(values_at)
            return
        if predicate == SH.property:
            if values_at is not None:
                raise UnsupportedShape(f"{shape}: sh:property on a value node reads 2 hops")
            self.shape(value, at=None, folded=folded)
            return
        if predicate in _LOGICAL_LISTS or predicate in _LOGICAL_ONE:
            for member in self._members(predicate, value):
                self.shape(member, at=values_at, folded=folded or values_at is None)
            return
        raise UnsupportedShape(f"{shape}: {predicate} is not read by kg.validation.needs")

    def count(self, path: Path, values: int) -> None:
        """Note that `values` values of `path` decide a count or a target."""
        if values > 0:
            self.witnesses[path] = max(self.witnesses.get(path, 0), values)

    def _members(self, predicate: Node, value: Node) -> Iterator[Node]:
        if predicate in _LOGICAL_ONE:
            yield value
        else:
            yield from Collection(self.shapes, value)  # type: ignore[arg-type]

    def path_of(self, shape: Node, path: Node) -> Path:
        return read_path(self.shapes, shape, path)


def read_path(shapes: Graph, shape: Node, path: Node) -> Path:
    """The `sh:path` `path` of `shape` as a `Path`.

    Raises:
        UnsupportedShape: the path is neither a predicate nor its `sh:inversePath`.
    """
    if isinstance(path, URIRef):
        return (str(path), False)
    inverse = shapes.value(path, SH.inversePath)  # type: ignore[arg-type]
    if isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(path))) == 1:  # type: ignore[arg-type]
        return (str(inverse), True)
    raise UnsupportedShape(f"{shape}: only a predicate or its sh:inversePath as sh:path")
