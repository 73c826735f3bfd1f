"""kg ingest: parallel extraction gives the same store, the input is streamed, and a kg ingest killed with
SIGKILL leaves whole items only, which a rerun completes."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

import kg.ingest
from kg.cli import main
from kg.errors import GeokgError, StoreError
from kg.ingest import CHUNK, IN_FLIGHT_PER_JOB, ingest
from kg.store import INGEST_GRAPH, LocalStore, ingested, item_graph
from tests.conftest import ROOT, hand_items, write_news
from tests.test_serve import alive, children
from tests.test_store import ALL_QUADS, ingest_records, quads


def replicated(copies: int) -> list[dict]:
    """The hand-written items ``copies`` times over, each copy under new ids."""
    return [{"id": f"{record['id']}-{copy}", "text": record["text"]} for copy in range(copies)
            for record in hand_items()]


@pytest.mark.parametrize("jobs", [2])
def test_ingest_parallel_jobs_give_the_same_store(tmp_path, jobs):
    records = hand_items()
    one = ingest_records(tmp_path / "one", records, tmp_path / "one" / "store", jobs=1)
    many = ingest_records(tmp_path / "many", records, tmp_path / "many" / "store", jobs=jobs, batch=7)
    assert quads(tmp_path / "one" / "store") == quads(tmp_path / "many" / "store")
    assert (one["added"], many["added"], many["jobs"]) == (40, 40, jobs)
    assert one["events"] == many["events"] and sum(one["events"].values()) == 40


@pytest.mark.parametrize("jobs, batch", [(2, 1)])
def test_ingest_reads_only_a_bounded_window_ahead_of_the_writer(tmp_path, monkeypatch, jobs, batch):
    records = replicated(3)
    news = write_news(tmp_path / "news.jsonl", records)
    pulled, ahead = [0], []
    real_read, real_replace = kg.ingest.read, kg.ingest.replace_items

    def counting_read(inputs, notices):
        def items():
            for item in real_read(inputs, notices):
                pulled[0] += 1
                yield item
        return items()

    def recording_replace(store, items, new=False):
        if items:
            ahead.append(pulled[0] - len(ahead) - 1)
        real_replace(store, items, new)

    monkeypatch.setattr(kg.ingest, "read", counting_read)
    monkeypatch.setattr(kg.ingest, "replace_items", recording_replace)
    monkeypatch.setattr(kg.ingest, "VALUES_CHUNK", CHUNK)  # items read at a time to ask for their stored hashes
    ingest([news], tmp_path / "store", jobs=jobs, batch=batch, progress=False)
    assert len(ahead) == len(records)
    assert max(ahead) <= jobs * CHUNK * IN_FLIGHT_PER_JOB + CHUNK  # and those read for their stored hashes


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("failing", ["a batch", "the count of stored items"])
def test_ingest_that_fails_while_writing_stops_at_once(tmp_path, monkeypatch, jobs, failing):
    """A batch that cannot be written, or a store that cannot say how many items it holds, ends the ingest with
    that error, at once, even with workers whose reading thread waits for room in the window (it hung there
    before); the batches written stay whole."""
    records = replicated(4)
    news = write_news(tmp_path / "news.jsonl", records)
    real, calls = kg.ingest.replace_items, []

    def failing_batch(store, items, new=False):
        calls.append(len(items))
        if len(calls) == 2:
            raise StoreError("the disk is full")
        real(store, items, new)

    def failing_count(store):
        raise StoreError("the endpoint is gone")

    if failing == "a batch":
        monkeypatch.setattr(kg.ingest, "replace_items", failing_batch)
    else:
        monkeypatch.setattr(kg.ingest, "stored", failing_count)
    done = []
    worker = threading.Thread(target=lambda: done.append(_raised(lambda: ingest(
        [news], tmp_path / "store", jobs=jobs, batch=2, progress=False))), daemon=True)
    worker.start()
    worker.join(60)
    assert done and isinstance(done[0], StoreError)
    store = LocalStore(tmp_path / "store")
    try:
        assert len(ingested(store)) == (2 if failing == "a batch" else 0)
    finally:
        store.close()


def _slow_extract(tasks):
    """kg.ingest.extract, a tenth of a second slower a chunk (the workers, forked, find it by name)."""
    time.sleep(0.1)
    return REAL_EXTRACT(tasks)


REAL_EXTRACT = kg.ingest.extract


def test_ingest_whose_worker_is_killed_stops_with_an_error(tmp_path, monkeypatch):
    """A worker killed from outside (as by the out-of-memory killer) takes its chunk with it: the ingest says so
    and stops, where multiprocessing.Pool would wait for the chunk for ever; the batches written stay whole."""
    monkeypatch.setattr(kg.ingest, "extract", _slow_extract)
    monkeypatch.setattr(kg.ingest, "WATCH_EVERY", 0.2)
    written, real = threading.Event(), kg.ingest.replace_items
    monkeypatch.setattr(kg.ingest, "replace_items", lambda *args, **kwargs: (real(*args, **kwargs), written.set()))
    news = write_news(tmp_path / "news.jsonl", replicated(6))
    before = {process.pid for process in multiprocessing.active_children()}
    done = []
    worker = threading.Thread(target=lambda: done.append(_raised(lambda: ingest(
        [news], tmp_path / "store", jobs=2, batch=2, progress=False))), daemon=True)
    worker.start()
    assert written.wait(30)  # a first batch is in the store, and most chunks are still to come
    os.kill(min({p.pid for p in multiprocessing.active_children()} - before), signal.SIGKILL)
    worker.join(60)
    assert done and isinstance(done[0], GeokgError) and "worker process died" in str(done[0])
    store = LocalStore(tmp_path / "store")
    try:
        assert 0 < len(ingested(store)) < len(replicated(6))
    finally:
        store.close()


def _raised(call):
    try:
        call()
    except Exception as error:  # noqa: BLE001 - the test looks at what it was
        return error
    return None


def test_ingest_cli_prints_a_summary_and_the_progress_bar(tmp_path, capsys):
    news = write_news(tmp_path / "news.jsonl", hand_items()[:8])
    assert main(["ingest", str(news), "--store", str(tmp_path / "store"), "--jobs", "1", "--progress"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("items: 8 read, 8 added, 0 replaced, 0 unchanged   ")
    assert "items/s with 1 job in " in out.splitlines()[0]
    assert re.search(r"^the store holds: items 8   actors 3   events 8   relations 0   [\d.]+ MB on disk$",
                     out, re.MULTILINE)
    assert re.search(r"ingest: 8 items \[.*items/s\]", err)


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads child processes from /proc")
@pytest.mark.parametrize("jobs", [2])
def test_ingest_killed_leaves_whole_items_and_a_rerun_completes_the_store(tmp_path, jobs):
    records = replicated(4)
    news = write_news(tmp_path / "news.jsonl", records)
    ingest([news], tmp_path / "clean", jobs=1, progress=False)
    clean = _quads_by_graph(tmp_path / "clean")

    store = tmp_path / "store"
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "ingest", str(news), "--store", str(store), "--jobs", str(jobs),
         "--batch", "1", "--progress"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    progress = _watch(process.stderr)
    deadline = time.monotonic() + 120
    while progress["items"] < 10 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert progress["items"] >= 10, "kg ingest ended or stalled before the kill"
    _wait_gone(workers)

    killed = _quads_by_graph(store)
    items = {graph for graph in killed if str(graph).startswith(str(item_graph("")))}
    assert 0 < len(items) < len(records), "the kill did not land mid-way"
    for graph in items:
        assert killed[graph] == clean[graph], f"{graph} is not whole"
    reopened = LocalStore(store)
    try:
        recorded = {item_graph(item_id) for item_id in ingested(reopened)}
    finally:
        reopened.close()
    assert recorded == items

    summary = ingest([news], store, jobs=jobs, progress=False)
    assert summary["unchanged"] == len(items) and summary["added"] == len(records) - len(items)
    assert quads(store) == quads(tmp_path / "clean")


def _quads_by_graph(location) -> dict:
    store = LocalStore(location)
    try:
        rows = store.query(ALL_QUADS)["rows"]
    finally:
        store.close()
    graphs: dict = {}
    for graph, *triple in rows:
        if graph != INGEST_GRAPH:
            graphs.setdefault(graph, set()).add(tuple(triple))
    return graphs


def _watch(stream) -> dict:
    """Follow tqdm's bar on ``stream`` in a thread: ``{"items": the last count shown}``."""
    progress = {"items": 0}

    def follow():
        text = ""
        for chunk in iter(lambda: stream.read1(256), b""):
            text = (text + chunk.decode("utf-8", "replace"))[-400:]
            shown = re.findall(r"(\d+) items \[", text)
            if shown:
                progress["items"] = int(shown[-1])

    threading.Thread(target=follow, daemon=True).start()
    return progress


def _wait_gone(pids: list[int], within: float = 30.0) -> None:
    """The pool's workers end once their parent is gone (they read end-of-file from its task pipe)."""
    deadline = time.monotonic() + within
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids), "a worker outlived kg ingest"
