"""Resolved records → an rdflib Dataset in the public vocabulary (VOCABULARY.md).

Each article gets a named graph (named by the article's IRI) holding what
that article supports: its metadata, the mentions it contains, its claims
about events (figures, dates, status, evidence) and the roles it gives
people. What no single article owns (an entity's class, label, aliases,
Wikidata link) sits in one shared graph, `<base>graph/entities`. Turtle and
JSON-LD hold the union; TriG and N-Quads keep the graphs apart, so a
`GRAPH ?g { … }` query tells which article says what.

Dates of one event: an article's graph states each date the article gives
it, except one that another date of the same article refines ("2020" beside
"January 2020": the article says January 2020). Articles differing in
precision each keep their own date in their own graph, so the union may
hold "2020" and "2020-01" for one event: they agree, the longer is the more
precise. Within one graph, then, no two dates of an event share a first day,
which matters to stores such as Virtuoso that keep one value per instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.namespaces import DEFAULT_BASE_IRI, KG, SCHEMA, bind_prefixes
from kg.records import Article, ArticleExtraction, Entity, Event, EventClaim, Figure, Role
from kg.resolve import Resolution

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
FIGURES = (
    ("troops_before", KG.troopsBefore, KG.troopsBeforeQualifier),
    ("troops_after", KG.troopsAfter, KG.troopsAfterQualifier),
    ("troop_count", KG.troopCount, KG.troopCountQualifier),
)


def check_base_iri(base_iri: str) -> str:
    """`base_iri` when instance IRIs can be minted under it.

    Raises:
        ValueError: it is not an absolute http(s) IRI ending in `/` or `#`, or
            holds characters an IRI may not (checked by Oxigraph's strict parser,
            which every output is written with).
    """
    problem = None
    parts = urlsplit(base_iri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problem = "is not an absolute http:// or https:// IRI"
    elif not base_iri.endswith(("/", "#")):
        problem = "does not end in / or #, so names would run into it"
    else:
        try:
            ox.NamedNode(base_iri)
        except ValueError as err:
            problem = f"is not a valid IRI ({err})"
    if problem:
        raise ValueError(
            f"base IRI {base_iri!r} {problem}; give one like {DEFAULT_BASE_IRI} "
            "(percent-encode spaces and other special characters)"
        )
    return base_iri


class IriMinter:
    """Stable, readable instance IRIs under a configurable base (see `check_base_iri`)."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = Namespace(check_base_iri(base_iri))

    def entity(self, key: str) -> URIRef:
        """'country/iraq' → <base>country/iraq; events and roles likewise."""
        return self.base[key]

    def article(self, article: Article) -> URIRef:
        """<base>article/<id>: the article's percent-encoded relative path (`Article.id`)."""
        return self.base[f"article/{article.id}"]

    def mention(self, article: Article, begin: int, end: int) -> URIRef:
        """A span of an article file: <base>mention/<id>/<begin>-<end>."""
        return self.base[f"mention/{article.id}/{begin}-{end}"]

    def entities_graph(self) -> URIRef:
        return self.base["graph/entities"]


def date_literal(value: str) -> Literal:
    """'2020' → xsd:gYear, '2020-09' → xsd:gYearMonth, '2020-09-09' → xsd:date."""
    return Literal(value, datatype=DATE_TYPES[len(value)])


def keep_most_precise_dates(graph: Graph) -> None:
    """Drop each kg:date that another kg:date of the same node refines ('2020' < '2020-01').

    Dates that disagree ('2020-09', '2020-11') all stay.
    """
    for node in set(graph.subjects(KG.date)):
        dates = {str(value) for value in graph.objects(node, KG.date)}
        for coarse in dates:
            if any(fine != coarse and fine.startswith(coarse) for fine in dates):
                graph.remove((node, KG.date, date_literal(coarse)))


def add_article(graph: Graph, article: Article, iri: URIRef) -> None:
    """The article node with what its text says about itself."""
    graph.add((iri, RDF.type, KG.Article))
    graph.add((iri, KG.sourceFile, Literal(article.source_file)))
    if article.title:
        graph.add((iri, SCHEMA.headline, Literal(article.title)))
    if article.published:
        graph.add(
            (iri, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.date))
        )
    if article.publisher:
        graph.add((iri, SCHEMA.publisher, Literal(article.publisher)))
    for author in article.authors:
        graph.add((iri, SCHEMA.author, Literal(author)))
    if article.url:
        graph.add((iri, SCHEMA.url, Literal(article.url)))


