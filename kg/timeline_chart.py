"""The timeline drawn: troop levels over time per place, one mark per source, as SVG.

Written as SVG text here, with no plotting library (importing matplotlib took
a second a build, and drawing with it a quarter of one a chart): for each place
a panel of the stated levels (troops before and after a drawdown or
deployment, and standing levels) against their dates, each source's
figures joined as steps in its own colour and marker, a figure other sources
give differently ringed in red (past `MAX_SOURCES` sources a place, the rest as
grey points). Figures without a date are left out (the table
of `kg timeline` has them). The same rows always give the same bytes: every
number is written to two decimals and the SVG carries no date and no random id.
Names from the articles (places, sources) are escaped: a chart runs no script.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, cycle, islice
from math import ceil, cos, floor, pi, sin, sqrt
from typing import TypeVar
from xml.sax.saxutils import escape

from kg.dates import date_interval, readable_date
from kg.memo import current_memos, memo_key
from kg.timeline import PlaceFigures, TroopFigure

LEVELS = ("before", "after", "level")  # measures that are troop levels (not troops moved)
MAX_PLACES = 6  # panels in the build's chart: the places with the most dated levels
_DISPUTED = "#c0392b"
_OTHERS = "#b0b0b0"
_GRID = "#b0b0b0"
# matplotlib's tab10, the colours of the charts it drew before: one a named source.
_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
_FONT = "DejaVu Sans, Arial, sans-serif"
MAX_SOURCES = 8  # sources with a marker and a legend entry of their own, per place
MAX_NODE_CHARTS = 12  # charts in the view's side panel: the drawn places with most levels
CHARTS_MEMO = "charts"  # the build's memo table of the charts it drew (kg.memo)
CHART_VERSION = "svg-1"  # how a chart is drawn: charts kept under another are drawn again
WIDTH = 576.0  # a chart's width in pt (8 in)
PANEL_HEIGHT = 187.2  # a panel's height in pt (2.6 in)
_TOP, _BOTTOM, _RIGHT = 21.6, 32.4, 24.0  # margins round a panel's plot, pt
_LEFT = 63.4  # the left margin, pt, unless the troops' labels need more
_DATE_TICKS = 7  # at most, along the dates
_DAY_STEPS = (1, 2, 7, 14)  # days between date ticks on a span of weeks; then months:
_MONTH_STEPS = (1, 2, 3, 6) + tuple(
    12 * years for years in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
)
_LEGEND_NAME = 32  # characters of a source's name its legend entry shows
_LEGEND_ROWS = 4  # sources a legend lists in one column
_RING, _GREY_POINT = 6.3, 1.8  # radii, pt
_LINE = 'fill="none" stroke="black" stroke-width="0.8"'  # the plot's frame and ticks
_LEGEND_BOX = 'rx="2" fill="white" fill-opacity="0.8" stroke="#cccccc" stroke-width="0.8"'

Point = tuple[date, int, int, bool]  # a figure: its day, `LEVELS` index, troops, disputed
Ticks = list[tuple[float, str]]  # an axis' ticks: where (pt) and their labels
K = TypeVar("K", bound=Hashable)


def _num(value: float) -> str:
    """`value` to two decimals, no trailing zeros: the same figures, the same bytes."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _polygon(corners: Iterable[tuple[float, float]]) -> str:
    """An SVG path through `corners`, closed."""
    return "M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in corners) + "Z"


