"""Oxigraph's terms and N-Triples term syntax as rdflib terms, for reports and `load_graph_file`."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

_STRING = ox.NamedNode(str(XSD.string))
_LANG_STRING = ox.NamedNode(str(RDF.langString))
# The subject and predicate of the lines that carry terms to Oxigraph's parser.
_CARRIER = "<urn:kg:term> <urn:kg:term>"


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


def parse_terms(texts: Iterable[str]) -> dict[str, Node]:
    """Terms written in N-Triples syntax (`<iri>`, `_:b0`, `"5"^^<…#integer>`) as rdflib terms.

    One parse for them all: the SHACL engine names every term of its results this way.
    """
    distinct = sorted(set(texts))
    if not distinct:
        return {}
    lines = "".join(f"{_CARRIER} {text} .\n" for text in distinct)
    parsed = ox.parse(input=lines, format=ox.RdfFormat.N_TRIPLES)
    return {text: rdflib_term(triple.object) for text, triple in zip(distinct, parsed, strict=True)}
