"""The build's graph on disk: an Oxigraph store and a manifest of what it holds.

The store (pyoxigraph `Store(path)`, under the output folder unless told
otherwise) holds one named graph per article plus the entity graph, the
layout of graph.trig. Memory then holds the compact records resolution
needs, never the triples of the whole corpus. The manifest remembers, per
named graph, a digest of its quads, so a rebuild rewrites only the graphs
whose content changed and drops those of articles that left; and, per
input file, a digest of its bytes and the settings of the build, so a
rebuild of unchanged inputs can stop before loading anything.

Crash safety: the store applies each graph's replacement in one
transaction, and the manifest is written (atomically) only after every
graph is in place. A build killed half-way leaves a manifest that does not
vouch for what changed, so the next build finds the digests differ and
writes those graphs again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.atomic import atomic_write_bytes

MANIFEST = "manifest.json"
FORMAT = "newskg-build-manifest"
VERSION = 1


def graph_digest(quads: Iterable[ox.Quad]) -> str:
    """A digest of a graph's quads, whatever order they come in."""
    lines = sorted(str(quad) for quad in quads)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@dataclass
class Manifest:
    """What the store and the last build's outputs hold, and from which inputs."""

    settings: str = ""  # a digest of the build's settings and code
    inputs: dict[str, str] = field(default_factory=dict)  # input path → digest of its bytes
    graphs: dict[str, str] = field(default_factory=dict)  # graph IRI → digest of its quads
    outputs: dict[str, list[int]] = field(default_factory=dict)  # file name → [size, mtime_ns]

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest at `path`; an empty one when absent or unreadable (all is rebuilt)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or (data.get("format"), data.get("version")) != (
            FORMAT,
            VERSION,
        ):
            return cls()
        try:
            return cls(
                settings=str(data["settings"]),
                inputs={str(k): str(v) for k, v in data["inputs"].items()},
                graphs={str(k): str(v) for k, v in data["graphs"].items()},
                outputs={str(k): [int(n) for n in v] for k, v in data["outputs"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()

    def write(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "settings": self.settings,
            "inputs": dict(sorted(self.inputs.items())),
            "graphs": dict(sorted(self.graphs.items())),
            "outputs": dict(sorted(self.outputs.items())),
        }
        atomic_write_bytes(path, json.dumps(data, indent=1).encode("utf-8"))


class BuildStore:
    """The on-disk store of one build folder, with its manifest."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.store = ox.Store(str(folder / "oxigraph"))
        self.manifest = Manifest.read(folder / MANIFEST)

    def replace(self, name: ox.NamedNode, quads: list[ox.Quad]) -> bool:
        """Make the graph `name` hold exactly `quads`; whether anything changed."""
        digest = graph_digest(quads)
        if self.manifest.graphs.get(name.value) == digest and self.store.contains_named_graph(name):
            return False
        self.store.remove_graph(name) if self.store.contains_named_graph(name) else None
        self.store.extend(quads)
        if not quads:
            self.store.add_graph(name)
        self.manifest.graphs[name.value] = digest
        return True

    def keep_only(self, names: set[str]) -> list[str]:
        """Drop every graph not in `names` (articles that left the build); the dropped names."""
        dropped = sorted(set(self.manifest.graphs) - names)
        present = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        dropped = sorted(set(dropped) | (present - names))
        for name in dropped:
            node = ox.NamedNode(name)
            if self.store.contains_named_graph(node):
                self.store.remove_graph(node)
            self.manifest.graphs.pop(name, None)
        return dropped

    def graph_names(self) -> list[ox.NamedNode]:
        """Every named graph, in IRI order."""
        return sorted(
            (g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)),
            key=lambda g: g.value,
        )

    def quads(self, name: ox.NamedNode) -> list[ox.Quad]:
        """The quads of one graph, in a fixed order (the store's own order is not)."""
        return sorted(self.store.quads_for_pattern(None, None, None, name), key=str)

    def commit(self) -> None:
        """Make the graphs durable, then vouch for them in the manifest."""
        self.store.flush()
        self.manifest.write(self.folder / MANIFEST)

    def close(self) -> None:
        del self.store
