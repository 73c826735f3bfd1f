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
from kg.errors import EXIT_CODES, GeokgError, InputError

BUILD_EXAMPLE = "example: kg build seeds/ --out output/"
ANNOTATE_EXAMPLE = "example: kg annotate seeds/000_b1bfc201f43079bd.txt"
SERVE_EXAMPLE = ("example: kg serve --graph output/graph.ttl --port 7878   (Ctrl-C stops it); "
                 "kg serve --store store --writable, then kg ingest news/ --store http://127.0.0.1:7878")
QUERY_EXAMPLE = "example: kg query conflict --param a=Росія --param b=Україна   (kg query --list shows every query)"
INGEST_EXAMPLE = "example: kg ingest seeds/ --store store --jobs 2   (again: unchanged items are skipped)"
REMOVE_EXAMPLE = "example: kg remove eaffcd3685d99c0e --store store"
ANALYZE_EXAMPLE = "example: kg build seeds --out output && kg analyze --graph output/graph.ttl --top 5"


class _Parser(argparse.ArgumentParser):
    """argparse, with a bad option as one line ("kg build: error: …", exit 2) and no usage block before it."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
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
    build.add_argument("--top", type=_positive, default=None, metavar="N",
                       help="graph.html draws the N most central actors (default: 300)")
    build.add_argument("--store", metavar="PATH_OR_URL",
                       help="also write the items into this store (an Oxigraph folder or a SPARQL endpoint URL) "
                            "and draw graph.ttl, graph.trig, graph.html and centrality.csv from the whole store")
    annotate = commands.add_parser(
        "annotate", help="print the names the extractor finds in each file, one JSON line per file",
        epilog=ANNOTATE_EXAMPLE)
    annotate.add_argument("files", nargs="+", metavar="FILE", help="text files (read whole, not split into items)")
    annotate.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default: jsonl)")
    add_query_parser(commands)
    add_serve_parser(commands)
    add_ingest_parsers(commands)
    analyze = commands.add_parser(
        "analyze", help="rank the actors of a built graph: print a table, write centrality.csv/.json/.png, "
                        "centrality_by_month.csv and analysis.ttl, and add the figures to the graph file",
        epilog=ANALYZE_EXAMPLE)
    source = analyze.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), metavar="FILE",
                        help="RDF graph written by kg build (default: output/graph.ttl)")
    source.add_argument("--store", metavar="PATH_OR_URL",
                        help="an Oxigraph store folder or a SPARQL endpoint URL to read instead (read only: "
                             "figures go to analysis.ttl)")
    analyze.add_argument("--top", type=int, default=10, metavar="N", help="actors in the table and chart (default 10)")
    analyze.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the graph file's folder; output for a store)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return run_build(args.inputs, args.out, validate=not args.no_validate, top=args.top, store=args.store)
        if args.command == "annotate":
            return run_annotate(args.files)
        if args.command == "query":
            return run_query(args)
        if args.command == "serve":
            return run_serve(args)
        if args.command == "ingest":
            return run_ingest(args)
        if args.command == "remove":
            return run_remove(args)
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


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def run_build(inputs: list[str], out: Path, validate: bool = True, top: int | None = None,
              store: str | None = None) -> int:
    from kg.build import build
    from kg.view import DEFAULT_TOP, status_line

    top = top or DEFAULT_TOP
    notices: list[str] = []
    result = build(inputs, out, notices, validate=validate, top=top, store=store)
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
    for path in (result.paths.graph, result.trig_path, result.paths.events, result.paths.html,
                 result.paths.centrality):
        if path is not None:
            print(f"wrote {path}")
    print(f"{result.paths.html.name}: {status_line(result.actors, top)}")
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


def add_query_parser(commands) -> None:
    from kg.results import FORMATS

    query = commands.add_parser(
        "query", help="run a SPARQL query on the graph: a shipped query by name, a .rq file or SPARQL text",
        epilog=QUERY_EXAMPLE)
    query.add_argument("query", nargs="?", metavar="QUERY",
                       help="a shipped query's name (see --list), a path to a .rq file, or SPARQL text")
    query.add_argument("--list", action="store_true", help="print the shipped queries, one per line, and stop")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="bind ?NAME to VALUE as an RDF term (repeatable); an actor may be given by IRI, "
                            "Wikidata id or label")
    source = query.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, metavar="FILE",
                        help="an RDF file, read with the ontology (default: output/graph.ttl)")
    source.add_argument("--store", metavar="PATH_OR_URL",
                        help="an Oxigraph store folder, or the URL of a SPARQL endpoint (http://…/query)")
    query.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def run_query(args) -> int:
    from kg.query import parse_params, run
    from kg.queries import catalogue
    from kg.results import render

    if args.list:
        entries = catalogue()
        width = max(len(entry["name"]) for entry in entries)
        for entry in entries:
            params = ", ".join(f"{p['name']} ({p['type']})" for p in entry["params"])
            print(f"{entry['name']:<{width}}  {entry['summary']}" + (f"  [{params}]" if params else ""))
        return 0
    if args.query is None:
        raise InputError("give a QUERY (a shipped query's name, a .rq file or SPARQL text), or --list")
    notices: list[str] = []
    try:
        result = run(args.query, parse_params(args.param), graph=args.graph, store=args.store, notices=notices)
    finally:
        for notice in notices:
            print(f"kg: notice: {notice}", file=sys.stderr)
    sys.stdout.write(render(result, args.format))
    return 0


def add_ingest_parsers(commands) -> None:
    from kg.ingest import DEFAULT_BATCH

    ingest = commands.add_parser(
        "ingest", help="extract news into a persistent store, one named graph per item; unchanged items are "
                       "skipped, changed ones replaced", epilog=INGEST_EXAMPLE)
    ingest.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt or .jsonl files, or folders of them")
    remove = commands.add_parser("remove", help="remove news items (their named graphs) from a store",
                                 epilog=REMOVE_EXAMPLE)
    remove.add_argument("item_ids", nargs="+", metavar="ITEM_ID", help="ids of the items to remove")
    for command in (ingest, remove):
        command.add_argument("--store", default="store", metavar="PATH_OR_URL",
                             help="an Oxigraph store folder (created when missing; default: store), or a SPARQL "
                                  "endpoint's URL (http://HOST:PORT[/path])")
        command.add_argument("--wait", action="store_true",
                             help="if another kg command writes the local store, wait for it instead of stopping")
    ingest.add_argument("--jobs", type=_positive, default=None, metavar="N",
                        help="extracting processes (default: the number of CPUs)")
    ingest.add_argument("--batch", type=_positive, default=DEFAULT_BATCH, metavar="N",
                        help=f"items written per transaction (default: {DEFAULT_BATCH})")
    shown = ingest.add_mutually_exclusive_group()
    shown.add_argument("--progress", action="store_true", default=None,
                       help="show the progress bar even when stderr is not a terminal")
    shown.add_argument("--no-progress", action="store_false", dest="progress", help="no progress bar")


def run_ingest(args) -> int:
    from kg.ingest import ingest

    notices: list[str] = []
    try:
        summary = ingest(args.inputs, args.store, jobs=args.jobs, batch=args.batch, wait=args.wait,
                         notices=notices, progress=args.progress)
    finally:
        for notice in notices:
            print(f"kg: notice: {notice}", file=sys.stderr)
    store = summary["store"]
    print(f"items: {summary['read']} read, {summary['added']} added, {summary['replaced']} replaced, "
          f"{summary['unchanged']} unchanged   {summary['items_per_second']:.1f} items/s with "
          f"{summary['jobs']} job{'s' if summary['jobs'] > 1 else ''} in {summary['seconds']:.1f} s")
    if summary["events"]:
        print("new events:    " + ", ".join(f"{k} {v}" for k, v in sorted(summary["events"].items())))
    if summary["relations"]:
        print("new relations: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["relations"].items())))
    size = "" if summary["store_bytes"] is None else f"   {summary['store_bytes'] / 1e6:.1f} MB on disk"
    print(f"the store holds: items {store['items']}   actors {store['actors']}   events {store['events']}   "
          f"relations {store['relations']}{size}")
    return 0


def run_remove(args) -> int:
    from kg.store import connect, remove_items

    store = connect(args.store, wait=args.wait, command="kg remove")
    try:
        removed = remove_items(store, args.item_ids)
    finally:
        store.close()
    for item_id in args.item_ids:
        print(f"removed {item_id}" if item_id in removed else f"kg: notice: no item {item_id} in {args.store}",
              file=sys.stdout if item_id in removed else sys.stderr)
    return 0


def add_serve_parser(commands) -> None:
    from kg.serve import DEFAULT_PORT, DEFAULT_TIMEOUT, LOOPBACK

    serve = commands.add_parser(
        "serve", help="serve the graph: a SPARQL endpoint with a query page (Oxigraph; read-only unless "
                      "--writable), and the graph view", epilog=SERVE_EXAMPLE)
    source = serve.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, metavar="FILE",
                        help="an RDF file, served with the ontology (default: output/graph.ttl)")
    source.add_argument("--store", type=Path, metavar="PATH", help="an Oxigraph store folder, served as it is")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port of the SPARQL endpoint and query page (default: {DEFAULT_PORT})")
    serve.add_argument("--view-port", type=int, metavar="PORT",
                       help="port of the graph view (default: the endpoint's port + 1)")
    serve.add_argument("--host", default=LOOPBACK,
                       help=f"address to listen on (default: {LOOPBACK}, this machine only); another address "
                            "lets other machines query the graph")
    serve.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                       help=f"longest time a query may run (default: {DEFAULT_TIMEOUT})")
    serve.add_argument("--writable", action="store_true",
                       help="with --store: also take SPARQL updates at /update, so kg ingest --store URL writes "
                            "while kg query --store URL reads; holds the store until it stops")


def run_serve(args) -> int:
    import signal

    from kg import serve

    if args.host != serve.LOOPBACK:
        print(f"kg: warning: listening on {args.host}: other machines that reach it can query the graph",
              file=sys.stderr)
    notices: list[str] = []
    service = serve.start(graph=args.graph, store=args.store, host=args.host, port=args.port,
                          view_port=args.view_port, timeout=args.timeout, notices=notices, writable=args.writable)
    try:
        for notice in notices:
            print(f"kg: notice: {notice}", file=sys.stderr)
        mode = f"updates at {service.page}update" if args.writable else "read-only"
        print(f"SPARQL endpoint: {service.endpoint}  ({mode}; a query stops after {args.timeout} s)")
        print(f"query page:      {service.page}")
        print(f"graph view:      {service.view}")
        print("Ctrl-C stops the server.", flush=True)
        # SIGINT too: a shell starts a background job with SIGINT ignored, and Python then leaves it ignored
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        serve.wait(service)
    except KeyboardInterrupt:
        pass
    finally:
        serve.stop(service)
    print("kg: server stopped", file=sys.stderr)
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_analyze(graph: Path, store: str | None, out: Path | None, top: int) -> int:
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
