"""The `kg` command end to end, through typer's CliRunner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS
from typer.testing import CliRunner

from kg import __version__
from kg.cli import app
from kg.graphio import load_store
from kg.namespaces import KG, SCHEMA

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
runner = CliRunner()


def test_cli_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize(
    ("name", "named_graphs"),
    [("graph.trig", True), ("graph.ttl", False), ("graph.jsonld", False)],
)
def test_cli_build_every_format_holds_what_graph_nq_holds(sample_build, name, named_graphs):
    nquads = load_store(sample_build / "graph.nq")
    # and the entity, support, consensus and resolution graphs
    assert nquads.named_graphs == len(list(ARTICLES.glob("*.txt"))) + 4
    loaded = load_store(sample_build / name)
    if named_graphs:
        assert set(loaded.store) == set(nquads.store)
    else:  # one graph: the union of the named ones
        assert loaded.named_graphs == 0
        assert {quad.triple for quad in loaded.store} == {quad.triple for quad in nquads.store}


XSD = "http://www.w3.org/2001/XMLSchema#"
# The datatypes VOCABULARY.md promises, by property.
DATATYPES = {
    str(KG.troopsBefore): {f"{XSD}integer"},
    str(KG.troopsAfter): {f"{XSD}integer"},
    str(KG.troopCount): {f"{XSD}integer"},
    str(KG.beginIndex): {f"{XSD}integer", f"{XSD}nonNegativeInteger"},
    str(KG.endIndex): {f"{XSD}integer", f"{XSD}nonNegativeInteger"},
    str(KG.date): {f"{XSD}date", f"{XSD}gYearMonth", f"{XSD}gYear"},
    str(SCHEMA.datePublished): {f"{XSD}date"},
}


@pytest.mark.parametrize("name", ["graph.nq", "graph.trig", "graph.ttl", "graph.jsonld"])
def test_cli_build_every_format_keeps_the_promised_datatypes(sample_build, name):
    seen: dict[str, set[str]] = {}
    for quad in load_store(sample_build / name).store:
        if quad.predicate.value in DATATYPES:
            assert isinstance(quad.object, ox.Literal), quad
            seen.setdefault(quad.predicate.value, set()).add(quad.object.datatype.value)
    assert {predicate: seen[predicate] - DATATYPES[predicate] for predicate in seen} == {
        predicate: set() for predicate in seen
    }
    assert {str(KG.troopsBefore), str(KG.date), str(SCHEMA.datePublished)} <= seen.keys()


def test_cli_build_sample_one_node_per_entity(sample_build):
    graph = Graph().parse(sample_build / "graph.ttl")
    labels = [
        str(o) for s in graph.subjects(RDF.type, KG.Person) for o in graph.objects(s, RDFS.label)
    ]
    assert len(labels) == len(set(labels))
    for name in ("Donald Trump", "Kenneth McKenzie", "Qasem Soleimani", "Mustafa al-Kadhimi"):
        assert name in labels
    articles = {str(o) for o in graph.objects(None, SCHEMA.datePublished)}
    assert {"2020-09-09", "2020-08-29", "2020-06-12"} == articles


def test_cli_build_is_byte_identical(sample_build, tmp_path):
    result = runner.invoke(app, ["build", str(ARTICLES), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / name).read_bytes() == (sample_build / name).read_bytes()


def test_cli_build_summary_names_counts(sample_build, tmp_path):
    result = runner.invoke(
        app, ["build", str(ARTICLES / "001_c34ed854f745c209.txt"), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert "1 articles read, 0 skipped" in result.stdout
    assert "triples" in result.stdout


def test_cli_build_bad_files_warned_others_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ARTICLES / "001_c34ed854f745c209.txt", src)
    (src / "empty.txt").write_text("")
    (src / "latin1.txt").write_bytes("Caf\xe9 in Baghdad".encode("latin-1"))
    (src / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["build", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for name in ("empty.txt", "latin1.txt", "notes.pdf"):
        assert name in result.stderr
    assert "1 articles read, 3 skipped" in result.stdout
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert len(set(graph.subjects(RDF.type, KG.Article))) == 1


def test_cli_build_no_articles_exit_2_nothing_written(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    result = runner.invoke(app, ["build", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no readable article" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_build_unknown_model_exit_2(tmp_path):
    result = runner.invoke(
        app,
        [
            "build",
            str(ARTICLES / "001_c34ed854f745c209.txt"),
            "-o",
            str(tmp_path),
            "--model",
            "xx_nope",
        ],
    )
    assert result.exit_code == 2
    assert "xx_nope" in result.stderr and "not installed" in result.stderr


def test_cli_build_base_iri(tmp_path):
    result = runner.invoke(
        app,
        [
            "build",
            str(ARTICLES / "004_4c6c126155a967da.txt"),
            "-o",
            str(tmp_path),
            "--base-iri",
            "http://example.org/news/",
        ],
    )
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / "graph.ttl")
    subjects = {str(s) for s in graph.subjects(RDF.type, KG.Country)}
    assert "http://example.org/news/country/iraq" in subjects
    # `id:` means the graph's own base, in tables and in parameters, whichever file is read.
    label = (
        "PREFIX kg: <https://w3id.org/newskg/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?country ?label WHERE { ?country a kg:Country ; rdfs:label ?label }"
    )
    for read in (tmp_path, tmp_path / "graph.ttl"):
        asked = ["query", "-g", str(read), label, "--param", "country=id:country/iraq"]
        answer = runner.invoke(app, asked)
        assert answer.exit_code == 0, answer.output
        assert answer.stdout.splitlines()[2].split() == ["id:country/iraq", "Iraq"]
