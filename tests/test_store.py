"""The persistent store: one named graph per item, idempotent and replacing writes, removal with the actors graph
kept right, the lock of a local store, and a real Oxigraph server as a remote store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import RDFS, SKOS

import kg.ingest as kg_ingest
import kg.store as kg_store
from kg.cli import main
from kg.errors import StoreError
from kg.ingest import ingest
from kg.items import read
from kg.namespace import GKD, GKG
from kg.queries import load
from kg.pipeline import process_all
from kg.rdf import to_graph
from kg.serve import oxigraph_command, wait_until_answers
from kg.sources import on_endpoint, open_store, store_graph, with_values
from kg.store import (
    ACTORS_GRAPH,
    INGEST_GRAPH,
    LocalStore,
    connect,
    counts,
    dataset,
    derive_actors,
    endpoints,
    has_item,
    ingested,
    item_graph,
    refresh_actors,
    remove_items,
    replace_items,
    union_graph,
)
from tests.conftest import ROOT, hand_items, write_news
from tests.test_serve import free_ports
from tests.virtuoso import virtuoso

# a minted organization named in two ways by two items, and a third item with other actors
MAN_A = {"id": "man-a", "text": "Компанія «Ман» уклала угоду з Японією."}
MAN_B = {"id": "man-b", "text": "Компанія МАН підтримала Україну."}
OTHER = {"id": "other", "text": "Литва засудила Росію."}
LEADER = {"id": "leader", "text": "Президент Польщі Анджей Дуда засудив Росію."}
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"  # ?g unbound: default


def ingest_records(folder: Path, records: list[dict], store, name: str = "news.jsonl", **options) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    return ingest([write_news(folder / name, records)], store, jobs=options.pop("jobs", 1), progress=False,
                  **options)


def quads(location) -> set[tuple]:
    store = connect(location)
    try:
        return set(store.query(ALL_QUADS)["rows"])
    finally:
        store.close()


def built_graph(folder: Path, records: list[dict]):
    return to_graph(process_all(read([write_news(folder / "built.jsonl", records)])))


@pytest.mark.parametrize("records", [hand_items()[:10] + [MAN_A, MAN_B, OTHER]])
def test_store_export_is_the_graph_kg_build_makes(tmp_path, records):
    ingest_records(tmp_path, records, tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    exported = union_graph(dataset(store))
    store.close()
    expected = built_graph(tmp_path, records)
    _, only_store, only_built = graph_diff(exported, expected)
    assert isomorphic(exported, expected), (sorted(only_store)[:5], sorted(only_built)[:5])


@pytest.mark.parametrize("jobs", [1])
def test_store_ingesting_again_changes_nothing(tmp_path, jobs):
    records = hand_items()[:12]
    first = ingest_records(tmp_path, records, tmp_path / "store", jobs=jobs)
    before = quads(tmp_path / "store")
    again = ingest_records(tmp_path, records, tmp_path / "store", jobs=jobs)
    assert (first["added"], again["added"], again["replaced"], again["unchanged"]) == (12, 0, 0, 12)
    assert quads(tmp_path / "store") == before


@pytest.mark.parametrize("records", [hand_items()[:12]])
def test_store_closed_after_ingest_keeps_no_write_ahead_log(tmp_path, records):
    summary = ingest_records(tmp_path, records, tmp_path / "store")
    files = [path for path in (tmp_path / "store").iterdir() if path.is_file()]
    assert sum(path.stat().st_size for path in files if path.suffix == ".log") == 0
    assert summary["store_bytes"] == sum(path.stat().st_size for path in files)
    assert counts(LocalStore(tmp_path / "store"))["items"] == len(records)


@pytest.mark.parametrize("changed", [{"id": "h00", "text": "Канада засудила Росію."}])
def test_store_changed_item_replaces_its_old_version(tmp_path, changed):
    records = hand_items()[:6]
    ingest_records(tmp_path, records, tmp_path / "store")
    new_records = [changed] + records[1:]
    summary = ingest_records(tmp_path, new_records, tmp_path / "store")
    assert (summary["replaced"], summary["unchanged"]) == (1, 5)
    ingest_records(tmp_path / "clean", new_records, tmp_path / "clean" / "store")
    assert quads(tmp_path / "store") == quads(tmp_path / "clean" / "store")


@pytest.mark.parametrize("removed", ["man-a", "man-b", "other"])
def test_store_remove_keeps_other_items_and_actor_labels_and_counts_right(tmp_path, removed):
    records = [MAN_A, MAN_B, OTHER]
    ingest_records(tmp_path, records, tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    try:
        assert remove_items(store, [removed, "no-such-item"]) == [removed]
        after = counts(store)
    finally:
        store.close()
    remaining = [record for record in records if record["id"] != removed]
    ingest_records(tmp_path / "clean", remaining, tmp_path / "clean" / "store")
    assert quads(tmp_path / "store") == quads(tmp_path / "clean" / "store")
    clean = LocalStore(tmp_path / "clean" / "store")
    try:
        assert after == counts(clean)
    finally:
        clean.close()


@pytest.mark.parametrize("labels", [("Б", "А")])
def test_store_actors_graph_keeps_one_label_per_language(tmp_path, labels):
    actor = GKD["actor/m-x"]
    store = LocalStore(tmp_path / "store")
    try:
        replace_items(store, [(f"i{n}", f"sha256:{n}", f'<{actor}> <{RDFS.label}> "{label}"@uk .\n')
                              for n, label in enumerate(labels)])
        refresh_actors(store)
        rows = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{ACTORS_GRAPH}> {{ <{actor}> ?p ?o }} }}")["rows"]
        assert set(rows) == {(RDFS.label, Literal("А", lang="uk")), (SKOS.altLabel, Literal("Б", lang="uk"))}
        remove_items(store, ["i1"])
        rows = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{ACTORS_GRAPH}> {{ <{actor}> ?p ?o }} }}")["rows"]
        assert set(rows) == {(RDFS.label, Literal("Б", lang="uk"))}
    finally:
        store.close()


@pytest.mark.parametrize("form, actor", [("мАн", "m-man"), ("японією", "jpn"), ("Q17", "jpn"), ("JPN", "jpn")])
def test_store_finds_actors_by_name_key_until_the_item_naming_them_goes(tmp_path, form, actor):
    """find-actor reads the lower-case keys each item writes for the names it gives an actor (gkg:nameKey): a
    form only one item uses finds the actor while that item is in the store, and nothing once it is removed."""
    ingest_records(tmp_path, [MAN_A, MAN_B, OTHER], tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    try:
        found = lambda: {str(row[0]) for row in store.query(  # noqa: E731
            with_values(load("find-actor"), {"name": Literal(form)}))["rows"]}
        assert found() == {str(GKD[f"actor/{actor}"])}
        remove_items(store, ["man-a", "man-b"])
        assert found() == set()
        assert store.query(f"ASK {{ GRAPH <{ACTORS_GRAPH}> {{ ?a <{GKG.nameKey}> {Literal(form.lower()).n3()} }} }}"
                           )["boolean"] is False
    finally:
        store.close()


@pytest.mark.parametrize("records", [[{"id": "a", "text": "Японія підтримала Україну."},
                                      {"id": "b", "text": "Україна провела переговори з Японією."}]])
def test_store_same_actor_gets_one_iri_whatever_item_names_it(tmp_path, records):
    ingest_records(tmp_path, records, tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    try:
        rows = store.query(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?event <https://w3id.org/geokg/ontology#source>
                               | <https://w3id.org/geokg/ontology#target> <{GKD['actor/jpn']}> }} }}""")["rows"]
        assert {row[0] for row in rows} == {item_graph("a"), item_graph("b")}
        assert counts(store)["actors"] == 2
        assert has_item(store, "a", ingested(store)["a"]) and not has_item(store, "a", "sha256:0")
    finally:
        store.close()


