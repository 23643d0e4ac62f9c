"""Tests for ontology/: every term the code and the graph use is declared and documented."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node
from typer.testing import CliRunner

from kg.namespaces import KG
from kg.rdflib_graphs import load_graph_file, union_graph
from kg.resources import ontology_dir

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
runner = CliRunner()

KG_NS = str(KG)
KGSH = Namespace("https://w3id.org/newskg/shapes#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

DECLARING_TYPES = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,  # the kg:MergeRule individuals
        RDF.Property,
        RDFS.Class,
        RDFS.Datatype,
    }
)

ONTOLOGY = Graph().parse(ontology_dir() / "newskg.ttl")
SHAPES = Graph().parse(ontology_dir() / "shapes.ttl")


def declared(term: Node) -> bool:
    return any(t in DECLARING_TYPES for t in ONTOLOGY.objects(term, RDF.type))


def kg_terms_of(graph: Graph) -> set[URIRef]:
    """The kg: terms a graph uses as predicates or as classes (objects of rdf:type)."""
    used = {p for p in graph.predicates() if isinstance(p, URIRef)}
    used |= {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    return {term for term in used if str(term).startswith(KG_NS)}


def _english(values: list[Node]) -> list[Node]:
    return [v for v in values if isinstance(v, Literal) and v.language == "en" and str(v).strip()]


def test_ontology_is_an_owl_ontology_with_a_version():
    ontology = URIRef("https://w3id.org/newskg/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in ONTOLOGY
    assert ONTOLOGY.value(ontology, OWL.versionInfo) is not None


@pytest.mark.parametrize("name", sorted(KG.__annotations__))
def test_ontology_declares_every_namespace_term(name):
    term = getattr(KG, name)
    assert declared(term), f"kg:{name} is in kg.namespaces.KG but not declared in newskg.ttl"


def test_ontology_declares_every_term_the_build_emits(sample_build):
    graph = union_graph(load_graph_file(sample_build / "graph.nq"))
    used = kg_terms_of(graph)
    assert KG.Article in used and KG.mentionedIn in used
    undeclared = sorted("kg:" + str(t).removeprefix(KG_NS) for t in used if not declared(t))
    assert not undeclared, f"the build emits terms newskg.ttl does not declare: {undeclared}"


def test_ontology_declares_every_term_the_shapes_use():
    used = {o for o in SHAPES.objects() if isinstance(o, URIRef) and str(o).startswith(KG_NS)}
    undeclared = sorted(str(t) for t in used if not declared(t))
    assert not undeclared, f"shapes.ttl names terms newskg.ttl does not declare: {undeclared}"


@pytest.mark.parametrize(
    "term",
    sorted(t for t in ONTOLOGY.subjects(RDF.type, None) if str(t).startswith(KG_NS)),
    ids=lambda t: str(t).removeprefix(KG_NS),
)
def test_ontology_terms_have_english_label_and_comment(term):
    assert len(_english(list(ONTOLOGY.objects(term, RDFS.label)))) == 1
    assert _english(list(ONTOLOGY.objects(term, RDFS.comment)))


MENTION = URIRef(KG_NS + "Mention")

# term → (kind, domain, range) as the issue asks for them; None: not stated.
NEW_TERMS: dict[str, tuple[URIRef, URIRef | None, URIRef | None]] = {
    "troopsBeforeQualifier": (OWL.DatatypeProperty, KG.Event, XSD.string),
    "troopsAfterQualifier": (OWL.DatatypeProperty, KG.Event, XSD.string),
    "troopCountQualifier": (OWL.DatatypeProperty, KG.Event, XSD.string),
    "Mention": (OWL.Class, None, None),
    "denotedBy": (OWL.ObjectProperty, None, MENTION),
    "inArticle": (OWL.ObjectProperty, MENTION, KG.Article),
    "beginIndex": (OWL.DatatypeProperty, MENTION, XSD.integer),
    "endIndex": (OWL.DatatypeProperty, MENTION, XSD.integer),
    "anchorOf": (OWL.DatatypeProperty, MENTION, XSD.string),
}


@pytest.mark.parametrize("name", sorted(NEW_TERMS))
def test_ontology_declares_mention_and_qualifier_terms(name):
    kind, domain, range_ = NEW_TERMS[name]
    term = URIRef(KG_NS + name)
    assert (term, RDF.type, kind) in ONTOLOGY
    assert ONTOLOGY.value(term, RDFS.domain) == domain
    assert ONTOLOGY.value(term, RDFS.range) == range_


def test_ontology_event_subclasses_reach_event():
    """The event shape relies on rdfs:subClassOf chains ending at kg:Event."""
    for name in ("Withdrawal", "Handover", "Killing", "TroopPresence"):
        chain = set(ONTOLOGY.transitive_objects(getattr(KG, name), RDFS.subClassOf))
        assert KG.Event in chain, name


def test_ontology_shapes_are_valid_shacl():
    """pySHACL checks the shapes graph itself against SHACL-SHACL (meta_shacl)."""
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=SHAPES, meta_shacl=True)
    assert conforms, text


@pytest.mark.parametrize(
    "shape",
    sorted(
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in SHAPES.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    ),
    ids=lambda s: str(s).removeprefix(str(KGSH)),
)
def test_ontology_shapes_have_label_and_message(shape):
    assert _english(list(SHAPES.objects(shape, RDFS.label))), "no rdfs:label"
    has_property_shapes = (shape, SH.property, None) in SHAPES
    if not has_property_shapes:
        assert _english(list(SHAPES.objects(shape, SH.message))), "no sh:message"
