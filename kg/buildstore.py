"""The build's graph on disk: an Oxigraph store and a manifest of what it holds.

The store (pyoxigraph `Store(path)`, under the output folder unless told
otherwise) holds one named graph per article plus the entity graph, the
layout of graph.trig. Memory then holds the compact records resolution
needs, never the triples of the whole corpus. The manifest remembers, per
named graph, a digest of its quads, so a rebuild rewrites only the graphs
whose content changed and drops those of articles that left, and a digest
of the records it was made from, so a rebuild need not even make the graph
of an article whose records did not change (`holds`); and, per input file,
a digest of its bytes and the settings of the build, so a rebuild of
unchanged inputs can stop before loading anything.

Beside the store, each graph's N-Quads (the chunk it was loaded from,
sorted, named by its digest) is kept as a file: the graph files are
written from these without reading the store, whose reads cost a few
microseconds a quad. A chunk file is only ever read after its digest is
checked, so a missing or damaged one costs a read of the store, never a
wrong output.

Each build also notes what it changed (`changes`): the graphs it wrote or
dropped, and the subjects whose statements differ in them, read off the
old and new chunks. A writer that kept its results from the store as the
last build left it (`state`) makes again only what those subjects decide.

Crash safety: before the first graph changes, the manifest on disk stops
vouching for any graph (its digests are cleared); it vouches again, written
atomically, only once every graph is in place (`commit`). A build killed
half-way therefore leaves a store the next build rewrites graph by graph,
whatever the inputs are by then; the extraction cache spares the parse.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from kg.atomic import atomic_write_bytes
from kg.manifest import MANIFEST, Manifest

LOAD_BATCH = 32 * 2**20  # bytes of N-Quads bulk-loaded at once
CHUNKS_DIR = "chunks"  # each graph's sorted N-Quads, as <digest>.nq, and what is made of them
DELTAS_KEPT = 64 * 2**20  # bytes of changed lines a build keeps for its change set
PATCHED_SHARE = 4  # a graph is patched when at most 1/PATCHED_SHARE of its lines change

if TYPE_CHECKING:
    from kg.chunks import GraphChunk


@dataclass(frozen=True)
class StoreChanges:
    """What a build changed in the store: enough to bring results kept from before up to date."""

    before: str  # `state_digest` of the store as the last build left it
    graphs: frozenset[str]  # the graphs written or dropped
    subjects: frozenset[bytes]  # their subjects (N-Triples terms) whose statements differ


@dataclass(frozen=True, slots=True)
class Delta:
    """How one graph's N-Quads changed: the lines (without their line end) that left and
    those that arrived, in no order."""

    left: list[bytes]
    arrived: list[bytes]

    @classmethod
    def between(cls, old: bytes, new: bytes) -> Delta:
        # Lines end at "\n" only: N-Quads escapes line ends in literals.
        before, after = set(old.split(b"\n")), set(new.split(b"\n"))
        before.discard(b"")
        after.discard(b"")
        return cls(list(before - after), list(after - before))

    @property
    def size(self) -> int:
        return sum(map(len, self.left)) + sum(map(len, self.arrived))

    def subjects(self) -> frozenset[bytes]:
        """The subjects (N-Triples terms) of the lines that changed."""
        return frozenset(line[: line.index(b" ")] for line in chain(self.left, self.arrived))

    def small(self, lines: int) -> bool:
        """Whether patching the graph into one of `lines` quads beats emptying and loading
        it again."""
        return (len(self.left) + len(self.arrived)) * PATCHED_SHARE <= lines

    def removed_quads(self) -> list[ox.Quad]:
        return _quads(self.left)

    def apply(self, store: ox.Store) -> None:
        """Remove the lines that left `store` and add those that arrived."""
        for quad in _quads(self.left):
            store.remove(quad)
        store.extend(_quads(self.arrived))


def _quads(lines: list[bytes]) -> list[ox.Quad]:
    if not lines:
        return []
    return list(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_QUADS))  # type: ignore[arg-type]


def state_digest(graphs: Mapping[str, str]) -> str:
    """Names one state of a store: the digests of all its graphs."""
    return hashlib.sha256(json.dumps(sorted(graphs.items())).encode("utf-8")).hexdigest()


class BuildStoreError(RuntimeError):
    """The store cannot be opened: another build holds it, or the folder is unusable."""


class BuildStore:
    """The on-disk store of one build folder, with its manifest."""

    def __init__(self, folder: Path) -> None:
        """Open (or create) the store in `folder`.

        Raises:
            BuildStoreError: when it cannot be, naming the folder and why.
        """
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.store = ox.Store(str(folder / "oxigraph"))
        except OSError as err:
            busy = "lock" in str(err).lower()
            why = "another build is using it; wait for that one to end" if busy else str(err)
            raise BuildStoreError(f"cannot open the build store {folder}: {why}") from err
        self.folder = folder
        self.manifest = Manifest.read(folder / MANIFEST)
        self.previous_graphs = dict(self.manifest.graphs)  # as the last build left them
        self._vouching = True  # whether the manifest on disk still vouches for the graphs
        # The chunk files this build wrote, or found whole: read again (by the writers, the
        # page, validation) without hashing them again. A chunk is named by its digest and
        # only ever written whole, and no other build writes while this one holds the store.
        self._whole: set[str] = set()
        # the subjects whose statements this build changed, by graph; None: not known
        self._touched: dict[str, frozenset[bytes]] | None = {} if self.previous_graphs else None
        # the lines that changed, by graph, while they take less than DELTAS_KEPT bytes
        self._deltas: dict[str, Delta] | None = {} if self.previous_graphs else None
        self._delta_bytes = 0

    def load(self, chunks: Iterable[GraphChunk]) -> list[str]:
        """Make each chunk's graph hold exactly its quads; the names of the graphs that changed.

        A graph whose digest the manifest already holds is left alone. A
        graph that changed in few of its lines (the shared graphs of claims
        and decisions after an edit) is patched: those lines removed and
        added, for emptying a large graph costs more than the rest of the
        stage. The others are emptied and their N-Quads bulk-loaded,
        `LOAD_BATCH` bytes at a time: Oxigraph's bulk loader is several times
        faster than transactional inserts, and this way holds no quad objects.
        Each batch loads on a thread while the next chunks are made
        (`_BackgroundLoads`); a bigger chunk is loaded in pieces of that size
        (`read_pieces`), read from its file when it was written to one.
        """
        changed: list[str] = []
        batch: list[bytes] = []
        size = 0
        with _BackgroundLoads(self.store) as loads:
            for chunk in chunks:
                name = ox.NamedNode(chunk.name)
                present = self.store.contains_named_graph(name)
                if present and self.manifest.graphs.get(chunk.name) == chunk.digest:
                    continue
                self._stop_vouching()
                delta = self._note_change(chunk.name, chunk, chunk.patched)
                lines = chunk.lines()
                self.manifest.graphs[chunk.name] = chunk.digest
                self.manifest.sizes[chunk.name] = lines
                self._keep_chunk(chunk)
                changed.append(chunk.name)
                if present:
                    loads.wait()  # Oxigraph: no deletes while a bulk load runs
                    if delta is not None and delta.small(lines):
                        delta.apply(self.store)
                        continue
                    self.store.remove_graph(name)
                with chunk.open() as source:
                    for piece in read_pieces(source, LOAD_BATCH):
                        batch.append(piece)
                        size += len(piece)
                        if size >= LOAD_BATCH:
                            loads.submit(b"".join(batch))
                            batch, size = [], 0
            if batch:
                loads.submit(b"".join(batch))
        for graph in changed:
            self.store.add_graph(ox.NamedNode(graph))  # kept even when it has no quads
        return changed

    def holds(self, name: str, source: str) -> bool:
        """Whether the graph `name` is in place as made from records of digest `source`
        (`kg.chunks.records_digest`): making it again would change nothing."""
        return (
            self.manifest.sources.get(name) == source
            and name in self.manifest.graphs
            and self.store.contains_named_graph(ox.NamedNode(name))
        )

    def made_from(self, sources: dict[str, str]) -> None:
        """Remember the digest of the records each graph named in `sources` is now made from."""
        self.manifest.sources.update(sources)

    def keep_only(self, names: set[str]) -> list[str]:
        """Drop every graph not in `names` (articles that left the build); the dropped names."""
        dropped = sorted(set(self.manifest.graphs) - names)
        present = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        dropped = sorted(set(dropped) | (present - names))
        for name in dropped:
            self._stop_vouching()
            self._note_change(name, None)
            node = ox.NamedNode(name)
            if self.store.contains_named_graph(node):
                self.store.remove_graph(node)
            self.manifest.graphs.pop(name, None)
            self.manifest.sizes.pop(name, None)
            self.manifest.sources.pop(name, None)
        return dropped

    def _note_change(
        self, name: str, chunk: GraphChunk | None, patched: tuple[str, Delta] | None = None
    ) -> Delta | None:
        """Note the lines of graph `name` that differ from the last build's (read from its
        chunk, still kept, unless `chunk` was `patched` from it; None: the graph is dropped),
        and the subjects whose statements they are; the difference, or None when that chunk
        cannot be read (then that none is known)."""
        digest = self.previous_graphs.get(name)
        if patched is not None and digest is not None and patched[0] == digest:
            delta = patched[1]
        else:
            present = self.store.contains_named_graph(ox.NamedNode(name))
            if self._touched is None and not present:
                return None  # nothing to note, nothing to patch
            old = self._kept_chunk(digest) if digest is not None else b""
            if old is None or (digest is None and present):
                self._touched = self._deltas = None  # a graph the manifest does not know
                return None
            delta = Delta.between(old, chunk.whole() if chunk is not None else b"")
        if self._touched is not None:
            self._touched[name] = delta.subjects()
        if self._deltas is not None:
            self._delta_bytes += delta.size
            self._deltas[name] = delta
            if self._delta_bytes > DELTAS_KEPT:
                self._deltas = None  # a change this large is read again from the files
        return delta

    def deltas(self) -> dict[str, Delta] | None:
        """The lines of each graph this build changed or dropped that left it and arrived,
        or None when they are not all known (no previous build, or too many to keep)."""
        if self._touched is None or self._deltas is None:
            return None
        return dict(self._deltas)

    def changes(self) -> StoreChanges | None:
        """What this build changed since the last one, or None when that is not known (no
        previous build, or one that stopped half-way, or a kept chunk that is gone)."""
        if self._touched is None:
            return None
        return StoreChanges(
            before=state_digest(self.previous_graphs),
            graphs=frozenset(self._touched),
            subjects=frozenset().union(*self._touched.values()),
        )

    def state(self) -> str:
        """`state_digest` of the store as it is now."""
        return state_digest(self.manifest.graphs)

    def subject_ntriples(self, subject: bytes) -> bytes | None:
        """The statements of one subject (an IRI, as N-Triples writes it) in every graph, as
        sorted N-Triples lines, each once, as the union holds them; None for a blank node."""
        if not subject.startswith(b"<"):
            return None
        node = ox.NamedNode(subject[1:-1].decode("utf-8"))
        triples = {quad.triple for quad in self.store.quads_for_pattern(node, None, None, None)}
        written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return b"".join(sorted(set(written.splitlines(True))))

    def _kept_chunk(self, digest: str) -> bytes | None:
        """The chunk file of this digest if it is there and whole."""
        try:
            kept = self._chunk_path(digest).read_bytes()
        except OSError:
            return None
        if digest not in self._whole:
            if hashlib.sha256(kept).hexdigest() != digest:
                return None
            self._whole.add(digest)
        return kept

    def vouched_digest(self, name: ox.NamedNode) -> str | None:
        """The digest of graph `name` as the store holds it, if the manifest vouches for it."""
        return self.manifest.graphs.get(name.value) if self._vouching else None

    def graph_nquads(self, name: ox.NamedNode, vouched: str | None = None) -> bytes:
        """One graph's quads as N-Quads, sorted: its chunk file, or read from the store.

        `vouched` is what `vouched_digest` said of the graph earlier in this build, while
        the graph was not yet loaded again: its chunk is the graph's even once loading
        other graphs has made the manifest stop vouching.
        """
        digest = vouched or self.vouched_digest(name)
        if digest is not None:
            kept = self._kept_chunk(digest)
            if kept is not None:
                return kept
        lines = sorted(
            f"{quad} .\n" for quad in self.store.quads_for_pattern(None, None, None, name)
        )
        nquads = "".join(lines).encode("utf-8")
        if digest is not None and hashlib.sha256(nquads).hexdigest() == digest:
            atomic_write_bytes(self._chunk_path(digest), nquads)  # mended: next time, fast
            self._whole.add(digest)
        return nquads

    def open_graph(self, name: ox.NamedNode) -> tuple[str, IO[bytes]]:
        """One graph's N-Quads as `graph_nquads` gives them, as a stream, and their digest:
        its chunk file read in place when it is whole (a shared graph of 100,000 articles
        is a gigabyte), else the bytes read."""
        digest = self.vouched_digest(name)
        if digest is not None:
            path = self._chunk_path(digest)
            try:
                if digest not in self._whole:
                    with path.open("rb") as kept:
                        if hashlib.file_digest(kept, "sha256").hexdigest() == digest:
                            self._whole.add(digest)
                if digest in self._whole:
                    return digest, path.open("rb")
            except OSError:
                pass
        nquads = self.graph_nquads(name)
        return hashlib.sha256(nquads).hexdigest(), io.BytesIO(nquads)

    def graph_statements(
        self, name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph
    ) -> Iterable[ox.Triple]:
        """One graph's triples as `graph_triples` gives them; those of a graph of a load
        batch or more (millions at 100,000 articles) parsed as they are read from its
        N-Quads, never all held."""
        if not isinstance(name, ox.NamedNode) or self.graph_bytes(name.value) < LOAD_BATCH:
            return self.graph_triples(name)
        return self._streamed_triples(name)

    def _streamed_triples(self, name: ox.NamedNode) -> Iterator[ox.Triple]:
        _, source = self.open_graph(name)
        with source:
            for quad in ox.parse(source, format=ox.RdfFormat.N_QUADS):
                yield quad.triple  # type: ignore[union-attr]

    def graph_triples(self, name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> list[ox.Triple]:
        """One graph's triples, parsed from its N-Quads (`graph_nquads`): three times faster
        than the store yields them. The build's graphs are all named; others are read from
        the store."""
        if not isinstance(name, ox.NamedNode):
            return [quad.triple for quad in self.store.quads_for_pattern(None, None, None, name)]
        quads = ox.parse(self.graph_nquads(name), format=ox.RdfFormat.N_QUADS)
        return [quad.triple for quad in quads]  # type: ignore[union-attr]

    def graph_bytes(self, name: str) -> int:
        """About how big a graph is: its kept N-Quads' size (0 when none is kept)."""
        digest = self.manifest.graphs.get(name)
        path = self._chunk_path(digest) if digest is not None else None
        return path.stat().st_size if path is not None and path.is_file() else 0

    def _keep_chunk(self, chunk: GraphChunk) -> None:
        path = self._chunk_path(chunk.digest)
        if chunk.written is not None:
            if chunk.written[0] != path:
                os.replace(chunk.written[0], path)
        elif path.exists():
            return  # a file of an earlier build: checked when it is read
        else:
            atomic_write_bytes(path, chunk.nquads)
        self._whole.add(chunk.digest)

    @property
    def chunks_folder(self) -> Path:
        """Where the chunk files are: a chunk written to a file there as it is made
        (`kg.chunks.subjects_chunk`) is kept as it is."""
        return self.folder / CHUNKS_DIR

    def _chunk_path(self, digest: str) -> Path:
        return self.beside(digest, ".nq")

    def beside(self, digest: str, suffix: str) -> Path:
        """Where a file made of the chunk of this digest is kept, as long as the chunk is:
        <digest><suffix> (the writers of `kg.dump` keep each graph's TriG there)."""
        return self.chunks_folder / f"{digest}{suffix}"

    def quads(self) -> int:
        """How many quads the store holds: the sum of its graphs' sizes the manifest notes
        when it notes every graph's (counting the store's quads takes a scan of them all)."""
        names = self.manifest.graphs.keys()
        if self._vouching and names == self.manifest.sizes.keys():
            present = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
            default = next(
                iter(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None
            )
            if present == names and default is None:
                return sum(self.manifest.sizes.values())
        return len(self.store)

    def graph_names(self) -> list[ox.NamedNode]:
        """Every named graph, in IRI order."""
        return sorted(
            (g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)),
            key=lambda g: g.value,
        )

    def commit(self) -> None:
        """Make the graphs durable, then vouch for them in the manifest; forget the chunk
        files of graphs that changed or left, and what was made of them."""
        self.store.flush()
        self.manifest.write(self.folder / MANIFEST)
        self._vouching = True
        wanted = set(self.manifest.graphs.values())
        folder = self.folder / CHUNKS_DIR
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.split(".", 1)[0] not in wanted:
                path.unlink(missing_ok=True)

    def _stop_vouching(self) -> None:
        """Before a graph changes: the manifest on disk forgets every graph's digests."""
        if self._vouching:
            stale = dataclasses.replace(self.manifest, graphs={}, sizes={}, sources={})
            stale.write(self.folder / MANIFEST)
            self._vouching = False


