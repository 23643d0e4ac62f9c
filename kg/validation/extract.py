"""A store's graphs cut into chunks, each with what the engine needs to judge them (see `needs`).

A chunk is some whole graphs of the store. A result of the whole graph
belongs to the graphs that state what it is about: a result on one value
(a class, a datatype) to the graphs stating that statement; any other result
on a node (a count, a comparison, its type) to the graphs that describe the
node or point at it. A chunk's results are those that belong to its graphs,
each as the whole graph gives it:

- a node the chunk's graphs describe whole (an article, its events and
  mentions) is checked in full; the store adds the triples that point at it
  by an inverse path and the nodes its class-checked values lead to,
  described whole;
- for a node described elsewhere too (an entity; an event two articles
  report), or only pointed at, the store adds its types, every value of the
  `full` paths and `witnesses` of the other paths its own results read (a
  count is decided by that many values), the chunk's values first.

So a one-article chunk reads that article and a few triples around it, never
the thousands of mentions of a country it names, and the chunks of all the
graphs together report exactly what validating the whole graph reports (a
node's own results once). Chunks hold about `CHUNK_TRIPLES` triples of the
graphs, so memory stays bounded however large the store.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby, islice

import pyoxigraph as ox
from rdflib import URIRef

from kg.rdfterms import oxigraph_term
from kg.validation.needs import AGGREGATE_COMPONENTS, Needs, Path
from kg.validation.report import Violation

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
OxNode = ox.NamedNode | ox.BlankNode

# Triples of the graphs read into one chunk; the engine holds a chunk at a time.
CHUNK_TRIPLES = 50_000
# A node described in at most this many triples is read whole, in one look-up.
_SMALL = 24

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass(frozen=True, slots=True)
class Chunk:
    """What the engine checks at once, and which of its results are the chunk's to report.

    Attributes:
        focus: the nodes reported on, in N-Triples syntax (`<iri>`).
        data: N-Triples: the graphs' statements and what their checks read.
        whole: IRIs of the nodes the graphs describe whole: every result on them counts.
        due: IRIs of the other nodes whose results on themselves (counts,
            types) are reported in this chunk.
        statements: the graphs' statements about those other nodes.
    """

    focus: frozenset[str]
    data: str
    whole: frozenset[str] = frozenset()
    due: frozenset[str] = frozenset()
    statements: frozenset[ox.Triple] = frozenset()

    @property
    def triples(self) -> int:
        return self.data.count("\n")

    def keep(self, violation: Violation) -> bool:
        """Whether the result is this chunk's to report."""
        focus = str(violation.focus_node)
        if focus in self.whole:
            return True
        statement = statement_of(violation)
        if statement is not None:
            return statement in self.statements
        return focus in self.due


def statement_of(violation: Violation) -> ox.Triple | None:
    """The one statement a result on one value is about; None for a result on the node."""
    value, path = violation.value, violation.path
    if value is None or path is None or violation.constraint in AGGREGATE_COMPONENTS:
        return None
    node, other = oxigraph_term(violation.focus_node), oxigraph_term(value)
    if isinstance(path, URIRef):
        return ox.Triple(node, ox.NamedNode(str(path)), other)  # type: ignore[arg-type]
    text = str(path)  # an inverse path, "^<iri>"
    if text.startswith("^<") and text.endswith(">"):
        return ox.Triple(other, ox.NamedNode(text[2:-1]), node)  # type: ignore[arg-type]
    return None


GraphReader = Callable[[GraphName], Iterable[ox.Triple]]


