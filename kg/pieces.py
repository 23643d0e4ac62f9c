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
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

_HEAD = struct.Struct(">32s32sII")  # key, check, length of the subject, length of the text


def subject_lines(lines: Path) -> Iterator[tuple[bytes, bytes]]:
    """Sorted N-Triples lines, grouped: each subject and its lines.

    A subject's lines are consecutive, for each starts with the subject and a
    space; the subject (an IRI or a blank node) holds no space.
    """
    with lines.open("rb") as source:
        for subject, group in groupby(source, key=lambda line: line[: line.index(b" ")]):
            yield subject, b"".join(group)


class KeptPieces:
    """The pieces of one writer: last build's, read in order, and this build's, written.

    Used as a context manager: the file of this build's pieces replaces the
    last one's only when the block ends without an error.
    """

    def __init__(self, path: Path, recipe: bytes) -> None:
        self.path = path
        self.recipe = recipe
        self.draft = path.with_name(path.name + ".part")
        self._old: BinaryIO | None = None
        self._new: BinaryIO | None = None
        self._pending: tuple[bytes, bytes, bytes, bytes] | None = None  # the next old piece

    def __enter__(self) -> KeptPieces:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._old = self.path.open("rb")
        except OSError:
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
        if kind is None:
            os.replace(self.draft, self.path)
        else:
            self.draft.unlink(missing_ok=True)

    def piece(self, subject: bytes, lines: bytes, make: Callable[[bytes], bytes]) -> bytes:
        """The text of `subject`, whose N-Triples are `lines`: the kept one, or `make(lines)`."""
        key = hashlib.sha256(self.recipe + b"\0" + lines).digest()
        text = self._kept(subject, key)
        if text is None:
            text = make(lines)
        assert self._new is not None, "KeptPieces is used in a with block"
        check = hashlib.sha256(key + text).digest()
        self._new.write(_HEAD.pack(key, check, len(subject), len(text)) + subject + text)
        return text

    def _kept(self, subject: bytes, key: bytes) -> bytes | None:
        """The old text of `subject` if it was made of the same lines and is whole."""
        while self._pending is not None and self._pending[0] < subject:
            self._pending = self._read()  # a subject that is gone
        if self._pending is None or self._pending[0] != subject:
            return None
        _, old_key, check, text = self._pending
        self._pending = self._read()
        if old_key != key or hashlib.sha256(key + text).digest() != check:
            return None
        return text

    def _read(self) -> tuple[bytes, bytes, bytes, bytes] | None:
        """The next old piece (subject, key, check, text); None at the end or at damage."""
        if self._old is None:
            return None
        head = self._old.read(_HEAD.size)
        if len(head) < _HEAD.size:
            return None
        key, check, subject_size, text_size = _HEAD.unpack(head)
        subject = self._old.read(subject_size)
        text = self._old.read(text_size)
        if len(subject) < subject_size or len(text) < text_size:
            return None
        return subject, key, check, text
