"""Tests for kg.view: the projection, the panel details, the layout and the offline page.

What the page does in a browser is tested in tests/browser/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.defaults import DEFAULT_BASE_IRI
from kg.graphsource import GraphSource
from kg.namespaces import KG, SCHEMA, WD
from kg.projection import graph_to_networkx, keep_most_connected, project
from kg.view import render_html, render_page, write_html
from kg.view.details import web_link
from kg.view.layout import EXACT_REPULSION, force_layout
from kg.view.page import _VIS_OPTIONS, _inline, script_json

ID = Namespace(DEFAULT_BASE_IRI)
# A plain Namespace: pytest probing rdflib's XSD DefinedNamespace at collection warns.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TRUMP = ID["person/donald-trump"]
KADHIMI = ID["person/mustafa-al-kadhimi"]
IRAQ = ID["country/iraq"]
USA = ID["country/united-states"]
AL_ASAD = ID["base/al-asad-airbase"]
ARTICLE = ID["article/001_c34ed854f745c209"]
OTHER_ARTICLE = ID["article/002_ec8027eaf503b8ac"]
WITHDRAWAL = ID["event/3f2a9c"]
UNTYPED = ID["place/nowhere-typed"]

HEADLINE = "US to pull almost half its troops from Iraq this month"
OTHER_HEADLINE = "US plans further troop reductions in Iraq by November"
SENTENCE = (
    "The United States is reducing its troop presence in Iraq this month from 5,200 to 3,000."
)
OTHER_SENTENCE = "The United States plans to reduce its force in Iraq to about 3,500 by November."

HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<!-- <script>alert(1)</script>",
    "line\u2028separator & <b>bold</b>",
]

EXTERNAL_RESOURCE = re.compile(
    r"""<(?:script\b[^>]*\bsrc|link\b[^>]*\bhref|img\b|iframe\b)""", re.IGNORECASE
)
# The page's JSON: kg-data (ours), kg-nodes, kg-edges and kg-options (pyvis's Network).
JSON_BLOCK = re.compile(r'<script type="application/json" id="kg-(\w+)">(.*?)</script>', re.DOTALL)
JSON_BLOCKS = ["data", "nodes", "edges", "options"]
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
runner = CliRunner()


def small_graph() -> Graph:
    """Two persons, a country, a base in Iraq and an article."""
    g = Graph()
    for triple in [
        (TRUMP, RDF.type, KG.Person),
        (TRUMP, RDFS.label, Literal("Donald Trump")),
        (TRUMP, SKOS.altLabel, Literal("Trump")),
        (TRUMP, SKOS.altLabel, Literal("Mr Trump")),
        (TRUMP, OWL.sameAs, WD.Q22686),
        (TRUMP, KG.mentionedIn, ARTICLE),
        (KADHIMI, RDF.type, KG.Person),
        (KADHIMI, RDFS.label, Literal("Mustafa al-Kadhimi")),
        (KADHIMI, KG.mentionedIn, ARTICLE),
        (IRAQ, RDF.type, KG.Country),
        (IRAQ, RDFS.label, Literal("Iraq")),
        (IRAQ, SKOS.altLabel, Literal("Republic of Iraq")),
        (IRAQ, KG.mentionedIn, ARTICLE),
        (AL_ASAD, RDF.type, KG.MilitaryBase),
        (AL_ASAD, RDFS.label, Literal("Al Asad Airbase")),
        (AL_ASAD, KG.locatedIn, IRAQ),
        (AL_ASAD, KG.mentionedIn, ARTICLE),
        (ARTICLE, RDF.type, KG.Article),
        (ARTICLE, SCHEMA.headline, Literal(HEADLINE)),
        (ARTICLE, SCHEMA.datePublished, Literal("2020-09-09", datatype=XSD.date)),
        (ARTICLE, SCHEMA.url, Literal("https://www.lbc.co.uk/news/us-iraq/")),
        (ARTICLE, KG.sourceFile, Literal("001_c34ed854f745c209.txt")),
    ]:
        g.add(triple)
    return g


def add_mention(g: Graph, subject: URIRef, article: URIRef, begin: int, anchor: str) -> None:
    """A kg:Mention of `subject` in `article` at `begin`, as kg.graph writes them."""
    mention = URIRef(f"{article}/mention/{begin}")
    g.add((subject, KG.denotedBy, mention))
    g.add((mention, RDF.type, KG.Mention))
    g.add((mention, KG.inArticle, article))
    g.add((mention, KG.beginIndex, Literal(begin, datatype=XSD.integer)))
    g.add((mention, KG.endIndex, Literal(begin + len(anchor), datatype=XSD.integer)))
    g.add((mention, KG.anchorOf, Literal(anchor)))


def add_sentence(
    g: Graph, article: URIRef, begin: int, sentence: str, words: list[tuple[URIRef, str]]
) -> None:
    """Mentions of `words` in `sentence`, which starts at offset `begin` of `article`."""
    for subject, word in words:
        add_mention(g, subject, article, begin + sentence.index(word), word)


def event_graph() -> Graph:
    """`small_graph` plus a withdrawal two articles report, a role, mentions, undrawn links."""
    g = small_graph()
    role = BNode("role1")
    for triple in [
        (USA, RDF.type, KG.Country),  # no label: falls back to the IRI's last segment
        (OTHER_ARTICLE, RDF.type, KG.Article),
        (OTHER_ARTICLE, SCHEMA.headline, Literal(OTHER_HEADLINE)),
        (OTHER_ARTICLE, SCHEMA.datePublished, Literal("2020-08-29", datatype=XSD.date)),
        (OTHER_ARTICLE, SCHEMA.url, Literal("javascript:alert(1)")),
        (WITHDRAWAL, RDF.type, KG.Withdrawal),
        (WITHDRAWAL, RDFS.label, Literal("Withdrawal by United States from Iraq (2020-09)")),
        (WITHDRAWAL, KG.agent, USA),
        (WITHDRAWAL, KG.location, IRAQ),
        (WITHDRAWAL, KG.accordingTo, TRUMP),
        (WITHDRAWAL, KG.destination, UNTYPED),  # not drawn, so no edge
        (WITHDRAWAL, KG.date, Literal("2020-09", datatype=XSD.gYearMonth)),
        (WITHDRAWAL, KG.date, Literal("2020-11", datatype=XSD.gYearMonth)),
        (WITHDRAWAL, KG.troopsBefore, Literal(5200)),
        (WITHDRAWAL, KG.troopsAfter, Literal(3000)),
        (WITHDRAWAL, KG.troopsAfter, Literal(3500)),
        (WITHDRAWAL, KG.troopsAfterQualifier, Literal("about")),
        (WITHDRAWAL, KG.status, Literal("planned")),
        (WITHDRAWAL, KG.evidence, Literal(SENTENCE)),
        (WITHDRAWAL, KG.evidence, Literal(OTHER_SENTENCE)),
        (WITHDRAWAL, PROV.wasDerivedFrom, ARTICLE),
        (WITHDRAWAL, PROV.wasDerivedFrom, OTHER_ARTICLE),
        (KADHIMI, KG.hasRole, role),
        (role, RDF.type, KG.Role),
        (role, KG.title, Literal("Prime Minister")),
        (role, KG.roleOf, IRAQ),
        (role, PROV.wasDerivedFrom, ARTICLE),
        (TRUMP, KG.agent, IRAQ),  # event property on an entity: not drawn
    ]:
        g.add(triple)
    # Both sentences hold the trigger "reduc"; only the mentions around it tell
    # which article each sentence is from.
    add_sentence(g, ARTICLE, 100, SENTENCE, [(WITHDRAWAL, "reducing"), (USA, "United States")])
    add_sentence(g, ARTICLE, 300, "Iraq said so.", [(IRAQ, "Iraq")])
    add_sentence(g, OTHER_ARTICLE, 400, OTHER_SENTENCE, [(WITHDRAWAL, "reduce"), (IRAQ, "Iraq")])
    add_mention(g, TRUMP, ARTICLE, 10, "Mr Trump")
    return g


def json_blocks(page: str) -> dict[str, str]:
    """The text of each JSON block of the page, by name."""
    blocks = {name: text for name, text in JSON_BLOCK.findall(page)}
    assert list(blocks) == JSON_BLOCKS
    return blocks


def csp_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def page_data(page: str) -> dict[str, Any]:
    """The JSON the page hands to its script, gathered as the script gathers it."""
    blocks = {name: json.loads(text) for name, text in json_blocks(page).items()}
    data: dict[str, Any] = blocks.pop("data")
    return {**data, **blocks}


def node_by_iri(data: dict[str, Any], iri: URIRef) -> dict[str, Any]:
    return next(node for node in data["nodes"] if node["iri"] == str(iri))


# --- projection --------------------------------------------------------------


@pytest.mark.parametrize(
    ("iri", "kind", "label"),
    [
        (TRUMP, "Person", "Donald Trump"),
        (KADHIMI, "Person", "Mustafa al-Kadhimi"),
        (IRAQ, "Country", "Iraq"),
        (AL_ASAD, "MilitaryBase", "Al Asad Airbase"),
        (ARTICLE, "Article", HEADLINE),
    ],
)
def test_view_projection_node_kind_and_label(iri: URIRef, kind: str, label: str) -> None:
    projection = graph_to_networkx(small_graph())
    assert projection.nodes[str(iri)]["kind"] == kind
    assert projection.nodes[str(iri)]["label"] == label
    assert projection.nodes[str(iri)]["iri"] == str(iri)


def test_view_projection_node_count() -> None:
    projection = graph_to_networkx(small_graph())
    kinds = sorted(kind for _, kind in projection.nodes(data="kind"))
    assert kinds == ["Article", "Country", "MilitaryBase", "Person", "Person"]


def test_view_projection_aliases_and_same_as_sorted() -> None:
    data = graph_to_networkx(small_graph()).nodes[str(TRUMP)]
    assert data["aliases"] == ["Mr Trump", "Trump"]
    assert data["same_as"] == [str(WD.Q22686)]


@pytest.mark.parametrize(
    ("source", "key", "target"),
    [
        (TRUMP, "mentionedIn", ARTICLE),
        (KADHIMI, "mentionedIn", ARTICLE),
        (IRAQ, "mentionedIn", ARTICLE),
        (AL_ASAD, "mentionedIn", ARTICLE),
        (AL_ASAD, "locatedIn", IRAQ),
    ],
)
def test_view_projection_entity_edges(source: URIRef, key: str, target: URIRef) -> None:
    projection = graph_to_networkx(small_graph())
    assert projection.has_edge(str(source), str(target), key=key)
    assert projection.number_of_edges() == 5


@pytest.mark.parametrize(
    ("source", "key", "target"),
    [
        (WITHDRAWAL, "agent", USA),
        (WITHDRAWAL, "location", IRAQ),
        (WITHDRAWAL, "accordingTo", TRUMP),
        (WITHDRAWAL, "wasDerivedFrom", ARTICLE),
    ],
)
def test_view_projection_event_edges(source: URIRef, key: str, target: URIRef) -> None:
    projection = graph_to_networkx(event_graph())
    assert projection.has_edge(str(source), str(target), key=key)
    assert projection.edges[str(source), str(target), key]["predicate"].endswith(key)


def test_view_projection_leaves_out_mentions_roles_and_undrawn_links() -> None:
    projection = graph_to_networkx(event_graph())
    assert projection.nodes[str(WITHDRAWAL)]["kind"] == "Withdrawal"
    assert projection.nodes[str(USA)]["label"] == "united-states"
    assert not any("mention" in node for node in projection.nodes)
    assert "role1" not in {str(node) for node in projection.nodes}
    assert str(UNTYPED) not in projection
    assert not projection.has_edge(str(TRUMP), str(IRAQ))  # event properties only count on events
    assert projection.number_of_nodes() == 8


@pytest.mark.parametrize("event_class", [KG.Event, KG.Attack, KG.TroopPresence, KG.Handover])
def test_view_projection_any_event_class(event_class: URIRef) -> None:
    g = small_graph()
    g.add((WITHDRAWAL, RDF.type, event_class))
    g.add((WITHDRAWAL, KG.target, AL_ASAD))
    projection = graph_to_networkx(g)
    assert projection.nodes[str(WITHDRAWAL)]["kind"] == str(event_class).rsplit("#", 1)[1]
    assert projection.has_edge(str(WITHDRAWAL), str(AL_ASAD), key="target")


def test_view_projection_most_specific_event_class_wins() -> None:
    g = small_graph()
    for cls in (KG.Event, KG.Attack, KG.Killing):  # Killing ⊂ Attack ⊂ Event in the ontology
        g.add((WITHDRAWAL, RDF.type, cls))
    assert graph_to_networkx(g).nodes[str(WITHDRAWAL)]["kind"] == "Killing"


def test_view_projection_empty_graph() -> None:
    assert graph_to_networkx(Graph()).number_of_nodes() == 0


def test_view_keep_most_connected_reports_what_it_drops() -> None:
    projection = project(GraphSource.of_rdflib(event_graph()))
    trimmed = keep_most_connected(projection, 3)
    kept = set(trimmed.projection.nodes)
    # the article and the withdrawal (5 links each), then Iraq (3)
    assert kept == {str(ARTICLE), str(WITHDRAWAL), str(IRAQ)}
    assert trimmed.dropped_kinds == {"Article": 1, "Country": 1, "MilitaryBase": 1, "Person": 2}
    kept_edges = [(s, t) for s, _, t in projection.edges if s in kept and t in kept]
    assert len(trimmed.projection.edges) == len(kept_edges) == 3
    assert trimmed.dropped_edges == len(projection.edges) - 3
    # the kept nodes' links in the whole projection: the drawing sizes nodes by them
    assert trimmed.degrees == {iri: n for iri, n in projection.degrees().items() if iri in kept}


def test_view_keep_most_connected_without_limit_keeps_all() -> None:
    projection = project(GraphSource.of_rdflib(event_graph()))
    assert keep_most_connected(projection, None).projection is projection
    assert keep_most_connected(projection, 100).dropped_kinds == {}


# --- details -------------------------------------------------------------------


@pytest.fixture(scope="module")
def event_page() -> dict[str, Any]:
    return page_data(render_html(event_graph(), title="Iraq withdrawal"))


def test_view_event_reads_who_what_where_when_how_many(event_page: dict[str, Any]) -> None:
    event = node_by_iri(event_page, WITHDRAWAL)
    assert event["label"] == (
        "united-states withdrew from Iraq to nowhere-typed\n"
        "Sep 2020, Nov 2020 · 5,200 → 3,000/3,500 · planned"
    )
    assert event["name"] == "Withdrawal by United States from Iraq (2020-09)"
    info = event["info"]
    assert info["type"] == "Withdrawal"
    assert info["figures"] == [
        {"name": "troops before", "values": [5200], "qualifiers": []},
        {"name": "troops after", "values": [3000, 3500], "qualifiers": ["about"]},
    ]
    arguments = {arg["name"]: [ref["label"] for ref in arg["refs"]] for arg in info["arguments"]}
    assert arguments == {
        "by": ["united-states"],
        "where": ["Iraq"],
        "to": ["nowhere-typed"],
        "according to": ["Donald Trump"],
    }
    undrawn = next(arg for arg in info["arguments"] if arg["name"] == "to")["refs"][0]
    assert undrawn["node"] is None


def test_view_event_without_agent_reads_its_label() -> None:
    g = small_graph()
    g.add((WITHDRAWAL, RDF.type, KG.Handover))
    g.add((WITHDRAWAL, RDFS.label, Literal("Handover of Al Asad Airbase (2020)")))
    g.add((WITHDRAWAL, KG.target, AL_ASAD))
    g.add((WITHDRAWAL, KG.date, Literal("2020", datatype=XSD.gYear)))
    assert node_by_iri(page_data(render_html(g)), WITHDRAWAL)["label"] == (
        "Handover of Al Asad Airbase\n2020"
    )


def test_view_evidence_sentence_goes_with_its_article(event_page: dict[str, Any]) -> None:
    articles = [article["headline"] for article in event_page["articles"]]
    evidence = node_by_iri(event_page, WITHDRAWAL)["info"]["evidence"]
    sources = {item["text"]: [articles[i] for i in item["articles"]] for item in evidence}
    assert sources == {SENTENCE: [HEADLINE], OTHER_SENTENCE: [OTHER_HEADLINE]}


def test_view_evidence_without_mentions_cites_every_source() -> None:
    g = event_graph()
    g.remove((WITHDRAWAL, KG.denotedBy, None))
    evidence = node_by_iri(page_data(render_html(g)), WITHDRAWAL)["info"]["evidence"]
    assert [item["articles"] for item in evidence] == [[0, 1], [0, 1]]


def test_view_entity_details(event_page: dict[str, Any]) -> None:
    trump = node_by_iri(event_page, TRUMP)["info"]
    assert trump["sameAs"] == [str(WD.Q22686)]
    assert trump["mentions"] == [{"article": 0, "forms": ["Mr Trump"]}]
    iraq = {"label": "Iraq", "node": node_by_iri(event_page, IRAQ)["id"]}
    kadhimi = node_by_iri(event_page, KADHIMI)["info"]
    assert kadhimi["roles"] == [{"title": "Prime Minister", "of": [iraq], "articles": [0]}]
    assert node_by_iri(event_page, AL_ASAD)["info"]["locatedIn"] == [iraq]


def test_view_articles_link_only_to_web_pages(event_page: dict[str, Any]) -> None:
    first, second = event_page["articles"]
    assert first["url"] == "https://www.lbc.co.uk/news/us-iraq/"
    assert first["date"] == "2020-09-09"
    assert second["url"] is None  # javascript: is no link


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://www.wikidata.org/entity/Q796", "http://www.wikidata.org/entity/Q796"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("https:///no-host", None),
        ("not a url", None),
    ],
)
def test_view_web_link(value: str, expected: str | None) -> None:
    assert web_link(value) == expected


def test_view_named_in_carries_the_listed_and_the_drawn_articles_only() -> None:
    g = Graph()
    g.add((IRAQ, RDF.type, KG.Country))
    g.add((IRAQ, RDFS.label, Literal("Iraq")))
    for number in range(60):
        article = ID[f"article/a{number:02}"]
        mention = ID[f"mention/m{number:02}"]
        g.add((article, RDF.type, KG.Article))
        g.add((IRAQ, KG.mentionedIn, article))
        g.add((IRAQ, KG.denotedBy, mention))
        for predicate, value in [
            (KG.inArticle, article),
            (KG.anchorOf, Literal("Iraqi" if number == 55 else "Iraq")),
            (KG.beginIndex, Literal(0)),
            (KG.endIndex, Literal(4)),
        ]:
            g.add((mention, predicate, value))
    g.add((TRUMP, RDF.type, KG.Person))
    g.add((TRUMP, KG.mentionedIn, ID["article/a55"]))  # a55: the best connected article
    # Drawn: Iraq, a55 and a00. Carried: the first 40 articles and a55; counted: the other 19.
    iraq = node_by_iri(page_data(render_html(g, max_nodes=3)), IRAQ)["info"]
    assert len(iraq["mentions"]) == 41 and iraq["mentionsMore"] == 19
    a55 = next(item for item in iraq["mentions"] if item["forms"] == ["Iraqi"])
    assert a55 == iraq["mentions"][-1]


# --- layout ----------------------------------------------------------------------


def ring_with_spokes(count: int) -> list[tuple[int, int, float]]:
    """A ring of `count` nodes, each also linked to the node a third of the way round."""
    ring = [(i, (i + 1) % count, 1.0) for i in range(count)]
    return ring + [(i, (i + count // 3) % count, 1.0) for i in range(0, count, 7)]


@pytest.mark.parametrize("count", [40, EXACT_REPULSION + 100])
def test_view_layout_is_seeded_and_spreads_nodes(count: int) -> None:
    links = ring_with_spokes(count)
    positions = force_layout(count, links)
    assert positions == force_layout(count, links)
    assert positions != force_layout(count, links, seed=7)
    assert len(set(positions)) == count  # no two nodes on the same spot


@pytest.mark.parametrize("count", [40, EXACT_REPULSION + 100])
def test_view_layout_puts_linked_nodes_closer(count: int) -> None:
    links = ring_with_spokes(count)
    positions = force_layout(count, links)

    def distance(a: int, b: int) -> float:
        (ax, ay), (bx, by) = positions[a], positions[b]
        return float(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5)

    linked = sum(distance(a, b) for a, b, _ in links) / len(links)
    pairs = [(a, (a * 7 + 3) % count) for a in range(count) if a != (a * 7 + 3) % count]
    anywhere = sum(distance(a, b) for a, b in pairs) / len(pairs)
    assert linked < anywhere / 2


def test_view_layout_empty() -> None:
    assert force_layout(0, []) == []


def test_view_layout_later_nodes_leave_the_others_in_place() -> None:
    """Articles are laid out after the network: they cannot push it apart."""
    network = ring_with_spokes(30)
    to_later = [(i, 30 + i % 5, 0.4) for i in range(30)]
    later = range(30, 35)
    alone = force_layout(35, network, later=later)
    together = force_layout(35, network + to_later, later=later)
    assert together[:30] == alone[:30]
    assert together[30:] != alone[30:]  # they went where their links pulled them
    assert len(set(together)) == 35


def stories_graph(stories: int, events: int) -> Graph:
    """A hub country that acts in every event; each story's events share a place and a person."""
    g = Graph()
    g.add((USA, RDF.type, KG.Country))
    for story in range(stories):
        place, person = ID[f"place/p{story}"], ID[f"person/a{story}"]
        g.add((place, RDF.type, KG.Place))
        g.add((person, RDF.type, KG.Person))
        for number in range(events):
            event = ID[f"event/s{story}e{number}"]
            g.add((event, RDF.type, KG.Meeting))
            g.add((event, KG.agent, USA))
            g.add((event, KG.participant, person))
            g.add((event, KG.location, place))
    return g


