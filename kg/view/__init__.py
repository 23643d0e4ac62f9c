"""Draw the knowledge graph as one self-contained, offline, explorable HTML page.

`render_html` draws the projection (`kg.projection`) of a graph as a page
with a legend, search, class and date filters and a side panel showing each
node's sources; `write_html` saves it atomically. The page reads a graph
through `kg.graphsource`, so it draws a build's store in place.
"""

from kg.view.page import PALETTE, ViewStats, render_html, render_page, write_html

__all__ = ["PALETTE", "ViewStats", "render_html", "render_page", "write_html"]
