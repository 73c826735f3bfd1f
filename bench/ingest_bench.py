"""kg ingest throughput: N news items built from the NER-UK texts (each text replicated under new ids as often as
N needs), ingested into a fresh Oxigraph store with --jobs 1 and with --jobs 2, then once more (every item
unchanged, so skipped). Prints items/s, the peak resident memory of the whole process tree (kg ingest and its
workers, sampled from /proc every 0.1 s) and the size of the store on disk.

    python bench/ingest_bench.py [--items N] [--corpus DIR] [--jobs 1 2]

Runs ``python -m kg.cli ingest`` as a user would (a separate process each time); N defaults to 200, which takes
a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "ner-uk" / "dev"


def news_file(corpus: Path, count: int, folder: Path) -> Path:
    """A JSONL file of ``count`` items: the corpus texts in order, again and again under new ids."""
    texts = [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(corpus.rglob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt files under {corpus}")
    path = folder / "news.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            stem, text = texts[number % len(texts)]
            out.write(json.dumps({"id": f"{stem}-{number // len(texts)}", "text": text}, ensure_ascii=False) + "\n")
    return path


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        number = int(status.parent.name)
        parents[number] = int(fields.get("PPid", "0").strip())
        rss[number] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    family, grew = {pid}, True
    while grew:
        grew = False
        for number, parent in parents.items():
            if parent in family and number not in family:
                family.add(number)
                grew = True
    return sum(rss.get(number, 0) for number in family)


def run_ingest(news: Path, store: Path, jobs: int) -> dict:
    """Run ``kg ingest`` and watch it: ``seconds``, ``peak_rss``, ``store_bytes``, ``summary`` (its stdout lines)
    and ``progress``, ``[(seconds, items done)]`` as its progress bar (on stderr) showed them."""
    command = [sys.executable, "-m", "kg.cli", "ingest", str(news), "--store", str(store), "--jobs", str(jobs),
               "--progress"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    progress: list[tuple[float, int]] = []
    err: list[str] = []
    watcher = threading.Thread(target=_follow, args=(process.stderr, started, progress, err), daemon=True)
    watcher.start()
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.1)
    out = process.stdout.read().decode("utf-8")
    seconds = time.perf_counter() - started
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"kg ingest failed ({process.returncode}): {''.join(err).strip()[-500:]}")
    size = sum(f.stat().st_size for f in store.iterdir() if f.is_file())
    return {"seconds": seconds, "peak_rss": peak, "store_bytes": size, "summary": out.strip().splitlines(),
            "progress": progress}


def _follow(stream, started: float, progress: list, err: list) -> None:
    """Read tqdm's bar from ``stream``: each count it shows, with the time it was read."""
    tail = ""
    for chunk in iter(lambda: stream.read1(4096), b""):
        tail = (tail + chunk.decode("utf-8", "replace"))[-2000:]
        shown = re.findall(r"(\d+) items \[", tail)
        if shown and (not progress or int(shown[-1]) > progress[-1][1]):
            progress.append((time.perf_counter() - started, int(shown[-1])))
        err.append(chunk.decode("utf-8", "replace"))
        del err[:-20]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-ingest-bench-") as folder:
        news = news_file(args.corpus, args.items, Path(folder))
        print(f"items: {args.items} from {args.corpus} ({news.stat().st_size / 1e6:.1f} MB of JSONL); "
              f"wall time includes start-up")
        last = None
        for jobs in args.jobs:
            store = Path(folder) / f"store-{jobs}"
            figures = run_ingest(news, store, jobs)
            print(f"--jobs {jobs}: {args.items / figures['seconds']:6.1f} items/s  ({figures['seconds']:.1f} s)  "
                  f"peak RSS {figures['peak_rss'] / 1e6:.0f} MB  store {figures['store_bytes'] / 1e6:.1f} MB")
            print("          " + figures["summary"][-1])
            last = (store, jobs)
        store, jobs = last
        again = run_ingest(news, store, jobs)
        print(f"again, all unchanged (--jobs {jobs}): {args.items / again['seconds']:.1f} items/s  "
              f"({again['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
