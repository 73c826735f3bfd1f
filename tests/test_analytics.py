"""kg.analytics: centrality over small graphs with known answers."""

import copy
import csv
import doctest
import io

import networkx as nx
import pytest

from kg import analytics
from kg.analytics import (
    betweenness,
    centrality,
    centrality_csv,
    centrality_rows,
    closeness,
    collapse,
    communities,
    degree,
    edges_by_month,
    eigenvector,
    modularity,
    month,
    pagerank,
    pagerank_by_month,
    undirected,
)


def _star(directed):
    """Centre 0 and leaves 1..4; directed: every leaf points at the centre and back."""
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for leaf in range(1, 5):
        G.add_edge(0, leaf)
        if directed:
            G.add_edge(leaf, 0)
    return G


def _two_triangles():
    """Triangles a-b-c and x-y-z, joined by the one edge c -> x."""
    return nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")])


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
    [degree, pagerank, betweenness, centrality, centrality_rows, collapse, lambda G: betweenness(G, k=2),
     undirected, eigenvector, closeness, lambda G: closeness(G, k=2), communities, pagerank_by_month,
     lambda G: edges_by_month(G, {"n1": "2024-01-02"}),
     lambda G: modularity(G, communities(G))],
)
def test_analytics_input_not_mutated(function):
    G = _star(directed=True)
    G.nodes[0].update(label="Центр", kind="State")
    G.graph["name"] = "star"
    G.add_edge(1, 2, quad=4, date="2024-03-01")
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
    assert betweenness(G, k=k) == pytest.approx(nx.betweenness_centrality(nx.DiGraph(G)), abs=1e-12)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("k", [None, 2, 7, 25])
@pytest.mark.parametrize("seed", [0, 3])
def test_analytics_betweenness_matches_networkx(directed, k, seed):
    # the same sample of sources as networkx, and its normalization, self-loops and parallel edges included
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    G.add_edges_from(nx.gnp_random_graph(40, 0.07, seed=seed, directed=directed).edges())
    G.add_edges_from([(1, 1), (2, 5), (2, 5)])
    expected = nx.betweenness_centrality(collapse(G), k=k, seed=seed)
    assert betweenness(G, k=k, seed=seed) == pytest.approx(expected, abs=1e-12)


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


