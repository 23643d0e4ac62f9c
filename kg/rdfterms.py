"""Terms between the two RDF libraries newskg uses: Oxigraph (store, parsers, writers) and rdflib.

A plain string stays a plain `Literal`, as rdflib reads one; an RDF 1.2
triple term has no rdflib counterpart (newskg writes none).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_STRING = ox.NamedNode(str(XSD.string))


class UnsupportedTerm(ValueError):
    """A term rdflib cannot hold: an RDF 1.2 triple term."""


def rdflib_term(term: object) -> Node:
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
    raise UnsupportedTerm(f"cannot hold the term {term}")


def oxigraph_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as Oxigraph's (the inverse of `rdflib_term`)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise UnsupportedTerm(f"cannot convert the term {term!r}")


def rdflib_triple(statement: ox.Quad | ox.Triple) -> tuple[Node, Node, Node]:
    """rdflib's triple for an Oxigraph quad's or triple's subject, predicate and object."""
    return (
        rdflib_term(statement.subject),
        rdflib_term(statement.predicate),
        rdflib_term(statement.object),
    )
