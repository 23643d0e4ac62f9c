"""Troop levels over time, as the sources give them: one row per figure an article states.

Each row is a figure of an event in one article's graph (troops before or
after a withdrawal or deployment, troops moved, or the level a
TroopPresence states), with who acts, where, when, and which article and
publisher say so. When the article dates the event, that date; else its
publication date, marked so; else the date another article gives the same
figure of the same event, marked with that article. Figures that sources
give differently for one event and measure are flagged, each row naming
the others with their publishers, so disagreements stand side by side.

A qualifier ("about", "more than") belongs to an event's measure in the
graph, not to one value; where an article gives several values for one
measure, each value gets the qualifier its evidence sentence writes before
it ("over 3,000"), and none when no sentence says.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal, get_args

import pyoxigraph as ox

from kg.graphsource import Term, smallest_text
from kg.memo import MemoTable, current_memos
from kg.names import match_key
from kg.namespaces import KG, PREFIX_IRIS
from kg.query.output import printable, text_table

TimelineFormat = Literal["table", "csv", "json"]
TIMELINE_FORMATS: tuple[TimelineFormat, ...] = get_args(TimelineFormat)

_MEASURES = {
    str(KG.troopsBefore): ("before", str(KG.troopsBeforeQualifier)),
    str(KG.troopsAfter): ("after", str(KG.troopsAfterQualifier)),
    str(KG.troopCount): ("moved", str(KG.troopCountQualifier)),
}
_FIGURES = f"""
PREFIX kg: <{PREFIX_IRIS["kg"]}>
PREFIX rdf: <{PREFIX_IRIS["rdf"]}>
PREFIX schema: <https://schema.org/>
SELECT ?event ?type ?article ?measure ?troops ?date ?published ?publisher WHERE {{
  GRAPH ?article {{
    ?article a kg:Article .
    VALUES ?measure {{ kg:troopsBefore kg:troopsAfter kg:troopCount }}
    ?event ?measure ?troops ; rdf:type ?type .
    OPTIONAL {{ ?event kg:date ?date }}
    OPTIONAL {{ ?article schema:datePublished ?published }}
    OPTIONAL {{ ?article schema:publisher ?publisher }}
  }}
}}"""
_LABEL = ox.NamedNode(PREFIX_IRIS["rdfs"] + "label")
_LOCATED_IN = ox.NamedNode(str(KG.locatedIn))
_TYPES = {str(KG.TroopPresence): "level"}
TIMELINE_MEMO = "timeline"  # each graph's figures, kept for the next build (`kg.memo`)
# What a row's `disputed` names at most: the values most sources give, and of each value
# the first sources (a famous event's figure is repeated by hundreds of articles, and every
# row of the event would name them all); the rest is counted.
DISPUTED_VALUES = 5
DISPUTED_SOURCES = 3


@dataclass(frozen=True, slots=True)
class TroopFigure:
    """One figure as one article gives it (see the module's docstring)."""

    place: str
    date: str
    dated_by: str  # "the article", "published", or "per <article>" whose figure agrees
    actor: str
    measure: str  # before, after, moved, level
    qualifier: str
    troops: int
    publisher: str
    article: str
    event: str
    # the other values of this event and measure, with their publishers (at most
    # DISPUTED_VALUES values, each with DISPUTED_SOURCES names; the others counted)
    disputed: str = ""


def timeline(
    store: ox.Store, *, place: str | None = None, actor: str | None = None
) -> list[TroopFigure]:
    """Every troop figure in `store`'s article graphs, by place, date and article; only
    those about `place` (its name or a place in it) or with `actor` acting, when given."""
    roles = _Roles(store)
    memos = current_memos()
    if memos is None:
        rows = [_figure(store, solution, roles) for solution in _solutions(store)]
    else:
        rows = _kept_figures(store, memos.table(TIMELINE_MEMO, _FIGURES), roles)
    rows = _with_borrowed_dates(_disputed(rows))
    if place is not None:
        rows = [row for row in rows if _names(store, row.event, KG.location, match_key(place))]
    if actor is not None:
        rows = [row for row in rows if _names(store, row.event, KG.agent, match_key(actor))]
    return sorted(rows, key=lambda r: (r.place, r.date, r.event, r.measure, r.article, r.troops))


def _solutions(store: ox.Store, graph: ox.NamedNode | None = None) -> Iterable[ox.QuerySolution]:
    """The figures of every article graph, or of `graph`."""
    bound = {ox.Variable("article"): graph} if graph is not None else {}
    solutions = store.query(_FIGURES, substitutions=bound)  # type: ignore[arg-type]
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _kept_figures(store: ox.Store, table: MemoTable, roles: _Roles) -> list[TroopFigure]:
    """Each graph's figures (before other articles' dates and values are set beside them):
    those the last build kept (`kg.memo`) when nothing they read changed, else read now.

    A graph's figures read its statements and, in any graph, what its events' agents and
    locations are and are called; a graph with no figure is kept too, as having none.
    """
    graphs = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    rows: list[TroopFigure] = []
    missing = []
    for graph in graphs:
        kept = table.get(graph.value)
        if kept is None:
            missing.append(graph)
        else:
            rows += (TroopFigure(**fields) for fields in kept)
    if len(missing) * 2 > len(graphs):  # most graphs: one query over all is faster
        wanted = set(missing)
        solutions = [s for s in _solutions(store) if s["article"] in wanted]
    else:
        solutions = [s for graph in missing for s in _solutions(store, graph)]
    made: dict[str, list[TroopFigure]] = {graph.value: [] for graph in missing}
    for solution in solutions:
        row = _figure(store, solution, roles)
        made[row.article].append(row)
    for name, figures in made.items():
        subjects = {name}
        for row in figures:
            subjects.add(row.event)
            for role in (KG.agent, KG.location):
                subjects |= {_text(entity) for entity in roles.entities(row.event, role)}
        results = [asdict(row) for row in figures]
        table.put(name, results, subjects={f"<{iri}>" for iri in subjects}, graphs={name})
        rows += figures
    return rows


def _figure(store: ox.Store, row: ox.QuerySolution, roles: _Roles) -> TroopFigure:
    event, article, measure = row["event"], row["article"], row["measure"]
    assert isinstance(event, ox.NamedNode) and isinstance(article, ox.NamedNode)
    troops = int(_text(row["troops"]))
    name, qualifier_property = _MEASURES[_text(measure)]
    if name == "moved":
        name = _TYPES.get(_text(row["type"]), name)
    date, dated_by = _text(row["date"]), "the article"
    if not date and row["published"] is not None:
        date, dated_by = _text(row["published"]), "published"
    return TroopFigure(
        place=", ".join(roles.labels(event.value, KG.location)),
        date=date,
        dated_by=dated_by if date else "",
        actor=", ".join(roles.labels(event.value, KG.agent)),
        measure=name,
        qualifier=_qualifier(store, event, article, qualifier_property, troops),
        troops=troops,
        publisher=_text(row["publisher"]),
        article=article.value,
        event=event.value,
    )


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    return "" if term is None or isinstance(term, ox.Triple) else term.value


class _Roles:
    """What the figures read of their events' agents and locations, each looked up once a
    timeline: an event many articles tell states its roles in each of their graphs, so a
    lookup per figure read every graph's copy once per figure, growing with the square of
    the articles that tell an event (3 s of 7 at 10,000 articles). Plain dicts, not caches
    of bound methods, so that nothing here outlives the call holding the store open."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._entities: dict[tuple[str, str], frozenset[Term]] = {}
        self._labels: dict[tuple[str, str], list[str]] = {}
        self._names: dict[Term, frozenset[str]] = {}

    def entities(self, event: str, role: str) -> frozenset[Term]:
        """The entities (IRIs, or texts) in `role` of `event`, each once."""
        found = self._entities.get((event, role))
        if found is None:
            quads = self.store.quads_for_pattern(ox.NamedNode(event), ox.NamedNode(role), None)
            found = self._entities[(event, role)] = frozenset(q.object for q in quads)  # type: ignore[misc]
        return found

    def labels(self, event: str, role: str) -> list[str]:
        """The labels of the entities in `role` (kg:agent, kg:location) of `event`, sorted."""
        found = self._labels.get((event, role))
        if found is None:
            names = (self._entity_labels(entity) for entity in self.entities(event, role))
            found = self._labels[(event, role)] = sorted(set().union(*names))
        return found

    def _entity_labels(self, entity: Term) -> frozenset[str]:
        found = self._names.get(entity)
        if found is None:
            labels = self.store.quads_for_pattern(entity, _LABEL, None)  # type: ignore[arg-type]
            found = self._names[entity] = frozenset(_text(q.object) for q in labels)
        return found


def _names(store: ox.Store, event: str, role: str, key: str) -> bool:
    """Whether an entity in `role` of `event`, or a place it lies in, is called `key`."""
    for node in places_of(store, event, role):
        for quad in store.quads_for_pattern(ox.NamedNode(node), None, None, None):
            value = quad.object
            if isinstance(value, ox.Literal) and quad.predicate.value in _NAME_PROPERTIES:
                if match_key(value.value) == key:
                    return True
    return False


PlaceFigures = dict[str, tuple[str, list[TroopFigure]]]  # place IRI → (its name, its rows)


def figures_by_place(store: ox.Store, rows: Sequence[TroopFigure]) -> PlaceFigures:
    """The name and rows of each place (by IRI): the rows of events there or in a place
    inside it, as `timeline(store, place=...)` lists them, in the order of `rows`; the name
    is the place's shortest label, as the view names its node."""
    places = functools.lru_cache(maxsize=None)(functools.partial(places_of, store))
    found: dict[str, list[TroopFigure]] = {}
    for row in rows:
        for place in sorted(places(row.event)):
            found.setdefault(place, []).append(row)
    return {place: (_place_name(store, place), found[place]) for place in found}


def _place_name(store: ox.Store, place: str) -> str:
    labels = store.quads_for_pattern(ox.NamedNode(place), _LABEL, None, None)
    return smallest_text(_text(quad.object) for quad in labels) or place.rsplit("/", 1)[-1]


def places_of(store: ox.Store, event: str, role: str = str(KG.location)) -> set[str]:
    """The IRIs of the entities in `role` of `event` and of every place they lie in."""
    seen: set[str] = set()
    todo = [
        q.object for q in store.quads_for_pattern(ox.NamedNode(event), ox.NamedNode(role), None)
    ]
    while todo:
        node = todo.pop()
        if isinstance(node, ox.NamedNode) and node.value not in seen:
            seen.add(node.value)
            todo += [q.object for q in store.quads_for_pattern(node, _LOCATED_IN, None)]
    return seen


_NAME_PROPERTIES = frozenset({_LABEL.value, PREFIX_IRIS["skos"] + "altLabel"})


def _qualifier(
    store: ox.Store, event: ox.NamedNode, article: ox.NamedNode, qualifier: str, troops: int
) -> str:
    """The qualifier of `troops` in this article: the only one, or the one its evidence
    sentence writes before the number (see the module's docstring)."""
    values = list(store.quads_for_pattern(event, None, None, article))
    found = sorted(_text(q.object) for q in values if q.predicate.value == qualifier)
    same_measure = [q for q in values if _MEASURES.get(q.predicate.value, ("", ""))[1] == qualifier]
    if len(found) <= 1 and len(same_measure) <= 1:
        return found[0] if found else ""
    evidence = " ".join(
        _text(q.object) for q in values if q.predicate.value == str(KG.evidence)
    ).lower()
    number = rf"{troops:,}|{troops}"
    for word in found:
        if re.search(rf"\b{re.escape(word.lower())}\s+(?:{number})\b", evidence):
            return word
    return ""


def _disputed(rows: list[TroopFigure]) -> list[TroopFigure]:
    """Each row with the other values sources give for its event and measure."""
    # Each value's sources, by event and measure: a row's text names the values other than
    # its own, made once per value (a row per figure reading its whole group grew with the
    # square of the articles that tell an event).
    groups: dict[tuple[str, str], dict[int, set[str]]] = {}
    for row in rows:
        sources = groups.setdefault((row.event, row.measure), {})
        sources.setdefault(row.troops, set()).add(row.publisher or _article_name(row.article))
    texts: dict[tuple[str, str, int], str] = {}
    flagged = []
    for row in rows:
        key = (row.event, row.measure, row.troops)
        text = texts.get(key)
        if text is None:
            others = {t: s for t, s in groups[key[:2]].items() if t != row.troops}
            text = texts[key] = _disputed_text(others)
        flagged.append(replace(row, disputed=text))
    return flagged


def _disputed_text(values: dict[int, set[str]]) -> str:
    """'700 (Nordic Post); 900 (A, B, C +2 more)': the values most sources give, in
    order, and their first sources by name; how many more there are."""
    shown = sorted(values, key=lambda troops: (-len(values[troops]), troops))[:DISPUTED_VALUES]
    parts = []
    for troops in sorted(shown):
        names = sorted(values[troops])
        more = len(names) - DISPUTED_SOURCES
        named = ", ".join(names[:DISPUTED_SOURCES]) + (f" +{more} more" if more > 0 else "")
        parts.append(f"{troops:,} ({named})")
    if len(values) > len(shown):
        parts.append(f"+{len(values) - len(shown)} other values")
    return "; ".join(parts)


def _with_borrowed_dates(rows: list[TroopFigure]) -> list[TroopFigure]:
    """Undated rows take the date of the article that dates their event and agrees with
    theirs on the most figures (the first such article on a tie)."""
    figures: dict[tuple[str, str], set[tuple[str, int]]] = {}
    dates: dict[str, dict[str, str]] = {}  # event → article → the date it gives
    for row in rows:
        figures.setdefault((row.event, row.article), set()).add((row.measure, row.troops))
        if row.dated_by == "the article":
            dates.setdefault(row.event, {})[row.article] = row.date
    # The article chosen for each event and set of figures, chosen once: an undated row per
    # dating article grew with the square of the articles that tell an event.
    chosen: dict[tuple[str, frozenset[tuple[str, int]]], str] = {}
    out = []
    for row in rows:
        dating = dates.get(row.event, {}) if not row.date else {}
        if dating:
            ours = frozenset(figures[(row.event, row.article)])
            best = chosen.get((row.event, ours))
            if best is None:
                best = chosen[(row.event, ours)] = max(
                    sorted(dating), key=lambda a: len(figures[(row.event, a)] & ours)
                )  # the first on a tie
            row = replace(row, date=dating[best], dated_by=f"per {_article_name(best)}")
        out.append(row)
    return out


def _article_name(iri: str) -> str:
    return iri.rsplit("/article/", 1)[-1]


def render_timeline(rows: Sequence[TroopFigure], fmt: TimelineFormat) -> str:
    """The rows as an aligned table (for people), CSV or JSON (for programs)."""
    if fmt == "json":
        return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2) + "\n"
    names = [name for name in TroopFigure.__dataclass_fields__]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([getattr(row, name) for name in names] for row in rows)
        return out.getvalue()
    shown = [n for n in names if n not in ("event",)]
    cells = [
        [
            f"{row.troops:,}" if name == "troops" else printable(_shown(name, getattr(row, name)))
            for name in shown
        ]
        for row in rows
    ]
    return text_table(shown, cells, [name == "troops" for name in shown])


def _shown(name: str, value: str) -> str:
    return _article_name(value) if name == "article" else value
