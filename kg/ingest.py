"""``kg ingest``: stream news items into a store, extracting in parallel processes and writing in batches.

:func:`ingest` reads items one by one (:func:`kg.items.read`), skips those the store already holds with the same
ingest hash (:func:`kg.store.ingest_hash`; the stored hashes are asked for a chunk of items at a time), hands the
others to a pool of worker processes (``imap``, ordered, with at most a few chunks per worker in flight, so a large
corpus never sits in memory), and writes the results in batches of ``batch`` items, each batch one transaction
(:func:`kg.store.replace_items`). At the end it derives the actors graph again for the actors the written items
touched (all of it when it wrote more items than the store held), and returns a plain dict summary. A progress
bar (tqdm, items/s) goes to stderr when it is a terminal.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import GeokgError, InputError
from kg.items import read
from kg.model import NewsItem
from kg.pipeline import SETTLE_EVERY, process, process_all, settle
from kg.rdf import item_triples
from kg.sources import VALUES_CHUNK
from kg.store import actors_in, actors_of_items, clear_pending, connect, counts, ingest_hash, \
    ingested, mark_pending, ntriples, pending, refresh_actors, replace_items, stored, write_ontology

DEFAULT_BATCH = 50  # items per transaction
CHUNK = 8  # items a worker takes at a time (and gives the name finder together)
IN_FLIGHT_PER_JOB = 4  # chunks per worker read ahead of the writer
WATCH_EVERY = 2.0  # seconds to wait for the workers' next result before checking that they are all alive
FLUSH_EVERY = 1000  # items written between two flushes of the store's memory tables (see LocalStore.flush)


@dataclass
class Extracted:
    """What a worker sends back for one item: its graph as N-Triples and what the summary counts."""

    item_id: str
    digest: str | None  # None: unchanged, not extracted
    triples: str = ""
    sentences: int = 0
    events: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)


_extracted = 0  # items this process has extracted (each worker counts its own)


def extract(tasks: list[tuple[str, NewsItem | None, str | None]]) -> list[Extracted]:
    """Run the pipeline on a chunk of items (in a worker process), their sentences given to the name finder
    together (:func:`kg.pipeline.process_all`); ``(item_id, None, None)`` is an unchanged item. It settles the
    collector every ``SETTLE_EVERY`` items, as process_all does in one long run."""
    global _extracted
    docs = process_all((item for _, item, _ in tasks if item is not None), settle_every=0, batch=len(tasks))
    found = []
    for item_id, item, digest in tasks:
        if item is None:
            found.append(Extracted(item_id, None))
            continue
        doc = next(docs)
        found.append(Extracted(item_id, digest, ntriples(item_triples(doc)), len(doc.sentences),
                               Counter(e.plover for e in doc.events), Counter(r.predicate for r in doc.relations)))
        _extracted += 1
        if _extracted % SETTLE_EVERY == 0:
            settle()
    return found


def save(store, docs: Iterable, batch: int = DEFAULT_BATCH) -> None:
    """Write docs already extracted (``kg build --store``) into ``store``, ``batch`` items per transaction, then
    derive the actors graph again (for the actors they touch)."""
    write_ontology(store)
    docs = list(docs)
    held = ingested(store, [doc.item.id for doc in docs])
    writer = _Writer(store, stored(store), batch)
    for doc in docs:
        writer.add(doc.item.id, ingest_hash(doc.item), ntriples(item_triples(doc)), doc.item.id in held)
    writer.finish()


class _Writer:
    """Batches of items into a store: one transaction per ``batch`` items (new items by the fast path when the
    whole batch is new), a flush every ``FLUSH_EVERY`` items, and at the end the actors graph derived again (see
    :meth:`finish`), with a note in a local store meanwhile that it lags behind the items (see
    :func:`kg.store.mark_pending`)."""

    def __init__(self, store, stored: int, batch: int):
        self.store, self.stored, self.batch = store, stored, batch  # stored: how many items the store held
        self.pending: list[tuple[str, str, str]] = []
        self.replacing: set[str] = set()  # the pending items that the store holds an older version of
        self.written = 0
        self.actors: set[str] = set()
        self.lagging = pending(store)  # a writer died before deriving the actors of what it wrote
        self.token: str | None = None  # this writer's note that the actors graph lags behind its items

    def add(self, item_id: str, digest: str, triples: str, replacing: bool = False) -> None:
        """Write an item (in a batch): ``replacing`` when the store holds another version of it."""
        self.pending.append((item_id, digest, triples))
        if replacing:
            self.replacing.add(item_id)
        self.actors |= actors_in(triples)
        self.written += 1
        if len(self.pending) >= self.batch:
            self._write()
        if self.written % FLUSH_EVERY == 0:
            self.store.flush()

    def _write(self) -> None:
        if not self.pending:
            return
        if self.token is None:
            self.token = mark_pending(self.store)
        replaced = [item_id for item_id, _, _ in self.pending if item_id in self.replacing]
        self.actors |= actors_of_items(self.store, replaced)  # what they described before
        replace_items(self.store, self.pending, new=not replaced)
        self.pending, self.replacing = [], set()

    def finish(self) -> None:
        """Write what is pending, then derive the actors graph: all of it for a store that held fewer items than
        were written (an empty one first) or that a writer left before deriving the actors of what it wrote;
        else for the actors touched, now or before (:func:`kg.store.refresh_actors`)."""
        self._write()
        if self.written > self.stored or self.lagging:
            refresh_actors(self.store)
            clear_pending(self.store)
            return
        refresh_actors(self.store, self.actors)
        if self.token is not None:
            clear_pending(self.store, self.token)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def ingest(inputs: Iterable[str | Path], location: str | Path, jobs: int | None = None, batch: int = DEFAULT_BATCH,
           wait: bool = False, notices: list[str] | None = None, progress: bool | None = None) -> dict:
    """Ingest the news in ``inputs`` into the store at ``location`` (an Oxigraph folder, created when missing,
    or a SPARQL endpoint URL); returns the summary (see :func:`kg.cli.run_ingest` for how it prints).

    ``progress``: True shows the bar, False hides it, None shows it when stderr is a terminal.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1 or batch < 1:
        raise InputError(f"--jobs and --batch must be at least 1 (got {jobs} and {batch})")
    notices = notices if notices is not None else []
    items = read(inputs, notices)  # checks the paths now, reads lazily
    started = time.monotonic()
    pool = _pool(jobs) if jobs > 1 else None  # before the lock and the store, so workers inherit neither
    try:
        store = connect(location, wait=wait)
        try:
            try:
                summary = _write(store, items, pool, jobs, batch, progress)
            finally:
                _end(pool)  # before the store closes: the pool's reading thread asks the store for hashes
            summary["store"] = counts(store)
        finally:
            store.close()
        summary["store_bytes"] = store.size()  # after close: without the write-ahead log close drops
    finally:
        _end(pool)
    summary["seconds"] = time.monotonic() - started
    summary["items_per_second"] = summary["read"] / summary["seconds"] if summary["seconds"] else 0.0
    summary["jobs"] = jobs
    return summary


