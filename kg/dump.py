"""Write the build's files out of its store, in a fixed order, holding little in memory.

Of what they write, TriG keeps each graph's part, and Turtle and JSON-LD
each node's, beside the store for the next build, which serializes again
only the graphs and nodes that changed; when the nodes' parts are of the
store as the build found it, it writes Turtle and JSON-LD without reading
the union at all (`union_changes`).

N-Quads and TriG go graph by graph (each graph's quads sorted); Turtle and
JSON-LD hold the union, whose triples are sorted with an external merge
sort (sorted runs on disk, merged), so a corpus far larger than memory
writes in bounded memory. One pass over the graphs' N-Quads (the chunk
files kept beside the store) feeds all four. The same store always gives
the same bytes. (GraphML and the HTML view read the store in place,
`kg.graphsource`.)
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.atomic import atomic_writer
from kg.buildstore import LOAD_BATCH, BuildStore, StoreChanges, read_pieces, triple_lines
from kg.cache import code_fingerprint
from kg.jsonld import (
    BETWEEN_NODES,
    DOCUMENT_HEAD,
    EMPTY_END,
    END,
    FIRST_NODE,
    node_text_of_lines,
)
from kg.layout import Format
from kg.namespaces import PREFIXES
from kg.pieces import DamagedPieces, Frame, KeptPieces, MakeText, kept_state, subject_lines
from kg.sortruns import SortedRuns

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
COPY_BLOCK = 1 << 20  # bytes read at a time of a graph's kept TriG
PIECES_DIR = "pieces"  # in the store's folder: the Turtle and JSON-LD kept, and their indexes


@functools.cache
def _recipe(fmt: Format) -> bytes:
    """What besides the triples decides a piece of a file: its format, the code (newskg's
    writers and prefixes) and the serializer."""
    return f"{fmt} {code_fingerprint()} pyoxigraph {ox.__version__}".encode()


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
        trig_out = stack.enter_context(trig.open("wb")) if trig else None
        runs = SortedRuns(stack, union.parent) if union else None
        header = _header(ox.RdfFormat.TRIG)
        for name in store.graph_names():
            digest, graph = store.open_graph(name)  # read in pieces: some are gigabytes
            with graph:
                empty = True
                for piece in read_pieces(graph, LOAD_BATCH):
                    empty = False
                    if out is not None:
                        out.write(piece)
                    if runs is not None:
                        runs.add(triple_lines(piece))
                if trig_out is not None and not empty:
                    trig_out.write(header)
                    header = b""  # the prefixes head the file, as they head one serialization
                    graph.seek(0)
                    _write_trig_section(store, digest, graph, trig_out)
        if union is not None and runs is not None:
            with union.open("w", encoding="utf-8") as lines:
                lines.writelines(runs.merged())


def union_changes(store: BuildStore, fmt: Format) -> StoreChanges | None:
    """What the build changed, when the pieces `fmt`'s writer kept are of the store as the
    build found it: then `write_union` needs no union's lines. Else None."""
    changes = store.changes()
    if changes is None or kept_state(_pieces_path(store, fmt), _recipe(fmt)) != changes.before:
        return None
    return changes


def write_union(path: Path, fmt: Format, *, store: BuildStore, source: Path | StoreChanges) -> None:
    """Turtle or JSON-LD of the union, from its sorted N-Triples (a file: see `dump_store`),
    or from the kept file and the changes the build made since (`union_changes`).

    Both are written one node at a time, and the file is kept beside
    `store` with where each node stands in it, for the next build
    (`kg.pieces`), which makes again only the nodes whose triples changed.
    Turtle from the union's lines is written whole by Oxigraph (faster than
    node by node), then cut into its nodes to be kept.
    """
    try:
        with KeptPieces(
            _pieces_path(store, fmt), _recipe(fmt), _frame(fmt), state=store.state()
        ) as pieces:
            if not isinstance(source, StoreChanges):
                _write_whole(source, path, fmt, pieces)
                return
            try:
                pieces.carry(path, source.subjects, _lines_of(store), _MAKE[fmt])
                return
            except DamagedPieces:
                pass  # written from the union's lines instead
            with tempfile.TemporaryDirectory(dir=path.parent, prefix=".union-") as scratch:
                lines = Path(scratch) / "union.nt"
                dump_store(store, union=lines)
                _write_whole(lines, path, fmt, pieces)
    except _UnevenTurtle:
        pass  # written, but not kept: the next build makes every node's piece again


def _pieces_path(store: BuildStore, fmt: Format) -> Path:
    return store.folder / PIECES_DIR / f"{fmt}.pieces"


@functools.cache
def _frame(fmt: Format) -> Frame:
    """What the file of `fmt` holds around and between its nodes."""
    if fmt == "turtle":
        return Frame(_header(ox.RdfFormat.TURTLE))
    return Frame(
        *(
            text.encode("utf-8")
            for text in (DOCUMENT_HEAD, FIRST_NODE, BETWEEN_NODES, END, EMPTY_END)
        )
    )


def _lines_of(store: BuildStore) -> MakeText:
    def lines(subject: bytes) -> bytes:
        found = store.subject_ntriples(subject)
        if found is None:
            raise ValueError(f"a changed blank node cannot be looked up: {subject!r}")
        return found

    return lines


def _write_whole(lines: Path, path: Path, fmt: Format, pieces: KeptPieces) -> None:
    """The file of `fmt` made of the union's sorted `lines`."""
    if fmt == "turtle":
        with lines.open("rb") as source:
            triples = ox.parse(source, format=ox.RdfFormat.N_TRIPLES)
            _serialize(triples, path, ox.RdfFormat.TURTLE)
        pieces.index(path, _turtle_spans(path))
    else:
        pieces.write(path, _jsonld_nodes(lines))


