"""Tests for kg.view: the networkx projection and the offline HTML page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import URIRef

from kg.namespaces import DEFAULT_BASE_IRI, KG, SCHEMA, WD
from kg.view import graph_to_networkx, render_html, write_html

ID = Namespace(DEFAULT_BASE_IRI)

TRUMP = ID["person/donald-trump"]
KADHIMI = ID["person/mustafa-al-kadhimi"]
IRAQ = ID["country/iraq"]
USA = ID["country/united-states"]
AL_ASAD = ID["base/al-asad-airbase"]
ARTICLE = ID["article/001_c34ed854f745c209"]
WITHDRAWAL = ID["event/3f2a9c"]
UNTYPED = ID["place/nowhere-typed"]

HEADLINE = "US to pull almost half its troops from Iraq this month"

HOSTILE_LABELS = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Ahrefs <img src=x onerror=alert(1)>",  # "href" makes pyvis use innerHTML popups
]

EXTERNAL_RESOURCE = re.compile(
    r"""<(?:script\b[^>]*\bsrc|link\b[^>]*\bhref)\s*=\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)
NODES_JSON = re.compile(r"nodes = new vis\.DataSet\((\[.*?\])\);")


def small_graph() -> Graph:
    """Two persons, two countries, a base in Iraq, an article and a withdrawal."""
    g = Graph()
    triples = [
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
        (IRAQ, KG.mentionedIn, ARTICLE),
        (AL_ASAD, RDF.type, KG.MilitaryBase),
        (AL_ASAD, RDFS.label, Literal("Al Asad Airbase")),
        (AL_ASAD, KG.locatedIn, IRAQ),
        (AL_ASAD, KG.mentionedIn, ARTICLE),
        (ARTICLE, RDF.type, KG.Article),
        (ARTICLE, SCHEMA.headline, Literal(HEADLINE)),
        (ARTICLE, KG.sourceFile, Literal("001_c34ed854f745c209.txt")),
    ]
    for triple in triples:
        g.add(triple)
    return g


def event_graph() -> Graph:
    """`small_graph` plus a withdrawal, a role and links to undrawn things."""
    g = small_graph()
    role = BNode("role1")
    for triple in [
        (USA, RDF.type, KG.Country),  # no label: falls back to the IRI's last segment
        (WITHDRAWAL, RDF.type, KG.Withdrawal),
        (WITHDRAWAL, KG.agent, USA),
        (WITHDRAWAL, KG.location, IRAQ),
        (WITHDRAWAL, KG.accordingTo, TRUMP),
        (WITHDRAWAL, KG.destination, UNTYPED),  # not drawn, so no edge
        (WITHDRAWAL, KG.troopsAfter, Literal(3000)),
        (WITHDRAWAL, PROV.wasDerivedFrom, ARTICLE),
        (KADHIMI, KG.hasRole, role),
        (role, RDF.type, KG.Role),
        (role, KG.title, Literal("Prime Minister")),
        (role, KG.roleOf, IRAQ),
        (role, PROV.wasDerivedFrom, ARTICLE),
        (TRUMP, KG.agent, IRAQ),  # event property on an entity: not drawn
    ]:
        g.add(triple)
    return g


def graph_with_label(label: str) -> Graph:
    g = small_graph()
    g.set((TRUMP, RDFS.label, Literal(label)))
    return g


def node_data(page: str) -> list[dict[str, object]]:
    """The node list that the page hands to vis-network."""
    match = NODES_JSON.search(page)
    assert match, "no vis.DataSet of nodes in the page"
    nodes: list[dict[str, object]] = json.loads(match.group(1))
    return nodes


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
    assert projection.number_of_nodes() == 5
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


def test_view_projection_entity_edge_count() -> None:
    assert graph_to_networkx(small_graph()).number_of_edges() == 5


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


def test_view_projection_events_roles_and_undrawn_links() -> None:
    projection = graph_to_networkx(event_graph())
    assert projection.nodes[str(WITHDRAWAL)]["kind"] == "Withdrawal"
    assert projection.nodes[str(USA)]["label"] == "united-states"
    # roles are not drawn; a link to an untyped IRI is dropped, not invented
    assert "role1" not in {str(node) for node in projection.nodes}
    assert str(UNTYPED) not in projection
    assert not projection.has_edge(str(WITHDRAWAL), str(UNTYPED))
    # event properties only count on events
    assert not projection.has_edge(str(TRUMP), str(IRAQ))
    assert projection.number_of_nodes() == 7


