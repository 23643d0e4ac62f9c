"""The sample build's graph: mentions point exactly into the files; each article has its graph."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from kg.defaults import DEFAULT_BASE_IRI
from kg.graph import CorpusRecords, GraphStatements, build_dataset
from kg.namespaces import KG
from kg.rdflib_graphs import load_graph_file, named_graphs
from kg.records import ArticleExtraction, Event, EventClaim, EventType
from kg.resolve import Resolution, resolve, resolve_events, resolve_roles

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
EVENT_TYPES: tuple[str, ...] = get_args(EventType)


@pytest.fixture(scope="module")
def union(sample_build: Path) -> Graph:
    return Graph().parse(sample_build / "graph.ttl")


def test_every_mention_is_the_text_at_its_offsets_in_the_file(union: Graph):
    mentions = list(union.subjects(RDF.type, KG.Mention))
    assert len(mentions) > 100
    for mention in mentions:
        article = union.value(mention, KG.inArticle)
        source = ARTICLES / str(union.value(article, KG.sourceFile))
        text = source.read_bytes().decode("utf-8")  # as read: line endings untouched
        begin = int(union.value(mention, KG.beginIndex))
        end = int(union.value(mention, KG.endIndex))
        assert text[begin:end] == str(union.value(mention, KG.anchorOf)), mention


def test_every_entity_and_event_has_a_mention(union: Graph):
    things = [
        s
        for cls in ("Person", "Country", "Organization", "MilitaryBase", "Place", *EVENT_TYPES)
        for s in union.subjects(RDF.type, KG[cls])
    ]
    mentioned_somewhere = [
        s
        for s in things
        if (s, KG.mentionedIn, None) in union or (s, PROV.wasDerivedFrom, None) in union
    ]
    assert mentioned_somewhere
    for thing in mentioned_somewhere:
        assert (thing, KG.denotedBy, None) in union, thing


def test_every_event_has_evidence_and_a_source(union: Graph):
    events = {s for t in EVENT_TYPES for s in union.subjects(RDF.type, KG[t])}
    assert len(events) >= 20
    for event in events:
        sources = set(union.objects(event, PROV.wasDerivedFrom))
        assert sources and all((s, RDF.type, KG.Article) in union for s in sources)
        assert len(set(union.objects(event, KG.evidence))) >= len(sources)


def test_trig_holds_one_graph_per_article_and_the_shared_ones(sample_build: Path):
    names = {str(n) for n in named_graphs(load_graph_file(sample_build / "graph.trig")) if n}
    articles = {f"{DEFAULT_BASE_IRI}article/{p.stem}" for p in ARTICLES.glob("*.txt")}
    shared = {
        f"{DEFAULT_BASE_IRI}graph/{name}"
        for name in ("entities", "support", "consensus", "resolution")
    }
    assert names == articles | shared


FIGURES = "kg:troopsBefore|kg:troopsAfter|kg:troopCount"


def test_each_articles_figures_sit_in_the_graph_named_by_it(sample_build: Path):
    # The graph of an article is named by the article's IRI and holds its metadata, so
    # "which article gives this figure" is the graph the figure is in. (The consensus
    # graph repeats the figures enough outlets give; it is no article's graph.)
    dataset = load_graph_file(sample_build / "graph.trig")
    namespaces = {"kg": KG, "prov": PROV}
    figures = f"SELECT ?event WHERE {{ GRAPH ?article {{ ?event {FIGURES} ?n }} }}"
    assert list(dataset.query(figures, initNs=namespaces))
    astray = f"""SELECT ?event WHERE {{ GRAPH ?article {{
        ?event {FIGURES} ?n .
        FILTER(?article != <{DEFAULT_BASE_IRI}graph/consensus>)
        FILTER NOT EXISTS {{ ?event prov:wasDerivedFrom ?article . ?article kg:sourceFile ?file }}
    }} }}"""
    assert list(dataset.query(astray, initNs=namespaces)) == []


def test_where_a_place_lies_is_kept_with_the_article_that_says_it(sample_build: Path):
    """Labels live in the shared entity graph; what an article says lives in its own."""
    dataset = load_graph_file(sample_build / "graph.trig")
    entities = URIRef(f"{DEFAULT_BASE_IRI}graph/entities")
    rows = dataset.query(
        """SELECT ?article ?inner ?outer ?shared WHERE {
             GRAPH ?article { ?inner kg:locatedIn ?outer . ?article kg:sourceFile ?file }
             OPTIONAL { GRAPH ?shared { ?inner rdfs:label ?name . ?outer rdfs:label ?other } } }""",
        initNs={"kg": KG},
    )
    stated = list(rows)
    assert stated
    assert {row.shared for row in stated} == {entities}


def test_graph_an_article_states_the_most_precise_of_its_compatible_dates(make_article):
    # One article dating an event "2020" and "January 2020" says January 2020; a store
    # that keeps one value per instant (Virtuoso) would otherwise drop one of the two.
    # A date that disagrees stays, and another article's coarser claim stays in its graph.
    first = make_article("Troops left in 2020. They left in January 2020. Or in 2021.", "a.txt")
    second = make_article("Troops left in 2020.", "b.txt")

    def claim(article: str, date: str, start: int) -> EventClaim:
        return EventClaim(
            article, "Troops left.", start, start + 20, ((start, start + 5, "left"),), date=date
        )

    claims = (
        claim("a.txt", "2020", 0),
        claim("a.txt", "2020-01", 21),
        claim("a.txt", "2021", 49),
        claim("b.txt", "2020", 0),
    )
    event = Event("event/left", "Withdrawal", "Withdrawal", claims)
    extractions = [ArticleExtraction(first), ArticleExtraction(second)]
    dataset = build_dataset(extractions, Resolution((), {}), [event])
    iri = URIRef(f"{DEFAULT_BASE_IRI}event/left")

    def dates(stem: str) -> set[str]:
        graph = dataset.graph(URIRef(f"{DEFAULT_BASE_IRI}article/{stem}"))
        return {str(date) for date in graph.objects(iri, KG.date)}

    assert dates("a") == {"2020-01", "2021"}
    assert dates("b") == {"2020"}


def test_corpus_records_are_made_when_read_and_not_kept(extract, gazetteer):
    texts = (
        "US troops withdrew from Iraq on 9 September 2020, Mike Pompeo said.",
        "Pompeo said American troops left Iraq in September 2020.",
    )
    extractions = [extract(text, f"a{i}.txt") for i, text in enumerate(texts)]
    resolution = resolve(extractions, gazetteer)
    events = resolve_events(extractions, resolution)
    records = CorpusRecords(extractions, resolution, events, resolve_roles(extractions, resolution))
    first, again = records[0], records[0]
    assert first == again and first.entity_of is not again.entity_of  # made again when read
    assert list(records) == [records[0], records[1]] == records[0:2]
    assert first.entity_of == {
        start: key
        for (source, start), key in resolution.mention_entity.items()
        if source == "a0.txt"
    }
    assert first.claims and all(claim.article == "a0.txt" for _, claim in first.claims)
    assert all(head.claims == () and head.joined == () for head, _ in first.claims)


RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def test_graph_statements_lines_are_oxigraph_s_n_quads_of_the_quads() -> None:
    name = ox.NamedNode("https://example.org/id/article/a%20b")
    graph = GraphStatements(name)
    subject = ox.NamedNode("https://example.org/id/mention/a/1-2")
    texts = ['a "quote", a \\ and a tab\t', "nul\x00 del\x7f line\u2028end", "Bagdad—Ω 😀"]
    for text in texts:
        graph.add(subject, RDFS_LABEL, ox.Literal(text))
        graph.add(subject, RDFS_LABEL, ox.Literal(text, language="ar-Latn"))
        graph.add(subject, RDFS_LABEL, ox.Literal(text))  # twice: one statement
    graph.add(subject, RDFS_LABEL, ox.Literal("12", datatype=ox.NamedNode(XSD_INTEGER)))
    graph.add(subject, RDFS_LABEL, ox.NamedNode("https://example.org/id/place/x"))
    written = ox.serialize(graph.quads(), format=ox.RdfFormat.N_QUADS) or b""
    assert "".join(graph.nquads_lines()).encode("utf-8") == written
    assert len(graph.quads()) == 2 * len(texts) + 2
