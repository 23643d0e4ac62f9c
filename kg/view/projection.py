"""Project the RDF graph onto what people want to look at: entities, events, articles.

The projection is a networkx MultiDiGraph shared by the HTML view and the
GraphML export. Mentions, roles and anything untyped stay out of it: they
are details of the nodes (see `kg.view.details`), not nodes of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import networkx as nx
from rdflib import Graph
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node, URIRef

from kg.namespaces import KG, SCHEMA
from kg.resources import ontology_dir

ONTOLOGY_FILE = "newskg.ttl"
EVENT_KIND = "Event"
ARTICLE_KIND = "Article"

# Entity classes, in the order that decides `kind` when a node has several.
ENTITY_CLASSES: tuple[URIRef, ...] = (
    KG.Person,
    KG.Country,
    KG.Organization,
    KG.MilitaryBase,
    KG.Place,
)

# Links drawn between any two drawn nodes.
ENTITY_EDGE_PROPERTIES: tuple[URIRef, ...] = (KG.mentionedIn, KG.locatedIn)
# Links drawn only from event nodes: their arguments and their sources.
EVENT_ARGUMENTS: tuple[URIRef, ...] = (
    KG.agent,
    KG.target,
    KG.participant,
    KG.location,
    KG.destination,
    KG.accordingTo,
)
EVENT_EDGE_PROPERTIES: tuple[URIRef, ...] = (*EVENT_ARGUMENTS, PROV.wasDerivedFrom)


def local_name(iri: str) -> str:
    """The part of an IRI after its last `#` or `/`."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return tail or iri


