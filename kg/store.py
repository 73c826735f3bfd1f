"""A persistent graph store: an Oxigraph folder on disk, or a remote SPARQL 1.1 endpoint, with one named graph
per news item.

Layout (every IRI depends only on content, so several writers converge on one graph):

- ``gkd:graph/item/{id}``: everything :func:`kg.rdf.item_triples` gives for one news item: the item, its events
  and relations, and how it describes each actor it names (types, labels, forms, Wikidata, country). Replacing or
  removing the graph replaces or removes exactly what the item contributed; an actor that no remaining item names
  is gone with its last item.
- ``gkd:graph/actors``: derived from the item graphs by :func:`refresh_actors` (one SPARQL update) after every
  ingest and removal, in a local store for the actors touched from the default graph (:func:`derive_actors`):
  each actor's types, Wikidata id, ISO code and country, one ``rdfs:label`` per language (the least, as
  :func:`kg.rdf.one_label_per_language` picks for ``kg build``), the other names as ``skos:altLabel``, and the
  lower-case keys it is found by (``gkg:nameKey``, see :func:`kg.rdf.name_keys`).
- ``gkd:graph/ontology``: ``ontology/geokg.ttl`` and ``ontology/plover.ttl``.
- the default graph: the set union of the item graphs and the ontology graph, kept with every write (a triple
  leaves it when the last graph that holds it goes), so that queries see each triple once, as in the graph
  ``kg build`` writes; Oxigraph's union of named graphs would repeat a triple once per graph holding it
  (``Japan a gkg:State`` once per item naming Japan) and so multiply rows and counts.
- ``gkd:graph/ingest``: bookkeeping, no timestamps: ``<item graph> gkg:ingestHash "sha256:…"``, the hash of the
  item's record and of the extractor (:func:`ingest_hash`), so an unchanged item is skipped without extracting it;
  and in a local store, while a writer's items are ahead of the actors graph, its note (:func:`mark_pending`).

Every write is one SPARQL update request, which Oxigraph (on disk or as a server) runs as one transaction: a batch
of items is written wholly or not at all. :func:`connect` opens either kind behind one small interface,
``query(text) -> dict`` (see :mod:`kg.sources`) and ``update(text)``; the functions here speak SPARQL only, so
both kinds share them.

A local store is guarded by ``kg.lock`` in its folder (``fcntl.flock``): a writer holds it exclusively, a reader
(``kg query``, ``kg analyze``, ``kg serve``) shares it, so a second ``kg ingest`` stops with a one-line error or,
with ``wait=True``, waits.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.plugins.serializers.nt import _nt_row  # one triple's N-Triples row, as Graph.serialize writes it

from kg import __version__
from kg.errors import StoreError
from kg.model import NewsItem
from kg.namespace import GKD, GKG, bind_prefixes, ontology_path
from kg.rdf import _segment, one_label_per_language
from kg.sources import (ENDPOINT_TIMEOUT, ONTOLOGY_FILES, _IRI_FORBIDDEN, _first_line, on_endpoint, on_store,
                        values_chunks)

ITEM_GRAPH_PREFIX = str(GKD["graph/item/"])
ACTORS_GRAPH = GKD["graph/actors"]
ONTOLOGY_GRAPH = GKD["graph/ontology"]
INGEST_GRAPH = GKD["graph/ingest"]
ACTOR_PREFIX = str(GKD["actor/"])
LOCK_FILE = "kg.lock"
_INGEST_HASH = str(GKG.ingestHash)
#: bookkeeping in the ingest graph: ``<actors graph> <…/pending> "token"`` while a writer has written items whose
#: actors it has not derived yet (see :func:`mark_pending`)
_PENDING = str(GKD["ingest/pending"])
_SPARQL_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX gkg: <https://w3id.org/geokg/ontology#>
"""


def item_graph(item_id: str) -> URIRef:
    """The named graph of one news item.

    >>> str(item_graph("a b"))
    'https://w3id.org/geokg/id/graph/item/a%20b'
    """
    return GKD[f"graph/item/{_segment(item_id)}"]


def is_remote(location: str | Path) -> bool:
    return bool(re.match(r"https?://", str(location)))


# --- opening a store ------------------------------------------------------------------------------------------