def test_view_layout_events_sit_nearer_their_own_parties_than_the_hub() -> None:
    data = page_data(render_html(stories_graph(6, 4)))
    where = {node["iri"]: complex(node["x"], node["y"]) for node in data["nodes"]}
    for story in range(6):
        place = where[str(ID[f"place/p{story}"])]
        for number in range(4):
            event = where[str(ID[f"event/s{story}e{number}"])]
            assert abs(event - place) < abs(event - where[str(USA)]) / 2


# --- the page ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(event_graph(), title="Iraq withdrawal")


def test_view_page_has_no_external_resources(page: str) -> None:
    assert not EXTERNAL_RESOURCE.search(page)
    assert "cdn." not in page and "bootstrap" not in page.lower()


def test_view_page_csp_allows_exactly_its_own_scripts(page: str) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp
    scripts = INLINE_SCRIPT.findall(page)
    assert len(scripts) == 2  # vis-network, then the page's own
    assert "vis-network" in scripts[0] and "new vis.Network(" in scripts[1]
    hashes = sorted(csp_hash(script) for script in scripts)
    policy = dict(part.strip().split(" ", 1) for part in csp.group(1).split(";"))
    assert policy["default-src"] == "'none'"
    assert sorted(policy["script-src"].split()) == hashes
    (style,) = INLINE_STYLE.findall(page)
    assert policy["style-src"] == csp_hash(style)
    assert policy["img-src"] == "data:"  # the side panel's charts, and nothing fetched


