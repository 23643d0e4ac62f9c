"""JSON-LD node objects, written straight from triples, read as the standard library writes them."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.jsonld import node_text, node_text_of_lines

KG = "https://w3id.org/newskg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _triples(subject: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
    s, n = subject, ox.NamedNode
    return [
        ox.Triple(s, n(RDF_TYPE), n(KG + "Withdrawal")),
        ox.Triple(s, n(RDF_TYPE), n(KG + "Event")),
        ox.Triple(s, n(RDFS + "label"), ox.Literal('US "drawdown"\nin Iraq')),
        ox.Triple(s, n(RDFS + "label"), ox.Literal("retrait", language="fr")),
        ox.Triple(s, n(RDFS + "label"), ox.Literal("Abzug")),
        ox.Triple(s, n(KG + "troopsAfter"), ox.Literal("3000", datatype=n(XSD + "integer"))),
        ox.Triple(s, n(KG + "agent"), n("https://example.org/id/united-states")),
        ox.Triple(s, n(KG + "agent"), ox.BlankNode("b1")),
        ox.Triple(s, n("https://example.org/other#p"), ox.Literal("Bagdad—Ω")),
    ]


def test_jsonld_node_text_is_what_json_dumps_writes() -> None:
    subject = ox.NamedNode("https://example.org/id/event-1")
    expected = {
        "@id": "https://example.org/id/event-1",
        "@type": ["kg:Event", "kg:Withdrawal"],
        "rdfs:label": [
            "Abzug",
            'US "drawdown"\nin Iraq',
            {"@language": "fr", "@value": "retrait"},
        ],
        "kg:troopsAfter": {"@type": "xsd:integer", "@value": "3000"},
        "kg:agent": [{"@id": "_:b1"}, {"@id": "https://example.org/id/united-states"}],
        "https://example.org/other#p": "Bagdad—Ω",
    }
    written = json.dumps(expected, indent=2, sort_keys=True, ensure_ascii=False)
    assert node_text(_triples(subject)) == written.replace("\n", "\n    ")


def test_jsonld_node_text_of_a_blank_node() -> None:
    text = node_text(_triples(ox.BlankNode("e1")))
    assert json.loads(text)["@id"] == "_:e1"


def _lines(triples: list[ox.Triple]) -> bytes:
    """The triples' N-Triples lines as the build's union holds them: Oxigraph's, sorted."""
    written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return b"".join(sorted(written.splitlines(True)))


def test_jsonld_node_text_of_lines_is_node_text_of_their_triples() -> None:
    subject = ox.NamedNode("https://example.org/id/event-1")
    awkward = [  # escapes N-Triples and JSON write alike, and one they write differently
        'tab\there, a "quote", a \\ backslash',
        "nul\x00 bell\x07 unit\x1f del\x7f",
        "line\u2028separator, next\x85line, é—Ω 😀",
    ]
    triples = _triples(subject) + [
        ox.Triple(subject, ox.NamedNode(RDFS + "comment"), ox.Literal(text)) for text in awkward
    ]
    text = node_text_of_lines(_lines(triples))
    assert text == node_text(triples)
    assert sorted(json.loads(text)["rdfs:comment"]) == sorted(awkward)


def test_jsonld_node_text_of_lines_of_a_blank_node() -> None:
    triples = _triples(ox.BlankNode("e1"))
    assert node_text_of_lines(_lines(triples)) == node_text(triples)
