"""Positions for drawing the actor graph, computed once in Python so the page needs no physics.

One force-directed run (Fruchterman and Reingold, 1991) lays out every connected component at once,
each in its own box and blind to the others; the components are then packed in rows, largest
first. Below ``GRID_FROM`` nodes every pair of nodes of a component repels (the exact method);
from there on only pairs closer than twice the ideal edge length do, found with a k-d tree (the
method's grid variant): a step costs about ``n log n`` instead of ``n**2``, so 10,000 actors take
seconds where ``networkx.spring_layout`` takes minutes (``bench/view_bench.py`` prints the figures).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

GRID_FROM = 500  # below this many nodes every pair repels: exact and still fast
GAP = 2.0  # space between packed components, in units of the ideal edge length


def positions(G: nx.Graph, seed: int = 42, iterations: int = 50) -> dict:
    """Node -> (x, y), about one unit between neighbours; equal graphs and seeds give equal positions.

    Edge directions and parallel edges are ignored.

    Examples
    --------
    >>> pos = positions(nx.MultiDiGraph([("a", "b"), ("b", "c"), ("x", "y")]))
    >>> sorted(pos)
    ['a', 'b', 'c', 'x', 'y']
    >>> all(len(xy) == 2 for xy in pos.values())
    True
    """
    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    components = sorted((sorted(c, key=str) for c in nx.connected_components(simple)),
                        key=lambda nodes: (-len(nodes), str(nodes[0])))
    nodes = [node for component in components for node in component]
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    member = np.repeat(np.arange(len(components)), [len(c) for c in components])
    edges = np.array([(index[u], index[v]) for u, v in simple.edges()], dtype=np.intp).reshape(-1, 2)
    xy = fruchterman_reingold(member, edges, seed=seed, iterations=iterations,
                              cutoff=2.0 if len(nodes) >= GRID_FROM else math.inf)
    return _pack(components, member, xy)


def fruchterman_reingold(member: np.ndarray, edges: np.ndarray, seed: int = 42, iterations: int = 50,
                         cutoff: float = math.inf) -> np.ndarray:
    """Positions (an ``n × 2`` array) of nodes ``0..n-1``, node ``i`` in component ``member[i]``,
    joined by ``edges`` (an ``m × 2`` index array); the ideal edge length is 1.

    Attraction ``d²`` along edges; repulsion ``1/d`` between nodes of one component closer than
    ``cutoff``; each step capped by a temperature that starts at a tenth of the component's side
    and cools linearly to zero.

    Examples
    --------
    >>> xy = fruchterman_reingold(np.zeros(3, dtype=int), np.array([[0, 1], [1, 2]]))
    >>> bool(np.linalg.norm(xy[0] - xy[1]) < np.linalg.norm(xy[0] - xy[2]))  # neighbours are nearer
    True
    """
    sizes = np.bincount(member)
    side = np.sqrt(sizes)  # one node per unit of area
    corners = _shelves(np.stack([side, side], axis=1) + 2 * min(cutoff, 1.0))
    xy = corners[member] + np.random.default_rng(seed).random((len(member), 2)) * side[member, None]
    start = 0.1 * side[member]
    for step in range(iterations):
        if step == 0 or not math.isinf(cutoff):  # all pairs never change; near pairs do
            pairs = _near_pairs(xy, cutoff)
            pairs = pairs[member[pairs[:, 0]] == member[pairs[:, 1]]]
        move = _forces(xy, pairs, lambda d: -1.0 / d**2) + _forces(xy, edges, lambda d: d)
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 1e-9)
        temperature = start * (1.0 - step / iterations)
        xy += move * (np.minimum(length, temperature) / length)[:, None]
    return xy


def _near_pairs(xy: np.ndarray, cutoff: float) -> np.ndarray:
    """The pairs (i, j), i < j, of nodes closer than ``cutoff``: all of them when it is infinite."""
    if math.isinf(cutoff):
        return np.stack(np.triu_indices(len(xy), 1), axis=1)
    return cKDTree(xy).query_pairs(cutoff, output_type="ndarray")


def _forces(xy: np.ndarray, pairs: np.ndarray, strength) -> np.ndarray:
    """The summed force on each node from ``pairs`` (i, j): ``strength(d) * (xy[j] - xy[i])`` on i, and
    the opposite on j."""
    if len(pairs) == 0:
        return np.zeros_like(xy)
    delta = xy[pairs[:, 1]] - xy[pairs[:, 0]]
    distance = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01)
    force = delta * strength(distance)[:, None]
    n = len(xy)
    return np.stack([np.bincount(pairs[:, 0], force[:, axis], n) - np.bincount(pairs[:, 1], force[:, axis], n)
                     for axis in (0, 1)], axis=1)


def _shelves(sizes: np.ndarray) -> np.ndarray:
    """Lower-left corners for boxes of ``sizes`` (k × 2, largest first) placed left to right in rows
    no wider than the square root of their total area (or the first box)."""
    row_width = max(math.sqrt(float((sizes[:, 0] * sizes[:, 1]).sum())), float(sizes[0, 0]))
    corners = np.zeros_like(sizes)
    x = y = row_height = 0.0
    for i, (width, height) in enumerate(sizes):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        corners[i] = (x, y)
        x += width
        row_height = max(row_height, height)
    return corners


def _pack(components: list[list], member: np.ndarray, xy: np.ndarray) -> dict:
    """Node -> (x, y): each component's layout moved into its place among the others."""
    count = len(components)
    low = np.full((count, 2), np.inf)
    high = np.full((count, 2), -np.inf)
    np.minimum.at(low, member, xy)
    np.maximum.at(high, member, xy)
    corners = _shelves(high - low + GAP)
    placed = xy - low[member] + corners[member]
    nodes = [node for component in components for node in component]
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, placed)}
