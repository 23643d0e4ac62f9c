"""N-Triples term syntax, as the SHACL engine names terms, read as rdflib terms."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.term import Node

from kg.rdfterms import rdflib_term

# The subject and predicate of the lines that carry terms to Oxigraph's parser.
_CARRIER = "<urn:kg:term> <urn:kg:term>"


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
