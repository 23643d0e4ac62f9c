"""What is kept in the user's cache: made once, read back after, made again when damaged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    configured_gazetteer,
    gazetteer_from_json,
    gazetteer_json,
    load_gazetteer,
)
from kg.user_cache import CACHE_HOME_VARIABLE, Codec, cache_folder, kept


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_HOME_VARIABLE, str(tmp_path))
    return tmp_path / "newskg"


def _names() -> Codec[list[str]]:
    """A codec of lists of names, reading back only such lists."""

    def read(data: bytes) -> list[str]:
        found = json.loads(data)
        if not isinstance(found, list) or not all(isinstance(n, str) for n in found):
            raise ValueError("not a list of names")
        return found

    return Codec(write=lambda names: json.dumps(names).encode(), read=read)


def test_kept_is_made_once_and_read_back(home: Path) -> None:
    made: list[str] = []

    def make() -> list[str]:
        made.append("made")
        return ["Camp Taji"]

    assert kept("bases", "recipe 1", make, _names()) == ["Camp Taji"]
    assert kept("bases", "recipe 1", make, _names()) == ["Camp Taji"]
    assert made == ["made"]
    assert cache_folder() == home and len(list(home.glob("bases-*.json"))) == 1
    kept("bases", "recipe 2", make, _names())  # another recipe: made again, replacing the first
    assert made == ["made", "made"] and len(list(home.glob("bases-*.json"))) == 1


def test_a_damaged_file_is_made_again(home: Path) -> None:
    kept("bases", "recipe", lambda: ["Fort Hale"], _names())
    (path,) = home.glob("bases-*.json")
    for damaged in (b"\xff\xfe not text", b'["Fort', b'{"a": 1}'):
        path.write_bytes(damaged)
        assert kept("bases", "recipe", lambda: ["Camp Ames"], _names()) == ["Camp Ames"]
        assert json.loads(path.read_bytes()) == ["Camp Ames"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_cannot_be_written_keeps_nothing(home: Path) -> None:
    home.parent.chmod(0o500)
    try:
        assert kept("bases", "recipe", lambda: ["Fort Hale"], _names()) == ["Fort Hale"]
        assert not home.exists()
    finally:
        home.parent.chmod(0o700)


def test_the_kept_gazetteer_is_the_one_assembled(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    (folder / "bases.ttl").write_text(
        "@prefix kg: <https://w3id.org/newskg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/newskg/id/base/fort-hale> a kg:MilitaryBase ;\n"
        '    rdfs:label "Fort Hale" .\n',
        encoding="utf-8",
    )
    configured_gazetteer.cache_clear()
    made = configured_gazetteer(folder, knowledge=False)
    configured_gazetteer.cache_clear()  # as a new process finds it: read from the cache
    read = configured_gazetteer(folder, knowledge=False)
    assert read is not made and isinstance(read, Gazetteer)
    assert read.entries == made.entries == load_gazetteer(folder).entries
    assert read.lookup("fort hale") == made.lookup("Fort Hale")
    assert len(list(home.glob("gazetteer.*.json"))) == 1
    other = tmp_path / "other"
    other.mkdir()
    (other / "bases.ttl").write_text(
        (folder / "bases.ttl").read_text(encoding="utf-8").replace("Fort Hale", "Camp Ames"),
        encoding="utf-8",
    )
    assert configured_gazetteer(other, knowledge=False).lookup("Camp Ames") is not None
    kept_files = sorted(home.glob("gazetteer.*.json"))
    assert len(kept_files) == 2  # another folder keeps its own, replacing none
    (folder / "bases.ttl").write_text(
        (folder / "bases.ttl").read_text(encoding="utf-8").replace("Fort Hale", "Fort Ames"),
        encoding="utf-8",
    )
    configured_gazetteer.cache_clear()  # the folder changed: assembled again, in its place
    assert configured_gazetteer(folder, knowledge=False).lookup("Fort Ames") is not None
    assert len(list(home.glob("gazetteer.*.json"))) == 2
    configured_gazetteer.cache_clear()


def test_without_a_home_nothing_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv(CACHE_HOME_VARIABLE, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache_folder() is None
    made: list[str] = []
    for _ in range(2):
        assert kept("bases", "recipe", lambda: made.append("made") or ["Fort Hale"], _names())
    assert made == ["made", "made"]


def test_a_kept_gazetteer_is_read_field_by_field() -> None:
    entries = [
        GazetteerEntry("base/fort-hale", "MilitaryBase", "Fort Hale", aliases=("FOB Hale",)),
        GazetteerEntry("place/ames", "Place", "Ames", located_in=("country/x",), origin="geonames"),
    ]
    data = gazetteer_json(Gazetteer(entries))
    assert list(gazetteer_from_json(data).entries.values()) == entries
    document = json.loads(data)
    # no such class, a text for a list, a list for a text, no such origin
    for row, field, value in ((0, 1, "Base"), (0, 3, "FOB Hale"), (0, 2, ["Fort"]), (1, 8, "x")):
        broken = json.loads(data)
        broken["entries"][row][field] = value
        with pytest.raises(ValueError):
            gazetteer_from_json(json.dumps(broken).encode())
    with pytest.raises(ValueError):
        gazetteer_from_json(json.dumps({**document, "format": "other"}).encode())
    with pytest.raises(ValueError):
        gazetteer_from_json(json.dumps({**document, "entries": [["base/x"]]}).encode())
