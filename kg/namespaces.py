"""The one place Python names RDF terms; a mistyped term fails loudly.

Every `kg:` term here is declared in `ontology/newskg.ttl` (a test checks it).
"""

from __future__ import annotations

import re

from rdflib import Graph, Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace
from rdflib.term import URIRef

from kg.defaults import DEFAULT_BASE_IRI


class KG(DefinedNamespace):
    """The newskg ontology (`ontology/newskg.ttl`)."""

    _fail = True
    _NS = Namespace("https://w3id.org/newskg/ontology#")

    # classes
    Article: URIRef
    Person: URIRef
    Country: URIRef
    Organization: URIRef
    MilitaryBase: URIRef
    Place: URIRef
    Event: URIRef
    Withdrawal: URIRef
    Deployment: URIRef
    Attack: URIRef
    Killing: URIRef
    Meeting: URIRef
    Agreement: URIRef
    Statement: URIRef
    Handover: URIRef
    Invasion: URIRef
    TroopPresence: URIRef
    Role: URIRef
    # article and entity properties
    sourceFile: URIRef
    mentionedIn: URIRef
    demonym: URIRef
    locatedIn: URIRef
    actsFor: URIRef
    hasRole: URIRef
    title: URIRef
    roleOf: URIRef
    # event properties
    agent: URIRef
    target: URIRef
    participant: URIRef
    location: URIRef
    destination: URIRef
    date: URIRef
    troopsBefore: URIRef
    troopsAfter: URIRef
    troopCount: URIRef
    accordingTo: URIRef
    evidence: URIRef
    status: URIRef
    troopsBeforeQualifier: URIRef
    troopsAfterQualifier: URIRef
    troopCountQualifier: URIRef
    Mention: URIRef
    denotedBy: URIRef
    inArticle: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef


SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "kg": KG,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "wd": WD,
}


def bind_prefixes(graph: Graph, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Bind the vocabulary's prefixes (and `id:` for instances) explicitly."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("id", Namespace(base_iri), override=True, replace=True)
    return graph


def local_name(iri: str) -> str:
    """The part of an IRI after its last `#` or `/`."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return tail or iri
