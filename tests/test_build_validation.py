"""A build's SHACL report stays whole while each build checks only the graphs it rewrote."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

import kg.build_validation
from kg.build_validation import REPORT, BuildValidation, validate_build
from kg.buildstore import BuildStore
from kg.chunks import graph_chunk
from kg.defaults import DEFAULT_BASE_IRI
from kg.gazetteer import shipped_gazetteer
from kg.graph import article_records
from kg.parallel import open_workers
from kg.records import ArticleExtraction
from kg.resolve import resolve, resolve_events, resolve_roles
from kg.stages import store_graphs
from kg.validate import validate_store

KG = "https://w3id.org/newskg/ontology#"
TROOP_COUNT = ox.NamedNode(KG + "troopCount")
SUPPORT_COUNT = ox.NamedNode(KG + "supportCount")
HEADLINE = ox.NamedNode("https://schema.org/headline")
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
NEW_HEADLINE = ox.Literal('Canada sends "450" troops')
STORIES = {
    "a.txt": "About 900 Dutch soldiers left Lithuania on Friday, the Dutch defence ministry said.",
    "b.txt": "Canada deployed 450 troops to Latvia in March, Canadian officials said.",
}
Quads = list[ox.Quad]
GRAPHS = 6  # the two stories', the entity, support, consensus and resolution graphs


@pytest.fixture
def store(tmp_path: Path, extract: Callable[..., ArticleExtraction]) -> Path:
    """A store holding the two stories' graphs (and the shared ones); its folder."""
    extractions = [extract(text, name) for name, text in STORIES.items()]
    resolution = resolve(extractions, shipped_gazetteer())
    events = resolve_events(extractions, resolution)
    roles = resolve_roles(extractions, resolution)
    records = list(article_records(extractions, resolution, events, roles))
    with open_workers() as workers:
        store_graphs(
            BuildStore(tmp_path),
            workers,
            records,
            resolution.entities,
            DEFAULT_BASE_IRI,
            explained=(resolution.reasons, events, roles),
        )
    return tmp_path


def _graph(store: BuildStore, source: str) -> ox.NamedNode:
    (name,) = [g for g in store.graph_names() if g.value.endswith(f"/article/{source}")]
    return name


def _next_build(
    folder: Path,
    source: str,
    edit: Callable[[ox.NamedNode, Quads], Quads],
    *,
    validate: bool = True,
) -> BuildValidation | None:
    """What a build does that rewrites one graph (an article's, or a shared one named by
    its path): open the store, rewrite, commit, validate."""
    store = BuildStore(folder)
    name = ox.NamedNode(DEFAULT_BASE_IRI + source) if "/" in source else _graph(store, source)
    quads = list(store.store.quads_for_pattern(None, None, None, name))
    changed = store.load([graph_chunk(name, edit(name, quads))])
    store.commit()
    return validate_build(store, changed, []) if validate else None


def negative_count(name: ox.NamedNode, quads: Quads) -> Quads:
    event = next(q.subject for q in quads if q.predicate == TROOP_COUNT)
    return [*quads, ox.Quad(event, TROOP_COUNT, ox.Literal("-5", datatype=INTEGER), name)]


def valid_count(name: ox.NamedNode, quads: Quads) -> Quads:
    return [q for q in quads if q.object != ox.Literal("-5", datatype=INTEGER)]


def two_support_counts(name: ox.NamedNode, quads: Quads) -> Quads:
    claim = next(q.subject for q in quads if q.predicate == SUPPORT_COUNT)
    return [*quads, ox.Quad(claim, SUPPORT_COUNT, ox.Literal("7", datatype=INTEGER), name)]


def one_support_count(name: ox.NamedNode, quads: Quads) -> Quads:
    return [q for q in quads if q.object != ox.Literal("7", datatype=INTEGER)]


def new_headline(name: ox.NamedNode, quads: Quads) -> Quads:
    return [*quads, ox.Quad(name, HEADLINE, NEW_HEADLINE, name)]


def old_headline(name: ox.NamedNode, quads: Quads) -> Quads:
    return [q for q in quads if q.object != NEW_HEADLINE]


