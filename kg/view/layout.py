"""Seeded force-directed positions, computed once so that the page runs no physics.

Fruchterman–Reingold (1991): linked nodes attract, all nodes repel, moves
shrink as the layout cools. As in ForceAtlas2 (Jacomy et al. 2014), a node
repels in proportion to its mass, √(1 + degree) here, so that hubs such as
a country in every article push apart and leave room for their neighbours.

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
from collections.abc import Iterable

import numpy as np

from kg.memo import current_memos, memo_key

LAYOUT_SEED = 42
ITERATIONS = 100
EXACT_REPULSION = 500  # nodes; larger graphs sample this many repelling nodes per step
GRAVITY = 0.05  # pull towards the middle, so unlinked pieces stay in view
SPACING = 160.0  # pixels that the ideal distance between linked nodes becomes
LAYOUT_MEMO = "layout.json"


def force_layout(
    count: int,
    links: Iterable[tuple[int, int, float]],
    *,
    seed: int = LAYOUT_SEED,
    iterations: int = ITERATIONS,
) -> list[tuple[int, int]]:
    """Pixel positions for nodes 0…count-1 joined by `links` (node, node, strength).

    A link of strength 1 pulls as Fruchterman–Reingold's; a weaker one lets
    its nodes drift apart. The same arguments always give the same positions,
    so those of the build's memo when they were made of the same arguments.
    """
    links = list(links)
    memos = current_memos()
    if memos is None:
        return _positions(count, links, seed, iterations)
    key = memo_key("force_layout", count, links, seed, iterations)
    kept = memos.read(LAYOUT_MEMO, key)
    if kept is not None:
        return [(x, y) for x, y in json.loads(kept)]
    positions = _positions(count, links, seed, iterations)
    memos.write(LAYOUT_MEMO, key, json.dumps(positions).encode())
    return positions


def _positions(
    count: int, links: list[tuple[int, int, float]], seed: int, iterations: int
) -> list[tuple[int, int]]:
    if count == 0:
        return []
    rng = np.random.default_rng(seed)
    # float32 and separate x and y arrays: four times faster than float64 pairs.
    x, y = (rng.random((2, count), dtype=np.float32) - np.float32(0.5)).copy()
    strengths: dict[tuple[int, int], float] = {}
    for a, b, strength in links:
        if a != b:
            pair = (min(a, b), max(a, b))
            strengths[pair] = max(strength, strengths.get(pair, 0.0))
    pairs = np.array(sorted(strengths), dtype=np.int64).reshape(-1, 2)
    weights = np.array([strengths[pair] for pair in sorted(strengths)], dtype=np.float32)
    degree = np.zeros(count, dtype=np.float32)
    np.add.at(degree, pairs.ravel(), np.float32(1.0))
    mass = np.sqrt(degree + np.float32(1.0))
    mass /= mass.mean()
    ideal = np.float32(1.0 / np.sqrt(count))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        push_x, push_y = _repulsion(x, y, mass, ideal, rng)
        pull_x, pull_y = _attraction(x, y, pairs, weights, ideal)
        move_x = push_x + pull_x - np.float32(GRAVITY) * mass * x
        move_y = push_y + pull_y - np.float32(GRAVITY) * mass * y
        length = np.maximum(np.hypot(move_x, move_y), np.float32(1e-12))
        step = np.minimum(length, np.float32(temperature)) / length
        x += move_x * step
        y += move_y * step
        temperature -= cooling
    scale = SPACING / float(ideal)
    return [
        (int(round(float(px) * scale)), int(round(float(py) * scale)))
        for px, py in zip(x - x.mean(), y - y.mean(), strict=True)
    ]


def _repulsion(
    x: np.ndarray, y: np.ndarray, mass: np.ndarray, ideal: np.float32, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Every node pushed away from the others (or from a sample standing in for them)."""
    count = len(x)
    others = np.arange(count)
    if count > EXACT_REPULSION:
        others = rng.choice(count, EXACT_REPULSION, replace=False)
    dx = x[:, None] - x[others][None, :]
    dy = y[:, None] - y[others][None, :]
    force = dx * dx + dy * dy
    np.maximum(force, np.float32(1e-9), out=force)
    np.reciprocal(force, out=force)
    force *= mass[others][None, :]
    weight = ideal * ideal * np.float32(count / len(others)) * mass
    return np.einsum("ij,ij->i", dx, force) * weight, np.einsum("ij,ij->i", dy, force) * weight


def _attraction(
    x: np.ndarray, y: np.ndarray, pairs: np.ndarray, weights: np.ndarray, ideal: np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """Linked nodes pulled together, harder the further apart they are."""
    pull_x, pull_y = np.zeros_like(x), np.zeros_like(y)
    if len(pairs) == 0:
        return pull_x, pull_y
    first, second = pairs[:, 0], pairs[:, 1]
    dx, dy = x[first] - x[second], y[first] - y[second]
    strength = np.hypot(dx, dy) * weights / ideal
    for pull, delta in ((pull_x, dx * strength), (pull_y, dy * strength)):
        np.add.at(pull, first, -delta)
        np.add.at(pull, second, delta)
    return pull_x, pull_y
