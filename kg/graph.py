"""Resolved records → an rdflib graph in the public vocabulary (VOCABULARY.md)."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg.namespaces import DEFAULT_BASE_IRI, KG, SCHEMA, bind_prefixes
from kg.records import Article, Entity
from kg.resolve import Resolution


class IriMinter:
    """Stable, readable instance IRIs under a configurable base."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        if not base_iri.endswith(("/", "#")):
            base_iri += "/"
        self.base = Namespace(base_iri)

    def entity(self, key: str) -> URIRef:
        """'country/iraq' → <base>country/iraq."""
        return self.base[key]

    def article(self, article: Article) -> URIRef:
        return self.base[f"article/{article.stem}"]


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


def add_entity(
    graph: Graph, entity: Entity, minter: IriMinter, articles: dict[str, URIRef]
) -> None:
    """One node per real entity: class, one label, every alias, where it is named."""
    iri = minter.entity(entity.key)
    graph.add((iri, RDF.type, KG[entity.entity_class]))
    graph.add((iri, RDFS.label, Literal(entity.label)))
    for alias in entity.alt_labels:
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    for demonym in entity.demonyms:
        graph.add((iri, KG.demonym, Literal(demonym)))
    for source in entity.articles:
        graph.add((iri, KG.mentionedIn, articles[source]))
    for same in entity.same_as:
        graph.add((iri, OWL.sameAs, URIRef(same)))
    for container in entity.located_in:
        graph.add((iri, KG.locatedIn, minter.entity(container)))


def build_graph(
    articles: Sequence[Article],
    resolution: Resolution,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> Graph:
    """The whole graph: articles and the entities they name."""
    minter = IriMinter(base_iri)
    graph = bind_prefixes(Graph(), str(minter.base))
    article_iris = {a.source_file: minter.article(a) for a in articles}
    for article in articles:
        add_article(graph, article, article_iris[article.source_file])
    for entity in resolution.entities:
        add_entity(graph, entity, minter, article_iris)
    return graph
