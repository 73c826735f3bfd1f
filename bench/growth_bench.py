"""The cost of growth (issue 5: cost linear in items): the same N new items ingested into an empty store and
into a large one, in turns, so both see the same load; then removed from the large store again.

    python bench/growth_bench.py STORE [--items 1000] [--jobs 2] [--turns 2] [--corpus DIR]

STORE is a folder ``kg ingest`` wrote (e.g. ``bench/scale_bench.py 100000 --keep DIR``'s ``DIR/store-2``): it is
written to, and left as it was found but for RocksDB's compactions (each turn removes the items it added with
``kg remove``). The N items are the NER-UK texts under ids no scale corpus uses, so every one is new to STORE and
is extracted in full each time. Prints, per turn, the wall time of ``kg ingest`` (start-up, extraction, writes and
the derivation of the actors the items name) into each store and the ratio: when the cost of an item does not
grow with the store, the ratio is 1; then the same for ``kg remove`` of the N items from each store. (The actors
the items name are derived from the default graph, :func:`kg.store.derive_actors`; derived from every item graph,
as before, an actor named in most stored items made the ingest ratio 4.2-4.6 at 100,000 items.)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest_bench import DEFAULT, ROOT, run_ingest


def new_items(corpus: Path, count: int, folder: Path) -> tuple[Path, list[str]]:
    """A JSONL file of ``count`` items: the corpus texts in order under ids of their own (``STEM-growth-K``)."""
    texts = [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(corpus.rglob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt files under {corpus}")
    ids = []
    path = folder / "growth.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            stem, text = texts[number % len(texts)]
            ids.append(f"{stem}-growth-{number // len(texts)}")
            out.write(json.dumps({"id": ids[-1], "text": text}, ensure_ascii=False) + "\n")
    return path, ids


def remove(store: Path, ids: list[str]) -> float:
    """Seconds that ``kg remove IDS --store STORE`` takes."""
    command = [sys.executable, "-m", "kg.cli", "remove", *ids, "--store", str(store)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"kg remove failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--turns", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not (args.store / "CURRENT").is_file():
        raise SystemExit(f"{args.store}: not an Oxigraph store folder")
    with tempfile.TemporaryDirectory() as folder:
        news, ids = new_items(args.corpus, args.items, Path(folder))
        print(f"{args.items} new items, --jobs {args.jobs}, into an empty store and into {args.store}")
        for turn in range(1, args.turns + 1):
            empty = run_ingest(news, Path(folder) / f"empty-{turn}", args.jobs)
            large = run_ingest(news, args.store, args.jobs)
            out_of_empty = remove(Path(folder) / f"empty-{turn}", ids)
            out_of_large = remove(args.store, ids)
            print(f"turn {turn}: ingest: empty {empty['seconds']:.1f} s ({args.items / empty['seconds']:.1f} "
                  f"items/s), large {large['seconds']:.1f} s ({args.items / large['seconds']:.1f} items/s), "
                  f"ratio {large['seconds'] / empty['seconds']:.2f}; remove: from the first {out_of_empty:.1f} s, "
                  f"from the large {out_of_large:.1f} s, ratio {out_of_large / out_of_empty:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