class LocalStore:
    """An Oxigraph store folder opened for writing, holding ``kg.lock`` exclusively until :meth:`close`."""

    union = None  # its default graph is written as it is (see RemoteStore.union)

    def __init__(self, path: str | Path, wait: bool = False, command: str = "kg ingest"):
        import pyoxigraph

        self.location = str(path)
        self._lock = lock(path, exclusive=True, wait=wait, command=command)
        try:
            self._store = pyoxigraph.Store(str(path))
        except OSError as error:
            self._lock.close()
            raise StoreError(f"{path}: cannot open the Oxigraph store ({_first_line(error)})") from error

    def query(self, text: str) -> dict:
        return on_store(self._store, text)

    def update(self, text: str) -> None:
        try:
            self._store.update(text)
        except (OSError, RuntimeError, SyntaxError) as error:
            raise StoreError(f"{self.location}: the update failed ({_first_line(error)})") from error

    def add_new(self, items: list[tuple[str, str, str]]) -> None:
        """Add items the store does not hold yet, as :func:`replace_items` would, in one transaction
        (``Store.extend``): each triple into the item's graph and into the default graph, and the item's hash.
        Nothing to retract, no SPARQL to parse: a fifth less time per item than the update."""
        import pyoxigraph

        default, quads = pyoxigraph.DefaultGraph(), []
        hashed, bookkeeping = pyoxigraph.NamedNode(_INGEST_HASH), pyoxigraph.NamedNode(str(INGEST_GRAPH))
        for item_id, digest, text in items:
            graph = pyoxigraph.NamedNode(str(item_graph(item_id)))
            try:
                triples = list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES,
                                                rename_blank_nodes=True))  # fresh, as INSERT DATA makes them
            except SyntaxError as error:
                raise StoreError(f"{self.location}: item {item_id} is not valid N-Triples ({_first_line(error)})") \
                    from error
            for triple in triples:
                quads.append(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
                quads.append(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, default))
            quads.append(pyoxigraph.Quad(graph, hashed, pyoxigraph.Literal(digest), bookkeeping))
        try:
            self._store.extend(quads)
        except OSError as error:
            raise StoreError(f"{self.location}: the write failed ({_first_line(error)})") from error

    def flush(self) -> None:
        """Write RocksDB's memory tables out to disk. Until then they only grow — about 100 MB per 1,000 items
        (2 GB at 16,000), while a flush every 1,000 items keeps the writer's memory flat (and writes faster)."""
        self._store.flush()

    def size(self) -> int:
        """Bytes the store's folder takes on disk."""
        return sum(f.stat().st_size for f in Path(self.location).iterdir() if f.is_file())

    def close(self) -> None:
        """Flush and close the store, then open and close it once more: RocksDB deletes its write-ahead log,
        obsolete once flushed into tables, only when the store is next opened, and that log is three quarters
        of the folder after an ingest (200 MB → 45 MB at 1,000 items; ``Store.optimize()`` changes nothing)."""
        import pyoxigraph

        self._store.flush()
        del self._store
        try:
            pyoxigraph.Store(self.location)  # dropped at once: opened and closed
        except OSError:
            pass  # the store is whole; it only keeps the log until the next open
        self._lock.close()


@dataclass
class RemoteStore:
    """A SPARQL 1.1 endpoint pair: ``query_url`` for queries, ``update_url`` for updates (see :func:`endpoints`).

    ``union``: the named graph that stands for the default graph, for a server whose default graph cannot be
    written (Virtuoso's is the union of all its graphs), from the URL's ``default-graph-uri`` parameter (see
    :func:`default_graph_uri`): the item graphs' triples are merged into it, and the shipped queries, sent to the URL
    as given, read it. geokg's own queries name their graphs and go without the parameter."""

    location: str
    query_url: str
    update_url: str
    union: str | None = None

    def query(self, text: str) -> dict:
        return on_endpoint(self.query_url, text)

    def update(self, text: str) -> None:
        """One SPARQL 1.1 Protocol update request (a form-encoded POST): one transaction on the server."""
        body = urllib.parse.urlencode({"update": text}).encode("utf-8")
        request = urllib.request.Request(self.update_url, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=ENDPOINT_TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            message = _first_line(error.read().decode("utf-8", "replace")) or error.reason
            raise StoreError(f"{self.update_url}: the endpoint refused the update (HTTP {error.code}: "
                             f"{message})") from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"{self.update_url}: cannot reach the SPARQL endpoint ({reason})") from error

    def size(self) -> None:
        return None

    def flush(self) -> None:
        pass  # the server keeps its own memory

    def close(self) -> None:
        pass


def endpoints(url: str) -> tuple[str, str]:
    """The query and update URLs of a remote store: no path → Oxigraph's ``/query`` and ``/update``; a path
    ending in ``/query`` → its sibling ``/update``; ``/sparql`` (Virtuoso) → the same URL for both; any
    other path (a Fuseki dataset such as ``/ds``) → ``PATH/query`` and ``PATH/update``.

    >>> endpoints("http://127.0.0.1:7878")
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
    >>> endpoints("http://h:8890/sparql")
    ('http://h:8890/sparql', 'http://h:8890/sparql')
    >>> endpoints("http://h:3030/ds")
    ('http://h:3030/ds/query', 'http://h:3030/ds/update')

    The dataset parameters (``?default-graph-uri=…``, see :func:`default_graph_uri`) are left off both: geokg's
    own queries name their graphs. Any other parameter is kept.

    >>> endpoints("http://h:8890/sparql/?default-graph-uri=urn:x:all&key=k")
    ('http://h:8890/sparql?key=k', 'http://h:8890/sparql?key=k')
    """
    parts = urllib.parse.urlsplit(without_dataset(url))
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        query, update = path, path[: -len("query")] + "update"
    elif path.endswith("/sparql"):
        query = update = path
    else:
        query, update = path + "/query", path + "/update"
    return tuple(urllib.parse.urlunsplit((parts.scheme, parts.netloc, each, parts.query, ""))
                 for each in (query, update))


