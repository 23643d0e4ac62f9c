"""The timeline drawn: troop levels over time per place, one mark per source, as SVG.

Drawn with matplotlib's SVG backend (offline, no display): for each place a
panel of the stated levels (troops before and after a drawdown or
deployment, and standing levels) against their dates, each source's
figures joined as steps in its own marker, a figure other sources give
differently ringed in red (past `MAX_SOURCES` sources a place, the rest as
grey points). Figures without a date are left out (the table
of `kg timeline` has them). The same rows always give the same bytes: the
SVG's ids are salted with a constant and it carries no date.
"""

from __future__ import annotations

import functools
import importlib.metadata
import io
import re
from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from itertools import cycle
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from kg.dates import date_interval
from kg.memo import current_memos, memo_key
from kg.timeline import PlaceFigures, TroopFigure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LEVELS = ("before", "after", "level")  # measures that are troop levels (not troops moved)
MAX_PLACES = 6  # panels in the build's chart: the places with the most dated levels
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_DISPUTED = "#c0392b"
_OTHERS = "#b0b0b0"
MAX_SOURCES = 8  # sources with a marker and a legend entry of their own, per place
# How the other sources' figures and the disputed ones are marked (`Axes.scatter`).
_GREY_POINTS: dict[str, Any] = {"s": 10, "color": _OTHERS, "zorder": 1}
_RINGS: dict[str, Any] = {
    "s": 160, "facecolors": "none", "edgecolors": _DISPUTED, "linewidths": 1.5, "zorder": 3
}  # fmt: skip
MAX_NODE_CHARTS = 12  # charts in the view's side panel: the drawn places with most levels
CHARTS_MEMO = "charts"  # the build's memo table of the charts it drew (kg.memo)

K = TypeVar("K", bound=Hashable)


def dated_levels(rows: Sequence[TroopFigure]) -> list[tuple[TroopFigure, date]]:
    """The rows that state a level on a known date, with the first day that date means."""
    found = []
    for row in rows:
        interval = date_interval(row.date) if row.date else None
        if row.measure in LEVELS and interval is not None:
            found.append((row, date.fromisoformat(interval[0])))
    return found


def panels_svg(panels: Sequence[tuple[str, Sequence[TroopFigure]]]) -> str:
    """An SVG with one panel per (place, its rows): one place's chart, kept by
    `place_charts` and stacked by `places_svg`."""
    import matplotlib  # noqa: PLC0415 - heavy, and only a chart needs it

    matplotlib.use("svg")
    from matplotlib.figure import Figure  # noqa: PLC0415

    with matplotlib.rc_context({"svg.hashsalt": "newskg", "svg.fonttype": "none"}):
        height = 2.6 * max(1, len(panels))  # inches
        figure = Figure(figsize=(8, height))
        # Margins set, not solved for: matplotlib's constrained layout took half the time
        # of drawing a chart.
        figure.subplots_adjust(
            left=0.11, right=0.98, top=1 - 0.3 / height, bottom=0.45 / height, hspace=0.5
        )
        axes = figure.subplots(max(1, len(panels)), 1, squeeze=False)[:, 0]
        for panel, (place, rows) in zip(axes, panels, strict=False):  # one panel when none
            _draw_place(panel, place, dated_levels(rows))
        if not panels:
            axes[0].text(0.5, 0.5, "no dated troop levels", ha="center", va="center")
            axes[0].set_axis_off()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _draw_place(panel: Axes, place: str, levels: list[tuple[TroopFigure, date]]) -> None:
    """One panel: each source's levels as steps over time (past `MAX_SOURCES`, grey points);
    disputed figures ringed."""
    sources: dict[str, list[tuple[date, int, int, bool]]] = {}
    for row, day in levels:
        source = row.publisher or row.article.rsplit("/article/", 1)[-1]
        point = (day, LEVELS.index(row.measure), row.troops, bool(row.disputed))
        sources.setdefault(source, []).append(point)  # on one date: before, level, after
    markers = cycle(_MARKERS)
    # The sources giving the most figures get steps, a marker and a legend entry each; the
    # rest are grey points, all in one collection (a line each cost a chart of a place an
    # archive reports often a tenth of a second), so such a place stays readable.
    named = sorted(sorted(sources), key=lambda source: -len(sources[source]))[:MAX_SOURCES]
    grey: list[tuple[date, int]] = []
    ringed: list[tuple[date, int]] = []
    for source in sorted(sources):
        points = sorted(sources[source])
        ringed += [(day, troops) for day, _, troops, disputed in points if disputed]
        if source in named:
            days = np.array([p[0] for p in points], dtype="datetime64[D]")
            troops = [p[2] for p in points]
            panel.step(days, troops, where="post", marker=next(markers), label=source)
        else:
            grey += [(day, troops) for day, _, troops, _ in points]
    for found, style in ((grey, _GREY_POINTS), (ringed, _RINGS)):
        if found:
            days = np.array([day for day, _ in found], dtype="datetime64[D]")
            panel.scatter(days, [troops for _, troops in found], **style)
    panel.set_title(f"{place}: troops as each source states them", loc="left", fontsize=10)
    panel.set_ylabel("troops")
    panel.set_ylim(bottom=0)
    others = len(sources) - len(named)
    title = "red ring: disputed" + (f"; grey: {others} more sources" if others else "")
    panel.legend(fontsize=8, loc="best", title=title, title_fontsize=8)
    panel.grid(alpha=0.3)


