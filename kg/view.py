"""Draw the knowledge graph as one self-contained, offline HTML page.

`graph_to_networkx` projects the RDF graph onto what people want to look at
(entities, events, articles and the links between them); `render_html` draws
that projection with pyvis/vis-network; `write_html` saves it atomically.

Labels, aliases and headlines come from untrusted article text, so every such
string is HTML-escaped before it reaches the page (see `_escape_text`).
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network
from rdflib import Graph
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node, URIRef

from kg.atomic import atomic_write_text
from kg.namespaces import KG, SCHEMA

__all__ = ["PALETTE", "graph_to_networkx", "render_html", "write_html"]

# Entity classes, in the order that decides `kind` when a node has several.
ENTITY_CLASSES: tuple[URIRef, ...] = (
    KG.Person,
    KG.Country,
    KG.Organization,
    KG.MilitaryBase,
    KG.Place,
)
# kg: classes that are neither entities nor events; only Article is drawn.
_NON_EVENT_CLASSES: frozenset[URIRef] = frozenset({KG.Article, KG.Role})

# Links drawn between any two drawn nodes.
_ENTITY_EDGE_PROPERTIES: tuple[URIRef, ...] = (KG.mentionedIn, KG.locatedIn)
# Links drawn only from event nodes.
_EVENT_EDGE_PROPERTIES: tuple[URIRef, ...] = (
    KG.agent,
    KG.target,
    KG.participant,
    KG.location,
    KG.destination,
    KG.accordingTo,
    PROV.wasDerivedFrom,
)

_KG_NS = str(KG._NS)
EVENT_KIND = "Event"


@dataclass(frozen=True)
class Style:
    """How one kind of node is drawn (vis-network colour and shape)."""

    color: str
    shape: str


# Every event subclass (Withdrawal, Attack, …) is drawn like `Event`.
PALETTE: dict[str, Style] = {
    "Person": Style(color="#4e79a7", shape="dot"),
    "Country": Style(color="#f28e2b", shape="diamond"),
    "Organization": Style(color="#59a14f", shape="hexagon"),
    "MilitaryBase": Style(color="#e15759", shape="triangle"),
    "Place": Style(color="#76b7b2", shape="square"),
    "Article": Style(color="#bab0ac", shape="ellipse"),
    EVENT_KIND: Style(color="#edc948", shape="star"),
}
_FALLBACK_STYLE = Style(color="#97c2fc", shape="dot")

# A fixed seed and a fixed node/edge order make two renders byte-identical
# and the layout the same on every page load.
LAYOUT_SEED = 42

_VIS_OPTIONS: dict[str, Any] = {
    "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "gravitationalConstant": -8000,
            "centralGravity": 0.3,
            "springLength": 140,
            "springConstant": 0.04,
            "damping": 0.09,
            "avoidOverlap": 0.2,
        },
        "stabilization": {"enabled": True, "iterations": 1000, "updateInterval": 50, "fit": True},
        "minVelocity": 0.75,
    },
    # "html" makes vis-network decode &amp; and &lt; when it paints labels on
    # the canvas, so escaped labels still read "Black & Veatch".
    "nodes": {"font": {"multi": "html", "size": 14}},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"inherit": False, "color": "#a0a0a0"},
        "font": {"size": 10, "align": "middle"},
        "smooth": {"enabled": True, "type": "continuous"},
    },
    "interaction": {"hover": True, "tooltipDelay": 150},
}

# vis-network has no option for "stop after stabilising", so the page turns
# physics off once the initial stabilisation is done; nodes then stay where
# they were laid out instead of drifting while someone reads the graph.
_FREEZE_JS = (
    'network.once("stabilizationIterationsDone", function () {'
    " network.setOptions({physics: {enabled: false}}); });"
)

# pyvis 0.3.2's template links Bootstrap from cdn.jsdelivr.net even with
# cdn_resources="in_line"; nothing in our page needs it.
_EXTERNAL_LINK = re.compile(
    r"""<link\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:)?//[^>]*>""", re.IGNORECASE
)
_EXTERNAL_SCRIPT = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*["']?\s*(?:https?:)?//[^>]*>\s*</script\s*>""",
    re.IGNORECASE,
)
# The template's empty `<center><h1>{{heading}}</h1></center>` (twice, once in
# <head>); we write our own, escaped heading instead.
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*")
# A commented-out pair of tags pointing at ../node_modules; dead, but it reads
# like an external reference to anyone auditing the page.
_DEAD_COMMENT = re.compile(r"<!--\s*<link[^>]*node_modules.*?-->\s*", re.DOTALL)
_DRAW_CALL = re.compile(r"(\bdrawGraph\(\);)(\s*</script>)")

