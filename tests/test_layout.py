"""kg.layout: positions for the browser view, computed in Python."""

import math

import networkx as nx
import numpy as np
import pytest

from kg.layout import GAP, GRID_FROM, fruchterman_reingold, positions


def _mean_edge_length(G, pos):
    return np.mean([math.dist(pos[u], pos[v]) for u, v in G.edges()])


def _mean_distance(pos):
    points = np.array(list(pos.values()))
    return np.mean([math.dist(a, b) for a, b in zip(points, np.roll(points, 1, axis=0))])


@pytest.mark.parametrize("G", [nx.path_graph(5), nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "a")]),
                               nx.empty_graph(3), nx.MultiDiGraph()])
def test_layout_every_node_placed_finite(G):
    pos = positions(G)
    assert set(pos) == set(G)
    assert all(len(xy) == 2 and all(math.isfinite(c) for c in xy) for xy in pos.values())


@pytest.mark.parametrize("n", [60, GRID_FROM + 100])  # the exact method and the grid variant
def test_layout_neighbours_nearer_than_others(n):
    G = nx.barabasi_albert_graph(n, 2, seed=3)
    pos = positions(G)
    assert _mean_edge_length(G, pos) < 0.5 * _mean_distance(pos)


@pytest.mark.parametrize("n", [GRID_FROM + 100])
def test_layout_nodes_do_not_collapse(n):
    pos = positions(nx.barabasi_albert_graph(n, 2, seed=3))
    points = np.array(list(pos.values()))
    gaps = [np.sort(np.hypot(*(points - p).T))[1] for p in points]
    assert np.median(gaps) > 0.05


@pytest.mark.parametrize("groups", [[nx.cycle_graph(30), nx.star_graph(6), nx.path_graph(3), nx.empty_graph(1)]])
def test_layout_components_packed_apart(groups):
    G = nx.disjoint_union_all(groups)
    pos = positions(G)
    boxes = []
    for component in nx.connected_components(G):
        points = np.array([pos[node] for node in component])
        boxes.append((points.min(axis=0), points.max(axis=0)))
    for i, (low, high) in enumerate(boxes):
        for other_low, other_high in boxes[i + 1:]:
            apart = (high < other_low - GAP / 2) | (other_high < low - GAP / 2)
            assert apart.any()


@pytest.mark.parametrize("seed", [1, 7])
def test_layout_deterministic(seed):
    G = nx.barabasi_albert_graph(80, 1, seed=5)
    assert positions(G, seed=seed) == positions(G, seed=seed)


@pytest.mark.parametrize("member", [np.array([0, 0, 1, 1])])
def test_layout_components_do_not_push_each_other(member):
    """Two components in one run: each one's shape is what it would be alone."""
    edges = np.array([[0, 1], [2, 3]])
    xy = fruchterman_reingold(member, edges)
    assert math.dist(xy[0], xy[1]) == pytest.approx(math.dist(xy[2], xy[3]), rel=0.2)
