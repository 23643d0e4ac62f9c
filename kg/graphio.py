"""Graph files in: one suffix table, one error, for every command that reads a graph.

`kg query`, `serve`, `push`, `view` and `validate` all take a graph file
(.trig, .nq, .ttl, .nt, .jsonld) or a build folder, whose best file is
read: TriG or N-Quads first, because they keep one named graph per article,
so "which article says so" stays a GRAPH pattern away. Files come from
anyone, so they are read by Oxigraph's parsers, in time linear in their
size, and offline: a JSON-LD `@context` naming another document, on the
web or on disk, is refused, never fetched or opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.defaults import DEFAULT_BASE_IRI
from kg.namespaces import KG
from kg.records import ARTICLE_PATH, article_id

# A graph file's format, by its suffix (lower case); the names are what errors say.
FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    ".trig": (ox.RdfFormat.TRIG, "trig"),
    ".nq": (ox.RdfFormat.N_QUADS, "nquads"),
    ".ttl": (ox.RdfFormat.TURTLE, "turtle"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "nt"),
    ".jsonld": (ox.RdfFormat.JSON_LD, "json-ld"),
}
QUAD_SUFFIXES = frozenset({".trig", ".nq", ".jsonld"})  # formats that hold named graphs
# In a build folder, in order of preference: quad formats first.
BUILD_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld")

# Oxigraph's parsers hold one term at most this long in their buffer, and fail with
# this message beyond it.
_TERM_LIMIT = "buffer maximal size"
TERM_LIMIT_TEXT = "16 MB, about 8 MB in JSON-LD"
# Oxigraph's JSON-LD parser fails with this when a context names another document:
# it has no way to load one, which is what keeps reading offline.
_REMOTE_CONTEXT = "LoadDocumentCallback"
_SOURCE_FILE = ox.NamedNode(KG.sourceFile)


class GraphFileError(ValueError):
    """A graph that cannot be read: missing, of unknown format, or not valid RDF."""

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
    base_iri: str = DEFAULT_BASE_IRI  # what `id:` stands for in queries and tables

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
    """A graph file loaded into an in-memory Oxigraph store."""

    store: ox.Store
    path: Path
    named_graphs: int
    base_iri: str = DEFAULT_BASE_IRI

    @property
    def quads(self) -> int:
        return len(self.store)

    def __len__(self) -> int:
        return self.quads

    @property
    def info(self) -> GraphInfo:
        return GraphInfo(self.path, self.quads, self.named_graphs, self.base_iri)

    @property
    def union_only(self) -> str | None:
        """A warning when the file has no named graphs (Turtle, JSON-LD), else None."""
        return self.info.union_only


def graph_file(path: Path) -> Path:
    """The file to read for `path`: the path itself, or the best graph file of a build folder.

    Raises:
        GraphFileError: a folder without a graph file, a missing path, an unknown suffix.
    """
    path = Path(path)
    if path.is_dir():
        found = next((path / name for name in BUILD_FILES if (path / name).is_file()), None)
        if found is None:
            raise GraphFileError(
                path,
                f"no {', '.join(BUILD_FILES)} in this folder; run `kg build` first or give a file",
            )
        return found
    if path.suffix.lower() not in FORMATS:
        raise GraphFileError(
            path, f"unknown suffix {path.suffix!r}; use one of {', '.join(FORMATS)} or a folder"
        )
    if not path.exists():
        raise GraphFileError(path, "no such file; run `kg build` first or give another path")
    if not path.is_file():
        raise GraphFileError(path, "not a file")
    return path


def read_quads(path: Path) -> tuple[Path, list[ox.Quad], dict[str, str]]:
    """Parse a graph file or a build folder's best file: the file read, its quads and prefixes.

    Raises:
        GraphFileError: see `load_store`.
    """
    file = graph_file(path)
    fmt, name = FORMATS[file.suffix.lower()]
    with _reading(file, name):
        parser = ox.parse(path=file, format=fmt, base_iri=file.absolute().as_uri())
        quads = list(parser)
    return file, quads, dict(parser.prefixes)


def load_store(path: Path) -> LoadedGraph:
    """Load a build folder or graph file into a fresh in-memory Oxigraph store (parsed and
    loaded in Rust: a large build loads without a Python object per quad).

    Raises:
        GraphFileError: naming the file and the problem (see `graph_file`; not valid
            RDF in its format; a remote JSON-LD context; a term over the parser's limit).
    """
    file = graph_file(path)
    fmt, name = FORMATS[file.suffix.lower()]
    store = ox.Store()
    with _reading(file, name):
        store.load(path=file, format=fmt, base_iri=file.absolute().as_uri())
    named = sum(1 for _ in store.named_graphs())
    return LoadedGraph(store=store, path=file, named_graphs=named, base_iri=instance_base(store))


def instance_base(store: ox.Store) -> str:
    """The base IRI a graph's instances were minted under (`kg build --base-iri`).

    Read off an article, whose IRI is the base, `article/` and the id its
    `kg:sourceFile` gives; the default base for a graph without articles.
    """
    for quad in store.quads_for_pattern(None, _SOURCE_FILE, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            tail = ARTICLE_PATH + article_id(quad.object.value)
            if quad.subject.value.endswith(tail):
                return quad.subject.value[: -len(tail)]
    return DEFAULT_BASE_IRI


@contextmanager
def _reading(file: Path, name: str) -> Iterator[None]:
    """Parser failures as `GraphFileError`s that say what is wrong with `file`."""
    try:
        yield
    except (SyntaxError, ValueError) as err:
        raise GraphFileError(file, _parse_problem(name, err)) from err
    except OSError as err:
        raise GraphFileError(file, err.strerror or str(err)) from err
    except MemoryError as err:
        if _TERM_LIMIT not in str(err):
            raise
        raise GraphFileError(
            file, f"a term in it is longer than kg reads ({TERM_LIMIT_TEXT}): {err}"
        ) from err


def _parse_problem(name: str, err: Exception) -> str:
    if _REMOTE_CONTEXT in str(err):
        return (
            "its @context names another document (a URL or a file); kg reads JSON-LD offline "
            "and never fetches or opens one: put the context in the file itself"
        )
    return f"not valid {name}: {str(err).strip() or type(err).__name__}"
