"""kg.analyze and ``kg analyze``: the report, its files, the figures in RDF, and bad input."""

from __future__ import annotations

import csv
import doctest
import io
import json
import warnings

import networkx as nx
import pytest
import rdflib.namespace as ns  # XSD through ns: pytest's probing of an open namespace warns
from rdflib import Graph, URIRef

from kg import analyze as analyze_module
from kg.analyze import (
    ANALYSIS_COLUMNS,
    analysis,
    analysis_json,
    analyze,
    by_month_csv,
    chart_png,
    load_graph,
    load_store,
)
from kg.cli import main
from kg.errors import InputError, StoreError
from kg.model import NewsItem
from kg.namespace import GKG, bind_prefixes
from kg.pipeline import process
from kg.queries import load
from kg.rdf import figure_triples, figures_graph, to_graph, with_figures
from tests.conftest import ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OUTPUTS = ("centrality.csv", "centrality.json", "centrality_by_month.csv", "centrality.png", "analysis.ttl")
NEWS = [  # hand-written, dated items: Russia attacks Ukraine, Poland and Japan support and aid it
    ("n1", "Литва та Латвія засудили Білорусь. Польща підтримала Україну.", "2024-03-05"),
    ("n2", "Японія надала Україні допомогу. Росія атакувала Україну.", "2024-04-10"),
    ("n3", "Японія погодилася на співпрацю зі США. Україна провела переговори з Польщею.", "2024-04-22"),
]
UKR = "https://w3id.org/geokg/id/actor/ukr"


@pytest.fixture(scope="module")
def news_graph() -> Graph:
    return to_graph([process(NewsItem(id=id_, text=text, date=date)) for id_, text, date in NEWS])


@pytest.fixture
def graph_file(tmp_path, news_graph):
    path = tmp_path / "built" / "graph.ttl"
    path.parent.mkdir()
    path.write_text(news_graph.serialize(format="turtle"), encoding="utf-8")
    return path


def _star():
    G = nx.MultiDiGraph([(leaf, "hub", {"quad": 1, "date": "2024-01-0" + leaf}) for leaf in "1234"])
    G.add_edge("hub", "1", quad=4)
    G.nodes["hub"].update(label="Центр", kind="State", wikidata="Q1")
    return G


@pytest.mark.parametrize("make", [_star])
def test_analyze_report_rows_communities_months(make):
    report = analysis(make(), item_dates={})
    rows = report["rows"]
    assert [row["actor"] for row in rows][0] == "hub"
    assert set(rows[0]) == set(ANALYSIS_COLUMNS)
    assert (rows[0]["label"], rows[0]["kind"], rows[0]["wikidata"], rows[0]["balance"]) == ("Центр", "State", "Q1", 0.6)
    assert sum(c["size"] for c in report["communities"]) == 5
    assert [c["community"] for c in report["communities"]] == list(range(len(report["communities"])))
    assert list(report["by_month"]) == ["2024-01"]
    metadata = report["metadata"]
    assert (metadata["actors"], metadata["edges"], metadata["by_month"]["dated_edges"]) == (5, 5, 4)
    assert metadata["betweenness"]["method"] == metadata["closeness"]["method"] == "exact"


@pytest.mark.parametrize("exact_max_nodes, sources, seed", [(5, 3, 42), (10, 4, 7)])
def test_analyze_large_graph_is_sampled_and_says_so(exact_max_nodes, sources, seed):
    G = nx.MultiDiGraph(nx.gnp_random_graph(30, 0.1, seed=1, directed=True).edges())
    metadata = analysis(G, seed=seed, exact_max_nodes=exact_max_nodes, sampled_sources=sources)["metadata"]
    expected = {"method": "sampled", "sampled_sources": sources, "seed": seed, "exact_max_nodes": exact_max_nodes}
    assert metadata["betweenness"] == metadata["closeness"] == expected
    assert metadata["communities"]["seed"] == seed


@pytest.mark.parametrize("make", [_star])
def test_analyze_report_deterministic(make):
    first = analysis_json(analysis(make()))
    assert analysis_json(analysis(make())) == first
    assert json.loads(first)["rows"][0]["label"] == "Центр"


@pytest.mark.parametrize("graph", [nx.MultiDiGraph()])
def test_analyze_empty_graph_report(graph):
    report = analysis(graph)
    assert (report["rows"], report["communities"], report["by_month"]) == ([], [], {})
    assert report["metadata"]["communities"] == {**report["metadata"]["communities"], "count": 0, "modularity": None}
    assert by_month_csv(report) == "month,actor,label,pagerank\n"


