"""Check a graph against the newskg SHACL shapes, so users can trust what they load.

The shapes are `ontology/shapes.ttl`; the ontology `ontology/newskg.ttl` is
mixed into the data graph (pySHACL's `ont_graph`) so that `sh:targetClass
kg:Event` reaches every event subclass through its `rdfs:subClassOf` triples.
No inference is run (see the note at the top of shapes.ttl).

Reference: https://www.w3.org/TR/shacl/#validation-report
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeAlias

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.export import union_graph
from kg.namespaces import PREFIXES
from kg.resources import ontology_dir

__all__ = [
    "GRAPH_FILE_FORMATS",
    "GraphFileError",
    "Severity",
    "ValidationReport",
    "Violation",
    "load_graph_file",
    "show_term",
    "validate_graph",
]

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "newskg.ttl"

Severity: TypeAlias = typing.Literal["Violation", "Warning", "Info"]

# The format of a graph file, by its suffix; quad formats are read into a Dataset.
GRAPH_FILE_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
}
_QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})
_OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "json-ld": ox.RdfFormat.JSON_LD,
}

_LONG_LITERAL = 80  # characters of a literal value shown in a report line


class GraphFileError(ValueError):
    """A graph file that cannot be read: missing, of unknown format, or not valid RDF."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"cannot read {path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result: which node breaks which shape, and how.

    Attributes:
        focus_node: the node that does not conform.
        path: the property concerned, or None for a constraint on the node itself.
        shape: the violated shape (`kgsh:EventEvidenceShape`).
        shape_label: the shape's rdfs:label ("Event evidence"), or its IRI.
        message: what is wrong (the shape's sh:message, or pySHACL's own).
        severity: "Violation", "Warning" or "Info".
        value: the offending value, when there is one.
        constraint: the SHACL constraint component ("MinCount", "Datatype"…).
        found: for a too-many-values result, the values the node has.
    """

    focus_node: Node
    path: Node | None
    shape: Node
    shape_label: str
    message: str
    severity: Severity
    value: Node | None = None
    constraint: str = ""
    found: tuple[Node, ...] = ()

    def line(self) -> str:
        """One readable line: focus node, path, message, then the shape and value."""
        detail = f"shape: {self.shape_label}"
        if self.value is not None and self.value != self.focus_node:
            detail += f"; value: {show_term(self.value)}"
        if self.found:
            detail += "; found: " + ", ".join(show_term(v) for v in self.found)
        parts = [show_term(self.focus_node)]
        if self.path is not None:
            parts.append(show_term(self.path))
        return f"{self.severity}: {' '.join(parts)}: {self.message} [{detail}]"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of `validate_graph`.

    Attributes:
        conforms: True when no result has severity "Violation".
        violations: every result (warnings included), sorted by focus node, path and shape.
        triples: how many triples were checked.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    @property
    def summary(self) -> str:
        """One line: "validation: conforms" or what failed, counted."""
        if not self.violations:
            return "validation: conforms"
        counts = Counter(v.severity for v in self.violations)
        by_severity = ", ".join(
            f"{n} {severity.lower()}{'s' if n > 1 else ''}"
            for severity, n in sorted(counts.items())
        )
        nodes = len({v.focus_node for v in self.violations})
        shapes = Counter(v.shape_label for v in self.violations)
        worst = "; ".join(f"{label} ×{n}" for label, n in sorted(shapes.items()))
        verdict = "conforms with" if self.conforms else "does not conform:"
        return (
            f"validation: {verdict} {by_severity} on {nodes} node{'s' if nodes > 1 else ''} "
            f"({worst})"
        )

    @property
    def text(self) -> str:
        """The readable report: one line per result, then the summary."""
        return "\n".join([*(v.line() for v in self.violations), self.summary])


def show_term(term: Node) -> str:
    """A term on one line: `kg:agent` for vocabulary IRIs, `<…>` for others, quoted literals."""
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > _LONG_LITERAL:
            text = text[: _LONG_LITERAL - 1] + "…"
        quoted = json.dumps(text, ensure_ascii=False)
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None:
            return f"{quoted}^^{show_term(term.datatype)}"
        return quoted
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, namespace in PREFIXES.items():
            local = iri.removeprefix(str(namespace))
            if local != iri and local and not any(c in local for c in "/#?"):
                return f"{prefix}:{local}"
        return f"<{iri}>"
    return term.n3()


@cache
def _shapes_and_ontology() -> tuple[Graph, Graph]:
    """The shapes graph and the ontology, parsed once per process."""
    folder = ontology_dir()
    shapes = Graph().parse(folder / SHAPES_FILE, format="turtle")
    ontology = Graph().parse(folder / ONTOLOGY_FILE, format="turtle")
    return shapes, ontology


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    """The smallest value of `predicate` on `subject` (deterministic), or None."""
    values = sorted(graph.objects(subject, predicate), key=lambda n: n.n3())  # type: ignore[arg-type]
    return values[0] if values else None


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _violation(results: Graph, shapes: Graph, result: Node) -> Violation:
    shape = _one(results, result, SH.sourceShape)
    label = None
    if shape is not None:
        label = _one(shapes, shape, RDFS.label) or _one(results, shape, RDFS.label)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))  # type: ignore[arg-type]
    severity_iri = _one(results, result, SH.resultSeverity)
    severity = _local_name(str(severity_iri)) if severity_iri is not None else "Violation"
    component = _one(results, result, SH.sourceConstraintComponent)
    focus = _one(results, result, SH.focusNode)
    return Violation(
        focus_node=focus if focus is not None else URIRef(""),
        path=_one(results, result, SH.resultPath),
        shape=shape if shape is not None else URIRef(""),
        shape_label=str(label) if label is not None else show_term(shape or URIRef("")),
        message=messages[0] if messages else "does not conform",
        severity=severity if severity in ("Violation", "Warning", "Info") else "Violation",  # type: ignore[arg-type]
        value=_one(results, result, SH.value),
        constraint=_local_name(str(component)).removesuffix("ConstraintComponent")
        if component is not None
        else "",
    )


def _with_found_values(data: Graph, violation: Violation) -> Violation:
    """Add the values a node has too many of (SHACL reports no value for sh:maxCount)."""
    if violation.constraint != "MaxCount" or not isinstance(violation.path, URIRef):
        return violation
    found = sorted(data.objects(violation.focus_node, violation.path), key=lambda n: n.n3())  # type: ignore[arg-type]
    return dataclasses.replace(violation, found=tuple(found))


def _sort_key(violation: Violation) -> tuple[str, ...]:
    return (
        violation.focus_node.n3(),
        violation.path.n3() if violation.path is not None else "",
        violation.shape_label,
        violation.message,
        violation.value.n3() if violation.value is not None else "",
    )


def validate_graph(data: Graph) -> ValidationReport:
    """Validate `data` against `ontology/shapes.ttl`.

    Args:
        data: a `Graph`, or a `Dataset` (validated as the union of its graphs:
            an entity's description and the articles it points to may sit in
            different named graphs).

    Returns:
        The report; `conforms` is False when any result is a violation.
    """
    shapes, ontology = _shapes_and_ontology()
    # One copy of the data with the ontology's class tree in it, validated in
    # place: pySHACL's own ont_graph mixing would copy the data a second time.
    graph = Graph(bind_namespaces="none")
    for triple in union_graph(data):
        graph.add(triple)
    for triple in ontology:
        graph.add(triple)
    conforms, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inplace=True,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
        meta_shacl=False,
    )
    assert isinstance(results, Graph)
    violations = sorted(
        (
            _with_found_values(graph, _violation(results, shapes, r))
            for r in results.objects(None, SH.result)
        ),
        key=_sort_key,
    )
    return ValidationReport(
        conforms=bool(conforms), violations=tuple(violations), triples=len(graph)
    )


def load_graph_file(path: Path) -> Graph:
    """Read a graph file, choosing the parser by suffix (see `GRAPH_FILE_FORMATS`).

    TriG, N-Quads and JSON-LD files are read into a `Dataset` (they may hold
    named graphs); Turtle and N-Triples into a `Graph`.

    The file may come from anyone, so it is read by Oxigraph's parsers, in
    time linear in its size (rdflib's take quadratic time on a long literal),
    and offline: a JSON-LD `@context` that names another document, on the web
    or on disk, is refused, never fetched or opened.

    Raises:
        GraphFileError: when the file is missing, has an unknown suffix, is
            not valid RDF in its format or needs a remote context; the
            message names the file and the problem.
    """
    path = Path(path)
    fmt = GRAPH_FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        choices = ", ".join(GRAPH_FILE_FORMATS)
        raise GraphFileError(path, f"unknown suffix {path.suffix!r}; use one of {choices}")
    if not path.exists():
        raise GraphFileError(path, "no such file; run `kg build` first or give another path")
    if not path.is_file():
        raise GraphFileError(path, "not a file")
    try:
        parser = ox.parse(
            path=path, format=_OXIGRAPH_FORMATS[fmt], base_iri=path.absolute().as_uri()
        )
        quads = list(parser)
    except (SyntaxError, ValueError) as err:
        raise GraphFileError(path, _parse_problem(fmt, err)) from err
    except OSError as err:
        raise GraphFileError(path, err.strerror or str(err)) from err
    except MemoryError as err:
        if _TERM_LIMIT not in str(err):
            raise
        raise GraphFileError(
            path, f"a term in it is longer than kg reads ({TERM_LIMIT_TEXT}): {err}"
        ) from err
    graph: Graph = Dataset() if fmt in _QUAD_FORMATS else Graph()
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    try:
        _add_quads(graph, quads)
    except _UnsupportedTerm as err:
        raise GraphFileError(path, f"not valid {fmt}: {err}") from err
    return graph


# Oxigraph's parsers hold one term at most this long in their buffer, and fail with
# this message beyond it.
_TERM_LIMIT = "buffer maximal size"
TERM_LIMIT_TEXT = "16 MB, about 8 MB in JSON-LD"

# Oxigraph's JSON-LD parser fails with this when a context names another document:
# it has no way to load one, which is what keeps reading offline.
_REMOTE_CONTEXT = "LoadDocumentCallback"


def _parse_problem(fmt: str, err: Exception) -> str:
    if _REMOTE_CONTEXT in str(err):
        return (
            "its @context names another document (a URL or a file); kg reads JSON-LD offline "
            "and never fetches or opens one: put the context in the file itself"
        )
    return f"not valid {fmt}: {str(err).strip() or type(err).__name__}"


class _UnsupportedTerm(ValueError):
    """A term rdflib cannot hold: an RDF 1.2 triple term."""


_STRING = ox.NamedNode(str(XSD.string))
_LANG_STRING = ox.NamedNode(str(RDF.langString))


def _rdflib_term(term: object) -> Node:
    """An Oxigraph term as rdflib's: a plain string stays a plain `Literal`, as rdflib reads it."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise _UnsupportedTerm(f"cannot hold the term {term}")


def _add_quads(graph: Graph, quads: list[ox.Quad]) -> None:
    """Add `quads` to `graph`: into their named graphs when it is a `Dataset`."""
    terms: dict[object, Node] = {}  # a term repeats on many lines: convert it once

    def term(value: object) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = _rdflib_term(value)
        return found

    graphs: dict[object, Graph] = {}
    for quad in quads:
        triple = (term(quad.subject), term(quad.predicate), term(quad.object))
        if isinstance(graph, Dataset) and not isinstance(quad.graph_name, ox.DefaultGraph):
            name = quad.graph_name
            target = graphs.get(name)
            if target is None:
                target = graphs[name] = graph.graph(term(name))  # type: ignore[arg-type]
            target.add(triple)  # type: ignore[arg-type]
        else:
            graph.add(triple)  # type: ignore[arg-type]
