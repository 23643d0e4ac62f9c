"""Assemble the self-contained HTML page: a pyvis Network rendered through our own template.

The drawing is a `pyvis.network.Network`: nodes (at the positions of our
seeded layout, `kg.view.layout`) go in through `add_node`, edges as pyvis
`Edge`s, vis-network's options through `set_options`, and
`generate_html()` renders our Jinja template (assets/page.html) with
`cdn_resources="in_line"`. The template inlines vis-network from pyvis's own
template folder the way pyvis's template does, so nothing here names a file
inside pyvis.

The page is one file: vis-network and our script and style are inlined, a
Content-Security-Policy allows only those exact scripts and that style (by
the hash of what the template inlines), images only as `data:` URLs (the
side panel's troop-level charts, SVG drawn by the build) and no network
access at all, and the graph travels as JSON in `<script
type="application/json">` blocks: pyvis's nodes, edges and options, and our
legend, articles, charts and the months events are dated in.

Untrusted text (labels, aliases, headlines, evidence) never becomes markup:
every JSON block is escaped so that no `<`, `>` or `&` reaches the HTML
parser (so a label holding `</script>` cannot close the block), the title is
HTML-escaped before pyvis sees it (pyvis's Jinja environment does not
autoescape), and the script puts every string into the page with
`textContent`, never `innerHTML`.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyvis.edge import Edge
from pyvis.network import Network
from rdflib import Graph

from kg.atomic import atomic_write_text
from kg.consensus import link_support
from kg.dates import date_interval, readable_date
from kg.graphsource import GraphSource
from kg.projection import (
    ARTICLE_KIND,
    ENTITY_CLASSES,
    EVENT_KIND,
    Projection,
    Trimmed,
    event_label,
    graph_source,
    is_event_kind,
    keep_most_connected,
    local_name,
    project,
)
from kg.timeline import TroopFigure, figures_by_place, timeline
from kg.timeline_chart import MAX_NODE_CHARTS, place_charts
from kg.view.details import LISTED, DetailReader
from kg.view.layout import force_layout

JSON = dict[str, Any]

ASSETS = ("kg.view", "assets")  # page.html (the Jinja template), view.css, view.js
TEMPLATE = "page.html"
BIG_GRAPH = 1000  # nodes; beyond this, straight edges that hide while dragging or zooming


@dataclass(frozen=True)
class Style:
    """How one class of node is drawn: vis-network colour and shape, and a legend glyph."""

    color: str
    shape: str
    glyph: str


# Every event class (Withdrawal, Attack, …) is drawn like `Event`.
PALETTE: dict[str, Style] = {
    "Person": Style(color="#4e79a7", shape="dot", glyph="●"),
    "Country": Style(color="#f28e2b", shape="diamond", glyph="◆"),
    "Organization": Style(color="#59a14f", shape="hexagon", glyph="⬢"),
    "MilitaryBase": Style(color="#e15759", shape="triangle", glyph="▲"),
    "Place": Style(color="#76b7b2", shape="square", glyph="■"),
    EVENT_KIND: Style(color="#edc948", shape="star", glyph="★"),
    ARTICLE_KIND: Style(color="#bab0ac", shape="triangleDown", glyph="▼"),
}
_ENTITY_LABELS = {
    "Person": "Person",
    "Country": "Country",
    "Organization": "Organization",
    "MilitaryBase": "Military base",
    "Place": "Place",
    ARTICLE_KIND: "Article",
}

# How an edge reads on the page, by property: its label on the drawing (for
# kg:location, "from" for events that leave a place), and how the side panel
# lists it from the subject's end and from the object's end.
_EDGE_WORDS: dict[str, tuple[str, str, str]] = {
    "agent": ("", "agent", "agent of"),
    "target": ("target", "target", "target of"),
    "participant": ("with", "with", "participant in"),
    "location": ("in", "where", "location of"),
    "destination": ("to", "to", "destination of"),
    "accordingTo": ("according to", "according to", "source for"),
    "wasDerivedFrom": ("", "reported in", "reports"),
    "mentionedIn": ("", "named in", "names"),
    "locatedIn": ("in", "located in", "contains"),
}
_LEAVING_EVENTS = frozenset({"Withdrawal", "Handover"})
# Edges that point at sources rather than say something: drawn faint and dashed.
SOURCE_EDGES = frozenset({"wasDerivedFrom", "mentionedIn"})
# Every entity links to its articles; at full strength they would pull the
# drawing into one knot around each article.
SOURCE_PULL = 0.4
PARTY_PULL = 2.0  # an event and a party that is in no other event; see _pulls

_VIS_OPTIONS: JSON = {
    "physics": {"enabled": False},  # positions come from kg.view.layout
    "layout": {"improvedLayout": False},
    "nodes": {
        "borderWidth": 1,
        "font": {"face": "sans-serif", "strokeColor": "#ffffff"},  # sizes per class: view.js
        # On screen a label grows with the zoom up to maxVisible pixels and is
        # left out below drawThreshold - 1 (view.js sizes the leading labels
        # for the zoom the page opens at). Both given: either alone drops the other.
        "scaling": {"label": {"maxVisible": 22, "drawThreshold": 6}},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"inherit": False},  # colours per edge: see view.js
        "font": {"size": 11, "align": "middle"},
        "smooth": {"enabled": True, "type": "continuous", "roundness": 0.2},
        "width": 1,
    },
    "interaction": {"hover": True, "tooltipDelay": 200, "multiselect": False},
}

# Escaped in the page's JSON block: what the HTML parser reacts to inside a
# <script> ("</script>", "<!--"), and the two separators old JavaScript
# engines took for line ends.
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


@dataclass(frozen=True)
class ViewStats:
    """What the page draws, and what `max_nodes` left out."""

    nodes: int
    edges: int
    dropped_kinds: dict[str, int] = field(default_factory=dict)
    dropped_edges: int = 0

    @property
    def dropped_nodes(self) -> int:
        return sum(self.dropped_kinds.values())

    def dropped_text(self) -> str:
        """One line for people: "kept the 500 most connected of 5,000 nodes; dropped …"."""
        if not self.dropped_nodes:
            return ""
        kinds = ", ".join(f"{count:,} {kind}" for kind, count in self.dropped_kinds.items())
        total = self.nodes + self.dropped_nodes
        return (
            f"kept the {self.nodes:,} most connected of {total:,} nodes; dropped "
            f"{self.dropped_nodes:,} ({kinds}) and {self.dropped_edges:,} links"
        )


def _script_text(text: str) -> str:
    """JSON text made safe inside a `<script>` element: `<`, `>`, `&`, U+2028/9 as escapes.

    In JSON these characters occur only inside strings, where `\\u003c` means `<`.
    """
    return _JSON_UNSAFE.sub(lambda match: _JSON_ESCAPES[match.group()], text)


def script_json(data: Any) -> str:
    """JSON that is safe inside a `<script>` element: no `</script>`, `<!--` or `&` survives."""
    return _script_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def _csp_source(body: str) -> str:
    """The CSP source that allows exactly this inline script or style: its SHA-256 hash."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _inline(body: str, tag: str) -> str:
    """`body` as it is, after checking that it cannot end its `<script>`/`<style>` early."""
    if f"</{tag}" in body.lower():
        raise ValueError(f"cannot inline a {tag} holding '</{tag}': it would end the element")
    return body