@pytest.mark.parametrize("query", ["centrality", "nodes", "leaders", "edges"])
def test_store_queries_give_each_row_once_as_on_the_built_graph(tmp_path, capsys, query):
    records = hand_items()[:12] + [MAN_A, MAN_B, OTHER, LEADER]
    news = write_news(tmp_path / "news.jsonl", records)
    assert main(["build", str(news), "--out", str(tmp_path / "out"), "--no-validate"]) == 0
    ingest([news], tmp_path / "store", jobs=1, progress=False)
    capsys.readouterr()
    assert main(["query", query, "--graph", str(tmp_path / "out" / "graph.ttl"), "--format", "csv"]) == 0
    on_file = capsys.readouterr().out.splitlines()
    assert main(["query", query, "--store", str(tmp_path / "store"), "--format", "csv"]) == 0
    on_store = capsys.readouterr().out.splitlines()
    assert sorted(on_store) == sorted(on_file) and len(on_file) > 1


def test_store_second_writer_stops_with_one_line(tmp_path, capsys):
    news = write_news(tmp_path / "news.jsonl", hand_items()[:2])
    holder = LocalStore(tmp_path / "store")
    try:
        assert main(["ingest", str(news), "--store", str(tmp_path / "store"), "--jobs", "1"]) == 4
    finally:
        holder.close()
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [f"kg: error: store {tmp_path / 'store'} is in use by another kg ingest (pid {os.getpid()}); "
                     f"wait for it or give --wait"]


