"""rdflib reads the union of an Oxigraph store's graphs in place, as the view needs it."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.storegraph import union_graph_of

EX = "http://example.org/"


def _store() -> ox.Store:
    store = ox.Store()
    base, label = ox.NamedNode(EX + "base"), ox.NamedNode(str(RDFS.label))
    troops = ox.NamedNode(EX + "troops")
    for article in ("a1", "a2"):  # two articles state the same label
        graph = ox.NamedNode(EX + article)
        store.add(ox.Quad(base, label, ox.Literal("Camp Taji"), graph))
    store.add(ox.Quad(base, label, ox.Literal("Taji", language="ar"), ox.NamedNode(EX + "a2")))
    integer = ox.NamedNode(str(XSD.integer))
    store.add(ox.Quad(base, troops, ox.Literal("2500", datatype=integer), ox.NamedNode(EX + "a1")))
    return store


def test_storegraph_union_yields_a_triple_stated_in_two_graphs_once() -> None:
    graph = union_graph_of(_store())
    labels = sorted(graph.objects(URIRef(EX + "base"), RDFS.label), key=str)
    assert labels == [Literal("Camp Taji"), Literal("Taji", lang="ar")]
    assert len(graph) == 3


def test_storegraph_typed_and_tagged_literals_match_as_patterns() -> None:
    graph = union_graph_of(_store())
    troops = Literal("2500", datatype=XSD.integer)
    assert list(graph.subjects(URIRef(EX + "troops"), troops)) == [URIRef(EX + "base")]
    assert graph.value(URIRef(EX + "base"), URIRef(EX + "troops")).toPython() == 2500
    assert list(graph.subjects(RDFS.label, Literal("Taji", lang="ar"))) == [URIRef(EX + "base")]
    assert list(graph.subjects(RDFS.label, Literal("Taji"))) == []