def _style_kind(kind: str) -> str:
    """The palette entry of a kind: every event class is drawn as `Event`."""
    return EVENT_KIND if is_event_kind(kind) else kind


def _classes(projection: Projection) -> list[JSON]:
    """The legend and class filter: entity classes, each event type present, articles."""
    counts: dict[str, int] = {}
    for node in projection.nodes.values():
        counts[node.kind] = counts.get(node.kind, 0) + 1
    kinds = [local_name(str(cls)) for cls in ENTITY_CLASSES]
    kinds += sorted(kind for kind in counts if is_event_kind(kind))
    kinds.append(ARTICLE_KIND)
    return [
        {
            "kind": kind,
            "label": _ENTITY_LABELS.get(kind) or event_label(kind),
            "count": counts.get(kind, 0),
            "event": is_event_kind(kind),
            "dated": is_event_kind(kind) or kind == ARTICLE_KIND,
            **vars(PALETTE[_style_kind(kind)]),
        }
        for kind in kinds
    ]


def _node_size(kind: str, degree: int) -> int:
    """Bigger for better connected nodes; events stay small so that their labels lead."""
    if is_event_kind(kind):
        return min(6 + round(math.sqrt(degree)), 12)
    if kind == ARTICLE_KIND:  # every entity links to its articles; size would say nothing
        return min(8 + round(math.sqrt(degree)), 16)
    return min(8 + round(3 * math.sqrt(degree)), 40)


