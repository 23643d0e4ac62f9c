"""How long does the SHACL check take per article, before and after the Rust engine?

    python benchmarks/bench_validate.py --articles 300
    python benchmarks/bench_validate.py --graph output/graph.trig --alone 20

Builds a generated corpus (benchmarks/corpus.py, validation off) or reads a
built graph.trig, loads it into an on-disk Oxigraph store as the build keeps
it (one named graph per article and the entity graph), plants a few defects
whose checks read several graphs (`DEFECTS`), and times:

- pySHACL on the whole graph, the way `kg build` validated before (skipped
  with --no-pyshacl, or when pySHACL, now a test dependency, is missing);
- `validate_graph` on the whole graph (what `kg validate FILE` does);
- `validate_union` over the store, in one pass and in --parts parts cut by
  subject (a full build: in parts past `kg.validation.parts.PART_QUADS`);
- `validate_store` over the whole store, chunk by chunk (the incremental
  path, given every graph);
- `validate_store` of one article graph at a time (an incremental build),
  for --alone article graphs.

Prints wall and CPU milliseconds per article (the machine may be shared: CPU
time says what the check itself costs) and whether every path reports the
same results.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus  # noqa: E402

from kg.rdflib_graphs import load_graph_file, union_graph  # noqa: E402
from kg.resources import ontology_dir  # noqa: E402
from kg.stages import BuildOptions, build, read_articles, write_outputs  # noqa: E402
from kg.validate import validate_graph, validate_store, validate_union  # noqa: E402

Result = set[tuple[str, str, str]]  # (focus node, path, shape)

# Defects planted in the graph before it is checked, so that the paths are compared on
# results whose checks read several graphs: in one article's graph, a second label for the
# entity most articles name, and that entity said to be mentioned in one of its mentions
# (no article); an event without evidence.
DEFECTS = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH ?g { ?hub rdfs:label "Another name" ; kg:mentionedIn ?mention } }
WHERE {
  { SELECT ?hub ?g ?mention WHERE {
      { SELECT ?hub (COUNT(?a) AS ?n) WHERE { GRAPH ?in { ?hub kg:mentionedIn ?a } }
        GROUP BY ?hub
        ORDER BY DESC(?n) STR(?hub) LIMIT 1 }
      GRAPH ?g { ?hub kg:denotedBy ?mention }
    } ORDER BY STR(?g) STR(?mention) LIMIT 1 }
} ;
DELETE { GRAPH ?g { ?event kg:evidence ?e } }
WHERE {
  { SELECT ?event WHERE { GRAPH ?in { ?event kg:evidence ?any } }
    ORDER BY STR(?event) LIMIT 1 }
  GRAPH ?g { ?event kg:evidence ?e }
}
"""


def _timed(run: Callable[[], Result]) -> tuple[Result, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    results = run()
    return results, time.perf_counter() - wall, time.process_time() - cpu


def _built_graph(articles: int, work: Path) -> Path:
    corpus = work / "corpus"
    write_corpus(corpus, articles)
    found, skipped = read_articles([corpus])
    result = build(found, skipped=skipped, options=BuildOptions())
    write_outputs(result, work / "out", formats=("trig",))
    return work / "out" / "graph.trig"


def _pyshacl(graph: Graph) -> Result:
    """pySHACL as kg.validate ran it before: the union, the ontology mixed in, no inference."""
    import pyshacl

    data = Graph()
    for triple in (*union_graph(graph), *Graph().parse(ontology_dir() / "newskg.ttl")):
        data.add(triple)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", inplace=True, allow_warnings=True
    )
    assert isinstance(report, Graph)
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.sourceShape)),
        )
        for r in report.objects(None, SH.result)
    }


def _keys(violations: object) -> Result:
    return {(str(v.focus_node), str(v.path), str(v.shape)) for v in violations}  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--articles", type=int, default=300, help="generated articles to build")
    source.add_argument("--graph", type=Path, help="a built graph.trig instead")
    parser.add_argument("--alone", type=int, default=20, help="article graphs validated alone")
    parser.add_argument("--parts", type=int, default=8, help="parts the union is cut into")
    parser.add_argument("--no-pyshacl", action="store_true", help="skip the old path")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newskg-bench-validate-") as tmp:
        work = Path(tmp)
        built = args.graph or _built_graph(args.articles, work)
        store = ox.Store(str(work / "store"))
        store.bulk_load(path=built, format=ox.RdfFormat.TRIG)
        store.update(DEFECTS)
        path = work / "planted.nq"
        store.dump(output=path, format=ox.RdfFormat.N_QUADS)
        graph = load_graph_file(path)
        names = sorted(store.named_graphs(), key=str)
        articles = [name for name in names if "/article/" in name.value]
        n = len(articles)
        print(f"{path}: {n} articles, {len(store)} quads")
        print(f"{'path':<44}{'ms/article':>11}{'CPU ms/art':>11}{'results':>9}")

        rows: list[tuple[str, Result, float, float, int]] = []
        try:
            import pyshacl  # noqa: F401

            have_pyshacl = not args.no_pyshacl
        except ImportError:
            have_pyshacl = False
        if have_pyshacl:
            rows.append(("pySHACL, whole graph (before)", *_timed(lambda: _pyshacl(graph)), n))
        rows.append(
            (
                "engine, whole graph (validate_graph)",
                *_timed(lambda: _keys(validate_graph(graph).violations)),
                n,
            )
        )
        quads = len(store)
        rows.append(
            (
                "engine, union in one pass (validate_union)",
                *_timed(lambda: _keys(validate_union(store, part_quads=quads).violations)),
                n,
            )
        )
        rows.append(
            (
                f"engine, union in {args.parts} parts (validate_union)",
                *_timed(
                    lambda: _keys(
                        validate_union(store, part_quads=-(-quads // args.parts)).violations
                    )
                ),
                n,
            )
        )
        rows.append(
            (
                "engine, store in chunks (validate_store)",
                *_timed(lambda: _keys(validate_store(store).violations)),
                n,
            )
        )
        alone = articles[: args.alone]
        rows.append(
            (
                "engine, one article graph (incremental)",
                *_timed(
                    lambda: set().union(
                        *(_keys(validate_store(store, [g]).violations) for g in alone)
                    )
                ),
                len(alone),
            )
        )
        for label, results, wall, cpu, per in rows:
            print(
                f"{label:<44}{1000 * wall / per:>11.1f}{1000 * cpu / per:>11.1f}{len(results):>9}"
            )
        whole = rows[-2][1]
        same = all(results == whole for _, results, *_ in rows[:-1])
        print(f"same results (focus node, path, shape) on every whole-graph path: {same}")


if __name__ == "__main__":
    main()
