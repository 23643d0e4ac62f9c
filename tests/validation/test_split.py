"""Tests for kg.validation.split: the shapes split into the checks of a class-checked value
and the rest, each made where what it reads lives."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.validation.needs import UnsupportedShape, needs, read_needs
from kg.validation.shapes import shapes_graph
from kg.validation.split import split

KGSH = "https://w3id.org/newskg/shapes#"
EX = "http://example.org/"
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _split(turtle: str) -> tuple[Graph, Graph]:
    shapes = Graph().parse(data=PREFIXES + turtle, format="turtle")
    return split(shapes, read_needs(shapes).typed_values)


def _checks(shapes: Graph, shape: str) -> set[str]:
    """The constraints `shapes` gives `shape` (its SHACL properties but its path)."""
    return {
        str(p).removeprefix(str(SH))
        for p in shapes.predicates(URIRef(shape), None)
        if str(p).startswith(str(SH)) and p != SH.path
    }


def test_split_of_the_newskg_shapes_moves_the_class_checks_of_values_and_nothing_else():
    shapes = shapes_graph()
    own, values = split(shapes, needs().typed_values)
    moved = {str(s).removeprefix(KGSH) for s in values.subjects(SH["class"], None)}
    assert moved == {
        "EntityMentionedInShape",
        "EventDerivedFromShape",
        "RoleDerivedFromShape",
        "MentionInArticleShape",
        "DenotedByValueShape",
        "HasRoleValueShape",
    }
    # the event type check is on the node itself: it stays; the counts stay with the node
    assert {str(s) for s in own.subjects(SH["class"], None)} == {KGSH + "EventTypeShape"}
    assert _checks(own, KGSH + "MentionInArticleShape") == {"minCount", "maxCount", "message"}
    assert _checks(values, KGSH + "MentionInArticleShape") == {"class", "message"}
    assert set(own) | set(values) == set(shapes)
    targeted = {
        str(s).removeprefix(KGSH)
        for t in (SH.targetClass, SH.targetSubjectsOf)
        for s in values.subjects(t, None)
    }
    assert targeted == {
        "EntityShape",
        "EventShape",
        "RoleShape",
        "MentionShape",
        "DenotedByShape",
        "HasRoleShape",
    }


def test_split_moves_every_check_of_one_value_of_a_class_checked_path():
    own, values = _split("""
        ex:S sh:targetClass ex:C ; sh:class ex:C ;
            sh:property ex:P, ex:Q .
        ex:P sh:path ex:p ; sh:minCount 1 ; sh:nodeKind sh:IRI ;
            sh:or ( [ sh:class ex:D ] [ sh:class ex:E ] ) .
        ex:Q sh:path ex:q ; sh:maxCount 1 ; sh:datatype xsd:string .
    """)
    assert _checks(own, EX + "P") == {"minCount"}
    assert _checks(values, EX + "P") == {"nodeKind", "or"}
    assert _checks(own, EX + "S") == {"targetClass", "class", "property"}
    assert _checks(values, EX + "S") == {"targetClass", "property"}  # only ex:P
    assert set(values.objects(URIRef(EX + "S"), SH.property)) == {URIRef(EX + "P")}
    assert _checks(values, EX + "Q") == {"maxCount", "datatype"}  # untargeted: checks nothing


UNSPLITTABLE = {
    "class folded into a result on the node": """ex:S sh:targetClass ex:C ;
        sh:or ( [ sh:path ex:p ; sh:class ex:D ] [ sh:path ex:q ; sh:minCount 1 ] ) .""",
    "class checked under another predicate's target": """ex:S sh:targetSubjectsOf ex:q ;
        sh:property [ sh:path ex:p ; sh:class ex:D ] .""",
}


@pytest.mark.parametrize("name", sorted(UNSPLITTABLE))
def test_split_refuses_a_class_check_that_cannot_be_made_where_the_value_lives(name):
    with pytest.raises(UnsupportedShape):
        _split(UNSPLITTABLE[name])