def test_build_validation_keeps_the_report_whole_across_builds(store: Path):
    first = _next_build(store, "a", negative_count)
    assert first is not None
    assert first.checked == first.graphs == GRAPHS  # no earlier report: every graph
    (violation,) = first.report.violations
    assert violation.path == URIRef(TROOP_COUNT.value) and "-5" in violation.line()

    second = _next_build(store, "b", new_headline)
    assert second is not None
    assert second.checked == 1  # only b, yet a's result is still reported
    assert second.report.violations == first.report.violations
    assert second.summary.endswith(f"(1 of {GRAPHS} graphs checked again)")
    assert not second.report.conforms

    third = _next_build(store, "a", valid_count)
    assert third is not None
    assert third.checked == 1
    assert third.report.conforms and not third.report.violations


def test_build_validation_a_large_change_is_checked_in_one_pass_over_the_union(
    store: Path, monkeypatch: pytest.MonkeyPatch
):
    first = _next_build(store, "a", negative_count)
    assert first is not None
    # Any rewritten graph counts as large: b is a tenth of this small store and more
    # (and is rewritten whole: no graph counts as changed in part).
    monkeypatch.setattr(kg.build_validation, "WHOLE_CHANGE_BYTES", 0)
    monkeypatch.setattr(kg.build_validation, "PART_SHARE", 10**9)
    second = _next_build(store, "b", new_headline)
    assert second is not None
    assert second.checked == second.graphs == GRAPHS  # every graph, not only b
    assert second.report.violations == first.report.violations  # the same report


def test_build_validation_checks_a_shared_graph_changed_in_part_as_a_whole_check_would(
    store: Path, tmp_path_factory: pytest.TempPathFactory
):
    _next_build(store, "a", negative_count)
    second = _next_build(store, "graph/support", two_support_counts)
    assert second is not None and second.checked == 1
    assert {v.path for v in second.report.violations} == {
        URIRef(TROOP_COUNT.value),  # a's, carried over
        URIRef(SUPPORT_COUNT.value),  # the claim node checked again
    }
    copy = shutil.copytree(store, tmp_path_factory.mktemp("copy") / "store")  # checked whole
    (copy / REPORT).unlink()
    whole = validate_build(BuildStore(copy), [], [])
    assert whole.checked == GRAPHS
    assert second.report.violations == whole.report.violations
    support = ox.NamedNode(DEFAULT_BASE_IRI + "graph/support")
    whole_graph = validate_store(BuildStore(copy).store, [support])
    assert second.report.triples < whole_graph.triples  # the claim that changed, not all

    third = _next_build(store, "graph/support", one_support_count)
    assert third is not None and third.checked == 1
    assert [v.path for v in third.report.violations] == [URIRef(TROOP_COUNT.value)]


def test_build_validation_drops_the_results_of_a_dropped_graph(store: Path):
    first = _next_build(store, "a", negative_count)
    assert first is not None and not first.report.conforms
    next_build = BuildStore(store)
    a = _graph(next_build, "a").value
    dropped = next_build.keep_only({g.value for g in next_build.graph_names()} - {a})
    next_build.commit()
    assert dropped == [a]
    after = validate_build(next_build, [], dropped)
    assert after.checked == 0 and after.report.conforms


def test_build_validation_checks_everything_after_an_unchecked_build(store: Path):
    _next_build(store, "a", negative_count)
    _next_build(store, "b", new_headline, validate=False)  # --no-validate, or killed
    later = _next_build(store, "b", old_headline)
    assert later is not None
    assert later.checked == later.graphs == GRAPHS  # the kept report is of another state
    assert len(later.report.violations) == 1


def test_build_validation_first_build_reports_alike_whole_or_in_chunks(
    store: Path, monkeypatch: pytest.MonkeyPatch
):
    whole = _next_build(store, "a", negative_count)  # two small stories: the union in one pass
    assert whole is not None
    (store / REPORT).unlink()  # no earlier report: the next build checks everything again
    monkeypatch.setattr("kg.validation.parts.ONE_PASS_QUADS", 0)  # as for a large store:
    monkeypatch.setattr("kg.validation.parts.PART_QUADS", 40)  # in parts
    chunked = validate_build(BuildStore(store), [], [])
    assert chunked.checked == whole.checked == GRAPHS
    assert chunked.report.violations == whole.report.violations
    assert json.loads((store / REPORT).read_text())["results"][0]["graphs"]