@pytest.mark.parametrize("directed", [True, False])
def test_analytics_star_centre_first_in_every_measure(directed):
    G = _star(directed)
    for measure in (eigenvector(G), closeness(G)):
        assert max(measure, key=measure.get) == 0
        assert all(measure[0] > measure[leaf] for leaf in range(1, 5))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_analytics_eigenvector_matches_networkx_on_connected_graph(seed):
    G = nx.MultiDiGraph(nx.gnp_random_graph(50, 0.1, seed=seed, directed=True).edges())
    G.add_edges_from([(0, 1)] * 3)  # parallel edges weigh
    simple = undirected(G)
    assert nx.is_connected(simple)
    expected = nx.eigenvector_centrality(simple, weight="weight", max_iter=10_000, tol=1e-12)
    assert eigenvector(G) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "edges, isolated, expected",
    [
        # the triangle's eigenvalue (2) beats the lone edge's (1): the edge gets 0, as power iteration ends
        ([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")], [], {"a": 3 ** -0.5, "x": 0.0, "y": 0.0}),
        # two equal triangles share the principal eigenvalue: both count, equally
        ([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x")], [], {"a": 6 ** -0.5, "x": 6 ** -0.5}),
        # an isolated actor gets 0; a graph without edges 0 everywhere, not an error
        ([("a", "b")], ["q"], {"a": 2 ** -0.5, "q": 0.0}),
        ([], ["p", "q"], {"p": 0.0, "q": 0.0}),
    ],
)
def test_analytics_eigenvector_disconnected(edges, isolated, expected):
    G = nx.MultiDiGraph(edges)
    G.add_nodes_from(isolated)
    ranks = eigenvector(G)
    assert {node: ranks[node] for node in expected} == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("directed", [True, False])
def test_analytics_closeness_matches_networkx(seed, directed):
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    G.add_edges_from(nx.gnp_random_graph(40, 0.05, seed=seed, directed=directed).edges())
    G.add_nodes_from(range(40))
    G.add_edges_from([(3, 3), (4, 5), (4, 5)])
    assert closeness(G, chunk=7) == pytest.approx(nx.closeness_centrality(collapse(G)), abs=1e-12)


@pytest.mark.parametrize("k, seed", [(10, 42), (20, 7)])
def test_analytics_closeness_sampled_estimate(k, seed):
    G = nx.gnp_random_graph(60, 0.1, seed=5, directed=True)
    first, exact = closeness(G, k=k, seed=seed), closeness(G)
    assert closeness(G, k=k, seed=seed) == first
    assert first != exact
    # an estimate, not noise: it ranks like the exact measure
    ranked = sorted(G, key=exact.get)
    assert sum(first[node] for node in ranked[-10:]) > sum(first[node] for node in ranked[:10])


@pytest.mark.parametrize("graph", [nx.MultiDiGraph(), nx.MultiGraph()])
def test_analytics_new_measures_empty_graph(graph):
    assert (eigenvector(graph), closeness(graph), communities(graph), pagerank_by_month(graph)) == ({}, {}, {}, {})
    assert modularity(graph, {}) is None


@pytest.mark.parametrize("seed", [42, 7])
def test_analytics_communities_two_triangles(seed):
    G = _two_triangles()
    membership = communities(G, seed=seed)
    assert membership["a"] == membership["b"] == membership["c"] != membership["x"] == membership["y"] == membership["z"]
    assert sorted(set(membership.values())) == [0, 1]
    assert modularity(G, membership) == pytest.approx(5 / 14)  # 2 * (3/7 - (7/14)**2)


@pytest.mark.parametrize("sizes", [(5, 3)])
def test_analytics_communities_numbered_largest_first(sizes):
    big, small = (nx.complete_graph(size, create_using=nx.MultiDiGraph) for size in sizes)
    G = nx.disjoint_union(small, big)  # the small clique's nodes come first in G
    membership = communities(G, seed=42)
    assert [membership[node] for node in G] == [1] * sizes[1] + [0] * sizes[0]


@pytest.mark.parametrize("isolated", [["p", "q"]])
def test_analytics_communities_without_edges(isolated):
    G = nx.MultiDiGraph()
    G.add_nodes_from(isolated)
    membership = communities(G)
    assert membership == {"p": 0, "q": 1} and modularity(G, membership) is None


@pytest.mark.parametrize(
    "date, expected",
    [("2024-04-10", "2024-04"), ("2024-04", "2024-04"), ("--04-10", None), (None, None), ("2024-13-01", None),
     ("", None), ("2024-12-31T10:00:00", "2024-12")],
)
def test_analytics_month(date, expected):
    assert month(date) == expected


@pytest.mark.parametrize("months", [("2024-03", "2024-04")])
def test_analytics_pagerank_by_month(months):
    march, april = months
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", date=f"{march}-02")
    G.add_edge("c", "b", date=f"{march}-20")
    G.add_edge("b", "a", date=f"{april}-01")
    G.add_edge("d", "a", date="--04-10")  # no year: no month
    G.add_edge("e", "a")  # no date
    by_month = pagerank_by_month(G)
    assert list(by_month) == [march, april]
    assert set(by_month[march]) == {"a", "b", "c"} and set(by_month[april]) == {"a", "b"}
    assert max(by_month[march], key=by_month[march].get) == "b"
    assert by_month[march] == pagerank(nx.MultiDiGraph([("a", "b"), ("c", "b")]))


@pytest.mark.parametrize(
    "own_date, item_date, expected",
    [
        ("2024-05-02", "2024-04-01", "2024-05"),  # the event's own date wins
        ("--05-02", "2024-04-01", "2024-04"),  # a date without a year falls back to the item's
        (None, "2024-04-01", "2024-04"),
        (None, "--04-01", None),
        (None, None, None),
    ],
)
def test_analytics_edges_by_month_falls_back_to_item_date(own_date, item_date, expected):
    G = nx.MultiDiGraph([("a", "b", {"date": own_date, "item": "n1"})])
    dates = {"n1": item_date} if item_date else {}
    assert edges_by_month(G, dates) == ({expected: [("a", "b")]} if expected else {})
    assert list(pagerank_by_month(G, dates)) == ([expected] if expected else [])


@pytest.mark.parametrize(
    "function", [eigenvector, closeness, lambda G: closeness(G, k=5), communities, lambda G: betweenness(G, k=5)]
)
def test_analytics_deterministic_across_runs(function):
    G = nx.gnp_random_graph(80, 0.05, seed=3, directed=True)
    assert function(G) == function(G)


@pytest.mark.parametrize("columns", [("actor", "pagerank", "community")])
def test_analytics_centrality_csv_other_columns(columns):
    text = centrality_csv([{"actor": "a", "pagerank": 0.25, "community": 0, "label": "A"}], columns)
    assert text == "actor,pagerank,community\na,0.25,0\n"


@pytest.mark.parametrize("module", [analytics])
def test_analytics_docstring_examples_run(module):
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0