_PLUS = (
    (-1.1, -3.5), (1.1, -3.5), (1.1, -1.1), (3.5, -1.1), (3.5, 1.1), (1.1, 1.1),
    (1.1, 3.5), (-1.1, 3.5), (-1.1, 1.1), (-3.5, 1.1), (-3.5, -1.1), (-1.1, -1.1),
)  # fmt: skip
# The named sources' markers in turn (matplotlib's names, the order its charts had): the
# shape round (0, 0), in pt.
_MARKERS = {
    "o": "M3.3 0A3.3 3.3 0 1 1-3.3 0A3.3 3.3 0 1 1 3.3 0Z",
    "s": _polygon([(-2.8, -2.8), (2.8, -2.8), (2.8, 2.8), (-2.8, 2.8)]),
    "^": _polygon([(0, -3.8), (3.4, 2.4), (-3.4, 2.4)]),
    "D": _polygon([(0, -3.6), (3.6, 0), (0, 3.6), (-3.6, 0)]),
    "v": _polygon([(0, 3.8), (3.4, -2.4), (-3.4, -2.4)]),
    "P": _polygon(_PLUS),
    "X": _polygon(((x - y) / sqrt(2), (x + y) / sqrt(2)) for x, y in _PLUS),
    "*": _polygon(
        (r * sin(k * pi / 5), -r * cos(k * pi / 5)) for k, r in zip(range(10), cycle((4.2, 1.7)))
    ),
}


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
    places = [(place, _by_source(dated_levels(rows))) for place, rows in panels]
    shapes = max((min(len(sources), MAX_SOURCES) for _, sources in places), default=0)
    defs = "".join(
        f'<path id="m{number}" d="{shape}"/>'
        for number, shape in enumerate(list(_MARKERS.values())[:shapes])
    )
    body = "".join(
        _panel(place, sources, number * PANEL_HEIGHT)
        for number, (place, sources) in enumerate(places)
    )
    return _svg(
        WIDTH,
        PANEL_HEIGHT * max(1, len(panels)),
        f'<g font-family="{_FONT}">'
        + (f"<defs>{defs}</defs>" if defs else "")
        + (body or _note())
        + "</g>",
    )


def _svg(width: float, height: float, body: str) -> str:
    """The SVG document of `body`, `width` by `height` pt (the root `_nested` reads)."""
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="{width:g}pt"'
        f' height="{height:g}pt" viewBox="0 0 {width:g} {height:g}"'
        ' xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
        f"{body}\n"
        "</svg>\n"
    )


def _by_source(levels: list[tuple[TroopFigure, date]]) -> dict[str, list[Point]]:
    """Each source's figures, in order of date (and on one date: before, level, after)."""
    sources: dict[str, list[Point]] = {}
    for row, day in levels:
        source = row.publisher or row.article.rsplit("/article/", 1)[-1]
        point = (day, LEVELS.index(row.measure), row.troops, bool(row.disputed))
        sources.setdefault(source, []).append(point)
    return {source: sorted(points) for source, points in sorted(sources.items())}


def _note(top: float = 0.0) -> str:
    """What a panel without dated levels says, in its middle."""
    return _text(WIDTH / 2, top + PANEL_HEIGHT / 2, "no dated troop levels", 10, "middle")


def _text(x: float, y: float, text: str, size: float = 8, anchor: str = "start") -> str:
    """`text` (escaped: names come from the articles) with its baseline at (`x`, `y`)."""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}"'
        f' text-anchor="{anchor}">{_escaped(text)}</text>'
    )


def _escaped(text: str) -> str:
    """`text` for XML, in an element or an attribute; "#" too, so no name reads as an
    `url(#…)` that `_nested` would prefix."""
    return escape(text, {'"': "&quot;", "'": "&apos;", "#": "&#35;"})


def _text_width(text: str, size: float) -> float:
    """About how wide `text` is in `size` pt (DejaVu Sans, the widest font named): room
    made for a label, not measured."""
    narrow, wide = " .,:;'!|()[]-fijlrt", "mwMW"
    return size * sum(
        0.35 if c in narrow else 0.9 if c in wide else 0.75 if c.isupper() else 0.62 for c in text
    )


@dataclass(frozen=True)
class _Frame:
    """A panel's plot: where it sits (pt, down from the panel's top) and the days
    (ordinals) and troops its edges stand for."""

    left: float
    first: float
    last: float
    troops: int  # at the top edge
    step: int  # troops between ticks
    right: float = WIDTH - _RIGHT
    top: float = _TOP
    bottom: float = PANEL_HEIGHT - _BOTTOM

    def x(self, day: float) -> float:
        return self.left + (day - self.first) / (self.last - self.first) * (self.right - self.left)

    def y(self, troops: float) -> float:
        return self.bottom - troops / self.troops * (self.bottom - self.top)