def _edge_label(name: str, event_kind: str) -> str:
    if name == "location" and event_kind in _LEAVING_EVENTS:
        return "from"
    return _EDGE_WORDS.get(name, (name, name, name))[0]


def _edges(
    projection: Projection, ids: dict[str, int], support: dict[tuple[str, str, str], int]
) -> list[tuple[int, int, JSON]]:
    """Edges as the page draws them (from, to, attributes): an agent points at its event.

    `names` says how the panel of each end (`from`, then `to`) lists the edge;
    `support`, for a claim, how many outlets back it (`kg.consensus`).
    """
    edges = []
    for number, (source, predicate, target) in enumerate(projection.edges):
        name = local_name(predicate)
        _, forward, backward = _EDGE_WORDS.get(name, (name, name, name))
        start, end, names = ids[source], ids[target], [forward, backward]
        if name == "agent":
            start, end, names = end, start, [backward, forward]
        attributes = {
            "id": number,
            "rel": name,
            "label": _edge_label(name, projection.nodes[source].kind),
            "names": names,
        }
        backers = support.get((source, predicate, target))
        if backers is not None:
            attributes["support"] = backers
        edges.append((start, end, attributes))
    return edges


def _event_support(nodes: list[tuple[int, JSON]], edges: list[tuple[int, int, JSON]]) -> int:
    """Mark each event with the support of its best-backed link, for the outlets filter;
    return the most outlets any link has."""
    best: dict[int, int] = {}
    for start, end, attributes in edges:
        for end_id in (start, end):
            if "support" in attributes:
                best[end_id] = max(best.get(end_id, 0), attributes["support"])
    for number, attributes in nodes:
        if is_event_kind(attributes["kind"]) and number in best:
            attributes["support"] = best[number]
    return max(best.values(), default=0)


def _nodes(
    source: GraphSource, projection: Projection, ids: dict[str, int], degrees: dict[str, int]
) -> tuple[list[tuple[int, JSON]], list[JSON]]:
    """The drawn nodes (id, attributes: style, position, panel details), and the articles cited."""
    reader = DetailReader(source, ids)
    degrees_in_network = _network_degrees(projection)
    named_only = _named_only(projection, degrees_in_network)
    # The network settles first; articles and what only they name find room after.
    later = [
        ids[iri]
        for iri, node in projection.nodes.items()
        if node.kind == ARTICLE_KIND or iri in named_only
    ]
    links = _pulls(projection, ids, degrees_in_network)
    positions = force_layout(len(ids), links, later=later)
    nodes = []
    for iri, node in projection.nodes.items():
        subject, kind = ox.NamedNode(iri), node.kind
        info = reader.details(subject, kind)
        intervals = [date_interval(value) for value in reader.dates(subject, kind)]
        x, y = positions[ids[iri]]
        style = PALETTE[_style_kind(kind)]
        attributes = {
            "iri": iri,
            "kind": kind,
            "name": node.label,
            "label": info.get("reading") or node.label,
            "shape": style.shape,
            "color": style.color,
            "aliases": list(node.aliases),
            "dates": sorted({interval for interval in intervals if interval}),
            "size": _node_size(kind, degrees[iri]),
            "x": x,
            "y": y,
            "info": info,
        }
        if iri in named_only:
            attributes["namedOnly"] = True
        nodes.append((ids[iri], attributes))
    return nodes, reader.articles()


def _network_degrees(projection: Projection) -> dict[str, int]:
    """Links per node in the entity–event network (not counting links to articles);
    nodes without any are left out."""
    degrees: dict[str, int] = {}
    for start, predicate, end in projection.edges:
        if local_name(predicate) not in SOURCE_EDGES:
            for iri in (start, end):
                degrees[iri] = degrees.get(iri, 0) + 1
    return degrees


