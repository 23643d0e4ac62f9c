"""Serialise the graph deterministically and write it atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from rdflib import Graph

from kg.atomic import atomic_write_bytes

RdfFormat = Literal["turtle"]
SUFFIXES: dict[RdfFormat, str] = {"turtle": ".ttl"}


def serialize(graph: Graph, fmt: RdfFormat = "turtle") -> bytes:
    """The graph as bytes; the same graph always gives the same bytes."""
    return graph.serialize(format=fmt, encoding="utf-8")


def write_graph(graph: Graph, path: Path, fmt: RdfFormat = "turtle") -> Path:
    """Write `graph` to `path` via a temporary file, so a failure leaves no half-written file."""
    atomic_write_bytes(path, serialize(graph, fmt))
    return path
