"""Results of the writers' pure functions, kept beside the build's store for the next build.

After an edit of one article most of what the writers compute is what they
computed last time: the page's layout, most drawn nodes' panels. A memo
keeps such a result with a key, a digest of everything it was computed
from (and of newskg's code), and is taken only when the key matches and the
file is whole; so a stale or damaged memo costs the computing, never a
wrong output. The same input therefore gives the same bytes, memo or not.

The build sets the memos for the writers it calls (`keeping`), so that
the view (`kg.view`) needs no argument to find them; outside a build there
are none and everything is computed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from kg.atomic import atomic_write_bytes
from kg.cache import code_fingerprint

MEMOS_DIR = "memos"  # in the store's folder


@functools.cache
def _code() -> bytes:
    return code_fingerprint().encode()


def memo_key(*parts: object) -> bytes:
    """A digest of `parts` (their `repr`) and newskg's code: what decides a memo's result."""
    return hashlib.sha256(_code() + b"\0" + repr(parts).encode()).digest()


@dataclass(frozen=True)
class Memos:
    """The memo files of one build folder."""

    folder: Path

    def read(self, name: str, key: bytes) -> bytes | None:
        """The result kept as `name` if it was made under `key` and is whole, else None."""
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        check, kept_key, body = data[:32], data[32:64], data[64:]
        if kept_key != key or hashlib.sha256(key + body).digest() != check:
            return None
        return body

    def write(self, name: str, key: bytes, body: bytes) -> None:
        """Keep `body` as `name`, made under `key` (replacing what was kept)."""
        check = hashlib.sha256(key + body).digest()
        atomic_write_bytes(self.folder / name, check + key + body)


_CURRENT: ContextVar[Memos | None] = ContextVar("newskg_memos", default=None)


@contextmanager
def keeping(memos: Memos) -> Iterator[None]:
    """Within the block, the writers read and write `memos`."""
    token = _CURRENT.set(memos)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_memos() -> Memos | None:
    """The memos of the build running in this context, or None (compute everything)."""
    return _CURRENT.get()
