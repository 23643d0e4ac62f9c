"""What a build changed, as SPARQL 1.1 Update for a store that holds the previous build.

`changes.ru` holds, for each named graph that changed since the graph.nq
the build folder held before, a DELETE DATA of the statements that left and
an INSERT DATA of those that arrived (all of them for a first build; all of
a dropped article's as deleted). A store holding the previous build that
applies it (`kg push --changes`) then holds this build, quad for quad,
without a full upload.

The statements are written by Oxigraph's N-Quads serializer, never pasted
from article text: N-Triples terms (IRIs, escaped literals) are SPARQL
terms as they are. A build holds no blank nodes, which DELETE DATA could
not name; a graph.nq that has some is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.buildstore import LOAD_BATCH, BuildStore, read_pieces

UPDATE_MEDIA_TYPE = "application/sparql-update"
_HEADER = (
    "# newskg change set: SPARQL 1.1 Update from the previous build of this folder to this one.\n"
    "# Apply it to a store holding the previous build: kg push --changes --update-endpoint URL\n"
)


class ChangeSetError(ValueError):
    """The previous graph.nq cannot be compared: it holds blank nodes."""


@dataclass(frozen=True, slots=True)
class ChangeStats:
    """How much a change set moves."""

    graphs: int
    deleted: int
    inserted: int


def write_changes(
    store: BuildStore,
    previous: Path | None,
    graphs: Iterable[str] | None,
    out: Path,
) -> ChangeStats:
    """Write to `out` the change from `previous` (the folder's last graph.nq; None: an empty
    store) to `store`, for `graphs`: the names of those the build changed or dropped, or
    None to compare every graph (when `previous` may not be what the store was).

    When the store knows how each of `graphs` changed (`BuildStore.deltas`),
    `previous` is not read.

    Raises:
        ChangeSetError: see the class.
    """
    counts = [0, 0, 0]
    with out.open("w", encoding="utf-8") as text:
        text.write(_HEADER)
        for name, left, arrived in _differences(store, previous, graphs):
            deleted = _write_operation(text, "DELETE", name, left)
            inserted = _write_operation(text, "INSERT", name, arrived)
            counts[0] += bool(deleted or inserted)
            counts[1] += deleted
            counts[2] += inserted
    return ChangeStats(*counts)


def _differences(
    store: BuildStore, previous: Path | None, graphs: Iterable[str] | None
) -> Iterator[tuple[str, list[str], Iterable[str]]]:
    """Each graph to compare, in IRI order, with its lines that left and arrived, sorted.

    A graph of which nothing was there before arrives whole: its lines are read as its
    kept N-Quads hold them, sorted, in pieces (the resolution graph of 100,000 articles
    is a gigabyte).
    """
    wanted = set(graphs) if graphs is not None else None
    deltas = store.deltas() if wanted is not None and previous is not None else None
    if wanted is not None and deltas is not None and wanted <= deltas.keys():
        for name in sorted(wanted):
            delta = deltas[name]
            yield name, _decoded(delta.left), _decoded(delta.arrived)
        return
    present = {g.value for g in store.store.named_graphs() if isinstance(g, ox.NamedNode)}
    before = _graph_lines(previous, wanted) if previous is not None else {}
    for name in sorted(wanted if wanted is not None else present | set(before)):
        old = before.get(name, set())
        if not old and name in present:
            yield name, [], _arriving(store, name)
            continue
        new = _lines(store.graph_nquads(ox.NamedNode(name))) if name in present else set()
        yield name, sorted(old - new), sorted(new - old)


def _arriving(store: BuildStore, name: str) -> Iterator[str]:
    """A graph's lines, sorted, each once, read in pieces from the store's N-Quads of it."""
    _, source = store.open_graph(ox.NamedNode(name))
    last = ""
    with source:
        for piece in read_pieces(source, LOAD_BATCH):
            for line in piece.decode("utf-8").split("\n"):  # lines end there only
                if line and line != last:
                    yield line
                    last = line


def _decoded(lines: list[bytes]) -> list[str]:
    return sorted(line.decode("utf-8") for line in lines)


def _write_operation(text: IO[str], operation: str, graph: str, lines: Iterable[str]) -> int:
    """One `DELETE DATA` or `INSERT DATA` of `lines` (N-Quads of `graph`), if any; how
    many lines it holds."""
    count = 0
    for line in lines:
        if not count:
            text.write(f"{operation} DATA {{ GRAPH <{graph}> {{\n")
        text.write(_triple(line, graph) + "\n")
        count += 1
    if count:
        text.write("} } ;\n")
    return count


def _triple(line: str, graph: str) -> str:
    """An N-Quads line of `graph` as the triple of a SPARQL data block ('s p o .')."""
    return line[: -len(f" <{graph}> .")] + " ."


def _lines(nquads: bytes) -> set[str]:
    return set(nquads.decode("utf-8").splitlines())


def _graph_lines(path: Path, wanted: set[str] | None) -> dict[str, set[str]]:
    """The lines of each graph named in `wanted` (None: every graph), from a graph.nq file."""
    found: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line, graph in _with_graphs(lines, path):
            if wanted is None or graph in wanted:
                found.setdefault(graph, set()).add(line)
    return found


def _with_graphs(lines: Iterable[str], path: Path) -> Iterator[tuple[str, str]]:
    """Each statement line of a build's N-Quads file with the name of its graph (its last
    term: graph names are IRIs, which hold no space)."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line:
            continue
        if line.startswith("_:") or " _:" in line.split('"', 1)[0]:
            raise ChangeSetError(
                f"{path}, line {number}: a blank node, which a change set cannot name "
                "(a newskg build writes none)"
            )
        yield line, line[line.rfind(" <") + 2 : -3]