def test_view_page_inlines_our_script_and_style_as_written(page: str) -> None:
    # Jinja renders the included files as templates: they must come out unchanged
    # (but for the one final newline Jinja drops).
    assets = resources.files("kg.view").joinpath("assets")
    script = assets.joinpath("view.js").read_text(encoding="utf-8")
    style = assets.joinpath("view.css").read_text(encoding="utf-8")
    assert INLINE_SCRIPT.findall(page)[1] == script.rstrip("\n")
    assert INLINE_STYLE.findall(page) == [style.rstrip("\n")]


@pytest.mark.parametrize(("body", "tag"), [("a</SCRIPT >b", "script"), ("p{}</style>", "style")])
def test_view_inline_refuses_what_would_end_its_element(body: str, tag: str) -> None:
    with pytest.raises(ValueError, match=f"</{tag}"):
        _inline(body, tag)
    assert _inline(body, "other") == body


def test_view_page_options_survive_set_options(page: str) -> None:
    # pyvis's set_options deletes every space of the options' text.
    assert page_data(page)["options"] == _VIS_OPTIONS


def test_view_page_draws_every_node_once_with_its_class_style(page: str) -> None:
    data = page_data(page)
    projection = graph_to_networkx(event_graph())
    assert sorted(node["iri"] for node in data["nodes"]) == sorted(projection.nodes)
    assert [node["id"] for node in data["nodes"]] == list(range(len(data["nodes"])))
    assert len(data["edges"]) == projection.number_of_edges()
    styles = {cls["kind"]: (cls["shape"], cls["count"]) for cls in data["classes"]}
    assert styles["Person"] == ("dot", 2)
    assert styles["Country"] == ("diamond", 2)
    assert styles["Withdrawal"] == ("star", 1)
    assert styles["Article"] == ("triangleDown", 2)
    assert data["options"]["physics"] == {"enabled": False}


