"""Serialise the graph deterministically in the formats users load, and write it atomically.

Formats (see `SUFFIXES`): Turtle, TriG, N-Quads, JSON-LD and GraphML. Turtle
and JSON-LD hold the union of every named graph; TriG and N-Quads keep the
named graphs of a `Dataset` (a plain `Graph` goes into their default graph);
GraphML is `kg.view`'s projection of entities, events and articles, for
Gephi and other network tools.

The same triples always give the same bytes, whatever order they were added
in: rdflib's Memory store iterates in insertion order and its N-Triples and
N-Quads writers in hash order, so every serialisation starts from a copy with
triples added in sorted order, line-based formats are sorted line by line,
and blank nodes get canonical labels (`rdflib.compare`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeGuard, get_args

import networkx as nx
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.term import IdentifiedNode, Node

from kg.atomic import atomic_write_bytes
from kg.namespaces import PREFIXES
from kg.view import graph_to_networkx

Format = Literal["turtle", "trig", "nquads", "json-ld", "graphml"]
# The name from when Turtle was the only format; kept for callers.
RdfFormat: TypeAlias = Format

FORMATS: tuple[Format, ...] = get_args(Format)
SUFFIXES: dict[Format, str] = {
    "turtle": ".ttl",
    "trig": ".trig",
    "nquads": ".nq",
    "json-ld": ".jsonld",
    "graphml": ".graphml",
}
# What users may type for a format (`kg build --format`): its file suffix or its name.
FORMAT_NAMES: dict[str, Format] = {
    **{suffix.lstrip("."): fmt for fmt, suffix in SUFFIXES.items()},
    **{fmt: fmt for fmt in FORMATS},
}

# The JSON-LD `@context`: keys and types read "kg:agent", "rdfs:label", "xsd:date".
JSONLD_PREFIXES = ("kg", "schema", "prov", "skos", "rdfs", "owl", "xsd")
JSONLD_CONTEXT: dict[str, str] = {prefix: str(PREFIXES[prefix]) for prefix in JSONLD_PREFIXES}

GraphName: TypeAlias = IdentifiedNode | None  # None is the default graph
Triple: TypeAlias = tuple[Node, Node, Node]

# Predicates that carry a quad's graph name through blank-node canonicalisation.
_FOLD_NS = "urn:x-newskg:fold:"


def parse_formats(names: Iterable[str]) -> tuple[Format, ...]:
    """Formats from names such as "ttl", "nq,jsonld" or "json-ld", in `FORMATS` order.

    No name at all means every format.

    Raises:
        ValueError: for a name that is no format, naming the choices.
    """
    chosen: set[Format] = set()
    for value in names:
        for name in value.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name not in FORMAT_NAMES:
                choices = ", ".join(suffix.lstrip(".") for suffix in SUFFIXES.values())
                raise ValueError(f"unknown format {name!r}; choose from {choices}")
            chosen.add(FORMAT_NAMES[name])
    return tuple(fmt for fmt in FORMATS if fmt in chosen) if chosen else FORMATS


def format_for_path(path: Path) -> Format:
    """The format a file name asks for by its suffix (`graph.nq` → "nquads")."""
    by_suffix = {suffix: fmt for fmt, suffix in SUFFIXES.items()}
    if path.suffix.lower() not in by_suffix:
        choices = ", ".join(SUFFIXES.values())
        raise ValueError(f"{path}: unknown suffix {path.suffix!r}; use one of {choices}")
    return by_suffix[path.suffix.lower()]


def is_dataset(graph: Graph) -> TypeGuard[ConjunctiveGraph]:
    """Whether `graph` holds named graphs (an rdflib `Dataset` or `ConjunctiveGraph`)."""
    return isinstance(graph, ConjunctiveGraph)


def named_graphs(graph: Graph) -> dict[GraphName, list[Triple]]:
    """The triples of each graph in `graph`; a plain `Graph` is one default graph (None)."""
    if not is_dataset(graph):
        return {None: list(graph)} if len(graph) else {}
    default_names: set[Node] = {DATASET_DEFAULT_GRAPH_ID}
    if not isinstance(graph, Dataset):
        # A ConjunctiveGraph's default graph is named by a random blank node.
        default_names.add(graph.default_context.identifier)
    groups: dict[GraphName, list[Triple]] = {}
    for s, p, o, context in graph.quads((None, None, None, None)):
        # Dataset.quads gives graph names; ConjunctiveGraph.quads gives graphs.
        name = context.identifier if isinstance(context, Graph) else context
        key = None if name is None or name in default_names else name
        groups.setdefault(key, []).append((s, p, o))
    return groups


def union_graph(graph: Graph) -> Graph:
    """Every triple of every named graph in one plain `Graph`, with the same prefixes.

    A plain `Graph` is returned as it is.
    """
    if not is_dataset(graph):
        return graph
    union = _with_prefixes_of(graph)
    for triples in named_graphs(graph).values():
        for triple in triples:
            union.add(triple)  # type: ignore[arg-type]
    return union


def serialize(graph: Graph, fmt: Format = "turtle") -> bytes:
    """The graph as bytes in `fmt`; the same triples always give the same bytes.

    Args:
        graph: a `Graph`, or a `Dataset` whose named graphs TriG and N-Quads keep
            (the other formats hold their union).
        fmt: one of `FORMATS`.
    """
    groups = _canonical_blank_nodes(named_graphs(graph))
    if fmt == "turtle":
        return _sorted_graph(graph, _all_triples(groups)).serialize(
            format="turtle", encoding="utf-8"
        )
    if fmt == "trig":
        return _trig(graph, groups)
    if fmt == "nquads":
        return _nquads(graph, groups)
    if fmt == "json-ld":
        return _jsonld(_sorted_graph(graph, _all_triples(groups)))
    if fmt == "graphml":
        return _graphml(_sorted_graph(graph, _all_triples(groups)))
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def write_graph(graph: Graph, path: Path, fmt: Format = "turtle") -> Path:
    """Write `graph` to `path` via a temporary file, so a failure leaves no half-written file."""
    atomic_write_bytes(path, serialize(graph, fmt))
    return path


# --- determinism -------------------------------------------------------------


def _with_prefixes_of(source: Graph) -> Graph:
    """An empty `Graph` with exactly the prefix bindings of `source`."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _term_key(term: Node) -> tuple[str, str]:
    return (type(term).__name__, term.n3())


