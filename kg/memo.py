"""Results of the writers' pure functions, kept beside the build's store for the next build.

After an edit of one article most of what the writers compute is what they
computed last time: the page's layout, most drawn nodes' panels. A memo
keeps such a result with a key, a digest of everything it was computed
from (and of newskg's code), and is taken only when the key matches and the
file is whole; so a stale or damaged memo costs the computing, never a
wrong output. The same input therefore gives the same bytes, memo or not.

Some results depend on a few subjects of a large store (a drawn node's
panel on its own statements, its neighbours' names, its articles' graphs).
A `MemoTable` keeps each such result with what it read; a rebuild takes it
when the table was written of the store as the build found it and none of
what it read is among what the build changed (`kg.buildstore.StoreChanges`).

The build sets the memos for the writers it calls (`keeping`), so that
the view (`kg.view`) needs no argument to find them; outside a build there
are none and everything is computed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.atomic import atomic_write_bytes
from kg.buildstore import StoreChanges
from kg.cache import code_fingerprint
from kg.decoded import RecordPickler

MEMOS_DIR = "memos"  # in the store's folder


@functools.cache
def _code() -> bytes:
    return code_fingerprint().encode()


def memo_key(*parts: object) -> bytes:
    """A digest of `parts` (their `repr`) and newskg's code: what decides a memo's result."""
    return hashlib.sha256(_code() + b"\0" + repr(parts).encode()).digest()


@dataclass(frozen=True)
class Memos:
    """The memo files of one build folder, and what the build changed in its store."""

    folder: Path
    state: str = ""  # the store's state (`BuildStore.state`) the results are now of
    changes: StoreChanges | None = None  # what the build changed; None: not known
    tables: dict[str, MemoTable] = field(default_factory=dict)

    def table(self, name: str, basis: object) -> MemoTable:
        """The table `name` of results that also depend on `basis` (what all of them read),
        holding the kept results still true of the store; written when `keeping` ends.
        Asked again in the same build, the same table (with what was put in it)."""
        key = memo_key(name, basis)
        if name in self.tables and self.tables[name].key == key:
            return self.tables[name]
        kept: dict[str, Entry] = {}
        body = self.read(name, key) if self.changes is not None else None
        if body is not None and self.changes is not None:
            data = json.loads(body)
            if data["state"] == self.changes.before:
                changed = {subject.decode("utf-8") for subject in self.changes.subjects}
                graphs = self.changes.graphs
                kept = {
                    k: entry
                    for k, entry in data["results"].items()
                    if changed.isdisjoint(entry[0]) and graphs.isdisjoint(entry[1])
                }
        table = self.tables[name] = MemoTable(key, kept)
        return table

    def save(self) -> None:
        """Write every table, as of the store's present state."""
        for name, table in self.tables.items():
            body = {"state": self.state, "results": dict(sorted(table.used.items()))}
            self.write(name, table.key, json.dumps(body, ensure_ascii=False).encode("utf-8"))

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


Entry = tuple[list[str], list[str], Any]  # the subjects and graphs it read, the result


@dataclass
class MemoTable:
    """Results by key, each with the subjects (N-Triples terms) and graphs it read."""

    key: bytes
    kept: dict[str, Entry]
    used: dict[str, Entry] = field(default_factory=dict)  # what the next build may take

    def get(self, key: str) -> Any | None:
        """The result of `key` kept or put in this build, or None."""
        entry = self.used.get(key) or self.kept.get(key)
        if entry is None:
            return None
        self.used[key] = entry
        return entry[2]

    def put(self, key: str, result: Any, *, subjects: set[str], graphs: set[str]) -> None:
        """Keep `result` (JSON-ready), which read `subjects` and `graphs`."""
        self.used[key] = (sorted(subjects), sorted(graphs), result)


_CURRENT: ContextVar[Memos | None] = ContextVar("newskg_memos", default=None)


@contextmanager
def keeping(memos: Memos) -> Iterator[None]:
    """Within the block, the writers read and write `memos`; its tables are saved at the end
    of a block that raised nothing."""
    token = _CURRENT.set(memos)
    try:
        yield
    finally:
        _CURRENT.reset(token)
    memos.save()


def current_memos() -> Memos | None:
    """The memos of the build running in this context, or None (compute everything)."""
    return _CURRENT.get()


def keep_pickled(path: Path, key: object, value: object) -> None:
    """Keep `value` at `path` under `key` (what it was made for), for `kept_pickled`.

    Pickled straight to the file (a large archive's state is large), then its
    digest is written beside it: a file whose digest does not match is not taken.
    """
    check = _digest_path(path)
    check.unlink(missing_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as out:

        class Hashed:
            def write(self, data: bytes) -> int:
                digest.update(data)
                return out.write(data)

        RecordPickler(Hashed(), protocol=pickle.HIGHEST_PROTOCOL).dump((key, value))
    atomic_write_bytes(check, digest.hexdigest().encode("ascii"))


def kept_pickled(path: Path, key: object) -> Any | None:
    """The value kept at `path` under `key` if it is whole; else None."""
    try:
        data = path.read_bytes()
        whole = hashlib.sha256(data).hexdigest().encode("ascii") == _digest_path(path).read_bytes()
    except OSError:
        return None
    if not whole:
        return None
    try:
        kept_key, value = pickle.loads(data)  # written by keep_pickled, checked above
    except Exception:  # any unreadable file: what it held is made again
        return None
    return value if kept_key == key else None


def _digest_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")