def without_dataset(url: str) -> str:
    """``url`` without the SPARQL Protocol's dataset parameters (and without a fragment), its others kept.

    >>> without_dataset("http://h:8890/sparql?default-graph-uri=urn:x:all&key=k")
    'http://h:8890/sparql?key=k'
    """
    parts = urllib.parse.urlsplit(url)
    kept = urllib.parse.urlencode([(name, value) for name, value in urllib.parse.parse_qsl(
        parts.query, keep_blank_values=True) if name not in _DATASET_PARAMETERS])
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, kept, ""))


#: the SPARQL 1.1 Protocol's parameters that say which graphs a query reads
_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")


def default_graph_uri(url: str) -> str | None:
    """The IRI of the URL's ``default-graph-uri`` parameter (the SPARQL 1.1 Protocol's: the graph a query reads as
    its default graph), which geokg also writes as the default graph (see :class:`RemoteStore`), or None. It must
    be an absolute IRI, and not one of geokg's own graphs.

    >>> default_graph_uri("http://h:8890/sparql?default-graph-uri=https%3A%2F%2Fexample.org%2Fall")
    'https://example.org/all'
    >>> default_graph_uri("http://h:7878") is None
    True
    >>> default_graph_uri("http://h:7878/query?default-graph-uri=https://w3id.org/geokg/id/graph/actors")
    Traceback (most recent call last):
    kg.errors.StoreError: http://h:7878/query?default-graph-uri=https://w3id.org/geokg/id/graph/actors: the \
default-graph-uri <https://w3id.org/geokg/id/graph/actors> is one of geokg's own graphs; name another
    """
    parts = urllib.parse.urlsplit(url)
    values = [value for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
              if name == "default-graph-uri"]
    if len(values) > 1:
        raise StoreError(f"{url}: give one default-graph-uri, not {len(values)}")
    if not values:
        return None
    iri = values[0]
    if parts.fragment or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:.", iri) or _IRI_FORBIDDEN.search(iri):
        raise StoreError(f"{url}: the default-graph-uri {iri!r} is not an absolute IRI (percent-encode it in the "
                         f"URL: %23 for #, %25 for %)")
    if iri in (str(ACTORS_GRAPH), str(INGEST_GRAPH), str(ONTOLOGY_GRAPH)) or iri.startswith(ITEM_GRAPH_PREFIX):
        raise StoreError(f"{url}: the default-graph-uri <{iri}> is one of geokg's own graphs; name another")
    return iri


def connect(location: str | Path, wait: bool = False, command: str = "kg ingest"):
    """A store to write: a :class:`RemoteStore` for an ``http(s)://`` URL, else a :class:`LocalStore` folder
    (created when missing). Call ``close()`` when done."""
    if is_remote(location):
        query_url, update_url = endpoints(str(location))
        return RemoteStore(str(location), query_url, update_url, default_graph_uri(str(location)))
    return LocalStore(location, wait=wait, command=command)


# --- the lock of a local store --------------------------------------------------------------------------------


class _Lock:
    def __init__(self, descriptor: int):
        self.descriptor = descriptor

    def close(self) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)  # closing the file releases the flock
            self.descriptor = -1


def lock(path: str | Path, exclusive: bool, wait: bool = False, command: str = "kg ingest") -> _Lock:
    """Lock the store folder ``path`` through its ``kg.lock`` file: exclusively for a writer (which then writes
    its pid and command into the file), shared for a reader. A lock that is taken raises
    :class:`kg.errors.StoreError` naming the process that holds it, or with ``wait`` blocks until it is free.

    The lock is released when the returned object is closed, or when the process ends however it ends.
    """
    folder = Path(path)
    try:
        if exclusive:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise StoreError(f"{path}: no such store folder")
        descriptor = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(f"{path}: cannot open the store's lock file ({error.strerror or error})") from error
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(descriptor, mode | (0 if wait else fcntl.LOCK_NB))
    except OSError as error:
        holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip() or "unknown process"
        os.close(descriptor)
        if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise StoreError(f"{path}: cannot lock the store ({error.strerror or error})") from error
        pid, _, holder_command = holder.partition(" ")
        # a reader is refused only by a writer, whose name is in the file; a writer may meet readers, so it
        # trusts the name only while that process lives (a server holds the lock as long as it runs)
        if holder_command == "kg serve --writable" and (not exclusive or _running(pid)):
            raise StoreError(f"store {path} is served for writing by kg serve --writable (pid {pid}); "
                             f"give its URL as --store instead") from error
        if exclusive and holder_command:
            raise StoreError(f"store {path} is in use by another {holder_command} (pid {pid}); "
                             f"wait for it or give --wait") from error
        raise StoreError(f"store {path} is in use by another process (kg query, kg analyze or kg serve reading "
                         f"it, or a kg ingest writing it); try again when it ends") from error
    if exclusive:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()} {command}\n".encode("utf-8"), 0)
    return _Lock(descriptor)


