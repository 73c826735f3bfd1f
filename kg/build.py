"""``kg build``: news files → graph.ttl, events.jsonl, graph.html, centrality.csv (and a SHACL check)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.analytics import centrality_csv, centrality_rows
from kg.export import Outputs, events_jsonl, turtle, write_outputs, write_text
from kg.items import read
from kg.model import Doc
from kg.namespace import ontology_path
from kg.pipeline import process_all
from kg.project import project
from kg.rdf import to_graph
from kg.view import render_html


@dataclass
class BuildResult:
    docs: list[Doc]
    graph: Graph
    paths: Outputs
    actors: int
    top: list[dict]
    conforms: bool | None
    report_path: Path | None


def with_plover(graph: Graph) -> Graph:
    """The graph plus the PLOVER scheme, so quad classes can be read from it."""
    combined = Graph()
    for triple in graph:
        combined.add(triple)
    combined.parse(ontology_path("plover.ttl"))
    return combined


def build(inputs: list[str], out: Path, notices: list[str], validate: bool = True) -> BuildResult:
    docs = list(process_all(read(inputs, notices)))
    graph = to_graph(docs)
    actors = project(with_plover(graph))
    rows = centrality_rows(actors)
    paths = write_outputs(out, turtle(graph), events_jsonl(docs), render_html(actors, rows), centrality_csv(rows))
    conforms, report_path = None, None
    if validate:
        from kg.validate import validate as shacl

        conforms, report = shacl(graph)
        report_path = out / "validation.txt"
        if conforms:
            report_path.unlink(missing_ok=True)
        else:
            write_text(report_path, report)
    return BuildResult(docs, graph, paths, actors.number_of_nodes(), rows, conforms, report_path)