def _frame(sources: dict[str, list[Point]]) -> _Frame:
    """The plot of `sources`' figures: their days with a twentieth of their span either
    side (a quarter round a single date), troops from 0 to a round number above them all."""
    days = [day.toordinal() for points in sources.values() for day, *_ in points]
    first, last = min(days), max(days)
    pad = (last - first) / 20 or 90.0
    step, top = _troop_scale(max(troops for points in sources.values() for *_, troops, _ in points))
    left = max(_LEFT, 30 + _text_width(f"{top:,}", 8))  # room for the widest tick label
    start, end = max(first - pad, date.min.toordinal()), min(last + pad, date.max.toordinal())
    return _Frame(left, start, end, top, step)


def _troop_scale(most: int) -> tuple[int, int]:
    """The step (1, 2 or 5 times a power of ten) and top of the troops axis: three to
    five steps up to a round number clear of `most`."""
    wanted, magnitude = max(most * 1.05, 1.0), 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if wanted <= 5 * step:
                return step, step * ceil(wanted / step)
        magnitude *= 10


def _date_ticks(first: float, last: float) -> list[tuple[date, str]]:
    """Round dates from day `first` to day `last` (ordinals), labelled: the finest of
    days, weeks, months, quarters, years and decades that gives at most `_DATE_TICKS`."""
    candidates = chain(
        (_day_ticks(first, last, days) for days in _DAY_STEPS),
        (_month_ticks(first, last, months) for months in _MONTH_STEPS),
    )
    return next(ticks for ticks in candidates if len(ticks) <= _DATE_TICKS)


def _day_ticks(first: float, last: float, step: int) -> list[tuple[date, str]]:
    """Every `step` days ("3 Mar"; the first and a new year's first with the year)."""
    start = ceil(first) + -ceil(first) % step
    days = [
        date.fromordinal(n) for n in islice(range(start, floor(last) + 1, step), _DATE_TICKS + 1)
    ]
    before = [None, *(day.year for day in days)]
    labels = [readable_date(day.isoformat()) for day in days]
    return [
        (day, label if day.year != year else label.rsplit(" ", 1)[0])
        for day, label, year in zip(days, labels, before, strict=False)
    ]


def _month_ticks(first: float, last: float, step: int) -> list[tuple[date, str]]:
    """The first of every `step`th month ("Mar 2021"), or of every `step / 12`th year
    ("2021"); one more than `_DATE_TICKS` at most."""
    start = date.fromordinal(ceil(first))
    month = start.year * 12 + start.month - 1 + (start.day > 1)  # counted from year 0
    month += -month % step
    ticks: list[tuple[date, str]] = []
    while month // 12 <= date.max.year and len(ticks) <= _DATE_TICKS:
        day = date(month // 12, month % 12 + 1, 1)
        if day.toordinal() > last:
            break
        ticks.append((day, readable_date(day.isoformat()[: 4 if step % 12 == 0 else 7])))
        month += step
    return ticks


def _panel(place: str, sources: dict[str, list[Point]], top: float) -> str:
    """One place's panel, `top` pt down the chart: each source's levels as steps over
    time (past `MAX_SOURCES`, grey points); disputed figures ringed."""
    title = f"{place}: troops as each source states them"
    if not sources:
        return _text(_LEFT, top + _TOP - 6, title, 10) + _note(top)
    frame = _frame(sources)
    # The sources giving the most figures (then by name) get steps, a marker and a legend
    # entry each; the rest are grey points, so a place many outlets report stays readable.
    busiest = sorted(sources, key=lambda source: (-len(sources[source]), source))
    named = sorted(busiest[:MAX_SOURCES])
    steps = [_steps(frame, sources[source]) for source in named]
    grey = [_at(frame, point) for source in busiest[MAX_SOURCES:] for point in sources[source]]
    ringed = [_at(frame, point) for points in sources.values() for point in points if point[3]]
    others = len(sources) - len(named)
    legend = "red ring: disputed" + (f"; grey: {others} more sources" if others else "")
    dates = [
        (frame.x(day.toordinal()), label) for day, label in _date_ticks(frame.first, frame.last)
    ]
    troops = [(frame.y(n), f"{n:,}") for n in range(0, frame.troops + 1, frame.step)]
    return (
        f'<g transform="translate(0 {_num(top)})">'
        + _text(frame.left, _TOP - 6, title, 10)
        + _grid(frame, dates, troops)
        + _circles(grey, _GREY_POINT, f'fill="{_OTHERS}"')
        + "".join(_series(number, corners) for number, corners in enumerate(steps))
        + _axes(frame, dates, troops)
        + _circles(ringed, _RING, f'fill="none" stroke="{_DISPUTED}" stroke-width="1.5"')
        + _legend(frame, named, legend, [*chain.from_iterable(steps), *grey])
        + "</g>"
    )


def _at(frame: _Frame, point: Point) -> tuple[float, float]:
    """Where `point` is drawn."""
    return frame.x(point[0].toordinal()), frame.y(point[2])


def _steps(frame: _Frame, points: list[Point]) -> list[tuple[float, float]]:
    """The corners of a source's steps: each level held until the next date."""
    corners: list[tuple[float, float]] = []
    for point in points:
        x, y = _at(frame, point)
        if corners:
            corners.append((x, corners[-1][1]))
        corners.append((x, y))
    return corners


def _series(number: int, corners: list[tuple[float, float]]) -> str:
    """The `number`th named source's steps in its colour, its marker on each figure (every
    other corner: the ones between are where a level changes)."""
    colour = _COLOURS[number % len(_COLOURS)]
    points = " ".join(f"{_num(x)},{_num(y)}" for x, y in corners)
    marks = "".join(_mark(number, x, y) for x, y in corners[::2])
    return (
        f'<g fill="{colour}"><polyline points="{points}" fill="none" stroke="{colour}"'
        f' stroke-width="1.5"/>{marks}</g>'
    )


def _mark(number: int, x: float, y: float) -> str:
    """The `number`th named source's marker at (`x`, `y`), in the colour it is in."""
    return f'<use xlink:href="#m{number % len(_MARKERS)}" x="{_num(x)}" y="{_num(y)}"/>'


def _circles(centres: list[tuple[float, float]], radius: float, style: str) -> str:
    """Circles of `radius` round `centres`, in one group styled by `style`."""
    if not centres:
        return ""
    circles = "".join(
        f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}"/>' for x, y in centres
    )
    return f"<g {style}>{circles}</g>"


