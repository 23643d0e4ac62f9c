"""Read a plain-text or Markdown article: metadata from its header, then its body.

Saved articles come from many scrapers, each with its own header: Markdown
headings, `Label: value` lines, bare dates, bylines, links to the original.
The rules below read what is stated and never guess; anything they use as
metadata is kept out of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from kg.ingest.body import Line, build_body, is_body_candidate, split_lines, text_key
from kg.ingest.boilerplate import keep_spans
from kg.ingest.dates import find_date, is_date_line, parse_date, split_trailing_date
from kg.ingest.errors import IngestError
from kg.records import Article, Segment

# How far the header reaches: a date or byline further down is part of the story.
HEADER_LINES = 8
# A Markdown heading further down than this is a section heading, not the headline.
TITLE_SEARCH_LINES = 10
# A "headline" longer than this is a paragraph: the file has no headline.
MAX_TITLE_CHARS = 300

# `Label: value` lines, by the field they fill. "ignore" labels are dropped
# from the body but feed no field.
LABEL_FIELDS: dict[str, str] = {
    "title": "title", "headline": "title",
    "date": "published", "published": "published", "publish date": "published",
    "published date": "published", "published on": "published", "date published": "published",
    "publication date": "published", "posted": "published", "posted on": "published",
    "date posted": "published", "pubdate": "published",
    "updated": "updated", "updated on": "updated", "last updated": "updated",
    "modified": "updated", "last modified": "updated", "date modified": "updated",
    "source": "source",
    "publisher": "publisher", "site": "publisher", "site name": "publisher",
    "sitename": "publisher", "outlet": "publisher",
    "url": "url", "link": "url", "source url": "url", "original url": "url",
    "canonical url": "url",
    "author": "authors", "authors": "authors", "byline": "authors", "writer": "authors",
    "keywords": "ignore", "tags": "ignore", "topics": "ignore", "categories": "ignore",
    "category": "ignore", "section": "ignore", "description": "ignore", "summary": "ignore",
    "language": "ignore", "lang": "ignore", "image": "ignore", "top image": "ignore",
}  # fmt: skip
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z_ -]{0,24}?)\s*:\s*(?P<value>.*)$")
# "Published on June 12, 2020" states a date without a colon.
_UNLABELLED_DATE = re.compile(
    r"^(?P<label>published|posted|updated|last updated)(?:\s+on)?\s+(?P<value>.+)$", re.I
)
# Placeholders scrapers write when a field is missing.
EMPTY_VALUES = frozenset({"", "none", "null", "nil", "n/a", "na", "unknown", "-", "[]"})

# Links whose target is the article itself.
ORIGINAL_LINK_TEXTS = frozenset(
    {
        "original article", "original", "source", "read the original", "read original",
        "read the original article", "read original article", "original source",
        "view original", "source article", "read the full article", "read full article",
        "canonical", "article",
    }
)  # fmt: skip
_LINK = re.compile(r"^\[(?P<text>[^\]]*)\]\(\s*(?P<url>https?://[^)\s]+)")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")

# "By Rachael Kennedy", "By Jane Doe and John Smith": short, capitalised names only.
_NAME_WORD = (
    r"(?:[A-Z][\w'’.-]*|(?:al|el|de|da|di|du|van|von|der|den|bin|ibn|le|la|dos|del)(?:-[\w'’]+)?\b)"
)
_PERSON = rf"[A-Z][\w'’.-]*(?:\s+{_NAME_WORD}){{0,4}}"
_BYLINE = re.compile(
    rf"^(?:By|BY|by)\s+(?P<names>{_PERSON}(?:\s*(?:,|\band\b|&)\s*{_PERSON})*)\s*$"
)
_BYLINE_START = re.compile(r"(?:By|BY|by)\s")  # how every byline begins: a cheap first test
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
# What joins a byline to the date printed after it: "By Jane Doe | Published March 3, 2024".
_BYLINE_TAIL = re.compile(r"(?:[\s,|·•—–-]|\b(?:published|posted|updated|on)\b)*$", re.I)
# A byline longer than this is a sentence that happens to start with "By".
MAX_BYLINE_WORDS = 12


@dataclass(frozen=True, slots=True)
class Label:
    """A `Label: value` line; `start`/`end` are the value's source offsets."""

    field: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Byline:
    """The names in a byline and the date printed with it, if any."""

    names: tuple[str, ...]
    published: date | None = None
    updated: date | None = None


@dataclass(frozen=True, slots=True)
class TextParts:
    """What a text yields before it becomes an `Article`."""

    title: str | None
    published: date | None
    updated: date | None
    publisher: str | None
    authors: tuple[str, ...]
    url: str | None
    body: str
    segments: tuple[Segment, ...]


