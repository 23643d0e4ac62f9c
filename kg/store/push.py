"""Upload a build to a SPARQL 1.1 Graph Store endpoint, one named graph per article.

Each named graph goes in one PUT to `ENDPOINT?graph=IRI`, which replaces
whatever the store held under that name, so pushing the same build twice
leaves the store exactly as after the first push, and a rebuilt article
replaces its old version. Oxigraph, Fuseki, GraphDB and Virtuoso all speak
the protocol. A graph the build no longer has is left in the store.

Reference: https://www.w3.org/TR/sparql11-http-rdf-update/#http-put
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, RdfFormat, Store, serialize

from kg.store.auth import Authenticator
from kg.store.http import DEFAULT_TIMEOUT, authenticator, check_endpoint, send, with_query

# N-Triples: every store reads it, and a graph's bytes need no prefixes or state.
_FORMAT = RdfFormat.N_TRIPLES


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push sent."""

    graphs: int
    triples: int
    seconds: float


def _put(
    store: Store,
    graph: NamedNode | BlankNode | DefaultGraph,
    url: str,
    *,
    auth: Authenticator,
    timeout: float,
) -> int:
    """PUT one graph's triples to `url`; the number sent."""
    triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, graph)]
    send(
        "PUT",
        url,
        body=serialize(triples, format=_FORMAT) or b"",
        headers={"Content-Type": _FORMAT.media_type},
        auth=auth,
        timeout=timeout,
    )
    return len(triples)


def push_graphs(
    store: Store,
    endpoint: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] = os.environ,
) -> PushReport:
    """PUT every named graph of `store` to the Graph Store at `endpoint` (and its default
    graph, if it holds any triples: a Turtle file has nothing else).

    Raises:
        StoreError: at the first graph the store refuses or cannot take; the
            graphs before it stay replaced.
    """
    started = time.perf_counter()
    check_endpoint(endpoint)
    auth = authenticator(environ)
    named = sorted(store.named_graphs(), key=lambda name: name.value)
    targets: list[tuple[NamedNode | BlankNode | DefaultGraph, str]] = [
        (graph, with_query(endpoint, {"graph": graph.value})) for graph in named
    ]
    if next(store.quads_for_pattern(None, None, None, DefaultGraph()), None) is not None:
        targets.append((DefaultGraph(), with_query(endpoint, {"default": None})))
    triples = sum(_put(store, graph, url, auth=auth, timeout=timeout) for graph, url in targets)
    return PushReport(graphs=len(targets), triples=triples, seconds=time.perf_counter() - started)
