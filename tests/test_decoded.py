"""The pack of pickled extractions beside the store: appended to, written afresh, never trusted
blindly."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.cache import CacheEntry
from kg.decoded import PACK, DecodedPack
from kg.records import ArticleExtraction

STORIES = {
    "a.txt": "About 900 Dutch soldiers left Lithuania on Friday, the Dutch defence ministry said.",
    "b.txt": "Canada deployed 450 troops to Latvia in March, Canadian officials said.",
    "c.txt": "Germany sent 200 engineers to Poland, a German army spokesman said.",
}


@pytest.fixture
def extractions(extract: Callable[..., ArticleExtraction]) -> list[ArticleExtraction]:
    return [extract(text, name) for name, text in STORIES.items()]


def _entries(extractions: list[ArticleExtraction], edit: str = "") -> dict[str, CacheEntry]:
    """Cache entries as a build names them: a digest per article (of its entry's bytes)."""
    return {
        e.article.source_file: CacheEntry(
            e.article.source_file,
            hashlib.sha256((e.article.source_file + edit).encode()).hexdigest(),
        )
        for e in extractions
    }


def test_decoded_pack_gives_back_what_it_kept_and_appends_what_is_new(
    tmp_path: Path, extractions: list[ArticleExtraction]
):
    entries = _entries(extractions[:2])
    DecodedPack(tmp_path).keep(extractions, entries)  # c.txt has no cache entry: not kept
    size = (tmp_path / PACK).stat().st_size
    pack = DecodedPack(tmp_path)
    assert [pack.get(entry) for entry in entries.values()] == extractions[:2]
    assert pack.get(_entries(extractions[2:])["c.txt"]) is None
    pack.keep(extractions, _entries(extractions))  # c.txt now has one: appended
    assert (tmp_path / PACK).stat().st_size > size
    assert DecodedPack(tmp_path).get(_entries(extractions)["c.txt"]) == extractions[2]


def test_decoded_pack_is_written_afresh_when_mostly_of_entries_gone(
    tmp_path: Path, extractions: list[ArticleExtraction]
):
    DecodedPack(tmp_path).keep(extractions, _entries(extractions))
    edited = _entries(extractions[:1], edit="edited")  # one article, edited: a new entry
    DecodedPack(tmp_path).keep(extractions[:1], edited)  # 3 gone of 1 wanted: afresh
    pack = DecodedPack(tmp_path)
    assert pack.get(edited["a.txt"]) == extractions[0]
    assert pack.get(_entries(extractions)["b.txt"]) is None


@pytest.mark.parametrize("damage", ["flipped", "cut short"])
def test_decoded_pack_damaged_is_not_trusted(
    tmp_path: Path, extractions: list[ArticleExtraction], damage: str
):
    entries = _entries(extractions)
    DecodedPack(tmp_path).keep(extractions, entries)
    data = (tmp_path / PACK).read_bytes()
    if damage == "flipped":  # same length, another country
        assert b"Latvia" in data
        (tmp_path / PACK).write_bytes(data.replace(b"Latvia", b"Latvea"))
    else:
        (tmp_path / PACK).write_bytes(data[:-10])
    damaged = "b.txt" if damage == "flipped" else "c.txt"  # the last record, cut
    pack = DecodedPack(tmp_path)
    assert pack.get(entries[damaged]) is None
    assert pack.get(entries["a.txt"]) == extractions[0]
    pack.keep(extractions, entries)  # a pack cut short is written afresh, whole
    again = [DecodedPack(tmp_path).get(e) for e in entries.values()]
    assert again == (
        extractions if damage == "cut short" else [extractions[0], None, extractions[2]]
    )