def test_view_page_agent_edges_point_at_the_event(page: str) -> None:
    data = page_data(page)
    ids = {node["iri"]: node["id"] for node in data["nodes"]}
    by_rel = {edge["rel"]: edge for edge in data["edges"] if edge["to"] in ids.values()}
    agent = next(edge for edge in data["edges"] if edge["rel"] == "agent")
    assert (agent["from"], agent["to"]) == (ids[str(USA)], ids[str(WITHDRAWAL)])
    location = next(edge for edge in data["edges"] if edge["rel"] == "location")
    assert (location["from"], location["to"], location["label"]) == (
        ids[str(WITHDRAWAL)],
        ids[str(IRAQ)],
        "from",
    )
    assert by_rel["mentionedIn"]["label"] == ""


def test_view_page_positions_are_fixed(page: str) -> None:
    nodes = page_data(page)["nodes"]
    assert all(isinstance(node["x"], int) and isinstance(node["y"], int) for node in nodes)
    assert len({(node["x"], node["y"]) for node in nodes}) == len(nodes)


def test_view_page_marks_entities_that_only_articles_name(page: str) -> None:
    # Kadhimi is only named (his role is a detail, not a link); Al Asad lies in
    # Iraq and Trump is a source of the withdrawal: they are in the network.
    marked = {node["iri"] for node in page_data(page)["nodes"] if node.get("namedOnly")}
    assert marked == {str(KADHIMI)}


