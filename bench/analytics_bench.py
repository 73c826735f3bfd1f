"""Analytics at scale: each measure of ``kg analyze`` on a synthetic actor graph, in seconds, and the peak memory.

    python bench/analytics_bench.py [--actors N] [--relations M] [--generator gnm|scale-free] [--sources K]
                                    [--skip-louvain]

The graph is a directed multigraph of N actors and M edges (default 50,000 and 200,000) drawn with a fixed
seed: ``gnm`` places every edge uniformly at random (networkx's ``gnm_random_graph``); ``scale-free`` lets each
new actor send four edges to actors chosen in proportion to their degree (Barabási–Albert), each edge's
direction flipped at random. Each edge gets a PLOVER quad class and a date in one of twelve months, so the
signed view and PageRank per month run too. Betweenness and closeness are sampled as ``kg analyze`` samples
them above ``kg.analyze.EXACT_MAX_NODES`` actors: K sources (default ``kg.analyze.SAMPLED_SOURCES``), seed 42.
Targets (issue 4): PageRank under 5 s, sampled betweenness under 60 s.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx  # noqa: E402

from kg.analytics import betweenness, closeness, communities, eigenvector, pagerank, pagerank_by_month  # noqa: E402
from kg.analyze import SAMPLED_SOURCES, SEED  # noqa: E402
from kg.signed import cooperation_conflict  # noqa: E402


def synthetic(actors: int, relations: int, generator: str, seed: int = SEED) -> nx.MultiDiGraph:
    """A directed multigraph of ``actors`` nodes and about ``relations`` edges, each with a quad and a date."""
    rng = random.Random(seed)
    if generator == "gnm":
        pairs = list(nx.gnm_random_graph(actors, relations, seed=seed, directed=True).edges())
    else:
        undirected = nx.barabasi_albert_graph(actors, max(1, round(relations / actors)), seed=seed)
        pairs = [(u, v) if rng.random() < 0.5 else (v, u) for u, v in undirected.edges()]
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(actors))
    G.add_edges_from(
        (u, v, {"quad": rng.randint(1, 4), "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"})
        for u, v in pairs
    )
    return G


def timed(name: str, function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"{name:<44} {seconds:8.2f} s", flush=True)
    return seconds


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=50_000)
    parser.add_argument("--relations", type=int, default=200_000)
    parser.add_argument("--generator", choices=["gnm", "scale-free"], default="gnm")
    parser.add_argument("--sources", type=int, default=SAMPLED_SOURCES, help="sampled sources (betweenness, closeness)")
    parser.add_argument("--skip-louvain", action="store_true", help="networkx's Louvain takes minutes at this size")
    args = parser.parse_args()

    started = time.perf_counter()
    G = synthetic(args.actors, args.relations, args.generator)
    print(f"graph: {args.generator}, {G.number_of_nodes()} actors, {G.number_of_edges()} edges, seed {SEED} "
          f"(built in {time.perf_counter() - started:.1f} s)")
    figures = {
        "pagerank": timed("PageRank", pagerank, G),
        "betweenness": timed(f"betweenness, sampled k={args.sources}, seed {SEED}", betweenness, G,
                             k=args.sources, seed=SEED),
        "closeness": timed(f"closeness, sampled k={args.sources}, seed {SEED}", closeness, G,
                           k=args.sources, seed=SEED),
        "eigenvector": timed("eigenvector (undirected, weighted)", eigenvector, G),
        "signed": timed("cooperation/conflict counts", cooperation_conflict, G),
        "by_month": timed("PageRank per month (12 months)", pagerank_by_month, G),
    }
    if not args.skip_louvain:
        figures["louvain"] = timed(f"Louvain communities, seed {SEED}", communities, G, seed=SEED)
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    verdicts = [("PageRank", figures["pagerank"], 5.0), ("sampled betweenness", figures["betweenness"], 60.0)]
    for name, seconds, target in verdicts:
        print(f"target: {name} under {target:.0f} s: {'met' if seconds < target else 'MISSED'} ({seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