def _pulls(
    projection: Projection, ids: dict[str, int], degrees: dict[str, int]
) -> list[tuple[int, int, float]]:
    """The layout's links (node, node, strength); `degrees` as `_network_degrees` gives them.

    An event is pulled to each party at a strength shared out among that
    party's links, so a hub (the country in every story) holds its events
    loosely and each story's events gather round their own parties.
    """
    links = []
    for start, predicate, end in projection.edges:
        if local_name(predicate) in SOURCE_EDGES:
            strength = SOURCE_PULL
        else:
            strength = PARTY_PULL / math.sqrt(max(degrees[start], degrees[end]))
        links.append((ids[start], ids[end], strength))
    return links


def _named_only(projection: Projection, degrees: dict[str, int]) -> set[str]:
    """The entities linked to nothing but the articles that name them.

    They are not part of the entity–event network the page opens on: it
    draws them, as it draws articles, only when articles are shown.
    """
    return {
        iri
        for iri, node in projection.nodes.items()
        if iri not in degrees and node.kind != ARTICLE_KIND and not is_event_kind(node.kind)
    }


def _event_months(nodes: list[tuple[int, JSON]]) -> list[str]:
    """The months events are dated in (where each date begins and ends): the date slider's stops."""
    return sorted(
        {
            day[:7]
            for _, node in nodes
            if is_event_kind(node["kind"])
            for interval in node["dates"]
            for day in interval
        }
    )


def _troop_levels(
    source: GraphSource, ids: dict[str, int], figures: Sequence[TroopFigure]
) -> tuple[dict[int, JSON], dict[int, str]]:
    """For each drawn place, the troop figures of events there or in places inside it, as
    `kg timeline` lists them (`figures`), and a chart of them (as an image's data URL;
    for the places with most dated levels, `kg.timeline_chart.place_charts`): the side panel's.

    A place's figures are carried as far as the panel lists them, the rest counted: a
    country at the heart of an archive has tens of thousands (20 MB at 20,000 articles).
    """
    places = {
        ids[iri]: named
        for iri, named in figures_by_place(source.store, figures).items()
        if iri in ids
    }
    levels = {
        number: {
            "rows": [_troop_figure(row) for row in rows[:LISTED]],
            "more": max(len(rows) - LISTED, 0),
        }
        for number, (_, rows) in sorted(places.items())
    }
    charts = place_charts(dict(sorted(places.items())), MAX_NODE_CHARTS)
    return levels, {number: _svg_data_url(svg) for number, svg in sorted(charts.items())}


def _troop_figure(row: TroopFigure) -> JSON:
    """One row of a place's troop levels in the side panel."""
    return {
        "date": readable_date(row.date) if row.date else "undated",
        "datedBy": row.dated_by,
        "measure": row.measure,
        "qualifier": row.qualifier,
        "troops": row.troops,
        "actor": row.actor,
        "source": row.publisher or row.article.rsplit("/article/", 1)[-1],
        "disputed": row.disputed,
    }


def _svg_data_url(svg: str) -> str:
    """The SVG as an image's `data:` URL: drawn as an image, a chart runs no script."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _vis_options(node_count: int) -> JSON:
    """vis-network's options; a big graph gets straight links that hide while it moves."""
    options = copy.deepcopy(_VIS_OPTIONS)
    if node_count > BIG_GRAPH:
        options["edges"]["smooth"] = {"enabled": False}
        options["interaction"].update(hideEdgesOnDrag=True, hideEdgesOnZoom=True)
    return options


def _network(
    nodes: list[tuple[int, JSON]], edges: list[tuple[int, int, JSON]], options: JSON, *, title: str
) -> Network:
    """The drawing as a pyvis Network: nodes and options through its public methods, edges
    as its `Edge`s."""
    # Directed: an undirected Network keeps only the first link between two
    # nodes. pyvis's add_edge looks each link's ends up in its list of nodes,
    # which takes time in nodes × links (0.3 s at 2,000 nodes and 16,000
    # links); the ends are looked up in its node map instead.
    network = Network(heading=html.escape(title), directed=True, cdn_resources="in_line")
    for number, attributes in nodes:
        network.add_node(number, **attributes)
    for start, end, attributes in edges:
        if start not in network.node_map or end not in network.node_map:
            raise ValueError(f"a link between nodes not drawn: {start} → {end}")
        network.edges.append(Edge(start, end, directed=True, **attributes).options)
    # set_options parses JSON text after deleting every space in it: our
    # option values hold none (tests/test_view.py checks that they survive).
    network.set_options(json.dumps(options, separators=(",", ":")))
    return network


