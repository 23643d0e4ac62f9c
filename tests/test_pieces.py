"""A writer's kept file gives back a subject's text only when its lines are the same and the
file and its index are whole; an edit copies the unchanged subjects' texts in runs."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from kg.pieces import DamagedPieces, Frame, KeptPieces, kept_state, subject_lines

KG = "https://w3id.org/newskg/ontology#"
LINES = {
    "iraq": f'<urn:iraq> <{KG}label> "Iraq" .\n<urn:iraq> <{KG}demonym> "Iraqi" .\n',
    "kuwait": f'<urn:kuwait> <{KG}label> "Kuwait" .\n',
    "taji": f'<urn:taji> <{KG}label> "Camp Taji" .\n<urn:taji> <{KG}locatedIn> <urn:iraq> .\n',
}
FRAME = Frame(head=b"HEAD\n[", first=b"\n  ", between=b",\n  ", last=b"\n]\n", empty=b"]\n")


def _union(tmp_path: Path, **lines: str) -> Path:
    path = tmp_path / "union.nt"
    path.write_text("".join(lines[name] for name in sorted(lines)), encoding="utf-8")
    return path


class _Maker:
    """Makes a subject's text of its lines, and notes the subjects it made."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def __call__(self, lines: bytes) -> bytes:
        self.made.append(lines.split(b" ", 1)[0].decode())
        return b"text of " + lines.replace(b"\n", b" ")


def _write(
    kept: Path, union: Path, recipe: bytes = b"recipe", state: str = "s1"
) -> tuple[bytes, list[str]]:
    """The file written of every subject of `union`, and the subjects that had to be made."""
    make, out = _Maker(), kept.parent / f"out-{state}"
    with KeptPieces(kept, recipe, FRAME, state=state) as pieces:
        pieces.write(out, ((s, group, make) for s, group in subject_lines(union)))
    return out.read_bytes(), make.made


def _carry(kept: Path, union: Path, changed: set[str], state: str) -> tuple[bytes, list[str]]:
    """The file written from the kept one, with the subjects `changed` read from `union`."""
    lines = {subject: group for subject, group in subject_lines(union)}
    make, out = _Maker(), kept.parent / f"out-{state}"
    with KeptPieces(kept, b"recipe", FRAME, state=state) as pieces:
        changes = {f"<urn:{name}>".encode() for name in changed}
        pieces.carry(out, changes, lambda subject: lines.get(subject, b""), make)
    return out.read_bytes(), make.made


def test_pieces_subject_lines_groups_each_subject(tmp_path: Path):
    groups = list(subject_lines(_union(tmp_path, **LINES)))
    assert groups == [(f"<urn:{n}>".encode(), LINES[n].encode()) for n in sorted(LINES)]


def test_pieces_only_changed_subjects_are_made_again(tmp_path: Path):
    kept = tmp_path / "kept.pieces"
    first, made = _write(kept, _union(tmp_path, **LINES))
    assert made == ["<urn:iraq>", "<urn:kuwait>", "<urn:taji>"]
    assert first.startswith(b"HEAD\n[\n  text of <urn:iraq>") and first.endswith(b"\n]\n")
    again, made = _write(kept, _union(tmp_path, **LINES), state="s2")
    assert (again, made) == (first, [])

    changed = {**LINES, "kuwait": LINES["kuwait"].replace("Kuwait", "State of Kuwait")}
    del changed["iraq"]
    changed["basra"] = f'<urn:basra> <{KG}label> "Basra" .\n'
    written, made = _write(kept, _union(tmp_path, **changed), state="s3")
    assert made == ["<urn:basra>", "<urn:kuwait>"]
    assert b"State of Kuwait" in written and b"text of <urn:iraq>" not in written


@pytest.mark.parametrize("edit", ["first", "middle", "last", "added first", "gone", "all gone"])
def test_pieces_an_edit_carried_in_runs_equals_the_file_written_whole(tmp_path: Path, edit: str):
    names = ["alpha", "bravo", "charlie", "delta", "echo"]
    lines = {name: f'<urn:{name}> <{KG}label> "{name}" .\n' for name in names}
    kept = tmp_path / "kept.pieces"
    _write(kept, _union(tmp_path, **lines))
    assert kept_state(kept, b"recipe") == "s1"
    changed = {"first": {"alpha"}, "middle": {"charlie"}, "last": {"echo"}}.get(edit, set())
    edited = dict(lines)
    for name in changed:
        edited[name] = edited[name].replace(f'"{name}"', f'"{name} again"')
    if edit == "added first":
        changed, edited["aardvark"] = {"aardvark"}, f'<urn:aardvark> <{KG}label> "a" .\n'
    if edit == "gone":
        changed = {"bravo", "delta"}
        del edited["bravo"], edited["delta"]
    if edit == "all gone":
        changed, edited = set(names), {}
    union = _union(tmp_path, **edited)
    carried, made = _carry(kept, union, changed, state="s2")
    assert made == sorted(f"<urn:{name}>" for name in changed if name in edited)
    assert kept_state(kept, b"recipe") == "s2"
    whole, _ = _write(tmp_path / "another.pieces", union)
    assert carried == whole
    # and what it kept is carried as well as what a whole writing kept
    assert _carry(kept, union, set(), state="s3") == (whole, [])


