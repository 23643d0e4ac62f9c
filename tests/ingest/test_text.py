"""Plain-text and Markdown articles: header metadata, body lines, offsets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import load_article
from kg.ingest.text import parse_text
from kg.records import Article

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
STORY = "The United States will reduce its troop presence in Iraq, officials said on Wednesday."


def parse(source: str) -> Article:
    return parse_text(Path("articles/case.txt"), source)


def assert_segments_copy_source(article: Article) -> None:
    """Every segment is a verbatim copy of the source, in order, without overlap."""
    previous_end = 0
    for seg in article.segments:
        assert seg.length > 0
        assert seg.body_start >= previous_end
        body_piece = article.body[seg.body_start : seg.body_start + seg.length]
        assert body_piece == article.source_text[seg.source_start : seg.source_start + seg.length]
        previous_end = seg.body_start + seg.length
    if article.segments:
        assert previous_end == len(article.body)
        assert article.segments[0].body_start == 0
    else:
        assert article.body == ""


# --- metadata ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (f"# Troops leave Iraq\n\nSome kicker\n\n{STORY}", "Troops leave Iraq"),
        (f"Intro line\n## Troops leave Iraq ##\n{STORY}", "Troops leave Iraq"),
        (f"Source: Example\nTitle: Troops leave Iraq\n\n{STORY}", "Troops leave Iraq"),
        (f'---\ntitle: "Troops leave Iraq"\ndate: 2020-09-09\n---\n{STORY}', "Troops leave Iraq"),
        (
            "Skip to content\nTHU 28 - 10 - 2021\nDate: Aug 29, 2020\n"
            "![](a.jpg)\n[Read in Chinese](zh.md)\nTroops leave Iraq\n" + STORY,
            "Troops leave Iraq",
        ),
        (STORY * 5, None),  # a paragraph is not a headline
    ],
)
def test_text_title(source: str, expected: str | None) -> None:
    assert parse(source).title == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (f"Troops leave Iraq\nDate: Aug 29, 2020\n{STORY}", date(2020, 8, 29)),
        (f"Troops leave Iraq\nPublished: 9 September 2020\n{STORY}", date(2020, 9, 9)),
        (f"Troops leave Iraq\nPublished on June 12, 2020\n{STORY}", date(2020, 6, 12)),
        (f"Troops leave Iraq\npublish date: 2020-09-09T10:00:00Z\n{STORY}", date(2020, 9, 9)),
        (f"Troops leave Iraq\n\n9 September 2020, 17:30\n\n{STORY}", date(2020, 9, 9)),
        (f"Troops leave Iraq\nA caption.\nJune 12, 2020\n{STORY}", date(2020, 6, 12)),
        # A labelled published date beats a bare date and an update.
        (
            f"Troops leave Iraq\nUpdated: 2 October 2020\n1 October 2020\n"
            f"Published: 30 September 2020\n{STORY}",
            date(2020, 9, 30),
        ),
        # An update date counts only when nothing else is stated.
        (f"Troops leave Iraq\nUpdated: 2 October 2020\n{STORY}", date(2020, 10, 2)),
        (f"Troops leave Iraq\n1 October 2020\nUpdated: 2 October 2020\n{STORY}", date(2020, 10, 1)),
        # The page's own date header above the headline is not the article's date.
        (f"THU 28 - 10 - 2021\nTroops leave Iraq\n{STORY}", None),
        (f"THU 28 - 10 - 2021\nDate: Aug 29, 2020\nTroops leave Iraq\n{STORY}", date(2020, 8, 29)),
        (f"Troops leave Iraq\npublish date: None\n{STORY}", None),
        (f"Troops leave Iraq Published duration 6 hours ago\n{STORY}", None),
        (f"Troops leave Iraq\n{STORY}\nCopyright 2021 . All rights reserved", None),
        (f"Troops leave Iraq\n09/10/2020\n{STORY}", None),  # ambiguous: not guessed
        # A bare date deep in the story is not the dateline.
        ("Troops leave Iraq\n" + "\n".join([STORY] * 9) + "\nJune 12, 2020\n", None),
    ],
)
def test_text_published_date(source: str, expected: date | None) -> None:
    assert parse(source).published == expected


@pytest.mark.parametrize(
    ("source", "publisher", "url"),
    [
        (f"Source: The Daily Star\nTroops leave Iraq\n{STORY}", "The Daily Star", None),
        (f"Troops leave Iraq\nPublisher: Example News\n{STORY}", "Example News", None),
        (f"Troops leave Iraq\nSite: Example News\n{STORY}", "Example News", None),
        (
            f"Troops leave Iraq\nURL: https://www.example.com/a\n{STORY}",
            "example.com",
            "https://www.example.com/a",
        ),
        (
            f"Troops leave Iraq\n[Original Article](https://www.bbc.com/news/1)\n{STORY}",
            "bbc.com",
            "https://www.bbc.com/news/1",
        ),
        (
            f"Troops leave Iraq\n[Read the original](https://news.example.org/x)\n{STORY}",
            "news.example.org",
            "https://news.example.org/x",
        ),
        (
            f"Troops leave Iraq\nSource: https://www.example.com/a\n{STORY}",
            "example.com",
            "https://www.example.com/a",
        ),
        (
            f"Source: Example News\nURL: https://www.example.com/a\nTroops leave Iraq\n{STORY}",
            "Example News",
            "https://www.example.com/a",
        ),
        (
            f"Troops leave Iraq\nSource: [BBC News](https://www.bbc.com/news/1)\n{STORY}",
            "BBC News",
            "https://www.bbc.com/news/1",
        ),
        (f"Troops leave Iraq\n[Next story](https://www.example.com/b)\n{STORY}", None, None),
    ],
)
def test_text_publisher_and_url(source: str, publisher: str | None, url: str | None) -> None:
    article = parse(source)
    assert (article.publisher, article.url) == (publisher, url)


@pytest.mark.parametrize(
    ("source", "authors"),
    [
        (f"Troops leave Iraq\nBy Rachael Kennedy\n{STORY}", ("Rachael Kennedy",)),
        (f"Troops leave Iraq\nBy Jane Doe and John Smith\n{STORY}", ("Jane Doe", "John Smith")),
        (f"Troops leave Iraq\nBY JANE DOE\n{STORY}", ("JANE DOE",)),
        (f"Troops leave Iraq\nBy Abu Mahdi al-Muhandis\n{STORY}", ("Abu Mahdi al-Muhandis",)),
        (f"Troops leave Iraq\nauthors: Jane Doe, John Smith\n{STORY}", ("Jane Doe", "John Smith")),
        (f"Troops leave Iraq\nAuthor: Jane Doe\n{STORY}", ("Jane Doe",)),
        (f"Troops leave Iraq\nauthors: \n{STORY}", ()),
        (f"Troops leave Iraq\nauthors: None\n{STORY}", ()),
        # Sentences starting with "By" are not bylines.
        (f"Troops leave Iraq\nBy November, the force will be smaller than ever.\n{STORY}", ()),
        (f"Troops leave Iraq\nby the end of the month troops will leave\n{STORY}", ()),
    ],
)
def test_text_authors(source: str, authors: tuple[str, ...]) -> None:
    assert parse(source).authors == authors


# --- body ------------------------------------------------------------------------


def test_text_body_opens_with_title_and_drops_header() -> None:
    source = (
        "Skip to content\n\n# Troops leave Iraq\n\nkeywords: troops iraq\nauthors: \n"
        "publish date: None\nSource: Example\nURL: https://example.com/a\n"
        f"![](a.jpg)\n[中文翻译](zh.md)\n\n{STORY}\n"
    )
    article = parse(source)
    assert article.body == f"Troops leave Iraq\n\n{STORY}"
    assert_segments_copy_source(article)


def test_text_body_drops_repeated_title_and_doubled_caption() -> None:
    source = (
        "US to withdraw troops\n"
        "US to withdraw troops Published duration 6 hours ago\n"
        "Troops will be reduced by more than 2,000\n"
        "Troops will be reduced by more than 2,000. Picture: Getty\n"
        f"{STORY}\n"
        "US TO WITHDRAW TROOPS\n"
    )
    body = parse(source).body
    assert body.count("US to withdraw troops") == 1
    assert body.count("Troops will be reduced by more than 2,000") == 1
    assert "Published duration" not in body and "Getty" not in body
    assert "US TO WITHDRAW" not in body


def test_text_body_drops_byline_and_standalone_author_name() -> None:
    source = (
        f"Troops leave Iraq\nRachael Kennedy\n\nBy Rachael Kennedy\n\n{STORY}\nRachael Kennedy\n"
    )
    article = parse(source)
    assert article.authors == ("Rachael Kennedy",)
    assert "Rachael Kennedy" not in article.body


def test_text_body_stops_at_related_block() -> None:
    source = (
        f"Troops leave Iraq\n{STORY}\nReaders Comments (0)\nRelated News\n"
        "'Not a good idea:' Experts concerned about pope trip to Iraq\n"
        "More closing links\n"
    )
    body = parse(source).body
    assert body.endswith(STORY)
    assert "pope" not in body


def test_text_body_keeps_story_before_a_related_header_at_the_top() -> None:
    # A "Recommended" nav line right below the headline must not swallow the story.
    article = parse(f"Troops leave Iraq\nRecommended\n{STORY}\n")
    assert article.body == f"Troops leave Iraq\n\n{STORY}"


def test_text_body_handles_crlf_and_keeps_offsets() -> None:
    source = f"Troops leave Iraq\r\n\r\n9 September 2020\r\n\r\n{STORY}\r\nSecond paragraph.\r\n"
    article = parse(source)
    assert article.body == f"Troops leave Iraq\n\n{STORY}\n\nSecond paragraph."
    assert article.published == date(2020, 9, 9)
    assert_segments_copy_source(article)


def test_text_source_offset_maps_body_back_to_source() -> None:
    source = f"# Troops leave Iraq\n\nkeywords: x\n\n{STORY}\n"
    article = parse(source)
    position = article.body.index("Wednesday")
    assert source[article.source_offset(position) :].startswith("Wednesday")


# --- the sample articles ------------------------------------------------------------

SAMPLES: dict[str, dict[str, Any]] = {
    "000_46fc6e2055e20a53.txt": dict(
        title="US to withdraw 2,200 troops from Iraq by end of September",
        published=None,
        url="https://www.bbc.com/news/world-middle-east-54085129",
        publisher="bbc.com",
        authors=(),
        present=("US troops have been deployed to Iraq since 2014",),
        absent=("Reuters", "EPA", "image copyright", "keywords", "Published duration"),
    ),
    "001_c34ed854f745c209.txt": dict(
        title="US to pull almost half its troops from Iraq this month",
        published=date(2020, 9, 9),
        authors=("Rachael Kennedy",),
        present=(
            "Troops will be reduced by more than 2,000",
            "Donald Trump mocks Joe Biden for manner of wearing mask",
        ),
        once=("Troops will be reduced by more than 2,000",),
        absent=("Getty", "Picture:", "READ MORE", "Rachael Kennedy", " PA"),
    ),
    "002_ec8027eaf503b8ac.txt": dict(
        title="US plans further troop reductions in Iraq by November",
        published=date(2020, 8, 29),
        publisher="The Daily Star",
        present=("Associated Press", "WASHINGTON: The United States plans"),
        absent=(
            "THU 28",
            "Readers Comments",
            "security code",
            "Related News",
            "pope trip",
            "Copyright",
            "The Daily Star",
        ),
    ),
    "003_ec37e7ace81eb654.txt": dict(
        title="Withdrawal of Troops from Iraq by the US",
        published=None,
        absent=("Skip to content", "Read also"),
    ),
    "004_4c6c126155a967da.txt": dict(
        title="More US troops to leave Iraq say US and Iraq in joint statement",
        published=date(2020, 6, 12),
        present=("in Mosul, Iraq.",),
        absent=("Telegram", "Vonnie Wright", "U.S. Army)"),
    ),
}


@pytest.fixture(scope="module")
def samples() -> dict[str, Article]:
    return {name: load_article(ARTICLES / name) for name in SAMPLES}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_text_sample_articles(name: str, samples: dict[str, Article]) -> None:
    article = samples[name]
    expected = SAMPLES[name]
    assert article.source_file == name
    for field in ("title", "published", "url", "publisher", "authors"):
        if field in expected:
            assert getattr(article, field) == expected[field], field
    assert article.body.startswith(f"{article.title}\n\n")
    for text in expected.get("present", ()):
        assert text in article.body
    for text in expected.get("once", ()):
        assert article.body.count(text) == 1
    for text in expected.get("absent", ()):
        assert text not in article.body, text
    assert_segments_copy_source(article)


# --- properties ----------------------------------------------------------------------

# Lines of the kinds the rules act on, mixed with arbitrary text.
LINE_POOL = [
    "## US to withdraw troops",
    "US to withdraw troops Published duration 6 hours ago",
    "image copyright Reuters image caption US troops have been deployed",
    "A caption. Picture: Getty",
    "A caption",
    "Soldiers in Mosul, Iraq. (Maj. Vonnie Wright/U.S. Army)",
    "Troops left. image copyright AFP image caption Iraqi soldiers took over",
    "By Rachael Kennedy",
    "Rachael Kennedy",
    "publish date: None",
    "Date: Aug 29, 2020",
    "9 September 2020, 17:30",
    "[Original Article](https://www.bbc.com/news/1)",
    "![](a.jpg)",
    "READ MORE: Another story",
    "Related News",
    "Readers Comments (0)",
    STORY,
    "   ",
]
line = st.one_of(st.sampled_from(LINE_POOL), st.text(max_size=60))
newline = st.sampled_from(["\n", "\n\n", "\r\n", " \n\t", "\r"])


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.tuples(line, newline), max_size=25))
def test_text_segments_always_copy_the_source(parts: list[tuple[str, str]]) -> None:
    source = "".join(text + end for text, end in parts)
    article = parse(source)
    assert_segments_copy_source(article)
    if article.title is not None and article.body:
        assert article.body.startswith(article.title.split()[0])
