"""A writer's kept pieces are taken only for a subject whose lines are the same, and whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pieces import KeptPieces, subject_lines

KG = "https://w3id.org/newskg/ontology#"
LINES = {
    "iraq": f'<urn:iraq> <{KG}label> "Iraq" .\n<urn:iraq> <{KG}demonym> "Iraqi" .\n',
    "kuwait": f'<urn:kuwait> <{KG}label> "Kuwait" .\n',
    "taji": f'<urn:taji> <{KG}label> "Camp Taji" .\n<urn:taji> <{KG}locatedIn> <urn:iraq> .\n',
}


def _union(tmp_path: Path, **lines: str) -> Path:
    path = tmp_path / "union.nt"
    path.write_text("".join(lines[name] for name in sorted(lines)), encoding="utf-8")
    return path


def _write(kept: Path, union: Path, recipe: bytes = b"recipe") -> tuple[list[bytes], list[str]]:
    """The pieces of every subject of `union`, and the subjects that had to be made."""
    made: list[str] = []

    def make(lines: bytes) -> bytes:
        made.append(lines.split(b" ", 1)[0].decode())
        return b"text of " + lines

    with KeptPieces(kept, recipe) as pieces:
        texts = [pieces.piece(s, group, make) for s, group in subject_lines(union)]
    return texts, made


def test_pieces_subject_lines_groups_each_subject(tmp_path: Path):
    groups = list(subject_lines(_union(tmp_path, **LINES)))
    assert groups == [(f"<urn:{n}>".encode(), LINES[n].encode()) for n in sorted(LINES)]


def test_pieces_only_changed_subjects_are_made_again(tmp_path: Path):
    kept = tmp_path / "kept.pieces"
    first, made = _write(kept, _union(tmp_path, **LINES))
    assert made == ["<urn:iraq>", "<urn:kuwait>", "<urn:taji>"]
    again, made = _write(kept, _union(tmp_path, **LINES))
    assert (again, made) == (first, [])

    changed = {**LINES, "kuwait": LINES["kuwait"].replace("Kuwait", "State of Kuwait")}
    del changed["iraq"]
    changed["basra"] = f'<urn:basra> <{KG}label> "Basra" .\n'
    texts, made = _write(kept, _union(tmp_path, **changed))
    assert made == ["<urn:basra>", "<urn:kuwait>"]
    assert texts[-1] == first[-1] and b"State of Kuwait" in texts[1]


def test_pieces_of_another_recipe_are_not_taken(tmp_path: Path):
    kept = tmp_path / "kept.pieces"
    _write(kept, _union(tmp_path, **LINES))
    _, made = _write(kept, _union(tmp_path, **LINES), recipe=b"another writer")
    assert len(made) == 3


@pytest.mark.parametrize("damage", ["a text", "truncated", "garbage", "empty"])
def test_pieces_a_damaged_file_costs_a_making_never_a_wrong_text(tmp_path: Path, damage: str):
    kept = tmp_path / "kept.pieces"
    first, _ = _write(kept, _union(tmp_path, **LINES))
    data = kept.read_bytes()
    if damage == "a text":
        data = data.replace(b"Camp Taji", b"Camp Tajo")
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = b"\xff" * len(data)
    else:
        data = b""
    kept.write_bytes(data)
    texts, made = _write(kept, _union(tmp_path, **LINES))
    assert texts == first and made
    assert _write(kept, _union(tmp_path, **LINES))[1] == []  # whole again


def test_pieces_a_failed_write_keeps_the_last_pieces(tmp_path: Path):
    kept = tmp_path / "kept.pieces"
    _write(kept, _union(tmp_path, **LINES))
    before = kept.read_bytes()
    with pytest.raises(RuntimeError), KeptPieces(kept, b"recipe") as pieces:
        pieces.piece(b"<urn:x>", b"<urn:x> <urn:p> <urn:o> .\n", lambda lines: b"x")
        raise RuntimeError("the writer failed")
    assert kept.read_bytes() == before
    assert not kept.with_name(kept.name + ".part").exists()