def _running(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


_READ_LOCKS: dict[str, _Lock] = {}


def read_lock(path: str | Path) -> None:
    """Share the lock of the store folder ``path`` for the rest of this process, so no ``kg ingest`` writes it
    while it is read (Oxigraph leaves reading a store that another process writes undefined). A folder where
    the lock file cannot be made (read-only) is read without it."""
    key = str(Path(path).resolve())
    folder = Path(path)
    if key in _READ_LOCKS or not ((folder / LOCK_FILE).exists() or (folder / "CURRENT").exists()):
        return  # not a store folder: opening it fails with its own message
    try:
        _READ_LOCKS[key] = lock(path, exclusive=False)
    except StoreError as error:
        if isinstance(error.__cause__, OSError) and error.__cause__.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
            return
        raise


# --- identity of an ingested item -----------------------------------------------------------------------------


#: what an item's graph depends on besides the item: the pipeline's modules and its data (kg/lexicon/data, the
#: NER model, plover.ttl's edge properties); editing the CLI or the store does not make items stale
EXTRACTOR_MODULES = ("model", "items", "stories", "text", "lexicon/__init__", "ner", "recognize", "organizations",
                     "phrases", "ids", "link", "clauses", "arguments", "events", "relations", "pipeline", "rdf",
                     "namespace")


@cache
def extractor_fingerprint() -> str:
    """A digest of geokg's version, its pipeline's code, lexicon data, model and PLOVER scheme: an item ingested
    by another extractor is extracted again."""
    package = Path(__file__).resolve().parent
    files = [package / f"{name}.py" for name in EXTRACTOR_MODULES]
    files += sorted((package / "lexicon" / "data").glob("*.tsv")) + sorted((package / "lexicon" / "data").glob("*.txt"))
    files += sorted((package / "models").glob("*.crfsuite")) + [ontology_path("plover.ttl")]
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for path in files:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ingest_hash(item: NewsItem) -> str:
    """``sha256:`` and the digest of the item's record (id, text, title, date, source, url; not the file it was
    read from) and of the extractor: equal hashes mean the item's graph would come out the same."""
    record = json.dumps([item.id, item.text, item.title, item.date, item.source, item.url, extractor_fingerprint()],
                        ensure_ascii=False)
    return "sha256:" + hashlib.sha256(record.encode("utf-8")).hexdigest()


# --- writing --------------------------------------------------------------------------------------------------


def ntriples(triples) -> str:
    """Triples as N-Triples text (each once, in the order given), which is also valid inside a SPARQL ``INSERT
    DATA``: rdflib's own N-Triples rows, without building a Graph to serialize (a third of the time)."""
    return "".join(dict.fromkeys(map(_nt_row, triples)))


def replace_items(store, items: list[tuple[str, str, str]], new: bool = False) -> None:
    """Write ``(item_id, ingest_hash, n_triples)`` items in one transaction: each item's graph replaced whole,
    and its hash recorded; after a crash every item is there wholly or not at all. ``new``: the caller knows
    that the store holds none of them (a local store then adds them without retracting; see
    :meth:`LocalStore.add_new`)."""
    if not items:
        return
    if new and isinstance(store, LocalStore):
        store.add_new(items)
    else:
        store.update(";\n".join(_replace_operations(item_id, digest, text, store.union)
                                 for item_id, digest, text in items))


def _replace_operations(item_id: str, digest: str, text: str, union: str | None = None) -> str:
    graph = item_graph(item_id)
    return (f"{_retract(graph, union)} ;\n"
            f"DELETE WHERE {{ GRAPH <{INGEST_GRAPH}> {{ <{graph}> <{_INGEST_HASH}> ?old }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{\n{text}}}\n"
            f"GRAPH <{INGEST_GRAPH}> {{ <{graph}> <{_INGEST_HASH}> {Literal(digest).n3()} }} }} ;\n"
            f"{_merge(graph, union)}")


def _default(union: str | None) -> str:
    """The template ``?s ?p ?o`` in the default graph, or in the named graph ``union`` standing for it."""
    return f"GRAPH <{union}> {{ ?s ?p ?o }}" if union else "?s ?p ?o"


def _retract(graph, union: str | None = None) -> str:
    """Operations that take the named graph ``graph`` out of the store: its triples leave the default graph (or
    ``union``) unless another item or the ontology holds them too, then the graph is dropped. (Only geokg's own
    graphs count: a server may hold other graphs, a copy of geokg's export among them.)"""
    return (f"DELETE {{ {_default(union)} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}\n"
            f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }}\n"
            f"    FILTER(?other != <{graph}> && (?other = <{ONTOLOGY_GRAPH}> || "
            f"STRSTARTS(STR(?other), \"{ITEM_GRAPH_PREFIX}\"))) }} }} ;\n"
            f"DROP SILENT GRAPH <{graph}>")


