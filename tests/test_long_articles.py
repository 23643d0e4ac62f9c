"""An article longer than spaCy will parse is extracted in pieces, every offset kept."""

from __future__ import annotations

import re

import pytest

from kg.defaults import DEFAULT_MODEL
from kg.long_articles import split_text
from kg.parallel import extract_chunk, load_pipeline

SPACY_LIMIT = 1_000_000  # spaCy's default nlp.max_length
PARAGRAPH = (
    "Defense Secretary Lloyd Austin said on Tuesday that the United States would move "
    "2,000 troops from Germany to Poland, and officials in Warsaw welcomed the decision."
)


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("one\n\ntwo\n\nthree", 10, ["one\n\ntwo\n\n", "three"]),
        ("First one. Second one. Third.", 12, ["First one. ", "Second one. ", "Third."]),
        ("a line\nanother line", 15, ["a line\n", "another line"]),
        ("no breaks at all", 7, ["no ", "breaks ", "at all"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("short", 10, ["short"]),
    ],
)
def test_long_articles_split_text_at_paragraphs_then_sentences(text, limit, pieces):
    assert split_text(text, limit) == pieces


def test_long_articles_split_text_takes_the_last_paragraph_break_within_the_limit():
    text = "A first paragraph. It goes on.\n\nA second one. Short.\n\nA third."
    pieces = split_text(text, 60)
    assert pieces == ["A first paragraph. It goes on.\n\nA second one. Short.\n\n", "A third."]


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """The build's pipeline with a limit of 20,000 characters: the same path as spaCy's
    1,000,000, with an article the test can afford to parse."""
    nlp = load_pipeline(DEFAULT_MODEL)
    assert nlp.max_length == SPACY_LIMIT
    monkeypatch.setattr(nlp, "max_length", 20_000)
    return nlp.max_length


def test_long_articles_over_the_limit_are_extracted_with_offsets_kept(make_article, small_limit):
    text = "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(150))
    assert len(text) > 1.2 * small_limit

    (extraction,), _ = extract_chunk(DEFAULT_MODEL, [make_article(text)])

    late = [m for m in extraction.mentions if m.start >= small_limit]
    assert late
    assert all(text[m.start : m.end] == m.text for m in late)
    polands = {m.start for m in late if m.name == "Poland"}
    assert polands == {m.start() for m in re.finditer("Poland", text) if m.start() >= small_limit}
    moves = [e for e in extraction.events if e.start >= small_limit]
    assert moves
    mention_starts = {m.start for m in extraction.mentions}
    for event in moves:
        assert text[event.start : event.end] == event.trigger
        assert " ".join(text[event.sentence_start : event.sentence_end].split()) == event.evidence
        assert {start for _, start in event.arguments} <= mention_starts
