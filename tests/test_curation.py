"""An analyst's curation (kg split / join / reject / relabel) through the `kg` command:
applied over the automatic rules, stable across rebuilds, reported when it no longer applies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from typer.testing import CliRunner

from kg.cli import app
from kg.curation import Curation, CurationError, Decision, read_curation, write_curation
from kg.namespaces import KG

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
OUTPUTS = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.graphml", "graph.html")
ID = "https://w3id.org/newskg/id/"
VICTORY = URIRef(f"{ID}base/victory-base-complex")
VICTORIA = URIRef(f"{ID}base/victoria-base")
MARGARET = URIRef(f"{ID}person/margaret-okonkwo")
PEGGY = URIRef(f"{ID}person/peggy-okonkwo")
runner = CliRunner()

# Our own two articles, beside the sample article that calls a base at Baghdad's
# airport "the base of Victoria" (which the gazetteer joins to Victory Base Complex).
# Margaret Okonkwo is "Peggy" in the second one: a name the resolver does not join.
OWN = {
    "margaret.txt": "Troops leave Baghdad\n\nGeneral Margaret Okonkwo said on Monday that 300 "
    "soldiers would leave Camp Victory near Baghdad. She spoke to reporters at the airport.\n",
    "peggy.txt": "Commander visits Kuwait\n\nPeggy Okonkwo, the commander of the coalition, "
    "visited Kuwait on Tuesday and met Kuwaiti officials.\n",
}
SAMPLE = "003_ec37e7ace81eb654.txt"


def _kg(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project (articles/, out/) built once without curation; each test copies it."""
    project = tmp_path_factory.mktemp("curation-project")
    articles = project / "articles"
    articles.mkdir()
    for name, text in OWN.items():
        (articles / name).write_text(text, encoding="utf-8")
    shutil.copy(ARTICLES / SAMPLE, articles / SAMPLE)
    _kg("build", str(articles), "--out", str(project / "out"))
    return project


