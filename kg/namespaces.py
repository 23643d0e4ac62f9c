"""The one place Python names RDF terms; a mistyped term fails loudly.

Every `kg:` term here is declared in `ontology/newskg.ttl` (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

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
    # support
    supportCount: URIRef
    supportedBy: URIRef
    # curation (the analyst's file, never the graph)
    NotAnEntity: URIRef
    named: URIRef
    # resolution: why many mentions or claims are one node (graph/resolution)
    MergeRule: URIRef
    mergedInto: URIRef
    mergeRule: URIRef
    surfaceForm: URIRef
    mergedFrom: URIRef
    tiedTo: URIRef
    sharedArgument: URIRef
    GazetteerLabel: URIRef
    GazetteerAlias: URIRef
    Demonym: URIRef
    SpellingVariant: URIRef
    NumberVariant: URIRef
    RecognizedInContext: URIRef
    SameName: URIRef
    SurnameInArticle: URIRef
    SurnameInCorpus: URIRef
    WrittenForm: URIRef
    Curated: URIRef
    DatesAgree: URIRef
    SameBaseline: URIRef
    SamePersonKilled: URIRef
    DateWithinReach: URIRef
    PublishedClose: URIRef
    SyndicatedCopy: URIRef
    HeldForElsewhere: URIRef
    HeldForActsFor: URIRef


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

# The same prefixes as strings: what serialisers and IRI compaction take.
PREFIX_IRIS: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
INSTANCE_PREFIX = "id"  # the prefix of a graph's instance IRIs: its base IRI


@dataclass(frozen=True)
class Prefixes:
    """Prefixed names both ways (`kg:agent` ↔ its IRI), for people reading or typing IRIs.

    The one place IRIs are compacted: query tables, `--param` values and
    JSON-LD keys all read the same way. `for_base` adds `id:` for a graph's
    instance IRIs, whatever base it was built with.
    """

    namespaces: Mapping[str, str]

    @classmethod
    def for_base(cls, base_iri: str) -> Prefixes:
        """The vocabulary's prefixes and `id:` for instances under `base_iri`."""
        return cls({**PREFIX_IRIS, INSTANCE_PREFIX: base_iri})

    def compact(self, iri: str) -> str:
        """`<base>person/x` → `id:person/x`; an IRI under no prefix is returned unchanged.

        The longest namespace wins, so `id:` never shadows a longer one beneath it.
        """
        for prefix, namespace in self._by_length:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def expand(self, name: str) -> str | None:
        """`kg:agent` → its IRI; None when `name` has no colon or an unknown prefix."""
        prefix, colon, local = name.partition(":")
        namespace = self.namespaces.get(prefix) if colon else None
        return None if namespace is None else namespace + local

    @cached_property
    def _by_length(self) -> list[tuple[str, str]]:
        return sorted(self.namespaces.items(), key=lambda item: (-len(item[1]), item[0]))


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