def _merge(graph, union: str | None = None) -> str:
    """The operation that adds the named graph ``graph``'s triples to the default graph (or ``union``)."""
    return f"INSERT {{ {_default(union)} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def remove_items(store, item_ids: list[str]) -> list[str]:
    """Remove the graphs of ``item_ids`` (one transaction) and refresh the actors graph; returns the ids that
    were in the store."""
    held = ingested(store, item_ids)
    present = [item_id for item_id in dict.fromkeys(item_ids) if item_id in held]
    if present:
        actors = None if pending(store) else actors_of_items(store, present)  # all, after a writer died
        token = mark_pending(store)  # the actors graph lags behind until it is derived again
        store.update(";\n".join(
            f"{_retract(item_graph(item_id), store.union)} ;\n"
            f"DELETE WHERE {{ GRAPH <{INGEST_GRAPH}> {{ <{item_graph(item_id)}> <{_INGEST_HASH}> ?old }} }}"
            for item_id in present))
        refresh_actors(store, actors)
        clear_pending(store, None if actors is None else token)
    return present


def write_ontology(store) -> None:
    """(Re)write the ontology graph from ``ontology/*.ttl`` in one update."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_path(name))
    store.update(f"{_retract(ONTOLOGY_GRAPH, store.union)} ;\n"
                 f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{\n{ntriples(graph)}}} }} ;\n"
                 f"{_merge(ONTOLOGY_GRAPH, store.union)}")


_ACTOR_FILTER = (f'FILTER(STRSTARTS(STR(?g), "{ITEM_GRAPH_PREFIX}") && STRSTARTS(STR(?a), "{ACTOR_PREFIX}"))')
#: the predicates of an actor's triples in the item graphs that the actors graph keeps as they are
KEPT = (RDF.type, OWL.sameAs, GKG.iso3, GKG.country, SKOS.altLabel, GKG.nameKey)
_KEPT = ", ".join(predicate.n3() for predicate in KEPT)


def _actors_derived() -> str:
    """The graph pattern of the actors graph's triples ?a ?p ?o, for every actor, as a local store derives them all
    (some it derives from its default graph, a remote store here: see :func:`refresh_actors`)."""
    # Oxigraph's plan: the predicates first (7 s at 10,000 items, 16 s with a VALUES of a few actors before them)
    first = f"VALUES ?p {{ {_KEPT.replace(',', '')} }} GRAPH ?g {{ ?a ?p ?o }}"
    return f"""
  {{ {first} {_ACTOR_FILTER} }}
  UNION {{ {{ SELECT ?a (MIN(?name) AS ?o) WHERE {{ GRAPH ?g {{ ?a rdfs:label ?name }} {_ACTOR_FILTER} }}
             GROUP BY ?a (LANG(?name)) }} BIND(rdfs:label AS ?p) }}
  UNION {{ {{ SELECT DISTINCT ?a ?o WHERE {{ GRAPH ?g {{ ?a rdfs:label ?o }} {_ACTOR_FILTER} }} }}
          {{ SELECT ?a ?lang (MIN(STR(?name)) AS ?least) WHERE {{ GRAPH ?g {{ ?a rdfs:label ?name }} {_ACTOR_FILTER} }}
             GROUP BY ?a (LANG(?name) AS ?lang) }}
          FILTER(LANG(?o) = ?lang && STR(?o) > ?least) BIND(skos:altLabel AS ?p) }}"""
# (the other labels are those above the least of their language: compared with that one, not pairwise, which
# took time quadratic in the items naming an actor: 10 minutes and more at 10,000 items)
REFRESH_ATTEMPTS = 20
_ACTOR_SUBJECT = re.compile(r"^<(" + re.escape(ACTOR_PREFIX) + r"[^>]*)>", re.MULTILINE)


def actors_in(n_triples: str) -> set[str]:
    """The IRIs of the actors an item's N-Triples describe (the subjects the actors graph is derived from)."""
    return set(_ACTOR_SUBJECT.findall(n_triples))


