"""Assemble everything extracted from one article."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.context import ArticleContext
from kg.extract.entities import entity_mentions
from kg.extract.events import event_mentions
from kg.extract.placements import placement_mentions
from kg.extract.roles import role_mentions
from kg.gazetteer import Gazetteer
from kg.records import Article, ArticleExtraction


def extract_article(article: Article, doc: Doc, gazetteer: Gazetteer) -> ArticleExtraction:
    """Everything newskg reads from one parsed article."""
    mentions = tuple(entity_mentions(doc, gazetteer))
    metonyms = frozenset(
        m.start
        for m in mentions
        if m.entity_class != "Country"
        and m.gazetteer_id in gazetteer.entries
        and gazetteer.entries[m.gazetteer_id].acts_for
    )
    context = ArticleContext(doc, mentions, metonyms)
    return ArticleExtraction(
        article=article,
        mentions=mentions,
        events=tuple(event_mentions(context, article.published)),
        roles=tuple(role_mentions(context)),
        placements=tuple(placement_mentions(context)),
    )
