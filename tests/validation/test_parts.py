"""Tests for kg.validation.parts: the union checked in parts reports what one pass reports."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
import pytest
from rdflib import Dataset

import kg.validation.parts
from kg.validate import validate_graph, validate_union
from kg.validation import engine
from kg.validation.needs import needs
from kg.validation.shapes import class_tree

KG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
ENTITIES = ox.NamedNode(ID + "graph/entities")
COUNTRY = ox.NamedNode(ID + "country/freedonia")
ARTICLES = 30


def _kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG + name)


def _article(i: int) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}article/a{i:04d}")


def _mention(i: int) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}mention/a{i:04d}/0-9")


def _person(i: int) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}person/official-{i:04d}")


def _hub_quads() -> list[ox.Quad]:
    """A country every article names once, each article in its own graph; a state only
    acted for, by a person with a non-ASCII IRI and by one person in each article."""
    state = ox.NamedNode(ID + "country/sylvania")
    person = ox.NamedNode(ID + "person/josé-núñez")
    quads = [
        ox.Quad(COUNTRY, RDF_TYPE, _kg("Country"), ENTITIES),
        ox.Quad(COUNTRY, LABEL, ox.Literal("Freedonia"), ENTITIES),
        ox.Quad(state, RDF_TYPE, _kg("Country"), ENTITIES),
        ox.Quad(state, LABEL, ox.Literal("Sylvania"), ENTITIES),
        ox.Quad(person, RDF_TYPE, _kg("Person"), ENTITIES),
        ox.Quad(person, LABEL, ox.Literal("José Núñez"), ENTITIES),
        ox.Quad(person, _kg("actsFor"), state, _article(0)),
        ox.Quad(person, _kg("mentionedIn"), _article(0), _article(0)),
    ]
    for i in range(ARTICLES):
        article, mention, official = _article(i), _mention(i), _person(i)
        quads += [  # people named in one article each, all acting for the state
            ox.Quad(official, RDF_TYPE, _kg("Person"), ENTITIES),
            ox.Quad(official, LABEL, ox.Literal(f"Official {i}"), ENTITIES),
            ox.Quad(official, _kg("mentionedIn"), article, article),
            ox.Quad(official, _kg("actsFor"), state, article),
        ]
        statements = (
            (article, RDF_TYPE, _kg("Article")),
            (article, _kg("sourceFile"), ox.Literal(f"a{i:04d}.txt")),
            (COUNTRY, _kg("mentionedIn"), article),
            (COUNTRY, _kg("denotedBy"), mention),
            (mention, RDF_TYPE, _kg("Mention")),
            (mention, _kg("inArticle"), article),
            (mention, _kg("beginIndex"), ox.Literal("0", datatype=INTEGER)),
            (mention, _kg("endIndex"), ox.Literal("9", datatype=INTEGER)),
            (mention, _kg("anchorOf"), ox.Literal("Freedonia")),
        )
        quads += [ox.Quad(s, p, o, article) for s, p, o in statements]
    return quads


def _defects() -> list[ox.Quad]:
    """Defects whose checks read statements of several graphs, and so of several parts."""
    person = ox.NamedNode(ID + "person/josé-núñez")
    stranger = ox.NamedNode(ID + "country/nowhere")
    return [
        # a second label, stated in an article's graph far from the first
        ox.Quad(COUNTRY, LABEL, ox.Literal("Fredonia"), _article(7)),
        ox.Quad(person, LABEL, ox.Literal("J. Núñez"), _article(3)),
        # a mention pointed at a node that is no article, described in another graph
        ox.Quad(_mention(5), _kg("inArticle"), _mention(6), _article(5)),
        # the hub pointing at a node that is no mention
        ox.Quad(COUNTRY, _kg("denotedBy"), _article(9), _article(9)),
        # the hub said to be mentioned in a string, and a person to hold an article as a role
        ox.Quad(COUNTRY, _kg("mentionedIn"), ox.Literal("a0002.txt"), _article(2)),
        ox.Quad(_person(4), _kg("hasRole"), _article(4), _article(4)),
        # an official with a second article, of which nothing is said, and a second label
        ox.Quad(_person(8), _kg("mentionedIn"), ox.NamedNode(ID + "article/gone"), _article(8)),
        ox.Quad(_person(8), LABEL, ox.Literal("Official eight"), _article(9)),
        # an entity neither named nor acted for
        ox.Quad(stranger, RDF_TYPE, _kg("Country"), ENTITIES),
        ox.Quad(stranger, LABEL, ox.Literal("Nowhere"), ENTITIES),
    ]


def _store(quads: Sequence[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def _whole(store: ox.Store) -> set[object]:
    """What validate_graph, a path that shares nothing with the parts, reports."""
    dataset = Dataset()
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    return set(validate_graph(dataset).violations)


@pytest.mark.parametrize("part_quads", [10**6, 100, 40, 7])
def test_parts_report_what_one_pass_reports_on_defects_spanning_parts(part_quads: int):
    store = _store(_hub_quads() + _defects())
    whole = _whole(store)
    assert {str(v.focus_node).rsplit("/", 1)[-1] for v in whole} == {
        "freedonia",
        "josé-núñez",
        "0-9",
        "nowhere",
        "official-0004",
        "official-0008",
    }
    assert sum(str(v.focus_node) == COUNTRY.value for v in whole) == 3  # label, article, string
    assert set(validate_union(store, part_quads=part_quads).violations) == whole
    found, _ = kg.validation.parts.check_in_parts(  # each result in one part only
        [store.dump(format=ox.RdfFormat.N_QUADS) or b""],
        needs(),
        lambda node, path: (),
        kg.validation.parts.part_count(len(store), part_quads),
    )
    assert len(found) == len(whole)


def test_parts_give_the_engine_nothing_to_report_and_no_hub_neighbourhood(
    monkeypatch: pytest.MonkeyPatch,
):
    """Checking a conforming graph in parts, the engine finds nothing anywhere (a focus
    node's types copied to where its values are checked are checked for nothing else), and
    no part is handed the hub's mentions and articles: each holds a bounded multiple of its
    share of the union."""
    handed: list[tuple[int, int]] = []  # (lines, results) per check
    check = engine.check_with_tree
    tree = len(class_tree().splitlines())

    def counted(data: str, fmt: engine.DataFormat = "ntriples", shapes: object = None) -> object:
        results = check(data, fmt, shapes)  # type: ignore[arg-type]
        handed.append((data.count("\n") - tree, len(results)))
        return results

    monkeypatch.setattr(kg.validation.parts.engine, "check_with_tree", counted)
    quads = _hub_quads()
    report = validate_union(_store(quads), part_quads=20)
    assert report.conforms and report.triples == len(quads)
    assert len(handed) > 20 and sum(results for _, results in handed) == 0
    assert max(lines for lines, _ in handed) <= 2 * 20 < 5 * ARTICLES  # 5: a mention


def test_parts_refuse_a_blank_node():
    store = _store(_hub_quads())
    store.add(ox.Quad(ox.BlankNode(), _kg("status"), ox.Literal("rumoured"), ENTITIES))
    with pytest.raises(ValueError, match="blank nodes"):
        validate_union(store, part_quads=20)


def test_parts_copy_a_focus_nodes_type_once_however_many_graphs_state_it(
    monkeypatch: pytest.MonkeyPatch,
):
    """An event told by every article is typed in each one's graph; the parts its values
    are checked in get its type once, not once per graph."""
    event = ox.NamedNode(ID + "event/e1")
    quads = []
    for i in range(ARTICLES):
        article = _article(i)
        statements = (
            (article, RDF_TYPE, _kg("Article")),
            (article, _kg("sourceFile"), ox.Literal(f"a{i:04d}.txt")),
            (event, RDF_TYPE, _kg("Withdrawal")),
            (event, _kg("evidence"), ox.Literal(f"Troops left, says article {i}.")),
            (event, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), article),
        )
        quads += [ox.Quad(s, p, o, article) for s, p, o in statements]
    typed = f"{event} {RDF_TYPE} "
    found: list[int] = []
    check = engine.check_with_tree

    def counted(data: str, fmt: engine.DataFormat = "ntriples", shapes: object = None) -> object:
        found.append(data.count(typed))
        return check(data, fmt, shapes)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.validation.parts.engine, "check_with_tree", counted)
    assert validate_union(_store(quads), part_quads=15).conforms
    assert sorted(found)[-3:] == [1, ARTICLES, ARTICLES]  # its own part's two checks