_LABEL_WIDTH_MAX = 180  # px; long headlines wrap instead of making huge ellipses


def _local_name(iri: str) -> str:
    """The part of an IRI after its last `#` or `/`."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return tail or iri


def _first_literal(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """The smallest (so: deterministic) non-empty value of `predicate`, or None."""
    values = sorted(str(value) for value in graph.objects(subject, predicate) if str(value).strip())
    return values[0] if values else None


def _is_event_kind(kind: str) -> bool:
    """Event kinds are kg:Event and its subclasses' names (not in the palette)."""
    return kind == EVENT_KIND or kind not in PALETTE


def _kind(types: set[URIRef]) -> str | None:
    """The class local name that decides how a node is drawn, or None to skip it."""
    for cls in ENTITY_CLASSES:
        if cls in types:
            return _local_name(str(cls))
    kg_types = sorted(t for t in types if str(t).startswith(_KG_NS) and t not in _NON_EVENT_CLASSES)
    specific = [t for t in kg_types if t != KG.Event]
    if specific:
        return _local_name(str(specific[0]))
    if KG.Event in types:
        return EVENT_KIND
    if KG.Article in types:
        return "Article"
    return None


def graph_to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Project the RDF graph onto entities, events and articles for drawing.

    Nodes are subjects typed with an entity class (kg:Person, kg:Country,
    kg:Organization, kg:MilitaryBase, kg:Place), an event class (any `kg:`
    class other than kg:Article and kg:Role) or kg:Article. Edges, keyed by
    the property's local name, are kg:mentionedIn and kg:locatedIn between
    drawn nodes, and kg:agent, kg:target, kg:participant, kg:location,
    kg:destination, kg:accordingTo and prov:wasDerivedFrom from events. A link
    to something that is not drawn (an untyped IRI, a literal) is left out.

    Returns:
        A MultiDiGraph whose node ids are IRI strings, with node attributes
        `label`, `kind`, `aliases`, `same_as` and `iri`, and edge attributes
        `label` (property local name) and `predicate` (property IRI). Nodes
        and edges are added in IRI order, so the result is deterministic.
    """
    types_of: dict[Node, set[URIRef]] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            types_of.setdefault(subject, set()).add(cls)

    kinds: dict[Node, str] = {}
    for subject, types in types_of.items():
        kind = _kind(types)
        if kind is not None:
            kinds[subject] = kind

    projection = nx.MultiDiGraph()
    for subject in sorted(kinds, key=str):
        kind = kinds[subject]
        iri = str(subject)
        if kind == "Article":
            label = _first_literal(graph, subject, SCHEMA.headline) or _first_literal(
                graph, subject, RDFS.label
            )
        else:
            label = _first_literal(graph, subject, RDFS.label)
        projection.add_node(
            iri,
            label=label or _local_name(iri),
            kind=kind,
            aliases=sorted({str(alias) for alias in graph.objects(subject, SKOS.altLabel)}),
            same_as=sorted({str(other) for other in graph.objects(subject, OWL.sameAs)}),
            iri=iri,
        )

    edges: set[tuple[str, str, str]] = set()
    for subject, kind in kinds.items():
        properties = _ENTITY_EDGE_PROPERTIES
        if _is_event_kind(kind):
            properties += _EVENT_EDGE_PROPERTIES
        for predicate in properties:
            for obj in graph.objects(subject, predicate):
                if obj in kinds:
                    edges.add((str(subject), str(predicate), str(obj)))
    for source, predicate_iri, target in sorted(edges):
        name = _local_name(predicate_iri)
        projection.add_edge(source, target, key=name, label=name, predicate=predicate_iri)
    return projection


def _style(kind: str) -> Style:
    if _is_event_kind(kind):
        return PALETTE[EVENT_KIND]
    return PALETTE.get(kind, _FALLBACK_STYLE)


def _escape_text(text: str) -> str:
    """Escape untrusted text for the page.

    `quote=False`: the text is never put in an attribute, and keeping `'`
    spares vis-network's canvas labels from showing "Kata&#x27;ib".
    """
    return html.escape(text, quote=False)


def _tooltip(data: dict[str, Any]) -> str:
    """The hover text of a node, escaped like every other untrusted string.

    vis-network 9 shows string tooltips as text, but pyvis 0.3.2 swaps in a
    popup that sets innerHTML as soon as any tooltip contains "href".
    """
    lines = [f"{data['kind']}: {data['label']}"]
    if data["aliases"]:
        lines.append("also: " + "; ".join(data["aliases"]))
    lines.extend(f"same as: {other}" for other in data["same_as"])
    lines.append(data["iri"])
    return _escape_text("\n".join(lines))


def _node_size(degree: int) -> int:
    return min(12 + 3 * degree, 48)


def _legend_html(title: str) -> str:
    items = "".join(
        f'<li><span class="kg-swatch" style="background:{html.escape(style.color)}"></span>'
        f"{html.escape(kind)} ({html.escape(style.shape)})</li>"
        for kind, style in PALETTE.items()
    )
    return (
        "<style>"
        "#kg-header{font-family:sans-serif;margin:8px}"
        "#kg-header h1{font-size:1.4em;margin:0 0 4px}"
        "#kg-legend{list-style:none;margin:0;padding:0}"
        "#kg-legend li{display:inline-block;margin-right:14px}"
        ".kg-swatch{display:inline-block;width:12px;height:12px;margin-right:4px;"
        "border:1px solid #555;vertical-align:middle}"
        "</style>"
        f'<div id="kg-header"><h1>{html.escape(title)}</h1>'
        f'<ul id="kg-legend" aria-label="legend">{items}</ul>'
        "<small>Events of every type (Withdrawal, Attack, …) are drawn as stars.</small>"
        "</div>"
    )


def _build_network(projection: nx.MultiDiGraph) -> Network:
    net = Network(cdn_resources="in_line", directed=True, height="900px", width="100%", heading="")
    # A plain dict replaces pyvis's Options object; pyvis json.dumps it as is.
    net.options = copy.deepcopy(_VIS_OPTIONS)
    for node_id, data in projection.nodes(data=True):
        style = _style(data["kind"])
        options: dict[str, Any] = {
            "color": style.color,
            "shape": style.shape,
            "title": _tooltip(data),
            "size": _node_size(projection.degree(node_id)),
        }
        if style.shape == "ellipse":
            options["widthConstraint"] = {"maximum": _LABEL_WIDTH_MAX}
        net.add_node(node_id, label=_escape_text(data["label"]), **options)
    for source, target, data in projection.edges(data=True):
        name = _escape_text(data["label"])
        net.add_edge(source, target, label=name, title=name)
    return net


def _make_self_contained(page: str, *, title: str) -> str:
    """Strip CDN links, add a <title>, heading and legend, freeze physics."""
    page = _EXTERNAL_LINK.sub("", page)
    page = _EXTERNAL_SCRIPT.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _DEAD_COMMENT.sub("", page, count=1)
    page, calls = _DRAW_CALL.subn(lambda m: f"{m.group(1)}\n{_FREEZE_JS}{m.group(2)}", page)
    if calls != 1 or "<body>" not in page or '<meta charset="utf-8">' not in page:
        raise RuntimeError(
            "pyvis's HTML template is not the one kg.view patches (pyvis 0.3.2); "
            "reinstall pyvis==0.3.2 or update kg/view.py for the new template."
        )
    page = page.replace(
        '<meta charset="utf-8">',
        f'<meta charset="utf-8">\n        <title>{html.escape(title)}</title>',
        1,
    )
    page = page.replace("<body>", "<body>\n" + _legend_html(title), 1)
    return "<!DOCTYPE html>\n" + page


def render_html(graph: Graph, *, title: str = "newskg") -> str:
    """Draw `graph` as one HTML page that works offline and writes no files.

    vis-network is inlined; the page has no external scripts or stylesheets.
    The same graph always gives the same string.

    Reference: https://visjs.github.io/vis-network/docs/network/
    """
    net = _build_network(graph_to_networkx(graph))
    # generate_html() only renders; show()/write_html() would write a lib/
    # folder into the working directory or open a browser.
    page: str = net.generate_html()
    return _make_self_contained(page, title=title)


def write_html(graph: Graph, path: Path, *, title: str = "newskg") -> None:
    """Render `graph` (see `render_html`) and write it to `path` atomically."""
    atomic_write_text(path, render_html(graph, title=title))
