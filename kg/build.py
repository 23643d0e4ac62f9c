"""The build as a library call: article files in, a graph and its files out.

Only this module (and the CLI above it) knows the whole chain of stages.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from kg.export import FORMATS, SUFFIXES, Format, union_graph, write_graph
from kg.extract import extract_article
from kg.gazetteer import load_gazetteer
from kg.graph import build_dataset
from kg.ingest import IngestError, discover_articles, load_article
from kg.namespaces import DEFAULT_BASE_IRI
from kg.nlp import DEFAULT_MODEL, build_pipeline, parse
from kg.records import Article, Entity, Event, Role
from kg.resolve import resolve, resolve_events, resolve_roles
from kg.view import write_html

GRAPH_STEM = "graph"  # graph.ttl, graph.trig, graph.nq, graph.jsonld, graph.graphml
GRAPH_FILE = "graph.ttl"
VIEW_FILE = "graph.html"


class NoArticlesError(ValueError):
    """Nothing readable was given to build from."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build produced, for the caller to write and summarise."""

    articles: tuple[Article, ...]
    skipped: tuple[IngestError, ...]
    entities: tuple[Entity, ...]
    graph: Dataset  # one named graph per article, plus the shared entity graph
    seconds: float
    events: tuple[Event, ...] = ()
    roles: tuple[Role, ...] = ()

    def entities_by_class(self) -> dict[str, int]:
        counts = Counter(e.entity_class for e in self.entities)
        return dict(sorted(counts.items()))


def read_articles(paths: Sequence[Path]) -> tuple[list[Article], list[IngestError]]:
    """Load every article under `paths`; a bad file is reported, never fatal."""
    files, errors = discover_articles(paths)
    articles: list[Article] = []
    for path in files:
        try:
            articles.append(load_article(path))
        except IngestError as err:
            errors.append(err)
    return articles, errors


def build(
    articles: Sequence[Article],
    *,
    skipped: Sequence[IngestError] = (),
    model: str = DEFAULT_MODEL,
    base_iri: str = DEFAULT_BASE_IRI,
    on_article: Callable[[Article], None] | None = None,
) -> BuildResult:
    """Run every stage after ingest over `articles` (see `read_articles`).

    Raises:
        NoArticlesError: when there is no article to build from.
        ModelNotFoundError: when the spaCy pipeline is not installed.
    """
    started = time.perf_counter()
    if not articles:
        raise NoArticlesError("no readable article to build from; give .txt, .md or .html files")
    gazetteer = load_gazetteer()
    nlp = build_pipeline(gazetteer, model)
    extractions = []
    for article, doc in zip(articles, parse(nlp, [a.body for a in articles]), strict=True):
        extractions.append(extract_article(article, doc, gazetteer))
        if on_article:
            on_article(article)
    resolution = resolve(extractions, gazetteer)
    events = resolve_events(extractions, resolution)
    roles = resolve_roles(extractions, resolution)
    graph = build_dataset(extractions, resolution, events, roles, base_iri=base_iri)
    return BuildResult(
        articles=tuple(articles),
        skipped=tuple(skipped),
        entities=resolution.entities,
        events=events,
        roles=roles,
        graph=graph,
        seconds=time.perf_counter() - started,
    )


def write_outputs(
    result: BuildResult, out_dir: Path, *, formats: Sequence[Format] = FORMATS
) -> list[Path]:
    """Write the graph in each of `formats` (graph.ttl, graph.trig…) and the HTML view."""
    paths = [
        write_graph(result.graph, out_dir / f"{GRAPH_STEM}{SUFFIXES[fmt]}", fmt) for fmt in formats
    ]
    view_path = out_dir / VIEW_FILE
    write_html(union_graph(result.graph), view_path)
    return [*paths, view_path]