def _watched(pool, results) -> Iterator:
    """The pool's ``results`` (an ``imap`` iterator) as they come, waiting for each at most :data:`WATCH_EVERY`
    seconds at a time and then checking that every worker the pool started is alive: a worker killed from outside
    (the out-of-memory killer) takes its chunk with it, and ``multiprocessing.Pool`` would wait for that chunk for
    ever (it starts another worker, but not the lost chunk again)."""
    workers = {process.pid for process in multiprocessing.active_children()}
    while True:
        try:
            yield results.next(timeout=WATCH_EVERY)
        except StopIteration:
            return
        except multiprocessing.TimeoutError:
            if workers - {process.pid for process in multiprocessing.active_children()}:
                raise GeokgError("a worker process died while extracting (killed from outside, out of memory?); "
                                 "the batches written are whole: run the same command again to complete them, "
                                 "with fewer --jobs if memory is short") from None


def _end(pool) -> None:
    """Stop the worker processes, if any (again: a no-op)."""
    if pool is not None:
        pool.terminate()
        pool.join()


def _pool(jobs: int):

    process(NewsItem(id="warm-up", text="Японія підтримала Україну."))  # load the lexicons once, before forking
    settle()  # and freeze them, so that the workers' collections leave the shared pages alone
    return multiprocessing.get_context("fork").Pool(jobs)


def _write(store, items: Iterator[NewsItem], pool, jobs: int, batch: int, progress: bool | None) -> dict:
    from tqdm import tqdm

    write_ontology(store)
    known: dict[str, str | None] = {}  # the hash the store held for each item read (None: not held)
    summary = {"read": 0, "added": 0, "replaced": 0, "unchanged": 0, "sentences": 0,
               "events": Counter(), "relations": Counter()}
    in_flight = threading.BoundedSemaphore(jobs * CHUNK * IN_FLIGHT_PER_JOB)
    stopping = threading.Event()  # set when the writing fails: the reading thread then stops

    def tasks():
        # the stored hashes of VALUES_CHUNK items at a time (one query): reading all of them first took 1.5 s at
        # 100,000 items, and grows with the store; so up to VALUES_CHUNK items are read ahead of the window
        unread = iter(items)
        for some in iter(lambda: list(islice(unread, VALUES_CHUNK)), []):
            held = ingested(store, [item.id for item in some])
            for item in some:
                digest = ingest_hash(item)
                in_flight.acquire()
                if stopping.is_set():
                    return
                known[item.id] = held.get(item.id)
                if known[item.id] == digest:
                    yield item.id, None, None
                else:
                    yield item.id, item, digest

    writer = _Writer(store, stored(store), batch)  # (its queries before the pool's reading thread starts)
    queued = tasks()
    chunks = iter(lambda: list(islice(queued, CHUNK)), [])  # CHUNK tasks at a time, as kg.pipeline batches items
    try:
        extracted = _watched(pool, pool.imap(extract, chunks)) if pool is not None else map(extract, chunks)
        results = (found for chunk in extracted for found in chunk)
        with tqdm(unit=" items", desc="ingest", disable=None if progress is None else not progress,
                  dynamic_ncols=True) as bar:
            for found in results:
                in_flight.release()
                summary["read"] += 1
                bar.update(1)
                replacing = known.pop(found.item_id) is not None  # (kg.items.read gives each id once)
                if found.digest is None:
                    summary["unchanged"] += 1
                    continue
                summary["replaced" if replacing else "added"] += 1
                summary["sentences"] += found.sentences
                summary["events"].update(found.events)
                summary["relations"].update(found.relations)
                writer.add(found.item_id, found.digest, found.triples, replacing)
    except BaseException:
        # the pool's thread that reads the items may wait for room in the window, which no result will make
        # now: let it go, then end the pool before the store closes (that thread also asks the store)
        stopping.set()
        with suppress(ValueError):
            in_flight.release()
        _end(pool)
        raise
    if pool is not None:
        pool.close()  # every item is extracted: the workers' memory is not held through the refresh below
        pool.join()
    writer.finish()
    return summary