def test_store_second_writer_waits_with_wait(tmp_path, capsys):
    news = write_news(tmp_path / "news.jsonl", hand_items()[:2])
    holder = LocalStore(tmp_path / "store")
    released = []

    def release():
        time.sleep(1.0)
        released.append(time.monotonic())
        holder.close()

    thread = threading.Thread(target=release)
    thread.start()
    assert main(["ingest", str(news), "--store", str(tmp_path / "store"), "--jobs", "1", "--wait"]) == 0
    finished = time.monotonic()
    thread.join()
    assert released and finished >= released[0]
    assert "items: 2 read, 2 added" in capsys.readouterr().out


def test_store_reader_is_refused_while_a_writer_holds_it(tmp_path):
    writer = LocalStore(tmp_path / "store")
    try:
        with pytest.raises(StoreError, match="is in use by another process"):
            open_store(tmp_path / "store")
    finally:
        writer.close()


@pytest.mark.parametrize("make, code", [
    (lambda d: write_news(d / "x.jsonl", [{"id": "a", "text": ""}]), 2),
    (lambda d: (d / "bin.txt").write_bytes(b"\x00\x01\x02") and d / "bin.txt", 2),
])
def test_store_ingest_bad_input_is_one_line(tmp_path, capsys, make, code):
    path = make(tmp_path)
    assert main(["ingest", str(path), "--store", str(tmp_path / "store"), "--jobs", "1"]) == code
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and str(path) in lines[0]