def _values(variable: str, iris) -> str:
    """A SPARQL ``VALUES ?variable { <iri> … }`` block of ``iris``.

    >>> _values("a", ["urn:x", "urn:y"])
    'VALUES ?a { <urn:x> <urn:y> }'
    """
    return f"VALUES ?{variable} {{ " + " ".join(f"<{iri}>" for iri in iris) + " }"


def actors_of_items(store, item_ids) -> set[str]:
    """The actors the stored graphs of ``item_ids`` describe (one query for them all)."""
    graphs = [item_graph(item_id) for item_id in item_ids]
    if not graphs:
        return set()
    rows = store.query(f"SELECT DISTINCT ?a WHERE {{ {_values('g', graphs)} GRAPH ?g {{ ?a ?p ?o }} "
                       f'FILTER(STRSTARTS(STR(?a), "{ACTOR_PREFIX}")) }}')["rows"]
    return {str(row[0]) for row in rows}


def mark_pending(store) -> str:
    """Note in a local store, before a writer's first items (``kg ingest``) or removals (``kg remove``), that the
    actors graph is about to lag behind them, and return the note's token (process id and a random part); the
    writer clears its note (:func:`clear_pending`) once it has derived their actors. A note left behind means
    a writer died in between (killed, out of memory), since a local store has one writer at a time (its lock):
    the next ``kg ingest`` or ``kg remove`` derives the whole actors graph. At a remote store, where a note may
    be a live writer's, none is written or read: there a writer that dies before deriving leaves its actors to
    be derived when items naming them are next written or removed."""
    token = f"{os.getpid()}-{uuid.uuid4().hex}"
    if isinstance(store, LocalStore):
        store.update(f"INSERT DATA {{ GRAPH <{INGEST_GRAPH}> {{ <{ACTORS_GRAPH}> <{_PENDING}> {Literal(token).n3()} }} }}")
    return token


def clear_pending(store, token: str | None = None) -> None:
    """Clear a writer's note, or with no ``token`` every note (after the whole actors graph was derived)."""
    if not isinstance(store, LocalStore):
        return
    what = "?token" if token is None else Literal(token).n3()
    store.update(f"DELETE WHERE {{ GRAPH <{INGEST_GRAPH}> {{ <{ACTORS_GRAPH}> <{_PENDING}> {what} }} }}")


def pending(store) -> bool:
    """Whether a writer of this local store wrote items and died before deriving their actors (False for a
    remote store, see :func:`mark_pending`)."""
    if not isinstance(store, LocalStore):
        return False
    return store.query(f"ASK {{ GRAPH <{INGEST_GRAPH}> {{ <{ACTORS_GRAPH}> <{_PENDING}> ?token }} }}")["boolean"]


def derive_actors(store, actors: set[str]) -> None:
    """Derive the actors graph again for ``actors`` in a local store, from the default graph (one update).

    The default graph is the set union of the item graphs (and of the ontology, which describes no actor), so an
    actor's triples there are those of every item graph naming it, each once: its kept triples are its triples
    there, its label in a language the least of its labels there, and its other labels its ``skos:altLabel``s —
    what :func:`refresh_actors` derives from every item graph. (A triple is taken only where an item graph holds it
    too, a check of one index entry or a few: one written into the default graph by hand is no item's. Labels
    compare by their text, as the item graphs' labels, all strings, compare in SPARQL.) Read by one plain query per
    :data:`kg.sources.VALUES_CHUNK` actors,
    the work is that of the actors' distinct triples, not of the items naming them: an actor named in every item
    (a country, in a store of years) is a few hundred triples, where the derivation from every item graph read
    one set per item: removing one item from 100,000 took 7.7 s in it, adding 1,000 new ones 53 s."""
    if not actors:
        return
    blocks, rows = [_values("a", some) for some in values_chunks(sorted(actors))], []
    for only in blocks:
        rows += store.query(_SPARQL_PREFIXES + f"SELECT ?a ?p ?o WHERE {{ {only} ?a ?p ?o "
                            f"FILTER(?p IN (rdfs:label, {_KEPT}) && STRSTARTS(STR(?a), \"{ACTOR_PREFIX}\")) "
                            f"FILTER EXISTS {{ GRAPH ?g {{ ?a ?p ?o }} {_ACTOR_FILTER} }} }}")["rows"]
    store.update(_clear_actors(blocks) + _insert_actors(derived_triples(rows)))


def _clear_actors(blocks: list[str]) -> str:
    """The operations that take the actors of each ``VALUES ?a`` block of ``blocks`` out of the actors graph."""
    return " ;\n".join(f"DELETE {{ GRAPH <{ACTORS_GRAPH}> {{ ?a ?p ?o }} }} WHERE {{ {only} "
                        f"GRAPH <{ACTORS_GRAPH}> {{ ?a ?p ?o }} }}" for only in blocks)


