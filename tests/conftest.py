"""Shared fixtures: the real spaCy pipeline, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from kg.cli import app
from kg.extract import extract_article
from kg.gazetteer import Gazetteer, shipped_gazetteer
from kg.nlp import build_pipeline
from kg.records import Article, ArticleExtraction, Segment


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
def extract(nlp: Language, gazetteer: Gazetteer) -> Callable[..., ArticleExtraction]:
    """Text in, the real pipeline's extraction out."""

    def run(text: str, source_file: str = "test.txt") -> ArticleExtraction:
        article = _article(text, source_file)
        return extract_article(article, nlp(article.body), gazetteer)

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
