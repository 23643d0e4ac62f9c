"""Open a built graph in pyoxigraph, the SPARQL engine behind `kg query` and `kg serve`.

A build folder is read from its TriG file (or N-Quads), because those keep
one named graph per article, and "which article says so" is a GRAPH pattern
away. graph.ttl and graph.jsonld hold only the union: they load, but every
triple lands in the default graph and GRAPH patterns find nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

# In order of preference inside a build folder: quad formats first.
GRAPH_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld")


class GraphLoadError(ValueError):
    """A graph that cannot be opened: missing, of unknown format, or not valid RDF."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"cannot read {path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, slots=True)
class GraphInfo:
    """What a user wants to know about a loaded graph, wherever it was loaded."""

    path: Path
    quads: int
    named_graphs: int

    @property
    def union_only(self) -> str | None:
        """A warning when the file has no named graphs (Turtle, JSON-LD), else None."""
        if self.named_graphs:
            return None
        return (
            f"{self.path} holds no named graphs, so nothing tells which article states what "
            "(GRAPH patterns find nothing); use graph.trig or graph.nq"
        )


@dataclass(frozen=True, slots=True)
class LoadedGraph:
    """A graph file loaded into an in-memory store."""

    store: Store
    path: Path
    named_graphs: int

    @property
    def quads(self) -> int:
        return len(self.store)

    @property
    def info(self) -> GraphInfo:
        return GraphInfo(path=self.path, quads=self.quads, named_graphs=self.named_graphs)

    @property
    def union_only(self) -> str | None:
        """A warning when the file has no named graphs (Turtle, JSON-LD), else None."""
        return self.info.union_only


def graph_file(path: Path) -> Path:
    """The file to read for `path`: the path itself, or the best graph file in a build folder."""
    if not path.is_dir():
        return path
    for name in GRAPH_FILES:
        if (path / name).is_file():
            return path / name
    raise GraphLoadError(
        path, f"no {', '.join(GRAPH_FILES)} in this folder; run `kg build` first or give a file"
    )


def open_graph(path: Path) -> LoadedGraph:
    """Load a build folder or graph file (.trig, .nq, .ttl, .nt, .jsonld) into a fresh store.

    Raises:
        GraphLoadError: naming the file and the parser's complaint.
    """
    file = graph_file(Path(path))
    if not file.is_file():
        raise GraphLoadError(file, "no such file or folder; run `kg build` or give another path")
    fmt = RdfFormat.from_extension(file.suffix.lstrip(".").lower())
    if fmt is None:
        raise GraphLoadError(file, f"unknown suffix {file.suffix!r}; use .trig, .nq, .ttl or .nt")
    store = Store()
    try:
        store.load(path=file, format=fmt)
    except (SyntaxError, ValueError, OSError) as err:
        raise GraphLoadError(file, f"not valid {fmt.name}: {err}") from err
    except MemoryError as err:  # pyoxigraph's parser holds no term over 16 MB
        raise GraphLoadError(
            file, f"too large to load: {err} (pyoxigraph reads no literal or IRI over 16 MB)"
        ) from err
    return LoadedGraph(
        store=store,
        path=file,
        named_graphs=sum(1 for _ in store.named_graphs()),
    )
