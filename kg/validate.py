"""Check a graph against the newskg SHACL shapes, so users can trust what they load.

Three ways in, one engine (`kg.validation.engine`): `validate_graph` checks
an rdflib graph whole (`kg validate FILE`); `validate_union` checks the union
of an Oxigraph store's graphs, in parts cut by subject when it is large
(`kg.validation.parts`: a build's first check); `validate_store` checks some
named graphs of a store, and reports what checking the whole graph says
about them (`kg.validation.extract` says how), so a build validates only
what changed, in bounded memory.

The ontology's class tree is mixed into the data, so that `sh:targetClass
kg:Event` reaches every event subclass through its `rdfs:subClassOf` triples.
No inference is run (see the note at the top of shapes.ttl).

Reference: https://www.w3.org/TR/shacl/#validation-report
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.graphio import GraphFileError
from kg.rdflib_graphs import is_dataset
from kg.rdfterms import rdflib_term
from kg.validation import engine, parts
from kg.validation.extract import CHUNK_TRIPLES, Extractor, GraphReader
from kg.validation.needs import needs
from kg.validation.report import Severity, ValidationReport, Violation, show_term
from kg.validation.shapes import class_tree

__all__ = [
    "GraphFileError",
    "Severity",
    "ValidationReport",
    "Violation",
    "show_term",
    "validate_graph",
    "validate_store",
    "validate_union",
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


def validate_union(
    store: ox.Store,
    nquads: Iterable[bytes] | None = None,
    *,
    quads: int | None = None,
    part_quads: int | None = None,
    folder: Path | None = None,
) -> ValidationReport:
    """Validate the union of every graph of `store`: in one pass of the engine when it
    is small enough, else in parts cut by subject (`kg.validation.parts`).

    The same report as `validate_store(store)`, several times faster: each result is
    made once, where `validate_store` reads the context of a shared node (an entity)
    for every chunk that names it. The engine holds one part at a time, with the text it
    reads about 1.4 KB a statement, so `part_quads` bounds memory: a part holds a bounded
    multiple of it, however many values a node has.

    Args:
        store: the store, read for the values a too-many-values result lists, and for the
            statements when `nquads` is None.
        nquads: the union as N-Quads in pieces that end at a line end, when the caller
            has it (a build's chunk files).
        quads: how many quads the union holds, if known (else counted).
        part_quads: about how many quads of the union the engine checks at once (by
            default all up to `kg.validation.parts.ONE_PASS_QUADS`, else `PART_QUADS`).
        folder: where the part files go while they are checked (the system's temporary
            folder if None).

    Raises:
        ValueError: the union holds a blank node and does not fit in one part.
    """
    if nquads is None:
        nquads = [store.dump(format=ox.RdfFormat.N_QUADS) or b""]
    if quads is None:
        quads = len(store)
    count = parts.part_count(quads, part_quads)
    values = _values_in(store)
    if count == 1:
        tree = class_tree()  # joined to the union's bytes: the text is made once
        text = b"".join([*nquads, tree.encode("utf-8")]).decode("utf-8")
        results = engine.violations(engine.check_with_tree(text, "nquads"), values)
        return ValidationReport.of(results, text.count("\n") - tree.count("\n"))
    violations, checked = parts.check_in_parts(nquads, needs(), values, count, folder)
    return ValidationReport.of(violations, checked)


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
    name; given every graph, chunk by chunk in bounded memory, it reports what
    a validation of the whole graph does (`validate_union` does so faster).

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