@pytest.fixture
def project(first_build: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(first_build, copy)
    return copy


def _build(project: Path, *options: str) -> str:
    curation = project / "curation.ttl"
    given = ("--curation", str(curation)) if curation.exists() else ()
    return _kg("build", str(project / "articles"), "--out", str(project / "out"), *given, *options)


def _graph(project: Path) -> Graph:
    return Graph().parse(project / "out" / "graph.ttl")


def _names(graph: Graph, node: URIRef) -> set[str]:
    return {str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(node, p)}


def test_curation_split_keeps_a_form_apart_across_rebuilds(project: Path, tmp_path: Path):
    before = _graph(project)
    assert "Victoria Base" in _names(before, VICTORY)
    assert (VICTORIA, None, None) not in before

    _kg(
        "split",
        "Victoria Base",
        "Victory Base Complex",
        "--curation",
        str(project / "curation.ttl"),
    )
    assert "1 decision of" in _build(project)
    after = _graph(project)
    assert str(after.value(VICTORIA, RDFS.label)) == "Victoria Base"
    assert (VICTORIA, RDF.type, KG.MilitaryBase) in after
    assert {"Victoria Base", "Victoria base", "base of Victoria"}.isdisjoint(_names(after, VICTORY))
    assert "Camp Victory" in _names(after, VICTORY)  # our own article's name for it stays
    # the withdrawal from "the base of Victoria" is from the split-off base now
    assert VICTORIA in set(after.objects(None, KG.location))
    assert str(after.value(VICTORIA, KG.mentionedIn)).endswith("/article/003_ec37e7ace81eb654")

    built = _files(project / "out")
    _build(project, "--force")
    assert _files(project / "out") == built  # a further rebuild keeps them apart, byte for byte
    fresh = tmp_path / "fresh"
    _kg(
        "build",
        str(project / "articles"),
        "--out",
        str(fresh),
        "--no-cache",
        "--curation",
        str(project / "curation.ttl"),
    )
    assert _files(fresh) == built  # and a clean build with the same curation ends there too


def test_curation_join_makes_two_persons_one(project: Path):
    before = _graph(project)
    assert (MARGARET, RDF.type, KG.Person) in before and (PEGGY, RDF.type, KG.Person) in before

    _kg("join", "Margaret Okonkwo", "Peggy Okonkwo", "--curation", str(project / "curation.ttl"))
    _build(project)
    after = _graph(project)
    assert (PEGGY, None, None) not in after
    assert _names(after, MARGARET) == {"Margaret Okonkwo", "Peggy Okonkwo"}
    assert len(set(after.objects(MARGARET, KG.mentionedIn))) == 2
    assert len(set(after.objects(MARGARET, KG.hasRole))) == 2  # her roles from both articles


def test_curation_a_split_undoes_a_join_and_names_may_be_iris(project: Path):
    file = project / "curation.ttl"
    _kg("join", "id:person/margaret-okonkwo", "Peggy Okonkwo", "--curation", str(file))
    output = _kg("split", "Peggy Okonkwo", f"{ID}person/margaret-okonkwo", "--curation", str(file))
    assert "it replaces join" in output
    assert [d.kind for d in read_curation(file).decisions] == ["split"]
    _build(project)
    after = _graph(project)
    assert (PEGGY, RDF.type, KG.Person) in after and (MARGARET, RDF.type, KG.Person) in after


def test_curation_reject_and_relabel(project: Path):
    file = str(project / "curation.ttl")
    _kg("reject", "Peggy Okonkwo", "--curation", file)
    _kg(
        "relabel",
        "Margaret Okonkwo",
        "Maggie Okonkwo",
        "--class",
        "Organization",
        "--curation",
        file,
    )
    _kg("relabel", "Camp Victory", "--class", "Place", "--curation", file)
    output = _build(project)
    assert "4 decisions of" in output and "no longer applies" not in output
    after = _graph(project)
    assert (PEGGY, None, None) not in after
    assert (MARGARET, None, None) not in after  # a node of our own minting follows its class
    maggie = URIRef(f"{ID}organization/margaret-okonkwo")
    assert (maggie, RDF.type, KG.Organization) in after
    assert str(after.value(maggie, RDFS.label)) == "Maggie Okonkwo"
    assert "Margaret Okonkwo" in _names(after, maggie)  # the old label stays an alias
    assert (VICTORY, RDF.type, KG.Place) in after  # a gazetteer node keeps its IRI


def test_curation_a_name_two_nodes_share_asks_for_an_iri(project: Path):
    file = str(project / "curation.ttl")
    # labels are given in the order of the names: Margaret's first, then Peggy's, whose
    # name both nodes now bear
    _kg("relabel", "Margaret Okonkwo", "Peggy Okonkwo", "--curation", file)
    _kg("relabel", "Peggy Okonkwo", "Peg", "--curation", file)
    output = " ".join(_build(project).split())
    assert (
        'label of "Peggy Okonkwo" is "Peg" no longer applies: "Peggy Okonkwo" names 2 nodes '
        "(id:person/margaret-okonkwo, id:person/peggy-okonkwo); give an IRI"
    ) in output


def test_curation_a_decision_that_no_longer_applies_is_reported_and_kept(project: Path):
    file = project / "curation.ttl"
    _kg("split", "Camp Nowhere", "Victory Base Complex", "--curation", str(file))
    _kg("join", "Margaret Okonkwo", "Herculean Smith", "--curation", str(file))
    _kg("reject", "Herculean", "--curation", str(file))
    written = file.read_bytes()
    output = _build(project)
    assert "0 decisions of" in output
    assert 'split "Camp Nowhere" from "Victory Base Complex" no longer applies' in output
    assert 'no node is named "Camp Nowhere"' in output
    assert 'join "Herculean Smith" into "Margaret Okonkwo" no longer applies' in output
    assert 'reject "Herculean" no longer applies: no article names "Herculean"' in output
    assert file.read_bytes() == written  # reported, not dropped


def test_curation_the_default_file_and_an_edit_rebuilds(project: Path, monkeypatch):
    monkeypatch.chdir(project)  # kg reads and writes ./curation.ttl when none is given
    assert "nothing changed" in _kg("build", "articles", "--out", "out")
    _kg("reject", "Peggy Okonkwo")
    assert (project / "curation.ttl").is_file()
    output = _kg("build", "articles", "--out", "out")
    assert "1 decision of curation.ttl applied" in output
    assert (PEGGY, None, None) not in _graph(project)
    assert "nothing changed" in _kg("build", "articles", "--out", "out")


def test_curation_file_is_sorted_and_reads_back(tmp_path: Path):
    file = tmp_path / "curation.ttl"
    decisions = [
        Decision("label", 'Camp "Victory"', "Victory Base\\Complex"),
        Decision("join", "Margaret Okonkwo", "Peggy Okonkwo"),
        Decision("reject", "Herculean"),
        Decision("class", "Camp Victory", "Place"),
        Decision("split", "Victoria Base", "Victory Base Complex"),
    ]
    curation = Curation()
    for decision in decisions:
        curation, _ = curation.added(decision)
    write_curation(file, curation)
    text = file.read_text(encoding="utf-8")
    assert read_curation(file) == curation
    lines = [line for line in text.splitlines() if line.startswith("[")]
    assert lines[0] == '[ kg:named "Herculean" ] a kg:NotAnEntity .'
    assert [d.kind for d in curation.decisions] == ["reject", "split", "join", "class", "label"]
    reversed_order = Curation()
    for decision in reversed(decisions):
        reversed_order, _ = reversed_order.added(decision)
    write_curation(file, reversed_order)
    assert file.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[ kg:named "X" ] kg:supportCount 2 .', "is no decision kg reads"),
        ('[ kg:named "X" ] owl:sameAs [ rdfs:label "Y" ] .', "names nothing"),
        ('[ kg:named "X" ] owl:sameAs', "not valid turtle"),
    ],
)
def test_curation_a_bad_file_fails_the_build_saying_why(project: Path, text: str, problem: str):
    prefixes = "".join(
        f"@prefix {p}: <{iri}> .\n"
        for p, iri in (
            ("kg", "https://w3id.org/newskg/ontology#"),
            ("owl", "http://www.w3.org/2002/07/owl#"),
            ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        )
    )
    (project / "curation.ttl").write_text(prefixes + text + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "build",
            str(project / "articles"),
            "--out",
            str(project / "out"),
            "--curation",
            str(project / "curation.ttl"),
        ],
    )
    assert result.exit_code == 2
    assert problem in result.output and "curation.ttl" in result.output


def test_curation_refuses_a_file_that_is_not_turtle(tmp_path: Path):
    with pytest.raises(CurationError, match="ending in .ttl"):
        write_curation(tmp_path / "curation.txt", Curation())
    result = runner.invoke(app, ["join", "A", "a", "--curation", str(tmp_path / "c.ttl")])
    assert result.exit_code == 2 and "one name" in result.output


def test_curation_a_missing_file_given_fails_the_build_before_any_parse(tmp_path: Path):
    missing = tmp_path / "curation.ttl"
    result = runner.invoke(
        app, ["build", str(ARTICLES), "--out", str(tmp_path / "out"), "--curation", str(missing)]
    )
    assert result.exit_code == 2
    assert f"--curation {missing}: No such file" in result.output
    assert "kg join, split, reject or relabel make one" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()
