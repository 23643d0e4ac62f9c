"""Write the build's files out of its store, in a fixed order, holding little in memory.

N-Quads and TriG go graph by graph (each graph's quads sorted); Turtle and
JSON-LD hold the union, whose triples are sorted with an external merge
sort (sorted runs on disk, merged), so a corpus far larger than memory
writes in bounded memory. One pass over the graphs' N-Quads (the chunk
files kept beside the store) feeds all four. The same store always gives
the same bytes. (GraphML and the HTML view read the store in place,
`kg.graphsource`.)
"""

from __future__ import annotations

import collections
import heapq
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import groupby
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.buildstore import BuildStore, triple_lines
from kg.jsonld import write_jsonld
from kg.layout import Format
from kg.namespaces import PREFIXES

RUN_LINES = 200_000  # lines sorted in memory at a time before they go to disk


def dump_store(
    store: BuildStore,
    *,
    nquads: Path | None = None,
    trig: Path | None = None,
    union: Path | None = None,
) -> None:
    """Write N-Quads, TriG and the union's sorted N-Triples (for `write_union`), each that
    is given a path, in one pass over the graphs.

    N-Quads and TriG hold every graph in IRI order, each graph's quads in
    N-Quads order (`BuildStore.graph_nquads`: the chunk it was loaded from). The
    union's lines, each triple once, are sorted with an external merge sort
    (sorted runs on disk beside `union`, merged), in bounded memory.
    """
    with ExitStack() as stack:
        out = stack.enter_context(nquads.open("wb")) if nquads else None
        runs = _Runs(stack, union.parent) if union else None

        def graphs() -> Iterator[bytes]:
            for name in store.graph_names():
                graph = store.graph_nquads(name)
                if out is not None:
                    out.write(graph)
                if runs is not None:
                    runs.add(triple_lines(graph))
                yield graph

        if trig is None:
            collections.deque(graphs(), maxlen=0)
        else:
            quads = (q for g in graphs() for q in ox.parse(g, format=ox.RdfFormat.N_QUADS))
            _serialize(quads, trig, ox.RdfFormat.TRIG)
        if union is not None and runs is not None:
            runs.merge_into(union)


def write_union(lines: Path, path: Path, fmt: Format) -> None:
    """Turtle or JSON-LD of the union, from its sorted N-Triples (see `dump_store`)."""
    with lines.open("rb") as source:
        triples = ox.parse(source, format=ox.RdfFormat.N_TRIPLES)
        if fmt == "turtle":
            _serialize(triples, path, ox.RdfFormat.TURTLE)
        else:
            with path.open("w", encoding="utf-8") as out:
                write_jsonld(triples, out)


class _Runs:
    """Lines sorted in runs of `RUN_LINES` on scratch files, merged once, each line once."""

    def __init__(self, stack: ExitStack, scratch: Path) -> None:
        self.stack = stack
        self.scratch = scratch
        self.runs: list[IO[str]] = []
        self.pending: list[str] = []

    def add(self, lines: Iterable[str]) -> None:
        self.pending.extend(lines)
        if len(self.pending) >= RUN_LINES:
            self._spill()

    def merge_into(self, path: Path) -> None:
        self._spill()
        with path.open("w", encoding="utf-8") as out:
            out.writelines(line for line, _ in groupby(heapq.merge(*self.runs)))

    def _spill(self) -> None:
        run = self.stack.enter_context(
            # newline="\n": lines end there only, whatever else a literal holds
            tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=self.scratch)
        )
        run.writelines(sorted(set(self.pending)))
        run.seek(0)
        self.runs.append(run)
        self.pending = []


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
