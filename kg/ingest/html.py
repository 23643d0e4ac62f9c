"""Read an HTML article: metadata from its tags, story text from trafilatura.

Publishers state title, date, address and site in `<meta>` tags and JSON-LD,
which are more reliable than anything read from the text, so those come
first. The story text is what trafilatura extracts as the main content; it
then goes through the same line rules as plain text.

`Article.source_text` for HTML is trafilatura's extracted text, and all
offsets refer to it. When that text does not contain the headline, the
headline and a blank line are put before it, so the body can open with the
headline and still be made only of verbatim runs of `source_text`.

Reference: https://ogp.me/ (og:*, article:*), https://schema.org/NewsArticle
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from kg.ingest.body import split_lines, text_key
from kg.ingest.dates import find_date
from kg.ingest.errors import IngestError
from kg.ingest.text import TITLE_SEARCH_LINES, host_of, read_text, require_story, split_names
from kg.records import Article

# Where each field is stated, most trusted first. Keys are lower-cased
# `property`, `name` or `itemprop` attributes of <meta> tags.
TITLE_META = ("og:title", "twitter:title", "headline", "dc.title")
PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dc.date", "date",
)  # fmt: skip
UPDATED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")
URL_META = ("og:url", "twitter:url")
PUBLISHER_META = ("og:site_name", "application-name", "publisher", "dc.publisher")
AUTHOR_META = ("author", "article:author", "parsely-author", "dc.creator", "sailthru.author")

# Separators between a page title and the site name: "Story - Site", "Story | Site".
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:·•]\s+")


def parse_html(path: Path, html: str, source_file: str | None = None) -> Article:
    """Read a decoded HTML page into an `Article` (see the module note on offsets).

    `source_file` names the article (see `kg.ingest.ArticleFile`); by default the file's name.

    Raises:
        IngestError: trafilatura finds no main text in the page, or only furniture.
    """
    document = _parse_document(html)
    meta = read_metadata(document) if document is not None else {}
    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        output_format="txt",
        with_metadata=False,  # metadata, dates included, comes from our own rules
    )
    if not text or not text.strip():
        raise IngestError(
            path,
            "has no article text that could be extracted; check that it is an article "
            "page, not an index page or a page built by JavaScript.",
        )

    title = meta.get("title")
    if title and not any(
        text_key(line.text) == text_key(title) for line in split_lines(text)[:TITLE_SEARCH_LINES]
    ):
        text = f"{title}\n\n{text}"
    parts = require_story(path, read_text(text, known_title=title))

    url = meta.get("url") or parts.url
    authors = tuple(split_names(meta["authors"])) if meta.get("authors") else parts.authors
    published = _date(meta.get("published")) or parts.published
    updated = _date(meta.get("updated")) or parts.updated
    return Article(
        source_file=path.name if source_file is None else source_file,
        source_text=text,
        body=parts.body,
        segments=parts.segments,
        title=title or parts.title,
        published=published or updated,
        publisher=meta.get("publisher") or parts.publisher or (host_of(url) if url else None),
        authors=tuple(dict.fromkeys(authors)),
        url=url,
    )


def read_metadata(document: lxml_html.HtmlElement) -> dict[str, str]:
    """Collect title, published, updated, url, publisher and authors as stated in the page.

    Values are raw strings (dates unparsed); a missing field has no key.
    Several authors are joined with ", ".
    """
    metas = _meta_tags(document)
    ld = list(_json_ld(document))
    found: dict[str, str] = {}

    def first(*values: str | None) -> str | None:
        return next((" ".join(v.split()) for v in values if v and v.strip()), None)

    site = first(*(metas.get(key, [None])[0] for key in PUBLISHER_META), _ld_name(ld, "publisher"))
    title = first(
        *(metas.get(key, [None])[0] for key in TITLE_META),
        _ld_value(ld, "headline"),
        _text(document.find(".//h1")),
        _strip_site(_text(document.find(".//title")), site),
    )
    published = first(
        *(metas.get(key, [None])[0] for key in PUBLISHED_META),
        *(
            _attr(el, "datetime", "content")
            for el in document.xpath("//*[@itemprop='datePublished']")
        ),
        _ld_value(ld, "datePublished"),
    )
    updated = first(
        *(metas.get(key, [None])[0] for key in UPDATED_META), _ld_value(ld, "dateModified")
    )
    canonical = document.xpath("//link[@rel='canonical']/@href")
    url = first(
        *(href for href in canonical if href.startswith(("http://", "https://"))),
        *(metas.get(key, [None])[0] for key in URL_META),
    )
    authors = [
        value
        for key in AUTHOR_META
        for value in metas.get(key, [])
        if value.strip() and not value.startswith(("http://", "https://"))
    ] or _ld_names(ld, "author")

    for field, value in (
        ("title", title),
        ("published", published),
        ("updated", updated),
        ("url", url),
        ("publisher", site),
        ("authors", ", ".join(dict.fromkeys(authors))),
    ):
        if value:
            found[field] = value
    return found


def _parse_document(html: str) -> lxml_html.HtmlElement | None:
    # Bytes, because lxml refuses str input that carries an encoding declaration.
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8")
        return lxml_html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _meta_tags(document: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """Map each <meta> tag's property/name/itemprop (lower-cased) to its contents."""
    tags: dict[str, list[str]] = {}
    for element in document.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = element.get(attribute)
            if key:
                tags.setdefault(key.strip().lower(), []).append(content.strip())
    return tags


def _json_ld(document: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Yield every JSON-LD object on the page, flattening lists and `@graph`."""
    for script in document.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # broken JSON-LD is common; the <meta> tags still count
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])


def _ld_value(ld: list[dict[str, Any]], key: str) -> str | None:
    return next((item[key] for item in ld if isinstance(item.get(key), str)), None)


def _ld_names(ld: list[dict[str, Any]], key: str) -> list[str]:
    """Names of the persons or organisations under `key` (a string, an object, or a list)."""
    names: list[str] = []
    for item in ld:
        values = item.get(key)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                value = value.get("name")
            if isinstance(value, str) and value.strip():
                names.append(value.strip())
        if names:
            break
    return names


def _ld_name(ld: list[dict[str, Any]], key: str) -> str | None:
    names = _ld_names(ld, key)
    return names[0] if names else None


def _text(element: lxml_html.HtmlElement | None) -> str | None:
    return element.text_content() if element is not None else None


def _attr(element: lxml_html.HtmlElement, *names: str) -> str | None:
    for name in names:
        value = element.get(name)
        if value:
            return str(value)
    return _text(element)


def _strip_site(title: str | None, site: str | None) -> str | None:
    """Cut the site name from a <title> such as "Troops leave - Example News"."""
    if not title or not site:
        return title
    separators = list(_TITLE_SUFFIX.finditer(title))
    if separators and text_key(title[separators[-1].end() :]) == text_key(site):
        return title[: separators[-1].start()]
    return title


def _date(value: str | None) -> date | None:
    return find_date(value) if value else None
