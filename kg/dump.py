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
from itertools import islice
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.atomic import atomic_writer
from kg.buildstore import LOAD_BATCH, BuildStore, StoreChanges, read_pieces, triple_lines
from kg.cache import code_fingerprint
from kg.jsonld import node_text, write_document
from kg.layout import Format
from kg.namespaces import PREFIXES
from kg.pieces import KeptPieces, MakeText, kept_state, subject_lines
from kg.sortruns import SortedRuns

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
COPY_BLOCK = 1 << 20  # bytes read at a time of a graph's kept TriG
PIECES_DIR = "pieces"  # in the store's folder: what the JSON-LD writer made of each node


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
    or from the kept pieces and the changes the build made since (`union_changes`).

    Both are written one node at a time, and each node's text is kept
    beside `store` for the next build (`kg.pieces`), which makes again only
    the nodes whose triples changed. Turtle from the union's lines is
    written whole by Oxigraph (faster than node by node), then cut into its
    nodes to be kept.
    """
    make = _jsonld_node if fmt == "json-ld" else _turtle_node
    try:
        with KeptPieces(_pieces_path(store, fmt), _recipe(fmt), state=store.state()) as pieces:
            if isinstance(source, StoreChanges):
                nodes = pieces.carry(source.subjects, _lines_of(store), make)
                _write_nodes(nodes, path, fmt)
            elif fmt == "turtle":
                _write_turtle(source, path, pieces)
            else:
                _write_nodes(_jsonld_nodes(source, pieces), path, fmt)
    except _UnevenTurtle:
        pass  # written, but not kept: the next build makes every node's piece again


def _pieces_path(store: BuildStore, fmt: Format) -> Path:
    return store.folder / PIECES_DIR / f"{fmt}.pieces"


def _lines_of(store: BuildStore) -> MakeText:
    def lines(subject: bytes) -> bytes:
        found = store.subject_ntriples(subject)
        if found is None:
            raise ValueError(f"a changed blank node cannot be looked up: {subject!r}")
        return found

    return lines


def _write_nodes(nodes: Iterable[bytes], path: Path, fmt: Format) -> None:
    """A document made of its nodes' texts, in order."""
    if fmt == "json-ld":
        with path.open("w", encoding="utf-8") as out:
            write_document((node.decode("utf-8") for node in nodes), out)
        return
    with path.open("wb") as out:
        out.write(_header(ox.RdfFormat.TURTLE))
        out.writelines(nodes)


class _UnevenTurtle(ValueError):
    """Oxigraph's Turtle did not cut into one part per subject: none is kept."""


def _write_turtle(lines: Path, path: Path, pieces: KeptPieces) -> None:
    """Turtle of the union, written whole; then each subject's part kept in `pieces`.

    A subject's part starts at a line that is not indented (Oxigraph writes
    a subject's further statements indented, and escapes line ends in
    literals) with the subject; alone, a subject's statements serialize to
    exactly that part.
    """
    with lines.open("rb") as source:
        _serialize(ox.parse(source, format=ox.RdfFormat.N_TRIPLES), path, ox.RdfFormat.TURTLE)
    last = b""
    with path.open("rb") as written:
        for part in _turtle_parts(written):
            subject = _turtle_subject(part)
            if subject <= last:  # not the order of the union's lines: misread
                raise _UnevenTurtle(path)
            pieces.put(subject, part)
            last = subject


def _turtle_parts(written: IO[bytes]) -> Iterator[bytes]:
    """The parts of a Turtle file after its `@prefix` lines, one per subject, in order."""
    part: list[bytes] = []
    for line in written:
        if line.startswith(b"@prefix "):
            continue
        if part and not line.startswith(b"\t"):
            yield b"".join(part)
            part = []
        part.append(line)
    if part:
        yield b"".join(part)


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


def _jsonld_nodes(lines: Path, pieces: KeptPieces) -> Iterator[bytes]:
    """Each subject's JSON-LD node, in order, from the union's sorted lines.

    One parser reads the whole file alongside the subjects' lines (a line
    holds one triple): a parser per subject would cost more than the parsing.
    """
    with lines.open("rb") as source:
        triples = ox.parse(source, format=ox.RdfFormat.N_TRIPLES)
        for subject, group in subject_lines(lines):
            node = list(islice(triples, group.count(b"\n")))
            yield pieces.piece(subject, group, functools.partial(_node_of, node))


def _node_of(triples: list[ox.Triple], _lines: bytes) -> bytes:
    return node_text(triples).encode("utf-8")


def _jsonld_node(lines: bytes) -> bytes:
    return node_text(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)).encode("utf-8")


def _turtle_node(lines: bytes) -> bytes:
    triples = ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)
    written = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES) or b""
    return b"".join(line for line in written.splitlines(True) if not line.startswith(b"@prefix "))


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
