"""What a writer of the union made of each subject, kept for the next build.

JSON-LD holds the union one node (subject) at a time, and what it writes of
a subject depends on the subject's triples only (its N-Triples lines, in
order). After an edit few subjects' lines change, so the writer keeps the
text of every subject in a file beside the store, in subject order, and
the next build reads that file alongside the union: a subject whose lines
are the same takes its text from it, the others are made afresh. Memory
holds one subject at a time, as the writer does.

Each kept text carries a key (a digest of the writer's recipe and the
subject's lines) and a check (a digest of the key and the text): a text is
taken only when both hold, so a damaged or stale file costs the making of
some subjects, never a wrong output.

A rebuild need not even read the union: beside the pieces a small file
names the state of the store they were made of and the digest of their
file (`kept_state`). When that state is the one the build started from and
the file is whole, the pieces are walked in order and only the subjects
the build changed are made again (`KeptPieces.carry`), from their
statements in the store.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import struct
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NamedTuple

_HEAD = struct.Struct(">32s32sII")  # key, check, length of the subject, length of the text
_SIZES, _SIZES_AT = struct.Struct(">II"), 64  # the lengths alone, where they are in the head
MakeText = Callable[[bytes], bytes]  # a subject's N-Triples lines → its text
_NO_KEY = bytes(32)  # the key of a text kept without its lines: no lines' digest is this


def subject_lines(lines: Path) -> Iterator[tuple[bytes, bytes]]:
    """Sorted N-Triples lines, grouped: each subject and its lines.

    A subject's lines are consecutive, for each starts with the subject and a
    space; the subject (an IRI or a blank node) holds no space.
    """
    with lines.open("rb") as source:
        for subject, group in groupby(source, key=lambda line: line[: line.index(b" ")]):
            yield subject, b"".join(group)


def _state_path(pieces: Path) -> Path:
    return pieces.with_name(pieces.name + ".state")


def kept_state(pieces: Path, recipe: bytes) -> str | None:
    """The state of the store the pieces at `pieces` were made of, if they are whole and
    were made by the writer of this `recipe`."""
    try:
        state, made_by, digest = _state_path(pieces).read_text(encoding="ascii").split()
        with pieces.open("rb") as kept:
            whole = hashlib.file_digest(kept, "sha256").hexdigest() == digest
    except (OSError, ValueError):
        return None
    return state if whole and made_by == hashlib.sha256(recipe).hexdigest() else None


class KeptPieces:
    """The pieces of one writer: last build's, read in order, and this build's, written.

    Used as a context manager: the file of this build's pieces replaces the
    last one's only when the block ends without an error; then, with its
    digest, `state` is noted as the store's state they were made of.
    """

    def __init__(self, path: Path, recipe: bytes, *, state: str | None = None) -> None:
        self.path = path
        self.recipe = recipe
        self.state = state
        self.draft = path.with_name(path.name + ".part")
        self._old: mmap.mmap | None = None
        self._at = 0  # where the next old piece starts
        self._new: BinaryIO | None = None
        self._digest = hashlib.sha256()  # of the new file
        self._pending: _Piece | None = None  # the next old piece
        self._run = (0, 0)  # old pieces carried as they are, not yet written: their bytes

    def __enter__(self) -> KeptPieces:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.path.open("rb") as old:
                self._old = mmap.mmap(old.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # none, or empty
            self._old = None
        self._new = self.draft.open("wb")
        self._pending = self._read()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._old is not None:
            self._old.close()
        if self._new is not None:
            self._new.close()
        _state_path(self.path).unlink(missing_ok=True)
        if kind is None:
            os.replace(self.draft, self.path)
            if self.state is not None:
                made_by = hashlib.sha256(self.recipe).hexdigest()
                note = f"{self.state} {made_by} {self._digest.hexdigest()}\n"
                _state_path(self.path).write_text(note, encoding="ascii")
        else:
            self.draft.unlink(missing_ok=True)

    def piece(self, subject: bytes, lines: bytes, make: MakeText) -> bytes:
        """The text of `subject`, whose N-Triples are `lines`: the kept one, or `make(lines)`."""
        key = hashlib.sha256(self.recipe + b"\0" + lines).digest()
        text = self._kept(subject, key)
        if text is None:
            text = make(lines)
        self._write(subject, key, hashlib.sha256(key + text).digest(), text)
        return text

    def put(self, subject: bytes, text: bytes) -> None:
        """Keep `text` for `subject` without the key of its lines (a writer that made it
        without them): only `carry` takes it back, as the text of an unchanged subject."""
        self._write(subject, _NO_KEY, hashlib.sha256(_NO_KEY + text).digest(), text)

    def carry(
        self, changed: Iterable[bytes], lines_of: Callable[[bytes], bytes], make: MakeText
    ) -> Iterator[bytes]:
        """Every subject's text, in order: the kept pieces, kept again, but for the subjects
        `changed`, whose lines (`lines_of(subject)`, empty when it is gone) are made again.

        For last build's pieces (`kept_state`) of the store a build changed: the others'
        lines are those the pieces were made of.
        """
        for subject in [*sorted(changed), None]:
            while self._pending is not None and (
                subject is None or self._pending.subject < subject
            ):
                start, end = self._run
                if self._pending.start != end:
                    self._flush()
                    start = self._pending.start
                self._run = (start, self._pending.end)  # written with its neighbours
                yield self._pending.text
                self._pending = self._read()
            if subject is None:
                break
            if lines := lines_of(subject):
                yield self.piece(subject, lines, make)  # takes the kept piece if it is the same
            elif self._pending is not None and self._pending.subject == subject:
                self._pending = self._read()  # a subject that is gone
        self._flush()

    def _write(self, subject: bytes, key: bytes, check: bytes, text: bytes) -> None:
        self._flush()
        self._out(_HEAD.pack(key, check, len(subject), len(text)) + subject + text)

    def _flush(self) -> None:
        """Write the old pieces carried since the last write, in one go."""
        start, end = self._run
        if end > start and self._old is not None:
            self._out(self._old[start:end])
        self._run = (0, 0)

    def _out(self, data: bytes) -> None:
        assert self._new is not None, "KeptPieces is used in a with block"
        self._new.write(data)
        self._digest.update(data)

    def _kept(self, subject: bytes, key: bytes) -> bytes | None:
        """The old text of `subject` if it was made of the same lines and is whole."""
        while self._pending is not None and self._pending.subject < subject:
            self._pending = self._read()  # a subject that is gone
        if self._pending is None or self._pending.subject != subject:
            return None
        old = self._pending
        self._pending = self._read()
        assert self._old is not None  # a piece was read from it
        head = self._old[old.start : old.start + _SIZES_AT]  # its key, then its check
        if head[:32] != key or hashlib.sha256(key + old.text).digest() != head[32:]:
            return None
        return old.text

    def _read(self) -> _Piece | None:
        """The next old piece; None at the end or at damage."""
        old, start = self._old, self._at
        if old is None or start + _HEAD.size > len(old):
            return None
        subject_size, text_size = _SIZES.unpack_from(old, start + _SIZES_AT)
        middle = start + _HEAD.size + subject_size
        end = middle + text_size
        if end > len(old):
            return None
        self._at = end
        return _Piece(old[start + _HEAD.size : middle], old[middle:end], start, end)


class _Piece(NamedTuple):
    """One kept piece, and where its bytes are in the file (its key and check, read only
    when it is compared, are at its start)."""

    subject: bytes
    text: bytes
    start: int
    end: int
