"""Serialise the graph deterministically in the formats users load, and write it atomically.

Formats (see `SUFFIXES`): Turtle, TriG, N-Quads, JSON-LD and GraphML. Turtle
and JSON-LD hold the union of every named graph; TriG and N-Quads keep the
named graphs of a `Dataset` (a plain `Graph` goes into their default graph);
GraphML is `kg.view`'s projection of entities, events and articles, for
Gephi and other network tools.

The same triples always give the same bytes, whatever order they were added
in: blank nodes get canonical labels (`rdflib.compare`), Turtle, TriG and
N-Quads go to Oxigraph's fast writers as sorted statements (their `@prefix`
lines sorted after), and JSON-LD is written here from the sorted triples.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from kg.atomic import atomic_write_bytes
from kg.graphml import graphml
from kg.graphsource import GraphSource
from kg.jsonld import write_jsonld
from kg.layout import FORMATS, Format
from kg.namespaces import PREFIXES
from kg.projection import project
from kg.rdflib_graphs import GraphName, Triple, named_graphs, union_view
from kg.rdfterms import oxigraph_term

OXIGRAPH_FORMATS: dict[Format, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

# Predicates that carry a quad's graph name through blank-node canonicalisation.
_FOLD_NS = "urn:x-newskg:fold:"


class Serializer:
    """One graph, ready to be written in several formats.

    Splitting a Dataset into its graphs, labelling blank nodes and sorting
    are done once, however many formats are written.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.groups = _canonical_blank_nodes(named_graphs(graph))
        self._terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    @cached_property
    def sorted_triples(self) -> list[Triple]:
        """Every distinct triple of every graph, in a fixed order."""
        return sorted(set(_all_triples(self.groups)), key=_triple_key)

    @cached_property
    def union(self) -> Graph:
        """Every triple of every graph (see `union_view`)."""
        return union_view(self.graph)

    def _ox(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """Oxigraph's term for `term`, made once: the same IRIs recur throughout a graph."""
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = oxigraph_term(term)
        return found

    def _triple(self, triple: Triple) -> ox.Triple:
        s, p, o = (self._ox(term) for term in triple)
        return ox.Triple(s, p, o)  # type: ignore[arg-type]  # RDF puts literals in object place only

    def _statements(self, fmt: Format) -> list[ox.Triple] | list[ox.Quad]:
        """Triples of the union for Turtle; quads graph by graph for TriG and N-Quads."""
        if fmt == "turtle":
            return [self._triple(triple) for triple in self.sorted_triples]
        quads = []
        for name in sorted(self.groups, key=_graph_order):
            graph_name = ox.DefaultGraph() if name is None else self._ox(name)
            for triple in sorted(set(self.groups[name]), key=_triple_key):
                s, p, o = self._triple(triple)
                quads.append(ox.Quad(s, p, o, graph_name))  # type: ignore[arg-type]
        return quads

    def serialize(self, fmt: Format) -> bytes:
        """The graph as bytes in `fmt`; the same triples always give the same bytes."""
        if fmt in OXIGRAPH_FORMATS:
            return _with_oxigraph(self.graph, self._statements(fmt), fmt)
        if fmt == "json-ld":
            return _jsonld(self.sorted_triples)
        if fmt == "graphml":
            return graphml(project(GraphSource.of_rdflib(self.union)))
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")

    def write(self, path: Path, fmt: Format) -> Path:
        """Write to `path` via a temporary file, so a failure leaves no half-written file."""
        atomic_write_bytes(path, self.serialize(fmt))
        return path


def serialize(graph: Graph, fmt: Format = "turtle") -> bytes:
    """The graph as bytes in `fmt`; the same triples always give the same bytes.

    Args:
        graph: a `Graph`, or a `Dataset` whose named graphs TriG and N-Quads keep
            (the other formats hold their union).
        fmt: one of `FORMATS`.
    """
    return Serializer(graph).serialize(fmt)


def write_graph(graph: Graph, path: Path, fmt: Format = "turtle") -> Path:
    """Write `graph` to `path` via a temporary file, so a failure leaves no half-written file."""
    return Serializer(graph).write(path, fmt)


# --- determinism -------------------------------------------------------------


def _term_key(term: Node) -> tuple[str, str, str]:
    """A sort key that tells every two different terms apart (cheaper than `n3()`)."""
    if isinstance(term, RdfLiteral):
        return ("Literal", str(term), term.language or str(term.datatype or ""))
    return (type(term).__name__, str(term), "")


def _triple_key(triple: Triple) -> tuple[tuple[str, str, str], ...]:
    return tuple(_term_key(term) for term in triple)


def _graph_order(name: GraphName) -> tuple[bool, str]:
    """The default graph first, then named graphs by name."""
    return (name is not None, "" if name is None else name.n3())


def _all_triples(groups: Mapping[GraphName, list[Triple]]) -> Iterator[Triple]:
    for triples in groups.values():
        yield from triples


def _has_blank_nodes(groups: Mapping[GraphName, list[Triple]]) -> bool:
    return any(
        isinstance(term, BNode) for triples in groups.values() for t in triples for term in t
    )


def _canonical_blank_nodes(
    groups: dict[GraphName, list[Triple]],
) -> dict[GraphName, list[Triple]]:
    """Relabel blank nodes from the graph's structure, so their labels are the same every run.

    rdflib gives blank nodes random labels. `rdflib.compare` computes labels
    from a graph's shape but knows nothing of named graphs, so each
    (graph name, predicate) pair is first folded into one stand-in predicate:
    a blank node shared by two named graphs stays one node. Blank-node graph
    names keep their labels.
    """
    if not _has_blank_nodes(groups):
        return groups
    pairs = sorted(
        {(name, p) for name, triples in groups.items() for _, p, _ in triples},
        key=lambda pair: (_graph_order(pair[0]), _term_key(pair[1])),
    )
    fold = {pair: URIRef(f"{_FOLD_NS}{index}") for index, pair in enumerate(pairs)}
    unfold = {folded: pair for pair, folded in fold.items()}
    folded_graph = Graph(bind_namespaces="none")
    for name, triples in groups.items():
        for s, p, o in triples:
            folded_graph.add((s, fold[(name, p)], o))  # type: ignore[arg-type]
    canonical: dict[GraphName, list[Triple]] = {}
    for s, folded_p, o in to_canonical_graph(folded_graph):
        name, p = unfold[folded_p]  # type: ignore[index]
        canonical.setdefault(name, []).append((s, p, o))
    return canonical


# --- formats -----------------------------------------------------------------


def _with_oxigraph(
    source: Graph, statements: list[ox.Triple] | list[ox.Quad], fmt: Format
) -> bytes:
    """Turtle, TriG or N-Quads written by Oxigraph's serialisers, which are fast at scale.

    Quads go in sorted, and the `@prefix` lines (which Oxigraph writes in hash
    order) are sorted after, so the same triples always give the same bytes.
    Instance IRIs are written in full: as prefixed names ('id:country/iraq')
    their slashes would have to be escaped.
    """
    prefixes = {
        prefix: str(namespace) for prefix, namespace in source.namespaces() if prefix in PREFIXES
    }
    text = ox.serialize(statements, format=OXIGRAPH_FORMATS[fmt], prefixes=prefixes) or b""
    lines = text.split(b"\n")
    header = [line for line in lines if line.startswith(b"@prefix ")]
    body = lines[len(header) :]
    return b"\n".join([*sorted(header), *body])


def _oxigraph_triple(triple: Triple) -> ox.Triple:
    s, p, o = (oxigraph_term(term) for term in triple)
    return ox.Triple(s, p, o)  # type: ignore[arg-type]  # RDF puts literals in object place only


def _jsonld(triples: Iterable[Triple]) -> bytes:
    """JSON-LD of sorted triples (see `kg.jsonld`)."""
    out = io.StringIO()
    write_jsonld((_oxigraph_triple(triple) for triple in triples), out)
    return out.getvalue().encode("utf-8")
