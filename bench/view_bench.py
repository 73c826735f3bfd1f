"""The browser view on large synthetic actor graphs: layout seconds, page bytes, and the seconds until
headless Chromium has drawn the page (opened from its file, network off).

    python bench/view_bench.py [--sizes 300 2000 10000] [--no-browser]

Each graph has a scale-free core (70 % of the actors) and small separate groups, about 1.2 events
per actor with evidence sentences and news items, and is drawn whole (``top`` = its size); the
largest is drawn once more as ``kg build`` draws it by default (its ``DEFAULT_TOP`` actors). The
layout is timed alone and again inside the page's time. The browser figure is the page's own
``geokgReadyAt``: milliseconds from the start of navigation to the first drawing, after which the
page answers clicks.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx  # noqa: E402

from kg.layout import positions  # noqa: E402
from kg.view import DEFAULT_TOP, KIND_COLOURS, fill_page, page_data  # noqa: E402
from tests import browser  # noqa: E402

PLOVER = [("AGREE", 1), ("CONSULT", 1), ("AID", 2), ("COOPERATE", 1), ("THREATEN", 3), ("ASSAULT", 4),
          ("FIGHT", 4), ("COERCE", 4), ("holdsOfficeIn", None)]


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A projection-like actor graph of ``n`` actors (as :func:`kg.project.project` makes)."""
    rng = random.Random(seed)
    core = nx.barabasi_albert_graph(int(n * 0.7), 1, seed=seed)
    G = nx.MultiDiGraph(items={f"item/{i}": {"id": f"{i:016x}", "title": f"Новина {i}", "source": "Bench",
                                             "date": "2024-05-01", "url": None} for i in range(n // 5 + 1)})
    kinds = sorted(KIND_COLOURS)
    for i in range(n):
        G.add_node(f"actor/{i}", label=f"Актор {i}", label_en=f"Actor {i}", kind=rng.choice(kinds),
                   wikidata=None, country=None)
    pairs = list(core.edges()) + [(rng.randrange(len(core)), rng.randrange(len(core))) for _ in range(n // 3)]
    group = len(core)
    while group < n:  # small groups of 1-3 actors
        size = min(rng.randint(1, 3), n - group)
        pairs += [(group + j, group + j + 1) for j in range(size - 1)]
        group += size
    for e, (u, v) in enumerate(pairs):
        kind, quad = rng.choice(PLOVER)
        G.add_edge(f"actor/{u}", f"actor/{v}", key=f"event/{e}", kind=kind, quad=quad,
                   evidence=f"Актор {u} і Актор {v}: речення номер {e} з новини.", item=f"item/{e % (n // 5 + 1)}",
                   event=f"event/{e}", relation=None, date="2024-05-01", mode="asserted")
    return G


def rows_of(G: nx.MultiDiGraph) -> list[dict]:
    """Centrality rows with PageRank only (the view sizes and ranks by it)."""
    ranks = nx.pagerank(nx.DiGraph(G))
    return sorted(({"actor": node, "pagerank": rank} for node, rank in ranks.items()),
                  key=lambda row: (-row["pagerank"], row["actor"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 2000, 10000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    use_browser = not args.no_browser and browser.available()
    print(f"{'actors':>7} {'drawn':>6} {'events':>7} {'layout s':>9} {'page s':>7} {'HTML MB':>8} "
          f"{'drawn in Chromium s':>20}")
    runs = [(n, n) for n in args.sizes] + [(max(args.sizes), DEFAULT_TOP)]
    with tempfile.TemporaryDirectory() as folder:
        for n, top in runs:
            G = synthetic(n)
            rows = rows_of(G)
            start = time.perf_counter()
            positions(G.subgraph([row["actor"] for row in rows[:top]]))
            layout = time.perf_counter() - start
            start = time.perf_counter()
            page = fill_page(page_data(G, rows, top=top), "bench")
            render = time.perf_counter() - start
            path = Path(folder) / f"graph-{n}-{top}.html"
            path.write_text(page, encoding="utf-8")
            drawn = "-"
            if use_browser:
                with browser.offline_chromium() as driver:
                    drawn = f"{browser.open_page(driver, path, timeout=300) / 1000:.2f}"
            print(f"{n:>7} {min(top, n):>6} {G.number_of_edges():>7} {layout:>9.2f} {render:>7.2f} "
                  f"{len(page.encode()) / 1e6:>8.2f} {drawn:>20}", flush=True)


if __name__ == "__main__":
    main()