def _grid(frame: _Frame, dates: Ticks, troops: Ticks) -> str:
    """Light lines across the plot at the ticks of both axes, under the figures."""
    across = [f"M{_num(x)} {_num(frame.top)}V{_num(frame.bottom)}" for x, _ in dates]
    across += [f"M{_num(frame.left)} {_num(y)}H{_num(frame.right)}" for y, _ in troops]
    return (
        f'<path d="{"".join(across)}" fill="none" stroke="{_GRID}" stroke-opacity="0.3"'
        ' stroke-width="0.8"/>'
    )


def _axes(frame: _Frame, dates: Ticks, troops: Ticks) -> str:
    """The plot's frame, the ticks outside it with their labels, and the troops axis' name
    (left of its widest label)."""
    marks = [f"M{_num(x)} {_num(frame.bottom)}v3.5" for x, _ in dates]
    marks += [f"M{_num(frame.left)} {_num(y)}h-3.5" for y, _ in troops]
    labels = [_text(x, frame.bottom + 15, label, anchor="middle") for x, label in dates]
    labels += [_text(frame.left - 7, y + 2.9, label, anchor="end") for y, label in troops]
    name_x = frame.left - 12 - max(_text_width(label, 8) for _, label in troops)
    middle = (frame.top + frame.bottom) / 2
    return (
        _box(frame.left, frame.top, frame.right - frame.left, frame.bottom - frame.top, _LINE)
        + f'<path d="{"".join(marks)}" {_LINE}/>'
        + "".join(labels)
        + f'<text transform="translate({_num(name_x)} {_num(middle)}) rotate(-90)" font-size="10"'
        ' text-anchor="middle">troops</text>'
    )