@pytest.mark.parametrize("make", [_star])
def test_analyze_by_month_csv(make):
    rows = list(csv.reader(io.StringIO(by_month_csv(analysis(make())))))
    assert rows[0] == ["month", "actor", "label", "pagerank"]
    assert rows[1][:3] == ["2024-01", "hub", "Центр"]
    assert {row[0] for row in rows[1:]} == {"2024-01"} and len(rows) == 6


@pytest.mark.parametrize("top", [1, 3, 10])
def test_analyze_chart_png_renders_ukrainian_labels(top):
    rows = analysis(_star())["rows"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart_png(rows, top)
    assert png.startswith(PNG_SIGNATURE)
    assert not [w for w in caught if "missing from" in str(w.message)]  # matplotlib's warning for a missing glyph


@pytest.mark.parametrize("rows", [[]])
def test_analyze_chart_png_without_actors(rows):
    assert chart_png(rows, 5).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"actor": UKR, "pagerank": 2e-05, "degree": 3, "balance": None},
         {(GKG.pagerank, "0.00002", ns.XSD.decimal), (GKG.degree, "3", ns.XSD.integer)}),
        ({"actor": UKR, "balance": -0.5, "community": 0, "betweenness": 0.0},
         {(GKG.cooperationBalance, "-0.5", ns.XSD.decimal), (GKG.community, "0", ns.XSD.integer),
          (GKG.betweenness, "0", ns.XSD.decimal)}),
    ],
)
def test_analyze_figure_triples(row, expected):
    triples = set(figure_triples([row]))
    assert {s for s, _, _ in triples} == {URIRef(UKR)}
    assert {(p, str(o), o.datatype) for _, p, o in triples} == expected


@pytest.mark.parametrize("pageranks", [(0.5, 0.25)])
def test_analyze_with_figures_replaces_an_earlier_analysis(news_graph, pageranks):
    before = len(news_graph)
    graph = news_graph
    for pagerank in pageranks:
        graph = with_figures(graph, [{"actor": UKR, "pagerank": pagerank, "degree": 1}])
    assert [str(o) for o in graph.objects(URIRef(UKR), GKG.pagerank)] == [str(pageranks[-1])]
    assert len(graph) == before + 2 and len(news_graph) == before  # the input graph is left as it was


def test_analyze_end_to_end_writes_all_files(graph_file, capsys):
    assert main(["analyze", "--graph", str(graph_file), "--top", "3"]) == 0
    printed = capsys.readouterr().out
    folder = graph_file.parent
    for name in OUTPUTS:
        assert (folder / name).stat().st_size > 0, name
    assert "betweenness and closeness: exact" in printed and "Україна (State)" in printed
    report = json.loads((folder / "centrality.json").read_text(encoding="utf-8"))
    assert report["metadata"]["by_month"]["months"] == ["2024-03", "2024-04"]
    assert report["rows"][0]["actor"] == UKR
    ukraine = report["rows"][0]
    counts = tuple(ukraine[column] for column in ("cooperation_sent", "cooperation_received", "conflict_sent",
                                                  "conflict_received", "balance"))
    assert counts == (1, 2, 0, 1, 0.5)  # consults Poland; supported and aided; attacked by Russia
    header = next(csv.reader(io.StringIO((folder / "centrality.csv").read_text(encoding="utf-8"))))
    assert tuple(header) == ANALYSIS_COLUMNS
    assert (folder / "centrality_by_month.csv").read_text(encoding="utf-8").count("2024-04") >= 4
    assert (folder / "centrality.png").read_bytes().startswith(PNG_SIGNATURE)
    table = [line for line in printed.splitlines() if line[:4].strip().isdigit()]
    assert len(table) == 3


@pytest.mark.parametrize("files", [("graph.ttl",), ("graph.ttl", "analysis.ttl"), ("analysis.ttl",)])
def test_analyze_sparql_ranks_by_pagerank(graph_file, files):
    assert main(["analyze", "--graph", str(graph_file)]) == 0
    graph = Graph()
    for name in files:
        graph.parse(graph_file.parent / name)
    rows = list(graph.query(load("ranking")))
    report = json.loads((graph_file.parent / "centrality.json").read_text(encoding="utf-8"))
    assert {str(row.actor) for row in rows} == {row["actor"] for row in report["rows"]} and len(rows) == 8
    assert [float(row.pagerank) for row in rows] == sorted((float(row.pagerank) for row in rows), reverse=True)
    assert str(rows[0].actor) == UKR
    assert (rows[0].label is not None) == ("graph.ttl" in files)


def test_analyze_twice_keeps_one_figure_per_actor(graph_file):
    assert main(["analyze", "--graph", str(graph_file)]) == 0
    once = Graph().parse(graph_file)
    assert main(["analyze", "--graph", str(graph_file)]) == 0
    twice = Graph().parse(graph_file)
    assert len(once) == len(twice)
    assert len(list(twice.objects(URIRef(UKR), GKG.pagerank))) == 1


