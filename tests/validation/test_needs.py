"""Tests for kg.validation.needs: what the shapes read beyond a focus node's own triples."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

from kg.namespaces import KG
from kg.validation.needs import Needs, Path, UnsupportedShape, needs, read_needs

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
    """Class-checked values are typed; kg:actsFor is read backwards (an acted-for state);
    mention indexes are compared; one label too many is seen in two values."""
    found = needs()
    assert found.inverse == {str(KG.actsFor)}
    assert found.typed_values == {
        (str(KG.mentionedIn), False),
        (str(KG.denotedBy), False),
        (str(KG.hasRole), False),
        (str(KG.inArticle), False),
        (PROV_DERIVED, False),
    }
    assert found.full == {(str(KG.beginIndex), False), (str(KG.endIndex), False)}
    assert found.witnesses[(str(RDFS.label), False)] == 2
    assert found.witnesses[(str(KG.actsFor), True)] == 1
    assert found.witnesses[(str(KG.agent), False)] == 1  # a target of the event type shape
    assert (str(SKOS.altLabel), False) not in found.witnesses  # checked value by value only
    # A claim node of the support graph is targeted by its count and checked for the
    # statement it describes, a decision of the resolution graph by its rule and checked
    # for what it joined; every other shape targeting subjects checks what it targets.
    assert found.targeting == {(str(KG.supportCount), False), (str(KG.mergeRule), False)}


P, Q, R = "http://example.org/p", "http://example.org/q", "http://example.org/r"

# shapes (after the prefixes) → (class-checked paths, full paths, witnesses)
SUPPORTED: dict[str, tuple[set[Path], set[Path], dict[Path, int], str]] = {
    "counts and a pair": (
        set(),
        {(P, False), (Q, False)},
        {(P, False): 3},
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:string ;
           sh:minCount 1 ; sh:maxCount 2 ; sh:lessThan ex:q ] .""",
    ),
    "class on a value": (
        {(P, False)},
        set(),
        {(R, False): 1},
        "ex:S sh:targetSubjectsOf ex:r ; sh:property [ sh:path ex:p ; sh:class ex:C ] .",
    ),
    "class on the node itself": (
        set(),
        set(),
        {(P, False): 1},
        "ex:S sh:targetSubjectsOf ex:p ; sh:class ex:C .",
    ),
    "class inside sh:or on a value": (
        {(P, False)},
        set(),
        {},
        """ex:S sh:targetClass ex:C ;
           sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:D ] [ sh:datatype xsd:date ] ) ] .""",
    ),
    "class on an inverse path": (
        {(P, True)},
        set(),
        {},
        """ex:S sh:targetClass ex:C ;
           sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:class ex:D ] .""",
    ),
    "counts inside sh:or on the node": (
        set(),
        set(),
        {(P, False): 1, (Q, True): 2},
        """ex:S sh:targetClass ex:C ; sh:or ( ex:A ex:B ) .
           ex:A sh:path ex:p ; sh:minCount 1 .
           ex:B sh:path [ sh:inversePath ex:q ] ; sh:maxCount 1 .""",
    ),
    "values checked inside sh:or on the node": (
        {(P, False)},
        {(P, False)},
        {},
        """ex:S sh:targetClass ex:C ;
           sh:or ( [ sh:path ex:p ; sh:class ex:D ] [ sh:path ex:q ; sh:minCount 0 ] ) .""",
    ),
    "an untargeted shape is not read": (
        set(),
        set(),
        {},
        "ex:S sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:class ex:D ] .",
    ),
}


def test_needs_targeting_when_a_shape_checks_a_path_it_does_not_target():
    found = _needs(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:q ; sh:datatype xsd:date ] ."
    )
    assert found.targeting == {(P, False)}


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_needs_supported_shapes(name):
    typed, full, witnesses, turtle = SUPPORTED[name]
    found = _needs(turtle)
    assert (found.typed_values, found.full, found.witnesses) == (typed, full, witnesses)


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
