"""Named graphs as the store loads them: N-Quads bytes with a digest (`GraphChunk`).

Every graph reaches the build's store as a chunk: its name, its quads as
sorted N-Quads, and the digest of those bytes that the store's manifest
compares (`BuildStore.load` bulk-loads the chunks whose digest changed).
Bytes are compact and travel: on Dask each worker turns a batch of
`ArticleRecords` (an article's extraction and its share of the
resolution) into chunks (`graph_chunks`), so the driver never makes those
quads; a local build makes the same chunks in process.
"""

from __future__ import annotations

import hashlib
import io
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.atomic import atomic_writer
from kg.buildstore import Delta
from kg.graph import ArticleRecords, Described, GraphStatements, IriMinter, article_graph
from kg.sortruns import SortedRuns

WRITTEN_LINES = 10_000  # lines of a chunk written to its file at a time


@dataclass(frozen=True, slots=True)
class GraphChunk:
    """One named graph as the store loads it: its N-Quads held, or in a file (`written`)."""

    name: str  # the graph's IRI
    digest: str  # SHA-256 of its N-Quads: what the store's manifest compares
    nquads: bytes  # its quads as N-Quads, in a fixed order; b"" when `written` holds them
    # when it was patched (`patched_chunk`): the digest of the chunk patched, and how it differs
    patched: tuple[str, Delta] | None = None
    # when its N-Quads were written to a file as they were made (a shared graph of 100,000
    # articles is a gigabyte): that file, named <digest>.nq, and how many lines it holds
    written: tuple[Path, int] | None = None

    def lines(self) -> int:
        """How many quads it holds."""
        return self.written[1] if self.written else self.nquads.count(b"\n")

    def open(self) -> IO[bytes]:
        """Its N-Quads as a stream, read from its file when it has one."""
        return self.written[0].open("rb") if self.written else io.BytesIO(self.nquads)

    def whole(self) -> bytes:
        """Its N-Quads, read whole."""
        return self.written[0].read_bytes() if self.written else self.nquads


def graph_chunk(name: ox.NamedNode, quads: list[ox.Quad]) -> GraphChunk:
    """A graph's quads as a chunk; the same quads in any order give the same bytes."""
    return _chunk(name, sorted_nquads(quads))


def statements_chunk(graph: GraphStatements) -> GraphChunk:
    """`graph_chunk` of the graph's quads, made of their lines (the same bytes: lines sort
    as text as their UTF-8 bytes do)."""
    return _chunk(graph.name, "".join(sorted(graph.nquads_lines())).encode("utf-8"))


def _chunk(name: ox.NamedNode, nquads: bytes) -> GraphChunk:
    return GraphChunk(name.value, hashlib.sha256(nquads).hexdigest(), nquads)


def sorted_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """The quads' N-Quads with the lines sorted as bytes, which `patched_chunk` relies on (the
    order of the quads by `str` too: a line is that form and " .", and no form is the start of
    another); sorting the lines costs a third less than sorting the quads."""
    lines = (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").splitlines(keepends=True)
    lines.sort()
    return b"".join(lines)


def patched_chunk(
    name: ox.NamedNode, old: bytes, base: str, left: list[ox.Quad], arrived: list[ox.Quad]
) -> GraphChunk:
    """The chunk of a graph whose chunk was `old` (of digest `base`) once the quads `left` are
    gone and those `arrived` added: the bytes `graph_chunk` makes of its quads, without
    making them all. The lines are sorted, so each goes in or out at its place."""
    lines = old.split(b"\n")[:-1]  # each ends with one
    gone, new = set(_lines(left)), set(_lines(arrived))
    removed, added = [], []
    for line in sorted(gone - new):
        at = bisect_left(lines, line)
        if at < len(lines) and lines[at] == line:
            del lines[at]
            removed.append(line)
    for line in sorted(new):
        at = bisect_left(lines, line)
        if at == len(lines) or lines[at] != line:
            lines.insert(at, line)
            added.append(line)
    nquads = b"".join(line + b"\n" for line in lines)
    digest = hashlib.sha256(nquads).hexdigest()
    return GraphChunk(name.value, digest, nquads, (base, Delta(removed, added)))


def _lines(quads: list[ox.Quad]) -> list[bytes]:
    return (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").split(b"\n")[:-1]


def subjects_chunk(
    name: ox.NamedNode, subjects: Iterable[Described], folder: Path | None = None
) -> GraphChunk:
    """A graph given subject by subject as a chunk: the bytes `graph_chunk` makes of its
    quads, holding neither its quads nor its subjects all at once (a shared graph of
    100,000 articles has millions). Given a `folder`, the bytes are written there as they
    are made, to <digest>.nq (the chunk `written`), not held.

    Each subject's lines are sorted with the others' in bounded memory
    (`kg.sortruns`, its scratch files in `folder`): N-Quads lines of one graph
    sort as their quads' text does, which is the order `graph_chunk` writes.
    A subject given twice is one subject, its quads once each.
    """
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)  # its scratch files go there first
    with ExitStack() as stack:
        runs = SortedRuns(stack, folder)
        tail = f" {name} .\n"
        for node, describe in subjects:  # each line the terms' text, as Oxigraph writes it
            runs.add(f"{node} {predicate} {obj}{tail}" for predicate, obj in describe())
        if folder is None:
            nquads = "".join(runs.merged()).encode("utf-8")
            return GraphChunk(name.value, hashlib.sha256(nquads).hexdigest(), nquads)
        merged = runs.merged()
        with atomic_writer(folder, lambda: f"{counted.digest.hexdigest()}.nq") as out:
            counted = _Counted(out)
            while block := "".join(islice(merged, WRITTEN_LINES)):
                counted.write(block.encode("utf-8"))
    digest = counted.digest.hexdigest()
    return GraphChunk(name.value, digest, b"", written=(folder / f"{digest}.nq", counted.lines))


class _Counted:
    """A file written through, its bytes' digest and lines counted on the way."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.lines = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.lines += data.count(b"\n")
        return self.out.write(data)


def records_digest(records: ArticleRecords, recipe: str, extraction: str | None = None) -> str:
    """A digest of what `article_graph` makes an article's graph from; `recipe` names the rest
    (the code and the base IRI): two equal digests stand for one graph.

    The records are frozen dataclasses, tuples and strings, whose `repr` says all they hold.
    `extraction`, when given, is a digest that names the extraction as well (that of the cache
    entry it was read from) and spares writing it out.
    """
    parts = (recipe, extraction or records.extraction, sorted(records.entity_of.items()))
    return hashlib.sha256(repr((*parts, records.claims, records.roles)).encode()).hexdigest()


def graph_chunks(base_iri: str, batch: Sequence[ArticleRecords]) -> list[GraphChunk]:
    """The graph of every article in `batch`, in order, as chunks (a task for `Workers`)."""
    minter = IriMinter(base_iri)
    return [statements_chunk(article_graph(records, minter)) for records in batch]
