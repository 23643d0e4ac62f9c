"""What a writer of the union made of each subject, kept for the next build.

Turtle and JSON-LD hold the union one node (subject) at a time, and what
they write of a subject depends on the subject's triples only (its
N-Triples lines, in order). After an edit few subjects' lines change, so
each file is kept as written, beside the store (a hard link to it), with an
index of where each subject's text stands in it; the next build takes a
subject's text from there when its lines are the same, and makes the others
afresh. The index is written and read on disk, a record a subject (at
100,000 articles it names eight million subjects): memory holds one
subject's text, or one run's records, at a time.

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from types import TracebackType

import numpy as np

MakeText = Callable[[bytes], bytes]  # a subject's N-Triples lines → its text
_NO_KEY = bytes(32)  # the key of a text kept without its lines: no lines' digest is this
# A subject's record: where its name is in the names file, its key, where its text is.
_RECORD = struct.Struct("<QQ32sQQ")
_RECORDS = np.dtype(
    [("name", "<u8"), ("name_end", "<u8"), ("key", "V32"), ("start", "<u8"), ("end", "<u8")]
)
_RUN_RECORDS = 1 << 14  # records copied at a time (1 MB)


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


def _beside(pieces: Path, suffix: str) -> Path:
    return pieces.with_name(pieces.name + suffix)


def _files(pieces: Path) -> tuple[Path, Path, Path]:
    """The records, the names and the text: what the note vouches for."""
    return pieces, _beside(pieces, ".names"), _beside(pieces, ".text")


def _made_by(recipe: bytes) -> str:
    return hashlib.sha256(recipe).hexdigest()


@dataclass(frozen=True)
class _Note:
    """What the note beside the pieces says of them: the store's state and the writer they
    were made of, and the digest and size of each file."""

    state: str
    made_by: str
    files: tuple[tuple[str, int], ...]

    @classmethod
    def read(cls, pieces: Path) -> _Note | None:
        try:
            state, made_by, *files = _beside(pieces, ".state").read_text("ascii").split()
            digests, sizes = files[0::2], [int(size) for size in files[1::2]]
        except (OSError, ValueError):
            return None
        if len(files) != 6:
            return None
        return cls(state, made_by, tuple(zip(digests, sizes, strict=True)))

    def write(self, pieces: Path) -> None:
        files = " ".join(f"{digest} {size}" for digest, size in self.files)
        _beside(pieces, ".state").write_text(f"{self.state} {self.made_by} {files}\n", "ascii")

    def sizes_hold(self, pieces: Path) -> bool:
        try:
            sizes = tuple(path.stat().st_size for path in _files(pieces))
        except OSError:
            return False
        return sizes == tuple(size for _, size in self.files)


def kept_state(pieces: Path, recipe: bytes) -> str | None:
    """The state of the store the pieces at `pieces` were made of, if they were made by the
    writer of this `recipe` and are of the sizes written (their digests are checked when
    they are read: `KeptPieces`, which raises `DamagedPieces` then)."""
    note = _Note.read(pieces)
    if note is None or note.made_by != _made_by(recipe) or not note.sizes_hold(pieces):
        return None
    return note.state


class _Kept:
    """Last build's file and its index, mapped: a record and a name a subject, in order."""

    def __init__(self, pieces: Path, note: _Note) -> None:
        vouched = zip(_files(pieces), note.files, strict=True)
        self.records, self.names, self.text = (_mapped(path, d) for path, (d, _) in vouched)
        if len(self.records) % _RECORD.size:
            raise DamagedPieces(pieces)
        self.count = len(self.records) // _RECORD.size

    def record(self, index: int) -> tuple[int, int, bytes, int, int]:
        return _RECORD.unpack_from(self.records, index * _RECORD.size)  # type: ignore[return-value]

    def subject(self, index: int) -> bytes:
        name, name_end, *_ = self.record(index)
        return self.names[name:name_end]

    def close(self) -> None:
        for mapped in (self.records, self.names, self.text):
            if isinstance(mapped, mmap.mmap):
                mapped.close()


def _mapped(path: Path, digest: str) -> mmap.mmap | bytes:
    """The file at `path`, mapped, if it has this digest."""
    with path.open("rb") as file:
        if hashlib.file_digest(file, "sha256").hexdigest() != digest:
            raise DamagedPieces(path)
        if not os.fstat(file.fileno()).st_size:
            return b""
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


class _Hashed:
    """A file written with its digest and size kept as it grows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("wb")
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes | memoryview) -> None:
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)

    def vouched(self) -> tuple[str, int]:
        return self.digest.hexdigest(), self.size


class _Index:
    """This build's records and names, drafted beside the pieces as they are made."""

    def __init__(self, pieces: Path) -> None:
        self.records = _Hashed(_beside(pieces, ".part"))
        self.names = _Hashed(_beside(pieces, ".names.part"))
        self.count = 0

    def add(self, subject: bytes, key: bytes, start: int, end: int) -> None:
        name = self.names.size
        self.names.write(subject)
        self.records.write(_RECORD.pack(name, self.names.size, key, start, end))
        self.count += 1

    def copy(self, kept: _Kept, first: int, end: int, text_shift: int) -> None:
        """Kept records `first`…`end`-1, their names and texts moved as the new file has them."""
        name_start, name_end = kept.record(first)[0], kept.record(end - 1)[1]
        name_shift = self.names.size - name_start
        self.names.write(memoryview(kept.names)[name_start:name_end])
        for at in range(first, end, _RUN_RECORDS):
            count = min(_RUN_RECORDS, end - at)
            records = np.frombuffer(
                kept.records, dtype=_RECORDS, count=count, offset=at * _RECORD.size
            ).copy()
            for field, shift in (("name", name_shift), ("name_end", name_shift)):
                records[field] = records[field].astype(np.int64) + shift
            for field in ("start", "end"):
                records[field] = records[field].astype(np.int64) + text_shift
            self.records.write(records.tobytes())
        self.count += end - first

    def close(self) -> None:
        self.records.file.close()
        self.names.file.close()