def _triple_key(triple: Triple) -> tuple[tuple[str, str], ...]:
    return tuple(_term_key(term) for term in triple)


def _graph_order(name: GraphName) -> tuple[bool, str]:
    """The default graph first, then named graphs by name."""
    return (name is not None, "" if name is None else name.n3())


def _all_triples(groups: Mapping[GraphName, list[Triple]]) -> Iterator[Triple]:
    for triples in groups.values():
        yield from triples


def _sorted_graph(source: Graph, triples: Iterable[Triple]) -> Graph:
    """A copy with the prefixes of `source` and `triples` added in sorted order.

    rdflib's serialisers break ties (objects that compare equal, subjects with
    the same rank) in store order, which is insertion order: sorting first
    makes the output independent of how the graph was built.
    """
    graph = _with_prefixes_of(source)
    for triple in sorted(set(triples), key=_triple_key):
        graph.add(triple)  # type: ignore[arg-type]
    return graph


def _has_blank_nodes(groups: Mapping[GraphName, list[Triple]]) -> bool:
    return any(
        isinstance(term, BNode) for triples in groups.values() for t in triples for term in t
    )


def _canonical_blank_nodes(
    groups: dict[GraphName, list[Triple]],
) -> dict[GraphName, list[Triple]]:
    """Relabel blank nodes from the graph's structure, so their labels are the same every run.

    rdflib gives blank nodes random labels. `rdflib.compare` computes labels
    from a graph's shape but knows nothing of named graphs, so each
    (graph name, predicate) pair is first folded into one stand-in predicate:
    a blank node shared by two named graphs stays one node. Blank-node graph
    names keep their labels.
    """
    if not _has_blank_nodes(groups):
        return groups
    pairs = sorted(
        {(name, p) for name, triples in groups.items() for _, p, _ in triples},
        key=lambda pair: (_graph_order(pair[0]), _term_key(pair[1])),
    )
    fold = {pair: URIRef(f"{_FOLD_NS}{index}") for index, pair in enumerate(pairs)}
    unfold = {folded: pair for pair, folded in fold.items()}
    folded_graph = Graph(bind_namespaces="none")
    for name, triples in groups.items():
        for s, p, o in triples:
            folded_graph.add((s, fold[(name, p)], o))  # type: ignore[arg-type]
    canonical: dict[GraphName, list[Triple]] = {}
    for s, folded_p, o in to_canonical_graph(folded_graph):
        name, p = unfold[folded_p]  # type: ignore[index]
        canonical.setdefault(name, []).append((s, p, o))
    return canonical


