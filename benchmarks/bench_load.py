"""How long do `kg validate` and `kg view` take on a graph holding one long literal?

    python benchmarks/bench_load.py [--megabytes 1 2 4 8 15] [--format ttl nq jsonld]

Writes, for each size, a small graph whose article headline is one literal of
that many megabytes of news-like text (escaped newlines, quotes and non-ASCII
letters included), in each format, then times what the two commands do with
it: reading the file (`load_graph_file`), the SHACL check (`validate_graph`)
and drawing the page (`render_page`). Time should grow in proportion to the
size; rdflib's own parsers, which these commands used before, took 17 s on
2 MB and over 300 s on 50 MB. Terms longer than the readers take (16 MB,
about 8 MB in JSON-LD) are refused with a message, and shown as such here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.defaults import DEFAULT_BASE_IRI
from kg.export import serialize  # noqa: E402
from kg.layout import Format  # noqa: E402
from kg.namespaces import KG, SCHEMA  # noqa: E402
from kg.rdflib_graphs import load_graph_file, union_view  # noqa: E402
from kg.validate import GraphFileError, validate_graph  # noqa: E402
from kg.view import render_page  # noqa: E402

SENTENCE = 'Officials said "about 3,000" troops would leave Erbil and Kirkuk — Ербиль.\n'
T = TypeVar("T")
FORMATS: dict[str, Format] = {"ttl": "turtle", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def long_literal_graph(megabytes: float) -> Dataset:
    """An article named in one graph, whose headline is `megabytes` MB of text."""
    article = URIRef(f"{DEFAULT_BASE_IRI}article/long")
    person = URIRef(f"{DEFAULT_BASE_IRI}person/jane-roe")
    text = SENTENCE * max(1, int(megabytes * 1_000_000 / len(SENTENCE.encode("utf-8"))))
    dataset = Dataset()
    graph = dataset.graph(article)
    graph.add((article, RDF.type, KG.Article))
    graph.add((article, KG.sourceFile, Literal("long.txt")))
    graph.add((article, SCHEMA.headline, Literal(text)))
    graph.add((person, RDF.type, KG.Person))
    graph.add((person, RDFS.label, Literal("Jane Roe")))
    graph.add((person, KG.mentionedIn, article))
    return dataset


def _timed(stage: str, times: dict[str, float], run: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = run()
    times[stage] = time.perf_counter() - started
    return result


def bench(path: Path) -> dict[str, float] | str:
    """Seconds per stage for one file, or why it was refused."""
    times: dict[str, float] = {}
    try:
        graph: Graph = _timed("read", times, lambda: load_graph_file(path))
    except GraphFileError as err:
        return err.problem
    _timed("validate", times, lambda: validate_graph(graph))
    _timed("view", times, lambda: render_page(union_view(graph), title="bench"))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[1, 2, 4, 8, 15])
    parser.add_argument("--format", nargs="+", choices=sorted(FORMATS), default=["ttl", "jsonld"])
    args = parser.parse_args()
    print(f"{'MB':>6} {'format':<7}{'read':>8}{'validate':>10}{'view':>8}   seconds")
    with tempfile.TemporaryDirectory(prefix="newskg-bench-load-") as folder:
        for megabytes in args.megabytes:
            dataset = long_literal_graph(megabytes)
            for suffix in args.format:
                path = Path(folder) / f"graph.{suffix}"
                path.write_bytes(serialize(dataset, FORMATS[suffix]))
                result = bench(path)
                if isinstance(result, str):
                    print(f"{megabytes:>6g} {suffix:<7}refused: {json.dumps(result)[:70]}")
                    continue
                row = "".join(f"{result[s]:>{w}.2f}" for s, w in (("read", 8), ("validate", 10)))
                print(f"{megabytes:>6g} {suffix:<7}{row}{result['view']:>8.2f}")


if __name__ == "__main__":
    main()
