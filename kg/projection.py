"""Project the RDF graph onto what people want to look at: entities, events, articles.

The projection (`project`) is shared by the HTML view and the GraphML
export, computed once per build; `graph_to_networkx` hands it to networkx
users. Mentions, roles and anything untyped stay out of it: they are
details of the nodes (see `kg.view.details`), not nodes of their own.

A node and the links from it depend on its own statements only, and on
which other nodes are drawn; so in a build the projection is kept as a
memo (`kg.memo`), and a rebuild projects again only the subjects it
changed, and the links into nodes that appeared or went.
"""

from __future__ import annotations

import json
import struct
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import networkx as nx
import numpy as np
import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node, URIRef

from kg.graphsource import GraphSource, Subject, named, smallest_text
from kg.memo import current_memos, memo_key
from kg.namespaces import KG, SCHEMA, local_name
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
EDGE_PROPERTIES = (*ENTITY_EDGE_PROPERTIES, *EVENT_EDGE_PROPERTIES)
PROJECTION_MEMO = "projection"
_MEMO_HEAD = struct.Struct("<Q")  # bytes of the memo's JSON
_EDGE_NUMBER = np.dtype("<u4")
RDF_TYPE = named(RDF.type)


def first_literal(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """The smallest (so: deterministic) non-empty value of `predicate`, or None."""
    return smallest_text(str(value) for value in graph.objects(subject, predicate))


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


@dataclass(frozen=True, slots=True)
class ProjectedNode:
    """One drawn node: an entity, an event or an article."""

    iri: str
    kind: str
    label: str
    aliases: tuple[str, ...]
    same_as: tuple[str, ...]


Edge = tuple[str, str, str]  # (source IRI, property IRI, target IRI)


@dataclass(frozen=True)
class Projection:
    """Entities, events and articles, and the links between them, in IRI order.

    Compact on purpose: plain strings and tuples, no graph library, so that
    the projection of a whole archive fits beside the build (the page draws a
    trimmed part of it, GraphML writes all of it).
    """

    nodes: dict[str, ProjectedNode]  # by IRI, in IRI order
    edges: list[Edge]  # sorted

    def degrees(self) -> dict[str, int]:
        """Links per node, both ways (a link from a node to itself counts twice)."""
        degrees = dict.fromkeys(self.nodes, 0)
        for source, _, target in self.edges:
            degrees[source] += 1
            degrees[target] += 1
        return degrees

    def to_networkx(self) -> nx.MultiDiGraph:
        """The projection as a networkx MultiDiGraph (see `graph_to_networkx`)."""
        graph = nx.MultiDiGraph()
        for node in self.nodes.values():
            graph.add_node(
                node.iri,
                label=node.label,
                kind=node.kind,
                aliases=list(node.aliases),
                same_as=list(node.same_as),
                iri=node.iri,
            )
        for source, predicate, target in self.edges:
            name = local_name(predicate)
            graph.add_edge(source, target, key=name, label=name, predicate=predicate)
        return graph


def drawn_kinds(source: GraphSource) -> dict[Subject, str]:
    """Every subject that becomes a node, with its kind.

    Read class by class, so the many subjects that are never drawn (mentions,
    roles) are never collected.
    """
    drawn = (*ENTITY_CLASSES, *event_classes(), KG.Article)
    types_of: dict[Subject, set[URIRef]] = {}
    for cls in drawn:
        for subject in source.subjects(RDF_TYPE, named(cls)):
            types_of.setdefault(subject, set()).add(cls)
    kinds: dict[Subject, str] = {}
    for subject, types in types_of.items():
        kind = node_kind(types)
        if kind is not None:
            kinds[subject] = kind
    return kinds


def project(source: GraphSource) -> Projection:
    """The graph projected onto entities, events and articles (see `graph_to_networkx`).

    In a build, from the last build's projection when the memo holds the
    store as the build found it (`kg.memo.Memos`), else from the whole store.
    """
    memos = current_memos()
    if memos is None:
        return _project_all(source)
    key = memo_key("projection", EDGE_PROPERTIES)
    kept = memos.read(PROJECTION_MEMO, key) if memos.changes is not None else None
    projection = None
    if kept is not None and memos.changes is not None:
        state, old = _from_memo(kept)
        if state == memos.changes.before:
            projection = _project_changes(source, old, memos.changes.subjects)
    if projection is None:
        projection = _project_all(source)
    memos.write(PROJECTION_MEMO, key, _to_memo(memos.state, projection))
    return projection


def _project_all(source: GraphSource) -> Projection:
    kinds = drawn_kinds(source)
    labels = _values_by_subject(source, RDFS.label, kinds)
    headlines = _values_by_subject(source, SCHEMA.headline, kinds)
    aliases = _values_by_subject(source, SKOS.altLabel, kinds)
    same_as = _values_by_subject(source, OWL.sameAs, kinds)
    nodes: dict[str, ProjectedNode] = {}
    names: dict[Subject, str] = {}  # one string per node, shared by its edges
    for subject in sorted(kinds, key=lambda term: term.value):
        kind, name = kinds[subject], subject.value
        label = smallest_text(labels.get(subject, ()))
        if kind == ARTICLE_KIND:
            label = smallest_text(headlines.get(subject, ())) or label
        names[subject] = name
        nodes[name] = ProjectedNode(
            iri=name,
            kind=kind,
            label=label or local_name(name),
            aliases=tuple(sorted(set(aliases.get(subject, ())))),
            same_as=tuple(sorted(set(same_as.get(subject, ())))),
        )
    edges: set[Edge] = set()
    for predicate in EDGE_PROPERTIES:
        property_iri = str(predicate)
        for subject, obj in source.pairs(named(predicate)):
            source_kind, target = kinds.get(subject), names.get(obj)  # type: ignore[arg-type]
            if source_kind and target and _drawn_link(source_kind, predicate):
                edges.add((names[subject], property_iri, target))
    return Projection(nodes, sorted(edges))


def _project_changes(
    source: GraphSource, old: Projection, changed: Iterable[bytes]
) -> Projection | None:
    """`old`, the projection before the statements of the subjects `changed` changed, brought
    up to date; None when a changed subject is a blank node (not looked up by name)."""
    iris = []
    for subject in changed:
        if not subject.startswith(b"<"):
            return None
        iris.append(subject[1:-1].decode("utf-8"))
    nodes = dict(old.nodes)
    again = set(iris)
    edges = {edge for edge in old.edges if edge[0] not in again}
    for iri in iris:
        nodes.pop(iri, None)
        node = _node(source, ox.NamedNode(iri))
        if node is not None:
            nodes[iri] = node
    for iri in iris:
        if iri in nodes:
            edges |= _edges_from(source, nodes[iri], nodes)
    gone = {iri for iri in iris if iri in old.nodes and iri not in nodes}
    if gone:
        edges = {edge for edge in edges if edge[2] not in gone}
    for iri in iris:
        if iri in nodes and iri not in old.nodes:  # appeared: links into it from the others
            edges |= _edges_into(source, nodes[iri], nodes)
    return Projection(dict(sorted(nodes.items())), sorted(edges))


def _node(source: GraphSource, subject: ox.NamedNode) -> ProjectedNode | None:
    """One subject's node, as `_project_all` makes it, or None when it is not drawn."""
    drawn = _drawn_classes()
    types = [URIRef(t.value) for t in source.objects(subject, RDF_TYPE) if t in drawn]
    kind = node_kind(types) if types else None
    if kind is None:
        return None
    label = source.first_text(subject, named(RDFS.label))
    if kind == ARTICLE_KIND:
        label = source.first_text(subject, named(SCHEMA.headline)) or label
    return ProjectedNode(
        iri=subject.value,
        kind=kind,
        label=label or local_name(subject.value),
        aliases=tuple(sorted({v.value for v in source.objects(subject, named(SKOS.altLabel))})),
        same_as=tuple(sorted({v.value for v in source.objects(subject, named(OWL.sameAs))})),
    )


@cache
def _drawn_classes() -> frozenset[ox.NamedNode]:
    return frozenset(named(cls) for cls in (*ENTITY_CLASSES, *event_classes(), KG.Article))


def _drawn_link(kind: str, predicate: URIRef) -> bool:
    """Whether a link of `predicate` from a drawn node of `kind` is drawn (to a drawn node)."""
    return predicate in ENTITY_EDGE_PROPERTIES or is_event_kind(kind)


def _edges_from(
    source: GraphSource, node: ProjectedNode, nodes: dict[str, ProjectedNode]
) -> set[Edge]:
    links = [p for p in EDGE_PROPERTIES if _drawn_link(node.kind, p)]
    found = ((p, o) for p in links for o in source.objects(ox.NamedNode(node.iri), named(p)))
    return {
        (node.iri, str(p), o.value)
        for p, o in found
        if isinstance(o, ox.NamedNode) and o.value in nodes
    }


def _edges_into(
    source: GraphSource, node: ProjectedNode, nodes: dict[str, ProjectedNode]
) -> set[Edge]:
    found = (
        (s, p) for p in EDGE_PROPERTIES for s in source.subjects(named(p), ox.NamedNode(node.iri))
    )
    return {
        (s.value, str(p), node.iri)
        for s, p in found
        if s.value in nodes and _drawn_link(nodes[s.value].kind, p)
    }


def _to_memo(state: str, projection: Projection) -> bytes:
    """The projection kept: the state, the nodes as JSON, then each edge as three numbers
    (source, property, target) in binary, 12 bytes, not a JSON list (at 100,000 articles
    millions of edges: the lists cost more memory than the projection)."""
    number = {iri: n for n, iri in enumerate(projection.nodes)}
    properties = {str(p): n for n, p in enumerate(EDGE_PROPERTIES)}
    nodes = [[n.iri, n.kind, n.label, n.aliases, n.same_as] for n in projection.nodes.values()]
    head = json.dumps([state, nodes], ensure_ascii=False).encode("utf-8")
    edges = array("I")
    for source, predicate, target in projection.edges:
        edges.extend((number[source], properties[predicate], number[target]))
    numbers = np.frombuffer(edges, dtype=np.uint32).astype(_EDGE_NUMBER)
    return _MEMO_HEAD.pack(len(head)) + head + numbers.tobytes()


def _from_memo(body: bytes) -> tuple[str, Projection]:
    """The state and the projection `_to_memo` kept."""
    (size,) = _MEMO_HEAD.unpack_from(body)
    state, nodes = json.loads(body[_MEMO_HEAD.size : _MEMO_HEAD.size + size])
    made = [ProjectedNode(i, k, label, tuple(a), tuple(same)) for i, k, label, a, same in nodes]
    iris = np.array([node.iri for node in made], dtype=object)
    properties = np.array([str(p) for p in EDGE_PROPERTIES], dtype=object)
    edges = np.frombuffer(body, dtype=_EDGE_NUMBER, offset=_MEMO_HEAD.size + size).reshape(-1, 3)
    links = zip(iris[edges[:, 0]], properties[edges[:, 1]], iris[edges[:, 2]], strict=True)
    return state, Projection({node.iri: node for node in made}, list(links))


def graph_source(graph: Graph | GraphSource) -> GraphSource:
    """`graph` as the view reads it: a source as it is, an rdflib graph copied into one."""
    return graph if isinstance(graph, GraphSource) else GraphSource.of_rdflib(graph)


def graph_to_networkx(graph: Graph | GraphSource) -> nx.MultiDiGraph:
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
    return project(graph_source(graph)).to_networkx()


def _values_by_subject(
    source: GraphSource, predicate: URIRef, subjects: dict[Subject, str]
) -> dict[Subject, list[str]]:
    """Every value of `predicate` on each of `subjects`, as text: one scan of the predicate
    instead of a lookup per node."""
    found: dict[Subject, list[str]] = {}
    for subject, value in source.pairs(named(predicate)):
        if subject in subjects:
            found.setdefault(subject, []).append(value.value)
    return found


@dataclass(frozen=True)
class Trimmed:
    """A projection cut down to its most connected nodes, and what was cut.

    It holds all a drawing needs of the whole projection, so that the whole one (half a
    gigabyte at 100,000 articles) can be let go before the page is made.
    """

    projection: Projection
    dropped_kinds: dict[str, int]  # kind → number of nodes dropped, by kind name
    dropped_edges: int
    degrees: dict[str, int]  # links of each kept node in the whole projection


def keep_most_connected(projection: Projection, max_nodes: int | None) -> Trimmed:
    """Keep the `max_nodes` nodes of highest degree (ties: IRI order), and their edges.

    None (or a limit at least the node count) keeps everything.
    """
    degrees = projection.degrees()
    if max_nodes is None or len(projection.nodes) <= max_nodes:
        return Trimmed(projection, {}, 0, degrees)
    ranked = sorted(projection.nodes, key=lambda node: (-degrees[node], node))
    kept = set(ranked[:max_nodes])
    nodes = {name: node for name, node in projection.nodes.items() if name in kept}
    edges = [edge for edge in projection.edges if edge[0] in kept and edge[2] in kept]
    dropped: dict[str, int] = {}
    for name in ranked[max_nodes:]:
        kind = projection.nodes[name].kind
        dropped[kind] = dropped.get(kind, 0) + 1
    return Trimmed(
        Projection(nodes, edges),
        dict(sorted(dropped.items())),
        len(projection.edges) - len(edges),
        {name: degrees[name] for name in nodes},
    )
