"""The build's SHACL report, whole after every build, checking only what changed.

A build with no usable earlier report validates the union of its store's
graphs (`validate_union`: in one pass when it is small enough, else in
parts cut by subject, each result made in one part). It keeps the report beside the store,
each result with the graphs it belongs to: those that state its triple or
describe or point at its focus node (a superset of the rule
`validate_store` reports by, so nothing is kept that a changed graph could
have changed). The next build validates only the graphs it rewrote and
carries over the results that belong to none of the graphs it rewrote or
dropped: the report it prints is still the whole graph's. Of a graph that
changed in few lines (the shared graphs of claims and decisions after an
edit: `kg.buildstore.Delta`), only the subjects whose statements changed
are checked, with the nodes those statements name (`_Touched`).

The kept report vouches for one state of the store, named by a digest of
the manifest's graph digests; a report of any other state (a killed
build, a store changed by hand) is not used. What this cannot see: a
result that a change elsewhere would create in a graph left alone, say a
value whose class another article changed without changing its IRI. IRIs
carry the class, so the build writes none; `kg validate` checks a whole
file.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import pyoxigraph as ox
from rdflib.term import Node, URIRef
from rdflib.util import from_n3

from kg.atomic import atomic_write_bytes
from kg.buildstore import LOAD_BATCH, BuildStore, Delta, read_pieces, state_digest
from kg.validate import Severity, ValidationReport, Violation, validate_store, validate_union
from kg.validation.extract import statement_of
from kg.validation.parts import part_count

REPORT = "validation.json"
# Changed graphs of this many N-Quads bytes, a tenth of the store or more, are checked
# faster in the one pass over the whole union than chunk by chunk.
WHOLE_SHARE = 10
WHOLE_CHANGE_BYTES = 4 * 2**20
# A changed graph whose changed lines are at most this share of it is checked in part.
PART_SHARE = 4
FORMAT = "newskg-validation"
VERSION = 1
SEVERITIES: tuple[Severity, ...] = typing.get_args(Severity)


@dataclass(frozen=True, slots=True)
class BuildValidation:
    """The whole graph's report, and how much of the store this build checked."""

    report: ValidationReport
    checked: int  # graphs validated by this build
    graphs: int  # graphs in the store

    @property
    def summary(self) -> str:
        if self.checked == self.graphs:
            return self.report.summary
        return f"{self.report.summary} ({self.checked} of {self.graphs} graphs checked again)"


def validate_build(
    store: BuildStore, changed: Sequence[str], dropped: Sequence[str]
) -> BuildValidation:
    """The report for everything in `store`, validating only `changed` when it can."""
    names = [graph.value for graph in store.graph_names()]
    kept = _read(store, state_digest(store.previous_graphs))
    quads = store.quads()
    small = part_count(quads) == 1
    present = set(names)
    parts = _changed_parts(store, [name for name in changed if name in present])
    if kept is not None and small and _mostly(store, changed, names, parts):
        kept = None  # one pass over the whole union costs less than these graphs by chunks
    if kept is None:
        report = validate_union(store.store, _union_nquads(store), quads=quads, folder=store.folder)
        carried: list[Violation] = []
        checked = len(names)
    else:
        stale = (set(changed) | set(dropped)) - parts.keys()
        touched = _Touched(store, parts)
        carried = [
            v for v, graphs in kept if graphs and not graphs & stale and not touched.stales(v)
        ]
        fresh = [ox.NamedNode(name) for name in changed if name in present]
        report = (
            validate_store(store.store, fresh, touched.nodes(), read_graph=touched.read)
            if fresh
            else ValidationReport.of([], 0)
        )
        checked = len(fresh)
    whole = ValidationReport.of([*carried, *report.violations], report.triples)
    _write(store, whole)
    return BuildValidation(whole, checked, len(names))


def _union_nquads(store: BuildStore) -> Iterator[bytes]:
    """Every graph's N-Quads, from the chunk files, in pieces (a shared graph of 100,000
    articles is a gigabyte)."""
    for name in store.graph_names():
        _, source = store.open_graph(name)
        with source:
            yield from read_pieces(source, LOAD_BATCH)


def _changed_parts(store: BuildStore, changed: Sequence[str]) -> dict[str, Delta]:
    """The changed graphs that changed in few of their lines (`PART_SHARE`), each with how:
    of these only the subjects whose statements changed are checked again."""
    deltas = store.deltas() or {}
    return {
        name: delta
        for name in changed
        if (delta := deltas.get(name)) is not None
        and delta.size * PART_SHARE <= store.graph_bytes(name)
        and all(subject.startswith(b"<") for subject in delta.subjects())
    }


