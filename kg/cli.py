"""The ``kg`` command: a thin layer over the library that parses options, prints, and sets the exit code.

Exit codes: 0 success; 1 the graph does not conform to the shapes; 2 bad input; 3 bad lexicon data;
4 store error; 5 query error; 6 output cannot be written (see ``kg.errors.EXIT_CODES``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from kg import __version__
from kg.errors import EXIT_CODES, GeokgError

BUILD_EXAMPLE = "example: kg build seeds/ --out output/"
ANNOTATE_EXAMPLE = "example: kg annotate seeds/000_b1bfc201f43079bd.txt"
ANALYZE_EXAMPLE = "example: kg build seeds --out output && kg analyze --graph output/graph.ttl --top 5"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kg", description="geokg: a knowledge graph of geopolitical actors from news text.",
        epilog="exit codes: " + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()))
    parser.add_argument("--version", action="version", version=f"geokg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build", help="extract the graph from news files and write graph.ttl, events.jsonl, graph.html, "
                      "centrality.csv", epilog=BUILD_EXAMPLE)
    build.add_argument("inputs", nargs="*", default=["seeds"], metavar="INPUT",
                       help=".txt or .jsonl files, or folders of them (default: seeds)")
    build.add_argument("--out", default="output", type=Path, help="output folder (default: output)")
    build.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the built graph")
    annotate = commands.add_parser(
        "annotate", help="print the names the extractor finds in each file, one JSON line per file",
        epilog=ANNOTATE_EXAMPLE)
    annotate.add_argument("files", nargs="+", metavar="FILE", help="text files (read whole, not split into items)")
    annotate.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default: jsonl)")
    analyze = commands.add_parser(
        "analyze", help="rank the actors of a built graph: print a table, write centrality.csv/.json/.png, "
                        "centrality_by_month.csv and analysis.ttl, and add the figures to the graph file",
        epilog=ANALYZE_EXAMPLE)
    source = analyze.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), metavar="FILE",
                        help="RDF graph written by kg build (default: output/graph.ttl)")
    source.add_argument("--store", type=Path, metavar="PATH",
                        help="an Oxigraph store folder to read instead (read only: figures go to analysis.ttl)")
    analyze.add_argument("--top", type=int, default=10, metavar="N", help="actors in the table and chart (default 10)")
    analyze.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the graph file's folder; output for a store)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return run_build(args.inputs, args.out, validate=not args.no_validate)
        if args.command == "annotate":
            return run_annotate(args.files)
        if args.command == "analyze":
            return run_analyze(args.graph, args.store, args.out, args.top)
    except GeokgError as error:
        print(f"kg: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (kg build | head): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def run_build(inputs: list[str], out: Path, validate: bool = True) -> int:
    from kg.build import build

    notices: list[str] = []
    result = build(inputs, out, notices, validate=validate)
    for notice in notices:
        print(f"kg: notice: {notice}", file=sys.stderr)
    events = Counter(e.plover for doc in result.docs for e in doc.events)
    relations = Counter(r.predicate for doc in result.docs for r in doc.relations)
    print(f"items: {len(result.docs)}   sentences: {sum(len(d.sentences) for d in result.docs)}   "
          f"actors: {result.actors}   events: {sum(events.values())}   relations: {sum(relations.values())}   "
          f"triples: {len(result.graph)}")
    if events:
        print("events:    " + ", ".join(f"{k} {v}" for k, v in sorted(events.items())))
    if relations:
        print("relations: " + ", ".join(f"{k} {v}" for k, v in sorted(relations.items())))
    for row in result.top[:5]:
        print(f"  {row['pagerank']:.3f}  {row['label']} ({row['kind']})")
    for path in (result.paths.graph, result.paths.events, result.paths.html, result.paths.centrality):
        print(f"wrote {path}")
    if result.conforms is False:
        print(f"kg: error: the graph does not conform to ontology/shapes.ttl; see {result.report_path}",
              file=sys.stderr)
        return 1
    if result.conforms:
        print("SHACL: the graph conforms to ontology/shapes.ttl")
    return 0


def run_annotate(files: list[str]) -> int:
    import json

    from kg.annotate import entities
    from kg.items import item_id, read_text
    from kg.model import NewsItem

    for path in files:
        notices: list[str] = []
        text = read_text(path, notices)
        for notice in notices:
            print(f"kg: notice: {notice}", file=sys.stderr)
        found = entities(NewsItem(id=item_id(text), text=text, path=path))
        print(json.dumps({"doc": {"path": path}, "entities": found}, ensure_ascii=False), flush=True)
    return 0


def run_analyze(graph: Path, store: Path | None, out: Path | None, top: int) -> int:
    from kg.analyze import analyze

    result = analyze(None if store else graph, store=store, out=out, top=top)
    metadata = result.report["metadata"]
    sampling, groups = metadata["betweenness"], metadata["communities"]
    if sampling["method"] == "exact":
        how = f"exact ({metadata['actors']} actors <= {sampling['exact_max_nodes']})"
    else:
        how = f"sampled, k={sampling['sampled_sources']} sources, seed {sampling['seed']}"
    quality = "" if groups["modularity"] is None else f", modularity {groups['modularity']:.3f}"
    months = ", ".join(metadata["by_month"]["months"]) or "none (no event or news item dated to a month)"
    print(f"actors: {metadata['actors']}   edges: {metadata['edges']}   betweenness and closeness: {how}")
    print(f"communities: {groups['count']} (Louvain, seed {groups['seed']}{quality})   months: {months}")
    print(f"{'rank':>4}  {'pagerank':>8}  {'betweenness':>11}  {'eigenvector':>11}  {'closeness':>9}  "
          f"{'in/out':>7}  {'comm.':>5}  {'coop/confl':>10}  {'balance':>7}  actor")
    for rank, row in enumerate(result.report["rows"][:top], 1):
        cooperation = row["cooperation_sent"] + row["cooperation_received"]
        conflict = row["conflict_sent"] + row["conflict_received"]
        balance = "" if row["balance"] is None else f"{row['balance']:+.2f}"
        print(f"{rank:>4}  {row['pagerank']:>8.3f}  {row['betweenness']:>11.3f}  {row['eigenvector']:>11.3f}  "
              f"{row['closeness']:>9.3f}  {row['in_degree']:>3}/{row['out_degree']:<3}  {row['community']:>5}  "
              f"{cooperation:>5}/{conflict:<4}  {balance:>7}  {row['label']} ({row['kind']})")
    if not result.report["rows"]:
        print("  (no actors in the graph)")
    for name, path in result.paths.items():
        print(f"wrote {path}" + ("  (figures added)" if name == "graph" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
