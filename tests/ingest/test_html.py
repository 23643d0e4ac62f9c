"""HTML articles: metadata from tags, story text from trafilatura, offsets into it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.ingest import IngestError, load_article
from kg.ingest.html import parse_html
from kg.records import Article

HEADLINE = "US troops leave Iraqi base after ten years"
STORY = """
<p>BAGHDAD: United States troops handed over the Taji military base to Iraqi forces on
Sunday, the US-led coalition said in a statement.</p>
<figure><img src="taji.jpg" alt=""><figcaption>Soldiers at Camp Taji. (AP Photo/John Doe)
</figcaption></figure>
<p>The coalition said the handover had been planned for months and reflects the progress
Iraqi security forces have made against the Islamic State group.</p>
<p>READ MORE: Rockets hit Baghdad airport</p>
<p>Iraqi Prime Minister Mustafa al-Kadhimi welcomed the move during a visit to Washington,
where he met President Donald Trump last month.</p>
<p>About 5,200 American soldiers remain in the country, officials said.</p>
"""

REALISTIC_HEAD = f"""
<meta property="og:title" content="{HEADLINE}">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://www.example.com/og-url">
<meta property="article:published_time" content="2020-09-09T10:00:00Z">
<meta property="article:author" content="https://www.facebook.com/examplenews">
<meta name="author" content="Jane Roe">
<link rel="canonical" href="https://www.example.com/world/troops-leave-base">
<script>var tracking = "window.dataLayer tracking code";</script>
"""

REALISTIC_BODY = f"""
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies
to continue, or read our privacy policy.</p><button>Accept</button></div>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a>
</nav></header>
<main><article>
<h1>{HEADLINE}</h1>
<p class="byline">By Jane Roe</p>
{STORY}
</article>
<aside><h2>Related Articles</h2><ul><li><a href="/a">Pope to visit Iraq</a></li>
<li><a href="/b">Oil prices fall again</a></li></ul></aside>
</main>
<footer><p>Copyright 2020 Example News. All rights reserved.</p>
<p>Subscribe to our newsletter</p></footer>
<script>document.write("late script text");</script>
"""


def page(head: str = "", body: str = "", *, title: str = f"{HEADLINE} - Example News") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>{head}</head><body>{body}</body></html>"
    )


def parse(html: str) -> Article:
    return parse_html(Path("articles/page.html"), html)


def assert_segments_copy_source(article: Article) -> None:
    for seg in article.segments:
        assert (
            article.body[seg.body_start : seg.body_start + seg.length]
            == article.source_text[seg.source_start : seg.source_start + seg.length]
        )


@pytest.fixture(scope="module")
def realistic() -> Article:
    return parse(page(REALISTIC_HEAD, REALISTIC_BODY))


def test_html_metadata_from_tags(realistic: Article) -> None:
    assert realistic.source_file == "page.html"
    assert realistic.title == HEADLINE
    assert realistic.published == date(2020, 9, 9)
    assert realistic.url == "https://www.example.com/world/troops-leave-base"
    assert realistic.publisher == "Example News"
    assert realistic.authors == ("Jane Roe",)  # the article:author URL is not a name


@pytest.mark.parametrize(
    "text",
    [
        f"{HEADLINE}\n\nBAGHDAD: United States troops handed over",
        "Iraqi Prime Minister Mustafa al-Kadhimi welcomed the move",
        "About 5,200 American soldiers remain in the country, officials said.",
    ],
)
def test_html_body_keeps_story(realistic: Article, text: str) -> None:
    assert text in realistic.body


@pytest.mark.parametrize(
    "text",
    [
        "cookies",
        "Home",
        "Sport",
        "tracking",
        "late script",
        "READ MORE",
        "Rockets hit",
        "Copyright",
        "Subscribe",
        "Related Articles",
        "Pope",
        "AP Photo",
        "By Jane Roe",
    ],
)
def test_html_body_drops_furniture(realistic: Article, text: str) -> None:
    assert text not in realistic.body


def test_html_offsets_refer_to_extracted_text(realistic: Article) -> None:
    assert "<p>" not in realistic.source_text
    assert realistic.body.startswith(HEADLINE)
    assert_segments_copy_source(realistic)
    position = realistic.body.index("Taji")
    assert realistic.source_text[realistic.source_offset(position) :].startswith("Taji")


def test_html_headline_missing_from_text_is_put_first() -> None:
    article = parse(page(f'<meta property="og:title" content="{HEADLINE}">', STORY))
    assert article.source_text.startswith(f"{HEADLINE}\n\n")
    assert article.body.startswith(f"{HEADLINE}\n\nBAGHDAD:")
    assert article.body.count(HEADLINE) == 1
    assert_segments_copy_source(article)


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ('<meta name="pubdate" content="2020-09-09">', "", date(2020, 9, 9)),
        (
            '<meta itemprop="datePublished" content="2020-09-09T08:00:00+03:00">',
            "",
            date(2020, 9, 9),
        ),
        (
            "",
            '<time itemprop="datePublished" datetime="2020-06-12">June 12</time>',
            date(2020, 6, 12),
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2020-08-29T12:00:00Z"}</script>',
            "",
            date(2020, 8, 29),
        ),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
            '{"@type": "NewsArticle", "datePublished": "2020-08-29"}]}</script>',
            "",
            date(2020, 8, 29),
        ),
        ('<script type="application/ld+json">{broken json</script>', "", None),
        ('<meta property="article:modified_time" content="2020-10-02">', "", date(2020, 10, 2)),
        # A date in the address or the footer is not stated as the publication date.
        (
            '<link rel="canonical" href="https://example.com/2020/09/09/troops">',
            "<footer><p>Page generated 9 September 2020</p></footer>",
            None,
        ),
    ],
)
def test_html_published_date_sources(head: str, body: str, expected: date | None) -> None:
    assert parse(page(head, STORY + body)).published == expected


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (f'<meta property="og:title" content="{HEADLINE}">', "<h1>Another</h1>", HEADLINE),
        ("", f"<h1>{HEADLINE}</h1>", HEADLINE),
        ('<meta property="og:site_name" content="Example News">', "", HEADLINE),
        ("", "", f"{HEADLINE} - Example News"),  # no site name known: nothing to cut
    ],
)
def test_html_title_sources(head: str, body: str, expected: str) -> None:
    assert parse(page(head, body + STORY)).title == expected


@pytest.mark.parametrize(
    ("head", "url", "publisher"),
    [
        (
            '<meta property="og:url" content="https://www.example.com/a">',
            "https://www.example.com/a",
            "example.com",
        ),
        (
            '<link rel="canonical" href="/relative/a">'
            '<meta property="og:url" content="https://news.example.org/a">',
            "https://news.example.org/a",
            "news.example.org",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"publisher": {"@type": "Organization", "name": "Example Times"}}</script>',
            None,
            "Example Times",
        ),
        ("", None, None),
    ],
)
def test_html_url_and_publisher(head: str, url: str | None, publisher: str | None) -> None:
    article = parse(page(head, STORY))
    assert (article.url, article.publisher) == (url, publisher)


@pytest.mark.parametrize(
    ("head", "authors"),
    [
        ('<meta name="author" content="Jane Doe and John Smith">', ("Jane Doe", "John Smith")),
        ('<meta name="author" content="By Jane Doe">', ("Jane Doe",)),
        (
            '<meta property="article:author" content="Jane Doe">'
            '<meta property="article:author" content="John Smith">',
            ("Jane Doe", "John Smith"),
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
            '[{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Ann Lee"}]}'
            "</script>",
            ("Jane Doe", "Ann Lee"),
        ),
        ('<meta property="article:author" content="https://facebook.com/x">', ()),
    ],
)
def test_html_authors(head: str, authors: tuple[str, ...]) -> None:
    assert parse(page(head, STORY)).authors == authors


def test_html_xml_declaration_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(REALISTIC_HEAD, STORY)
    assert parse(html).title == HEADLINE


def test_html_without_article_text_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text(page("<script src='app.js'></script>", '<div id="root"></div>'), "utf-8")
    with pytest.raises(IngestError, match="no article text") as info:
        load_article(path)
    assert info.value.path == path


def test_html_load_article_dispatches_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "story.HTM"
    path.write_text(page(REALISTIC_HEAD, REALISTIC_BODY), "utf-8")
    article = load_article(path)
    assert article.title == HEADLINE
    assert article.source_file == "story.HTM"
