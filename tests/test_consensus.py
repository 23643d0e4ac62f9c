"""Support and consensus: how many independent outlets back a claim, counted from real builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions

import kg
from kg.consensus import Tally, counting, link_support, outlets
from kg.defaults import DEFAULT_CONSENSUS
from kg.graphsource import GraphSource
from kg.projection import project
from kg.records import Article
from kg.stages import kept_support

KG = "https://w3id.org/newskg/ontology#"
CANADA = "<https://w3id.org/newskg/id/country/canada>"
HERALD = """Publisher: Northern Herald

Canada pulls troops out of Latvia

OTTAWA, March 3, 2025 — Canada withdrew 400 soldiers from Latvia on Monday, \
Defence Minister Anita Anand said.
"""
# Another story of the same paper: the same voice, so it adds no support.
HERALD_AGAIN = """Publisher: Northern Herald

Latvia mission ends for Canadian troops

OTTAWA, March 4, 2025 — The 400 Canadian soldiers who left Latvia on Monday are home, \
Defence Minister Anita Anand said.
"""
# The Herald's story as a wire service ran it: one report, whoever prints it.
WIRE_COPY = HERALD.replace("Northern Herald", "Baltic Wire Service")
RIGA = """Publisher: Riga Times

Canadian soldiers leave

