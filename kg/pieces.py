"""What a writer of the union made of each subject, kept for the next build.

Turtle and JSON-LD hold the union one node (subject) at a time, and what
they write of a subject depends on the subject's triples only (its
N-Triples lines, in order). After an edit few subjects' lines change, so
each file is kept as written, beside the store (a hard link to it), with an
index of where each subject's text stands in it; the next build takes a
subject's text from there when its lines are the same, and makes the others
afresh. Memory holds the index and one subject's text at a time.

Each kept text has a key (a digest of the writer's recipe and the subject's
lines). The index and the file are taken only whole: a note beside them
holds their digests (and the writer's recipe and the state of the store
they were made of), so a damaged or stale file costs the making of some
subjects, never a wrong output.

A rebuild need not even read the union: when the store's state in the note
is the one the build started from (`kept_state`), the kept file is copied
in runs and only the subjects the build changed are made again
(`KeptPieces.carry`), from their statements in the store; a run of
unchanged subjects costs one copy, not a step per subject.
"""

from __future__ import annotations

import bisect
import hashlib
import mmap
import os
import shutil
import struct
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np

MakeText = Callable[[bytes], bytes]  # a subject's N-Triples lines → its text
_KEY = 32  # bytes of a key
_NO_KEY = bytes(_KEY)  # the key of a text kept without its lines: no lines' digest is this
_INDEX_HEAD = struct.Struct("<QQ")  # subjects, bytes of their names
_SPAN = np.dtype("<u8")  # where a text starts and ends in its file


class DamagedPieces(ValueError):
    """The kept file or its index is not as written: a writer cannot carry it."""


@dataclass(frozen=True)
class Frame:
    """What a file holds around and between its subjects' texts."""

    head: bytes
    first: bytes = b""  # before the first text
    between: bytes = b""  # between two texts
    last: bytes = b""  # after the last text
    empty: bytes = b""  # after the head when there is no text


def subject_lines(lines: Path) -> Iterator[tuple[bytes, bytes]]:
    """Sorted N-Triples lines, grouped: each subject and its lines.

    A subject's lines are consecutive, for each starts with the subject and a
    space; the subject (an IRI or a blank node) holds no space.
    """
    with lines.open("rb") as source:
        for subject, group in groupby(source, key=lambda line: line[: line.index(b" ")]):
            yield subject, b"".join(group)


def _note_path(pieces: Path) -> Path:
    return pieces.with_name(pieces.name + ".state")


def _text_path(pieces: Path) -> Path:
    return pieces.with_name(pieces.name + ".text")


def _made_by(recipe: bytes) -> str:
    return hashlib.sha256(recipe).hexdigest()


@dataclass(frozen=True)
class _Note:
    """What the note beside the pieces says of them."""

    state: str
    made_by: str
    index_digest: str
    text_digest: str
    index_size: int
    text_size: int

    @classmethod
    def read(cls, pieces: Path) -> _Note | None:
        try:
            state, made_by, index_digest, text_digest, index_size, text_size = (
                _note_path(pieces).read_text(encoding="ascii").split()
            )
            return cls(state, made_by, index_digest, text_digest, int(index_size), int(text_size))
        except (OSError, ValueError):
            return None

    def sizes_hold(self, pieces: Path) -> bool:
        try:
            return (pieces.stat().st_size, _text_path(pieces).stat().st_size) == (
                self.index_size,
                self.text_size,
            )
        except OSError:
            return False


def kept_state(pieces: Path, recipe: bytes) -> str | None:
    """The state of the store the pieces at `pieces` were made of, if they were made by the
    writer of this `recipe` and are of the sizes written (their digests are checked when
    they are read: `KeptPieces`, which raises `DamagedPieces` then)."""
    note = _Note.read(pieces)
    if note is None or note.made_by != _made_by(recipe) or not note.sizes_hold(pieces):
        return None
    return note.state


