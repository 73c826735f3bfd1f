"""Centrality of actors: free functions over networkx graphs that return plain dicts.

None of them mutates its input. Multigraphs (one edge per event or relation) are collapsed to a
simple graph whose edge ``weight`` is the number of parallel edges where a measure needs it.
"""

from __future__ import annotations

import csv
import io

import networkx as nx

CENTRALITY_COLUMNS = (
    "actor", "label", "kind", "wikidata", "degree", "in_degree", "out_degree", "pagerank", "betweenness",
)


def degree(G: nx.Graph) -> dict:
    """Degree, in-degree and out-degree of every node, counting parallel edges.

    In an undirected graph in- and out-degree both equal the degree.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("c", "a")])
    >>> degree(G)["a"]
    {'degree': 3, 'in_degree': 1, 'out_degree': 2}
    """
    if not G.is_directed():
        return {n: {"degree": d, "in_degree": d, "out_degree": d} for n, d in G.degree()}
    in_degree, out_degree = dict(G.in_degree()), dict(G.out_degree())
    return {
        n: {"degree": in_degree[n] + out_degree[n], "in_degree": in_degree[n], "out_degree": out_degree[n]}
        for n in G
    }


def collapse(G: nx.Graph) -> nx.DiGraph:
    """A new simple DiGraph with the nodes of ``G`` and ``weight`` = number of parallel ``u → v`` edges.

    An undirected edge counts in both directions. Node attributes are not copied.

    Examples
    --------
    >>> H = collapse(nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "a")]))
    >>> sorted(H.edges(data="weight"))
    [('a', 'b', 2), ('b', 'a', 1)]
    """
    simple = nx.DiGraph()
    simple.add_nodes_from(G)
    edges = G.edges() if G.is_directed() else [e for u, v in G.edges() for e in ((u, v), (v, u))]
    for u, v in edges:
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    return simple


def pagerank(G: nx.Graph, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6) -> dict:
    """PageRank of every node of the collapsed, weighted graph (see :func:`collapse`), by
    ``networkx.pagerank`` (sparse power iteration with scipy; dangling nodes spread their rank uniformly).
    The values sum to 1.

    Raises ``networkx.PowerIterationFailedConvergence`` after ``max_iter`` iterations.

    Examples
    --------
    >>> ranks = pagerank(nx.MultiDiGraph([("a", "c"), ("b", "c"), ("c", "a")]))
    >>> max(ranks, key=ranks.get)
    'c'
    >>> round(sum(ranks.values()), 6)
    1.0
    """
    simple = collapse(G)
    if len(simple) == 0:
        return {}
    return {node: float(rank) for node, rank in
            nx.pagerank(simple, alpha=alpha, max_iter=max_iter, tol=tol, weight="weight").items()}


def betweenness(G: nx.Graph, k: int | None = None, seed: int = 42) -> dict:
    """Normalized betweenness centrality of every node over the collapsed directed graph.

    Exact when ``k`` is None or at least the number of nodes; otherwise estimated from ``k``
    source nodes sampled with ``seed``, so equal arguments give equal answers.

    Examples
    --------
    >>> path = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> betweenness(path)
    {'a': 0.0, 'b': 0.5, 'c': 0.0}
    """
    simple = collapse(G)
    if k is None or k >= len(simple):
        return nx.betweenness_centrality(simple)
    return nx.betweenness_centrality(simple, k=k, seed=seed)


def centrality(G: nx.Graph, k: int | None = None, seed: int = 42) -> dict:
    """Label, kind, degrees, PageRank and betweenness of every node, from its attributes and the
    functions above. ``label`` falls back to the node id, ``kind`` to None.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b")])
    >>> G.nodes["a"].update(label="Японія", kind="State")
    >>> centrality(G)["a"]["label"], centrality(G)["b"]["label"]
    ('Японія', 'b')
    """
    degrees, ranks, between = degree(G), pagerank(G), betweenness(G, k=k, seed=seed)
    return {
        n: {
            "label": attributes.get("label") or str(n),
            "kind": attributes.get("kind"),
            **degrees[n],
            "pagerank": ranks[n],
            "betweenness": between[n],
        }
        for n, attributes in G.nodes(data=True)
    }


def centrality_rows(G: nx.Graph, k: int | None = None, seed: int = 42) -> list[dict]:
    """One row per node (:func:`centrality` plus ``actor`` and ``wikidata``), most central first:
    by PageRank descending, then degree descending, then label, then actor id.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "c"), ("b", "c")])
    >>> [row["actor"] for row in centrality_rows(G)]
    ['c', 'a', 'b']
    """
    rows = [
        {"actor": str(n), "wikidata": G.nodes[n].get("wikidata"), **measures}
        for n, measures in centrality(G, k=k, seed=seed).items()
    ]
    return sorted(rows, key=lambda row: (-row["pagerank"], -row["degree"], row["label"], row["actor"]))


def centrality_csv(rows: list[dict]) -> str:
    """The rows as CSV text with a header (see ``CENTRALITY_COLUMNS``); floats rounded to 6 places,
    None as an empty field.

    Examples
    --------
    >>> print(centrality_csv([{"actor": "a", "label": "A", "kind": None, "wikidata": None, "degree": 1,
    ...     "in_degree": 0, "out_degree": 1, "pagerank": 1 / 3, "betweenness": 0.0}]), end="")
    actor,label,kind,wikidata,degree,in_degree,out_degree,pagerank,betweenness
    a,A,,,1,0,1,0.333333,0.0
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CENTRALITY_COLUMNS)
    for row in rows:
        writer.writerow(_csv_field(row.get(column)) for column in CENTRALITY_COLUMNS)
    return text.getvalue()


def _csv_field(value):
    if value is None:
        return ""
    return round(value, 6) if isinstance(value, float) else value
