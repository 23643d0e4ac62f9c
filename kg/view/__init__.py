"""Draw the knowledge graph as one self-contained, offline, explorable HTML page.

`graph_to_networkx` projects the RDF graph onto entities, events and articles
(also the GraphML export); `render_html` draws that projection as a page with
a legend, search, class and date filters and a side panel showing each
node's sources; `write_html` saves it atomically.
"""

from kg.view.page import PALETTE, ViewStats, render_html, render_page, write_html
from kg.view.projection import Projection, graph_to_networkx, project
from kg.view.source import GraphSource

__all__ = [
    "PALETTE",
    "GraphSource",
    "Projection",
    "ViewStats",
    "graph_to_networkx",
    "project",
    "render_html",
    "render_page",
    "write_html",
]
