"""Article identity: one input file, one article id, one valid IRI (VOCABULARY.md)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF
from typer.testing import CliRunner

from kg.cli import app
from kg.defaults import DEFAULT_BASE_IRI
from kg.graph import IriMinter
from kg.ingest import DuplicateArticleError, discover_articles
from kg.namespaces import KG
from kg.records import article_id

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
STORY = "Troops leave Iraq\n\nThe United States will reduce its troop presence in Iraq.\n"
runner = CliRunner()


def write(path: Path, text: str = STORY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("source_file", "expected"),
    [
        ("000_46fc6e2055e20a53.txt", "000_46fc6e2055e20a53"),
        ("a/story.txt", "a/story"),
        ("with space.txt", "with%20space"),
        ("report.v2.html", "report.v2"),
        ("2024.05/brief.md", "2024.05/brief"),
        ("hash#1?.txt", "hash%231%3F"),
        ('a<b>"c{d}|e^f\\g`h.txt', "a%3Cb%3E%22c%7Bd%7D%7Ce%5Ef%5Cg%60h"),
        ("tab\there\nline.txt", "tab%09here%0Aline"),
        ("déjà vu.txt", "d%C3%A9j%C3%A0%20vu"),
        ("tilde~_-.txt", "tilde~_-"),
        ("100%.txt", "100%25"),
        ("..txt", "%2E"),  # a dot segment would vanish when the IRI is resolved
    ],
)
def test_identity_article_id_is_the_relative_path_percent_encoded(source_file, expected):
    assert article_id(source_file) == expected


def test_identity_discover_names_files_by_their_path_under_the_folder_given(tmp_path):
    write(tmp_path / "in" / "a" / "story.txt")
    write(tmp_path / "in" / "top.md")
    given = write(tmp_path / "elsewhere" / "single.html", "<p>x</p>")
    found, errors = discover_articles([tmp_path / "in", given])
    assert errors == []
    assert sorted(f.name for f in found) == ["a/story.txt", "single.html", "top.md"]


@pytest.mark.parametrize(
    ("files", "given"),
    [
        (["in/x.txt", "in/x.html"], ["in"]),
        (["in/x.txt", "in/x.MD"], ["in"]),
        (["one/a/story.txt", "two/a/story.txt"], ["one", "two"]),
        (["one/story.txt", "two/story.md"], ["one", "two/story.md"]),
    ],
)
def test_identity_two_inputs_with_one_id_are_refused_naming_both(tmp_path, files, given):
    paths = [write(tmp_path / name) for name in files]
    with pytest.raises(DuplicateArticleError) as raised:
        discover_articles([tmp_path / g for g in given])
    for path in paths:
        assert str(path) in str(raised.value)


def test_identity_the_same_file_given_twice_is_read_once(tmp_path):
    story = write(tmp_path / "in" / "story.txt")
    found, _ = discover_articles([tmp_path / "in", story])
    assert [(f.path, f.name) for f in found] == [(story, "story.txt")]


def test_identity_a_name_that_is_not_utf8_is_skipped_with_a_reason(tmp_path):
    good = write(tmp_path / "good.txt")
    bad = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    write(bad)
    found, errors = discover_articles([tmp_path])
    assert [f.path for f in found] == [good]
    assert [e.path for e in errors] == [bad] and "not valid UTF-8" in errors[0].reason


def test_identity_cli_refuses_duplicate_ids_before_parsing(tmp_path):
    first = write(tmp_path / "in" / "report.txt")
    second = write(tmp_path / "in" / "report.html", "<html><body><p>Report</p></body></html>")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert str(first) in result.stderr and str(second) in result.stderr
    assert "parsing articles" not in result.stderr
    assert not out.exists()


ODD_NAMES = (
    "with space.txt",
    'a<b>"c{d}|e^f\\g`h.txt',
    "tab\there.txt",
    "new\nline.txt",
    "hash#1.txt",
    "what?.txt",
    "nested dir/story #2.md",
)


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A build of articles whose file names IRIs cannot hold as they are."""
    root = tmp_path_factory.mktemp("odd")
    for number, name in enumerate(ODD_NAMES):
        write(root / "in" / name, f"Story {number}\n\nThe United States sent troops to Iraq.\n")
    out = root / "out"
    result = runner.invoke(app, ["build", str(root / "in"), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    return root / "in", out


def test_identity_odd_file_names_build_and_round_trip(odd_build):
    _, out = odd_build
    graph = Graph().parse(out / "graph.ttl")
    files = {str(graph.value(a, KG.sourceFile)): a for a in graph.subjects(RDF.type, KG.Article)}
    assert set(files) == set(ODD_NAMES)
    prefix = f"{DEFAULT_BASE_IRI}article/"
    for name, iri in files.items():
        assert iri.startswith(prefix)
        assert unquote(iri[len(prefix) :]) == name.rsplit(".", 1)[0]


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig", "graph.nq"])
def test_identity_odd_file_names_give_iris_a_strict_parser_accepts(odd_build, name):
    _, out = odd_build
    quads = list(ox.parse(path=out / name))
    assert quads
    mentions = {q.subject.value for q in quads if q.predicate.value == str(KG.inArticle)}
    assert any("/mention/nested%20dir/story%20%232/" in m for m in mentions)


def test_identity_mentions_point_into_the_odd_files(odd_build):
    folder, out = odd_build
    graph = Graph().parse(out / "graph.ttl")
    checked = 0
    for mention in graph.subjects(RDF.type, KG.Mention):
        article = graph.value(mention, KG.inArticle)
        text = (folder / str(graph.value(article, KG.sourceFile))).read_text(encoding="utf-8")
        begin, end = (
            int(graph.value(mention, KG.beginIndex)),
            int(graph.value(mention, KG.endIndex)),
        )
        assert text[begin:end] == str(graph.value(mention, KG.anchorOf))
        checked += 1
    assert checked >= len(ODD_NAMES)


def test_identity_sample_layout_keeps_its_iris(sample_build):
    graph = Graph().parse(sample_build / "graph.ttl")
    articles = {
        (str(a), str(graph.value(a, KG.sourceFile))) for a in graph.subjects(RDF.type, KG.Article)
    }
    assert articles == {
        (f"{DEFAULT_BASE_IRI}article/{p.stem}", p.name) for p in ARTICLES.glob("*.txt")
    }


def test_identity_nested_layout_names_articles_by_their_path(tmp_path):
    for sub in ("a", "b"):
        target = tmp_path / "in" / sub
        target.mkdir(parents=True)
        shutil.copy(ARTICLES / "004_4c6c126155a967da.txt", target / "story.txt")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out / "graph.ttl")
    assert {
        str(graph.value(a, KG.sourceFile)): str(a) for a in graph.subjects(RDF.type, KG.Article)
    } == {
        "a/story.txt": f"{DEFAULT_BASE_IRI}article/a/story",
        "b/story.txt": f"{DEFAULT_BASE_IRI}article/b/story",
    }


@pytest.mark.parametrize(
    "base",
    [
        "not-an-iri/",
        "ftp://example.org/id/",
        "http://example.org/id",
        "http://example.org/a b/",
        "http://example.org/<id>/",
        "http://example.org/id\n/",
        "https:///",
        "http://example.org/%zz/",
    ],
)
def test_identity_invalid_base_iri_is_refused_before_parsing(tmp_path, base):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(ARTICLES), "--out", str(out), "--base-iri", base])
    assert result.exit_code == 2, result.output
    assert "--base-iri" in result.stderr
    assert "parsing articles" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "base", ["https://example.org/id/", "http://example.org/news#", "http://[::1]:8080/kg/"]
)
def test_identity_valid_base_iris_are_kept_as_given(base):
    assert IriMinter(base).entity("country/iraq").value == f"{base}country/iraq"


@pytest.mark.parametrize("base", ["http://example.org/id", "http://example.org/a b/"])
def test_identity_minter_refuses_an_invalid_base(base):
    with pytest.raises(ValueError, match="base IRI"):
        IriMinter(base)