def parse_text(path: Path, source: str, source_file: str | None = None) -> Article:
    """Read a decoded .txt or .md file into an `Article` whose offsets refer to `source`.

    `source_file` names the article (see `kg.ingest.ArticleFile`); by default the file's name.

    Raises:
        IngestError: no line of it is story, only page furniture or metadata
            (as an HTML page with no article text is refused).
    """
    parts = require_story(path, read_text(source))
    return Article(
        source_file=path.name if source_file is None else source_file,
        source_text=source,
        body=parts.body,
        segments=parts.segments,
        title=parts.title,
        published=parts.published or parts.updated,
        publisher=parts.publisher,
        authors=parts.authors,
        url=parts.url,
    )


def require_story(path: Path, parts: TextParts) -> TextParts:
    """`parts`, unless nothing in them is story: then the file is refused, never built empty.

    Raises:
        IngestError: every line was page furniture or metadata.
    """
    if not parts.segments:
        raise IngestError(
            path,
            "has no article text: every line is page furniture (menus, share links, notices) "
            "or metadata; check that it holds the article itself.",
        )
    return parts


def read_text(source: str, *, known_title: str | None = None) -> TextParts:
    """Find the metadata a text states and build its body.

    Args:
        source: the decoded text.
        known_title: the headline when it is known already (from HTML
            metadata); the body then opens at the line that repeats it.
    """
    lines = split_lines(source)
    labels = {line.index: label for line in lines if (label := read_label(line)) is not None}
    parts = _read_lines(source, lines, labels, known_title)
    if parts.segments or not labels:
        return parts
    # Every line was taken for metadata, so no story would be read. A story whose
    # lines open like labels ('Summary: …', 'Date: Troops crossed …') is still a
    # story: read the labelled values as text, keeping any date they stated.
    values = [
        Line(line.index, label.start, label.end, label.value)
        if (label := labels.get(line.index))
        else line
        for line in lines
    ]
    as_text = _read_lines(source, values, {}, known_title)
    return replace(
        as_text,
        published=as_text.published or parts.published,
        updated=as_text.updated or parts.updated,
    )


def _read_lines(
    source: str, lines: list[Line], labels: dict[int, Label], known_title: str | None
) -> TextParts:
    """`read_text` over `source` split into `lines`, of which `labels` are metadata."""
    skip: set[int] = set(labels)

    title, title_span, title_index = _find_title(lines, labels, known_title)
    after_title = lines[title_index + 1 :] if title_index is not None else lines
    header = after_title[:HEADER_LINES]
    before_title = lines[:title_index] if title_index is not None else []

    authors: list[str] = []
    for label in _labels(labels, "authors"):
        authors.extend(split_names(label.value))
    bylines: list[Byline] = []
    for line in (*before_title, *header):
        byline = read_byline(line.text) if line.index not in skip else None
        if byline is not None:
            authors.extend(byline.names)
            bylines.append(byline)
            skip.add(line.index)

    url = _first_url(lines, labels)
    publisher = _first_value(labels, "source", "publisher")
    if publisher is None and url is not None:
        publisher = host_of(url)

    # The date printed with the byline belongs to the article, wherever the byline is.
    published = _first_date(labels, "published") or next(
        (byline.published for byline in bylines if byline.published), None
    )
    if published is None:
        # A bare date below the headline is the dateline; one above it is the
        # page's own "today" header, so only lines after the title count.
        first_date = next((line for line in header if is_date_line(line.text)), None)
        if first_date is not None:
            published = parse_date(first_date.text)
    updated = _first_date(labels, "updated") or next(
        (byline.updated for byline in bylines if byline.updated), None
    )

    body, segments = build_body(
        source,
        after_title,
        title_span=title_span,
        title=title,
        skip=skip,
        authors=authors,
    )
    return TextParts(
        title=title,
        published=published,
        updated=updated,
        publisher=publisher,
        authors=tuple(dict.fromkeys(authors)),
        url=url,
        body=body,
        segments=segments,
    )


def read_label(line: Line) -> Label | None:
    """Read a metadata line such as "publish date: None" or "Source: The Daily Star"."""
    match = _LABEL.match(line.text)
    if match:
        field = LABEL_FIELDS.get(" ".join(match["label"].replace("_", " ").lower().split()))
        if field is None:
            return None
    else:
        match = _UNLABELLED_DATE.match(line.text)
        if not match or not is_date_line(match["value"]):
            return None
        field = "updated" if "updated" in match["label"].lower() else "published"
    raw = match["value"]
    value = raw.strip().strip("\"'").strip()  # YAML front matter quotes its values
    start = line.start + match.start("value") + (raw.find(value) if value else 0)
    return Label(field, value, start, start + len(value))