def first_literal(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """The smallest (so: deterministic) non-empty value of `predicate`, or None."""
    return smallest_text(str(value) for value in graph.objects(subject, predicate))


def smallest_text(values: Iterable[str]) -> str | None:
    """The smallest non-empty value, or None: the same pick whatever the order."""
    return min((value for value in values if value.strip()), default=None)


@dataclass(frozen=True)
class EventClass:
    """An event class of the ontology: its local name, label and depth below kg:Event."""

    name: str
    label: str
    depth: int


@cache
def event_classes() -> dict[URIRef, EventClass]:
    """kg:Event and its subclasses, read from the ontology so new event types need no code."""
    ontology = Graph().parse(ontology_dir() / ONTOLOGY_FILE, format="turtle")
    found = {KG.Event: 0}
    frontier = [KG.Event]
    while frontier:
        parent = frontier.pop()
        for child in sorted(ontology.subjects(RDFS.subClassOf, parent), key=str):
            if isinstance(child, URIRef) and child not in found:
                found[child] = found[parent] + 1
                frontier.append(child)
    return {
        cls: EventClass(
            name=local_name(str(cls)),
            label=first_literal(ontology, cls, RDFS.label) or local_name(str(cls)),
            depth=depth,
        )
        for cls, depth in found.items()
    }


def event_label(kind: str) -> str:
    """The ontology's label of an event class ("Troop presence"), by local name."""
    labels = {cls.name: cls.label for cls in event_classes().values()}
    return labels.get(kind, kind)


def is_event_kind(kind: str) -> bool:
    """Whether `kind` (a node's class local name) names kg:Event or one of its subclasses."""
    return kind in {event.name for event in event_classes().values()}


def node_kind(types: Iterable[URIRef]) -> str | None:
    """The class local name that decides how a node is drawn, or None to leave it out.

    An entity class wins; then the most specific event class (Killing over
    Attack); then kg:Article. Mentions, roles and foreign classes give None.
    """
    types = set(types)
    for cls in ENTITY_CLASSES:
        if cls in types:
            return local_name(str(cls))
    known = event_classes()
    events = sorted((-known[t].depth, known[t].name) for t in types if t in known)
    if events:
        return events[0][1]
    if KG.Article in types:
        return ARTICLE_KIND
    return None


def drawn_kinds(graph: Graph) -> dict[Node, str]:
    """Every subject that becomes a node, with its kind."""
    types_of: dict[Node, set[URIRef]] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            types_of.setdefault(subject, set()).add(cls)
    kinds: dict[Node, str] = {}
    for subject, types in types_of.items():
        kind = node_kind(types)
        if kind is not None:
            kinds[subject] = kind
    return kinds


def graph_to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Project the RDF graph onto entities, events and articles for drawing.

    Nodes are subjects typed with an entity class (kg:Person, kg:Country,
    kg:Organization, kg:MilitaryBase, kg:Place), kg:Event or one of its
    subclasses in the ontology, or kg:Article; kg:Mention and kg:Role are
    not nodes. Edges, keyed by the property's local name, are kg:mentionedIn
    and kg:locatedIn between drawn nodes, and kg:agent, kg:target,
    kg:participant, kg:location, kg:destination, kg:accordingTo and
    prov:wasDerivedFrom from events. A link to something that is not drawn
    (an untyped IRI, a literal) is left out.

    Returns:
        A MultiDiGraph whose node ids are IRI strings, with node attributes
        `label`, `kind`, `aliases`, `same_as` and `iri`, and edge attributes
        `label` (property local name) and `predicate` (property IRI). Nodes
        and edges are added in IRI order, so the result is deterministic.
    """
    kinds = drawn_kinds(graph)
    labels = _values_by_subject(graph, RDFS.label, kinds)
    headlines = _values_by_subject(graph, SCHEMA.headline, kinds)
    aliases = _values_by_subject(graph, SKOS.altLabel, kinds)
    same_as = _values_by_subject(graph, OWL.sameAs, kinds)
    projection = nx.MultiDiGraph()
    for subject in sorted(kinds, key=str):
        kind = kinds[subject]
        iri = str(subject)
        label = smallest_text(labels.get(subject, ()))
        if kind == ARTICLE_KIND:
            label = smallest_text(headlines.get(subject, ())) or label
        projection.add_node(
            iri,
            label=label or local_name(iri),
            kind=kind,
            aliases=sorted(set(aliases.get(subject, ()))),
            same_as=sorted(set(same_as.get(subject, ()))),
            iri=iri,
        )
    edges: set[tuple[str, str, str]] = set()
    for predicate in (*ENTITY_EDGE_PROPERTIES, *EVENT_EDGE_PROPERTIES):
        from_any = predicate in ENTITY_EDGE_PROPERTIES
        for subject, obj in graph.subject_objects(predicate):
            source_kind = kinds.get(subject)
            if source_kind and obj in kinds and (from_any or is_event_kind(source_kind)):
                edges.add((str(subject), str(predicate), str(obj)))
    for source, predicate_iri, target in sorted(edges):
        name = local_name(predicate_iri)
        projection.add_edge(source, target, key=name, label=name, predicate=predicate_iri)
    return projection


def _values_by_subject(
    graph: Graph, predicate: URIRef, subjects: dict[Node, str]
) -> dict[Node, list[str]]:
    """Every value of `predicate` on each of `subjects`, as text: one scan of the predicate
    instead of a lookup per node, which a graph read in place from a store pays for."""
    found: dict[Node, list[str]] = {}
    for subject, value in graph.subject_objects(predicate):
        if subject in subjects:
            found.setdefault(subject, []).append(str(value))
    return found


@dataclass(frozen=True)
class Trimmed:
    """A projection cut down to its most connected nodes, and what was cut."""

    projection: nx.MultiDiGraph
    dropped_kinds: dict[str, int]  # kind → number of nodes dropped, by kind name
    dropped_edges: int


def keep_most_connected(projection: nx.MultiDiGraph, max_nodes: int | None) -> Trimmed:
    """Keep the `max_nodes` nodes of highest degree (ties: IRI order), and their edges.

    None (or a limit at least the node count) keeps everything.
    """
    if max_nodes is None or projection.number_of_nodes() <= max_nodes:
        return Trimmed(projection, {}, 0)
    ranked = sorted(projection.nodes, key=lambda node: (-projection.degree(node), node))
    kept = set(ranked[:max_nodes])
    trimmed = nx.MultiDiGraph()
    trimmed.add_nodes_from((node, projection.nodes[node]) for node in projection if node in kept)
    trimmed.add_edges_from(
        (source, target, key, data)
        for source, target, key, data in projection.edges(keys=True, data=True)
        if source in kept and target in kept
    )
    dropped: dict[str, int] = {}
    for node in ranked[max_nodes:]:
        kind = projection.nodes[node]["kind"]
        dropped[kind] = dropped.get(kind, 0) + 1
    return Trimmed(
        trimmed,
        dict(sorted(dropped.items())),
        projection.number_of_edges() - trimmed.number_of_edges(),
    )