def test_analyze_out_folder(graph_file, tmp_path):
    out = tmp_path / "elsewhere"
    result = analyze(graph_file, out=out, top=2)
    assert all((out / name).exists() for name in OUTPUTS)
    assert result.paths["graph"] == graph_file


def test_analyze_seed_graph_conforms_after_write_back(tmp_path, seed_graph):
    from kg.validate import validate

    path = tmp_path / "graph.ttl"
    path.write_text(seed_graph.serialize(format="turtle"), encoding="utf-8")
    analyze(path)
    written = Graph().parse(path)
    assert validate(written)[0]
    assert len(set(written.subjects(GKG.pagerank))) == 19


def _write(path, content: bytes):
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda d: d / "missing.ttl",
        lambda d: d,
        lambda d: _write(d / "empty.ttl", b""),
        lambda d: _write(d / "blank.ttl", b"  \n\n"),
        lambda d: _write(d / "binary.ttl", bytes(range(256)) * 8),
        lambda d: _write(d / "news.ttl", "Японія надала Україні допомогу.".encode("utf-8")),
        lambda d: _write(d / "events.jsonl", b'{"id": "a", "text": "x"}\n'),
    ],
)
def test_analyze_bad_graph_one_line_error(tmp_path, capsys, make):
    path = make(tmp_path)
    assert main(["analyze", "--graph", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and str(path) in lines[0]


@pytest.mark.parametrize("top", ["0", "-3"])
def test_analyze_bad_top_one_line_error(graph_file, capsys, top):
    assert main(["analyze", "--graph", str(graph_file), "--top", top]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "--top" in lines[0]


@pytest.mark.parametrize("content", ["", "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n"])
def test_analyze_graph_without_actors_gives_empty_outputs(tmp_path, capsys, content):
    path = tmp_path / "graph.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\n" + content, encoding="utf-8")
    assert main(["analyze", "--graph", str(path)]) == 0
    assert "no actors" in capsys.readouterr().out
    assert (tmp_path / "centrality.csv").read_text(encoding="utf-8").count("\n") == 1
    assert json.loads((tmp_path / "centrality.json").read_text(encoding="utf-8"))["rows"] == []
    assert (tmp_path / "centrality.png").read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("named", [False, True])
def test_analyze_reads_an_oxigraph_store(tmp_path, news_graph, named):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    folder = tmp_path / "store"
    store = pyoxigraph.Store(str(folder))
    graph_name = pyoxigraph.NamedNode("https://w3id.org/geokg/id/graph/news") if named else None
    store.load(news_graph.serialize(format="nt").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES,
               to_graph=graph_name)
    store.flush()
    del store
    read = load_store(folder)
    assert len(read) == len(news_graph)
    result = analyze(store=folder, out=tmp_path / "out")
    assert result.report["rows"][0]["actor"] == UKR and "graph" not in result.paths
    assert (tmp_path / "out" / "analysis.ttl").exists()


@pytest.mark.parametrize(
    "make", [lambda d: d / "nothing", lambda d: _write(d / "file", b"x"), lambda d: (d / "empty").mkdir() or d / "empty"]
)
def test_analyze_store_missing_one_line_error(tmp_path, capsys, make):
    path = make(tmp_path)
    assert main(["analyze", "--store", str(path)]) == 4
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]


@pytest.mark.parametrize("exception", [InputError, StoreError])
def test_analyze_load_errors_are_geokg_errors(tmp_path, exception):
    with pytest.raises(exception):
        (load_graph if exception is InputError else load_store)(tmp_path / "missing")


def test_analyze_readme_shows_the_command_and_its_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Rank actors", 1)[1].split("\n## ", 1)[0]
    assert "kg analyze" in section
    for flag in ("--graph", "--store", "--top", "--out"):
        assert flag in section, flag
    assert "rank  pagerank  betweenness  eigenvector  closeness" in section


@pytest.mark.parametrize("module", [analyze_module])
def test_analyze_docstring_examples_run(module):
    failed, attempted = doctest.testmod(module)
    assert attempted > 0 and failed == 0


@pytest.mark.parametrize("rows", [[{"actor": UKR, "pagerank": 0.5}]])
def test_analyze_figures_graph_binds_prefixes(rows):
    graph = figures_graph(rows)
    assert dict(graph.namespaces())["gkg"] == URIRef(str(GKG._NS))
    assert len(bind_prefixes(Graph()) + graph) == 1


@pytest.mark.parametrize("command", [["analyze", "--help"]])
def test_analyze_help_has_an_example(capsys, command):
    with pytest.raises(SystemExit) as stopped:
        main(command)
    assert stopped.value.code == 0 and "example: kg build seeds --out output && kg analyze" in capsys.readouterr().out
