"""Shared fixtures: the real spaCy pipeline, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset
from spacy.language import Language
from typer.testing import CliRunner

from kg.chunks import graph_chunk
from kg.cli import app
from kg.gazetteer import Gazetteer, shipped_gazetteer
from kg.graph import IriMinter
from kg.nlp import article_doc, build_pipeline
from kg.records import Article, ArticleExtraction, Segment
from kg.stages import BuildOptions, BuildResult, open_store


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return shipped_gazetteer()


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline()


def _article(text: str, source_file: str = "test.txt") -> Article:
    return Article(
        source_file=source_file,
        source_text=text,
        body=text,
        segments=(Segment(0, 0, len(text)),),
    )


@pytest.fixture(scope="session")
def make_article() -> Callable[..., Article]:
    """An article whose body is the given text itself."""
    return _article


@pytest.fixture(scope="session")
def extract(nlp: Language) -> Callable[..., ArticleExtraction]:
    """Text in, the real pipeline's extraction out."""

    def run(text: str, source_file: str = "test.txt") -> ArticleExtraction:
        return nlp(article_doc(nlp, _article(text, source_file)))._.newskg

    return run


ARTICLES = Path(__file__).resolve().parent.parent / "articles"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kg build` over the sample articles, once per session, for the tests that read its files."""
    out = tmp_path_factory.mktemp("sample-build")
    result = CliRunner().invoke(app, ["build", str(ARTICLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (out / "build-output.txt").write_text(result.stdout)
    return out


@pytest.fixture(scope="session")
def drawdown() -> Path:
    """A hand-written graph, shaped as `kg build` writes one, whose every row the tests know.

    For the tests of what reads a graph (queries, stores, the view), so that they
    assert exact answers without changing whenever extraction does; the story and
    its figures are described at the top of tests/fixtures/drawdown.trig.
    """
    return Path(__file__).resolve().parent / "fixtures" / "drawdown.trig"


FakeBuild = Callable[..., BuildResult]


@pytest.fixture
def fake_build() -> Callable[[Dataset], FakeBuild]:
    """A stand-in for `kg.stages.build` that stores `dataset` instead of extracting.

    For tests of how the CLI writes and checks a graph, where spaCy is not
    what is under test: the fake puts the dataset's named graphs into the
    build's store, as the real build does.
    """

    def make(dataset: Dataset) -> FakeBuild:
        def run(articles: Sequence[Article], *, options: BuildOptions, **_: object) -> BuildResult:
            store = open_store(options)
            quads = ox.parse(dataset.serialize(format="nquads"), format=ox.RdfFormat.N_QUADS)
            entities = IriMinter(options.base_iri).entities_graph()
            by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
            for quad in quads:
                name = quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else entities
                by_graph.setdefault(name, []).append(ox.Quad(*quad.triple, name))
            store.load(graph_chunk(name, graph_quads) for name, graph_quads in by_graph.items())
            store.keep_only({name.value for name in by_graph})
            store.commit()
            return BuildResult(skipped=(), store=store, seconds=0.0, article_count=len(articles))

        return run

    return make