def _insert_actors(triples: set[tuple]) -> str:
    """The operation that adds ``triples`` to the actors graph, after others; nothing for none (Virtuoso refuses
    an empty ``INSERT DATA``)."""
    return f" ;\nINSERT DATA {{ GRAPH <{ACTORS_GRAPH}> {{\n{ntriples(sorted(triples))}}} }}" if triples else ""


def derived_triples(rows: Iterable[tuple]) -> set[tuple]:
    """The actors graph's triples from the ``(actor, predicate, object)`` rows the item graphs give for some
    actors (their labels and :data:`KEPT` triples): the kept ones as they are, the least label in each language
    by its text (in code point order, whatever collation a server's MIN would use) and the others as
    ``skos:altLabel``.

    >>> from rdflib import Literal as L, URIRef
    >>> a = URIRef("https://w3id.org/geokg/id/actor/x")
    >>> rows = [(a, RDFS.label, L("Ман", lang="uk")), (a, RDFS.label, L("МАН", lang="uk"))]
    >>> sorted(derived_triples(rows))[0][2]
    rdflib.term.Literal('МАН', lang='uk')
    """
    triples, labels = set(), {}
    for a, p, o in rows:
        if p == RDFS.label:
            labels.setdefault((a, getattr(o, "language", None)), set()).add(o)
        else:
            triples.add((a, p, o))
    for (a, _), names in labels.items():
        least = min(names, key=str)
        triples.add((a, RDFS.label, least))
        triples.update((a, SKOS.altLabel, name) for name in names if str(name) > str(least))
    return triples


def _named_rows(store, chunks: list[str | None]) -> set[tuple]:
    """The distinct ``(actor, predicate, object)`` rows of the actors' labels and kept triples in the item graphs,
    for each ``VALUES ?a`` block of ``chunks`` (None: every actor)."""
    rows = set()
    for only in chunks:
        rows.update(store.query(_SPARQL_PREFIXES + f"SELECT DISTINCT ?a ?p ?o WHERE {{ {only or ''} GRAPH ?g "
                                f"{{ ?a ?p ?o }} FILTER(?p IN (rdfs:label, {_KEPT})) {_ACTOR_FILTER} }}")["rows"])
    return rows


def refresh_actors(store, actors: set[str] | None = None) -> None:
    """Derive the actors graph from the item graphs (see the module docstring) in one update: all of it, or only
    the triples of ``actors`` (those the items just written or removed describe, now or before), so that adding
    a day's news to a store of years does not derive every actor again. A local store derives some actors from
    its default graph (:func:`derive_actors`), all of them in one SPARQL update (its rows made distinct before
    they are inserted: each actor's type and names come once per item naming it, 400,000 rows for 48,000 quads at
    10,000 items, and inserting them all took twice as long). A remote store's derivation is read from its item
    graphs and made here (:func:`derived_triples`), since servers order labels by their own collations (Virtuoso
    puts «Ман» before «МАН»).

    A local store has one writer, which holds its lock. At a remote store two writers refreshing at once each see
    their own snapshot and may leave the union of two derivations, so there the graph is read back and the
    refresh runs again, after a random pause, until the graph is what the item graphs give."""
    if actors is not None and not actors:
        return
    if actors is not None and isinstance(store, LocalStore):
        derive_actors(store, actors)
        return
    if isinstance(store, LocalStore):
        store.update(_SPARQL_PREFIXES + f"DROP SILENT GRAPH <{ACTORS_GRAPH}> ;\nINSERT {{ GRAPH <{ACTORS_GRAPH}> "
                     f"{{ ?a ?p ?o }} }} WHERE {{ SELECT DISTINCT ?a ?p ?o WHERE {{ {_actors_derived()} }} }}")
        return
    chunks = [None] if actors is None else [_values("a", some) for some in values_chunks(sorted(actors))]
    clear = f"DROP SILENT GRAPH <{ACTORS_GRAPH}>" if actors is None else _clear_actors(chunks)
    for _ in range(REFRESH_ATTEMPTS):
        store.update(clear + _insert_actors(derived_triples(_named_rows(store, chunks))))
        held = set()
        for only in chunks:
            held.update(store.query(f"SELECT ?a ?p ?o WHERE {{ {only or ''} GRAPH <{ACTORS_GRAPH}> {{ ?a ?p ?o }} }}")
                        ["rows"])
        if held == derived_triples(_named_rows(store, chunks)):
            return
        time.sleep(random.uniform(0.05, 0.5))
    raise StoreError(f"{store.location}: the actors graph kept changing while it was derived; run kg ingest again "
                     f"when the other writers are done")


# --- reading --------------------------------------------------------------------------------------------------