def test_view_page_dates_for_the_filter(page: str) -> None:
    data = page_data(page)
    event = node_by_iri(data, WITHDRAWAL)
    assert event["dates"] == [["2020-09-01", "2020-09-30"], ["2020-11-01", "2020-11-30"]]
    assert node_by_iri(data, ARTICLE)["dates"] == [["2020-09-09", "2020-09-09"]]
    assert node_by_iri(data, IRAQ)["dates"] == []
    # the slider's stops: months events are dated in, not the articles' (2020-08, 2020-09)
    assert data["months"] == ["2020-09", "2020-11"]


def test_view_render_writes_nothing_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    render_html(small_graph())
    assert list(tmp_path.iterdir()) == []


def test_view_render_is_deterministic() -> None:
    g = event_graph()
    reordered = Graph()
    for triple in sorted(g, key=lambda t: tuple(str(term) for term in t), reverse=True):
        reordered.add(triple)
    first = render_html(g)
    assert render_html(g) == first
    assert render_html(reordered) == first


def test_view_render_empty_graph() -> None:
    data = page_data(render_html(Graph()))
    assert data["nodes"] == [] and data["edges"] == [] and data["months"] == []


def test_view_render_max_nodes() -> None:
    page, stats = render_page(event_graph(), max_nodes=3)
    data = page_data(page)
    assert len(data["nodes"]) == stats.nodes == 3
    assert stats.dropped_nodes == 5
    assert data["dropped"] == stats.dropped_text()
    assert stats.dropped_text().startswith("kept the 3 most connected of 8 nodes; dropped 5 (")


