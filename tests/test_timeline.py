"""`kg timeline`: troop figures as each source gives them, disagreements side by side."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, cast
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import kg
import kg.timeline_chart
from kg.cli import app
from kg.memo import Memos, keeping
from kg.namespaces import KG
from kg.timeline import TroopFigure, _disputed, timeline

runner = CliRunner()
# Two outlets on one drawdown, disagreeing on where it ends; a third story of one of them
# without a date; and a standing force that two sources count differently.
STORIES = {
    "herald.txt": """Publisher: Baltic Herald
Date: 2024-05-02

Norway trims its Lithuania force

Norway will reduce its troops in Lithuania from 1,200 to 800 by August, the Norwegian \
defence ministry said on Thursday.
""",
    "post.txt": """Publisher: Nordic Post
Date: 2024-05-03

Norwegian drawdown in Lithuania

Norway will reduce its troops in Lithuania from 1,200 to 700 by October, officials said.
""",
    "herald-undated.txt": """Publisher: Baltic Herald

Lithuania force to shrink

Norway will reduce its troops in Lithuania from 1,200 to 800, the ministry said.
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("timeline")
    (folder / "in").mkdir()
    for name, text in STORIES.items():
        (folder / "in" / name).write_text(text, encoding="utf-8")
    kg.build([folder / "in"], folder / "out", validate=False, use_cache=False)
    return folder / "out"


def _rows(built: Path, *options: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["timeline", "-g", str(built), "-f", "json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_timeline_keeps_each_sources_figures_and_flags_the_disagreement(built: Path) -> None:
    rows = _rows(built, "--place", "Lithuania")
    after = {
        (r["article"].rsplit("/", 1)[-1], r["troops"], r["disputed"])
        for r in rows
        if r["measure"] == "after"
    }
    assert after == {
        ("herald", 800, "700 (Nordic Post)"),
        ("herald-undated", 800, "700 (Nordic Post)"),
        ("post", 700, "800 (Baltic Herald)"),
    }
    assert {r["actor"] for r in rows} == {"Norway"}
    assert all(r["place"] == "Lithuania" for r in rows)


def test_timeline_dates_each_row_and_says_by_what(built: Path) -> None:
    dates = {
        (r["article"].rsplit("/", 1)[-1], r["measure"]): (r["date"], r["dated_by"])
        for r in _rows(built)
    }
    assert dates[("herald", "after")] == ("2024-08", "the article")
    assert dates[("post", "after")] == ("2024-10", "the article")
    # no date of its own: the date of the article that agrees with it (800, not 700)
    assert dates[("herald-undated", "after")] == ("2024-08", "per herald")


def test_timeline_filters_by_actor_and_writes_a_table(built: Path) -> None:
    assert _rows(built, "--actor", "Sweden") == []
    table = runner.invoke(app, ["timeline", "-g", str(built), "--actor", "norway"])
    assert table.exit_code == 0
    assert "1,200" in table.stdout and table.stdout.rstrip().endswith("rows")


def test_timeline_refuses_a_graph_without_articles_graphs(built: Path) -> None:
    result = runner.invoke(app, ["timeline", "-g", str(built / "graph.ttl")])
    assert result.exit_code == 2 and "named graphs" in result.stderr


class _CountedStore:
    """A store that counts its lookups of one subject's predicate across every graph."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.lookups: Counter[tuple[str, str]] = Counter()

    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any = None, graph: Any = None
    ) -> Any:
        if isinstance(subject, ox.NamedNode) and predicate is not None and graph is None:
            self.lookups[(subject.value, predicate.value)] += 1
        return self.store.quads_for_pattern(subject, predicate, obj, graph)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_timeline_looks_up_each_events_roles_once(built: Path, tmp_path: Path) -> None:
    """An event that several articles tell states its actor and place in each of their
    graphs: a build's timeline reads them once an event, not once a figure (which grew with
    the square of the articles telling one event)."""
    store = kg.load(built).store
    counted = _CountedStore(store)
    with keeping(Memos(tmp_path / "memos")):
        rows = timeline(cast(ox.Store, counted))
    assert rows == timeline(store)
    figures = Counter(row.event for row in rows)
    event, told = figures.most_common(1)[0]
    assert told >= 4 and len({row.article for row in rows if row.event == event}) == 3
    assert counted.lookups[(event, str(KG.agent))] == 1
    assert counted.lookups[(event, str(KG.location))] == 1


def test_timeline_keeps_each_qualifier_with_its_figure(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Publisher: Gulf Ledger\nDate: 2024-03-01\n\nHow many troops remain in Qatar\n\n"
        "The United States has about 8,000 troops in Qatar, officials said, while local "
        "sources said more than 10,000 soldiers remain in Qatar.\n",
        encoding="utf-8",
    )
    kg.build([tmp_path / "in"], tmp_path / "out", validate=False, use_cache=False)
    rows = _rows(tmp_path / "out", "--place", "Qatar")
    assert {(r["troops"], r["qualifier"]) for r in rows} == {(8000, "about"), (10000, "more than")}


def test_timeline_chart_draws_each_place_with_its_sources(built: Path, tmp_path: Path) -> None:
    chart = (built / "timeline.svg").read_text(encoding="utf-8")
    assert chart.startswith("<?xml") and "<svg" in chart
    assert "Lithuania: troops as each source states them" in chart
    assert "Baltic Herald" in chart and "Nordic Post" in chart  # one mark per source
    assert 'stroke="#c0392b"' in chart  # the disputed figures are ringed
    for name in ("a.svg", "b.svg"):
        result = runner.invoke(
            app,
            ["timeline", "-g", str(built), "--place", "Lithuania", "--svg", str(tmp_path / name)],
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_timeline_chart_stacks_places_without_sharing_an_id(built: Path) -> None:
    rows = timeline(kg.load(built).store)
    lithuania = kg.timeline_chart.panels_svg([("Lithuania", rows)])
    norway = kg.timeline_chart.panels_svg([("Norway", rows[:2])])
    stacked = kg.timeline_chart.stacked_svg([lithuania, norway])
    root = ElementTree.fromstring(stacked.encode("utf-8"))
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) > 0  # the two charts drew the same markers
    referenced = set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', stacked))
    assert {a or b for a, b in referenced} <= set(ids)
    assert [child.get("y") for child in root] == ["0", root[0].get("height")]
    assert stacked.index("Lithuania: troops") < stacked.index("Norway: troops")


def _page_data(page: Path, block: str = "kg-data") -> Any:
    """One JSON block of a built page."""
    html = page.read_text(encoding="utf-8")
    return json.loads(re.search(rf'id="{block}"[^>]*>(.*?)</script>', html, re.S).group(1))


def _page_charts(page: Path) -> dict[str, str]:
    """The side panel's charts of a built page, by the name of the node they belong to."""
    data, nodes = _page_data(page, "kg-data"), _page_data(page, "kg-nodes")
    labels = {str(node["id"]): node["label"] for node in nodes}
    return {
        labels[number]: base64.b64decode(url.split(",", 1)[1]).decode("utf-8")
        for number, url in data["troopCharts"].items()
    }


def test_view_panel_carries_the_troop_levels_it_lists_and_counts_the_rest(tmp_path: Path) -> None:
    # A ledger of one force, twice a season for eight years: 48 figures for one country.
    months = ("January", "March", "May", "July", "September", "November")
    ledger = [
        f"In {month} {year}, Canada had {400 + 10 * number:,} soldiers in Latvia."
        for number, (year, month) in enumerate((y, m) for y in range(2016, 2024) for m in months)
    ]
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "ledger.txt").write_text(
        "Publisher: Riga Ledger\nDate: 2024-02-01\n\nCanada in Latvia, year by year\n\n"
        + "\n".join(ledger)
        + "\n",
        encoding="utf-8",
    )
    kg.build([articles], tmp_path / "out", validate=False)
    figures = [row for row in timeline(kg.load(tmp_path / "out").store) if row.troops]
    assert len(figures) == len(ledger) == 48
    (levels,) = _page_data(tmp_path / "out" / "graph.html")["troopLevels"].values()
    # the panel lists 40 (MAX_LISTED in view.js); the page carries those and counts the rest
    assert len(levels["rows"]) == 40 and levels["more"] == 8
    assert [row["troops"] for row in levels["rows"]] == [row.troops for row in figures[:40]]
    assert levels["rows"][0]["date"] == "Jan 2016"


