"""Check a graph against the newskg SHACL shapes, so users can trust what they load.

Two ways in, one engine (`kg.validation.engine`): `validate_graph` checks an
rdflib graph whole (`kg validate FILE`); `validate_store` checks some named
graphs of an Oxigraph store, or all of them chunk by chunk, and reports what
checking the whole graph says about them (`kg.validation.extract` says how),
so a build validates only what changed, in bounded memory.

The ontology's class tree is mixed into the data, so that `sh:targetClass
kg:Event` reaches every event subclass through its `rdfs:subClassOf` triples.
No inference is run (see the note at the top of shapes.ttl).

Reference: https://www.w3.org/TR/shacl/#validation-report
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.export import is_dataset
from kg.graphio import QUAD_SUFFIXES, GraphFileError, read_quads
from kg.rdfterms import UnsupportedTerm, rdflib_term
from kg.validation import engine
from kg.validation.extract import CHUNK_TRIPLES, Extractor, GraphReader
from kg.validation.needs import needs
from kg.validation.report import Severity, ValidationReport, Violation, show_term

__all__ = [
    "GraphFileError",
    "Severity",
    "ValidationReport",
    "Violation",
    "load_graph_file",
    "show_term",
    "validate_graph",
    "validate_store",
]


def validate_graph(data: Graph) -> ValidationReport:
    """Validate `data` whole against `ontology/shapes.ttl`.

    Args:
        data: a `Graph`, or a `Dataset` (validated as the union of its graphs:
            an entity's description and the articles it points to may sit in
            different named graphs).

    Returns:
        The report; `conforms` is False when any result is a violation.
    """
    quads = is_dataset(data)
    text = data.serialize(format="nquads" if quads else "nt")

    def values_of(focus: Node, path: URIRef) -> Iterable[Node]:
        if quads:
            return (o for _, _, o, _ in data.quads((focus, path, None, None)))  # type: ignore[attr-defined]
        return data.objects(focus, path)  # type: ignore[arg-type]

    results = engine.check(text, "nquads" if quads else "ntriples")
    return ValidationReport.of(engine.violations(results, values_of), text.count("\n"))


def validate_union(store: ox.Store, ntriples: str | None = None) -> ValidationReport:
    """Validate the union of every graph of `store` in one pass of the engine.

    The same report as `validate_store(store)`, an order of magnitude faster
    (at 1,000 articles, 1–3 s instead of 12), but the engine holds the whole
    union at once: about 0.7 KB a triple. For graphs that fit (see
    `kg.build_validation.WHOLE_UNION_QUADS`). `ntriples` is the union as
    N-Triples when the caller has it (a build's chunk files); else it is
    read from the store.
    """
    if ntriples is None:
        every = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        union = store.query(every, use_default_graph_as_union=True)
        assert isinstance(union, ox.QueryTriples)
        ntriples = (union.serialize(format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    triples = len(set(ntriples.split("\n"))) - 1  # the text ends with one
    results = engine.check(ntriples)
    return ValidationReport.of(engine.violations(results, _values_in(store)), triples)


def validate_store(
    store: ox.Store,
    graphs: Collection[ox.NamedNode] | None = None,
    nodes: Collection[ox.NamedNode] = (),
    chunk_triples: int = CHUNK_TRIPLES,
    read_graph: GraphReader | None = None,
) -> ValidationReport:
    """Validate some named graphs of `store`, reporting what the whole graph says about them.

    A result of the whole graph belongs to the graphs that state what it is
    about: a result on one value (a class, a datatype) to the graphs stating
    that statement; any other result on a node (a count, a comparison, its
    type) to the graphs that describe the node or point at it (an article's
    entities). The report holds exactly the results that belong to `graphs`,
    reading from the rest of the store only what their checks need
    (`kg.validation.extract`): an incremental build validates the articles it
    rebuilt without reading the thousand other mentions of a country they
    name, and a full build validates every graph chunk by chunk in bounded
    memory, with the same report as a validation of the whole graph.

    Args:
        store: an Oxigraph store, e.g. the build's (one named graph per article
            plus the entity graph).
        graphs: the graphs to validate; None for every graph.
        nodes: further nodes whose own results (counts, types) to report, e.g.
            the entities an article that left the build used to name.
        chunk_triples: about how many triples of the graphs the engine checks
            at a time.
        read_graph: a faster way to a graph's statements than the store's
            (see `kg.validation.extract.Extractor`).

    Raises:
        ValueError: the graphs hold a blank node (a query cannot name one, and
            the engine renames them; kg build writes none).
    """
    names: list[ox.NamedNode | ox.DefaultGraph] = (
        list(graphs) if graphs is not None else [*store.named_graphs(), ox.DefaultGraph()]  # type: ignore[list-item]
    )

    values = _values_in(store)
    violations: list[Violation] = []
    triples = 0
    extractor = Extractor(store, needs(), chunk_triples, read_graph)
    for chunk in extractor.chunks(names, nodes):
        if chunk.focus:
            results = engine.violations(engine.check(chunk.data), values, chunk.focus)
            violations += filter(chunk.keep, results)
            triples += chunk.triples
    return ValidationReport.of(violations, triples)


def _values_in(store: ox.Store) -> Callable[[Node, URIRef], Iterable[Node]]:
    """How a result reads the values a node has for a property, in any graph of `store`."""

    def values_of(focus: Node, path: URIRef) -> Iterable[Node]:
        quads = store.quads_for_pattern(ox.NamedNode(str(focus)), ox.NamedNode(path), None, None)
        return (rdflib_term(quad.object) for quad in quads)

    return values_of


def load_graph_file(path: Path) -> Graph:
    """Read a graph file or a build folder's best file into rdflib (see `kg.graphio`).

    TriG, N-Quads and JSON-LD files are read into a `Dataset` (they may hold
    named graphs); Turtle and N-Triples into a `Graph`.

    Raises:
        GraphFileError: naming the file and the problem.
    """
    file, quads, prefixes = read_quads(path)
    graph: Graph = Dataset() if file.suffix.lower() in QUAD_SUFFIXES else Graph()
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    try:
        _add_quads(graph, quads)
    except UnsupportedTerm as err:
        raise GraphFileError(file, f"it holds a term kg validate cannot read: {err}") from err
    return graph


def _add_quads(graph: Graph, quads: list[ox.Quad]) -> None:
    """Add `quads` to `graph`: into their named graphs when it is a `Dataset`."""
    terms: dict[object, Node] = {}  # a term repeats on many lines: convert it once

    def term(value: object) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = rdflib_term(value)
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