# --- hostile text ----------------------------------------------------------------------


def hostile_graph(payload: str) -> Graph:
    """Every text the page shows carries `payload`: labels, aliases, headline, evidence…"""
    g = event_graph()
    g.set((TRUMP, RDFS.label, Literal(payload)))
    g.add((IRAQ, SKOS.altLabel, Literal(payload)))
    g.set((ARTICLE, SCHEMA.headline, Literal(payload)))
    g.set((ARTICLE, SCHEMA.url, Literal(f"https://example.org/{payload}")))
    g.add((WITHDRAWAL, KG.evidence, Literal(payload)))
    g.add((WITHDRAWAL, KG.status, Literal(payload)))
    return g


@pytest.fixture(scope="module")
def benign_page() -> str:
    return render_html(event_graph(), title="newskg")


@pytest.mark.parametrize("payload", HOSTILE_TEXTS)
def test_view_hostile_text_stays_data(payload: str, benign_page: str) -> None:
    page = render_html(hostile_graph(payload), title="newskg")
    # Nothing the HTML parser reacts to is left in any JSON block …
    for text in json_blocks(page).values():
        assert not re.search("[<>&\u2028\u2029]", text)
    assert page.lower().count("<script") == benign_page.lower().count("<script")
    assert page.lower().count("</script") == benign_page.lower().count("</script")
    assert "<img" not in page.lower()
    # … and the script gets the text back exactly, to show as text.
    data = page_data(page)
    assert node_by_iri(data, TRUMP)["name"] == payload
    assert payload in node_by_iri(data, IRAQ)["aliases"]
    assert data["articles"][0]["headline"] == payload
    assert payload in [item["text"] for item in node_by_iri(data, WITHDRAWAL)["info"]["evidence"]]