class _UnevenTurtle(ValueError):
    """Oxigraph's Turtle did not cut into one part per subject: none is kept."""


def _turtle_spans(path: Path) -> Iterator[tuple[bytes, int, int]]:
    """Where each subject's part of a Turtle file stands: (subject, start, end), in order.

    A subject's part starts at a line that is not indented (Oxigraph writes
    a subject's further statements indented, and escapes line ends in
    literals) with the subject; alone, a subject's statements serialize to
    exactly that part.
    """
    last = b""
    with path.open("rb") as written:
        for start, part in _turtle_parts(written):
            subject = _turtle_subject(part)
            if subject <= last:  # not the order of the union's lines: misread
                raise _UnevenTurtle(path)
            yield subject, start, start + len(part)
            last = subject


def _turtle_parts(written: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """The parts of a Turtle file after its `@prefix` lines, one per subject, in order, each
    with where it starts."""
    part: list[bytes] = []
    at = start = 0
    for line in written:
        if line.startswith(b"@prefix "):
            at += len(line)
            continue
        if part and not line.startswith(b"\t"):
            yield start, b"".join(part)
            part = []
        if not part:
            start = at
        part.append(line)
        at += len(line)
    if part:
        yield start, b"".join(part)


def _turtle_subject(part: bytes) -> bytes:
    """The subject a part of Turtle starts with, as N-Triples writes it."""
    token = part[: part.find(b" ")]
    if token.startswith(b"<"):
        return token
    prefix, _, local = token.decode("utf-8").partition(":")
    namespace = _PREFIXES.get(prefix)
    if namespace is None or not local or "\\" in local:  # a blank node, an escape
        raise _UnevenTurtle(token)
    return f"<{namespace}{local}>".encode()


def _jsonld_nodes(lines: Path) -> Iterator[tuple[bytes, bytes, MakeText]]:
    """Each subject of the union's sorted lines, its lines and how to make its JSON-LD node."""
    for subject, group in subject_lines(lines):
        yield subject, group, _jsonld_node


def _jsonld_node(lines: bytes) -> bytes:
    return node_text_of_lines(lines).encode("utf-8")


def _turtle_node(lines: bytes) -> bytes:
    triples = ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)
    written = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES) or b""
    return b"".join(line for line in written.splitlines(True) if not line.startswith(b"@prefix "))


_MAKE: dict[Format, MakeText] = {"json-ld": _jsonld_node, "turtle": _turtle_node}


def _header(fmt: ox.RdfFormat) -> bytes:
    """The `@prefix` lines Oxigraph heads TriG or Turtle with, sorted (see `_serialize`)."""
    anything = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"))
    written = ox.serialize([anything], format=fmt, prefixes=_PREFIXES) or b""
    return b"".join(
        sorted(line for line in written.splitlines(True) if line.startswith(b"@prefix "))
    )


def _write_trig_section(store: BuildStore, digest: str, nquads: IO[bytes], out: IO[bytes]) -> None:
    """Write one graph's TriG without the `@prefix` lines to `out`: the file kept beside
    its chunk (of `digest`), or made of its N-Quads (`nquads`) and kept, in pieces.

    Oxigraph writes one graph's TriG the same alone as among others, so the
    sections in graph order, under the prefixes, are the TriG of them all.
    A kept section starts with a line holding a digest of the serializer's
    recipe, the N-Quads' digest and the section: one that does not match is
    made again.
    """
    path = store.beside(digest, ".trig")
    try:
        with path.open("rb") as kept:
            check = kept.readline().rstrip(b"\n")
            whole = check == _section_check(digest, _blocks(kept))
            if whole:
                kept.seek(len(check) + 1)
                shutil.copyfileobj(kept, out, COPY_BLOCK)
                return
    except OSError:
        pass
    # An article's section is drafted in memory; a shared graph's, gigabytes at scale, on disk.
    with tempfile.SpooledTemporaryFile(LOAD_BATCH, dir=str(path.parent), prefix=".trig-") as draft:
        quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        ox.serialize(quads, draft, format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)
        draft.seek(0)
        check = _section_check(digest, _blocks(draft, after_prefixes=True))
        draft.seek(0)
        with atomic_writer(path.parent, path.name) as keep:
            keep.write(check + b"\n")
            for block in _blocks(draft, after_prefixes=True):
                keep.write(block)
                out.write(block)


def _blocks(source: IO[bytes], after_prefixes: bool = False) -> Iterator[bytes]:
    """The rest of `source` in blocks; `after_prefixes`: past the `@prefix` lines it starts
    with (Oxigraph writes them only there)."""
    if after_prefixes:
        line = source.readline()
        while line.startswith(b"@prefix "):
            line = source.readline()
        yield line
    while block := source.read(COPY_BLOCK):
        yield block


def _section_check(digest: str, section: Iterable[bytes]) -> bytes:
    """A digest binding a section (given in blocks) to its graph's N-Quads (by their
    digest) and the recipe."""
    made = hashlib.sha256(_recipe("trig") + b"\0" + digest.encode() + b"\0")
    for block in section:
        made.update(block)
    return made.hexdigest().encode()


def _serialize(
    statements: Iterable[ox.Quad] | Iterable[ox.Triple], path: Path, fmt: ox.RdfFormat
) -> None:
    """Write with Oxigraph, then sort the `@prefix` lines it writes in hash order."""
    draft = path.with_name(path.name + ".draft")
    with draft.open("wb") as out:
        ox.serialize(statements, out, fmt, prefixes=_PREFIXES)
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
