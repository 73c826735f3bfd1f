"""The shipped queries on an Oxigraph store (issue 5): each one's latency with Oxigraph, where that time goes, and
the same query with rdflib's in-memory Graph holding the same triples.

    python bench/query_bench.py STORE [--repeat 10] [--rdflib-limit 60] [--only NAME ...] [--baseline DIR]

STORE is a folder ``kg ingest`` wrote (opened read-only). For each query (``kg query --list``, parameters as in
:data:`PARAMS`, and once more for each set of :data:`MORE_PARAMS`) it prints the rows it returns (those ``kg
query`` prints) and how many SPARQL queries that takes (one, but for a query whose header names a ``then`` step:
``path`` asks for the neighbours of each hop's frontier, then for the chain's links; ``events-by-date`` for the
dates in the range, then for their events), then the median and p90 of ``--repeat`` runs after a warm-up:

- ``oxigraph``: the whole call as ``kg query`` makes it (:func:`kg.query.run_on` with :func:`kg.sources.on_store`:
  binding, engine, rdflib terms, the ``then`` step);
- ``engine``: ``store.query`` alone (:func:`kg.sources.store_results`) on each of those queries as
  :func:`kg.sources.on_store` gives it to the engine (without a closing ORDER BY that Python sorts by), every
  solution read as a tuple of pyoxigraph terms; ``python`` is the median of the first minus the median of this:
  sorting, turning the results into rdflib terms and what ``kg.query`` does around the engine;
- ``rdflib``: the same call on an rdflib Graph of the store's default graph (the triples the queries read,
  exported as N-Triples; its load time and memory printed). A query rdflib has not finished after
  ``--rdflib-limit`` seconds is stopped and shown as more than that; ``--rdflib-limit 0`` leaves rdflib out;
- ``ratio``: rdflib's median over Oxigraph's.

With ``--baseline DIR`` (another checkout of geokg, e.g. the main branch), each query of ``DIR/kg/queries`` is
timed through the engine as it is (Oxigraph sorting, as ``kg query`` did before it sorted in Python), next to
this one's, and its rows (in Oxigraph's order) compared with what :func:`kg.sources.on_store` gives for this
one's (``same``: the same rows in the same order; ``same set``: the same rows, ties ordered otherwise); rdflib
runs the baseline's text too (a text written for Oxigraph may be slower on rdflib), and the last ratio is
Oxigraph's median against the faster of the two rdflib medians. A query with a ``then`` step is not compared (the
baseline's step is not the one this checkout runs).

With ``--endpoint URL``, each query also runs through :func:`kg.sources.on_endpoint` at a SPARQL endpoint holding
the same data (``endpoint ms``: the whole call, HTTP and JSON included), and its rows are compared with the store's
(``same``, ``same set``, ``DIFFERENT``, or the error). To time Virtuoso on a store's default graph (the triples the
queries read), dump it and load it with Virtuoso's bulk loader into a graph of its own, then give that graph as the
default one::

    python -c "import sys, pyoxigraph as ox; ox.Store.read_only(sys.argv[1]).dump(sys.argv[2], \\
        format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())" STORE /data/load/default.nt
    isql-vt 1111 dba dba exec="ld_dir('/data/load', 'default.nt', 'urn:x:default'); rdf_loader_run(); checkpoint;"
    python bench/query_bench.py STORE --endpoint 'http://127.0.0.1:8890/sparql?default-graph-uri=urn:x:default'

(``/data/load`` must be among the ``DirsAllowed`` of ``virtuoso.ini``, and its ``ResultSetMaxRows`` above the
largest answer: 10,000 by default.) The counting queries of ``bench/aggregates/`` are then timed too, each engine
alone (Oxigraph's solutions read, the endpoint's answer parsed as kg parses it), since counting is where Virtuoso
is strong.

Targets (issue 5): under 100 ms median, and at least 20x faster than rdflib.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ingest_bench import ROOT, tree_rss

sys.path.insert(0, str(ROOT))

from kg.queries import catalogue, describe, load  # noqa: E402
from kg.query import bind, run_on  # noqa: E402
from kg.sources import closing_order, on_endpoint, on_graph, on_store, store_results, store_rows  # noqa: E402

#: parameters for the queries that take some: actors every Ukrainian news corpus names, and a wide date range
PARAMS = {"actor": {"actor": "gkd:actor/ukr"}, "conflict": {"a": "gkd:actor/rus", "b": "gkd:actor/ukr"},
          "path": {"from": "gkd:actor/rus", "to": "gkd:actor/pol"},
          "events-by-date": {"from": "1900-01-01", "to": "2030-12-31"}, "find-actor": {"name": "Україна"}}
#: more parameters for a query, each timed on a line of its own: a month, as a reader of the news asks (March 2014,
#: which the NER-UK texts date events in, with days and days without a year)
MORE_PARAMS = {"events-by-date": [("a month", {"from": "2014-03-01", "to": "2014-03-31"})]}


class OutOfTime(BaseException):
    """Raised by SIGALRM inside an rdflib query (a BaseException, so rdflib's handlers let it through)."""


def _out_of_time(signum, frame):
    raise OutOfTime


def latencies(run, repeat: int, limit: float | None = None) -> list[float] | None:
    """Seconds of each of ``repeat`` calls of ``run()`` after a warm-up (one call only when that takes over a
    second); None when a call passes ``limit`` seconds."""
    times = []
    for _ in range(repeat + 1):
        if limit:
            signal.alarm(int(limit))
        started = time.perf_counter()
        try:
            run()
        except OutOfTime:
            return None
        finally:
            signal.alarm(0)
        times.append(time.perf_counter() - started)
        if times[0] > 1.0:
            return times
    return times[1:]


def figures(times: list[float] | None, limit: float) -> tuple[str, float]:
    """``"median p90"`` in milliseconds, and the median in seconds (``limit`` when the run was stopped)."""
    if times is None:
        return f"> {limit:.0f} s", limit
    median = statistics.median(times)
    p90 = sorted(times)[max(0, round(0.9 * len(times)) - 1)]
    return f"{median * 1000:8.1f} {p90 * 1000:8.1f}", median


def rss_now() -> int:
    return tree_rss(os.getpid())


def engine_rows(store, text: str, bindings: dict) -> list[tuple]:
    """Every solution of ``text`` on ``store`` as a tuple of pyoxigraph terms (None where unbound)."""
    return [tuple(solution) for solution in store_results(store, text, bindings)]


def engine_text(text: str) -> str:
    """The text :func:`kg.sources.on_store` gives the engine for ``text``."""
    order = closing_order(text)
    return text if order is None else order.text


def rdflib_graph(store, folder: Path):
    """The store's default graph as an rdflib Graph (printing its load time and memory)."""
    import pyoxigraph
    from rdflib import Graph

    exported = folder / "default.nt"
    store.dump(str(exported), format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    before, started = rss_now(), time.perf_counter()
    graph = Graph().parse(exported, format="nt")
    print(f"rdflib: {len(graph)} triples (the store's default graph) loaded in {time.perf_counter() - started:.0f} s, "
          f"{(rss_now() - before) / 1e6:.0f} MB more resident memory")
    exported.unlink()
    return graph


def compare(location: Path, folder: Path, repeat: int, limit: float, only: list[str] | None = None,
            baseline: Path | None = None, endpoint: str | None = None) -> None:
    """Print the table described at the top of this file for the store folder ``location``."""
    import pyoxigraph

    signal.signal(signal.SIGALRM, _out_of_time)
    print("load average at the start: " + " ".join(f"{load:.1f}" for load in os.getloadavg()))
    store = pyoxigraph.Store.read_only(str(location))
    graph = rdflib_graph(store, folder) if limit else None
    oxigraph = lambda text, bindings: on_store(store, text, bindings)  # noqa: E731
    rdflib = lambda text, bindings: on_graph(graph, text, bindings)  # noqa: E731
    head = (f"{'query':<26} {'rows':>6} {'queries':>7}  {'oxigraph ms: median  p90':>25}  {'engine':>8} {'python':>8}  "
            f"{'rdflib ms: median  p90':>23}  ratio")
    if baseline is not None:
        head += f"  {'baseline engine':>15}  rows"
        if graph is not None:
            head += f"  {'rdflib, baseline text':>23}  ratio to the faster rdflib"
    if endpoint is not None:
        head += f"  {'endpoint ms':>11}  rows"
    print(head)
    cases = [(entry, entry["name"], PARAMS.get(entry["name"], {})) for entry in catalogue()]
    cases += [(entry, f"{entry['name']}, {label}", params) for entry in catalogue()
              for label, params in MORE_PARAMS.get(entry["name"], [])]
    for entry, title, params in sorted(cases, key=lambda case: case[1]):
        name = entry["name"]
        if only and name not in only:
            continue
        text = load(name)
        calls = queries_run(oxigraph, text, params)
        engine = [(engine_text(query), bindings) for query, bindings in calls]
        rows = run_on(oxigraph, text, dict(params))["rows"]
        whole, whole_median = figures(latencies(lambda: run_on(oxigraph, text, dict(params)), repeat), limit)
        _, engine_median = figures(latencies(lambda: [engine_rows(store, *call) for call in engine], repeat), limit)
        line = (f"{title:<26} {len(rows):>6} {len(calls):>7}  {whole:>25}  {engine_median * 1000:8.1f} "
                f"{(whole_median - engine_median) * 1000:8.1f}  ")
        if graph is not None:
            slow, slow_median = figures(latencies(lambda: run_on(rdflib, text, dict(params)), min(repeat, 3), limit),
                                        limit)
            ratio = slow_median / whole_median if whole_median else float("inf")
            line += f"{slow:>23}  {'>' if slow.startswith('>') else ''}{ratio:5.0f}x"
        else:
            line += f"{'-':>23}  {'-':>6}"
        if baseline is not None:
            path = baseline / "kg" / "queries" / f"{name}.rq"
            line += "  " + _against(store, path, params, oxigraph, calls, repeat, limit)
            # rdflib may run the baseline's text faster: the fair figure (not for a then step: see the top)
            if graph is not None and path.exists() and not entry["then"]:
                theirs, theirs_median = figures(latencies(lambda: run_on(rdflib, path.read_text(encoding="utf-8"),
                                                                         dict(params)), min(repeat, 3), limit), limit)
                best = min(slow_median, theirs_median)
                line += f"  {theirs:>23}  {'>' if best >= limit else ''}{best / whole_median:5.0f}x"
        if endpoint is not None:
            line += "  " + _at_endpoint(endpoint, text, params, rows, repeat, limit)
        print(line, flush=True)
    if endpoint is not None:
        _aggregates(store, endpoint, repeat, limit)
    print(f"load average at the end: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")


def queries_run(execute, text: str, params: dict) -> list[tuple[str, dict]]:
    """The text and bindings of each SPARQL query that ``kg query`` runs (by ``execute``) for ``text`` with
    ``params``."""
    calls = []

    def recording(query: str, bindings: dict) -> dict:
        calls.append((query, bindings))
        return execute(query, bindings)

    run_on(recording, text, dict(params))
    return calls


def _against(store, path: Path, params: dict, execute, calls: list[tuple[str, dict]], repeat: int,
             limit: float) -> str:
    """The engine's median on the baseline's query text at ``path`` as it is, and whether its rows (in the
    engine's order) are those that :func:`kg.sources.on_store` gives for this checkout's query (the last of the
    queries ``calls`` that ``kg query`` runs for it, after any look-up of an actor by name)."""
    if not path.exists():
        return f"{'-':>15}  (no {path.name})"
    text = path.read_text(encoding="utf-8")
    if describe(text)["then"]:
        return f"{'-':>15}  (a then step: not compared)"
    bindings = bind(describe(text), dict(params), execute, [])
    theirs = store_rows(store, text, bindings)
    result = on_store(store, *calls[-1])
    _, median = figures(latencies(lambda: engine_rows(store, text, bindings), repeat), limit)
    same = likeness(theirs["rows"], result["rows"]) if theirs["columns"] == result["columns"] else "DIFFERENT"
    return f"{median * 1000:15.1f}  {same}"


def likeness(theirs: list[tuple], ours: list[tuple]) -> str:
    """``same`` rows in the same order, the ``same set`` of rows (ties ordered otherwise), or ``DIFFERENT``."""
    return "same" if theirs == ours else "same set" if Counter(theirs) == Counter(ours) else "DIFFERENT"


def _at_endpoint(url: str, text: str, params: dict, rows: list[tuple], repeat: int, limit: float) -> str:
    """The median of ``kg query``'s call at the endpoint ``url`` and whether its rows are ``rows`` (the store's)."""
    execute = at_endpoint(url, limit)
    try:
        theirs = run_on(execute, text, dict(params))["rows"]
    except Exception as error:  # an endpoint's own failure is a finding here, not the benchmark's end
        return f"{'-':>11}  {type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}"
    _, median = figures(latencies(lambda: run_on(execute, text, dict(params)), repeat), limit)
    return f"{median * 1000:11.1f}  {likeness(theirs, rows)}"


def at_endpoint(url: str, limit: float):
    """``execute(text, bindings)`` at the endpoint ``url``, waiting for an answer as long as rdflib may run."""
    return lambda text, bindings: on_endpoint(url, text, bindings, timeout=max(limit, 600))


def _aggregates(store, url: str, repeat: int, limit: float) -> None:
    """Print each counting query of ``bench/aggregates/``: its rows and median ms on the store's engine and at the
    endpoint ``url``, and their ratio."""
    print(f"\n{'aggregate':<26} {'rows':>6}  {'oxigraph engine ms':>18}  {'endpoint ms':>11}  ratio")
    execute = at_endpoint(url, limit)
    for path in sorted((Path(__file__).parent / "aggregates").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        rows = len(engine_rows(store, text, {}))
        _, ours = figures(latencies(lambda: engine_rows(store, text, {}), repeat), limit)
        _, theirs = figures(latencies(lambda: execute(text, {}), repeat), limit)
        print(f"{path.stem:<26} {rows:>6}  {ours * 1000:18.1f}  {theirs * 1000:11.1f}  {ours / theirs:5.1f}x",
              flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rdflib-limit", type=float, default=60.0, help="seconds; 0 leaves rdflib out")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these shipped queries")
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="another geokg checkout to compare with")
    parser.add_argument("--endpoint", metavar="URL", help="a SPARQL endpoint holding the same data, timed beside it")
    args = parser.parse_args()
    if not args.store.is_dir():
        parser.error(f"{args.store}: no such store folder")
    with tempfile.TemporaryDirectory(prefix="kg-query-bench-") as folder:
        compare(args.store, Path(folder), args.repeat, args.rdflib_limit, args.only, args.baseline, args.endpoint)
    return 0


if __name__ == "__main__":
    sys.exit(main())
