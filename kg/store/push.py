"""Upload a build to a SPARQL 1.1 Graph Store endpoint, one named graph per article.

An article's graph (the graph named by the kg:Article it describes) belongs
to that article alone: it goes in one PUT to `ENDPOINT?graph=IRI`, which
replaces whatever the store held under that name, so a rebuilt article
replaces its old version. Every other graph (the entity, support,
consensus and resolution graphs) is shared by all the builds pushed to one store, so it is
merged subject by subject: the
store's copy is read (GET), each subject this build describes gets this
build's description, every other subject keeps the one an earlier push gave
it, and the result is PUT back. Build B of other articles thus never wipes
build A's entities, and pushing the same build twice leaves the store as
after the first push. Two pushes running at once may lose one's entity
updates (there is no transaction across GET and PUT). A graph or entity the
build no longer has is left in the store. Oxigraph, Fuseki, GraphDB and
Virtuoso all speak the protocol.

Reference: https://www.w3.org/TR/sparql11-http-rdf-update/
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from kg.changes import UPDATE_MEDIA_TYPE
from kg.namespaces import KG
from kg.store.auth import Authenticator
from kg.store.http import (
    DEFAULT_TIMEOUT,
    StoreError,
    authenticator,
    check_endpoint,
    send,
    with_query,
)

# N-Triples: every store reads it, and a graph's bytes need no prefixes or state.
_FORMAT = RdfFormat.N_TRIPLES


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push sent."""

    graphs: int
    triples: int
    seconds: float


_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ARTICLE = NamedNode(str(KG.Article))


def _put(
    store: Store,
    graph: NamedNode | BlankNode | DefaultGraph,
    url: str,
    *,
    auth: Authenticator,
    timeout: float,
) -> int:
    """Send one graph's triples to `url`, replacing or merging (see above); the number ours."""
    triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, graph)]
    sent = triples
    if isinstance(graph, NamedNode) and not _is_article_graph(store, graph):
        ours = {triple.subject for triple in triples}
        stored = _get(url, auth=auth, timeout=timeout)
        sent = [triple for triple in stored if triple.subject not in ours] + triples
    send(
        "PUT",
        url,
        body=serialize(sent, format=_FORMAT) or b"",
        headers={"Content-Type": _FORMAT.media_type},
        auth=auth,
        timeout=timeout,
    )
    return len(triples)


def _is_article_graph(store: Store, graph: NamedNode) -> bool:
    """Whether `graph` is named by the article it holds, and so is that article's alone."""
    found = store.quads_for_pattern(graph, _RDF_TYPE, _ARTICLE, graph)
    return next(found, None) is not None


def _get(url: str, *, auth: Authenticator, timeout: float) -> list[Triple]:
    """The triples the store holds in the graph at `url`; none when it has no such graph."""
    try:
        response = send(
            "GET", url, headers={"Accept": _FORMAT.media_type}, auth=auth, timeout=timeout
        )
    except StoreError as err:
        if isinstance(err.__cause__, HTTPError) and err.__cause__.code == 404:
            return []
        raise
    fmt = RdfFormat.from_media_type(response.media_type) or _FORMAT
    try:
        return [quad.triple for quad in parse(response.body, fmt)]
    except (SyntaxError, ValueError) as err:
        message = f"the store answered GET {url} with {fmt.name} that is not valid: {err}"
        raise StoreError(message) from err


def push_graphs(
    store: Store,
    endpoint: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] = os.environ,
) -> PushReport:
    """PUT every named graph of `store` to the Graph Store at `endpoint` (and its default
    graph, if it holds any triples: a Turtle file has nothing else).

    Article graphs are replaced, the entity graph merged entity by entity
    (see the module's docstring).

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


@dataclass(frozen=True, slots=True)
class ChangesReport:
    """What a change set sent."""

    operations: int
    bytes: int
    seconds: float


def push_changes(
    changes: Path,
    endpoint: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] = os.environ,
) -> ChangesReport:
    """POST a build's change set (`kg.changes`, SPARQL 1.1 Update) to a store's Update
    endpoint, in one request: applied to a store holding the previous build, it leaves
    the store holding this one.

    Raises:
        StoreError: when the file cannot be read, or the store refuses or cannot be reached.
    """
    started = time.perf_counter()
    check_endpoint(endpoint)
    try:
        body = changes.read_bytes()
    except OSError as err:
        raise StoreError(f"cannot read {changes}: {err.strerror or err}") from err
    send(
        "POST",
        endpoint,
        body=body,
        headers={"Content-Type": f"{UPDATE_MEDIA_TYPE}; charset=utf-8"},
        auth=authenticator(environ),
        timeout=timeout,
    )
    operations = sum(
        1 for line in body.splitlines() if line.startswith((b"DELETE DATA", b"INSERT DATA"))
    )
    return ChangesReport(operations, len(body), time.perf_counter() - started)