class Extractor:
    """Reads chunks out of one store; a node's own results are reported once per extractor.

    `read_graph` gives a graph's statements; by default they are read from
    the store, but a caller holding them faster (the build parses each
    graph's N-Quads file three times faster than the store yields it) can
    say so.
    """

    def __init__(
        self,
        store: ox.Store,
        needs: Needs,
        chunk_triples: int = CHUNK_TRIPLES,
        read_graph: GraphReader | None = None,
    ) -> None:
        self.store = store
        self.needs = needs
        self.chunk_triples = chunk_triples
        self.read_graph = read_graph or self._graph_in_store
        self._done: set[str] = set()  # IRIs of nodes whose own results were reported

    def _graph_in_store(self, graph: GraphName) -> Iterator[ox.Triple]:
        return (quad.triple for quad in self.store.quads_for_pattern(None, None, None, graph))

    def chunks(
        self, graphs: Iterable[GraphName], nodes: Collection[OxNode] = ()
    ) -> Iterator[Chunk]:
        """Chunks covering the statements of `graphs`, then the own results of `nodes`.

        A graph larger than a chunk whose nodes point at none of its other
        nodes (the support and resolution graphs: one node per claim or
        decision; at 100,000 articles, millions of triples) is checked in
        parts cut between subjects (`_parts`): to the chunks, its parts are as
        graphs that describe different nodes.
        """
        batch: list[GraphName] = []
        triples: list[ox.Triple] = []
        for graph in graphs:
            batch.append(graph)
            parts = _parts(functools.partial(self.read_graph, graph), self.chunk_triples)
            last = next(parts)
            for part in parts:  # all but the last part of a graph cut in parts
                yield self._chunk(batch, triples + last)
                batch, triples, last = [graph], [], part
            triples += last
            if len(triples) >= self.chunk_triples:
                yield self._chunk(batch, triples)
                batch, triples = [], []
        if batch:
            yield self._chunk(batch, triples)
        if nodes:
            yield self._chunk([], [], nodes)

    def _chunk(
        self, graphs: list[GraphName], triples: list[ox.Triple], extra: Collection[OxNode] = ()
    ) -> Chunk:
        """The chunk of `graphs` (whose statements are `triples`) and of the `extra` nodes."""
        _refuse_blank_nodes(
            [t.subject for t in triples] + [t.object for t in triples] + list(extra)  # type: ignore[list-item]
        )
        inverse = {ox.NamedNode(p) for p in self.needs.inverse}
        subjects: set[OxNode] = {t.subject for t in triples}  # type: ignore[misc]
        pointed_back: set[OxNode] = {
            t.object  # type: ignore[misc]
            for t in triples
            if t.predicate in inverse and isinstance(t.object, ox.NamedNode | ox.BlankNode)
        }
        pointed_at = {
            t.object for t in triples if isinstance(t.object, ox.NamedNode | ox.BlankNode)
        } - subjects
        referenced = {
            node
            for node in pointed_at - pointed_back
            if node.value not in self._done and self._described(node)
        }
        focus = subjects | pointed_back | referenced | set(extra)
        whole = self._whole(subjects, graphs)
        others = focus - whole
        due = {node.value for node in others} - self._done
        self._done |= due
        if not focus:
            return Chunk(frozenset(), "")
        statements = {
            t
            for t in triples
            if t.subject in others or (t.object in others and t.predicate in inverse)
        }
        witnesses, full_values = self._witnesses(others, statements, due)
        starts = (self._typed_values(triples, whole) | full_values) - whole
        remote = self._around(starts) - whole
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        data = text + witnesses + self._describe(remote) + self._pointing_at(whole | remote)
        return Chunk(
            focus=frozenset(str(node) for node in focus),
            data=data.decode() + self._class_tree,
            whole=frozenset(node.value for node in whole),
            due=frozenset(due),
            statements=frozenset(statements),
        )

    def _described(self, node: OxNode) -> bool:
        return next(iter(self.store.quads_for_pattern(node, None, None)), None) is not None

    def _whole(self, subjects: set[OxNode], graphs: list[GraphName]) -> set[OxNode]:
        """The `subjects` of `graphs` that no other graph says anything about.

        A subject met in an earlier chunk is not: it was described there too.
        The query stops at a node's first statement elsewhere, so an entity
        named in a thousand articles costs no more than one named in two.
        """
        candidates = {node for node in subjects if node.value not in self._done}
        if not candidates:
            return set()
        named = [str(graph) for graph in graphs if isinstance(graph, ox.NamedNode)]
        elsewhere = "GRAPH ?g { ?s ?p ?o }"
        if named:
            elsewhere += f" FILTER(?g NOT IN ({', '.join(named)}))"
        if ox.DefaultGraph() not in graphs:
            elsewhere = f"{{ {elsewhere} }} UNION {{ ?s ?p ?o }}"
        query = (
            f"SELECT ?s WHERE {{ VALUES ?s {{ {_values(candidates)} }} "
            f"FILTER NOT EXISTS {{ {elsewhere} }} }}"
        )
        rows = self.store.query(query)
        assert isinstance(rows, ox.QuerySolutions)
        return _nodes(rows)

    def _witnesses(
        self, nodes: set[OxNode], statements: set[ox.Triple], due: set[str]
    ) -> tuple[bytes, set[OxNode]]:
        """What the results on `nodes` read, beyond the chunk's `statements`.

        Their types; for the `due` nodes, whose own results are reported
        here, every value of the `full` paths, and of every other path such
        a result reads its `witnesses` (a count is decided by that many
        values, a target by one), the chunk's own values first, so that as
        few as possible come bare from elsewhere; for the others, a witness
        of the `targeting` paths. Also the class-checked values among the
        `full` ones, whose types their checks read.
        """
        have: dict[tuple[OxNode, str, bool], set[ox.Triple]] = defaultdict(set)
        for t in statements:
            have[(t.subject, t.predicate.value, False)].add(t)  # type: ignore[index]
            have[(t.object, t.predicate.value, True)].add(t)  # type: ignore[index]
        found: list[ox.Triple] = []
        large: list[OxNode] = []
        for node in nodes:
            if node.value not in due:  # its own results were reported in an earlier chunk
                found += self._read(node, (_TYPE.value, False))
                for path in sorted(self.needs.targeting):
                    found += islice(self._read(node, path), 1)
                continue
            head = list(islice(self.store.quads_for_pattern(node, None, None), _SMALL + 1))
            if len(head) > _SMALL:
                large.append(node)
                continue
            described: dict[Path, list[ox.Triple]] = defaultdict(list)  # the whole description
            for quad in head:
                described[(quad.predicate.value, False)].append(quad.triple)
            found += described.pop((_TYPE.value, False), ())
            for path, values in described.items():
                if path in self._sampled:
                    found += self._sample(node, path, values, have)
            for path in self._sampled_backward:
                found += self._sample(node, path, self._read(node, path), have)
        for node, path in self._present(large):
            found += self._sample(node, path, self._read(node, path), have)
        typed_full = self.needs.full & self.needs.typed_values
        typed: set[OxNode] = set()
        for t in found:
            if (t.predicate.value, False) in typed_full:
                typed.add(t.object)  # type: ignore[arg-type]
            if (t.predicate.value, True) in typed_full:
                typed.add(t.subject)  # type: ignore[arg-type]
        return ox.serialize(found, format=ox.RdfFormat.N_TRIPLES) or b"", typed

    @cached_property
    def _sampled(self) -> frozenset[Path]:
        """The paths a result on the node itself reads."""
        return self.needs.full | self.needs.witnesses.keys()

    @cached_property
    def _sampled_backward(self) -> list[Path]:
        return sorted(path for path in self._sampled if path[1])

    def _sample(
        self,
        node: OxNode,
        path: Path,
        values: Iterable[ox.Triple],
        have: dict[tuple[OxNode, str, bool], set[ox.Triple]],
    ) -> Iterator[ox.Triple]:
        """All `values` of a `full` path; else the witnesses the chunk does not have already."""
        if path in self.needs.full or path[0] == _TYPE.value:
            return _distinct(values)
        known = have[(node, *path)]
        wanted = max(self.needs.witnesses[path] - len(known), 0)
        return islice((t for t in _distinct(values) if t not in known), wanted)

    def _present(self, nodes: list[OxNode]) -> Iterator[tuple[OxNode, Path]]:
        """For each node, its types' path and the sampled paths it has a value for."""
        if not nodes:
            return
        forward = sorted(p for p, inverse in self._sampled if not inverse) + [_TYPE.value]
        backward = [p for p, _ in self._sampled_backward]
        for predicates, pattern, inverse in (
            (forward, "?n ?p ?o", False),
            (backward, "?o ?p ?n", True),
        ):
            if not predicates:
                continue
            query = (
                f"SELECT ?n ?p WHERE {{ VALUES ?n {{ {_values(nodes)} }} "
                f"VALUES ?p {{ {_iris(predicates)} }} FILTER EXISTS {{ {pattern} }} }}"
            )
            rows = self.store.query(query, use_default_graph_as_union=True)
            assert isinstance(rows, ox.QuerySolutions)
            for row in rows:
                node, predicate = row[0], row[1]
                if isinstance(node, ox.NamedNode | ox.BlankNode) and isinstance(
                    predicate, ox.NamedNode
                ):
                    yield node, (predicate.value, inverse)

    def _read(self, node: OxNode, path: Path) -> Iterator[ox.Triple]:
        """The store's triples of `node` by the path's predicate (pointing at it, if inverse)."""
        predicate = ox.NamedNode(path[0])
        quads = (
            self.store.quads_for_pattern(None, predicate, node)
            if path[1]
            else self.store.quads_for_pattern(node, predicate, None)
        )
        return (quad.triple for quad in quads)

    def _typed_values(self, triples: list[ox.Triple], whole: set[OxNode]) -> set[OxNode]:
        """The class-checked values of the chunk's statements and of the `whole` nodes."""
        forward = {ox.NamedNode(p) for p, inverse in self.needs.typed_values if not inverse}
        backward = {ox.NamedNode(p) for p, inverse in self.needs.typed_values if inverse}
        values: set[OxNode] = {t.object for t in triples if t.predicate in forward}  # type: ignore[misc]
        values |= {t.subject for t in triples if t.predicate in backward}  # type: ignore[misc]
        for predicate in backward:
            for node in whole:
                values |= {q.subject for q in self.store.quads_for_pattern(None, predicate, node)}  # type: ignore[misc]
        return values

    def _around(self, nodes: set[OxNode]) -> set[OxNode]:
        """`nodes` and every node their class-checked values lead to."""
        if not self.needs.typed_values or not nodes:
            return set(nodes)
        steps = "|".join(
            f"^<{predicate}>" if inverse else f"<{predicate}>"
            for predicate, inverse in sorted(self.needs.typed_values)
        )
        query = f"SELECT DISTINCT ?n WHERE {{ VALUES ?f {{ {_values(nodes)} }} ?f ({steps})* ?n }}"
        rows = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        around = _nodes(rows)
        _refuse_blank_nodes(around)
        return around

    def _describe(self, nodes: set[OxNode]) -> bytes:
        """Every triple about `nodes`."""
        if not nodes:
            return b""
        return self._construct(
            f"CONSTRUCT {{ ?n ?p ?o }} WHERE {{ VALUES ?n {{ {_values(nodes)} }} ?n ?p ?o }}"
        )

    def _pointing_at(self, nodes: set[OxNode]) -> bytes:
        """Every triple pointing at `nodes` by the predicate of an inverse path."""
        if not nodes or not self.needs.inverse:
            return b""
        return self._construct(
            f"CONSTRUCT {{ ?x ?p ?n }} WHERE {{ VALUES ?n {{ {_values(nodes)} }} "
            f"VALUES ?p {{ {' '.join(f'<{p}>' for p in sorted(self.needs.inverse))} }} ?x ?p ?n }}"
        )

    def _construct(self, query: str) -> bytes:
        triples = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        return triples.serialize(format=ox.RdfFormat.N_TRIPLES) or b""

    @cached_property
    def _class_tree(self) -> str:
        """The store's own rdfs:subClassOf triples (the ontology's come with every check)."""
        return self._construct(
            f"CONSTRUCT {{ ?a {_SUBCLASS} ?b }} WHERE {{ ?a {_SUBCLASS} ?b }}"
        ).decode()


