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
from kg.rdfterms import UnsupportedTerm, rdflib_term
from kg.validation import engine
from kg.validation.extract import CHUNK_TRIPLES, Extractor, GraphReader
from kg.validation.needs import needs
from kg.validation.report import Severity, ValidationReport, Violation, show_term

__all__ = [
    "GRAPH_FILE_FORMATS",
    "GraphFileError",
    "Severity",
    "ValidationReport",
    "Violation",
    "load_graph_file",
    "show_term",
    "validate_graph",
    "validate_store",
]

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


class GraphFileError(ValueError):
    """A graph file that cannot be read: missing, of unknown format, or not valid RDF."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"cannot read {path}: {problem}")
        self.path = path
        self.problem = problem


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
    except UnsupportedTerm as err:
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
