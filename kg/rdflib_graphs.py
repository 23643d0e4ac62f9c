"""Graphs in rdflib, for callers that want them: a graph file read into a `Dataset` or
`Graph` (parsed by `kg.graphio`, as every command reads graphs), its named graphs and their union.

A build never holds its graph in rdflib (it lives in the store, `kg.buildstore`);
`kg validate`, the tests and users' notebooks do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias, TypeGuard

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.term import IdentifiedNode, Node

from kg.graphio import QUAD_SUFFIXES, GraphFileError, read_quads
from kg.rdfterms import UnsupportedTerm, rdflib_term

GraphName: TypeAlias = IdentifiedNode | None  # None is the default graph
Triple: TypeAlias = tuple[Node, Node, Node]


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


def is_dataset(graph: Graph) -> TypeGuard[ConjunctiveGraph]:
    """Whether `graph` holds named graphs (an rdflib `Dataset` or `ConjunctiveGraph`)."""
    return isinstance(graph, ConjunctiveGraph)


def named_graphs(graph: Graph) -> dict[GraphName, list[Triple]]:
    """The triples of each graph in `graph`; a plain `Graph` is one default graph (None)."""
    if not is_dataset(graph):
        return {None: list(graph)} if len(graph) else {}
    default_names: set[Node] = {DATASET_DEFAULT_GRAPH_ID}
    if not isinstance(graph, Dataset):
        # A ConjunctiveGraph's default graph is named by a random blank node.
        default_names.add(graph.default_context.identifier)
    groups: dict[GraphName, list[Triple]] = {}
    for s, p, o, context in graph.quads((None, None, None, None)):
        # Dataset.quads gives graph names; ConjunctiveGraph.quads gives graphs.
        name = context.identifier if isinstance(context, Graph) else context
        key = None if name is None or name in default_names else name
        groups.setdefault(key, []).append((s, p, o))
    return groups


def union_graph(graph: Graph) -> Graph:
    """Every triple of every named graph in one plain `Graph`, with the same prefixes.

    A plain `Graph` is returned as it is.
    """
    if not is_dataset(graph):
        return graph
    union = _with_prefixes_of(graph)
    for triples in named_graphs(graph).values():
        for triple in triples:
            union.add(triple)  # type: ignore[arg-type]
    return union


def union_view(graph: Graph) -> Graph:
    """Every triple of every graph, to read from without a copy.

    A `Dataset` is seen through a second `Dataset` over the same store whose
    default graph is the union; `quads()` still tells each triple's graph.
    A plain `Graph` is returned as it is.
    """
    if isinstance(graph, Dataset):
        return Dataset(store=graph.store, default_union=True)
    return graph


def _with_prefixes_of(source: Graph) -> Graph:
    """An empty `Graph` with exactly the prefix bindings of `source`."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
