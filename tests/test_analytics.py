"""kg.analytics: centrality over small graphs with known answers."""

import copy
import csv
import doctest
import io

import networkx as nx
import pytest

from kg import analytics
from kg.analytics import betweenness, centrality, centrality_csv, centrality_rows, collapse, degree, pagerank


def _star(directed):
    """Centre 0 and leaves 1..4; directed: every leaf points at the centre and back."""
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for leaf in range(1, 5):
        G.add_edge(0, leaf)
        if directed:
            G.add_edge(leaf, 0)
    return G


def _snapshot(G):
    return (
        type(G),
        list(G.nodes(data=True)),
        [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)],
    )


@pytest.mark.parametrize("directed", [True, False])
def test_analytics_star_centre_most_central(directed):
    G = _star(directed)
    ranks, between = pagerank(G), betweenness(G)
    assert max(ranks, key=ranks.get) == 0
    assert all(ranks[0] > ranks[leaf] for leaf in range(1, 5))
    assert between[0] == pytest.approx(1.0)
    assert all(between[leaf] == 0.0 for leaf in range(1, 5))


@pytest.mark.parametrize("n", [1, 3, 6])
def test_analytics_pagerank_cycle_uniform(n):
    ranks = pagerank(nx.cycle_graph(n, create_using=nx.MultiDiGraph))
    assert ranks == pytest.approx({node: 1 / n for node in range(n)})


@pytest.mark.parametrize("graph", [nx.MultiDiGraph(), nx.MultiGraph()])
def test_analytics_empty_graph(graph):
    assert (degree(graph), pagerank(graph), betweenness(graph), centrality_rows(graph)) == ({}, {}, {}, [])


@pytest.mark.parametrize("parallel", [2, 3])
def test_analytics_pagerank_weights_parallel_edges(parallel):
    G = nx.MultiDiGraph([("a", "b")] * parallel + [("a", "c")])
    ranks = pagerank(G)
    assert ranks["b"] > ranks["c"]
    assert collapse(G)["a"]["b"]["weight"] == parallel


@pytest.mark.parametrize(
    "edges",
    [
        [("a", "b"), ("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")],  # d dangling
        [(0, 1), (1, 2), (2, 0), (2, 3), (3, 3), (4, 0)],
    ],
)
def test_analytics_pagerank_matches_networkx_reference(edges):
    reference = pytest.importorskip("networkx.algorithms.link_analysis.pagerank_alg")._pagerank_python
    G = nx.MultiDiGraph(edges)
    expected = reference(collapse(G), weight="weight")
    assert pagerank(G) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    "edges, node, expected",
    [
        ([("a", "b"), ("a", "b"), ("c", "a")], "a", {"degree": 3, "in_degree": 1, "out_degree": 2}),
        ([("a", "b"), ("a", "b"), ("c", "a")], "b", {"degree": 2, "in_degree": 2, "out_degree": 0}),
    ],
)
def test_analytics_degree_counts_parallel_edges(edges, node, expected):
    assert degree(nx.MultiDiGraph(edges))[node] == expected


@pytest.mark.parametrize(
    "function",
    [degree, pagerank, betweenness, centrality, centrality_rows, collapse, lambda G: betweenness(G, k=2)],
)
def test_analytics_input_not_mutated(function):
    G = _star(directed=True)
    G.nodes[0].update(label="Центр", kind="State")
    G.graph["name"] = "star"
    before = _snapshot(G), dict(G.graph)
    function(G)
    assert (_snapshot(G), dict(G.graph)) == before


@pytest.mark.parametrize("k, seed", [(3, 42), (5, 7)])
def test_analytics_betweenness_sampled_deterministic(k, seed):
    G = nx.gnp_random_graph(30, 0.12, seed=1, directed=True)
    first = betweenness(G, k=k, seed=seed)
    assert betweenness(G, k=k, seed=seed) == first
    assert first != betweenness(G)  # a sample of 3 or 5 sources is not the exact answer here


@pytest.mark.parametrize("k", [None, 30, 100])
def test_analytics_betweenness_exact_when_k_covers_graph(k):
    G = nx.gnp_random_graph(30, 0.12, seed=1, directed=True)
    assert betweenness(G, k=k) == nx.betweenness_centrality(nx.DiGraph(G))


@pytest.mark.parametrize("labels", [{"x": "Б", "y": "А"}])
def test_analytics_centrality_rows_order_and_ties(labels):
    # hub is first (highest pagerank); x and y tie on pagerank and degree, so label decides
    G = nx.MultiDiGraph([("x", "hub"), ("y", "hub")])
    for node, label in labels.items():
        G.nodes[node].update(label=label, kind="State", wikidata="Q1")
    rows = centrality_rows(G)
    assert [row["actor"] for row in rows] == ["hub", "y", "x"]
    assert rows[1] == {
        "actor": "y", "wikidata": "Q1", "label": "А", "kind": "State", "degree": 1, "in_degree": 0,
        "out_degree": 1, "pagerank": pytest.approx(rows[2]["pagerank"]), "betweenness": 0.0,
    }
    assert rows[0]["label"] == "hub" and rows[0]["kind"] is None


@pytest.mark.parametrize("directed", [True])
def test_analytics_centrality_combines_measures(directed):
    G = _star(directed)
    measures = centrality(G)
    assert measures[0]["pagerank"] == pagerank(G)[0]
    assert measures[0]["betweenness"] == betweenness(G)[0]
    assert measures[0]["degree"] == 8


@pytest.mark.parametrize("value, field", [(1 / 3, "0.333333"), (0.1234567, "0.123457"), (None, "")])
def test_analytics_centrality_csv(value, field):
    row = {"actor": "https://w3id.org/geokg/id/actor/jpn", "label": "Японія, \"Ніппон\"", "kind": "State",
           "wikidata": "Q17", "degree": 2, "in_degree": 1, "out_degree": 1, "pagerank": value,
           "betweenness": 0.5}
    parsed = list(csv.reader(io.StringIO(centrality_csv([row]))))
    assert parsed[0] == list(analytics.CENTRALITY_COLUMNS)
    assert parsed[1] == [row["actor"], row["label"], "State", "Q17", "2", "1", "1", field, "0.5"]


@pytest.mark.parametrize("module", [analytics])
def test_analytics_docstring_examples_run(module):
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0