def read_byline(text: str) -> Byline | None:
    """Read "By Jane Doe", "By Jane Doe, Reuters | March 3, 2024", or a byline with a glued date.

    The names may be people or an office ("By Fleet Public Affairs"); either
    way the line is metadata, not story.
    """
    if not _BYLINE_START.match(text):
        return None  # what is left of the line once a date is cut starts as the line does
    found = split_trailing_date(text)
    head = _BYLINE_TAIL.sub("", found[0]) if found else text
    match = _BYLINE.match(head)
    if not match or len(head.split()) > MAX_BYLINE_WORDS:
        return None
    names = tuple(split_names(match["names"]))
    if found is None:
        return Byline(names)
    if re.search(r"\bupdated\b", found[0][len(head) :], re.I):
        return Byline(names, updated=found[1])
    return Byline(names, published=found[1])


def split_names(value: str) -> list[str]:
    """Split "Jane Doe, John Smith and Ann Lee" into names, dropping placeholders."""
    value = re.sub(r"^(?:by)\s+", "", value.strip(), flags=re.I)
    names = (" ".join(name.split()) for name in _NAME_SPLIT.split(value))
    return [name for name in names if name.lower() not in EMPTY_VALUES]


def host_of(url: str) -> str | None:
    """The site's host name without "www.", as a fallback publisher."""
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def _labels(labels: dict[int, Label], field: str) -> list[Label]:
    return [label for _, label in sorted(labels.items()) if label.field == field]


def _first_value(labels: dict[int, Label], *fields: str) -> str | None:
    """The first stated value among `fields`, in order of preference; URLs excluded."""
    for field in fields:
        for label in _labels(labels, field):
            link = _LINK.match(label.value)
            value = link["text"].strip() if link else label.value  # "Source: [BBC](https://…)"
            if value.lower() not in EMPTY_VALUES and not _is_url(value):
                return value
    return None


def _first_date(labels: dict[int, Label], field: str) -> date | None:
    for label in _labels(labels, field):
        found = find_date(label.value)
        if found is not None:
            return found
    return None


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _first_url(lines: list[Line], labels: dict[int, Label]) -> str | None:
    """The article's own address: a `URL:` line, a URL `Source:`, or an "Original Article" link."""
    for field in ("url", "source"):
        for label in _labels(labels, field):
            link = _LINK.match(label.value)
            value = link["url"] if link else label.value.strip("<>")
            if _is_url(value):
                return value
    for line in lines:
        link = _LINK.match(line.text)
        if link and text_key(link["text"]) in ORIGINAL_LINK_TEXTS:
            return link["url"]  # link-only lines never reach the body anyway
    return None


def _find_title(
    lines: list[Line], labels: dict[int, Label], known_title: str | None
) -> tuple[str | None, tuple[int, int] | None, int | None]:
    """Find the headline: its text, its source span and its line index.

    Order: a known title's line, the first Markdown heading near the top, a
    `Title:` line, else the first line that is neither furniture nor metadata.
    """
    if known_title is not None:
        for line in lines[:TITLE_SEARCH_LINES]:
            if text_key(line.text) == text_key(known_title):
                return known_title, _span_of(line), line.index
        return known_title, None, None

    for line in lines[:TITLE_SEARCH_LINES]:
        if _MD_HEADING.match(line.text) and line.index not in labels:
            span = _span_of(line)
            if span is not None:
                return _title_text(line, span), span, line.index

    for index, label in sorted(labels.items()):
        if label.field == "title" and label.value.lower() not in EMPTY_VALUES:
            # The headline as stated; the body's copy loses kickers and credits.
            return label.value, _kept_span(label.value, label.start), index

    for line in lines:
        if line.index in labels or not is_body_candidate(line.text) or read_byline(line.text):
            continue
        span = _span_of(line)
        if span is None:
            continue
        if span[1] - span[0] > MAX_TITLE_CHARS:
            return None, None, None
        return _title_text(line, span), span, line.index
    return None, None, None


def _span_of(line: Line) -> tuple[int, int] | None:
    """Source span of the line's first kept piece (heading marks and credits cut)."""
    return _kept_span(line.text, line.start)


def _kept_span(text: str, offset: int) -> tuple[int, int] | None:
    """Source span of the first kept piece of `text`, which starts at `offset`."""
    pieces = keep_spans(text)
    if not pieces:
        return None
    start, end = pieces[0]
    return offset + start, offset + end


def _title_text(line: Line, span: tuple[int, int]) -> str:
    text = line.text[span[0] - line.start : span[1] - line.start]
    return " ".join(text.split())
