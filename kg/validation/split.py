"""The shapes split in two, so that a class-checked value is checked in its own part.

A check of a value's class reads the value's types, which live with the value;
the other checks of a node read the node itself. Checked in one pass, a node
named in most articles would need all its values' types beside it. Split, the
shapes' results are those of two sets of shapes over different data:

- `values`: for each property shape, directly under a targeted node shape,
  whose path's values are class-checked (`Needs.typed_values`), its checks of
  one value at a time (`sh:class`, `sh:nodeKind`, an `sh:or` of them…), under
  its node shapes' targets. A result depends on the statement, the focus
  node's types (its target) and the value's types.
- `own`: the shapes without those checks. A result depends on the focus node's
  statements, of a class-checked path only as many as a count reads.

Together they report what the shapes report, each result once, under the
same shape IRIs. A shape whose class check folds into a result on the node (an
`sh:class` inside an `sh:or` of a node shape), or whose target is a predicate
other than the class-checked path, is refused with `UnsupportedShape`.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import RDF, SH, Graph
from rdflib.collection import Collection
from rdflib.term import Node

from kg.validation.needs import (
    AGGREGATE_PREDICATES,
    ANNOTATIONS,
    TARGETS,
    Path,
    UnsupportedShape,
    read_path,
)
from kg.validation.shapes import shapes_graph


def split_shapes(typed: frozenset[Path]) -> tuple[str, str]:
    """The newskg shapes as (`own`, `values`) N-Triples texts, `typed` the class-checked paths."""
    own, values = split(shapes_graph(), typed)
    return own.serialize(format="nt"), values.serialize(format="nt")


def split(shapes: Graph, typed: frozenset[Path]) -> tuple[Graph, Graph]:
    """`shapes` as the `own` and `values` shapes of the module docstring.

    Raises:
        UnsupportedShape: a class check that cannot be made where the value lives.
    """
    own, values = _copy(shapes), _copy(shapes)
    per_value: set[Node] = set()  # the typed property shapes and what their checks reach
    for node_shape in sorted({s for t in TARGETS for s in shapes.subjects(t, None)}, key=str):
        targets = {(str(p), False) for p in shapes.objects(node_shape, SH.targetSubjectsOf)}
        kept = False
        for predicate, value in shapes.predicate_objects(node_shape):  # type: ignore[arg-type]
            if _constrains(predicate) and predicate != SH.property:
                values.remove((node_shape, predicate, value))
        for member in shapes.objects(node_shape, SH.property):  # type: ignore[arg-type]
            path_node = shapes.value(member, SH.path)  # type: ignore[arg-type]
            path = read_path(shapes, member, path_node) if path_node is not None else None
            if path not in typed:
                values.remove((node_shape, SH.property, member))
                continue
            if targets and path not in targets:
                raise UnsupportedShape(
                    f"{member}: a class check under a shape targeting other predicates"
                )
            kept = True
            for predicate, value in shapes.predicate_objects(member):  # type: ignore[arg-type]
                if not _constrains(predicate) or predicate == SH.path:
                    continue
                if predicate in AGGREGATE_PREDICATES:
                    values.remove((member, predicate, value))
                else:
                    own.remove((member, predicate, value))
                    per_value.update(_reached(shapes, value))
            per_value.add(member)
        if not kept:
            for target in TARGETS:
                values.remove((node_shape, target, None))
    for checked in shapes.subjects(SH["class"], None):
        targeted = any(shapes.value(checked, t) is not None for t in TARGETS)  # type: ignore[arg-type]
        if checked not in per_value and not targeted:
            raise UnsupportedShape(f"{checked}: a class check folded into a result on the node")
    return own, values


def _constrains(predicate: Node) -> bool:
    """Whether a shape's property is a constraint (or its path), not a target or annotation."""
    return str(predicate).startswith(str(SH)) and predicate not in ANNOTATIONS | TARGETS


def _reached(shapes: Graph, node: Node) -> Iterator[Node]:
    """`node` and the shapes and list cells its description reaches (an `sh:or`'s members)."""
    yield node
    if shapes.value(node, RDF.first) is not None:  # type: ignore[arg-type]
        for member in Collection(shapes, node):  # type: ignore[arg-type]
            yield from _reached(shapes, member)
        return
    for _, value in shapes.predicate_objects(node):  # type: ignore[arg-type]
        yield from _reached(shapes, value)


def _copy(shapes: Graph) -> Graph:
    copied = Graph(bind_namespaces="none")
    for triple in shapes:
        copied.add(triple)
    return copied
