"""A memo is taken back only when made of the same input, whole, and of the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.buildstore import StoreChanges
from kg.memo import Memos, memo_key


def test_memo_is_taken_only_under_its_key_and_whole(tmp_path: Path):
    memos = Memos(tmp_path)
    key = memo_key("layout", 3, [(0, 1, 1.0)])
    memos.write("layout.json", key, b"[[0, 0]]")
    assert memos.read("layout.json", key) == b"[[0, 0]]"
    assert memos.read("layout.json", memo_key("layout", 4, [(0, 1, 1.0)])) is None
    assert memos.read("other.json", key) is None
    data = (tmp_path / "layout.json").read_bytes()
    (tmp_path / "layout.json").write_bytes(data.replace(b"[[0, 0]]", b"[[9, 9]]"))
    assert memos.read("layout.json", key) is None


def _saved(tmp_path: Path) -> None:
    memos = Memos(tmp_path, state="s1")
    table = memos.table("details.json", "drawn nodes")
    table.put("iraq", {"label": "Iraq"}, subjects={"<urn:iraq>"}, graphs={"urn:a"})
    table.put("taji", {"label": "Camp Taji"}, subjects={"<urn:taji>", "<urn:iraq>"}, graphs=set())
    table.put("kuwait", {"label": "Kuwait"}, subjects={"<urn:kuwait>"}, graphs={"urn:b"})
    memos.save()


@pytest.mark.parametrize(
    ("subjects", "graphs", "kept"),
    [
        (set(), set(), {"iraq", "taji", "kuwait"}),
        ({b"<urn:iraq>"}, set(), {"kuwait"}),  # what read Iraq's statements is made again
        ({b"<urn:basra>"}, {"urn:a"}, {"taji", "kuwait"}),  # or a graph it read whole
    ],
)
def test_memo_table_keeps_the_results_that_read_nothing_changed(
    tmp_path: Path, subjects: set[bytes], graphs: set[str], kept: set[str]
):
    _saved(tmp_path)
    changes = StoreChanges(before="s1", graphs=frozenset(graphs), subjects=frozenset(subjects))
    table = Memos(tmp_path, state="s2", changes=changes).table("details.json", "drawn nodes")
    assert {key for key in ("iraq", "taji", "kuwait") if table.get(key) is not None} == kept


@pytest.mark.parametrize(
    ("before", "basis"),
    [("s0", "drawn nodes"), ("s1", "other drawn nodes")],  # another store, another basis
)
def test_memo_table_of_another_store_or_basis_is_not_taken(tmp_path: Path, before: str, basis: str):
    _saved(tmp_path)
    changes = StoreChanges(before=before, graphs=frozenset(), subjects=frozenset())
    table = Memos(tmp_path, state="s2", changes=changes).table("details.json", basis)
    assert table.get("iraq") is None


def test_memo_table_saves_only_what_this_build_used(tmp_path: Path):
    _saved(tmp_path)
    changes = StoreChanges(before="s1", graphs=frozenset(), subjects=frozenset())
    memos = Memos(tmp_path, state="s2", changes=changes)
    assert memos.table("details.json", "drawn nodes").get("iraq") == {"label": "Iraq"}
    memos.save()  # Taji and Kuwait are no longer drawn
    again = StoreChanges(before="s2", graphs=frozenset(), subjects=frozenset())
    table = Memos(tmp_path, state="s3", changes=again).table("details.json", "drawn nodes")
    assert (table.get("iraq"), table.get("taji")) == ({"label": "Iraq"}, None)
