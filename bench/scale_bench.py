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
import sys
import tempfile
from pathlib import Path

from ingest_bench import DEFAULT, news_file, run_ingest
from query_bench import compare


def per_thousand(progress: list[tuple[float, int]], start: int, end: int) -> float | None:
    """Seconds per 1,000 items between the moments the bar showed ``start`` and ``end`` items."""
    def moment(count):
        return next((seconds for seconds, done in progress if done >= count), None)

    begin, finish = moment(start), moment(end)
    return None if begin is None or finish is None or end <= start else (finish - begin) / (end - start) * 1000


def store_quads(location: Path) -> int:
    """The quads in the named graphs of the store at ``location`` (``kg ingest`` no longer counts them)."""
    from kg.store import LocalStore, counts

    store = LocalStore(location)
    try:
        return counts(store, quads=True)["quads"]
    finally:
        store.close()


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
            print("          " + ingested["summary"][-1] + f"   quads {store_quads(store)}")
        compare(store, Path(folder), args.repeat, args.rdflib_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
