"""Assemble everything extracted from one article."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.entities import entity_mentions
from kg.gazetteer import Gazetteer
from kg.records import Article, ArticleExtraction


def extract_article(article: Article, doc: Doc, gazetteer: Gazetteer) -> ArticleExtraction:
    """Everything newskg reads from one parsed article."""
    return ArticleExtraction(article=article, mentions=tuple(entity_mentions(doc, gazetteer)))
