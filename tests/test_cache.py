"""The extraction cache keeps records as checked JSON: it cannot run code, and a bad entry is
re-extracted with a warning."""

from __future__ import annotations

import json
import logging
import pickle
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cache import ExtractionCache
from kg.cli import app
from kg.record_json import RecordFormatError, extraction_from_json, extraction_to_json
from kg.records import ArticleExtraction

ARTICLE = Path(__file__).resolve().parent.parent / "articles" / "001_c34ed854f745c209.txt"
runner = CliRunner()

# Sentences that give every kind of record: mentions with aliases and acts-for, events with
# arguments, dates and figures, roles and placements.
TEXTS = [
    "Iraqi Prime Minister Mustafa al-Kadhimi met President Donald Trump in Washington on "
    "20 August 2020. The United States will cut its troops in Iraq from 5,200 to about 3,000.",
    "The Pentagon said some 500 troops left al-Asad Air Base in Iraq in March 2020.",
    "Russian President Vladimir Putin denied that troops would deploy to Belarus.",
]


class Planted:
    """A pickle payload that would leave a file behind if it were ever unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("text", TEXTS)
def test_cache_json_round_trip_of_real_extractions(extract, text):
    extraction = extract(text)
    assert extraction.mentions and extraction.events  # the table exercises real records
    stored = json.loads(json.dumps(extraction_to_json(extraction)))
    assert extraction_from_json(stored) == replace(
        extraction, article=extraction.article.without_text()
    )


def test_cache_round_trip_through_the_folder(extract, tmp_path):
    extraction = extract(TEXTS[0])
    figures = [e for e in extraction.events if e.troops_before or e.troop_count]
    assert figures and extraction.roles  # figures and roles make it to disk and back
    cache = ExtractionCache(tmp_path, "fingerprint")
    entry = cache.put(extraction.article, extraction)
    found = cache.get(extraction.article)
    assert found is not None and found.entry == entry
    assert found.extraction == replace(extraction, article=extraction.article.without_text())
    assert ExtractionCache(tmp_path, "another pipeline").get(extraction.article) is None


def _entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _corrupt(entry: Path, how: str) -> None:
    data = json.loads(entry.read_bytes())
    if how == "truncated":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    elif how == "not json":
        entry.write_bytes(b"\x80\x05not json at all")
    elif how == "foreign version":
        entry.write_text(json.dumps({**data, "version": 999}), encoding="utf-8")
    elif how == "wrong type":
        data["extraction"]["mentions"][0]["start"] = "0"
        entry.write_text(json.dumps(data), encoding="utf-8")
    elif how == "unknown field":
        data["extraction"]["mentions"][0]["__class__"] = "os.system"
        entry.write_text(json.dumps(data), encoding="utf-8")
    elif how == "unknown class":
        data["extraction"]["mentions"][0]["entity_class"] = "Weapon"
        entry.write_text(json.dumps(data), encoding="utf-8")
    elif how == "offsets off the text":
        data["extraction"]["mentions"][0]["start"] += 1
        entry.write_text(json.dumps(data), encoding="utf-8")
    elif how == "another article":
        data["extraction"]["article"]["source_file"] = "other.txt"
        entry.write_text(json.dumps(data), encoding="utf-8")
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "truncated",
        "not json",
        "foreign version",
        "wrong type",
        "unknown field",
        "unknown class",
        "offsets off the text",
        "another article",
    ],
)
def test_cache_bad_entry_is_ignored_with_a_warning(extract, tmp_path, caplog, how):
    extraction = extract(TEXTS[0])
    cache = ExtractionCache(tmp_path, "fingerprint")
    cache.put(extraction.article, extraction)
    (entry,) = _entries(tmp_path)
    _corrupt(entry, how)
    with caplog.at_level(logging.WARNING, logger="kg.cache"):
        assert cache.get(extraction.article) is None
    assert f"ignoring the cache entry {entry}" in caplog.text
    assert "re-extracting" in caplog.text


def test_cache_missing_entry_is_no_warning(make_article, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="kg.cache"):
        assert ExtractionCache(tmp_path, "fingerprint").get(make_article("Hello.")) is None
    assert caplog.text == ""


def test_cache_planted_pickle_never_runs(tmp_path: Path, caplog):
    cache = tmp_path / "cache"
    marker = tmp_path / "ran"
    first = runner.invoke(
        app, ["build", str(ARTICLE), "--out", str(tmp_path / "a"), "--cache", str(cache)]
    )
    assert first.exit_code == 0, first.output
    entries = _entries(cache)
    assert entries
    for entry in entries:
        entry.write_bytes(pickle.dumps(Planted(marker), protocol=5))
    second = runner.invoke(
        app, ["build", str(ARTICLE), "--out", str(tmp_path / "b"), "--cache", str(cache)]
    )
    assert second.exit_code == 0, second.output
    assert not marker.exists()
    assert "from the cache" not in second.stdout  # re-extracted
    assert "ignoring the cache entry" in caplog.text
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # the fresh extraction replaced the planted entry
    assert all(entry.read_bytes().startswith(b"{") for entry in _entries(cache))


@pytest.mark.parametrize(
    "value",
    [
        None,
        [],
        {"article": {}},
        {"value": True, "qualifier": None},
    ],
)
def test_cache_json_refuses_what_is_no_extraction(value):
    with pytest.raises(RecordFormatError):
        extraction_from_json(value)


def test_cache_json_keeps_the_article_metadata(make_article):
    article = replace(make_article("x"), title="T", published=date(2020, 9, 9), authors=("A",))
    stored = extraction_from_json(extraction_to_json(ArticleExtraction(article)))
    assert stored.article == article.without_text()
    assert stored.article.published == date(2020, 9, 9)


def test_cache_a_bad_entry_is_reported_like_the_cli_s_warnings(tmp_path):
    """The library's warning reaches the user as 'warning: …' on stderr, like the CLI's own."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "story.txt").write_text("Troops left Kabul on Monday.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["build", str(folder), "--out", str(out)]).exit_code == 0
    for entry in (out / ".cache").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    (out / "graph.ttl").unlink()  # else nothing changed and nothing is read
    result = CliRunner().invoke(app, ["build", str(folder), "--out", str(out)])
    assert result.exit_code == 0
    assert "warning: ignoring the cache entry" in result.stderr
