"""Centrality of actors: free functions over networkx graphs that return plain dicts.

None of them mutates its input. Multigraphs (one edge per event or relation) are collapsed to a
simple graph whose edge ``weight`` is the number of parallel edges where a measure needs it.
The cooperation/conflict view is in :mod:`kg.signed`.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import connected_components, shortest_path
from scipy.sparse.linalg import eigsh

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
    counts = Counter(G.edges())
    if not G.is_directed():
        counts.update((v, u) for u, v in G.edges())
    simple = nx.DiGraph()
    simple.add_nodes_from(G)
    simple.add_weighted_edges_from((u, v, count) for (u, v), count in counts.items())
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


def betweenness(G: nx.Graph, k: int | None = None, seed: int = 42, chunk: int = 64) -> dict:
    """Normalized betweenness centrality of every node over the collapsed directed graph, in hops, as
    ``networkx.betweenness_centrality`` defines and scales it (equal up to float rounding).

    Exact when ``k`` is None or at least the number of nodes; otherwise estimated from ``k`` source nodes
    sampled with ``seed`` (the sample networkx draws for the same arguments), so equal arguments give equal
    answers. Brandes' algorithm runs on ``chunk`` sources at once as sparse matrix products (level by level
    breadth-first search, then the dependencies accumulated back), which is what makes 50,000 actors fast.

    Examples
    --------
    >>> path = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> betweenness(path)
    {'a': 0.0, 'b': 0.5, 'c': 0.0}
    """
    simple = collapse(G)
    nodes, n = list(simple), len(simple)
    if n == 0:
        return {}
    sampled = k is not None and k < n
    sources = random.Random(seed).sample(nodes, k) if sampled else nodes
    position = {node: i for i, node in enumerate(nodes)}
    source_ids = np.array([position[node] for node in sources], dtype=np.intp)
    adjacency = nx.to_scipy_sparse_array(simple, nodelist=nodes, weight=None, dtype=float, format="csr")
    incoming = adjacency.T.tocsr()
    totals = np.zeros(n)
    for start in range(0, len(source_ids), chunk):
        totals += _dependencies(adjacency, incoming, source_ids[start:start + chunk])
    if n > 2:  # networkx's normalization: by the ordered pairs (s, t) that v is neither of, s among the sources
        scale = np.full(n, 1 / ((len(sources) if sampled else n - 1) * (n - 2)))
        if sampled:
            scale[source_ids] = 1 / ((len(sources) - 1) * (n - 2)) if len(sources) > 1 else np.nan
        totals *= scale
    return {node: float(value) for node, value in zip(nodes, totals)}


def _dependencies(adjacency, incoming, sources: np.ndarray) -> np.ndarray:
    """Brandes' dependency of every node summed over the given sources (one column each): the breadth-first
    levels and shortest-path counts come forward by ``incoming @ frontier``, the dependencies back by
    ``adjacency @ ...``, one level at a time."""
    n, columns = adjacency.shape[0], np.arange(len(sources))
    paths = np.zeros((n, len(sources)))
    paths[sources, columns] = 1.0
    seen = paths > 0
    levels, frontier = [seen.copy()], paths.copy()
    while True:
        reached = incoming @ frontier
        reached[seen] = 0.0
        found = reached > 0
        if not found.any():
            break
        paths[found] = reached[found]
        seen |= found
        levels.append(found)
        frontier = np.where(found, reached, 0.0)
    dependency = np.zeros_like(paths)
    for depth in range(len(levels) - 1, 0, -1):
        share = np.divide(1.0 + dependency, paths, out=np.zeros_like(paths), where=levels[depth])
        dependency += np.where(levels[depth - 1], paths * (adjacency @ share), 0.0)
    dependency[sources, columns] = 0.0
    return dependency.sum(axis=1)


def undirected(G: nx.Graph) -> nx.Graph:
    """A new simple undirected Graph with the nodes of ``G`` and ``weight`` = number of edges between
    ``u`` and ``v`` in either direction. Node attributes are not copied.

    Examples
    --------
    >>> sorted(undirected(nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "a")])).edges(data="weight"))
    [('a', 'b', 3)]
    """
    position = {node: i for i, node in enumerate(G)}
    counts = Counter((u, v) if position[u] <= position[v] else (v, u) for u, v in G.edges())
    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_weighted_edges_from((u, v, count) for (u, v), count in counts.items())
    return simple


def eigenvector(G: nx.Graph) -> dict:
    """Eigenvector centrality over the undirected graph weighted by edge counts (see :func:`undirected`),
    of unit Euclidean length, as ``networkx.eigenvector_centrality`` on that graph gives when it converges.

    Direction is left out because on a directed graph the principal eigenvector is zero outside its strongly
    connected core, and power iteration need not converge. Here the answer is the limit of power iteration
    from the all-ones vector, computed per connected component: the Perron vector of each component whose
    largest eigenvalue is the graph's largest, weighted by its overlap with the all-ones vector; every other
    component (a smaller one, an isolated node) gets 0. A graph without edges gives 0 everywhere.

    Examples
    --------
    >>> ranks = eigenvector(nx.MultiDiGraph([("hub", "a"), ("b", "hub"), ("hub", "c")]))
    >>> max(ranks, key=ranks.get), round(ranks["hub"], 4), round(ranks["a"], 4)
    ('hub', 0.7071, 0.4082)
    >>> eigenvector(nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")]))["x"]
    0.0
    """
    simple = undirected(G)
    nodes, n = list(simple), len(simple)
    if n == 0:
        return {}
    adjacency = nx.to_scipy_sparse_array(simple, nodelist=nodes, weight="weight", dtype=float, format="csr")
    _, labels = connected_components(adjacency, directed=False)
    order = np.argsort(labels, kind="stable")
    perron = [
        (*_perron(adjacency[members][:, members]), members)
        for members in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    ]
    largest = max(value for value, _, _ in perron)
    values = np.zeros(n)
    if largest > 0:
        for value, vector, members in perron:
            if value >= largest * (1 - 1e-9):
                values[members] = vector * vector.sum()
        values /= np.linalg.norm(values)
    return {node: float(value) for node, value in zip(nodes, values)}


def _perron(adjacency) -> tuple[float, np.ndarray]:
    """The largest eigenvalue of a connected component's symmetric, non-negative adjacency matrix and its
    eigenvector, of unit length and non-negative; ARPACK's start vector is fixed, so equal input, equal output."""
    if adjacency.shape[0] <= 64:  # ARPACK wants k < n - 1; a dense solve is exact and quick here
        values, vectors = np.linalg.eigh(adjacency.toarray())
        value, vector = values[-1], vectors[:, -1]
    else:
        values, vectors = eigsh(adjacency, k=1, which="LA", v0=np.ones(adjacency.shape[0]))
        value, vector = values[0], vectors[:, 0]
    return float(value), np.abs(vector)


def closeness(G: nx.Graph, k: int | None = None, seed: int = 42, chunk: int = 64) -> dict:
    """Closeness centrality of every node over the collapsed directed graph: how near the nodes that can
    reach it are, in hops, with the Wasserman–Faust correction for nodes that only part of the graph
    reaches (as ``networkx.closeness_centrality``, which it equals when exact).

    Exact when ``k`` is None or at least the number of nodes; otherwise estimated from ``k`` source nodes
    sampled with ``seed`` (Eppstein and Wang's estimate): if ``c`` of the ``s`` sampled sources other than
    the node reach it, at a total distance ``d``, its closeness is ``c² / (s · d)``. Distances come from
    scipy's breadth-first search, ``chunk`` sources at a time.

    Examples
    --------
    >>> closeness(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
    {'a': 0.0, 'b': 0.5, 'c': 0.6666666666666666}
    """
    simple = collapse(G)
    nodes, n = list(simple), len(simple)
    if n == 0:
        return {}
    adjacency = nx.to_scipy_sparse_array(simple, nodelist=nodes, weight=None, dtype=float, format="csr")
    sources = list(range(n)) if k is None or k >= n else sorted(random.Random(seed).sample(range(n), k))
    reached, distance, others = np.zeros(n), np.zeros(n), np.full(n, float(len(sources)))
    others[sources] -= 1  # a source does not count towards its own closeness
    for start in range(0, len(sources), chunk):
        hops = shortest_path(adjacency, method="D", unweighted=True, indices=sources[start:start + chunk])
        reaches = np.isfinite(hops) & (hops > 0)
        reached += reaches.sum(axis=0)
        distance += np.where(reaches, hops, 0.0).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(distance > 0, reached * reached / (others * distance), 0.0)
    return {node: float(value) for node, value in zip(nodes, values)}


def communities(G: nx.Graph, seed: int = 42, resolution: float = 1.0) -> dict:
    """The community of every node: Louvain (``networkx.community.louvain_communities`` with ``seed``) over the
    undirected graph weighted by edge counts (see :func:`undirected`). Communities are numbered from 0 by size,
    largest first, ties broken by the order of their first node in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")])
    >>> communities(G)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1, 'z': 1}
    """
    simple = undirected(G)
    position = {node: i for i, node in enumerate(simple)}
    found = nx.community.louvain_communities(simple, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted(found, key=lambda members: (-len(members), min(position[m] for m in members)))
    membership = {node: number for number, members in enumerate(ordered) for node in members}
    return {node: membership[node] for node in simple}


def modularity(G: nx.Graph, membership: dict, resolution: float = 1.0) -> float | None:
    """The modularity of the partition ``membership`` (node -> community) of the undirected weighted graph;
    None when the graph has no edges (modularity is undefined there).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "d")])
    >>> modularity(G, {"a": 0, "b": 0, "c": 1, "d": 1})
    0.5
    """
    simple = undirected(G)
    if simple.number_of_edges() == 0:
        return None
    groups: dict = {}
    for node, number in membership.items():
        groups.setdefault(number, set()).add(node)
    return float(nx.community.modularity(simple, groups.values(), weight="weight", resolution=resolution))


_MONTH = re.compile(r"^(\d{4}-(?:0[1-9]|1[0-2]))(?:-|$)")


def month(date: str | None) -> str | None:
    """The ``YYYY-MM`` of a date written ``YYYY-MM-DD`` or ``YYYY-MM``; None for no date or a date without a
    year (``--04-10``).

    Examples
    --------
    >>> month("2024-04-10"), month("2024-04"), month("--04-10"), month(None)
    ('2024-04', '2024-04', None, None)
    """
    found = _MONTH.match(date) if date else None
    return found.group(1) if found else None


def edges_by_month(G: nx.Graph, item_dates: dict | None = None) -> dict:
    """``{"YYYY-MM": [(u, v), ...]}``, months in order: each edge under the month of its ``date`` attribute, or,
    when that gives none, of the date that ``item_dates`` gives its news item (``item`` attribute); edges
    with neither are left out (see :func:`month`).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", {"date": "2024-05-02"}), ("c", "a", {"date": "--04-30", "item": "n1"})])
    >>> edges_by_month(G, {"n1": "2024-04-29"})
    {'2024-04': [('c', 'a')], '2024-05': [('a', 'b')]}
    """
    item_dates = item_dates or {}
    edges: dict[str, list] = {}
    for u, v, attributes in G.edges(data=True):
        key = month(attributes.get("date")) or month(item_dates.get(attributes.get("item")))
        if key is not None:
            edges.setdefault(key, []).append((u, v))
    return dict(sorted(edges.items()))


def pagerank_by_month(G: nx.Graph, item_dates: dict | None = None) -> dict:
    """PageRank per month: for each month of :func:`edges_by_month`, :func:`pagerank` over the graph of that
    month's edges and the nodes they join. Months in order.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", {"date": "2024-05-02"}), ("c", "a", {"date": "2024-04-30"}), ("a", "c")])
    >>> by_month = pagerank_by_month(G)
    >>> list(by_month), sorted(by_month["2024-04"])
    (['2024-04', '2024-05'], ['a', 'c'])
    """
    return {key: pagerank(nx.MultiDiGraph(edges)) for key, edges in edges_by_month(G, item_dates).items()}


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
    return most_central_first(rows)


def most_central_first(rows: list[dict]) -> list[dict]:
    """The rows sorted by ``pagerank`` descending, then ``degree`` descending, then ``label``, then ``actor``.

    Examples
    --------
    >>> [r["actor"] for r in most_central_first([{"actor": "b", "label": "Б", "pagerank": 0.5, "degree": 1},
    ...                                          {"actor": "a", "label": "А", "pagerank": 0.5, "degree": 1}])]
    ['a', 'b']
    """
    return sorted(rows, key=lambda row: (-row["pagerank"], -row["degree"], row["label"], row["actor"]))


def centrality_csv(rows: list[dict], columns: tuple[str, ...] = CENTRALITY_COLUMNS) -> str:
    """The rows as CSV text with a header of ``columns`` (default ``CENTRALITY_COLUMNS``); floats rounded to
    6 places, None as an empty field.

    Examples
    --------
    >>> print(centrality_csv([{"actor": "a", "label": "A", "kind": None, "wikidata": None, "degree": 1,
    ...     "in_degree": 0, "out_degree": 1, "pagerank": 1 / 3, "betweenness": 0.0}]), end="")
    actor,label,kind,wikidata,degree,in_degree,out_degree,pagerank,betweenness
    a,A,,,1,0,1,0.333333,0.0
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_csv_field(row.get(column)) for column in columns)
    return text.getvalue()


def _csv_field(value):
    if value is None:
        return ""
    return round(value, 6) if isinstance(value, float) else value