class _Kept:
    """Last build's file and its index: subjects in order, their keys and spans."""

    def __init__(self, pieces: Path, note: _Note) -> None:
        index = pieces.read_bytes()
        if hashlib.sha256(index).hexdigest() != note.index_digest:
            raise DamagedPieces(pieces)
        count, names = _INDEX_HEAD.unpack_from(index)
        at = _INDEX_HEAD.size
        self.subjects = index[at : at + names].split(b"\n") if count else []
        at += names
        self.keys = index[at : at + _KEY * count]
        self.spans = np.frombuffer(index, dtype=_SPAN, count=2 * count, offset=at + _KEY * count)
        if len(self.subjects) != count or len(self.keys) != _KEY * count:
            raise DamagedPieces(pieces)
        with _text_path(pieces).open("rb") as text:
            if hashlib.file_digest(text, "sha256").hexdigest() != note.text_digest:
                raise DamagedPieces(_text_path(pieces))
            self.text: mmap.mmap | bytes = (
                mmap.mmap(text.fileno(), 0, access=mmap.ACCESS_READ) if note.text_size else b""
            )
        if count and int(self.spans.max()) > len(self.text):
            raise DamagedPieces(pieces)

    def key(self, index: int) -> bytes:
        return self.keys[_KEY * index : _KEY * (index + 1)]

    def text_of(self, index: int) -> bytes:
        return self.text[int(self.spans[2 * index]) : int(self.spans[2 * index + 1])]

    def close(self) -> None:
        if isinstance(self.text, mmap.mmap):
            self.text.close()


class _Written:
    """The new file, written in order, and its index as it grows."""

    def __init__(self, out: BinaryIO, frame: Frame) -> None:
        self.out, self.frame = out, frame
        self.at = 0
        self.digest = hashlib.sha256()
        self.subjects: list[bytes] = []
        self.keys: list[bytes] = []
        self.spans = array("Q")
        self._bytes(frame.head)

    def text(self, subject: bytes, key: bytes, text: bytes) -> None:
        self._bytes(self.frame.between if self.subjects else self.frame.first)
        start = self.at
        self._bytes(text)
        self.subjects.append(subject)
        self.keys.append(key)
        self.spans.extend((start, self.at))

    def run(self, kept: _Kept, first: int, end: int) -> None:
        """Kept texts `first`…`end`-1 as they stand, with what is between them, in one copy."""
        if first == end:
            return
        self._bytes(self.frame.between if self.subjects else self.frame.first)
        old_start, old_end = int(kept.spans[2 * first]), int(kept.spans[2 * end - 1])
        shift = self.at - old_start
        self._bytes(memoryview(kept.text)[old_start:old_end])
        self.subjects.extend(kept.subjects[first:end])
        self.keys.append(kept.keys[_KEY * first : _KEY * end])
        moved = kept.spans[2 * first : 2 * end].astype(np.int64) + shift
        self.spans.frombytes(moved.astype(np.uint64).tobytes())

    def close(self) -> None:
        self._bytes(self.frame.last if self.subjects else self.frame.empty)

    def index(self) -> bytes:
        return _index(self.subjects, self.keys, self.spans)

    def _bytes(self, data: bytes | memoryview) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.at += len(data)