class _Touched:
    """What changed in the graphs that changed in part, as the checks of them read it.

    Such a graph is read as the statements, in it, of the subjects whose
    statements changed (all of theirs: a subject is described whole as
    before). Every node those statements and the lines that left name is
    touched: its results on itself are checked again, and a kept result on
    it is not carried over unless it is about one statement of a graph left
    alone.
    """

    def __init__(self, store: BuildStore, parts: Mapping[str, Delta]) -> None:
        self.store = store
        self.statements: dict[str, list[ox.Triple]] = {}
        left: set[ox.Triple] = set()
        for name, delta in parts.items():
            graph = ox.NamedNode(name)
            subjects = [ox.NamedNode(s[1:-1].decode("utf-8")) for s in delta.subjects()]
            self.statements[name] = [
                quad.triple
                for subject in sorted(subjects, key=str)
                for quad in store.store.quads_for_pattern(subject, None, None, graph)
            ]
            left.update(quad.triple for quad in delta.removed_quads())
        self.triples = left.union(*self.statements.values())
        self._nodes = {
            node.value: node
            for triple in self.triples
            for node in (triple.subject, triple.object)
            if isinstance(node, ox.NamedNode)
        }

    def read(self, name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> Iterable[ox.Triple]:
        if isinstance(name, ox.NamedNode) and name.value in self.statements:
            return self.statements[name.value]
        return self.store.graph_statements(name)

    def nodes(self) -> list[ox.NamedNode]:
        return [self._nodes[iri] for iri in sorted(self._nodes)]

    def stales(self, violation: Violation) -> bool:
        """Whether a kept result may be other now: on a touched node, and about the node
        itself or about a statement that changed or is checked again."""
        if str(violation.focus_node) not in self._nodes:
            return False
        statement = statement_of(violation)
        return statement is None or statement in self.triples


def _mostly(
    store: BuildStore, changed: Sequence[str], names: Sequence[str], parts: Mapping[str, Delta]
) -> bool:
    """Whether the changed graphs are big and hold a tenth of the store or more (of a
    graph that changed in part, its changed lines count): chunk by chunk, each quad costs
    several times what it does in the one pass over the union (`validate_union`)."""
    total = sum(store.graph_bytes(name) for name in names)
    rewritten = sum(
        parts[name].size if name in parts else store.graph_bytes(name) for name in changed
    )
    return rewritten >= WHOLE_CHANGE_BYTES and rewritten * WHOLE_SHARE >= total


def _belongs_to(store: ox.Store, violation: Violation) -> set[str]:
    """The graphs that state the result's triple, or describe or point at its focus node."""
    if not isinstance(violation.focus_node, URIRef):
        return set()  # belongs nowhere it can be found: never carried over
    focus = ox.NamedNode(str(violation.focus_node))
    quads = chain(
        store.quads_for_pattern(focus, None, None, None),
        store.quads_for_pattern(None, None, focus, None),
    )
    return {quad.graph_name.value for quad in quads if isinstance(quad.graph_name, ox.NamedNode)}


def _read(store: BuildStore, state: str) -> list[tuple[Violation, set[str]]] | None:
    """The kept results of the store in `state`, or None when there is no such report."""
    try:
        data = json.loads((store.folder / REPORT).read_text(encoding="utf-8"))
        if (data["format"], data["version"], data["state"]) != (FORMAT, VERSION, state):
            return None
        return [(_violation(entry), set(entry["graphs"])) for entry in data["results"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(store: BuildStore, report: ValidationReport) -> None:
    results = [
        {**_fields(violation), "graphs": sorted(_belongs_to(store.store, violation))}
        for violation in report.violations
    ]
    data = {
        "format": FORMAT,
        "version": VERSION,
        "state": state_digest(store.manifest.graphs),
        "results": results,
    }
    atomic_write_bytes(store.folder / REPORT, json.dumps(data, indent=1).encode("utf-8"))


def _fields(violation: Violation) -> dict[str, object]:
    return {
        "focus": violation.focus_node.n3(),
        "path": violation.path.n3() if violation.path is not None else None,
        "shape": violation.shape.n3(),
        "shape_label": violation.shape_label,
        "message": violation.message,
        "severity": violation.severity,
        "value": violation.value.n3() if violation.value is not None else None,
        "constraint": violation.constraint,
        "found": [term.n3() for term in violation.found],
    }


def _violation(entry: Mapping[str, object]) -> Violation:
    def term(text: object) -> Node:
        node = from_n3(str(text))
        if not isinstance(node, Node):
            raise ValueError(f"not an RDF term: {text!r}")
        return node

    def optional(text: object) -> Node | None:
        return None if text is None else term(text)

    found, severity = entry["found"], entry["severity"]
    if not isinstance(found, Iterable) or severity not in SEVERITIES:
        raise ValueError("not a result newskg wrote")
    return Violation(
        focus_node=term(entry["focus"]),
        path=optional(entry["path"]),
        shape=term(entry["shape"]),
        shape_label=str(entry["shape_label"]),
        message=str(entry["message"]),
        severity=severity,  # type: ignore[arg-type]  # one of SEVERITIES, checked above
        value=optional(entry["value"]),
        constraint=str(entry["constraint"]),
        found=tuple(term(text) for text in found),
    )
