"""The resolution graph's decisions, each with what it is made of, to patch the graph after an edit.

The resolution graph (`kg.graph.resolution_graph`) holds one node per
decision: an entity's form joined by a rule (`FormReason`), an article's
claims tied to an event (`ClaimTie`), a rule that counted articles in for a
role (`HolderReason`). A node and all its statements follow from the items
that name it, so after an edit only the nodes whose items changed are made
again: those quads leave the graph, and the new ones arrive
(`decision_changes`), instead of the forty thousand quads of the whole graph
being made and loaded again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import pyoxigraph as ox

from kg.graph import IriMinter, resolution_graph
from kg.records import Event, FormReason, Role

Item = FormReason | Event | Role  # an event or a role with one tie or reason, none of its claims
# What names a node → the items it is made of, each once, in the order first given: one item
# in all but odd cases, which a tuple holds in a third of a frozenset's room.
Decisions = dict[tuple[str, ...], tuple[Item, ...]]


def decision_items(
    reasons: Iterable[FormReason], events: Iterable[Event], roles: Iterable[Role]
) -> Decisions:
    """Each decision node, named as `resolution_graph` names it (node, rule, part), with the
    items it is made of."""
    found: Decisions = {}

    def add(name: tuple[str, ...], item: Item) -> None:
        items = found.get(name, ())
        if item not in items:
            found[name] = (*items, item)

    for reason in reasons:
        add(("form", reason.entity, reason.rule, reason.form), reason)
    for event in events:
        for tie in event.joined:
            add(("tie", event.key, tie.rule, tie.article), replace(event, claims=(), joined=(tie,)))
    for role in roles:
        for holder in role.inferred:
            add(("role", role.key, holder.rule), replace(role, articles=(), inferred=(holder,)))
    return found


def decision_changes(
    before: Mapping[tuple[str, ...], tuple[Item, ...]], after: Decisions, minter: IriMinter
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The quads that leave the resolution graph of `before` and those that arrive in that
    of `after`: those of the nodes whose items changed (or came in another order: their
    quads leave and arrive the same, which changes nothing)."""
    changed = [name for name in before.keys() | after.keys() if before.get(name) != after.get(name)]
    return _quads(before, changed, minter), _quads(after, changed, minter)


def _quads(
    decisions: Mapping[tuple[str, ...], tuple[Item, ...]],
    names: Iterable[tuple[str, ...]],
    minter: IriMinter,
) -> list[ox.Quad]:
    items = [item for name in names for item in decisions.get(name, ())]
    return resolution_graph(
        [item for item in items if isinstance(item, FormReason)],
        [item for item in items if isinstance(item, Event)],
        [item for item in items if isinstance(item, Role)],
        minter,
    ).quads()