def test_view_panel_charts_each_place_and_draws_again_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    for name, text in STORIES.items():
        (articles / name).write_text(text, encoding="utf-8")
    kg.build([articles], tmp_path / "out", validate=False)
    charts = _page_charts(tmp_path / "out" / "graph.html")
    assert set(charts) == {"Lithuania"}  # the one place with dated levels
    assert "Lithuania: troops as each source states them" in charts["Lithuania"]
    assert "Baltic Herald" in charts["Lithuania"] and "Nordic Post" in charts["Lithuania"]

    def no_drawing(*_: object) -> str:
        raise AssertionError("drawn again for the same figures")

    monkeypatch.setattr(kg.timeline_chart, "panels_svg", no_drawing)
    (articles / "aside.txt").write_text(
        "Publisher: Nordic Post\nDate: 2024-05-04\n\nA quiet week\n\n"
        "The Norwegian parliament met in Oslo on Friday.\n",
        encoding="utf-8",
    )
    kg.build([articles], tmp_path / "out", validate=False)  # no figure changed: none drawn
    assert _page_charts(tmp_path / "out" / "graph.html") == charts
    (articles / "aside.txt").write_text(
        "Publisher: Nordic Post\nDate: 2024-05-04\n\nFewer troops\n\n"
        "Norway will reduce its troops in Lithuania from 800 to 600 by December, officials said.\n",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="drawn again"):
        kg.build([articles], tmp_path / "out", validate=False)
    monkeypatch.undo()
    kg.build([articles], tmp_path / "out", validate=False)
    redrawn = _page_charts(tmp_path / "out" / "graph.html")
    assert set(redrawn) == {"Lithuania"} and redrawn != charts