def _legend(frame: _Frame, named: list[str], title: str, points: list[tuple[float, float]]) -> str:
    """The named sources' colours and markers under `title`, boxed in the plot's corner
    that covers the fewest `points`; in two columns past `_LEGEND_ROWS` sources, so the
    box leaves most of the plot's height free."""
    names = [
        name if len(name) <= _LEGEND_NAME else name[: _LEGEND_NAME - 1] + "…" for name in named
    ]
    rows = len(names) if len(names) <= _LEGEND_ROWS else ceil(len(names) / 2)
    column = 38 + max(_text_width(name, 8) for name in names)
    width = max(_text_width(title, 8) + 12, column * ceil(len(names) / rows))
    height = 8 + 11 * (rows + 1)
    x, y = _corner(frame, width, height, points)
    entries = (
        _legend_entry(number, name, x + column * (number // rows), y + 20.5 + 11 * (number % rows))
        for number, name in enumerate(names)
    )
    return (
        _box(x, y, width, height, _LEGEND_BOX)
        + _text(x + width / 2, y + 12.4, title, anchor="middle")
        + "".join(entries)
    )


def _legend_entry(number: int, name: str, x: float, middle: float) -> str:
    """The `number`th named source's line and marker, and its name, left at `x`."""
    colour = _COLOURS[number % len(_COLOURS)]
    return (
        f'<g fill="{colour}"><path d="M{_num(x + 6)} {_num(middle)}h20" stroke="{colour}"'
        f' stroke-width="1.5"/>{_mark(number, x + 16, middle)}</g>'
        + _text(x + 32, middle + 2.9, name)
    )


def _box(x: float, y: float, width: float, height: float, style: str) -> str:
    """A rectangle, styled by `style`, its top left at (`x`, `y`)."""
    return (
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{_num(height)}" {style}/>'
    )


def _corner(
    frame: _Frame, width: float, height: float, points: list[tuple[float, float]]
) -> tuple[float, float]:
    """The top left of a `width` by `height` box in the plot's corner covering the fewest
    `points` (upper right first, then upper left, lower left, lower right)."""
    right, bottom = frame.right - width - 5, frame.bottom - height - 5
    corners = [(right, frame.top + 5), (frame.left + 5, frame.top + 5)]
    corners += [(frame.left + 5, bottom), (right, bottom)]

    def covered(corner: tuple[float, float]) -> int:
        x, y = corner
        return sum(
            x - 4 <= px <= x + width + 4 and y - 4 <= py <= y + height + 4 for px, py in points
        )

    return min(corners, key=covered)


def place_charts(panels: Mapping[K, tuple[str, Sequence[TroopFigure]]], limit: int) -> dict[K, str]:
    """One chart per key of `panels` (a place: its name and its rows), for the `limit`
    keys with most dated levels (then by name), most first; keys with none get no chart.

    In a build each chart is kept in the memo table under the digest of what
    it shows: a rebuild draws only the charts whose figures changed, and the
    build's `timeline.svg` and the page's side panel draw a place once.
    """
    counts = {key: len(dated_levels(rows)) for key, (_, rows) in panels.items()}
    chosen = sorted(
        (key for key in panels if counts[key]), key=lambda key: (-counts[key], panels[key][0])
    )
    return {key: _kept_chart([panels[key]]) for key in chosen[:limit]}


def _kept_chart(panels: Sequence[tuple[str, Sequence[TroopFigure]]]) -> str:
    """`panels_svg(panels)`, from the build's memo table when drawn before (by newskg's
    code as it is, `memo_key`, in the `CHART_VERSION` format)."""
    memos = current_memos()
    if memos is None:
        return panels_svg(panels)
    table = memos.table(CHARTS_MEMO, CHART_VERSION)
    digest = memo_key([(name, list(rows)) for name, rows in panels]).hex()
    svg = table.get(digest)
    if svg is None:
        svg = panels_svg(panels)
        table.put(digest, svg, subjects=set(), graphs=set())
    return str(svg)


def stacked_svg(charts: Sequence[str]) -> str:
    """One SVG of `charts` (each drawn by `panels_svg`) one above the other, each nested as
    drawn, its ids prefixed with its place in the stack so no two charts share one."""
    width = top = 0.0
    parts = []
    for number, chart in enumerate(charts):
        nested, chart_width, height = _nested(chart, f"c{number}-", top)
        parts.append(nested)
        top, width = top + height, max(width, chart_width)
    return _svg(width, top, "".join(parts))


def _nested(chart: str, prefix: str, top: float) -> tuple[str, float, float]:
    """`chart` as an `<svg>` element placed `top` points down, its ids prefixed; its size."""
    root = _ROOT.search(chart)
    if root is None:
        raise ValueError("not an SVG drawn by panels_svg")
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
