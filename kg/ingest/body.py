"""Stitch an article's body from the source lines worth keeping, offsets kept.

Every fact the later stages find in `Article.body` must point back into the
file it came from. So the body is built only from verbatim runs of the source
text, each recorded as a `Segment`, joined by separators that belong to no
segment. Text and HTML articles share this step, so both get the same
boilerplate rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from kg.ingest.boilerplate import (
    is_block_end,
    is_boilerplate,
    is_link_only,
    keep_spans,
    kicker_end,
)
from kg.ingest.dates import is_date_line
from kg.records import Segment

# Kept lines are paragraphs to the NLP stage; pieces of one line (a credit
# cut from its middle) stay in one paragraph.
LINE_SEPARATOR = "\n\n"
PIECE_SEPARATOR = " "

_LINE = re.compile(r"[^\r\n]+")  # "\r\n", "\r" and "\n" all end a line
_NON_WORD = re.compile(r"\W+")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of the source, trimmed; `start`/`end` are source offsets."""

    index: int
    start: int
    end: int
    text: str


def split_lines(source: str) -> list[Line]:
    """Split `source` into its non-blank lines without losing their offsets."""
    lines: list[Line] = []
    for match in _LINE.finditer(source):
        raw = match.group()
        text = raw.strip()
        if text:
            start = match.start() + len(raw) - len(raw.lstrip())
            lines.append(Line(len(lines), start, start + len(text), text))
    return lines


def text_key(text: str) -> str:
    """A comparison key that ignores case, punctuation and spacing.

    Captions rendered twice differ only in a trailing full stop once their
    credit is cut, and a repeated headline may differ in case.
    """
    return _NON_WORD.sub(" ", text).strip().casefold()


def starts_with(text: str, prefix: str) -> bool:
    """True when `text` begins with the words of `prefix` (see `text_key`)."""
    key, head = text_key(text), text_key(prefix)
    return bool(head) and (key == head or key.startswith(head + " "))


def is_body_candidate(line: str) -> bool:
    """True unless the whole line is furniture: boilerplate, a bare date, a link."""
    return not (
        is_boilerplate(line) or is_link_only(line) or is_date_line(line) or is_block_end(line)
    )


def build_body(
    source: str,
    lines: Iterable[Line],
    *,
    title_span: tuple[int, int] | None,
    title: str | None,
    skip: Collection[int] = (),
    authors: Iterable[str] = (),
) -> tuple[str, tuple[Segment, ...]]:
    """Choose the lines of the story and join them into the body.

    Args:
        source: the text that `lines` and `title_span` index into.
        lines: the source lines to consider, in order (those after the title).
        title_span: source offsets of the headline, which opens the body
            (its kicker, such as "Press Release – ", is left out).
        title: the headline; later lines that start with it are dropped.
        skip: indexes of lines already used as metadata (labels, bylines).
        authors: names whose standalone lines are bylines, not story.

    Returns:
        The body and its segments, so that for every segment
        `body[s.body_start:][:s.length] == source[s.source_start:][:s.length]`.
    """
    author_keys = {text_key(name) for name in authors}
    kept: list[tuple[str, list[tuple[int, int]]]] = []  # (key, source spans)
    headlines = [title] if title else []
    if title_span is not None:
        start, end = title_span
        start += kicker_end(source[start:end])
        headlines.append(source[start:end])
        kept.append((text_key(source[start:end]), [(start, end)]))
    first_story_line = len(kept)

    for line in lines:
        if line.index in skip:
            continue
        if is_block_end(line.text):
            if len(kept) > first_story_line:
                break  # the related-links block that closes the story
            continue
        if not is_body_candidate(line.text):
            continue
        pieces = [(line.start + a, line.start + b) for a, b in keep_spans(line.text)]
        if not pieces:
            continue
        key = text_key(PIECE_SEPARATOR.join(source[a:b] for a, b in pieces))
        if any(starts_with(key, headline) for headline in headlines):
            continue  # the headline repeated, often with a timestamp glued on
        if key in author_keys:
            continue
        if len(kept) > first_story_line and kept[-1][0] == key:
            kept.pop()  # a caption rendered twice: keep the later copy
        kept.append((key, pieces))

    return join_spans(source, [spans for _, spans in kept])


def join_spans(
    source: str, paragraphs: Iterable[Iterable[tuple[int, int]]]
) -> tuple[str, tuple[Segment, ...]]:
    """Concatenate source spans into a body, recording a `Segment` for each span."""
    parts: list[str] = []
    segments: list[Segment] = []
    length = 0
    for number, spans in enumerate(paragraphs):
        for position, (start, end) in enumerate(spans):
            if position:
                separator = PIECE_SEPARATOR
            else:
                separator = LINE_SEPARATOR if number else ""
            parts.append(separator)
            length += len(separator)
            segments.append(Segment(body_start=length, source_start=start, length=end - start))
            parts.append(source[start:end])
            length += end - start
    return "".join(parts), tuple(segments)
