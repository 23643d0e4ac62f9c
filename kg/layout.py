"""A build folder's layout: the graph files by format, the view, the cache and the store.

Imports nothing heavy: the `kg` command reads it to decide whether a build
has anything to do before it loads spaCy or rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal, get_args

Format = Literal["turtle", "trig", "nquads", "json-ld", "graphml"]

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

GRAPH_STEM = "graph"  # graph.ttl, graph.trig, graph.nq, graph.jsonld, graph.graphml
GRAPH_FILE = "graph.ttl"
VIEW_FILE = "graph.html"
TIMELINE_FILE = "timeline.svg"  # troop levels over time per place (kg.timeline_chart)
CHANGES_FILE = "changes.ru"  # SPARQL Update from the previous build to this one (kg.changes)
CACHE_DIR = ".cache"  # inside the output folder, unless --cache says otherwise
STORE_DIR = ".store"  # likewise, unless --store says otherwise


def output_name(fmt: Format) -> str:
    """The graph file of one format: graph.ttl, graph.trig…"""
    return f"{GRAPH_STEM}{SUFFIXES[fmt]}"


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