# --- formats -----------------------------------------------------------------


def _split_turtle(text: str) -> tuple[list[str], str]:
    """A Turtle document's `@prefix` lines and the statements after them."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("@prefix "):
        start += 1
    return lines[:start], "\n".join(lines[start:]).strip("\n")


def _trig(source: Graph, groups: Mapping[GraphName, list[Triple]]) -> bytes:
    """TriG: the default graph's triples, then one `<name> { … }` block per named graph.

    Each block is rdflib's Turtle for that graph; rdflib's own TriG writer
    orders graphs by hash and goes through `Dataset` methods deprecated in
    rdflib 7, so the document is put together here.
    """
    # rdflib makes up prefixes (ns1, ns2…) for namespaces that have none, per
    # graph serialised; making them up once, over the union, keeps one meaning
    # for each prefix in the whole document.
    prefix_source = _sorted_graph(source, _all_triples(groups))
    prefix_source.serialize(format="turtle")
    prefixes: set[str] = set()
    blocks: list[str] = []
    for name in sorted(groups, key=_graph_order):
        text = _sorted_graph(prefix_source, groups[name]).serialize(format="turtle")
        header, body = _split_turtle(text)
        prefixes.update(header)
        if not body:
            continue
        # The body is not indented: a long literal spans lines verbatim.
        blocks.append(body if name is None else f"{name.n3()} {{\n{body}\n}}")
    head = "\n".join(sorted(prefixes))
    document = "\n\n".join(part for part in (head, *blocks) if part)
    return (document + "\n").encode("utf-8")


def _nquads(source: Graph, groups: Mapping[GraphName, list[Triple]]) -> bytes:
    """N-Quads: the default graph's triples, then each named graph's, each part sorted."""
    lines: list[bytes] = []
    for name in sorted(groups, key=_graph_order):
        ntriples = _sorted_graph(source, groups[name]).serialize(format="nt", encoding="utf-8")
        # Split on "\n" only: N-Triples escapes it in literals, not U+2028 and friends.
        rows = sorted(row for row in ntriples.split(b"\n") if row.strip())
        if name is not None:
            graph_name = name.n3().encode("utf-8")
            # "s p o ." → "s p o <g> ."
            rows = [row[: -len(b".")] + graph_name + b" ." for row in rows]
        lines.extend(rows)
    return b"".join(row + b"\n" for row in lines)


def _sorted_values(value: Any) -> Any:
    """A property's values in a stable order (RDF values are a set; `@list`s are kept)."""
    if isinstance(value, list):
        return sorted(value, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(graph: Graph) -> bytes:
    """JSON-LD with a compact `@context`, one node object per subject, sorted by `@id`."""
    raw = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    document = json.loads(raw) if raw.strip() else {}
    if isinstance(document, list):
        nodes = document
    elif "@graph" in document:
        nodes = document["@graph"]
    else:  # one subject: rdflib inlines it beside the context
        nodes = [{k: v for k, v in document.items() if k != "@context"}] if document else []
    nodes = [{key: _sorted_values(value) for key, value in node.items()} for node in nodes]
    nodes.sort(key=lambda node: (str(node.get("@id", "")), json.dumps(node, sort_keys=True)))
    text = json.dumps(
        {"@context": JSONLD_CONTEXT, "@graph": nodes},
        indent=2,
        sort_keys=True,
        ensure_ascii=False,
    )
    return (text + "\n").encode("utf-8")


def _graphml_value(value: Any) -> str | int | float | bool:
    """GraphML holds scalars only: lists become "a; b", anything else its string."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = [str(item) for item in value]
        return "; ".join(items if isinstance(value, list | tuple) else sorted(items))
    return str(value)


def _graphml(graph: Graph) -> bytes:
    """GraphML of `kg.view.graph_to_networkx`'s projection (nodes and edges in IRI order)."""
    projection = graph_to_networkx(graph)
    out = nx.MultiDiGraph()
    for node, data in projection.nodes(data=True):
        out.add_node(node, **{k: _graphml_value(v) for k, v in data.items() if v is not None})
    # networkx writes multigraph keys as edge ids; the projection keys edges by
    # property name, which repeats, and Gephi merges edges that share an id.
    for index, (source, target, data) in enumerate(projection.edges(data=True)):
        attributes = {k: _graphml_value(v) for k, v in data.items() if v is not None}
        out.add_edge(source, target, key=f"e{index}", **attributes)
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()