def _parts(read: Callable[[], Iterable[ox.Triple]], size: int) -> Iterator[list[ox.Triple]]:
    """A graph's statements (read again by each call of `read`) in parts of about `size`
    triples, each subject's in one part; whole when it is smaller, or when one of its nodes
    points at another (a mention and the entity it denotes are judged together: which is
    whole decides which results count).

    A larger graph is read a few times rather than held: the resolution graph of 100,000
    articles has millions of statements. Both the build's reader (sorted N-Quads) and the
    store give each subject's statements together; from a reader that does not, the
    statements are sorted in memory.
    """
    head = list(islice(read(), size + 1))
    if len(head) <= size:
        yield head
        return
    del head
    subjects: set[str] = set()
    together = True
    for subject, _ in groupby(read(), key=_subject_form):
        together = together and subject not in subjects
        subjects.add(subject)
    if any(str(t.object) in subjects for t in read() if not isinstance(t.object, ox.Literal)):
        yield list(read())
        return
    del subjects
    statements = read() if together else sorted(read(), key=_subject_form)
    part: list[ox.Triple] = []
    for _, same in groupby(statements, key=_subject_form):
        if len(part) >= size:
            yield part
            part = []
        part += same
    yield part


def _subject_form(triple: ox.Triple) -> str:
    return str(triple.subject)


def _iris(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _values(nodes: Iterable[OxNode]) -> str:
    return " ".join(str(node) for node in nodes)


def _nodes(rows: ox.QuerySolutions) -> set[OxNode]:
    """The nodes of the first column."""
    return {node for row in rows if isinstance(node := row[0], ox.NamedNode | ox.BlankNode)}


def _distinct(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """Each triple once: the store holds a triple once per graph that states it."""
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def _refuse_blank_nodes(nodes: Iterable[object]) -> None:
    """Blank nodes cannot be named in a query, nor traced through the engine (it renames them)."""
    blank = next((node for node in nodes if isinstance(node, ox.BlankNode)), None)
    if blank is not None:
        raise ValueError(
            f"validate_store cannot check graphs with blank nodes ({blank}): a query cannot name "
            "one, and the engine renames them (kg build writes none; validate_graph checks a "
            "graph with blank nodes whole)"
        )