def test_store_unreachable_endpoint_is_one_line(tmp_path, capsys):
    news = write_news(tmp_path / "news.jsonl", hand_items()[:1])
    url = f"http://127.0.0.1:{free_ports(1)[0]}"
    assert main(["ingest", str(news), "--store", url, "--jobs", "1"]) == 4
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the SPARQL endpoint" in lines[0]


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real ``oxigraph serve`` on a free loopback port."""
    port = free_ports(1)[0]
    log = open(tmp_path / "oxigraph.log", "wb")
    process = subprocess.Popen(
        [oxigraph_command(), "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_until_answers(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process), "no server"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_store_remote_writers_converge_on_the_local_graph(tmp_path, oxigraph_server, capsys):
    records = hand_items()[:16] + [MAN_A, MAN_B]
    halves = [write_news(tmp_path / f"half{n}.jsonl", records[n::2]) for n in (0, 1)]
    writers = [subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", str(half), "--store", oxigraph_server,
                                 "--jobs", "1", "--batch", "3"], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
               for half in halves]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    ingest_records(tmp_path / "local", records, tmp_path / "local" / "store")
    assert quads(oxigraph_server) == quads(tmp_path / "local" / "store")
    assert main(["query", "conflict", "--param", "a=Японія", "--param", "b=Росія", "--store",
                 oxigraph_server + "/query", "--format", "csv"]) == 0
    assert "DISAPPROVE,3," in capsys.readouterr().out
    assert main(["remove", "man-a", "--store", oxigraph_server]) == 0
    assert item_graph("man-a") not in {row[0] for row in quads(oxigraph_server)}
    assert (GKD["actor/jpn"] in {row[1] for row in quads(oxigraph_server) if row[0] == ACTORS_GRAPH}) == any(
        "Японі" in record["text"] for record in records if record["id"] != "man-a")
    assert "man-a" not in ingested(connect(oxigraph_server))
    assert INGEST_GRAPH in {row[0] for row in quads(oxigraph_server)}



#: the named graph that stands for the default graph at a server whose default graph cannot be written
STAND_IN = str(GKD["graph/default"])


@pytest.fixture(params=["oxigraph", "virtuoso"])
def stand_in_server(request, tmp_path):
    """A real server given with ``?default-graph-uri=`` (see kg.store.RemoteStore): ``oxigraph serve``, whose
    default graph could be written, and Virtuoso, whose default graph is the union of all its graphs."""
    parameter = "?default-graph-uri=" + urllib.parse.quote(STAND_IN, safe="")
    if request.param == "oxigraph":
        yield request.getfixturevalue("oxigraph_server") + "/query" + parameter
    else:
        with virtuoso(tmp_path / "virtuoso") as endpoint:
            yield endpoint + parameter


def geokg_quads(url: str) -> set[tuple]:
    """The quads of geokg's graphs at ``url``'s server, those of the stand-in as default-graph quads (?g None),
    read without the URL's parameters (which would make the default graph the stand-in)."""
    rows = on_endpoint(endpoints(url)[0], f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
      FILTER(STRSTARTS(STR(?g), "{GKD['graph/']}")) }}""")["rows"]
    return {(None if str(g) == STAND_IN else g, s, p, o) for g, s, p, o in rows}


def test_store_remote_with_a_stand_in_default_graph_holds_the_local_graph(tmp_path, stand_in_server, capsys):
    records = hand_items()[:10] + [MAN_A, MAN_B]
    news = write_news(tmp_path / "news.jsonl", records)
    assert main(["ingest", str(news), "--store", stand_in_server, "--jobs", "1", "--batch", "3"]) == 0
    local = tmp_path / "local" / "store"
    ingest_records(tmp_path / "local", records, local)
    assert geokg_quads(stand_in_server) == quads(local)
    queried = tmp_path / "queried"  # kg query keeps its read lock on a folder till the process ends
    shutil.copytree(local, queried)
    capsys.readouterr()
    assert main(["ingest", str(news), "--store", stand_in_server, "--jobs", "1", "--no-progress"]) == 0
    assert f"0 added, 0 replaced, {len(records)} unchanged" in capsys.readouterr().out
    # (the shipped queries that Virtuoso 7.2 answers otherwise are listed in the README: centrality and nodes
    # pick another of an actor's labels; conflict and path can lose IRIs bound by VALUES)
    for name, params in [("items", []), ("actor", ["actor=МАН"]), ("edges", [])]:
        answers = []
        for store in (stand_in_server, str(queried)):
            assert main(["query", name, "--store", store, "--format", "csv",
                         *[option for param in params for option in ("--param", param)]]) == 0
            answers.append(capsys.readouterr().out)
        assert answers[0] == answers[1] and answers[0].count("\n") > 1, name
    for store, out in ((stand_in_server, "remote"), (str(queried), "local")):
        assert main(["analyze", "--store", store, "--out", str(tmp_path / out)]) == 0
    assert (tmp_path / "remote" / "centrality.csv").read_text() == (tmp_path / "local" / "centrality.csv").read_text()
    assert set(store_graph(stand_in_server)) == set(store_graph(queried))  # what kg analyze reads, whole
    # a copy of an item's triples in a graph that is not geokg's does not keep them in the default graph
    remote = connect(stand_in_server)
    remote.update(f"INSERT {{ GRAPH <urn:example:copy> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{item_graph('man-a')}> "
                  f"{{ ?s ?p ?o }} }}")
    for store in (stand_in_server, str(local)):
        assert main(["remove", "man-a", "--store", store]) == 0
    assert geokg_quads(stand_in_server) == quads(local)
    # nor does another item there count as geokg's
    remote.update(f"INSERT DATA {{ GRAPH <urn:example:copy> {{ <urn:example:item> a <{GKG.NewsItem}> }} }}")
    held = LocalStore(local)
    try:
        assert counts(remote, quads=True) == counts(held, quads=True)
    finally:
        held.close()
    capsys.readouterr()
    assert main(["query", "items", "--store", stand_in_server, "--format", "csv"]) == 0
    listed = capsys.readouterr().out
    assert ",man-b," in listed and ",man-a," not in listed
    # the last items out: no actor is left to derive (Virtuoso refuses an empty INSERT DATA)
    rest = [record["id"] for record in records if record["id"] != "man-a"]
    for store in (stand_in_server, str(local)):
        assert main(["remove", *rest, "--store", store]) == 0
    assert geokg_quads(stand_in_server) == quads(local)
    assert not {row for row in geokg_quads(stand_in_server) if row[0] == ACTORS_GRAPH}


def test_store_virtuoso_answer_cut_short_is_an_error_not_a_smaller_graph(tmp_path, capsys):
    """Virtuoso cuts an answer at its ResultSetMaxRows (10,000 in Debian's configuration) and says so only in a
    header: reading the item graphs' actors from a cut answer would derive a wrong actors graph, silently."""
    news = write_news(tmp_path / "news.jsonl", hand_items()[:12])
    with virtuoso(tmp_path / "virtuoso", max_rows=10) as endpoint:
        url = endpoint + "?default-graph-uri=" + urllib.parse.quote(STAND_IN, safe="")
        assert main(["ingest", str(news), "--store", url, "--jobs", "1"]) == 4
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "answered 10 rows, the most it gives" in lines[0] and "ResultSetMaxRows" in lines[0]


@pytest.mark.parametrize("graph, says", [
    ("", "not an absolute IRI"), ("%01x:y", "not an absolute IRI"), ("relative/name", "not an absolute IRI"),
    ("https://example.org/a#b", "%23 for #"),
    (urllib.parse.quote(str(ACTORS_GRAPH), safe=""), "one of geokg's own graphs"),
    (urllib.parse.quote(item_graph("a1"), safe=""), "one of geokg's own graphs"),
])
def test_store_stand_in_default_graph_must_be_another_absolute_iri(tmp_path, capsys, graph, says):
    news = write_news(tmp_path / "news.jsonl", hand_items()[:1])
    url = f"http://127.0.0.1:{free_ports(1)[0]}/query?default-graph-uri={graph}"
    for command in (["ingest", str(news)], ["remove", "a1"], ["query", "items"], ["analyze"]):
        assert main([*command, "--store", url]) == 4, command
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and says in lines[0], (command, lines)


@pytest.mark.parametrize("records", [hand_items()[:6] + [MAN_A, MAN_B]])
def test_store_build_with_store_writes_the_same_graph_and_the_named_graphs(tmp_path, capsys, records):
    from rdflib import Dataset, Graph

    news = write_news(tmp_path / "news.jsonl", records)
    assert main(["build", str(news), "--out", str(tmp_path / "plain"), "--no-validate"]) == 0
    assert main(["build", str(news), "--out", str(tmp_path / "stored"), "--no-validate",
                 "--store", str(tmp_path / "store")]) == 0
    assert f"wrote {tmp_path / 'stored' / 'graph.trig'}" in capsys.readouterr().out
    plain = Graph().parse(tmp_path / "plain" / "graph.ttl")
    assert isomorphic(Graph().parse(tmp_path / "stored" / "graph.ttl"), plain)
    named = Dataset().parse(tmp_path / "stored" / "graph.trig", format="trig")
    graphs = {graph.identifier for graph in named.graphs() if len(graph)}
    assert graphs == {item_graph(record["id"]) for record in records} | {ACTORS_GRAPH}
    assert (tmp_path / "plain" / "events.jsonl").read_text() == (tmp_path / "stored" / "events.jsonl").read_text()


def test_store_extractor_fingerprint_covers_every_module_the_pipeline_imports():
    from kg.store import EXTRACTOR_MODULES

    imported = subprocess.run(
        [sys.executable, "-c", "import sys, kg.pipeline, kg.rdf, kg.items; "
                               "print(' '.join(n for n in sys.modules if n.startswith('kg.')))"],
        cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    modules = {name.removeprefix("kg.").replace(".", "/") for name in imported.split()}
    modules = {"lexicon/__init__" if name == "lexicon" else name for name in modules} - {"errors"}
    assert modules <= set(EXTRACTOR_MODULES), modules - set(EXTRACTOR_MODULES)


@pytest.mark.parametrize("records", [hand_items()[:8] + [MAN_A, MAN_B]])
def test_store_new_items_added_without_retracting_give_the_same_quads(tmp_path, records):
    """The local store's fast path (Store.extend, no SPARQL) writes exactly what the update writes."""
    from kg.rdf import item_triples
    from kg.store import ingest_hash, ntriples

    docs = list(process_all(read([write_news(tmp_path / "news.jsonl", records)])))
    items = [(doc.item.id, ingest_hash(doc.item), ntriples(item_triples(doc))) for doc in docs]
    for name, new in (("fast", True), ("update", False)):
        store = LocalStore(tmp_path / name)
        try:
            replace_items(store, items[:5], new=new)
            replace_items(store, items[5:], new=new)
        finally:
            store.close()
    assert quads(tmp_path / "fast") == quads(tmp_path / "update")
    assert len(quads(tmp_path / "fast")) > 100


def test_store_fast_path_refuses_broken_triples_whole(tmp_path):
    store = LocalStore(tmp_path / "store")
    try:
        with pytest.raises(StoreError, match="item bad is not valid N-Triples"):
            replace_items(store, [("good", "sha256:1", f'<{GKD["a"]}> <{RDFS.label}> "a" .\n'),
                                  ("bad", "sha256:2", "<broken\n")], new=True)
        assert ingested(store) == {}  # nothing of the batch was written
    finally:
        store.close()


def test_store_ingest_flushes_the_store_every_so_many_items(tmp_path, monkeypatch):
    import kg.ingest

    flushes = []
    monkeypatch.setattr(kg.ingest, "FLUSH_EVERY", 3)
    monkeypatch.setattr(LocalStore, "flush", lambda self: flushes.append(self.location))
    ingest_records(tmp_path, hand_items()[:7], tmp_path / "store")
    assert len(flushes) == 2  # after the 3rd and the 6th item


def _actors_graph(location) -> set[tuple]:
    store = connect(location)
    try:
        return set(store.query(f"SELECT ?a ?p ?o WHERE {{ GRAPH <{ACTORS_GRAPH}> {{ ?a ?p ?o }} }}")["rows"])
    finally:
        store.close()


def _fully_derived(location) -> set[tuple]:
    """The actors graph of the store at ``location`` after deriving every actor from every item graph."""
    store = LocalStore(location)
    try:
        refresh_actors(store)
    finally:
        store.close()
    return _actors_graph(location)


def _man_as_fully_derived(location) -> set[tuple[str, str]]:
    """What the actors graph of the store at ``location`` says of МАН, (predicate, object) as text, once it is
    found to be what deriving every actor from every item graph gives."""
    derived = _actors_graph(location)
    assert _fully_derived(location) == derived
    return {(str(p), str(o)) for a, p, o in derived if str(a) == str(GKD["actor/m-man"])}


@pytest.mark.parametrize("first, added", [
    ([MAN_A, OTHER, LEADER], [MAN_B, {"id": "new", "text": "Канада засудила Японію."}]),  # a lesser label: МАН < Ман
    ([MAN_B, OTHER, LEADER], [MAN_A]),  # a greater one
])
def test_store_actors_of_new_items_derived_from_the_default_graph_equal_a_full_derivation(tmp_path, monkeypatch,
                                                                                         first, added):
    """New items only (fewer than the stored ones): the actors they name are derived from the default graph (the
    union of the item graphs), which gives what deriving every actor from every item graph gives, labels and
    forms included."""
    ingest_records(tmp_path, first, tmp_path / "store")
    calls = []
    monkeypatch.setattr(kg_store, "derive_actors", lambda store, actors: (
        calls.append(sorted(actors)), derive_actors(store, actors)))
    real = kg_store.refresh_actors
    monkeypatch.setattr(kg_ingest, "refresh_actors", lambda store, actors=None: real(store, actors) if actors
                        else pytest.fail("derived every actor"))
    ingest_records(tmp_path / "second", added, tmp_path / "store")
    assert len(calls) == 1 and str(GKD["actor/m-man"]) in calls[0]
    man = _man_as_fully_derived(tmp_path / "store")
    assert (str(RDFS.label), "МАН") in man and (str(SKOS.altLabel), "Ман") in man


@pytest.mark.parametrize("removed, label", [("man-a", "МАН"), ("man-b", "Ман")])
def test_store_actors_after_a_removal_equal_a_full_derivation(tmp_path, removed, label):
    """Removing the item that gave an actor its least label gives it the next one; what the removal derives
    for the actors the item named is what deriving every actor gives; the note that the actors graph lags is
    gone once it is derived."""
    ingest_records(tmp_path, [MAN_A, MAN_B, OTHER, LEADER], tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    try:
        assert remove_items(store, [removed, "no such item"]) == [removed]
        assert not kg_store.pending(store)
    finally:
        store.close()
    man = _man_as_fully_derived(tmp_path / "store")
    assert (str(RDFS.label), label) in man


def test_store_removal_killed_before_its_derivation_is_derived_by_the_next(tmp_path, monkeypatch):
    """A kg remove killed after its items left and before their actors were derived leaves its note: the next
    removal derives the whole actors graph and clears it."""
    ingest_records(tmp_path, [MAN_A, MAN_B, OTHER, LEADER], tmp_path / "store")

    def killed(*args):
        raise KeyboardInterrupt

    store = LocalStore(tmp_path / "store")
    try:
        with monkeypatch.context() as patch:
            patch.setattr(kg_store, "refresh_actors", killed)
            with pytest.raises(KeyboardInterrupt):
                remove_items(store, ["man-b"])
        assert kg_store.pending(store)
        assert remove_items(store, ["leader"]) == ["leader"]
        assert not kg_store.pending(store)
    finally:
        store.close()
    man = _man_as_fully_derived(tmp_path / "store")
    assert (str(RDFS.label), "Ман") in man


def test_store_actors_derived_from_the_default_graph_take_only_what_an_item_graph_holds(tmp_path):
    """A triple written into the default graph by hand (a SPARQL update through a served store) is no item's: the
    derivation of the actors an ingest touches leaves it out, as the derivation from every item graph does."""
    ingest_records(tmp_path, [MAN_B, OTHER, LEADER], tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    try:
        man, japan = GKD["actor/m-man"], GKD["actor/jpn"]
        store.update(f'INSERT DATA {{ <{man}> <{RDFS.label}> "Ааа"@uk ; <{GKG.country}> <{japan}> }}')
    finally:
        store.close()
    ingest_records(tmp_path / "second", [MAN_A], tmp_path / "store")
    man = _man_as_fully_derived(tmp_path / "store")
    assert (str(RDFS.label), "МАН") in man and not any(o in ("Ааа", str(GKD["actor/jpn"])) for _, o in man)


@pytest.mark.parametrize("then", ["ingest", "remove"])
def test_store_actors_of_a_writer_that_died_before_deriving_them_are_derived_by_the_next(tmp_path, monkeypatch,
                                                                                        then):
    """A writer killed after its items and before their actors leaves a note in the store (a writer that ends
    leaves none): the next ingest, even of new items only, or removal derives the whole actors graph (what
    deriving every actor gives) and clears the note."""
    ingest_records(tmp_path, [OTHER, LEADER], tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    try:
        assert not kg_store.pending(store)
    finally:
        store.close()

    def killed(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(kg_ingest, "refresh_actors", killed)
        with pytest.raises(KeyboardInterrupt):
            ingest([write_news(tmp_path / "dead.jsonl", [MAN_A])], tmp_path / "store", jobs=1, progress=False)
    store = LocalStore(tmp_path / "store")
    try:
        assert kg_store.pending(store)
        if then == "remove":
            assert remove_items(store, ["other"]) == ["other"]
    finally:
        store.close()
    if then == "ingest":
        ingest_records(tmp_path / "next", [MAN_B], tmp_path / "store")
    derived = _actors_graph(tmp_path / "store")
    store = LocalStore(tmp_path / "store")
    try:
        assert not kg_store.pending(store)
    finally:
        store.close()
    assert _fully_derived(tmp_path / "store") == derived
    assert any(str(a).endswith("/m-man") for a, _, _ in derived)


def test_store_actors_derived_for_touched_actors_equal_a_full_derivation(tmp_path):
    """A second ingest derives only the actors its items describe (and the replaced item described): the
    result is what deriving every actor gives."""
    ingest_records(tmp_path, [MAN_A, OTHER, LEADER], tmp_path / "store")
    changed = {"id": "other", "text": "Канада засудила Японію."}  # Lithuania and Russia leave this item
    calls = []
    real = kg_store.refresh_actors
    try:
        kg_ingest.refresh_actors = lambda store, actors=None: (calls.append(actors), real(store, actors))
        ingest_records(tmp_path / "second", [MAN_B, changed], tmp_path / "store")
    finally:
        kg_ingest.refresh_actors = real
    assert calls and calls[0] is not None and str(GKD["actor/ltu"]) in calls[0]
    incremental = _actors_graph(tmp_path / "store")
    assert _fully_derived(tmp_path / "store") == incremental
    assert not any(str(a) == str(GKD["actor/ltu"]) for a, _, _ in incremental)  # named by no item now
