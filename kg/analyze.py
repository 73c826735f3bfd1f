"""``kg analyze``: rank the actors of a built graph.

A graph file (or an Oxigraph store folder) → the actor graph (:func:`kg.project.project`) → every measure of
:mod:`kg.analytics` and :mod:`kg.signed` → ``centrality.csv``, ``centrality.json``, ``centrality_by_month.csv``,
``centrality.png`` and ``analysis.ttl`` (the figures as triples), and the figures written back into the graph file
read, so SPARQL can rank by ``gkg:pagerank``. :func:`analysis` computes, the renderers return text or bytes, and
only :func:`analyze` touches the disk.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS
from rdflib.util import guess_format

from kg import __version__
from kg.analytics import (
    CENTRALITY_COLUMNS,
    betweenness,
    centrality_csv,
    closeness,
    communities,
    degree,
    eigenvector,
    edges_by_month,
    modularity,
    most_central_first,
    pagerank,
    pagerank_by_month,
)
from kg.errors import InputError, OutputError
from kg.export import write_text
from kg.namespace import GKG
from kg.project import project
from kg.rdf import figures_graph, with_figures
from kg.signed import COOPERATION_QUADS, CONFLICT_QUADS, SIGNED_COLUMNS, cooperation_conflict

#: up to this many actors, betweenness and closeness are exact; above it, estimated from sampled sources
EXACT_MAX_NODES = 2000
#: the number of sampled sources above EXACT_MAX_NODES (bench/analytics_bench.py: betweenness 7-8 s, closeness
#: 4-9 s on 50,000 actors and 200,000 edges here)
SAMPLED_SOURCES = 200
SEED = 42
ANALYSIS_COLUMNS = CENTRALITY_COLUMNS + ("eigenvector", "closeness", "community") + SIGNED_COLUMNS
MONTH_COLUMNS = ("month", "actor", "label", "pagerank")


@dataclass(frozen=True)
class AnalyzeResult:
    report: dict
    paths: dict[str, Path]


def analysis(G: nx.Graph, item_dates: dict | None = None, seed: int = SEED, exact_max_nodes: int = EXACT_MAX_NODES,
             sampled_sources: int = SAMPLED_SOURCES) -> dict:
    """Every measure of every node of the actor graph ``G``, as a plain dict:

    - ``metadata``: the size of the graph and how each measure was computed (exact or sampled, with the sample
      size and seed; Louvain's seed, community count and modularity; the months with dated events);
    - ``rows``: one per actor (the columns of ``ANALYSIS_COLUMNS``), most central first as in
      :func:`kg.analytics.centrality_rows`;
    - ``communities``: each community's number, size and actors (largest first);
    - ``by_month``: ``{"YYYY-MM": {actor: pagerank}}``, each month's actors most central first; an edge's month
      is its own date's, else its news item's date's in ``item_dates`` (news item IRI -> date).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "c", {"quad": 2}), ("b", "c", {"quad": 4})])
    >>> report = analysis(G)
    >>> [row["actor"] for row in report["rows"]], report["rows"][0]["balance"]
    (['c', 'a', 'b'], 0.0)
    >>> report["metadata"]["betweenness"]
    {'method': 'exact', 'sampled_sources': None, 'seed': None, 'exact_max_nodes': 2000}
    """
    n = G.number_of_nodes()
    k = None if n <= exact_max_nodes else sampled_sources
    membership = communities(G, seed=seed)
    measures = {
        "pagerank": pagerank(G), "betweenness": betweenness(G, k=k, seed=seed),
        "eigenvector": eigenvector(G), "closeness": closeness(G, k=k, seed=seed), "community": membership,
    }
    degrees, signed = degree(G), cooperation_conflict(G)
    rows = most_central_first([
        {"actor": str(node), "label": attributes.get("label") or str(node), "kind": attributes.get("kind"),
         "wikidata": attributes.get("wikidata"), **degrees[node],
         **{name: values[node] for name, values in measures.items()}, **signed[node]}
        for node, attributes in G.nodes(data=True)
    ])
    by_month = {
        month: dict(sorted(ranks.items(), key=lambda item: (-item[1], str(item[0]))))
        for month, ranks in pagerank_by_month(G, item_dates).items()
    }
    sampling = {
        "method": "exact" if k is None else "sampled", "sampled_sources": k, "seed": None if k is None else seed,
        "exact_max_nodes": exact_max_nodes,
    }
    return {
        "metadata": {
            "generated_by": f"geokg {__version__}",
            "actors": n,
            "edges": G.number_of_edges(),
            "pagerank": {"alpha": 0.85, "weight": "parallel edges"},
            "betweenness": sampling,
            "closeness": dict(sampling),
            "eigenvector": {"graph": "undirected, weighted by edge count",
                            "disconnected": "components with a smaller largest eigenvalue get 0"},
            "communities": {"method": "louvain", "seed": seed, "resolution": 1.0,
                            "count": len(set(membership.values())), "modularity": modularity(G, membership)},
            "signed": {"cooperation_quads": list(COOPERATION_QUADS), "conflict_quads": list(CONFLICT_QUADS),
                       "balance": "(cooperation - conflict) / (cooperation + conflict)"},
            "by_month": {"months": list(by_month),
                         "dated_edges": sum(map(len, edges_by_month(G, item_dates).values()))},
        },
        "rows": rows,
        "communities": _community_list(rows),
        "by_month": {month: {str(actor): rank for actor, rank in ranks.items()} for month, ranks in by_month.items()},
    }


def _community_list(rows: list[dict]) -> list[dict]:
    members: dict[int, list[dict]] = {}
    for row in rows:
        members.setdefault(row["community"], []).append(row)
    return [
        {"community": number, "size": len(found), "actors": [row["actor"] for row in found],
         "labels": [row["label"] for row in found]}
        for number, found in sorted(members.items())
    ]


def analysis_json(report: dict) -> str:
    """The report as indented JSON (UTF-8 text, Ukrainian labels as they are)."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def by_month_csv(report: dict) -> str:
    """One CSV row per month and actor (``MONTH_COLUMNS``), months in order, most central first."""
    labels = {row["actor"]: row["label"] for row in report["rows"]}
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(MONTH_COLUMNS)
    for month, ranks in report["by_month"].items():
        for actor, rank in ranks.items():
            writer.writerow((month, actor, labels.get(actor, actor), round(rank, 6)))
    return text.getvalue()


def chart_png(rows: list[dict], top: int, title: str = "geokg: top actors by PageRank") -> bytes:
    """A horizontal bar chart of the first ``top`` rows by PageRank, most central at the top, as PNG bytes.
    Labels in Ukrainian render with DejaVu Sans, which matplotlib ships."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    shown = rows[:top]
    figure = Figure(figsize=(8, 1.2 + 0.35 * max(len(shown), 1)), dpi=100, layout="constrained")
    axes = figure.subplots()
    bars = axes.barh([f"{row['label']} ({row['kind']})" for row in reversed(shown)],
                     [row["pagerank"] for row in reversed(shown)], color="#1f77b4")
    axes.bar_label(bars, fmt="%.3f", padding=3, fontsize=8)
    axes.margins(x=0.15)
    axes.set_xlabel("PageRank")
    axes.set_title(title, fontfamily="DejaVu Sans")
    if not shown:
        axes.text(0.5, 0.5, "no actors", ha="center", va="center", transform=axes.transAxes)
    for label in axes.get_yticklabels():
        label.set_fontfamily("DejaVu Sans")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def item_dates(graph: Graph) -> dict[str, str]:
    """News item IRI -> its ``dcterms:date`` as written."""
    return {str(item): str(date) for item in graph.subjects(RDF.type, GKG.NewsItem)
            for date in graph.objects(item, DCTERMS.date)}


def load_graph(path: Path) -> Graph:
    """The RDF graph in the file ``path`` (format by its suffix, Turtle when unknown).

    Raises :class:`kg.errors.InputError` for a missing path, a folder, an empty file or one that does not parse.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file (build a graph first: kg build seeds --out output)")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a graph file")
    try:
        text = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error
    if not text.strip():
        raise InputError(f"{path}: is empty")
    try:
        return Graph().parse(data=text, format=guess_format(str(path)) or "turtle")
    except Exception as error:  # rdflib raises many kinds (BadSyntax, UnicodeDecodeError, SAXParseException...)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"{path}: not an RDF graph in {guess_format(str(path)) or 'turtle'} ({reason})") from error


