"""The benchmark corpus: real news texts with new names and figures, the same bytes for a seed."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.gazetteer import Gazetteer
from kg.ingest import load_article
from kg.records import ArticleExtraction
from kg.stages import read_articles

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from corpus import SAMPLES, Source, learn_source, write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def sources(extract: Callable[[str], ArticleExtraction], gazetteer: Gazetteer) -> list[Source]:
    """The sample articles as sources (the wide set is for measuring, not for tests)."""
    articles, _ = read_articles([SAMPLES])
    return [learn_source(a, extract(a.body), gazetteer) for a in articles]


def test_corpus_same_seed_same_bytes(tmp_path: Path, sources: list[Source]):
    first = write_corpus(tmp_path / "a", 12, seed=7, sources=sources)
    second = write_corpus(tmp_path / "b", 12, seed=7, sources=sources)
    other = write_corpus(tmp_path / "c", 12, seed=8, sources=sources)
    assert [p.name for p in first] == [f"news_{i:06d}.txt" for i in range(12)]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert all(a.read_bytes() != c.read_bytes() for a, c in zip(first, other, strict=True))


def test_corpus_bodies_and_headlines_unique(tmp_path: Path, sources: list[Source]):
    articles = [load_article(p) for p in write_corpus(tmp_path, 40, sources=sources)]
    assert len({a.body_digest for a in articles}) == 40
    assert len({a.title for a in articles}) == 40
    assert all(a.published is not None for a in articles)


def test_corpus_replaces_the_persons_of_its_source(tmp_path: Path, sources: list[Source]):
    paths = write_corpus(tmp_path, len(sources), sources=sources)
    for source, path in zip(sources, paths, strict=True):
        text = path.read_text(encoding="utf-8")
        persons = [s for s, kind, _ in source.names if kind == "person" and " " in s]
        assert persons
        assert [p for p in persons if p in text] == []


def test_corpus_articles_read_as_news(
    tmp_path: Path, sources: list[Source], extract: Callable[[str], ArticleExtraction]
):
    for path in write_corpus(tmp_path, 3, seed=3, sources=sources):
        article = load_article(path)
        extraction = extract(article.body)
        classes = {m.entity_class for m in extraction.mentions}
        assert len(extraction.mentions) >= 10
        assert classes >= {"Person", "Country", "Organization"}
        assert len(extraction.events) >= 3