def test_pieces_a_file_noted_whole_is_carried(tmp_path: Path):
    written = tmp_path / "written"
    texts = [b"<urn:a> one\n", b"<urn:b> two\n"]
    written.write_bytes(FRAME.head + FRAME.first + texts[0] + FRAME.between + texts[1] + FRAME.last)
    kept = tmp_path / "kept.pieces"
    with KeptPieces(kept, b"recipe", FRAME, state="s1") as pieces:
        start = len(FRAME.head + FRAME.first)
        second = start + len(texts[0] + FRAME.between)
        spans = [(b"<urn:a>", start, start + len(texts[0])), (b"<urn:b>", second, second + 12)]
        pieces.index(written, spans)
    b = f'<urn:b> <{KG}label> "B" .\n'
    carried, made = _carry(kept, _union(tmp_path, b=b), {"b"}, state="s2")
    assert made == ["<urn:b>"]  # noted without its lines: made again when it changed
    b_text = b"text of " + b.encode().replace(b"\n", b" ")
    assert carried == FRAME.head + FRAME.first + texts[0] + FRAME.between + b_text + FRAME.last


def test_pieces_of_another_recipe_are_not_taken(tmp_path: Path):
    kept = tmp_path / "kept.pieces"
    _write(kept, _union(tmp_path, **LINES))
    assert kept_state(kept, b"another writer") is None
    _, made = _write(kept, _union(tmp_path, **LINES), recipe=b"another writer")
    assert len(made) == 3


@pytest.mark.parametrize("damage", ["a text", "a name", "truncated", "garbage", "empty"])
def test_pieces_a_damaged_file_costs_a_making_never_a_wrong_text(tmp_path: Path, damage: str):
    kept = tmp_path / "kept.pieces"  # a record a subject; beside it their names, and the file
    first, _ = _write(kept, _union(tmp_path, **LINES))
    names, text = kept.with_name(kept.name + ".names"), kept.with_name(kept.name + ".text")
    assert b"<urn:kuwait>" in names.read_bytes() and b"Camp Taji" in text.read_bytes()
    if damage == "a text":  # the same length: the sizes noted still hold
        text.write_bytes(text.read_bytes().replace(b"Camp Taji", b"Camp Tajo"))
    elif damage == "a name":
        names.write_bytes(names.read_bytes().replace(b"<urn:kuwait>", b"<urn:kuwaiu>"))
    elif damage == "truncated":
        kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])
    elif damage == "garbage":
        kept.write_bytes(b"\xff" * kept.stat().st_size)
    else:
        text.write_bytes(b"")
    with pytest.raises(DamagedPieces):
        _carry(kept, _union(tmp_path, **LINES), set(), state="s2")
    written, made = _write(kept, _union(tmp_path, **LINES), state="s3")
    assert written == first and made
    assert _write(kept, _union(tmp_path, **LINES), state="s4")[1] == []  # whole again


def test_pieces_a_failed_write_keeps_the_last_pieces(tmp_path: Path):
    kept = tmp_path / "kept.pieces"
    _write(kept, _union(tmp_path, **LINES))
    before = kept.read_bytes()
    with pytest.raises(RuntimeError), KeptPieces(kept, b"recipe", FRAME, state="s2") as pieces:
        pieces.write(tmp_path / "out", [(b"<urn:x>", b"<urn:x> <urn:p> <urn:o> .\n", _Maker())])
        raise RuntimeError("the writer failed")
    assert kept.read_bytes() == before
    assert kept_state(kept, b"recipe") == "s1"
    assert _write(kept, _union(tmp_path, **LINES), state="s3")[1] == []


def test_pieces_an_edit_of_a_large_file_holds_no_index_in_memory(tmp_path: Path):
    """Eight million subjects at 100,000 articles: their names and records stay on disk."""
    count = 200_000
    subjects = [f"<urn:s{n:07}>".encode() for n in range(count)]
    kept = tmp_path / "kept.pieces"
    with KeptPieces(kept, b"recipe", FRAME, state="s1") as pieces:
        make = _Maker()
        pieces.write(tmp_path / "whole", ((s, s + b" <urn:p> 1 .\n", make) for s in subjects))
    edited = subjects[count // 2]
    tracemalloc.start()
    with KeptPieces(kept, b"recipe", FRAME, state="s2") as pieces:
        pieces.carry(tmp_path / "carried", {edited}, lambda s: s + b" <urn:p> 2 .\n", _Maker())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 6 * 2**20  # a run's records at a time (twice 1 MB), not 200,000 names (25 MB)
    carried = (tmp_path / "carried").read_bytes()
    assert carried.count(b"text of ") == count and carried.count(b" 2 .") == 1
