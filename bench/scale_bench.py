"""Scale, measured (issue 5): N news items built from the NER-UK texts (bench/ingest_bench.py's corpus), ingested
into a fresh Oxigraph store with --jobs 1 and with --jobs 2; then every shipped query on the store, next to
rdflib's in-memory Graph holding the same triples.

    python bench/scale_bench.py [N] [--corpus DIR] [--jobs 1 2] [--repeat 10] [--rdflib-limit 60] [--keep DIR]

Prints, per number of jobs: items/s, peak RSS of the process tree, store size, and the seconds per 1,000 items
when the store held N/10 items and when it held N (items N/10 to N/10 + N/20, and the last N/20: cost linear
in items means the two are equal). Then, for each query (``kg query --list``) on the last store: median and p90
latency (``--repeat`` runs, after one warm-up) with Oxigraph, the same with rdflib (the store's default graph,
which the queries read, exported as N-Triples and parsed into a Graph; its load time and memory printed; a query
rdflib has not finished after ``--rdflib-limit`` seconds is stopped and shown as more than that), and the ratio.
N defaults to 10,000 (about 10-20 minutes on two cores). Targets (issue 5): 100k items in under 30 minutes with 2
jobs, peak RSS under 2 GB, cost linear in items; queries under 100 ms median and at least 20x faster than rdflib.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ingest_bench import DEFAULT, ROOT, news_file, run_ingest, tree_rss

sys.path.insert(0, str(ROOT))

from kg.queries import catalogue, load  # noqa: E402
from kg.query import run_on  # noqa: E402
from kg.sources import on_graph, on_store  # noqa: E402

#: parameters for the queries that take some: actors every Ukrainian news corpus names, and a wide date range
PARAMS = {"actor": {"actor": "gkd:actor/ukr"}, "conflict": {"a": "gkd:actor/rus", "b": "gkd:actor/ukr"},
          "path": {"from": "gkd:actor/rus", "to": "gkd:actor/pol"},
          "events-by-date": {"from": "1900-01-01", "to": "2030-12-31"}, "find-actor": {"name": "Україна"}}


class OutOfTime(BaseException):
    """Raised by SIGALRM inside an rdflib query (a BaseException, so rdflib's handlers let it through)."""


def _out_of_time(signum, frame):
    raise OutOfTime


def per_thousand(progress: list[tuple[float, int]], start: int, end: int) -> float | None:
    """Seconds per 1,000 items between the moments the bar showed ``start`` and ``end`` items."""
    def moment(count):
        return next((seconds for seconds, done in progress if done >= count), None)

    begin, finish = moment(start), moment(end)
    return None if begin is None or finish is None or end <= start else (finish - begin) / (end - start) * 1000


def latencies(execute, text: str, params: dict, repeat: int, limit: float | None = None) -> list[float] | None:
    """Seconds of each of ``repeat`` runs after a warm-up (one run only when that takes over a second); None
    when a run passes ``limit`` seconds."""
    times = []
    for _ in range(repeat + 1):
        if limit:
            signal.alarm(int(limit))
        started = time.perf_counter()
        try:
            result = run_on(execute, text, dict(params))
        except OutOfTime:
            return None
        finally:
            signal.alarm(0)
        times.append(time.perf_counter() - started)
        if times[0] > 1.0:
            return times
        assert "rows" in result or "boolean" in result
    return times[1:]


def figures(times: list[float] | None, limit: float) -> tuple[str, float]:
    if times is None:
        return f"> {limit:.0f} s", limit
    median = statistics.median(times)
    p90 = sorted(times)[max(0, round(0.9 * len(times)) - 1)]
    return f"{median * 1000:8.1f} {p90 * 1000:8.1f}", median


def rss_now() -> int:
    return tree_rss(os.getpid())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("items", type=int, nargs="?", default=10000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rdflib-limit", type=float, default=60.0)
    parser.add_argument("--keep", type=Path, help="build the stores in this folder and keep them (default: a "
                        "temporary folder, deleted at the end)")
    args = parser.parse_args()
    n, window = args.items, max(1, args.items // 20)
    signal.signal(signal.SIGALRM, _out_of_time)
    print("load average at the start: " + " ".join(f"{load:.1f}" for load in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="kg-scale-bench-") as temporary:
        folder = str(args.keep or temporary)
        Path(folder).mkdir(parents=True, exist_ok=True)
        news = news_file(args.corpus, n, Path(folder))
        print(f"items: {n} from {args.corpus} ({news.stat().st_size / 1e6:.1f} MB of JSONL)")
        for jobs in args.jobs:
            store = Path(folder) / f"store-{jobs}"
            ingested = run_ingest(news, store, jobs)
            early = per_thousand(ingested["progress"], n // 10, n // 10 + window)
            late = per_thousand(ingested["progress"], n - window, n)
            print(f"--jobs {jobs}: {n / ingested['seconds']:6.1f} items/s ({ingested['seconds']:.0f} s)  "
                  f"peak RSS {ingested['peak_rss'] / 1e6:.0f} MB  store {ingested['store_bytes'] / 1e6:.0f} MB  "
                  f"s per 1,000 items at {n // 10}: {early or 0:.1f}, at {n}: {late or 0:.1f}  "
                  f"(load {os.getloadavg()[0]:.1f})")
            print("          " + ingested["summary"][-1])
        compare(store, Path(folder), args.repeat, args.rdflib_limit)
    return 0


def compare(location: Path, folder: Path, repeat: int, limit: float) -> None:
    import pyoxigraph
    from rdflib import Graph

    store = pyoxigraph.Store.read_only(str(location))
    exported = folder / "default.nt"
    store.dump(str(exported), format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    before, started = rss_now(), time.perf_counter()
    graph = Graph().parse(exported, format="nt")
    print(f"rdflib: {len(graph)} triples (the store's default graph) loaded in {time.perf_counter() - started:.0f} s, "
          f"{(rss_now() - before) / 1e6:.0f} MB more resident memory")
    engines = {"oxigraph": lambda text, bindings: on_store(store, text, bindings),
               "rdflib": lambda text, bindings: on_graph(graph, text, bindings)}
    print(f"{'query':<15} {'rows':>6}  {'oxigraph ms: median  p90':>25}  {'rdflib ms: median  p90':>23}  ratio")
    for entry in catalogue():
        text, params = load(entry["name"]), PARAMS.get(entry["name"], {})
        rows = run_on(engines["oxigraph"], text, dict(params)).get("rows", [])
        fast, fast_median = figures(latencies(engines["oxigraph"], text, params, repeat), limit)
        slow, slow_median = figures(latencies(engines["rdflib"], text, params, min(repeat, 3), limit), limit)
        ratio = slow_median / fast_median if fast_median else float("inf")
        print(f"{entry['name']:<15} {len(rows):>6}  {fast:>25}  {slow:>23}  "
              f"{'>' if slow.startswith('>') else ''}{ratio:.0f}x", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")



if __name__ == "__main__":
    sys.exit(main())