@pytest.mark.parametrize("payload", HOSTILE_TEXTS)
def test_view_hostile_node_label_stays_in_the_nodes_block(payload: str, benign_page: str) -> None:
    g = event_graph()
    g.set((IRAQ, RDFS.label, Literal(payload)))
    page = render_html(g, title="newskg")
    # pyvis hands the template its nodes as they are; the page escapes them.
    nodes = json_blocks(page)["nodes"]
    assert not re.search("[<>&\u2028\u2029]", nodes)
    assert page.lower().count("</script") == benign_page.lower().count("</script")
    iraq = next(node for node in json.loads(nodes) if node["iri"] == str(IRAQ))
    assert iraq["label"] == iraq["name"] == payload


@pytest.mark.parametrize("payload", HOSTILE_TEXTS)
def test_view_hostile_title_is_escaped(payload: str, benign_page: str) -> None:
    page = render_html(event_graph(), title=payload)
    assert page.lower().count("<script") == benign_page.lower().count("<script")
    assert "<img" not in page.lower()
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"<h1>{escaped.replace(chr(34), '&quot;')}</h1>" in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("</script>", '"\\u003c/script\\u003e"'),
        ("a & b", '"a \\u0026 b"'),
        ("<!--", '"\\u003c!--"'),
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        ("Kata'ib «Hezbollah»", '"Kata\'ib «Hezbollah»"'),
    ],
)
def test_view_script_json_escapes(value: str, expected: str) -> None:
    assert script_json(value) == expected
    assert json.loads(script_json(value)) == value


# --- write and the command -----------------------------------------------------------


