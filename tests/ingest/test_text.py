"""Plain-text and Markdown articles: header metadata, body lines, offsets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import IngestError, load_article
from kg.ingest.body import LINE_SEPARATOR, text_key
from kg.ingest.text import parse_text, read_text
from kg.records import Article

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
STORY = "The United States will reduce its troop presence in Iraq, officials said on Wednesday."
# A state government's site banner, as such pages open.
BANNER = (
    "An official website of the State of Vermont\nHere’s how you know\n\n"
    "Official websites use .gov\n\nSecure .gov websites use HTTPS\n\n"
    "A lock ( lock ) or https:// means you’ve safely connected to the .gov website.\n\n"
)


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
        # Headerless pages that open with banners, labels and bylines
        (
            f"{BANNER}Guard units return from border mission\n\n"
            "You have accessed part of an archived collection on vermont.example.\n\n"
            f"{STORY}",
            "Guard units return from border mission",
        ),
        (
            "Accessibility links\n\nBreaking News\n\nFleet sails for the Gulf\n\n\n"
            f"FILE - A destroyer leaves port, May 2, 2020.\n{STORY}",
            "Fleet sails for the Gulf",
        ),
        (
            f"By Fleet Public AffairsJune 3, 2021\nFleet sails for the Gulf\n{STORY}",
            "Fleet sails for the Gulf",
        ),
        (
            f"Press Release – Army general visits troops\n{STORY}",
            "Press Release – Army general visits troops",
        ),
        (
            f"Title: News Release: Army general visits troops\n{STORY}",
            "News Release: Army general visits troops",
        ),
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
        # A date printed with the byline, glued on or set apart
        (f"Troops leave Iraq\n\nBy Fleet Public AffairsJune 3, 2021\n\n{STORY}", date(2021, 6, 3)),
        (f"Troops leave Iraq\nBy Jane Roe, Reuters | March 3, 2024\n{STORY}", date(2024, 3, 3)),
        (
            f"Troops leave Iraq\nBy Jane Roe | Published 4 May 2022 10:15 GMT\n{STORY}",
            date(2022, 5, 4),
        ),
        (f"Troops leave Iraq\nBy Jane Roe on Tuesday, 9 September 2020\n{STORY}", date(2020, 9, 9)),
        # The page's "today" above the headline loses to the article's own date.
        (
            f"Sat, 30 Sep 2023\nTroops leave Iraq\nBy Jane Roe | 12 May 2023\n{STORY}",
            date(2023, 5, 12),
        ),
        (
            "Sat, 30 Sep 2023\nTroops leave Iraq\nExample Radio\n12 May 2023, 06:06 GMT+10\n"
            f"{STORY}",
            date(2023, 5, 12),
        ),
        (f"Troops leave Iraq\nDate Posted: 2024-03-06\n{STORY}", date(2024, 3, 6)),
        # Dates in captions, photo metadata and the story are never the publication date.
        (f"{BANNER}Troops leave Iraq\n{STORY}", None),
        (f"Troops leave Iraq\nFILE - Troops in Kabul, Aug. 30, 2021.\n{STORY}", None),
        (
            "Troops leave Iraq\nTroops board a C-17 in Kabul, Aug. 30, 2021. (Photo: Jane Roe/AP)\n"
            f"{STORY}",
            None,
        ),
        (
            "Troops leave Iraq\nTroops board a C-17 in Kabul, Aug. 30, 2021.\n"
            f"Photo By: Jane Roe, Army\nVIRIN: 210830-A-AB123-001\n{STORY}",
            None,
        ),
        (f"Troops leave Iraq\nDate Taken: 2024-03-01\n{STORY}", None),
        (f"Troops leave Iraq\nBy March 3, 2024, the last troops will have left.\n{STORY}", None),
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
        (f"Troops leave Iraq\nBy March 3, 2024, the last troops will have left.\n{STORY}", ()),
        # Bylines with a date; an office signs like a person.
        (
            f"Troops leave Iraq\nBy Fleet Public AffairsJune 3, 2021\n{STORY}",
            ("Fleet Public Affairs",),
        ),
        (
            f"Troops leave Iraq\nBy Jane Roe, Reuters | March 3, 2024\n{STORY}",
            ("Jane Roe", "Reuters"),
        ),
        (f"Troops leave Iraq\nBy Jane Roe | Published 4 May 2022\n{STORY}", ("Jane Roe",)),
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


@pytest.mark.parametrize(
    "source",
    [
        f"Date: {STORY}",
        f"Source: {STORY}\n",
        f"Summary: {STORY}",
        f'  summary:  "{STORY}"\n\n',
        f"Description: {STORY}\nKeywords: troops, Iraq",
    ],
)
def test_text_a_story_on_labelled_lines_alone_is_still_read(source: str) -> None:
    article = parse(source)
    assert STORY in article.body
    assert article.publisher is None
    assert_segments_copy_source(article)


def test_text_labelled_lines_alone_keep_the_date_they_state() -> None:
    article = parse(f"Date: March 3, 2024\nSummary: {STORY}")
    assert article.body == STORY
    assert article.published == date(2024, 3, 3)


def test_text_boilerplate_only_text_is_refused_like_its_html_twin(tmp_path: Path) -> None:
    furniture = "Skip to content\n\nShare on Facebook\n\nAdvertisement\n\nAll rights reserved.\n"
    (tmp_path / "page.txt").write_text(furniture, encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<html><body>" + "".join(f"<p>{line}</p>" for line in furniture.split("\n\n")),
        encoding="utf-8",
    )
    for name in ("page.txt", "page.html"):
        with pytest.raises(IngestError, match="no article text"):
            load_article(tmp_path / name)


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


def test_text_body_drops_page_furniture_and_photo_credits() -> None:
    source = (
        f"{BANNER}Fleet sails for the Gulf\n\n"
        "You have accessed part of an archived collection on navy.example. Some links may not "
        "work. Please contact the Navy Webmaster with any questions.\n\n"
        "By Fleet Public AffairsJune 3, 2021\n\n"
        "• Published\n• Fleet Public Affairs\n\n"
        "Sailors load stores aboard a destroyer in Example Bay, May 30, 2021.\n"
        "Sailors load stores aboard a destroyer in Example Bay, May 30, 2021. "
        "(Photo Credit: U.S. Navy photo by Petty Officer 2nd Class Jane Roe) VIEW ORIGINAL\n\n"
        f"{STORY}\n\n"
        "A sailor waves from the deck.\nPhoto By: Navy Seaman John Roe\n"
        "VIRIN: 210530-N-AB123-0042\n\n"
        "Fleet Sails for the Gulf\nplease wait\n\nNo media source currently available\n\n"
        "0:00 0:01:15 0:00\nPlay\n\n"
        "Imagery will be available at https://images.navy.example/fleet.\n\n"
        "For more information, please call +1 555-0100 or e-mail press@navy.example.\n"
    )
    article = parse(source)
    assert article.title == "Fleet sails for the Gulf"
    assert article.published == date(2021, 6, 3)
    assert article.authors == ("Fleet Public Affairs",)
    assert article.body == (
        "Fleet sails for the Gulf\n\n"
        "Sailors load stores aboard a destroyer in Example Bay, May 30, 2021.\n\n"
        f"{STORY}\n\nA sailor waves from the deck."
    )
    assert_segments_copy_source(article)


def test_text_body_keeps_caption_content_without_its_label_and_credit() -> None:
    source = (
        "Fleet sails for the Gulf\n\n"
        "FILE - A destroyer leaves Example Bay, May 2, 2020. (Royal Navy/Handout via Reuters)\n"
        "FILE - A destroyer leaves Example Bay, May 2, 2020. (Royal Navy/Handout via Reuters)\n\n"
        "Marines board a ship, June 1, 2022. Marines board a ship, June 1, 2022.\n\n"
        f"{STORY}\n"
    )
    article = parse(source)
    assert article.body == (
        "Fleet sails for the Gulf\n\nA destroyer leaves Example Bay, May 2, 2020.\n\n"
        f"Marines board a ship, June 1, 2022.\n\n{STORY}"
    )
    assert article.published is None
    assert_segments_copy_source(article)


def test_text_caption_kept_after_credit_cut_maps_back_exactly() -> None:
    caption = "A destroyer leaves Example Bay, May 2, 2020."
    source = (
        f"Fleet sails for the Gulf\n\nFILE - {caption} (Photo: Jane Roe/AP)\n\n{STORY}\n"
        f"Second paragraph. U.S. Navy photo by Seaman John Roe\n"
    )
    article = parse(source)
    for text in (caption, STORY, "Second paragraph."):
        start = article.body.index(text)
        source_start = article.source_offset(start)
        assert source[source_start : source_start + len(text)] == text
        assert article.source_offset(start + len(text) - 1) == source_start + len(text) - 1
    assert "Jane Roe" not in article.body and "John Roe" not in article.body
    assert_segments_copy_source(article)


def test_text_body_leaves_headline_kicker_out() -> None:
    source = (
        "Title: Press Release – Army general visits troops in Poland\n"
        "Published: 2022-02-16\n\n"
        f"Press Release – Army general visits troops in Poland\n\n{STORY}\n"
    )
    article = parse(source)
    assert article.title == "Press Release – Army general visits troops in Poland"
    assert article.body == f"Army general visits troops in Poland\n\n{STORY}"
    assert_segments_copy_source(article)


def test_text_body_drops_a_video_title_that_repeats_the_headline() -> None:
    source = (
        "Leaders Approve 'Small, Lasting' Mission in Chad\n\n"
        f"{STORY}\n\nLeaders Approve ‘Small, Lasting’ Mission in Chad\nplease wait\n\n"
        "Second paragraph.\n"
    )
    article = parse(source)
    assert article.body == (
        f"Leaders Approve 'Small, Lasting' Mission in Chad\n\n{STORY}\n\nSecond paragraph."
    )


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
    "FILE - A caption. (Photo Credit: U.S. Navy photo by Jane Roe) VIEW ORIGINAL",
    "Marines board a ship here. Marines board a ship here.",
    "By Fleet Public AffairsJune 3, 2021",
    "Press Release – US to withdraw troops",
    "An official website of the United States government",
    "0:00 0:01:15 0:00",
    STORY,
    "   ",
]
line = st.one_of(st.sampled_from(LINE_POOL), st.text(max_size=60))
newline = st.sampled_from(["\n", "\n\n", "\r\n", " \n\t", "\r"])


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.tuples(line, newline), max_size=25))
def test_text_segments_always_copy_the_source(parts: list[tuple[str, str]]) -> None:
    source = "".join(text + end for text, end in parts)
    try:
        article = parse(source)
    except IngestError:
        assert not read_text(source).segments  # refused only when no line is story
        return
    assert_segments_copy_source(article)
    if article.title is not None and article.body:
        # The body opens with the headline, less any kicker ("Press Release – ").
        headline = article.body.split(LINE_SEPARATOR)[0]
        assert text_key(article.title).endswith(text_key(headline))