def ingested(store, item_ids: Iterable[str] | None = None) -> dict[str, str]:
    """Item id -> ingest hash of every item in the store, or of those of ``item_ids`` it holds."""
    rows = []
    chunks = [None] if item_ids is None else values_chunks(sorted(set(item_ids)))
    for some in chunks:
        only = "" if some is None else _values("g", map(item_graph, some))
        rows += store.query(f"SELECT ?g ?hash WHERE {{ {only} GRAPH <{INGEST_GRAPH}> {{ ?g <{_INGEST_HASH}> ?hash }} "
                            f"}}")["rows"]
    return {unquote(str(graph)[len(ITEM_GRAPH_PREFIX):]): str(digest) for graph, digest in rows
            if str(graph).startswith(ITEM_GRAPH_PREFIX)}


def stored(store) -> int:
    """How many items the store holds: a count of the ingest hashes, each an item graph's (45 ms at 100,000
    items, where reading them takes 1.5 s)."""
    return int(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INGEST_GRAPH}> {{ ?g <{_INGEST_HASH}> ?hash }} "
                           f"}}")["rows"][0][0])


def has_item(store, item_id: str, digest: str) -> bool:
    """Whether the store holds ``item_id`` ingested with the hash ``digest``."""
    graph = item_graph(item_id)
    return store.query(f"ASK {{ GRAPH <{INGEST_GRAPH}> {{ <{graph}> <{_INGEST_HASH}> {Literal(digest).n3()} }} }}")[
        "boolean"]


def counts(store, quads: bool = False) -> dict[str, int]:
    """How many items, events, relations and actors the store holds, and with ``quads`` its quads (counting them
    reads every quad: 5.5 s at 100,000 items, where the rest takes 0.4 s, so ``kg ingest`` leaves it out). At a
    remote store only geokg's graphs count: a server may hold others (a copy of geokg's export among them)."""
    mine = f'FILTER(STRSTARTS(STR(?g), "{ITEM_GRAPH_PREFIX}"))' if isinstance(store, RemoteStore) else ""
    row = store.query(_SPARQL_PREFIXES + f"""
SELECT (COUNT(DISTINCT ?item) AS ?items) (COUNT(DISTINCT ?event) AS ?events)
       (COUNT(DISTINCT ?relation) AS ?relations) (COUNT(DISTINCT ?actor) AS ?actors) WHERE {{
  {{ GRAPH ?g {{ ?item a gkg:NewsItem }} {mine} }} UNION {{ GRAPH ?g {{ ?event a gkg:Event }} {mine} }}
  UNION {{ GRAPH ?g {{ ?relation a gkg:Relation }} {mine} }}
  UNION {{ GRAPH <{ACTORS_GRAPH}> {{ ?actor a ?kind }} FILTER(?kind NOT IN (gkg:Location, gkg:WeaponSystem)) }}
}}""")["rows"][0]
    found = {"items": int(row[0]), "events": int(row[1]), "relations": int(row[2]), "actors": int(row[3])}
    if quads:
        others = ""
        if isinstance(store, RemoteStore):  # geokg's graphs, but the stand-in for the default graph
            others = (f' FILTER(STRSTARTS(STR(?g), "{GKD["graph/"]}")'
                      + (f" && ?g != <{store.union}>" if store.union else "") + ")")
        found["quads"] = int(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}{others} }}")
                             ["rows"][0][0])
    return found


def dataset(store) -> Dataset:
    """The item graphs and the actors graph as an rdflib Dataset (no ontology, no bookkeeping)."""
    rows = store.query(f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
      FILTER(STRSTARTS(STR(?g), "{ITEM_GRAPH_PREFIX}") || ?g = <{ACTORS_GRAPH}>) }}""")["rows"]
    data = Dataset()
    bind_prefixes(data)
    for name, subject, predicate, obj in rows:
        data.add((subject, predicate, obj, name))
    return data


def union_graph(data: Dataset) -> Graph:
    """One graph of the items and actors, one label per language: what ``kg build`` writes as ``graph.ttl``."""
    graph = bind_prefixes(Graph())
    for subject, predicate, obj, _ in data.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    return one_label_per_language(graph)


def trig(data: Dataset) -> str:
    return data.serialize(format="trig")


__all__ = [
    "ACTORS_GRAPH", "INGEST_GRAPH", "ONTOLOGY_GRAPH", "LocalStore", "RemoteStore", "actors_in", "actors_of_items",
    "clear_pending", "connect", "counts", "dataset", "default_graph_uri", "derive_actors", "derived_triples",
    "endpoints", "has_item", "ingest_hash", "ingested", "item_graph", "lock", "mark_pending", "ntriples", "pending",
    "refresh_actors", "remove_items", "replace_items", "stored", "trig", "union_graph", "without_dataset",
    "write_ontology",
]
