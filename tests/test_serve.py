"""kg serve as a user runs it: a real server process on free loopback ports, queried over HTTP, then stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import QueryError
from kg.query import run
from kg.serve import wait_until_answers
from tests.conftest import ROOT

GRAPH = ROOT / "tests" / "data" / "query_graph.ttl"
# three unrelated triple patterns: a few hundred million solutions to filter, far more than 2 s of work
SLOW_QUERY = ("SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
              "FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?i))) = 999999) }")
STARTUP = 90.0  # seconds: kg serve imports, reads the graph, draws the view and loads the store first


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for each in sockets:
        each.bind(("127.0.0.1", 0))
    ports = [each.getsockname()[1] for each in sockets]
    for each in sockets:
        each.close()
    return ports


def start_serve(*args: str) -> tuple[subprocess.Popen, int, int]:
    """This tree's ``kg serve`` (whatever the environment has installed) as a real process on two free loopback
    ports, with ``args``: the process, the endpoint's port and the graph view's."""
    port, view_port = free_ports(2)
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", *args, "--port", str(port), "--view-port", str(view_port)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    return process, port, view_port


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def sparql(endpoint: str, query: str) -> dict:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(endpoint, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_serve_endpoint_answers_queries_and_ctrl_c_stops_everything():
    process, port, view_port = start_serve("--graph", str(GRAPH), "--timeout", "2")
    endpoint, view = f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{view_port}/"
    try:
        assert wait_until_answers(endpoint + "?query=ASK%7B%7D", process, STARTUP), process.poll()
        assert wait_until_answers(view, process, STARTUP)
        servers = children(process.pid)
        assert len(servers) == 1

        answer = sparql(endpoint, "PREFIX gkg: <https://w3id.org/geokg/ontology#> "
                                  "SELECT ?s ?o WHERE { ?s gkg:sanction ?o }")
        assert [(row["s"]["value"], row["o"]["value"]) for row in answer["results"]["bindings"]] == [
            ("https://w3id.org/geokg/id/actor/pol", "https://w3id.org/geokg/id/actor/blr")]
        # the ontology is served with the graph: quad classes resolve
        conflict = run("conflict", {"a": "Poland", "b": "Belarus"}, store=endpoint)
        assert sorted(str(row[0]) for row in conflict["rows"]) == ["DISAPPROVE", "SANCTION", "THREATEN"]
        path = run("path", {"from": "Andrzej Duda", "to": "Lithuania"}, store=endpoint)  # a query per hop
        assert [str(row[3]) for row in path["rows"]] == ["holdsOfficeIn", "CONSULT"]
        assert run("actor", {"actor": '"} ; DROP ALL ; {"'}, store=endpoint)["rows"] == []

        with urllib.request.urlopen(view, timeout=10) as response:
            page = response.read().decode("utf-8")
        assert response.headers.get_content_type() == "text/html" and "Іван Петренко" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert "yasgui" in response.read().decode("utf-8").lower()  # the query page, served locally
        update = urllib.request.Request(f"http://127.0.0.1:{port}/update", data=b"update=DROP%20ALL")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code == 403
        assert run("aid", store=endpoint)["rows"]  # still all there
        started = time.monotonic()
        with pytest.raises(QueryError, match="stopped the query"):
            run(SLOW_QUERY, store=endpoint)
        assert time.monotonic() - started < 60
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"SPARQL endpoint: {endpoint}" in out and f"graph view:      {view}" in out
    assert "Traceback" not in err
    assert not any(alive(pid) for pid in servers)
    for url in (endpoint, view):
        with pytest.raises((urllib.error.URLError, OSError)):
            urllib.request.urlopen(url, timeout=2)


def test_serve_port_taken_is_a_one_line_error(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        view_port = free_ports(1)[0]
        assert main(["serve", "--graph", str(GRAPH), "--port", str(port), "--view-port", str(view_port)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"kg: error: 127.0.0.1:{port}: cannot listen there (Address already in use); "
                   f"pick other ports with --port / --view-port"]


@pytest.mark.parametrize("args, message", [
    (["--graph", "no/such/graph.ttl"], "no/such/graph.ttl: no such graph file"),
    (["--store", "no/such/store"], "no/such/store: no such store folder"),
    (["--port", "7000", "--view-port", "7000"], "two ports"),
    (["--port", "70000"], "not a port number"),
    (["--timeout", "0"], "at least one second"),
    (["--writable"], "--writable serves a store folder"),
])
def test_serve_bad_input_is_a_one_line_error(capsys, args, message):
    code = main(["serve", *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (2, 4) and len(err) == 1 and message in err[0]


def test_serve_other_host_warns(capsys, monkeypatch):
    import kg.serve

    def refuse(**kwargs):
        raise kg.serve.InputError("stop here")

    monkeypatch.setattr(kg.serve, "start", refuse)
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "kg: warning: listening on 0.0.0.0" in capsys.readouterr().err


def test_serve_leaves_no_temporary_store():
    """start then stop, in-process: the temporary folder goes."""
    import kg.serve

    port, view_port = free_ports(2)
    service = kg.serve.start(graph=GRAPH, port=port, view_port=view_port)
    folder = Path(service.workdir.name)
    assert (folder / "store").is_dir()
    kg.serve.stop(service)
    assert not folder.exists() and service.process.poll() is not None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_serve_writable_store_answers_queries_while_kg_ingest_writes_through_it(tmp_path, capsys):
    from tests.conftest import hand_items, write_news
    from tests.test_store import ingest_records, quads

    records = hand_items()
    news = write_news(tmp_path / "news.jsonl", records)
    store = tmp_path / "served"
    server, port, view_port = start_serve("--store", str(store), "--writable")
    base, view = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{view_port}/"
    try:
        assert wait_until_answers(base + "/query?query=ASK%7B%7D", server, STARTUP), server.poll()
        assert wait_until_answers(view, server, STARTUP)
        # the folder is the server's: a local reader or writer is sent to its URL
        for command in (["query", "edges", "--store", str(store)], ["ingest", str(news), "--store", str(store), "--jobs", "1"]):
            assert main(command) == 4
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and "served for writing by kg serve --writable" in err[0], err
        writer = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "ingest", str(news), "--store", base, "--jobs", "1", "--batch", "2"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        seen = []  # events the shipped query finds, one count per answer while kg ingest runs
        while writer.poll() is None:
            seen.append(len(run("edges", store=base + "/query")["rows"]))
        out, err = writer.communicate()
        assert writer.returncode == 0, err
        final = run("edges", store=base + "/query")["rows"]
    finally:
        server.send_signal(signal.SIGINT)
        served_out, served_err = server.communicate(timeout=60)
    assert server.returncode == 0 and "Traceback" not in served_err, served_err
    assert f"updates at {base}/update" in served_out
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] <= len(final), seen  # the graph grew meanwhile
    assert len(set(seen + [len(final)])) > 1, "no query ran while the items were written"
    ingest_records(tmp_path / "clean", records, tmp_path / "clean" / "store")
    assert quads(store) == quads(tmp_path / "clean" / "store")  # the server let go of the folder
