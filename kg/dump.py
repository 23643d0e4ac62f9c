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
import tempfile
from collections.abc import Iterable
from contextlib import ExitStack
from itertools import groupby
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kg.buildstore import BuildStore
from kg.graph import rdflib_term
from kg.jsonld import write_jsonld
from kg.layout import Format
from kg.namespaces import PREFIXES, bind_prefixes

RUN_LINES = 200_000  # lines sorted in memory at a time before they go to disk


def write_quads(store: BuildStore, path: Path, fmt: Format) -> None:
    """N-Quads or TriG: every graph in IRI order, each graph's quads in N-Quads order."""
    quads = (quad for name in store.graph_names() for quad in store.quads(name))
    _serialize(quads, path, ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)


def write_union(lines: Path, path: Path, fmt: Format) -> None:
    """Turtle or JSON-LD of the union, from its sorted N-Triples (`sorted_union`)."""
    with lines.open("rb") as source:
        triples = ox.parse(source, format=ox.RdfFormat.N_TRIPLES)
        if fmt == "turtle":
            _serialize(triples, path, ox.RdfFormat.TURTLE)
        else:
            with path.open("w", encoding="utf-8") as out:
                write_jsonld(triples, out)


def sorted_union(store: BuildStore, path: Path) -> Path:
    """Write the union of every graph to `path` as N-Triples: each triple once, lines sorted.

    An external merge sort (sorted runs on disk next to `path`, merged), so
    memory stays bounded whatever the corpus; Turtle and JSON-LD both read it.
    """
    with ExitStack() as stack:
        runs: list[IO[str]] = []
        lines: list[str] = []
        for quad in store.store.quads_for_pattern(None, None, None):
            lines.append(str(quad.triple) + " .\n")
            if len(lines) >= RUN_LINES:
                runs.append(_sorted_run(stack, lines, path.parent))
                lines = []
        runs.append(_sorted_run(stack, lines, path.parent))
        with path.open("w", encoding="utf-8") as out:
            out.writelines(line for line, _ in groupby(heapq.merge(*runs)))
    return path


def _sorted_run(stack: ExitStack, lines: list[str], scratch: Path) -> IO[str]:
    """One sorted run, written to a scratch file and read back lazily."""
    run = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", dir=scratch))
    run.writelines(sorted(set(lines)))
    run.seek(0)
    return run


def view_graph(store: BuildStore, base_iri: str) -> Graph:
    """What GraphML and the HTML view draw from: the union, as an rdflib graph.

    Terms are converted once each (a corpus names the same IRIs again and
    again) and go straight into the graph's store.
    """
    graph = Graph()
    bind_prefixes(graph, base_iri)
    terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, Node] = {}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
        converted = terms.get(node)
        if converted is None:
            converted = terms[node] = rdflib_term(node)
        return converted

    memory = graph.store
    for quad in store.store.quads_for_pattern(None, None, None):
        memory.add((term(quad.subject), term(quad.predicate), term(quad.object)), graph)
    return graph


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
