"""The build's Oxigraph store read through rdflib's Graph API, without copying it.

GraphML and the HTML view read the union of the build's graphs through
rdflib (`kg.view`). Copied into rdflib's memory store, the union costs
about 290 MB per thousand articles, which no archive can afford; read in
place, a lookup costs a few microseconds more and memory stays flat. The
view is read-only: nothing here writes to the store.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.store import Store
from rdflib.term import Node

from kg.rdfterms import oxigraph_term, rdflib_term

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


class OxigraphUnion(Store):
    """rdflib's read side over the union of every graph of a pyoxigraph store.

    A triple stated in several graphs (an entity named in many articles)
    is yielded once per lookup, as in the union graph the files hold.
    """

    def __init__(self, store: ox.Store) -> None:
        super().__init__()
        self.oxigraph = store

    def triples(  # type: ignore[override]
        self, triple_pattern: tuple[Any, Any, Any], context: Any = None
    ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[None]]]:
        subject, predicate, obj = (_pattern_term(term) for term in triple_pattern)
        seen: set[tuple[Node, Node, Node]] = set()
        # rdflib's patterns put literals only in object place, as RDF does.
        for quad in self.oxigraph.quads_for_pattern(subject, predicate, obj):  # type: ignore[arg-type]
            triple = (_term(quad.subject), _term(quad.predicate), _term(quad.object))
            if triple not in seen:
                seen.add(triple)
                yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        return sum(1 for _ in self.triples((None, None, None)))


def union_graph_of(store: ox.Store) -> Graph:
    """An rdflib Graph whose triples are the union of `store`'s graphs, read in place."""
    return Graph(store=OxigraphUnion(store))


@functools.lru_cache(maxsize=1 << 16)  # a corpus names the same IRIs again and again
def _term(term: OxTerm) -> Node:
    return rdflib_term(term)


@functools.lru_cache(maxsize=1 << 16)
def _pattern_term(term: Node | None) -> OxTerm | None:
    """Oxigraph's term for one place of an rdflib triple pattern (None: any)."""
    return None if term is None else oxigraph_term(term)
