"""Tests for kg.export: every format is deterministic, parses everywhere and says the same."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib.namespace
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from typer.testing import CliRunner

from kg.cli import app
from kg.defaults import DEFAULT_BASE_IRI
from kg.export import serialize, write_graph
from kg.jsonld import JSONLD_CONTEXT
from kg.layout import FORMATS, SUFFIXES, Format, format_for_path, parse_formats
from kg.namespaces import KG, SCHEMA, WD, bind_prefixes
from kg.projection import graph_to_networkx
from kg.rdflib_graphs import load_graph_file, named_graphs, union_graph

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
runner = CliRunner()

ID = Namespace(DEFAULT_BASE_IRI)
# A plain Namespace: pytest probes module globals, and rdflib's XSD warns on unknown names.
XSD = Namespace(str(rdflib.namespace.XSD))

ARTICLE = ID["article/001_c34ed854f745c209"]
ARTICLE_2 = ID["article/004_4c6c126155a967da"]
ENTITIES_GRAPH = ID["graph/entities"]
TRUMP = ID["person/donald-trump"]
IRAQ = ID["country/iraq"]
USA = ID["country/united-states"]
WITHDRAWAL = ID["event/3f2a9c0d"]
ROLE = ID["role/8b1e77aa"]

RDF_FORMATS: tuple[Format, ...] = ("turtle", "trig", "nquads", "json-ld")
OXIGRAPH_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS: dict[Format, str] = {
    "turtle": "turtle",
    "trig": "trig",
    "nquads": "nquads",
    "json-ld": "json-ld",
}

Quad = tuple[URIRef | BNode, URIRef, object, URIRef | None]


def article_quads() -> list[Quad]:
    """What two articles support (one named graph each) and the shared entity descriptions."""
    return [
        (ARTICLE, RDF.type, KG.Article, ARTICLE),
        (ARTICLE, KG.sourceFile, Literal("001_c34ed854f745c209.txt"), ARTICLE),
        (ARTICLE, SCHEMA.datePublished, Literal("2020-09-09", datatype=XSD.date), ARTICLE),
        (ARTICLE, SCHEMA.headline, Literal('US to pull "almost half"\nof its troops'), ARTICLE),
        (ARTICLE_2, RDF.type, KG.Article, ARTICLE_2),
        (ARTICLE_2, KG.sourceFile, Literal("004_4c6c126155a967da.txt"), ARTICLE_2),
        (WITHDRAWAL, RDF.type, KG.Withdrawal, ARTICLE),
        (WITHDRAWAL, KG.agent, USA, ARTICLE),
        (WITHDRAWAL, KG.location, IRAQ, ARTICLE),
        (WITHDRAWAL, KG.date, Literal("2020-09", datatype=XSD.gYearMonth), ARTICLE),
        (WITHDRAWAL, KG.troopsAfter, Literal(3000), ARTICLE),
        (WITHDRAWAL, KG.troopsAfter, Literal(3500), ARTICLE_2),
        (WITHDRAWAL, KG.evidence, Literal("The US will go down to 3,000 troops."), ARTICLE),
        (WITHDRAWAL, KG.evidence, Literal("…to 3,500 troops\u2028in Iraq."), ARTICLE_2),
        (WITHDRAWAL, PROV.wasDerivedFrom, ARTICLE, ARTICLE),
        (WITHDRAWAL, PROV.wasDerivedFrom, ARTICLE_2, ARTICLE_2),
        (TRUMP, KG.hasRole, ROLE, ARTICLE_2),
        (ROLE, RDF.type, KG.Role, ARTICLE_2),
        (ROLE, KG.title, Literal("President"), ARTICLE_2),
        (ROLE, PROV.wasDerivedFrom, ARTICLE_2, ARTICLE_2),
        (TRUMP, RDF.type, KG.Person, ENTITIES_GRAPH),
        (TRUMP, RDFS.label, Literal("Donald Trump"), ENTITIES_GRAPH),
        (TRUMP, SKOS.altLabel, Literal("Trump"), ENTITIES_GRAPH),
        (TRUMP, SKOS.altLabel, Literal("Mr Trump"), ENTITIES_GRAPH),
        (TRUMP, SKOS.altLabel, Literal("Трамп", lang="ru"), ENTITIES_GRAPH),
        (TRUMP, OWL.sameAs, WD.Q22686, ENTITIES_GRAPH),
        (TRUMP, KG.mentionedIn, ARTICLE, ENTITIES_GRAPH),
        (TRUMP, KG.mentionedIn, ARTICLE_2, ENTITIES_GRAPH),
        (IRAQ, RDF.type, KG.Country, ENTITIES_GRAPH),
        (IRAQ, RDFS.label, Literal("Iraq"), ENTITIES_GRAPH),
        (IRAQ, KG.mentionedIn, ARTICLE, ENTITIES_GRAPH),
        (USA, RDF.type, KG.Country, ENTITIES_GRAPH),
        (USA, RDFS.label, Literal("United States"), ENTITIES_GRAPH),
        (USA, KG.mentionedIn, ARTICLE, ENTITIES_GRAPH),
        (USA, KG.troopCount, Literal("1", datatype=XSD.integer), None),
    ]


def make_dataset(quads: Iterable[Quad]) -> Dataset:
    dataset = bind_prefixes(Dataset())
    assert isinstance(dataset, Dataset)
    for s, p, o, g in quads:
        target = dataset.default_graph if g is None else dataset.graph(g)
        target.add((s, p, o))  # type: ignore[arg-type]
    return dataset


def make_graph(quads: Iterable[Quad]) -> Graph:
    graph = bind_prefixes(Graph())
    for s, p, o, _ in quads:
        graph.add((s, p, o))  # type: ignore[arg-type]
    return graph


def shuffled(seed: int) -> list[Quad]:
    quads = article_quads()
    random.Random(seed).shuffle(quads)
    return quads


def with_blank_nodes(graph: Graph) -> Graph:
    """Two look-alike blank nodes and one shared by two named graphs."""
    for n, title in enumerate(("President", "Commander")):
        node = BNode()
        graph.add((TRUMP, KG.hasRole, node))
        graph.add((node, KG.title, Literal(title)))
        graph.add((node, KG.roleOf, USA if n else IRAQ))
    return graph


def quad_count(graph: Graph) -> int:
    return sum(len(triples) for triples in named_graphs(graph).values())


def parse_rdflib(data: bytes, fmt: Format) -> Graph:
    target: Graph = Dataset() if fmt in ("trig", "nquads") else Graph()
    return target.parse(data=data, format=RDFLIB_FORMATS[fmt])


# --- determinism ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["graph", "dataset"])
def test_export_insertion_order_does_not_change_bytes(fmt, kind):
    make = make_graph if kind == "graph" else make_dataset
    first, second = serialize(make(shuffled(1)), fmt), serialize(make(shuffled(2)), fmt)
    assert first == second


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["graph", "dataset"])
def test_export_blank_nodes_get_stable_labels(fmt, kind):
    make = make_graph if kind == "graph" else make_dataset
    first = serialize(with_blank_nodes(make(shuffled(1))), fmt)
    second = serialize(with_blank_nodes(make(shuffled(2))), fmt)
    assert first == second


def test_export_blank_nodes_keep_the_graph(tmp_path):
    dataset = make_dataset(article_quads())
    shared = BNode()
    dataset.graph(ARTICLE).add((WITHDRAWAL, KG.participant, shared))
    dataset.graph(ARTICLE_2).add((shared, RDFS.label, Literal("coalition")))
    again = parse_rdflib(serialize(dataset, "nquads"), "nquads")
    participants = set(again.graph(ARTICLE).objects(WITHDRAWAL, KG.participant))
    labelled = set(again.graph(ARTICLE_2).subjects(RDFS.label, Literal("coalition")))
    assert len(participants) == 1 and participants == labelled


def test_export_nquads_default_graph_first_then_graphs_by_name_each_sorted():
    rows = serialize(make_dataset(shuffled(3)), "nquads").decode("utf-8").split("\n")
    assert rows.pop() == ""
    names = sorted([ARTICLE, ARTICLE_2, ENTITIES_GRAPH], key=lambda n: n.n3())

    def graph_of(row: str) -> URIRef | None:
        return next((n for n in names if row.endswith(f" {n.n3()} .")), None)

    order = [graph_of(row) for row in rows]
    assert order == sorted(order, key=lambda n: (n is not None, n.n3() if n else ""))
    for name in (None, *names):
        part = [row for row, g in zip(rows, order, strict=True) if g == name]
        assert part and part == sorted(part)


# --- content: named graphs, formats --------------------------------------------


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_export_named_graphs_kept(fmt):
    dataset = make_dataset(article_quads())
    again = parse_rdflib(serialize(dataset, fmt), fmt)
    assert isinstance(again, Dataset)
    expected = {name: len(triples) for name, triples in named_graphs(dataset).items()}
    assert {name: len(triples) for name, triples in named_graphs(again).items()} == expected
    assert set(expected) == {None, ARTICLE, ARTICLE_2, ENTITIES_GRAPH}


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_export_which_articles_say_3500_troops(fmt):
    """A GRAPH query answers which articles support a figure."""
    again = parse_rdflib(serialize(make_dataset(article_quads()), fmt), fmt)
    query = """
        PREFIX kg: <https://w3id.org/newskg/ontology#>
        SELECT ?g WHERE { GRAPH ?g { ?event kg:troopsAfter 3500 } }
    """
    assert [row[0] for row in again.query(query)] == [ARTICLE_2]  # type: ignore[index]


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_export_plain_graph_goes_to_default_graph(fmt):
    graph = make_graph(article_quads())
    data = serialize(graph, fmt)
    again = parse_rdflib(data, fmt)
    assert set(named_graphs(again)) == {None}
    assert quad_count(again) == len(graph)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_round_trips_isomorphic(fmt):
    dataset = make_dataset(article_quads())
    again = union_graph(parse_rdflib(serialize(dataset, fmt), fmt))
    assert isomorphic(again, union_graph(dataset))


@pytest.mark.parametrize("suffix", sorted(OXIGRAPH_FORMATS))
def test_export_parses_with_oxigraph(suffix):
    data = serialize(make_dataset(article_quads()), format_for_path(Path(f"g{suffix}")))
    quads = list(pyoxigraph.parse(data, OXIGRAPH_FORMATS[suffix]))
    assert len(quads) == len(article_quads())
    graphs = {str(q.graph_name) for q in quads}
    assert len(graphs) == (4 if suffix in (".trig", ".nq") else 1)


def test_export_jsonld_context_is_compact():
    document = json.loads(serialize(make_dataset(article_quads()), "json-ld"))
    assert document["@context"] == JSONLD_CONTEXT
    assert set(JSONLD_CONTEXT) == {"kg", "schema", "prov", "skos", "rdfs", "owl", "xsd"}
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert list(nodes) == sorted(nodes)
    withdrawal = nodes[str(WITHDRAWAL)]
    assert withdrawal["@type"] == "kg:Withdrawal"
    assert withdrawal["kg:agent"] == {"@id": str(USA)}
    assert withdrawal["kg:date"] == {"@type": "xsd:gYearMonth", "@value": "2020-09"}
    assert nodes[str(TRUMP)]["rdfs:label"] == "Donald Trump"
    assert "prov:wasDerivedFrom" in withdrawal


def test_export_graphml_lists_become_strings():
    data = serialize(make_dataset(article_quads()), "graphml")
    graph = nx.read_graphml(io.BytesIO(data))
    projection = graph_to_networkx(union_graph(make_dataset(article_quads())))
    assert graph.number_of_nodes() == projection.number_of_nodes()
    trump = graph.nodes[str(TRUMP)]
    assert trump["label"] == "Donald Trump"
    assert trump["kind"] == "Person"
    assert trump["aliases"] == "Mr Trump; Trump; Трамп"
    assert trump["same_as"] == str(WD.Q22686)


def test_export_graphml_control_characters_in_text_cannot_break_it():
    headline = "Sirens\x07 sound \x1b[31min Baghdad\x00\x0b\ufffe"
    quads = [*article_quads(), (ARTICLE, SCHEMA.headline, Literal(headline), ARTICLE)]
    graph = nx.read_graphml(io.BytesIO(serialize(make_dataset(quads), "graphml")))
    assert graph.nodes[str(ARTICLE)]["label"] == "Sirens sound [31min Baghdad"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], FORMATS),
        (["ttl"], ("turtle",)),
        (["nq,jsonld"], ("nquads", "json-ld")),
        (["graphml", "TTL", "trig"], ("turtle", "trig", "graphml")),
        (["json-ld", "jsonld"], ("json-ld",)),
        (["turtle, nquads ,"], ("turtle", "nquads")),
    ],
)
def test_export_parse_formats(names, expected):
    assert parse_formats(names) == expected


@pytest.mark.parametrize("names", [["xml"], ["ttl,rdf"], ["html"]])
def test_export_parse_formats_unknown_names_choices(names):
    with pytest.raises(ValueError, match="choose from ttl, trig, nq, jsonld, graphml"):
        parse_formats(names)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("graph.ttl", "turtle"), ("a/b.TRIG", "trig"), ("g.nq", "nquads"), ("g.jsonld", "json-ld")],
)
def test_export_format_for_path(name, fmt):
    assert format_for_path(Path(name)) == fmt


@pytest.mark.parametrize("name", ["graph.rdf", "graph", "graph.turtle"])
def test_export_format_for_path_unknown_suffix(name):
    with pytest.raises(ValueError, match="unknown suffix"):
        format_for_path(Path(name))


def test_export_write_graph_keeps_turtle_default(tmp_path):
    graph = make_graph(article_quads())
    path = write_graph(graph, tmp_path / "graph.ttl")
    assert path.read_bytes() == serialize(graph)
    assert isomorphic(Graph().parse(path), graph)


# --- the CLI: --format ------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "files"),
    [
        (["--format", "ttl"], {"graph.ttl"}),
        (["-f", "nq", "-f", "jsonld"], {"graph.nq", "graph.jsonld"}),
        (["--format", "trig,graphml"], {"graph.trig", "graph.graphml"}),
        ([], {f"graph{suffix}" for suffix in SUFFIXES.values()}),
    ],
)
def test_export_cli_format_chooses_files(tmp_path, monkeypatch, fake_build, options, files):
    import kg.stages

    monkeypatch.setattr(kg.stages, "build", fake_build(make_dataset(article_quads())))
    out = tmp_path / "out"
    article = str(ARTICLES / "001_c34ed854f745c209.txt")
    result = runner.invoke(app, ["build", article, "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    always = {"graph.html", "timeline.svg", "changes.ru"}  # whatever the formats
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == files | always


def test_export_cli_unknown_format_exit_2(tmp_path):
    out = tmp_path / "out"
    article = str(ARTICLES / "001_c34ed854f745c209.txt")
    result = runner.invoke(app, ["build", article, "-o", str(out), "--format", "rdfxml"])
    assert result.exit_code == 2
    assert "rdfxml" in result.stderr and "choose from" in result.stderr
    assert not out.exists()


# --- the sample build -------------------------------------------------------------


def test_export_sample_build_writes_every_format(sample_build):
    names = {p.name for p in sample_build.iterdir()}
    assert {f"graph{suffix}" for suffix in SUFFIXES.values()} | {"graph.html"} <= names


def test_export_sample_build_byte_identical_in_another_process(sample_build, tmp_path):
    """A second build, in a fresh interpreter with another hash seed, gives the same bytes.

    Hash order is what makes rdflib's own N-Quads and TriG output vary; only a
    new process (new PYTHONHASHSEED) shows it.
    """
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    second = tmp_path / "second"
    run = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(ARTICLES), "--out", str(second)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    for suffix in (*SUFFIXES.values(), ".html"):
        name = f"graph{suffix}"
        assert (second / name).read_bytes() == (sample_build / name).read_bytes(), name


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nq", ".jsonld"])
def test_export_sample_build_parses_with_rdflib_and_oxigraph(sample_build, suffix):
    path = sample_build / f"graph{suffix}"
    rdflib_graph = load_graph_file(path)
    expected = quad_count(rdflib_graph)
    # One triple may sit in several article graphs (an event two articles report).
    assert len(union_graph(rdflib_graph)) == len(load_graph_file(sample_build / "graph.ttl"))
    assert len(list(pyoxigraph.parse(path=path, format=OXIGRAPH_FORMATS[suffix]))) == expected
    store = pyoxigraph.Store()
    store.load(path=path, format=OXIGRAPH_FORMATS[suffix])
    assert len(store) == expected


def test_export_sample_build_jsonld_isomorphic_to_turtle(sample_build):
    turtle = Graph().parse(sample_build / "graph.ttl", format="turtle")
    jsonld = union_graph(load_graph_file(sample_build / "graph.jsonld"))
    assert isomorphic(jsonld, turtle)


def test_export_sample_build_trig_and_nquads_agree_with_turtle(sample_build):
    turtle = Graph().parse(sample_build / "graph.ttl", format="turtle")
    for name in ("graph.trig", "graph.nq"):
        assert isomorphic(union_graph(load_graph_file(sample_build / name)), turtle), name


def test_export_sample_build_graphml_reads_back(sample_build):
    turtle = Graph().parse(sample_build / "graph.ttl", format="turtle")
    projection = graph_to_networkx(turtle)
    graphml = nx.read_graphml(sample_build / "graph.graphml", force_multigraph=True)
    assert graphml.number_of_nodes() == projection.number_of_nodes() > 0
    assert graphml.number_of_edges() == projection.number_of_edges()
    assert set(graphml.nodes) == set(projection.nodes)
