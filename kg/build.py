"""``kg build``: news files → graph.ttl, events.jsonl, graph.html, centrality.csv (and a SHACL check)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.analytics import centrality_csv, centrality_rows
from kg.errors import OutputError
from kg.export import Outputs, events_jsonl, turtle, write_outputs, write_text
from kg.items import read
from kg.model import Doc
from kg.namespace import ontology_path
from kg.pipeline import process_all
from kg.project import project
from kg.rdf import item_iri, to_graph
from kg.view import DEFAULT_TOP, render_html


@dataclass
class BuildResult:
    docs: list[Doc]
    graph: Graph
    paths: Outputs
    actors: int
    top: list[dict]
    conforms: bool | None
    report_path: Path | None
    trig_path: Path | None = None


def with_plover(graph: Graph) -> Graph:
    """The graph plus the PLOVER scheme, so quad classes can be read from it."""
    combined = Graph()
    for triple in graph:
        combined.add(triple)
    combined.parse(ontology_path("plover.ttl"))
    return combined


def paths_of(docs: list[Doc]) -> dict[str, str]:
    """News item IRI -> the file it was read from."""
    return {str(item_iri(doc.item.id)): doc.item.path for doc in docs if doc.item.path}


def build(inputs: list[str], out: Path, notices: list[str], validate: bool = True,
          top: int = DEFAULT_TOP, store: str | Path | None = None) -> BuildResult:
    """``top``: how many actors, most central first, graph.html draws. With ``store`` (an Oxigraph folder or an
    endpoint URL) the items are also written into the store, and graph.ttl, graph.trig (its named graphs),
    graph.html and centrality.csv show the whole store; events.jsonl and the counts are those of ``inputs``."""
    docs = list(process_all(read(inputs, notices)))
    trig_path = None
    if store is None:
        graph = to_graph(docs)
    else:
        graph, trig_path = _through_store(docs, store, out)
    actors = project(with_plover(graph))
    rows = centrality_rows(actors)
    page = render_html(actors, rows, top=top, paths=paths_of(docs))
    paths = write_outputs(out, turtle(graph), events_jsonl(docs), page, centrality_csv(rows))
    conforms, report_path = None, None
    if validate:
        from kg.validate import validate as shacl

        conforms, report = shacl(graph)
        report_path = out / "validation.txt"
        if conforms:
            report_path.unlink(missing_ok=True)
        else:
            write_text(report_path, report)
    return BuildResult(docs, graph, paths, actors.number_of_nodes(), rows, conforms, report_path, trig_path)


def _through_store(docs: list[Doc], location: str | Path, out: Path) -> tuple[Graph, Path]:
    """Write ``docs`` into the store and read the whole store back: its union graph, and graph.trig written."""
    from kg.ingest import save
    from kg.store import connect, dataset, trig, union_graph

    store = connect(location, command="kg build")
    try:
        save(store, docs)
        data = dataset(store)
    finally:
        store.close()
    trig_path = out / "graph.trig"
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_text(trig_path, trig(data))
    except OSError as error:
        raise OutputError(f"{trig_path}: cannot write output ({error.strerror or error})") from error
    return union_graph(data), trig_path
