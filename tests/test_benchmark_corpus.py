"""The benchmark corpus is deterministic and reads like news to the pipeline."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from corpus import article_text, write_corpus  # noqa: E402

from kg.ingest import load_article  # noqa: E402


def test_same_seed_same_bytes(tmp_path: Path):
    first = [p.read_bytes() for p in write_corpus(tmp_path / "a", 5, seed=7)]
    second = [p.read_bytes() for p in write_corpus(tmp_path / "b", 5, seed=7)]
    assert first == second
    assert len(set(first)) == 5
    assert article_text(0, seed=7) != article_text(0, seed=8)


def test_articles_have_news_length_and_a_date(tmp_path: Path):
    (path,) = write_corpus(tmp_path, 1)
    article = load_article(path)
    assert article.published is not None
    assert article.title
    assert 550 <= len(article.body.split()) <= 800


def test_generated_sentences_yield_events(extract):
    extraction = extract(article_text(3))
    assert len(extraction.events) >= 3
    assert {m.entity_class for m in extraction.mentions} >= {"Person", "Country", "MilitaryBase"}
