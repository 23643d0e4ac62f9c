"""A store's graphs cut into chunks, each with everything its focus nodes need (see `needs`).

The focus nodes of some graphs are the nodes they describe (every subject)
and the nodes they point at that are described somewhere (the entities an
article names, described in the entity graph). Each is handed to the engine
with its whole description from every graph of the store, the triples
pointing at it by an inverse path, and the nodes its class-checked values
lead to, described whole too (their types are what `sh:class` reads; given
only those, a value node would be a focus node with nothing else, and the
engine would spend its time reporting on it, results then dropped). With the
class tree, the engine then reports for each focus node exactly what it
reports on the whole graph.

Chunks hold about `CHUNK_TRIPLES` triples of the graphs (a hub entity's
description comes on top, once), so memory stays bounded however large the
store. The triples read from a chunk's graphs are handed over as they are;
only nodes described elsewhere too are looked up in the rest of the store.
Such a node (an entity, an event two articles report) is validated in the
first chunk that meets it and skipped after: the entities a thousand
articles name are checked once, not a thousand times.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from kg.validation.needs import Needs

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
OxNode = ox.NamedNode | ox.BlankNode

# Triples of the graphs read into one chunk; the engine holds a chunk at a time.
CHUNK_TRIPLES = 50_000

_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass(frozen=True, slots=True)
class Chunk:
    """Focus nodes (in N-Triples syntax) and the N-Triples the engine needs to check them."""

    focus: frozenset[str]
    data: str

    @property
    def triples(self) -> int:
        return self.data.count("\n")


class Extractor:
    """Reads chunks of focus nodes and what they need out of one store."""

    def __init__(self, store: ox.Store, needs: Needs, chunk_triples: int = CHUNK_TRIPLES) -> None:
        self.store = store
        self.needs = needs
        self.chunk_triples = chunk_triples
        self._done: set[OxNode] = set()  # validated nodes that another chunk may meet again

    def chunks(
        self, graphs: Iterable[GraphName], nodes: Collection[OxNode] = ()
    ) -> Iterator[Chunk]:
        """Chunks covering the focus nodes of `graphs`, then `nodes` not covered yet."""
        batch: list[GraphName] = []
        texts: list[bytes] = []
        size = 0
        for graph in graphs:
            text = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
            batch.append(graph)
            texts.append(text)
            size += text.count(b"\n")
            if size >= self.chunk_triples:
                yield self._chunk(batch, b"".join(texts))
                batch, texts, size = [], [], 0
        if batch:
            yield self._chunk(batch, b"".join(texts))
        extra = set(nodes) - self._done
        if extra:
            self._done |= extra
            yield self._chunk([], b"", extra)

    def _chunk(self, graphs: list[GraphName], text: bytes, extra: Collection[OxNode] = ()) -> Chunk:
        """The focus nodes of `graphs` (whose triples are `text`) and `extra`, and their needs."""
        statements = self._statements(graphs)
        pointed_at = self._objects(graphs) - statements.keys()
        _refuse_blank_nodes(statements.keys() | pointed_at | set(extra))
        referenced = {node for node in pointed_at if self._described(node)}
        local = self._local(statements)
        focus = ((statements.keys() | referenced) - self._done) | set(extra)
        self._done |= (statements.keys() - local) | referenced
        if not focus:
            return Chunk(frozenset(), "")
        remote = self._around((focus - local) | self._typed_values(graphs)) - local
        data = text + self._describe(remote, pointed_at=focus | remote)
        return Chunk(frozenset(str(node) for node in focus), data.decode() + self._class_tree)

    def _select(self, query: str, graphs: list[GraphName] | None = None) -> ox.QuerySolutions:
        """Rows of `query` over `graphs` as its default graph, or over the whole store (None)."""
        if graphs is None:
            rows = self.store.query(query, use_default_graph_as_union=True)
        else:
            rows = self.store.query(query, default_graph=graphs)
        assert isinstance(rows, ox.QuerySolutions)
        return rows

    def _construct(self, query: str) -> bytes:
        """The triples `query` builds over the whole store, as N-Triples."""
        triples = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        return triples.serialize(format=ox.RdfFormat.N_TRIPLES) or b""

    def _statements(self, graphs: list[GraphName]) -> dict[OxNode, int]:
        """The subjects of `graphs`, each with its number of statements in them."""
        if not graphs:
            return {}
        query = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
        return _counts(self._select(query, graphs))

    def _objects(self, graphs: list[GraphName]) -> set[OxNode]:
        """The nodes (not literals) `graphs` point at."""
        if not graphs:
            return set()
        query = "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(!isLiteral(?o)) }"
        return _nodes(self._select(query, graphs))

    def _local(self, statements: dict[OxNode, int]) -> set[OxNode]:
        """The nodes described whole by the chunk: the store holds no more statements on them."""
        candidates = statements.keys() - self._done
        if not candidates:
            return set()
        query = (
            f"SELECT ?s (COUNT(*) AS ?n) "
            f"WHERE {{ VALUES ?s {{ {_values(candidates)} }} ?s ?p ?o }} GROUP BY ?s"
        )
        in_store = _counts(self._select(query))
        return {node for node, count in in_store.items() if count == statements[node]}

    def _typed_values(self, graphs: list[GraphName]) -> set[OxNode]:
        """The values `graphs` give to class-checked paths: what a local node's check reads."""
        if not graphs or not self.needs.typed_values:
            return set()
        ends = " UNION ".join(
            f"{{ ?n <{predicate}> ?x }}" if inverse else f"{{ ?x <{predicate}> ?n }}"
            for predicate, inverse in sorted(self.needs.typed_values)
        )
        query = f"SELECT DISTINCT ?n WHERE {{ {ends} }}"
        return _nodes(self._select(query, graphs))

    def _around(self, nodes: set[OxNode]) -> set[OxNode]:
        """`nodes` and every node their class-checked values lead to."""
        if not self.needs.typed_values or not nodes:
            return set(nodes)
        steps = "|".join(
            f"^<{predicate}>" if inverse else f"<{predicate}>"
            for predicate, inverse in sorted(self.needs.typed_values)
        )
        query = f"SELECT DISTINCT ?n WHERE {{ VALUES ?f {{ {_values(nodes)} }} ?f ({steps})* ?n }}"
        around = _nodes(self._select(query))
        _refuse_blank_nodes(around)
        return around

    def _describe(self, nodes: set[OxNode], pointed_at: set[OxNode]) -> bytes:
        """Every triple about `nodes`, and those pointing at `pointed_at` by an inverse path."""
        template, branches = [], []
        if nodes:
            template.append("?n ?p ?o .")
            branches.append(f"{{ VALUES ?n {{ {_values(nodes)} }} ?n ?p ?o }}")
        for i, predicate in enumerate(sorted(self.needs.inverse)):
            template.append(f"?x{i} <{predicate}> ?m .")
            branches.append(f"{{ VALUES ?m {{ {_values(pointed_at)} }} ?x{i} <{predicate}> ?m }}")
        if not branches:
            return b""
        query = f"CONSTRUCT {{ {' '.join(template)} }} WHERE {{ {' UNION '.join(branches)} }}"
        return self._construct(query)

    def _described(self, node: OxNode) -> bool:
        return next(iter(self.store.quads_for_pattern(node, None, None, None)), None) is not None

    @cached_property
    def _class_tree(self) -> str:
        """The store's own rdfs:subClassOf triples (the ontology's come with every check)."""
        query = f"CONSTRUCT {{ ?a {_SUBCLASS} ?b }} WHERE {{ ?a {_SUBCLASS} ?b }}"
        return self._construct(query).decode()


def _values(nodes: Iterable[OxNode]) -> str:
    return " ".join(str(node) for node in nodes)


def _nodes(rows: ox.QuerySolutions) -> set[OxNode]:
    """The nodes of the first column."""
    return {node for row in rows if isinstance(node := row[0], ox.NamedNode | ox.BlankNode)}


def _counts(rows: ox.QuerySolutions) -> dict[OxNode, int]:
    """Node (first column) → count (second column)."""
    return {
        node: int(count.value)
        for row in rows
        if isinstance(node := row[0], ox.NamedNode | ox.BlankNode)
        and isinstance(count := row[1], ox.Literal)
    }


def _refuse_blank_nodes(nodes: Iterable[OxNode]) -> None:
    """Blank nodes cannot be named in a query, nor traced through the engine (it renames them)."""
    blank = next((node for node in nodes if isinstance(node, ox.BlankNode)), None)
    if blank is not None:
        raise ValueError(
            f"validate_store cannot check graphs with blank nodes ({blank}): a query cannot name "
            "one, and the engine renames them (kg build writes none; validate_graph checks a "
            "graph with blank nodes whole)"
        )
