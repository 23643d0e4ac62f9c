"""Tests for kg.validation.extract: a chunk reads what its checks need, not what an entity names."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.validate import validate_store
from kg.validation.extract import Extractor
from kg.validation.needs import needs

KG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
COUNTRY = ox.NamedNode(ID + "country/freedonia")
ENTITIES = ox.NamedNode(ID + "graph/entities")


def _kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG + name)


def _hub_store(articles: int) -> ox.Store:
    """A country that every article names once, each article in its own graph."""
    store = ox.Store()
    quads = [
        ox.Quad(COUNTRY, RDF_TYPE, _kg("Country"), ENTITIES),
        ox.Quad(COUNTRY, LABEL, ox.Literal("Freedonia"), ENTITIES),
    ]
    for i in range(articles):
        article = ox.NamedNode(f"{ID}article/a{i:04d}")
        mention = ox.NamedNode(f"{ID}mention/a{i:04d}/0-9")
        quads += [
            ox.Quad(article, RDF_TYPE, _kg("Article"), article),
            ox.Quad(article, _kg("sourceFile"), ox.Literal(f"a{i:04d}.txt"), article),
            ox.Quad(COUNTRY, _kg("mentionedIn"), article, article),
            ox.Quad(COUNTRY, _kg("denotedBy"), mention, article),
            ox.Quad(mention, RDF_TYPE, _kg("Mention"), article),
            ox.Quad(mention, _kg("inArticle"), article, article),
            ox.Quad(mention, _kg("beginIndex"), ox.Literal("0", datatype=_INTEGER), article),
            ox.Quad(mention, _kg("endIndex"), ox.Literal("9", datatype=_INTEGER), article),
            ox.Quad(mention, _kg("anchorOf"), ox.Literal("Freedonia"), article),
        ]
    store.extend(quads)
    return store


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@pytest.mark.parametrize("articles", [10, 400])
def test_extract_one_article_reads_a_few_triples_whatever_its_country_names(articles):
    store = _hub_store(articles)
    (chunk,) = Extractor(store, needs()).chunks([ox.NamedNode(f"{ID}article/a0003")])
    assert chunk.triples < 40  # the article's 9, the country's types, label and witnesses
    assert validate_store(store, [ox.NamedNode(f"{ID}article/a0003")]).conforms


def test_extract_country_named_everywhere_is_checked_once_per_call():
    store = _hub_store(50)
    chunks = list(Extractor(store, needs(), chunk_triples=20).chunks(store.named_graphs()))
    assert len(chunks) > 10
    assert sum(COUNTRY.value in chunk.due for chunk in chunks) == 1


def test_extract_a_count_decided_beyond_the_chunk():
    """A second label stated in one article: the article's own check sees the count exceeded."""
    store = _hub_store(20)
    article = ox.NamedNode(f"{ID}article/a0007")
    store.add(ox.Quad(COUNTRY, LABEL, ox.Literal("Fredonia"), article))
    report = validate_store(store, [ox.NamedNode(f"{ID}article/a0001")])
    assert [v.constraint for v in report.violations] == ["MaxCount"]
    assert {str(v) for v in report.violations[0].found} == {"Freedonia", "Fredonia"}


@pytest.mark.parametrize("interleaved", [False, True])
def test_extract_a_big_graph_is_cut_between_subjects_whatever_order_it_is_read_in(interleaved):
    """A graph of one node per decision, larger than a chunk: read again in parts, each
    subject's statements in one part, however a reader orders them."""
    decisions = ox.NamedNode(ID + "graph/resolution")
    store = ox.Store()
    for n in range(30):
        node = ox.NamedNode(f"{ID}decision/{n:02d}")
        store.add(ox.Quad(node, LABEL, ox.Literal(f"decision {n}"), decisions))
        store.add(ox.Quad(node, _kg("reason"), ox.Literal(f"why {n}"), decisions))
    statements = [quad.triple for quad in store.quads_for_pattern(None, None, None, decisions)]
    if interleaved:  # every subject's first statement, then every second one
        statements = sorted(statements, key=lambda t: (t.predicate.value, str(t.subject)))
    reads: list[int] = []

    def read(graph: ox.NamedNode) -> list[ox.Triple]:
        reads.append(1)
        return statements

    chunks = list(Extractor(store, needs(), 20, read).chunks([decisions]))
    assert len(chunks) == 3 and len(reads) > 1
    cut = [{t for t in ox.parse(c.data, format=ox.RdfFormat.N_TRIPLES)} for c in chunks]
    for n in range(30):
        node = ox.NamedNode(f"{ID}decision/{n:02d}")
        assert sum(any(t.subject == node for t in part) for part in cut) == 1