def triple_lines(nquads: bytes) -> Iterator[str]:
    """N-Quads lines as N-Triples lines: '<s> <p> <o> <g> .' → '<s> <p> <o> .'.

    The graph is the last term, an IRI, and IRIs hold no spaces. Lines end at
    "\\n" only: a literal may hold U+2028, which `str.splitlines` would split at.
    """
    for line in nquads.decode("utf-8").split("\n"):
        if line:
            yield line[: line.rindex(" <")] + " .\n"


def read_pieces(source: IO[bytes], size: int) -> Iterator[bytes]:
    """N-Quads read from `source` in pieces of about `size` bytes, each cut after a line.

    Oxigraph's bulk loader holds several times what one call is given (1.4 GB more
    for 400 MB of N-Quads, 220 MB in pieces of 32 MB); the resolution graph of
    100,000 articles is 1 GB.
    """
    while piece := source.read(size):
        yield piece if piece.endswith(b"\n") else piece + source.readline()


class _BackgroundLoads:
    """Bulk loads run one at a time on a thread while the caller makes the next batch.

    pyoxigraph releases the GIL while it bulk-loads, so at 1,000 articles
    about half the store stage overlaps the making of the graphs. At most one
    batch is in flight, so memory holds two at most.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newskg-bulk-load")
        self.pending: Future[None] | None = None

    def submit(self, nquads: bytes) -> None:
        self.wait()
        self.pending = self.pool.submit(self.store.bulk_load, nquads, format=ox.RdfFormat.N_QUADS)

    def wait(self) -> None:
        """Until the batch in flight is loaded; its error, if it failed."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> _BackgroundLoads:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.wait()
        finally:
            self.pool.shutdown()