def load_store(location: Path | str) -> Graph:
    """The triples of every graph of the Oxigraph store folder (opened read-only) or SPARQL endpoint URL
    ``location``, as one graph (:func:`kg.sources.store_graph`).

    Raises :class:`kg.errors.StoreError` when there is no store there.
    """
    from kg.sources import store_graph

    return store_graph(location)


def analyze(graph_path: Path | None = None, store: Path | str | None = None, out: Path | None = None, top: int = 10,
            seed: int = SEED) -> AnalyzeResult:
    """Read the graph (``graph_path``, or the store folder ``store``), compute :func:`analysis`, and write its
    outputs into ``out`` (default: the graph file's folder, or ``output`` for a store). The figures are also
    written back into the graph file (replacing an earlier analysis's); a store is only read.
    """
    if top < 1:
        raise InputError(f"--top must be at least 1 (got {top})")
    from kg.build import with_plover

    graph = load_store(store) if store is not None else load_graph(graph_path)
    out = out or (Path("output") if store is not None else graph_path.parent)
    report = analysis(project(with_plover(graph)), item_dates(graph), seed=seed)
    rows = report["rows"]
    paths = {name: out / name for name in (
        "centrality.csv", "centrality.json", "centrality_by_month.csv", "centrality.png", "analysis.ttl")}
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_text(paths["centrality.csv"], centrality_csv(rows, ANALYSIS_COLUMNS))
        write_text(paths["centrality.json"], analysis_json(report))
        write_text(paths["centrality_by_month.csv"], by_month_csv(report))
        _write_bytes(paths["centrality.png"], chart_png(rows, top))
        write_text(paths["analysis.ttl"], figures_graph(rows).serialize(format="turtle"))
        if store is None:
            form = guess_format(str(graph_path)) or "turtle"
            write_text(graph_path, with_figures(graph, rows).serialize(format=form))
            paths["graph"] = graph_path
    except OSError as error:
        raise OutputError(f"{error.filename or out}: cannot write output ({error.strerror or error})") from error
    return AnalyzeResult(report, paths)


def _write_bytes(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    partial.replace(path)
