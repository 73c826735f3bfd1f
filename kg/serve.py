"""``kg serve``: a read-only SPARQL endpoint with its query page, and the graph view, on loopback ports.

The endpoint and page are the Oxigraph server (the ``oxigraph`` package from PyPI, whose page, YASGUI, ships
inside it and works offline), run as ``oxigraph serve-read-only --location DIR --bind HOST:PORT --timeout-s N``.
:func:`start` loads the graph file with the ontology into a store in a temporary folder (or serves a given
store folder as it is), starts that child process, serves the graph view from a thread on a second port and
returns a :class:`Service`; :func:`stop` ends both and removes the temporary folder. Nothing here prints.

With ``writable=True`` (``kg serve --store DIR --writable``) the server is ``oxigraph serve``, which also takes
SPARQL updates at ``/update``: the one process that owns the store. It holds the store's writer lock
(:func:`kg.store.lock`) until it stops, so ``kg ingest`` writes through its URL while ``kg query`` reads
through it, each request one transaction on the server; nothing opens the folder beside it. The graph view then
shows the store as it was when the server started.

The timeout is Oxigraph's ``--timeout-s``: it cancels a query while the query produces solutions; Oxigraph
0.5 does not check it inside an aggregate, so a ``COUNT`` over a huge cross product can run past it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError, StoreError
from kg.sources import load_graph, store_graph
from kg.store import lock

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30  # seconds a query may run
LOOPBACK = "127.0.0.1"
READY_WITHIN = 30.0  # seconds the server has to answer its first query


@dataclass
class Service:
    """A running ``kg serve``: the URLs it offers and what to stop."""

    endpoint: str
    page: str
    view: str
    process: subprocess.Popen
    viewer: ThreadingHTTPServer
    workdir: tempfile.TemporaryDirectory
    threads: list[threading.Thread] = field(default_factory=list)
    held: object | None = None  # a writable server's lock on its store folder


def start(graph: str | Path | None = None, store: str | Path | None = None, host: str = LOOPBACK,
          port: int = DEFAULT_PORT, view_port: int | None = None, timeout: int = DEFAULT_TIMEOUT,
          notices: list[str] | None = None, writable: bool = False) -> Service:
    """Serve the RDF file ``graph`` (default ``output/graph.ttl``), or the Oxigraph store folder ``store``:
    the SPARQL endpoint and query page on ``host:port``, the graph view on ``host:view_port`` (default
    ``port + 1``). Returns once the endpoint answers. ``writable`` (a store only; the folder is created when
    missing) also takes updates at ``/update`` and holds the store's writer lock until :func:`stop`.

    A port that cannot be listened on raises :class:`kg.errors.InputError`; a server that cannot start, or a
    store another process has open, :class:`kg.errors.StoreError`.
    """
    view_port = port + 1 if view_port is None else view_port
    for number in (port, view_port):
        if not 0 < number < 65536:
            raise InputError(f"port {number}: not a port number (1-65535)")
    if timeout < 1:
        raise InputError(f"--timeout {timeout}: a query needs at least one second")
    if port == view_port:
        raise InputError(f"the endpoint and the graph view need two ports, not {port} twice")
    if writable and store is None:
        raise InputError("--writable serves a store folder: give --store PATH")
    command = oxigraph_command()
    held = lock(store, exclusive=True, command="kg serve --writable") if writable else None
    try:
        # a writable store is read through its server once that runs: this process may not open it beside it
        rdf = None if writable else store_graph(store) if store is not None else load_graph(graph, notices)
        workdir = tempfile.TemporaryDirectory(prefix="kg-serve-")
    except BaseException:
        if held is not None:
            held.close()
        raise
    try:
        location = str(store) if store is not None else _load(command, rdf, Path(workdir.name))
        viewer = _listen(host, view_port)
    except BaseException:
        workdir.cleanup()
        if held is not None:
            held.close()
        raise
    try:
        _check_free(host, port)
        log = open(Path(workdir.name) / "oxigraph.log", "wb")
        with log:
            process = subprocess.Popen(
                [command, "serve" if writable else "serve-read-only", "--location", location,
                 "--bind", f"{_host(host)}:{port}", "--timeout-s", str(timeout)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    except BaseException:
        viewer.server_close()
        workdir.cleanup()
        if held is not None:
            held.close()
        raise
    base = f"http://{_host(host)}:{port}"
    service = Service(endpoint=f"{base}/query", page=f"{base}/", view=f"http://{_host(host)}:{view_port}/",
                      process=process, viewer=viewer, workdir=workdir, held=held)
    try:
        _wait_ready(service)
        viewer.page = _view_page(rdf if rdf is not None else store_graph(service.endpoint)).encode("utf-8")
        thread = threading.Thread(target=viewer.serve_forever, name="kg-serve-view", daemon=True)
        thread.start()
        service.threads.append(thread)
    except BaseException:
        stop(service)
        raise
    return service


def wait(service: Service) -> None:
    """Block until the Oxigraph server ends; :class:`kg.errors.StoreError` if it ends by itself with an error
    (ended by a signal, as Ctrl-C in a terminal does, it ends quietly)."""
    code = service.process.wait()
    if code > 0 and code != 130:
        raise StoreError(f"the Oxigraph server stopped with exit code {code}: {_last_log_line(service)}")


def stop(service: Service) -> None:
    """End the Oxigraph server and the graph view, and remove the temporary store."""
    if service.process.poll() is None:
        service.process.terminate()
        try:
            service.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()
    if service.threads:
        service.viewer.shutdown()
    service.viewer.server_close()
    for thread in service.threads:
        thread.join(timeout=10)
    service.workdir.cleanup()
    if service.held is not None:
        service.held.close()


def oxigraph_command() -> str:
    """The ``oxigraph`` server program: beside this Python (a virtual environment's ``bin``), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise StoreError("the Oxigraph server is not installed (pip install oxigraph)")
    return found


def _view_page(rdf: Graph) -> str:
    """The graph view of the served graph, drawn as ``kg build`` draws ``graph.html``."""
    from kg.analytics import centrality_rows
    from kg.project import project
    from kg.view import render_html

    actors = project(rdf)
    return render_html(actors, centrality_rows(actors))


def _load(command: str, rdf: Graph, workdir: Path) -> str:
    """A new store in ``workdir`` holding ``rdf``, loaded by the server program itself; returns its folder."""
    triples = workdir / "graph.nt"
    rdf.serialize(triples, format="nt", encoding="utf-8")
    location = workdir / "store"
    loaded = subprocess.run([command, "load", "--location", str(location), "--file", str(triples)],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if loaded.returncode != 0:
        lines = (loaded.stderr or loaded.stdout).strip().splitlines()
        raise StoreError(f"oxigraph load failed: {lines[-1] if lines else loaded.returncode}")
    return str(location)


class _ViewHandler(BaseHTTPRequestHandler):
    """Serves the server's page at ``/`` and ``/graph.html``; everything else is 404."""

    def do_GET(self):
        self._answer(send_body=True)

    def do_HEAD(self):
        self._answer(send_body=False)

    def _answer(self, send_body: bool):
        found = self.path.split("?", 1)[0] in ("/", "/graph.html")
        body = self.server.page if found else b"not found\n"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8" if found else "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format, *args):  # no access log on the terminal
        pass


class _ViewServer(ThreadingHTTPServer):
    daemon_threads = True
    page = b""  # the graph view, set before the server serves

    def handle_error(self, request, client_address):
        """A browser or probe that hangs up mid-answer is no error worth a traceback on the terminal."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _listen(host: str, port: int) -> ThreadingHTTPServer:
    server_class = _IPv6Server if ":" in host else _ViewServer
    try:
        return server_class((host, port), _ViewHandler)
    except OSError as error:
        raise InputError(f"{_host(host)}:{port}: cannot listen there ({error.strerror or error}); "
                         f"pick other ports with --port / --view-port") from error


class _IPv6Server(_ViewServer):
    address_family = socket.AF_INET6


def _check_free(host: str, port: int) -> None:
    """Refuse a port another program listens on, before the server would fail on it less clearly."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: only a listener blocks
        try:
            probe.bind((host, port))
        except OSError as error:
            raise InputError(f"{_host(host)}:{port}: cannot listen there ({error.strerror or error}); "
                             f"pick other ports with --port / --view-port") from error


def wait_until_answers(url: str, process: subprocess.Popen, within: float = READY_WITHIN) -> bool:
    """True once ``url`` answers a GET; False as soon as ``process`` has ended, or when ``within`` seconds pass."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    return False


def _wait_ready(service: Service) -> None:
    if not wait_until_answers(service.endpoint + "?query=ASK%7B%7D", service.process):
        if service.process.poll() is not None:
            raise StoreError(f"the Oxigraph server did not start: {_last_log_line(service)}")
        raise StoreError(f"the Oxigraph server did not answer within {READY_WITHIN:.0f} s")


def _last_log_line(service: Service) -> str:
    try:
        lines = (Path(service.workdir.name) / "oxigraph.log").read_text(errors="replace").strip().splitlines()
    except OSError:
        lines = []
    return lines[-1] if lines else "no message"


def _host(host: str) -> str:
    """A host as URLs and ``--bind`` write it: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
