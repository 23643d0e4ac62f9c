"""Article graphs made where the articles are, handed to the store as N-Quads chunks.

On a cluster the driver should not make every article's triples itself.
A worker turns a batch of `ArticleRecords` (an article's extraction and its
share of the resolution) into one `GraphChunk` per article: the graph's
name, the digest the store's manifest keys on, and its quads as N-Quads
bytes. The driver bulk-loads the chunks whose digest changed
(`BuildStore.load_chunks`, Oxigraph's `bulk_load`) and never holds their
quads as objects. A local build makes the same graphs in process
(`kg.graph.article_graph`); both give the same digests, so either may
follow the other on one store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.buildstore import graph_digest
from kg.graph import ArticleRecords, IriMinter, article_graph


@dataclass(frozen=True, slots=True)
class GraphChunk:
    """One article's graph as a worker hands it back."""

    name: str  # the graph's IRI
    digest: str  # `graph_digest` of its quads
    nquads: bytes  # its quads, one per line, sorted


def graph_chunks(base_iri: str, batch: Sequence[ArticleRecords]) -> list[GraphChunk]:
    """The graph of every article in `batch`, in order, as N-Quads."""
    minter = IriMinter(base_iri)
    chunks = []
    for records in batch:
        name, quads = article_graph(records, minter)
        quads.sort(key=str)
        nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        chunks.append(GraphChunk(name.value, graph_digest(quads), nquads))
    return chunks