class _Written:
    """The new file, written in order, and its index as it grows."""

    def __init__(self, out: _Hashed, frame: Frame, index: _Index) -> None:
        self.out, self.frame, self.index = out, frame, index
        out.write(frame.head)

    def text(self, subject: bytes, key: bytes, text: bytes) -> None:
        self.out.write(self.frame.between if self.index.count else self.frame.first)
        start = self.out.size
        self.out.write(text)
        self.index.add(subject, key, start, self.out.size)

    def run(self, kept: _Kept, first: int, end: int) -> None:
        """Kept texts `first`…`end`-1 as they stand, with what is between them, in one copy."""
        if first == end:
            return
        self.out.write(self.frame.between if self.index.count else self.frame.first)
        old_start, old_end = kept.record(first)[3], kept.record(end - 1)[4]
        shift = self.out.size - old_start
        self.out.write(memoryview(kept.text)[old_start:old_end])
        self.index.copy(kept, first, end, shift)

    def close(self) -> None:
        self.out.write(self.frame.last if self.index.count else self.frame.empty)


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
        self._index: _Index | None = None
        self._made: tuple[Path, tuple[str, int]] | None = None  # the file, its digest and size

    def __enter__(self) -> KeptPieces:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        note = _Note.read(self.path)
        if note is not None and note.made_by == _made_by(self.recipe):
            try:
                self._kept = _Kept(self.path, note)
            except (OSError, ValueError) as damage:
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
        index = self._index
        if index is not None:
            index.close()
        if kind is not None or self._made is None or index is None:
            for draft in (_beside(self.path, ".part"), _beside(self.path, ".names.part")):
                draft.unlink(missing_ok=True)
            return  # last build's are still whole: taken by key, if not carried
        written, vouched = self._made
        _beside(self.path, ".state").unlink(missing_ok=True)  # the files change
        os.replace(index.records.path, self.path)
        os.replace(index.names.path, _beside(self.path, ".names"))
        _replace_with_link(_beside(self.path, ".text"), written)
        files = (index.records.vouched(), index.names.vouched(), vouched)
        _Note(self.state, _made_by(self.recipe), files).write(self.path)

    def write(self, path: Path, subjects: Iterable[tuple[bytes, bytes, MakeText]]) -> None:
        """Write to `path` the text of each (subject, its N-Triples lines, how to make its
        text), in order: the kept one when the lines are the same, else made."""
        out = _Hashed(path)
        with out.file:
            written = _Written(out, self.frame, self._new_index())
            cursor = 0
            for subject, lines, make in subjects:
                cursor = self._seek(subject, cursor)
                key = self._key(lines)
                written.text(subject, key, self._text(subject, key, cursor) or make(lines))
            written.close()
        self._made = (path, out.vouched())

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
        out = _Hashed(path)
        with out.file:
            written = _Written(out, self.frame, self._new_index())
            cursor = 0
            for subject in sorted(changed):
                at = bisect.bisect_left(range(kept.count), subject, lo=cursor, key=kept.subject)
                written.run(kept, cursor, at)
                cursor = at
                if lines := lines_of(subject):
                    key = self._key(lines)
                    written.text(subject, key, self._text(subject, key, cursor) or make(lines))
                if cursor < kept.count and kept.subject(cursor) == subject:
                    cursor += 1  # made again, or gone
            written.run(kept, cursor, kept.count)
            written.close()
        self._made = (path, out.vouched())

    def index(self, path: Path, spans: Iterable[tuple[bytes, int, int]]) -> None:
        """Note the file at `path`, written whole by the caller in `frame`, whose subjects'
        texts stand at `spans` (subject, start, end), in order."""
        index = self._new_index()
        for subject, start, end in spans:
            index.add(subject, _NO_KEY, start, end)
        with path.open("rb") as written:
            digest = hashlib.file_digest(written, "sha256").hexdigest()
        self._made = (path, (digest, path.stat().st_size))

    def _new_index(self) -> _Index:
        self._index = _Index(self.path)
        return self._index

    def _key(self, lines: bytes) -> bytes:
        return hashlib.sha256(self.recipe + b"\0" + lines).digest()

    def _seek(self, subject: bytes, cursor: int) -> int:
        """Where `subject` is, or would be, among the kept subjects, from `cursor` on."""
        kept = self._kept
        if kept is None:
            return cursor
        while cursor < kept.count and kept.subject(cursor) < subject:
            cursor += 1
        return cursor

    def _text(self, subject: bytes, key: bytes, at: int) -> bytes | None:
        """The kept text of `subject` (at `at`) if it was made of the same lines."""
        kept = self._kept
        if kept is None or at >= kept.count:
            return None
        name, name_end, kept_key, start, end = kept.record(at)
        if kept.names[name:name_end] != subject or kept_key != key:
            return None
        return kept.text[start:end]


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