def place_charts(panels: Mapping[K, tuple[str, Sequence[TroopFigure]]], limit: int) -> dict[K, str]:
    """One chart per key of `panels` (a place: its name and its rows), for the `limit`
    keys with most dated levels (then by name), most first; keys with none get no chart.

    Drawing costs about a tenth of a second a chart, so in a build each is kept
    in the memo table under the digest of what it shows: a rebuild draws only
    the charts whose figures changed (and loads matplotlib only then), and the
    build's `timeline.svg` and the page's side panel draw a place once.
    """
    counts = {key: len(dated_levels(rows)) for key, (_, rows) in panels.items()}
    chosen = sorted(
        (key for key in panels if counts[key]), key=lambda key: (-counts[key], panels[key][0])
    )
    return {key: _kept_chart([panels[key]]) for key in chosen[:limit]}


def _kept_chart(panels: Sequence[tuple[str, Sequence[TroopFigure]]]) -> str:
    """`panels_svg(panels)`, from the build's memo table when drawn before."""
    memos = current_memos()
    if memos is None:
        return panels_svg(panels)
    table = memos.table(CHARTS_MEMO, _matplotlib_version())
    digest = memo_key([(name, list(rows)) for name, rows in panels]).hex()
    svg = table.get(digest)
    if svg is None:
        svg = panels_svg(panels)
        table.put(digest, svg, subjects=set(), graphs=set())
    return str(svg)


@functools.cache
def _matplotlib_version() -> str:
    """What, beside newskg's code and the rows, decides a chart's bytes (asking the
    installed packages takes a tenth of a second)."""
    return importlib.metadata.version("matplotlib")


def stacked_svg(charts: Sequence[str]) -> str:
    """One SVG of `charts` (each drawn by `panels_svg`) one above the other, each nested as
    drawn, its ids prefixed with its place in the stack so no two charts share one."""
    width = top = 0.0
    parts = []
    for number, chart in enumerate(charts):
        nested, chart_width, height = _nested(chart, f"c{number}-", top)
        parts.append(nested)
        top, width = top + height, max(width, chart_width)
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="{width:g}pt" height="{top:g}pt"'
        f' viewBox="0 0 {width:g} {top:g}" xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
        + "".join(parts)
        + "</svg>\n"
    )


def _nested(chart: str, prefix: str, top: float) -> tuple[str, float, float]:
    """`chart` as an `<svg>` element placed `top` points down, its ids prefixed; its size."""
    root = _ROOT.search(chart)
    if root is None:
        raise ValueError("not an SVG drawn by matplotlib")
    width, height = float(root["width"]), float(root["height"])
    ids = set(_ID.findall(chart))

    def prefixed(found: re.Match[str]) -> str:
        return found[1] + prefix + found[2] if found[2] in ids else found[0]

    body = _ID_OR_REFERENCE.sub(prefixed, chart[root.end() :])
    element = f'<svg x="0" y="{top:g}" width="{width:g}" height="{height:g}"'
    return f'{element} viewBox="{root["box"]}">{body}', width, height


_ROOT = re.compile(
    r'<svg [^>]*?width="(?P<width>[\d.]+)pt" height="(?P<height>[\d.]+)pt"'
    r' viewBox="(?P<box>[^"]+)"[^>]*>'
)
_ID = re.compile(r'<[\w:]+ id="([^"]+)"')  # an element's id (text cannot hold a "<")
_ID_OR_REFERENCE = re.compile(r'(id="|url\(#|href="#)([^")]+)')


def places_svg(places: PlaceFigures, limit: int) -> str:
    """The charts of the `limit` places of `places` (`kg.timeline.figures_by_place`) with
    most dated levels, stacked; a chart saying there are none when no place has any."""
    return stacked_svg(list(place_charts(places, limit).values()) or [_kept_chart([])])
