"""Tests for kg.validation.needs: what the shapes read beyond a focus node's own triples."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.namespaces import KG
from kg.validation.needs import Needs, UnsupportedShape, needs, read_needs

PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _needs(turtle: str) -> Needs:
    return read_needs(Graph().parse(data=PREFIXES + turtle, format="turtle"))


def test_needs_of_the_newskg_shapes():
    """Class-checked values are typed; kg:actsFor is read backwards (an acted-for state)."""
    assert needs() == Needs(
        inverse=frozenset({str(KG.actsFor)}),
        typed_values=frozenset(
            {
                (str(KG.mentionedIn), False),
                (str(KG.denotedBy), False),
                (str(KG.hasRole), False),
                (str(KG.inArticle), False),
                (PROV_DERIVED, False),
            }
        ),
    )


# shapes (after the prefixes) → what they need
SUPPORTED: dict[str, tuple[Needs, str]] = {
    "term constraints only": (
        Needs(frozenset(), frozenset()),
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:string ;
           sh:minCount 1 ; sh:maxCount 2 ; sh:lessThan ex:q ] .""",
    ),
    "class on a value": (
        Needs(frozenset(), frozenset({("http://example.org/p", False)})),
        "ex:S sh:targetSubjectsOf ex:x ; sh:property [ sh:path ex:p ; sh:class ex:C ] .",
    ),
    "class on the node itself": (
        Needs(frozenset(), frozenset()),
        "ex:S sh:targetSubjectsOf ex:p ; sh:class ex:C .",
    ),
    "class inside sh:or on a value": (
        Needs(frozenset(), frozenset({("http://example.org/p", False)})),
        """ex:S sh:targetClass ex:C ;
           sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:D ] [ sh:datatype xsd:date ] ) ] .""",
    ),
    "class on an inverse path": (
        Needs(frozenset({"http://example.org/p"}), frozenset({("http://example.org/p", True)})),
        """ex:S sh:targetClass ex:C ;
           sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:class ex:D ] .""",
    ),
    "property shapes inside sh:or on the node": (
        Needs(frozenset({"http://example.org/q"}), frozenset()),
        """ex:S sh:targetClass ex:C ; sh:or ( ex:A ex:B ) .
           ex:A sh:path ex:p ; sh:minCount 1 .
           ex:B sh:path [ sh:inversePath ex:q ] ; sh:minCount 1 .""",
    ),
    "an untargeted shape is not read": (
        Needs(frozenset(), frozenset()),
        "ex:S sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:class ex:D ] .",
    ),
}


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_needs_supported_shapes(name):
    expected, turtle = SUPPORTED[name]
    assert _needs(turtle) == expected


# shapes that read farther than a node's own triples, its inverse-path neighbours and
# its class-checked values' types
UNSUPPORTED = {
    "target node": "ex:S sh:targetNode ex:a ; sh:class ex:C .",
    "target objects": "ex:S sh:targetObjectsOf ex:p ; sh:class ex:C .",
    "sequence path": """ex:S sh:targetClass ex:C ;
        sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .""",
    "transitive path": """ex:S sh:targetClass ex:C ;
        sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ] .""",
    "property shape of a value": """ex:S sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ;
            sh:node [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ] .""",
    "count on a value": """ex:S sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:or ( [ sh:path ex:q ; sh:minCount 1 ] ) ] .""",
    "sparql": """ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .""",
    "closed": "ex:S sh:targetClass ex:C ; sh:closed true .",
    "implicit class target": """ex:S a sh:NodeShape, rdfs:Class ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ] .""",
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_needs_refuses_shapes_that_read_farther(name):
    with pytest.raises(UnsupportedShape):
        _needs(UNSUPPORTED[name])
