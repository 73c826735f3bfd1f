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
    build.add_argument("--top", type=_positive, default=None, metavar="N",
                       help="graph.html draws the N most central actors (default: 300)")
    annotate = commands.add_parser(
        "annotate", help="print the names the extractor finds in each file, one JSON line per file",
        epilog=ANNOTATE_EXAMPLE)
    annotate.add_argument("files", nargs="+", metavar="FILE", help="text files (read whole, not split into items)")
    annotate.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default: jsonl)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return run_build(args.inputs, args.out, validate=not args.no_validate, top=args.top)
        if args.command == "annotate":
            return run_annotate(args.files)
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


def run_build(inputs: list[str], out: Path, validate: bool = True, top: int | None = None) -> int:
    from kg.build import build
    from kg.view import DEFAULT_TOP, status_line

    top = top or DEFAULT_TOP
    notices: list[str] = []
    result = build(inputs, out, notices, validate=validate, top=top)
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


if __name__ == "__main__":
    sys.exit(main())