def add_entity(graph: Graph, entity: Entity, minter: IriMinter) -> None:
    """One node per real entity: class, one label, every alias, what the gazetteer knows."""
    iri = minter.entity(entity.key)
    graph.add((iri, RDF.type, KG[entity.entity_class]))
    graph.add((iri, RDFS.label, Literal(entity.label)))
    for alias in entity.alt_labels:
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    for demonym in entity.demonyms:
        graph.add((iri, KG.demonym, Literal(demonym)))
    for same in entity.same_as:
        graph.add((iri, OWL.sameAs, URIRef(same)))
    for container in entity.located_in:
        graph.add((iri, KG.locatedIn, minter.entity(container)))
    for state in entity.acts_for:
        graph.add((iri, KG.actsFor, minter.entity(state)))


def add_mention(
    graph: Graph, minter: IriMinter, article: Article, body_span: tuple[int, int, str]
) -> URIRef:
    """A kg:Mention of `body_span` (start, end, text) of the body, offsets into the file."""
    begin = article.source_offset(body_span[0])
    end = article.source_offset(body_span[1])
    iri = minter.mention(article, begin, end)
    graph.add((iri, RDF.type, KG.Mention))
    graph.add((iri, KG.inArticle, minter.article(article)))
    graph.add((iri, KG.beginIndex, Literal(begin, datatype=XSD.integer)))
    graph.add((iri, KG.endIndex, Literal(end, datatype=XSD.integer)))
    graph.add((iri, KG.anchorOf, Literal(body_span[2])))  # body and file agree inside a segment
    return iri


def add_claim(
    graph: Graph, event: Event, claim: EventClaim, minter: IriMinter, article: Article
) -> None:
    """What one article says about an event, in that article's graph."""
    iri = minter.entity(event.key)
    graph.add((iri, RDF.type, KG[event.event_type]))
    graph.add((iri, RDFS.label, Literal(event.label)))
    for role, key in claim.arguments:
        graph.add((iri, KG[role], minter.entity(key)))
    if claim.date:
        graph.add((iri, KG.date, date_literal(claim.date)))
    for attribute, value_property, qualifier_property in FIGURES:
        figure: Figure | None = getattr(claim, attribute)
        if figure is None:
            continue
        graph.add((iri, value_property, Literal(figure.value, datatype=XSD.integer)))
        if figure.qualifier:
            graph.add((iri, qualifier_property, Literal(figure.qualifier)))
    graph.add((iri, KG.status, Literal(claim.status)))
    graph.add((iri, KG.evidence, Literal(claim.evidence)))
    graph.add((iri, PROV.wasDerivedFrom, minter.article(article)))
    for span in claim.triggers:
        graph.add((iri, KG.denotedBy, add_mention(graph, minter, article, span)))


def add_role(graph: Graph, role: Role, minter: IriMinter, article_iri: URIRef) -> None:
    """A position a person holds, as the article states it."""
    iri = minter.entity(role.key)
    graph.add((minter.entity(role.person), KG.hasRole, iri))
    graph.add((iri, RDF.type, KG.Role))
    graph.add((iri, KG.title, Literal(role.title)))
    for holder in role.of:
        graph.add((iri, KG.roleOf, minter.entity(holder)))
    graph.add((iri, PROV.wasDerivedFrom, article_iri))


def build_dataset(
    extractions: Sequence[ArticleExtraction],
    resolution: Resolution,
    events: Sequence[Event] = (),
    roles: Sequence[Role] = (),
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> Dataset:
    """The whole graph: one named graph per article plus the shared entity graph."""
    minter = IriMinter(base_iri)
    dataset = Dataset()
    bind_prefixes(dataset, str(minter.base))
    shared = dataset.graph(minter.entities_graph())
    for entity in resolution.entities:
        add_entity(shared, entity, minter)
    claims: dict[str, list[tuple[Event, EventClaim]]] = {}
    for event in events:
        for claim in event.claims:
            claims.setdefault(claim.article, []).append((event, claim))
    roles_by_article: dict[str, list[Role]] = {}
    for role in roles:
        for source in role.articles:
            roles_by_article.setdefault(source, []).append(role)
    for extraction in extractions:
        article = extraction.article
        article_iri = minter.article(article)
        graph = dataset.graph(article_iri)
        add_article(graph, article, article_iri)
        for mention in extraction.mentions:
            key = resolution.mention_entity.get((article.source_file, mention.start))
            if key is None:
                continue
            entity_iri = minter.entity(key)
            graph.add((entity_iri, KG.mentionedIn, article_iri))
            span = (mention.start, mention.end, mention.text)
            graph.add((entity_iri, KG.denotedBy, add_mention(graph, minter, article, span)))
        for placement in extraction.placements:
            inner = resolution.mention_entity.get((article.source_file, placement.inner))
            outer = resolution.mention_entity.get((article.source_file, placement.outer))
            if inner and outer and inner != outer:
                graph.add((minter.entity(inner), KG.locatedIn, minter.entity(outer)))
        for event, claim in claims.get(article.source_file, []):
            add_claim(graph, event, claim, minter, article)
        keep_most_precise_dates(graph)
        for role in roles_by_article.get(article.source_file, []):
            add_role(graph, role, minter, article_iri)
    return dataset
