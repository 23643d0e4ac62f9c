"""Articles too long to parse at once: cut into pieces, extracted piece by piece, offsets kept.

spaCy refuses a text over its pipeline's `max_length` (1,000,000 characters,
error E088), and the entity and event steps take time that grows faster than
the text. So the body of an article over the limit is cut at paragraph
breaks (else at line, sentence or word breaks) into pieces of at most
`PIECE_CHARS`; each piece is parsed and extracted as an article of its own,
and the records are shifted back to offsets into the whole body. An article
within the limit is one piece: itself, extracted as before.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, TypeVar

from kg.records import (
    Article,
    ArticleExtraction,
    EntityMention,
    EventMention,
    PlacementMention,
    RoleMention,
    Segment,
)

M = TypeVar("M", EntityMention, EventMention, RoleMention, PlacementMention)

# A piece holds a few pages of text: the steps whose cost grows faster than the text stay fast.
PIECE_CHARS = 10_000
# Where a long text may be cut, best first: a blank line, a line end, a sentence end, a space.
_BREAKS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'’”)\]]*\s+"),
    re.compile(r"\s+"),
)


def split_text(text: str, limit: int) -> list[str]:
    """`text` cut into consecutive pieces of at most `limit` characters.

    Each piece ends after the last paragraph break (a blank line) within the
    limit, else the last line break, sentence end or space, else at the
    limit itself; the pieces join back into `text`.
    """
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        end = next(
            (
                ends[-1]
                for pattern in _BREAKS
                if (ends := [match.end() for match in pattern.finditer(window)])
            ),
            limit,
        )
        pieces.append(text[start : start + end])
        start += end
    pieces.append(text[start:])
    return pieces


def article_pieces(article: Article, max_length: int) -> list[tuple[int, Article]]:
    """The parts of `article` to parse, each with its offset into the body.

    `max_length` is the pipeline's limit; an article within it is one part, itself.
    """
    if len(article.body) <= max_length:
        return [(0, article)]
    parts = []
    offset = 0
    for piece in split_text(article.body, min(PIECE_CHARS, max_length)):
        whole = (Segment(0, 0, len(piece)),)
        parts.append((offset, replace(article, source_text=piece, body=piece, segments=whole)))
        offset += len(piece)
    return parts


def join_pieces(article: Article, parts: list[tuple[int, ArticleExtraction]]) -> ArticleExtraction:
    """One extraction of `article` from its pieces' (offset, extraction), offsets into its body."""
    if len(parts) == 1 and parts[0][0] == 0:
        return replace(parts[0][1], article=article)
    return ArticleExtraction(
        article=article,
        mentions=tuple(_entity(m, by) for by, part in parts for m in part.mentions),
        events=tuple(_event(e, by) for by, part in parts for e in part.events),
        roles=tuple(_role(r, by) for by, part in parts for r in part.roles),
        placements=tuple(_placement(p, by) for by, part in parts for p in part.placements),
    )


def _entity(mention: EntityMention, by: int) -> EntityMention:
    return _shifted(mention, by, "start", "end")


def _event(mention: EventMention, by: int) -> EventMention:
    arguments = tuple((role, start + by) for role, start in mention.arguments)
    return _shifted(mention, by, "start", "end", arguments=arguments)


def _role(mention: RoleMention, by: int) -> RoleMention:
    return _shifted(mention, by, "person", of=tuple(start + by for start in mention.of))


def _placement(mention: PlacementMention, by: int) -> PlacementMention:
    return _shifted(mention, by, "inner", "outer")


def _shifted(mention: M, by: int, *offsets: str, **changed: Any) -> M:
    """`mention` with its sentence and the named offsets moved `by` characters."""
    moved = {
        name: getattr(mention, name) + by for name in (*offsets, "sentence_start", "sentence_end")
    }
    return replace(mention, **moved, **changed)
