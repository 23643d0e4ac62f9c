"""The SHACL engine: the `shacl` package (Rust), with the shapes compiled once per process.

Chosen over pySHACL after checking both on the shapes' test cases and on
thousands of defects planted in a 300-article graph (focus node, path and
shape agree on every one): the check itself is about eighty times faster
(benchmarks/bench_validate.py). Where the two differ the engine follows the
SHACL specification: `sh:lessThanOrEquals` reports a pair of values that
cannot be compared (an index typed as a date), which pySHACL passes silently.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cache
from typing import Literal as TypingLiteral

import shacl
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.resources import ontology_dir
from kg.validation.needs import Path
from kg.validation.report import Violation, show_term
from kg.validation.shapes import SHAPES_FILE, class_tree, shape_label, shape_message
from kg.validation.split import split_shapes
from kg.validation.terms import parse_terms

DataFormat = TypingLiteral["ntriples", "nquads"]
# The values a focus node has for a predicate, for a too-many-values result.
ValuesOf = Callable[[Node, URIRef], Iterable[Node]]
_SEVERITIES = ("Violation", "Warning", "Info")


@cache
def _compiled() -> shacl.Shapes:
    return shacl.Shapes.from_file(str(ontology_dir() / SHAPES_FILE))


@cache
def split_compiled(typed: frozenset[Path]) -> tuple[shacl.Shapes, shacl.Shapes]:
    """The shapes split (`kg.validation.split`) for the class-checked paths `typed`, compiled:
    the checks of a node's own part and those of its class-checked values' parts."""
    own, values = split_shapes(typed)
    return shacl.Shapes.from_text(own, format="ntriples"), shacl.Shapes.from_text(
        values, format="ntriples"
    )


def check(data: str, fmt: DataFormat = "ntriples") -> Sequence[shacl.Result]:
    """Every result of validating `data`, with the ontology's class tree, against the shapes."""
    return check_with_tree(data + class_tree(), fmt)


def check_with_tree(
    data: str, fmt: DataFormat = "ntriples", shapes: shacl.Shapes | None = None
) -> Sequence[shacl.Result]:
    """Every result of validating `data`, which holds the ontology's class tree already
    (a large text need not be copied to add it), against `shapes` (the newskg shapes if None)."""
    compiled = _compiled() if shapes is None else shapes
    return compiled.validate_text(data, format=fmt, allow_warnings=True).results


def violations(
    results: Iterable[shacl.Result], values_of: ValuesOf, focus: Collection[str] | None = None
) -> list[Violation]:
    """The engine's results as `Violation`s; only those on `focus` nodes (N-Triples) if given."""
    kept = [r for r in results if focus is None or r.focus_node in focus]
    terms = parse_terms(text for r in kept for text in _terms_of(r))
    return [_violation(r, terms, values_of) for r in kept]


def _terms_of(result: shacl.Result) -> Iterable[str]:
    yield result.focus_node
    for text in (result.value, result.source_shape):
        if text is not None:
            yield text
    if result.path is not None and result.path.startswith("<"):
        yield result.path


def _violation(result: shacl.Result, terms: dict[str, Node], values_of: ValuesOf) -> Violation:
    shape = terms[result.source_shape] if result.source_shape else URIRef("")
    path: Node | None = None
    if result.path is not None:
        # a predicate, or another path in SPARQL syntax (`^<…>`), kept as written
        path = terms[result.path] if result.path.startswith("<") else Literal(result.path)
    focus = terms[result.focus_node]
    constraint = result.component.removesuffix("ConstraintComponent")
    found: tuple[Node, ...] = ()
    if constraint == "MaxCount" and isinstance(path, URIRef):
        found = tuple(sorted(set(values_of(focus, path)), key=lambda n: n.n3()))
    severity = result.severity if result.severity in _SEVERITIES else "Violation"
    return Violation(
        focus_node=focus,
        path=path,
        shape=shape,
        shape_label=shape_label(shape) or show_term(shape),
        message=shape_message(shape) or result.message or "does not conform",
        severity=severity,  # type: ignore[arg-type]
        value=terms[result.value] if result.value is not None else None,
        constraint=constraint,
        found=found,
    )