def test_timeline_a_figure_many_sources_repeat_names_a_few_and_counts_the_rest() -> None:
    """A famous event's figure, repeated by a hundred outlets: each row stays short."""
    row = TroopFigure(
        place="Lithuania",
        date="2024-08",
        dated_by="the article",
        actor="Norway",
        measure="after",
        qualifier="",
        troops=800,
        publisher="Baltic Herald",
        article="https://w3id.org/newskg/id/article/herald",
        event="urn:event",
    )
    others = [replace(row, troops=700, publisher=f"Outlet {n:03}") for n in range(100)]
    others += [replace(row, troops=600 + n, publisher="Nordic Post") for n in range(1, 8)]
    flagged = {r.publisher: r.disputed for r in _disputed([row, *others])}
    assert flagged["Baltic Herald"] == (
        "601 (Nordic Post); 602 (Nordic Post); 603 (Nordic Post); 604 (Nordic Post); "
        "700 (Outlet 000, Outlet 001, Outlet 002 +97 more); +3 other values"
    )


SVG = "{http://www.w3.org/2000/svg}"


def _level(day: str, troops: int, publisher: str, disputed: str = "") -> TroopFigure:
    """A standing level in Estonia as `publisher` gives it on `day`."""
    return TroopFigure(
        place="Estonia",
        date=day,
        dated_by="the article",
        actor="Britain",
        measure="level",
        qualifier="",
        troops=troops,
        publisher=publisher,
        article=f"https://w3id.org/newskg/id/article/{day}",
        event="urn:event",
        disputed=disputed,
    )


def _chart(rows: list[TroopFigure]) -> ElementTree.Element:
    """The chart of `rows` as one place's, parsed (it must be well-formed XML)."""
    return ElementTree.fromstring(kg.timeline_chart.panels_svg([("Estonia", rows)]).encode())


def _labels(chart: ElementTree.Element) -> list[str]:
    """The texts of a parsed chart: titles, tick labels, legend entries."""
    return [text.text or "" for text in chart.iter(f"{SVG}text")]


def test_timeline_chart_ticks_years_over_years_and_days_over_weeks() -> None:
    years = _labels(
        _chart([_level(str(year), 900 + year, "Tallinn Times") for year in (2016, 2020, 2023)])
    )
    assert {"2016", "2018", "2020", "2022"} <= set(years) and "troops" in years
    assert {"0", "1,000", "2,000", "3,000"} <= set(years)  # 0 to a round number above 2,923
    weeks = _labels(
        _chart([_level(f"2024-03-{day:02}", 1_200, "Tallinn Times") for day in (4, 25)])
    )
    assert {"10 Mar", "17 Mar", "24 Mar"} <= set(weeks)
    assert "Mar 2024" not in weeks and "2024" not in weeks
    assert "3 Mar 2024" in weeks  # the first day tick says the year


def test_timeline_chart_draws_a_single_figure() -> None:
    chart = _chart([_level("2021-05-04", 150, "Tallinn Times")])
    assert len(list(chart.iter(f"{SVG}polyline"))) == 1
    assert len(list(chart.iter(f"{SVG}use"))) == 2  # its marker: on the figure, in the legend
    assert "0" in _labels(chart) and any("May" in label for label in _labels(chart))
    empty = ElementTree.fromstring(kg.timeline_chart.panels_svg([]).encode())
    assert _labels(empty) == ["no dated troop levels"]


def test_timeline_chart_escapes_the_names_it_shows() -> None:
    name = '<script>alert(1)</script> & "x"'
    svg = kg.timeline_chart.panels_svg([(f"<b>{name}</b>", [_level("2024-05", 800, name)])])
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in svg
    chart = ElementTree.fromstring(svg.encode())
    assert not list(chart.iter(f"{SVG}script"))
    assert name in _labels(chart)
    assert f"<b>{name}</b>: troops as each source states them" in _labels(chart)


def test_timeline_chart_steps_each_named_source_and_rings_each_disputed_figure() -> None:
    rows = [
        _level(f"202{n % 4}-0{1 + n % 9}", 500 + 100 * n, f"Outlet {source}", "no" if n % 5 else "")
        for source in range(kg.timeline_chart.MAX_SOURCES + 2)
        for n in range(source + 1)
    ]
    chart = _chart(rows)
    assert len(list(chart.iter(f"{SVG}polyline"))) == kg.timeline_chart.MAX_SOURCES
    (ringed,) = [group for group in chart.iter(f"{SVG}g") if group.get("stroke") == "#c0392b"]
    assert ringed.get("fill") == "none" and len(ringed) == sum(bool(row.disputed) for row in rows)
    (grey,) = [group for group in chart.iter(f"{SVG}g") if group.get("fill") == "#b0b0b0"]
    assert len(grey) == 1 + 2  # the two sources with fewest figures: Outlet 0 and Outlet 1
    assert "red ring: disputed; grey: 2 more sources" in _labels(chart)
    assert {f"Outlet {n}" for n in range(2, 10)} <= set(_labels(chart))
