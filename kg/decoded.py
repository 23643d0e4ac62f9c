"""Each article's extraction, pickled beside the build's store, so a rebuild need not decode it.

A rebuild after an edit takes the 999 unchanged articles' extractions from
the cache (`kg.uptodate.kept_extractions`); decoding their JSON entries
costs four times what unpickling them does. So the build keeps a copy of
each extraction in one pack file beside the store: records of the cache
entry's digest (which names the extraction), the digest of the pickle and
the pickle. One file, not one per article: a full build writes it in one
go, a rebuild appends the few extractions it made, and the pack is written
afresh only when most of it is of articles gone or edited.

A record is taken only when its pickle has its digest, so a damaged pack
costs the decoding, never a wrong extraction; a pack cut short (a build
killed while appending) is written afresh by the next build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import mmap
import os
import pickle
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.cache import CacheEntry
from kg.records import ArticleExtraction

PACK = "extractions.pack"  # in the store's folder
_RECORD = struct.Struct(">32s32sI")  # the cache entry's digest, the pickle's digest, its length


class DecodedPack:
    """The extractions kept in one store's pack, by their cache entries' digests."""

    def __init__(self, store_dir: Path) -> None:
        self.path = store_dir / PACK
        self._data: bytes | mmap.mmap = b""
        try:
            with self.path.open("rb") as pack:
                self._data = mmap.mmap(pack.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # none, or empty
            pass
        # entry digest → where its pickle starts, its length and digest
        self._records: dict[bytes, tuple[int, int, bytes]] = {}
        at = 0
        while at + _RECORD.size <= len(self._data):
            entry, check, size = _RECORD.unpack_from(self._data, at)
            start = at + _RECORD.size
            if start + size > len(self._data):
                break
            self._records[entry] = (start, size, check)
            at = start + size
        self._whole = at == len(self._data)  # it ends where its last record does

    def get(self, entry: CacheEntry) -> ArticleExtraction | None:
        """The extraction of `entry` kept in the pack, if it is there and whole."""
        found = self._records.get(bytes.fromhex(entry.digest))
        if found is None:
            return None
        start, size, check = found
        body = self._data[start : start + size]
        if hashlib.sha256(body).digest() != check:
            return None
        try:
            extraction = pickle.loads(body)  # written by `keep`, checked above
        except Exception:  # any unreadable record: the entry is decoded instead
            return None
        return extraction if isinstance(extraction, ArticleExtraction) else None

    def keep(
        self, extractions: Iterable[ArticleExtraction], entries: Mapping[str, CacheEntry]
    ) -> None:
        """Keep each extraction that has a cache entry (`entries`, by article name): append
        those the pack lacks, or write it afresh when most of it is of other entries."""
        wanted = {
            bytes.fromhex(entry.digest): extraction
            for extraction in extractions
            if (entry := entries.get(extraction.article.source_file)) is not None
        }
        missing = [digest for digest in wanted if digest not in self._records]
        unwanted = len(self._records.keys() - wanted.keys())
        if self._data and self._whole and unwanted <= len(wanted):
            if missing:
                with self.path.open("ab") as pack:
                    pack.writelines(_record(digest, _pickled(wanted[digest])) for digest in missing)
            self.close()
            return
        draft = self.path.with_name(PACK + ".part")
        with draft.open("wb") as pack:
            for digest, extraction in wanted.items():
                kept = self._records.get(digest)
                if kept is None:
                    pack.write(_record(digest, _pickled(extraction)))
                else:
                    start, size, check = kept
                    pack.write(_RECORD.pack(digest, check, size) + self._data[start : start + size])
        self.close()
        os.replace(draft, self.path)

    def close(self) -> None:
        if isinstance(self._data, mmap.mmap):
            self._data.close()
        self._data = b""


def _record(digest: bytes, body: bytes) -> bytes:
    return _RECORD.pack(digest, hashlib.sha256(body).digest(), len(body)) + body


class RecordPickler(pickle.Pickler):
    """Pickles a record (a frozen dataclass) as its class and fields: it is made again by
    calling the class, faster than the field-by-field `__setstate__` of slotted ones."""

    def reducer_override(self, obj: object) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            fields = dataclasses.fields(obj)
            if all(field.init for field in fields):
                return type(obj), tuple(getattr(obj, field.name) for field in fields)
        return NotImplemented


def _pickled(extraction: ArticleExtraction) -> bytes:
    out = io.BytesIO()
    RecordPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(extraction)
    return out.getvalue()
