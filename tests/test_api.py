"""The library API: build, load, ask and draw from Python, as a notebook would."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions

import kg
from kg.heap import BUILD_YOUNG_OBJECTS

STORY = """Canada to cut its Latvia force

OTTAWA, May 4, 2023 — Canada will reduce its troops in Latvia from 1,000 to 600 by June, \
Defence Minister Anita Anand said on Thursday.

The soldiers based at Camp Adazi will be the first to leave.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> kg.Build:
    folder = tmp_path_factory.mktemp("api")
    (folder / "articles").mkdir()
    (folder / "articles" / "latvia.txt").write_text(STORY, encoding="utf-8")
    (folder / "articles" / "empty.txt").write_text("", encoding="utf-8")
    return kg.build([folder / "articles"], folder / "out", validate=True)


def test_api_build_writes_the_files_and_says_what_it_skipped(built: kg.Build) -> None:
    assert not built.up_to_date
    assert {path.name for path in built.files} >= {"graph.ttl", "graph.trig", "graph.html"}
    assert all(path.is_file() for path in built.files)
    assert [error.path.name for error in built.skipped] == ["empty.txt"]
    assert built.validation is not None and built.validation.report.conforms
    assert built.result is not None and built.result.entities_by_class()["Country"] >= 2


def test_api_build_counts_what_the_graph_holds(built: kg.Build) -> None:
    # The result counts what resolution made, and holds none of it: the graph has it.
    result = built.result
    assert result is not None
    events = kg.ask(
        kg.load(built.out),
        "SELECT (COUNT(DISTINCT ?event) AS ?n) WHERE { ?event ?p ?o "
        'FILTER(STRSTARTS(STR(?event), "https://w3id.org/newskg/id/event/")) }',
    )
    assert result.article_count == 1
    assert result.event_count == int(next(iter(events))["n"].value) == 2
    assert result.entities_by_class() == {"Country": 2, "MilitaryBase": 1, "Person": 1}


def test_api_build_again_does_nothing(built: kg.Build) -> None:
    again = kg.build([built.out.parent / "articles"], built.out)
    assert again.up_to_date and again.files == []


def test_api_load_ask_and_draw(built: kg.Build, tmp_path: Path) -> None:
    graph = kg.load(built.out)
    assert graph.path.name == "graph.trig" and graph.named_graphs >= 2
    rows = kg.ask(graph, "troop-levels")
    assert isinstance(rows, QuerySolutions)
    assert {row["troops"].value for row in rows} == {"1000", "600"}
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE "
        "{ ?c a <https://w3id.org/newskg/ontology#Country> ; rdfs:label ?label }"
    )
    named = kg.ask(graph, text, label="Latvia")
    assert [row["label"].value for row in named] == ["Latvia"]
    stats = kg.draw(graph, tmp_path / "page.html", max_nodes=5)
    assert stats.nodes == 5 and (tmp_path / "page.html").is_file()


def test_api_build_gives_its_graph(built: kg.Build, tmp_path: Path) -> None:
    assert len(built.graph) == len(kg.load(built.out)) > 0
    assert built.graph is built.graph  # loaded once
    stats = kg.draw(built.graph, tmp_path / "x.html")
    assert stats.nodes > 0 and (tmp_path / "x.html").is_file()


def test_api_build_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(kg.BuildError, match=r"no readable article .*empty\.txt"):
        kg.build([tmp_path / "empty.txt"], tmp_path / "out")
    with pytest.raises(kg.BuildError, match="unknown executor"):
        kg.build([tmp_path], tmp_path / "out", executor="cloud")


def test_api_build_collects_young_objects_less_often_while_it_runs(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "latvia.txt").write_text(STORY, encoding="utf-8")
    caller = gc.get_threshold()
    seen: list[tuple[int, ...]] = []

    @contextmanager
    def progress(total: int) -> Iterator[Callable[[int], None]]:
        seen.append(gc.get_threshold())
        yield lambda n: None

    kg.build([tmp_path / "articles"], tmp_path / "out", validate=False, progress=progress)
    assert seen == [(BUILD_YOUNG_OBJECTS, *caller[1:])]
    assert gc.get_threshold() == caller
