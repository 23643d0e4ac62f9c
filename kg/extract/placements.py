"""Where bases and places lie, as the text says: 'al-Asad air base in Iraq'.

A gazetteer knows where the famous bases are; articles name others, and
say where they are in the same breath ('Ain al-Assad in the province of
Anbar', 'Victoria near Baghdad International Airport').
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from kg.extract.context import ArticleContext
from kg.records import EntityMention, PlacementMention

LOCATED = frozenset({"MilitaryBase", "Place"})
CONTAINERS = frozenset({"Country", "Place"})
PLACING_PREPOSITIONS = frozenset({"in", "near", "outside", "inside"})
MAX_GAP = 4  # words between 'in' and the place: 'in the northern province of Anbar'


def _parsed_containers(ctx: ArticleContext, span: Span) -> list[EntityMention]:
    """Places the parse hangs on the name through 'in'/'near'."""
    head = span.root
    # 'the al-Asad air base in Iraq': the name may only modify the noun that takes 'in'
    holders = [head] if head.dep_ not in ("compound", "nmod") else [head, head.head]
    found = []
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in PLACING_PREPOSITIONS:
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    found.extend(ctx.phrase_entities(pobj))
    return found


def _adjacent_container(ctx: ArticleContext, span: Span) -> list[EntityMention]:
    """'Ain al-Assad in the province of Anbar' read off the words when the parse wanders."""
    doc = ctx.doc
    if span.end >= len(doc) or doc[span.end].lower_ not in PLACING_PREPOSITIONS:
        return []
    for token in doc[span.end + 1 : span.end + 1 + MAX_GAP]:
        mention = ctx.mention_at(token)
        if mention is not None:
            return [mention]
        if token.pos_ not in ("DET", "ADJ", "NOUN", "ADP") or token.is_punct:
            return []
    return []


def placement_mentions(ctx: ArticleContext) -> Iterator[PlacementMention]:
    """Every 'X in Y' or 'X near Y' with X a base or place and Y a place or country."""
    for mention in ctx.mentions:
        if mention.entity_class not in LOCATED:
            continue
        span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        found = _parsed_containers(ctx, span) or _adjacent_container(ctx, span)
        for outer in found:
            if outer.entity_class in CONTAINERS and outer.start != mention.start:
                yield PlacementMention(
                    inner=mention.start,
                    outer=outer.start,
                    sentence_start=mention.sentence_start,
                    sentence_end=mention.sentence_end,
                )