class KeptPieces:
    """One writer's file: last build's, kept with its index, and this build's, written.

    Used as a context manager. `write` or `carry` writes the new file (in its
    `frame`) to a path of the caller's; `index` notes one the caller wrote.
    When the block ends without an error, the new file is kept (linked) with
    its index in place of the last ones, and `state` is noted as the store's
    state they were made of; else last build's stay as they were.
    """

    def __init__(self, path: Path, recipe: bytes, frame: Frame, *, state: str) -> None:
        self.path = path
        self.recipe = recipe
        self.frame = frame
        self.state = state
        self._kept: _Kept | None = None
        self._damage: DamagedPieces | None = None
        self._made: tuple[Path, bytes, str] | None = None  # the file, its index, its digest

    def __enter__(self) -> KeptPieces:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        note = _Note.read(self.path)
        if note is not None and note.made_by == _made_by(self.recipe):
            try:
                self._kept = _Kept(self.path, note)
            except (OSError, ValueError, struct.error) as damage:
                self._damage = DamagedPieces(damage)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._kept is not None:
            self._kept.close()
        if kind is not None or self._made is None:
            return  # last build's are still whole: taken by key, if not carried
        written, index, digest = self._made
        _note_path(self.path).unlink(missing_ok=True)  # the files change
        _replace_bytes(self.path, index)
        _replace_with_link(_text_path(self.path), written)
        sizes = f"{len(index)} {written.stat().st_size}"
        note = f"{self.state} {_made_by(self.recipe)} {_digest(index)} {digest} {sizes}\n"
        _note_path(self.path).write_text(note, encoding="ascii")

    def write(self, path: Path, subjects: Iterable[tuple[bytes, bytes, MakeText]]) -> None:
        """Write to `path` the text of each (subject, its N-Triples lines, how to make its
        text), in order: the kept one when the lines are the same, else made."""
        with path.open("wb") as out:
            written = _Written(out, self.frame)
            cursor = 0
            for subject, lines, make in subjects:
                cursor = self._seek(subject, cursor)
                key = self._key(lines)
                written.text(subject, key, self._text(subject, key, cursor) or make(lines))
            written.close()
        self._made = (path, written.index(), written.digest.hexdigest())

    def carry(
        self,
        path: Path,
        changed: Iterable[bytes],
        lines_of: Callable[[bytes], bytes],
        make: MakeText,
    ) -> None:
        """Write to `path` every subject's text, in order: the kept texts, copied in runs,
        but for the subjects `changed`, whose lines (`lines_of(subject)`, empty when it is
        gone) are made again.

        For last build's pieces (`kept_state`) of the store a build changed: the others'
        lines are those the texts were made of. Raises `DamagedPieces` when they are not whole.
        """
        kept = self._kept
        if kept is None:
            raise self._damage or DamagedPieces(self.path)
        with path.open("wb") as out:
            written = _Written(out, self.frame)
            cursor = 0
            for subject in sorted(changed):
                at = bisect.bisect_left(kept.subjects, subject, lo=cursor)
                written.run(kept, cursor, at)
                cursor = at
                if lines := lines_of(subject):
                    key = self._key(lines)
                    written.text(subject, key, self._text(subject, key, cursor) or make(lines))
                if cursor < len(kept.subjects) and kept.subjects[cursor] == subject:
                    cursor += 1  # made again, or gone
            written.run(kept, cursor, len(kept.subjects))
            written.close()
        self._made = (path, written.index(), written.digest.hexdigest())

    def index(self, path: Path, spans: Iterable[tuple[bytes, int, int]]) -> None:
        """Note the file at `path`, written whole by the caller in `frame`, whose subjects'
        texts stand at `spans` (subject, start, end), in order."""
        subjects, where = [], array("Q")
        for subject, start, end in spans:
            subjects.append(subject)
            where.extend((start, end))
        with path.open("rb") as written:
            digest = hashlib.file_digest(written, "sha256").hexdigest()
        self._made = (path, _index(subjects, [_NO_KEY * len(subjects)], where), digest)

    def _key(self, lines: bytes) -> bytes:
        return hashlib.sha256(self.recipe + b"\0" + lines).digest()

    def _seek(self, subject: bytes, cursor: int) -> int:
        """Where `subject` is, or would be, among the kept subjects, from `cursor` on."""
        kept = self._kept
        if kept is None:
            return cursor
        while cursor < len(kept.subjects) and kept.subjects[cursor] < subject:
            cursor += 1
        return cursor

    def _text(self, subject: bytes, key: bytes, at: int) -> bytes | None:
        """The kept text of `subject` (at `at`) if it was made of the same lines."""
        kept = self._kept
        if kept is None or at >= len(kept.subjects) or kept.subjects[at] != subject:
            return None
        return kept.text_of(at) if kept.key(at) == key else None


def _index(subjects: list[bytes], keys: Iterable[bytes], spans: array[int]) -> bytes:
    """The index of a file: its subjects, their keys (in blocks) and their texts' spans."""
    names = b"\n".join(subjects)
    head = _INDEX_HEAD.pack(len(subjects), len(names))
    return b"".join((head, names, *keys, np.asarray(spans, dtype=_SPAN).tobytes()))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _replace_bytes(path: Path, data: bytes) -> None:
    draft = path.with_name(path.name + ".part")
    draft.write_bytes(data)
    os.replace(draft, path)


def _replace_with_link(path: Path, target: Path) -> None:
    """`path` made the same file as `target` (a hard link: no copy), or a copy of it where
    links cannot be made (another file system)."""
    draft = path.with_name(path.name + ".part")
    draft.unlink(missing_ok=True)
    try:
        os.link(target, draft)
    except OSError:
        shutil.copyfile(target, draft)
    os.replace(draft, path)