@pytest.mark.parametrize("event_class", [KG.Event, KG.Attack, KG.TroopPresence])
def test_view_projection_any_event_class(event_class: URIRef) -> None:
    g = small_graph()
    g.add((WITHDRAWAL, RDF.type, event_class))
    g.add((WITHDRAWAL, KG.target, AL_ASAD))
    projection = graph_to_networkx(g)
    assert projection.nodes[str(WITHDRAWAL)]["kind"] == str(event_class).rsplit("#", 1)[1]
    assert projection.has_edge(str(WITHDRAWAL), str(AL_ASAD), key="target")


def test_view_projection_empty_graph() -> None:
    assert graph_to_networkx(Graph()).number_of_nodes() == 0


# --- render ------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(event_graph(), title="Iraq withdrawal")


def test_view_render_has_no_external_resources(page: str) -> None:
    assert not EXTERNAL_RESOURCE.search(page)
    assert "cdn.jsdelivr.net" not in page
    assert "bootstrap" not in page.lower()


def test_view_render_inlines_vis_network(page: str) -> None:
    assert "vis-network" in page
    assert "_stabilizationBatch" in page  # from vis-network's own source
    assert "new vis.Network(container, data, options)" in page


@pytest.mark.parametrize(
    "label", ["Donald Trump", "Mustafa al-Kadhimi", "Iraq", "Al Asad Airbase", HEADLINE]
)
def test_view_render_contains_escaped_label(page: str, label: str) -> None:
    assert html.escape(label, quote=False) in page
    assert label in {node["label"] for node in node_data(page)}


def test_view_render_styles_and_options(page: str) -> None:
    shapes = {node["id"]: node["shape"] for node in node_data(page)}
    assert shapes[str(TRUMP)] == "dot"
    assert shapes[str(IRAQ)] == "diamond"
    assert shapes[str(ARTICLE)] == "ellipse"
    assert shapes[str(WITHDRAWAL)] == "star"
    assert '"randomSeed": 42' in page
    assert '"solver": "barnesHut"' in page
    assert "network.setOptions({physics: {enabled: false}})" in page
    assert "<title>Iraq withdrawal</title>" in page
    assert 'id="kg-legend"' in page


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
    page = render_html(Graph())
    assert node_data(page) == []
    assert not EXTERNAL_RESOURCE.search(page)


# --- hostile text --------------------------------------------------------------


def assert_inert(page: str, payload: str, benign: str) -> None:
    assert payload not in page
    assert "<img" not in page.lower()
    assert "<script>alert" not in page.lower()
    # no extra script element was opened or closed by the payload
    assert page.lower().count("</script") == benign.lower().count("</script")
    assert page.lower().count("<script") == benign.lower().count("<script")


@pytest.fixture(scope="module")
def benign_page() -> str:
    return render_html(small_graph(), title="newskg")


@pytest.mark.parametrize("payload", HOSTILE_LABELS)
def test_view_hostile_label_is_inert(payload: str, benign_page: str) -> None:
    page = render_html(graph_with_label(payload))
    assert_inert(page, payload, benign_page)
    by_id = {node["id"]: node for node in node_data(page)}
    assert by_id[str(TRUMP)]["label"] == html.escape(payload, quote=False)
    assert "<" not in str(by_id[str(TRUMP)]["title"])


@pytest.mark.parametrize("payload", HOSTILE_LABELS)
def test_view_hostile_alias_and_headline_are_inert(payload: str, benign_page: str) -> None:
    g = small_graph()
    g.add((TRUMP, SKOS.altLabel, Literal(payload)))
    g.set((ARTICLE, SCHEMA.headline, Literal(payload)))
    page = render_html(g)
    assert_inert(page, payload, benign_page)
    for node in node_data(page):
        assert "<" not in str(node["label"]) and "<" not in str(node["title"])


@pytest.mark.parametrize("payload", HOSTILE_LABELS)
def test_view_hostile_title_is_inert(payload: str, benign_page: str) -> None:
    page = render_html(small_graph(), title=payload)
    assert_inert(page, payload, benign_page)
    assert f"<title>{html.escape(payload)}</title>" in page


# --- write ---------------------------------------------------------------------


def test_view_write_html(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.html"
    write_html(small_graph(), target, title="newskg")
    assert target.read_text(encoding="utf-8") == render_html(small_graph(), title="newskg")
    assert sorted(path.name for path in target.parent.iterdir()) == ["graph.html"]