def _drawing(
    source: GraphSource,
    *,
    title: str,
    drawn: Trimmed,
    figures: Sequence[TroopFigure] | None = None,
) -> tuple[Network, JSON, ViewStats]:
    """The Network to draw, what else the page's script needs, and a summary of the drawing.

    The second part is the legend, the articles, the months of the date slider and what was
    left out; `drawn` is the part of the graph's projection to draw.
    """
    projection, degrees = drawn.projection, drawn.degrees
    ids = {iri: number for number, iri in enumerate(projection.nodes)}
    nodes, articles = _nodes(source, projection, ids, degrees)
    stats = ViewStats(
        nodes=len(projection.nodes),
        edges=len(projection.edges),
        dropped_kinds=drawn.dropped_kinds,
        dropped_edges=drawn.dropped_edges,
    )
    edges = _edges(projection, ids, link_support(source, projection.edges))
    most_support = _event_support(nodes, edges)
    network = _network(nodes, edges, _vis_options(stats.nodes), title=title)
    levels, charts = _troop_levels(
        source, ids, timeline(source.store) if figures is None else figures
    )
    data = {
        "troopLevels": levels,
        "troopCharts": charts,
        "articles": articles,
        "classes": _classes(projection),
        "months": _event_months(nodes),
        "dropped": stats.dropped_text(),
        "maxSupport": most_support,
        "sourceEdges": sorted(SOURCE_EDGES),
    }
    return network, data, stats


def _generate_html(network: Network, data: JSON) -> str:
    """Render our template through pyvis; see assets/page.html for what it is given."""
    # Our folder first (the page, its style and script), then pyvis's own
    # template folder, from which the template includes vis-network.
    assets = str(resources.files(ASSETS[0]).joinpath(ASSETS[1]))
    network.set_template_dir([assets, network.template_dir], TEMPLATE)
    environment = network.templateEnv  # a fresh jinja2.Environment, autoescape off
    environment.filters.update(
        script_json=script_json, script_text=_script_text, csp_source=_csp_source, inline=_inline
    )
    environment.globals["view_data"] = data
    return str(network.generate_html())


def render_page(
    graph: Graph | GraphSource,
    *,
    title: str = "newskg",
    max_nodes: int | None = None,
    drawn: Trimmed | None = None,
    figures: Sequence[TroopFigure] | None = None,
) -> tuple[str, ViewStats]:
    """The page's HTML and what it draws (see `render_html`); `drawn`, when the caller has
    it, is `keep_most_connected(project(graph), max_nodes)`."""
    source = graph_source(graph)
    if drawn is None:
        drawn = keep_most_connected(project(source), max_nodes)
    network, data, stats = _drawing(source, title=title, drawn=drawn, figures=figures)
    return _generate_html(network, data), stats


def render_html(
    graph: Graph | GraphSource, *, title: str = "newskg", max_nodes: int | None = None
) -> str:
    """Draw `graph` as one HTML page that works offline from disk and writes no files.

    Nodes are `graph_to_networkx`'s projection, laid out up front with a fixed
    seed; `max_nodes` keeps only the most connected nodes. The same graph
    always gives the same string.

    Reference: https://visjs.github.io/vis-network/docs/network/
    """
    return render_page(graph, title=title, max_nodes=max_nodes)[0]


def write_html(
    graph: Graph | GraphSource,
    path: Path,
    *,
    title: str = "newskg",
    max_nodes: int | None = None,
    drawn: Trimmed | None = None,
    figures: Sequence[TroopFigure] | None = None,
) -> ViewStats:
    """Render `graph` (see `render_page`), write it to `path` atomically, say what it draws."""
    page, stats = render_page(graph, title=title, max_nodes=max_nodes, drawn=drawn, figures=figures)
    atomic_write_text(path, page)
    return stats
