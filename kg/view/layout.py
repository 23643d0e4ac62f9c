"""Seeded force-directed positions, computed once so that the page runs no physics.

Fruchterman–Reingold (1991): linked nodes attract, all nodes repel, moves
shrink as the layout cools. As in ForceAtlas2 (Jacomy et al. 2014), a node
repels in proportion to its mass, √(1 + degree) here, so that hubs such as
a country in every article push apart and leave room for their neighbours.

Nodes can be laid out in two rounds: the drawing people see first settles
on its own, then the nodes it leaves out (`later`: the page's articles)
find room around it while it stays put, so they neither push it apart nor
move it when they are shown.

Repulsion between every pair is quadratic, so past `EXACT_REPULSION` nodes
each step estimates it from a fresh random sample of that many nodes
(scaled up); 5,000 nodes then take a second instead of half a minute. A
fixed seed puts the same graph in the same place every time, and the
browser only draws. In a build the positions are kept as a memo
(`kg.memo`): a rebuild that draws the same nodes and links takes them back.

networkx's `spring_layout` is the same algorithm but needs SciPy from 500
nodes up; this keeps the view free of that dependency.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np

from kg.memo import current_memos, memo_key

LAYOUT_SEED = 42
ITERATIONS = 100
EXACT_REPULSION = 500  # nodes; larger graphs sample this many repelling nodes per step
GRAVITY = 0.3  # pull towards the middle: unlinked pieces stay close, the fitted view stays big
SPACING = 160.0  # pixels that the ideal distance between linked nodes becomes
LAYOUT_MEMO = "layout.json"


@dataclass(frozen=True)
class _Links:
    """The links as arrays: pairs of nodes (each pair once) and the strength of each."""

    pairs: np.ndarray
    weights: np.ndarray

    def among(self, present: np.ndarray) -> _Links:
        """Only the links whose two ends are `present` (a mask over the nodes)."""
        keep = present[self.pairs[:, 0]] & present[self.pairs[:, 1]]
        return _Links(self.pairs[keep], self.weights[keep])


def force_layout(
    count: int,
    links: Iterable[tuple[int, int, float]],
    *,
    later: Collection[int] = (),
    seed: int = LAYOUT_SEED,
    iterations: int = ITERATIONS,
) -> list[tuple[int, int]]:
    """Pixel positions for nodes 0…count-1 joined by `links` (node, node, strength).

    A link of strength 1 pulls as Fruchterman–Reingold's; a weaker one lets
    its nodes drift apart, a stronger one holds them closer. Nodes in `later`
    are placed after the others have settled (and the spacing is that of the
    others). The same arguments always give the same positions, so those of
    the build's memo when they were made of the same arguments.
    """
    links = list(links)
    later = sorted(set(later))
    memos = current_memos()
    if memos is None:
        return _positions(count, links, later, seed, iterations)
    key = memo_key("force_layout", count, links, later, seed, iterations)
    kept = memos.read(LAYOUT_MEMO, key)
    if kept is not None:
        return [(x, y) for x, y in json.loads(kept)]
    positions = _positions(count, links, later, seed, iterations)
    memos.write(LAYOUT_MEMO, key, json.dumps(positions).encode())
    return positions


def _positions(
    count: int, links: list[tuple[int, int, float]], later: list[int], seed: int, iterations: int
) -> list[tuple[int, int]]:
    if count == 0:
        return []
    rng = np.random.default_rng(seed)
    # float32 and separate x and y arrays: four times faster than float64 pairs.
    x, y = (rng.random((2, count), dtype=np.float32) - np.float32(0.5)).copy()
    every = _as_arrays(links)
    first = np.ones(count, dtype=bool)
    first[later] = False
    if not first.any():  # nothing to settle first: everything in one round
        first[:] = True
    ideal = np.float32(1.0 / np.sqrt(first.sum()))
    _settle(
        x,
        y,
        moving=first,
        present=first,
        links=every.among(first),
        ideal=ideal,
        rng=rng,
        iterations=iterations,
    )
    if not first.all():
        everyone = np.ones(count, dtype=bool)
        _start_beside_neighbours(x, y, ~first, every)
        _settle(
            x,
            y,
            moving=~first,
            present=everyone,
            links=every,
            ideal=ideal,
            rng=rng,
            iterations=iterations,
        )
    scale = SPACING / float(ideal)
    middle_x, middle_y = x[first].mean(), y[first].mean()
    return [
        (int(round(float(px) * scale)), int(round(float(py) * scale)))
        for px, py in zip(x - middle_x, y - middle_y, strict=True)
    ]


def _as_arrays(links: Iterable[tuple[int, int, float]]) -> _Links:
    """Each pair of linked nodes once, at the strength of its strongest link; no self-links."""
    strengths: dict[tuple[int, int], float] = {}
    for a, b, strength in links:
        if a != b:
            pair = (min(a, b), max(a, b))
            strengths[pair] = max(strength, strengths.get(pair, 0.0))
    pairs = np.array(sorted(strengths), dtype=np.int64).reshape(-1, 2)
    weights = np.array([strengths[pair] for pair in sorted(strengths)], dtype=np.float32)
    return _Links(pairs, weights)


def _start_beside_neighbours(
    x: np.ndarray, y: np.ndarray, moving: np.ndarray, links: _Links
) -> None:
    """Start each node of the second round at the middle of its settled neighbours, if any."""
    settled = ~moving
    sum_x, sum_y = np.zeros_like(x), np.zeros_like(y)
    neighbours = np.zeros_like(x)
    for a, b in ((0, 1), (1, 0)):
        ends, others = links.pairs[:, a], links.pairs[:, b]
        keep = moving[ends] & settled[others]
        np.add.at(sum_x, ends[keep], x[others[keep]])
        np.add.at(sum_y, ends[keep], y[others[keep]])
        np.add.at(neighbours, ends[keep], np.float32(1.0))
    placed = neighbours > 0
    # their random start, shrunk, keeps nodes with the same neighbours apart
    x[placed] = sum_x[placed] / neighbours[placed] + x[placed] * np.float32(0.05)
    y[placed] = sum_y[placed] / neighbours[placed] + y[placed] * np.float32(0.05)


def _settle(
    x: np.ndarray,
    y: np.ndarray,
    *,
    moving: np.ndarray,
    present: np.ndarray,
    links: _Links,
    ideal: np.float32,
    rng: np.random.Generator,
    iterations: int,
) -> None:
    """Move the `moving` nodes (a mask) among the `present` ones until the layout cools."""
    degree = np.zeros(len(x), dtype=np.float32)
    np.add.at(degree, links.pairs.ravel(), np.float32(1.0))
    mass = np.sqrt(degree + np.float32(1.0))
    mass /= mass[present].mean()
    movers, others = np.flatnonzero(moving), np.flatnonzero(present)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        push_x, push_y = _repulsion(x, y, mass, ideal, movers, others, rng)
        pull_x, pull_y = _attraction(x, y, links, ideal)
        move_x = push_x + pull_x[movers] - np.float32(GRAVITY) * mass[movers] * x[movers]
        move_y = push_y + pull_y[movers] - np.float32(GRAVITY) * mass[movers] * y[movers]
        length = np.maximum(np.hypot(move_x, move_y), np.float32(1e-12))
        step = np.minimum(length, np.float32(temperature)) / length
        x[movers] += move_x * step
        y[movers] += move_y * step
        temperature -= cooling


def _repulsion(
    x: np.ndarray,
    y: np.ndarray,
    mass: np.ndarray,
    ideal: np.float32,
    movers: np.ndarray,
    present: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Each mover pushed away from the present nodes (or from a sample standing in for them)."""
    others = present
    if len(present) > EXACT_REPULSION:
        others = rng.choice(present, EXACT_REPULSION, replace=False)
    dx = x[movers][:, None] - x[others][None, :]
    dy = y[movers][:, None] - y[others][None, :]
    force = dx * dx + dy * dy
    np.maximum(force, np.float32(1e-9), out=force)
    np.reciprocal(force, out=force)
    force *= mass[others][None, :]
    weight = ideal * ideal * np.float32(len(present) / len(others)) * mass[movers]
    return np.einsum("ij,ij->i", dx, force) * weight, np.einsum("ij,ij->i", dy, force) * weight


def _attraction(
    x: np.ndarray, y: np.ndarray, links: _Links, ideal: np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """Linked nodes pulled together, harder the further apart they are."""
    pull_x, pull_y = np.zeros_like(x), np.zeros_like(y)
    if len(links.pairs) == 0:
        return pull_x, pull_y
    first, second = links.pairs[:, 0], links.pairs[:, 1]
    dx, dy = x[first] - x[second], y[first] - y[second]
    strength = np.hypot(dx, dy) * links.weights / ideal
    for pull, delta in ((pull_x, dx * strength), (pull_y, dy * strength)):
        np.add.at(pull, first, -delta)
        np.add.at(pull, second, delta)
    return pull_x, pull_y
