"""The view reads the union of a store's graphs in place: each triple once, terms as stated."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.graphsource import GraphSource, integer, named

EX = "http://example.org/"
BASE, TROOPS = ox.NamedNode(EX + "base"), ox.NamedNode(EX + "troops")
LABEL = named(RDFS.label)


def _store() -> ox.Store:
    store = ox.Store()
    for article in ("a1", "a2"):  # two articles state the same label
        graph = ox.NamedNode(EX + article)
        store.add(ox.Quad(BASE, LABEL, ox.Literal("Camp Taji"), graph))
    store.add(ox.Quad(BASE, LABEL, ox.Literal("Taji", language="ar"), ox.NamedNode(EX + "a2")))
    whole = ox.NamedNode(str(XSD.integer))
    store.add(ox.Quad(BASE, TROOPS, ox.Literal("2500", datatype=whole), ox.NamedNode(EX + "a1")))
    return store


def test_view_source_a_triple_stated_in_two_graphs_is_one_value() -> None:
    source = GraphSource(_store())
    labels = source.objects(BASE, LABEL)
    assert labels == {ox.Literal("Camp Taji"), ox.Literal("Taji", language="ar")}
    assert source.first_text(BASE, LABEL) == "Camp Taji"
    assert source.subjects(LABEL, ox.Literal("Taji", language="ar")) == {BASE}
    assert source.subjects(LABEL, ox.Literal("Taji")) == set()


def test_view_source_reads_integers_of_any_xsd_integer_type_only() -> None:
    source = GraphSource(_store())
    assert [integer(value) for value in source.objects(BASE, TROOPS)] == [2500]
    positive = ox.NamedNode(str(XSD.positiveInteger))
    assert integer(ox.Literal("12", datatype=positive)) == 12
    assert integer(ox.Literal("2500")) is None  # a plain string is no number
    assert integer(ox.Literal("many", datatype=ox.NamedNode(str(XSD.integer)))) is None


def test_view_source_binds_values_into_queries_without_pasting_them() -> None:
    store = _store()
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { ?s ?p "')
    store.add(ox.Quad(BASE, LABEL, hostile, ox.NamedNode(EX + "a3")))
    query = f"SELECT ?label ?subject WHERE {{ ?subject <{LABEL.value}> ?label }}"
    rows = list(GraphSource(store).select(query, label=hostile))
    assert rows == [(hostile, BASE)]
    assert len(store) == 5  # nothing dropped


def test_view_source_copies_an_rdflib_graph() -> None:
    graph = Graph()
    graph.add((URIRef(EX + "base"), RDFS.label, Literal("Camp Taji", lang="en")))
    graph.add((URIRef(EX + "base"), URIRef(EX + "troops"), Literal(300)))
    source = GraphSource.of_rdflib(graph)
    assert source.objects(BASE, LABEL) == {ox.Literal("Camp Taji", language="en")}
    assert [integer(value) for value in source.objects(BASE, TROOPS)] == [300]
