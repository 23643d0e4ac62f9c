"""Write the build's files out of its store, in a fixed order, holding little in memory.

N-Quads and TriG go graph by graph (each graph's quads sorted); Turtle and
JSON-LD hold the union, whose triples are sorted with an external merge
sort (sorted runs on disk, merged), so a corpus far larger than memory
writes in bounded memory. The same store always gives the same bytes.
GraphML and the HTML view are drawn from an rdflib graph of the union
(`view_graph`).
"""

from __future__ import annotations

import heapq
import io
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import groupby
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from kg.buildstore import BuildStore
from kg.graph import rdflib_triple
from kg.jsonld import write_jsonld
from kg.layout import Format
from kg.namespaces import PREFIXES, bind_prefixes

RUN_LINES = 200_000  # lines sorted in memory at a time before they go to disk


def write_quads(store: BuildStore, path: Path, fmt: Format) -> None:
    """N-Quads or TriG: every graph in IRI order, each graph's quads in N-Quads order."""
    quads = (quad for name in store.graph_names() for quad in store.quads(name))
    _serialize(quads, path, ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)


def write_union(store: BuildStore, path: Path, fmt: Format, scratch: Path) -> None:
    """Turtle or JSON-LD of the union of every graph, each triple once, in N-Triples order."""
    with _SortedUnion(store, scratch) as lines:
        if fmt == "turtle":
            triples = ox.parse(_reader(lines), format=ox.RdfFormat.N_TRIPLES)
            _serialize(triples, path, ox.RdfFormat.TURTLE)
        else:
            with path.open("w", encoding="utf-8") as out:
                write_jsonld(ox.parse(_reader(lines), format=ox.RdfFormat.N_TRIPLES), out)


def view_graph(store: BuildStore, base_iri: str) -> Graph:
    """What GraphML and the HTML view draw from: the union, as an rdflib graph."""
    graph = Graph()
    bind_prefixes(graph, base_iri)
    for quad in store.store.quads_for_pattern(None, None, None):
        graph.add(rdflib_triple(quad))
    return graph


def store_dataset(store: BuildStore, base_iri: str) -> Dataset:
    """The whole store as an rdflib Dataset, for what reads rdflib (the SHACL check)."""
    dataset = Dataset()
    bind_prefixes(dataset, base_iri)
    for name in store.graph_names():
        graph = dataset.graph(URIRef(name.value))
        for quad in store.store.quads_for_pattern(None, None, None, name):
            graph.add(rdflib_triple(quad))
    return dataset


def _serialize(
    statements: Iterable[ox.Quad] | Iterable[ox.Triple], path: Path, fmt: ox.RdfFormat
) -> None:
    """Write with Oxigraph, then sort the `@prefix` lines it writes in hash order."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    draft = path.with_name(path.name + ".draft")
    with draft.open("wb") as out:
        ox.serialize(statements, out, fmt, prefixes=prefixes)
    with draft.open("rb") as source, path.open("wb") as target:
        header = []
        line = source.readline()
        while line.startswith(b"@prefix "):
            header.append(line)
            line = source.readline()
        target.writelines(sorted(header))
        target.write(line)
        while chunk := source.read(1 << 20):
            target.write(chunk)
    draft.unlink()


class _SortedUnion:
    """The union's N-Triples lines, sorted and without repeats (a context manager)."""

    def __init__(self, store: BuildStore, scratch: Path) -> None:
        self.store = store
        self.scratch = scratch
        self.stack = ExitStack()

    def __enter__(self) -> Iterator[str]:
        runs: list[IO[str]] = []
        lines: list[str] = []
        for quad in self.store.store.quads_for_pattern(None, None, None):
            lines.append(str(quad.triple) + " .\n")
            if len(lines) >= RUN_LINES:
                runs.append(self._run(lines))
                lines = []
        runs.append(self._run(lines))
        merged = heapq.merge(*runs)
        return (line for line, _ in groupby(merged))

    def _run(self, lines: list[str]) -> IO[str]:
        """One sorted run, written to a scratch file and read back lazily."""
        run = self.stack.enter_context(
            tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.scratch)
        )
        run.writelines(sorted(set(lines)))
        run.seek(0)
        return run

    def __exit__(self, *exc: object) -> None:
        self.stack.close()


def _reader(lines: Iterator[str]) -> IO[bytes]:
    """Lines of text as a binary file object, read as the parser asks."""
    return io.BufferedReader(_LineReader(lines))


class _LineReader(io.RawIOBase):
    """A binary stream over an iterator of text lines, for Oxigraph's parser."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            line = next(self.lines, None)
            if line is None:
                return 0
            self.pending = line.encode("utf-8")
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size
