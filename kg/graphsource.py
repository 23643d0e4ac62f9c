"""The graph the view reads: the union of a pyoxigraph store's graphs, looked up term by term.

The projection and the side panel read a few properties of a few thousand
nodes. Read through rdflib's Graph API, every triple of a build's store
paid for two term conversions and a trip through rdflib's generators (the
page of 1,000 articles spent 5 of its 7 seconds there); read here, a lookup
is one index scan in Oxigraph and the terms stay Oxigraph's. A triple that
several graphs state (an entity named in many articles) counts once, as in
the union graph the files hold. Nothing here writes to the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import URIRef

from kg.rdfterms import oxigraph_term

# The view's graphs come from newskg or through rdflib, so they hold no
# RDF 1.2 triple terms: the lookups below are typed without them.
Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subject = ox.NamedNode | ox.BlankNode

_INTEGERS = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)


def named(term: URIRef | str) -> ox.NamedNode:
    """Oxigraph's node for a vocabulary term (`KG.agent` → NamedNode)."""
    return ox.NamedNode(str(term))


def integer(term: Term) -> int | None:
    """The value of an integer literal (any of XSD's integer types), else None."""
    if not isinstance(term, ox.Literal) or term.datatype.value not in _INTEGERS:
        return None
    try:
        return int(term.value)
    except ValueError:  # an ill-typed literal such as "many"^^xsd:integer
        return None


GraphReader = Callable[[ox.NamedNode], Iterable[ox.Triple]]


class GraphSource:
    """Read-only lookups over the union of every graph of `store`.

    `read_graph`, when given, reads one named graph's statements faster than
    a query (the build parses its kept N-Quads: a tenth of the time); the
    view reads an article's mentions so.
    """

    def __init__(self, store: ox.Store, read_graph: GraphReader | None = None) -> None:
        self.store = store
        self.read_graph = read_graph

    @classmethod
    def of_rdflib(cls, graph: Graph) -> GraphSource:
        """A source holding a copy of an rdflib graph's triples (of every graph of a Dataset)."""
        store = ox.Store()
        store.extend(
            ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o))  # type: ignore[arg-type]
            for s, p, o in graph.triples((None, None, None))
        )
        return cls(store)

    def objects(self, subject: Subject, predicate: ox.NamedNode) -> set[Term]:
        """Every value of `predicate` on `subject`."""
        quads = self.store.quads_for_pattern(subject, predicate, None)
        return {quad.object for quad in quads}  # type: ignore[misc]

    def subjects(self, predicate: ox.NamedNode, obj: Term) -> set[Subject]:
        """Every subject with `obj` as a value of `predicate`."""
        quads = self.store.quads_for_pattern(None, predicate, obj)
        return {quad.subject for quad in quads}  # type: ignore[misc]

    def pairs(self, predicate: ox.NamedNode) -> Iterator[tuple[Subject, Term]]:
        """Every (subject, value) of `predicate`; once per graph that states it, so callers
        that need each once collect them in a set or a dict (a scan keeps no set of its own)."""
        for quad in self.store.quads_for_pattern(None, predicate, None):
            yield quad.subject, quad.object  # type: ignore[misc]

    def select(self, query: str, **bindings: Term) -> Iterator[tuple[Term | None, ...]]:
        """The rows of a SELECT `query` (a constant of newskg's) over the union, with each
        variable named in `bindings` bound to its term by substitution: no value is ever
        pasted into the query's text. Oxigraph wants bound variables selected."""
        substitutions: dict[ox.Variable, Term | ox.Triple] = {
            ox.Variable(name): term for name, term in bindings.items()
        }
        solutions = self.store.query(
            query, substitutions=substitutions, use_default_graph_as_union=True
        )
        width = len(solutions.variables)  # type: ignore[union-attr]
        for solution in solutions:  # type: ignore[union-attr]
            yield tuple(solution[index] for index in range(width))  # type: ignore[misc]

    def first_text(self, subject: Subject, predicate: ox.NamedNode) -> str | None:
        """The smallest (so: deterministic) non-empty value of `predicate`, or None."""
        return smallest_text(value.value for value in self.objects(subject, predicate))


def smallest_text(values: Iterable[str]) -> str | None:
    """The smallest non-empty value, or None: the same pick whatever the order."""
    return min((value for value in values if value.strip()), default=None)