RIGA, March 3, 2025 — Canada withdrew 400 soldiers from Latvia on Monday, the \
Latvian defence ministry said.
"""


def _article(name: str, publisher: str | None, body: str) -> Article:
    return Article(name, body, body, (), publisher=publisher)


def test_outlets_join_one_publisher_and_copies_of_one_story() -> None:
    found = outlets(
        [
            _article("a.txt", "Northern Herald", "Story one."),
            _article("b.txt", "northern  herald", "Story two."),  # the same name, spaced and cased
            _article("c.txt", "Baltic Wire", "Story one."),  # a copy of a.txt
            _article("d.txt", "Riga Times", "Story three."),
            _article("e.txt", None, "Story four."),  # unknown publisher: its own voice
            _article("f.txt", None, "Story four."),  # ... unless it is a copy
        ]
    )
    assert found["a.txt"] == found["b.txt"] == found["c.txt"]
    assert found["e.txt"] == found["f.txt"]
    assert len(set(found.values())) == 3


def _support(build: kg.Build, node: str, prop: str) -> dict[str, list[str]]:
    """{claim value: [outlets, publishers…]} for one node and property, from the support graph."""
    query = f"""
        PREFIX kg: <{KG}>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT DISTINCT ?value ?count ?by WHERE {{
          ?claim rdf:subject ?node ; rdf:predicate kg:{prop} ; rdf:object ?value ;
                 kg:supportCount ?count .
          OPTIONAL {{ ?claim kg:supportedBy ?by }}
          ?node a kg:Withdrawal .
          FILTER(?value = {node})
        }}"""
    rows = kg.ask(build.graph, query)
    assert isinstance(rows, QuerySolutions)
    found: dict[str, list[str]] = {}
    for row in rows:
        entry = found.setdefault(row["value"].value, [row["count"].value])
        if row["by"] is not None:
            entry.append(row["by"].value)
    return {value: [entry[0], *sorted(entry[1:])] for value, entry in found.items()}


def _consensus_has(build: kg.Build, prop: str, value: str) -> bool:
    query = f"""
        PREFIX kg: <{KG}>
        ASK {{ GRAPH <https://w3id.org/newskg/id/graph/consensus> {{ ?event kg:{prop} {value} }} }}
    """
    return bool(kg.ask(build.graph, query))


def _build(folder: Path, stories: dict[str, str], **options: int) -> kg.Build:
    (folder / "in").mkdir(parents=True)
    for name, text in stories.items():
        (folder / "in" / name).write_text(text, encoding="utf-8")
    return kg.build([folder / "in"], folder / "out", validate=True, use_cache=False, **options)


@pytest.fixture(scope="module")
def one_voice(tmp_path_factory: pytest.TempPathFactory) -> kg.Build:
    stories = {"herald.txt": HERALD, "herald-2.txt": HERALD_AGAIN, "wire.txt": WIRE_COPY}
    return _build(tmp_path_factory.mktemp("one"), stories)


def test_one_paper_and_its_syndicated_copy_are_one_outlet(one_voice: kg.Build) -> None:
    assert one_voice.validation is not None and one_voice.validation.report.conforms
    support = _support(one_voice, CANADA, "agent")
    assert support[CANADA.strip("<>")] == ["1", "Baltic Wire Service", "Northern Herald"]
    assert not _consensus_has(one_voice, "agent", CANADA)


def test_a_second_outlet_brings_the_claim_into_the_consensus(tmp_path: Path) -> None:
    stories = {"herald.txt": HERALD, "wire.txt": WIRE_COPY, "riga.txt": RIGA}
    built = _build(tmp_path, stories)
    support = _support(built, CANADA, "agent")
    assert support[CANADA.strip("<>")][0] == "2"
    assert _consensus_has(built, "agent", CANADA)
    assert _consensus_has(built, "troopCount", '"400"^^<http://www.w3.org/2001/XMLSchema#integer>')
    stricter = _build(tmp_path / "strict", stories, consensus=3)
    assert not _consensus_has(stricter, "agent", CANADA)


def test_support_patched_after_a_new_outlet_equals_a_clean_build(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in {"herald.txt": HERALD, "wire.txt": WIRE_COPY}.items():
        (folder / name).write_text(text, encoding="utf-8")
    kg.build([folder], tmp_path / "out")
    (folder / "riga.txt").write_text(RIGA, encoding="utf-8")  # a second outlet: counts change
    rebuilt = kg.build([folder], tmp_path / "out")
    assert rebuilt.result is not None
    tallied = kept_support(rebuilt.result.store, rebuilt.result.base_iri, DEFAULT_CONSENSUS)
    assert tallied is not None  # what the next build patches, and the view reads
    source = GraphSource(rebuilt.result.store.store)
    links = project(source).edges
    with counting(lambda: tallied):
        from_tally = link_support(source, links)
    assert from_tally == link_support(source, links)
    agents = [n for (_, p, o), n in from_tally.items() if (p, o) == (KG + "agent", CANADA[1:-1])]
    assert agents == [2]
    agent_links = [link for link in links if link[1] == KG + "agent"]
    with counting(lambda: tallied):  # only the links asked for: the ones a page draws
        assert link_support(source, agent_links) == {
            link: n for link, n in from_tally.items() if link[1] == KG + "agent"
        }
    clean = kg.build([folder], tmp_path / "clean", use_cache=False)
    assert (tmp_path / "out" / "graph.nq").read_bytes() == (clean.out / "graph.nq").read_bytes()
    assert _consensus_has(rebuilt, "agent", CANADA)


def test_the_tally_is_read_when_the_page_asks_and_not_kept(tmp_path: Path) -> None:
    # The writers are given a way to read the tally, not the tally: it is read for each
    # lookup of the links a page draws, and nothing holds it in between.
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in {"herald.txt": HERALD, "riga.txt": RIGA}.items():
        (folder / name).write_text(text, encoding="utf-8")
    built = kg.build([folder], tmp_path / "out")
    assert built.result is not None
    result = built.result
    reads: list[Tally | None] = []

    def read_tally() -> Tally | None:
        reads.append(kept_support(result.store, result.base_iri, DEFAULT_CONSENSUS))
        return reads[-1]

    source = GraphSource(result.store.store)
    links = project(source).edges
    with counting(read_tally):
        assert reads == []
        from_tally = link_support(source, links)
        assert len(reads) == 1 and reads[0] is not None
        link_support(source, links)
        assert len(reads) == 2
    assert from_tally == link_support(source, links)  # the query's answer, without it


def test_the_kept_tally_holds_each_term_once(one_voice: kg.Build) -> None:
    # Three articles claim Canada as an agent: their claims share one string for it (at
    # 100,000 articles a hub country's copies alone would fill hundreds of megabytes).
    assert one_voice.result is not None
    result = one_voice.result
    tallied = kept_support(result.store, result.base_iri, DEFAULT_CONSENSUS)
    assert tallied is not None
    canadas = [
        term
        for _, claims in tallied.claims_of.values()
        for claim in claims
        for term in claim
        if term == CANADA
    ]
    assert len(canadas) >= 3
    assert len({id(term) for term in canadas}) == 1