def test_view_write_html(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.html"
    stats = write_html(small_graph(), target, title="newskg")
    assert target.read_text(encoding="utf-8") == render_html(small_graph(), title="newskg")
    assert sorted(path.name for path in target.parent.iterdir()) == ["graph.html"]
    assert (stats.nodes, stats.edges, stats.dropped_nodes) == (5, 5, 0)


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "graph.ttl"
    event_graph().serialize(path, format="turtle")
    return path


def test_cli_view_writes_page_beside_graph(graph_file: Path) -> None:
    result = runner.invoke(app, ["view", str(graph_file)])
    assert result.exit_code == 0, result.output
    target = graph_file.with_suffix(".html")
    assert f"wrote {target}: 8 nodes, 10 links" in result.stdout
    data = page_data(target.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 8


def test_cli_view_max_nodes_says_what_it_dropped(graph_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "small.html"
    result = runner.invoke(app, ["view", str(graph_file), "--out", str(target), "--max-nodes", "3"])
    assert result.exit_code == 0, result.output
    assert "kept the 3 most connected of 8 nodes; dropped 5 (1 Article, 1 Country" in result.stderr
    assert "wrote" in result.stdout and "3 nodes" in result.stdout
    assert len(page_data(target.read_text(encoding="utf-8"))["nodes"]) == 3


def test_cli_build_view_draws_the_most_connected_nodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "rotation.txt").write_text(
        "Marines leave Darwin\n\nDARWIN, Australia, March 3, 2025 - About 1,500 U.S. Marines "
        "left Darwin for Guam on Monday, the Pentagon said. Japan and the Philippines will "
        "host the next exercise, officials in Canberra said.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("kg.stages.BUILD_VIEW_NODES", 4)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(articles), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    data = page_data((out / "graph.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 4
    assert data["dropped"].startswith("kept the 4 most connected of ")
    assert f"kg view {out / 'graph.ttl'} --max-nodes N" in result.stderr
    whole = nx.read_graphml(out / "graph.graphml")
    assert whole.number_of_nodes() > 4  # the GraphML keeps every node


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing.ttl", None, "no such file"),
        ("broken.ttl", "this is not turtle <", "cannot read"),
        ("graph.csv", "a,b", "unknown suffix"),
    ],
)
def test_cli_view_unreadable_graph_exits_2(
    tmp_path: Path, name: str, content: str | None, problem: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["view", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.stderr and problem in result.stderr
    assert not path.with_suffix(".html").exists()


def test_cli_view_unwritable_output_exits_2(graph_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["view", str(graph_file), "--out", str(blocker / "graph.html")])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_cli_view_rejects_zero_max_nodes(graph_file: Path) -> None:
    result = runner.invoke(app, ["view", str(graph_file), "--max-nodes", "0"])
    assert result.exit_code == 2


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig", "."])  # ".": the build folder
def test_cli_view_sample_build_matches_build_page(
    sample_build: Path, name: str, tmp_path: Path
) -> None:
    target = tmp_path / "view.html"
    result = runner.invoke(app, ["view", str(sample_build / name), "--out", str(target)])
    assert result.exit_code == 0, result.output
    built = page_data((sample_build / "graph.html").read_text(encoding="utf-8"))
    viewed = page_data(target.read_text(encoding="utf-8"))
    if name == "graph.ttl":  # the union: no article's graph says which troop figures it gives
        assert viewed.pop("troopLevels") == {} and built.pop("troopLevels")
        assert viewed.pop("troopCharts") == {} and built.pop("troopCharts")
    assert viewed == built
    kinds = {node["kind"] for node in built["nodes"]}
    assert "Article" in kinds and "Mention" not in kinds


def test_cli_view_trig_reads_every_articles_graph(drawdown: Path, tmp_path: Path) -> None:
    target = tmp_path / "drawdown.html"
    result = runner.invoke(app, ["view", str(drawdown), "--out", str(target)])
    assert result.exit_code == 0, result.output
    data = page_data(target.read_text(encoding="utf-8"))
    assert {cls["kind"]: cls["count"] for cls in data["classes"]} == {
        "Article": 3,
        "Country": 2,
        "Handover": 1,
        "Meeting": 1,
        "MilitaryBase": 3,
        "Organization": 1,
        "Person": 3,
        "Place": 2,
        "TroopPresence": 1,
        "Withdrawal": 1,
    }
    assert sorted(article["publisher"] for article in data["articles"]) == [
        "Coastal Gazette",
        "Lisbon Herald",
        "Maputo Courier",
    ]
    # One withdrawal, two articles' graphs: each one's figures are shown, none overwritten.
    withdrawal = node_by_iri(data, ID["event/4b1e7c0d9a2f6e58"])["info"]
    assert withdrawal["figures"] == [
        {"name": "troops before", "values": [1200], "qualifiers": []},
        {"name": "troops after", "values": [400, 600], "qualifiers": ["about"]},
        {"name": "troop count", "values": [800], "qualifiers": []},
    ]
    assert len(withdrawal["evidence"]) == 2
    assert data["months"] == ["2024-03", "2024-06", "2024-07"]
    # Each article casts the meeting's sides the other way round: each is named once.
    meeting = node_by_iri(data, ID["event/9c3a51f2e07d84b6"])["label"]
    assert meeting.split("\n")[0] == "Amadeu Nhaca, Helena Duarte met in Maputo"


IRAQ_IRI = "https://example.org/country/iraq"


def _iraq_named_by(articles: int, unlinked: tuple[int, ...] = ()) -> Any:
    """A store in which Iraq is named in each of `articles` ("Iraqi" in the first, "Iraq"
    in the others), stated as mentioned in each but those `unlinked`."""
    import pyoxigraph as ox

    base, kg_ns = "https://example.org/", str(KG)
    iraq = ox.NamedNode(IRAQ_IRI)
    store = ox.Store()
    for n in range(articles):
        article = ox.NamedNode(f"{base}article/{n}")
        mention = ox.NamedNode(f"{base}mention/{n}")
        quads = [
            (article, ox.NamedNode(str(RDF.type)), ox.NamedNode(kg_ns + "Article")),
            (iraq, ox.NamedNode(kg_ns + "denotedBy"), mention),
            (mention, ox.NamedNode(kg_ns + "inArticle"), article),
            (mention, ox.NamedNode(kg_ns + "anchorOf"), ox.Literal("Iraq" if n else "Iraqi")),
        ]
        if n not in unlinked:
            quads.append((iraq, ox.NamedNode(kg_ns + "mentionedIn"), article))
        for s, p, o in quads:
            store.add(ox.Quad(s, p, o, article))
    return store


def test_view_an_entity_named_everywhere_is_remembered_by_the_articles_its_panel_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Its panel lists a few articles and counts the rest: the details kept for the next
    build depend on those few graphs, not on every article of the archive naming it."""
    import pyoxigraph as ox

    import kg.view.details as details
    from kg.memo import Memos, keeping

    monkeypatch.setattr(details, "LISTED", 2)
    memos = Memos(tmp_path, state="s1")
    with keeping(memos):
        reader = details.DetailReader(GraphSource(_iraq_named_by(5)), {IRAQ_IRI: 0})
        panel = reader.details(ox.NamedNode(IRAQ_IRI), "Country")
    assert [item["forms"] for item in panel["mentions"]] == [["Iraqi"], ["Iraq"]]
    assert panel["mentionsMore"] == 3
    ((_, graphs, _),) = memos.tables[details.DETAILS_MEMO].used.values()
    assert graphs == ["https://example.org/article/0", "https://example.org/article/1"]


def test_view_panel_lists_an_article_that_names_the_entity_only_by_a_mention(
    monkeypatch: pytest.MonkeyPatch,
):
    """The first article names Iraq without a kg:mentionedIn statement: it still comes
    first in the panel, with its words, and the count of the rest includes it."""
    import pyoxigraph as ox

    import kg.view.details as details

    monkeypatch.setattr(details, "LISTED", 2)
    reader = details.DetailReader(GraphSource(_iraq_named_by(5, unlinked=(0,))), {IRAQ_IRI: 0})
    panel = reader.details(ox.NamedNode(IRAQ_IRI), "Country")
    assert [item["article"] for item in panel["mentions"]] == [0, 1]
    assert [item["forms"] for item in panel["mentions"]] == [["Iraqi"], ["Iraq"]]
    assert panel["mentionsMore"] == 3
