"""``kg query``: run a shipped query, a ``.rq`` file or SPARQL text on the graph, with typed parameters.

:func:`run` does it all: finds the query text (:func:`query_text`), opens the graph file, Oxigraph store or
SPARQL endpoint (:func:`connect`), turns each ``NAME=VALUE`` into an RDF term by the type the query's header
declares (:func:`bind`), runs the query (:mod:`kg.sources`) and, for a query whose header says ``then: STEP``,
hands the rows to that step. The result is a plain dict (see :mod:`kg.sources`); :mod:`kg.results` prints it.

An actor parameter accepts an IRI (``<…>``, ``https://…``, ``gkd:actor/jpn``), a Wikidata id (``Q17``,
``wd:Q17``), an IRI's last segment (``jpn``) or a label or form seen in the news (``Японія``, ``Japan``,
``США``), looked up with the shipped ``find-actor`` query. A name that fits no actor is bound as a plain
literal, which matches nothing (with a notice); one that fits several equally well is an error, unless just one
of them is linked to Wikidata ("Україна" the state, not a newspaper of that name the news also gave): that one
is taken, with a notice naming the others.

The shortest chain between two actors (``path``) cannot be read from SPARQL, whose property paths say that a
chain exists but not what it is: ``path.rq`` lists every link, and :func:`shortest_path` finds the chain by
breadth-first search.
"""

from __future__ import annotations

import datetime
import re
from collections import deque
from pathlib import Path
from typing import Callable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Identifier

from kg.errors import InputError, QueryError
from kg.items import read_text
from kg.namespace import PREFIXES, WD
from kg.queries import describe, load, names
from kg.sources import Bindings, load_graph, on_endpoint, on_graph, on_store, open_store

Execute = Callable[[str, Bindings], dict]

_NAME = re.compile(r"[A-Za-z_]\w*")
_PREFIXES = {**{prefix: str(namespace) for prefix, namespace in PREFIXES.items()}, "rdf": str(RDF),
             "rdfs": str(RDFS)}
_PREFIXED = re.compile(r"(?P<prefix>[A-Za-z][\w-]*):(?P<local>\S*)")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def run(query: str, params: dict[str, str] | None = None, graph: str | Path | None = None,
        store: str | None = None, notices: list[str] | None = None) -> dict:
    """The result of ``query`` (a shipped query's name, a ``.rq`` path or SPARQL text) with ``params``
    (name → value as typed) on ``store`` (an Oxigraph folder or an ``http(s)://`` endpoint) or else on the RDF
    file ``graph`` (default ``output/graph.ttl``).
    """
    notices = notices if notices is not None else []
    text = query_text(query, notices)
    return run_on(connect(graph=graph, store=store, notices=notices), text, params, notices)


def run_on(execute: Execute, text: str, params: dict[str, str] | None = None,
           notices: list[str] | None = None) -> dict:
    """The result of the SPARQL ``text`` with ``params`` bound as its header declares, run by ``execute`` (see
    :func:`connect`), with the step its header names (a shortest chain) applied to the rows."""
    notices = notices if notices is not None else []
    header = describe(text)
    bindings = bind(header, params or {}, execute, notices)
    if header["then"] is None:
        return execute(text, bindings)
    if header["then"] not in STEPS:
        raise QueryError(f"the query's header names the unknown step {header['then']!r}; known: "
                         f"{', '.join(STEPS)}")
    step, step_params = STEPS[header["then"]]
    sparql = {name: term for name, term in bindings.items() if name not in step_params}
    return step(execute(text, sparql), {name: bindings[name] for name in step_params if name in bindings})


def query_text(query: str, notices: list[str] | None = None) -> str:
    """The SPARQL text ``query`` stands for: a shipped query by name, the file at a path ending in ``.rq`` (or
    any existing file), else ``query`` itself when it looks like SPARQL (has a brace or a space)."""
    if query in names():
        return load(query)
    if query.endswith(".rq") or Path(query).is_file():
        return read_text(query, notices)
    if "{" in query or any(char.isspace() for char in query):
        return query
    raise QueryError(f"no shipped query {query!r} and no such .rq file; shipped: {', '.join(names())}")


def connect(graph: str | Path | None = None, store: str | None = None,
            notices: list[str] | None = None) -> Execute:
    """A function ``execute(text, bindings) -> result`` on the SPARQL endpoint or Oxigraph folder ``store``,
    or else on the RDF file ``graph`` read with the ontology (:func:`kg.sources.load_graph`)."""
    if store is not None and re.match(r"https?://", store):
        return lambda text, bindings: on_endpoint(store, text, bindings)
    if store is not None:
        oxigraph = open_store(store)
        return lambda text, bindings: on_store(oxigraph, text, bindings)
    loaded = load_graph(graph, notices)
    return lambda text, bindings: on_graph(loaded, text, bindings)


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["a=Японія", "to=2024-04-30"]`` → ``{"a": "Японія", "to": "2024-04-30"}``.

    >>> parse_params(["q=a=b"])
    {'q': 'a=b'}
    """
    params: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not _NAME.fullmatch(name):
            raise InputError(f"--param {pair!r}: expected NAME=VALUE with NAME a SPARQL variable name")
        if name in params:
            raise InputError(f"--param {name} given twice")
        params[name] = value
    return params


def bind(header: dict, params: dict[str, str], execute: Execute | None = None,
         notices: list[str] | None = None) -> Bindings:
    """Each parameter value as an RDF term of the type the query's ``header`` (from
    :func:`kg.queries.describe`) declares for it. A query with a header comment needs every parameter it
    declares and takes no others; one without (SPARQL typed in) takes any, each typed by its look (:func:`term`).
    """
    notices = notices if notices is not None else []
    types = {param["name"]: param["type"] for param in header["params"]}
    if header["description"] or types:
        unknown = sorted(set(params) - set(types))
        if unknown:
            takes = f"it takes: {', '.join(types)}" if types else "it takes none"
            raise InputError(f"the query takes no parameter {', '.join(unknown)}; {takes}")
        missing = [name for name in types if name not in params]
        if missing:
            raise InputError("the query needs " + " ".join(f"--param {name}=…" for name in missing))
    bindings = {}
    for name, value in params.items():
        kind = types.get(name)
        if kind == "actor":
            bindings[name] = actor(value, execute, notices) if execute else term(value)
        else:
            bindings[name] = typed(value, kind, name)
    return bindings


def typed(value: str, kind: str | None, name: str = "value") -> Identifier:
    """``value`` as an RDF term of the declared ``kind`` (one of :data:`kg.queries.PARAM_TYPES` but actor);
    undeclared (None): by its look.

    >>> typed("2024-04-01", "xsd:date")
    rdflib.term.Literal('2024-04-01', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
    >>> typed("gkd:actor/jpn", "iri")
    rdflib.term.URIRef('https://w3id.org/geokg/id/actor/jpn')
    """
    if kind is None:
        return term(value)
    if kind == "string":
        return Literal(value)
    if kind == "iri":
        iri = as_iri(value)
        if iri is None:
            raise InputError(f"--param {name}={value}: not an IRI (<…>, http(s)://… or a prefixed name)")
        return iri
    if kind == "xsd:date":
        if not _DATE.fullmatch(value) or not _valid_date(value):
            raise InputError(f"--param {name}={value}: not a date (YYYY-MM-DD)")
        return Literal(value, datatype=XSD.date)
    if kind == "xsd:integer" and _INTEGER.fullmatch(value):
        return Literal(value, datatype=XSD.integer)
    if kind == "xsd:decimal" and _DECIMAL.fullmatch(value):
        return Literal(value, datatype=XSD.decimal)
    raise InputError(f"--param {name}={value}: not an {kind}")


def term(value: str) -> Identifier:
    """A parameter value by its look: an IRI if written ``<…>``, ``http(s)://…`` or with a known prefix
    (``gkg:``, ``gkd:``, ``wd:`` …), else a plain literal.

    >>> term("wd:Q17"), term("Японія")
    (rdflib.term.URIRef('http://www.wikidata.org/entity/Q17'), rdflib.term.Literal('Японія'))
    """
    iri = as_iri(value)
    return iri if iri is not None else Literal(value)


def as_iri(value: str) -> URIRef | None:
    """The IRI ``value`` writes, or None if it writes none. Characters no IRI may hold raise ``InputError``.

    >>> as_iri("<https://w3id.org/geokg/id/actor/jpn>") == as_iri("gkd:actor/jpn")
    True
    >>> as_iri("Японія") is None
    True
    """
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif re.match(r"https?://", value):
        iri = value
    elif (prefixed := _PREFIXED.fullmatch(value)) and prefixed["prefix"] in _PREFIXES:
        iri = _PREFIXES[prefixed["prefix"]] + prefixed["local"]
    else:
        return None
    if re.search(r'[<>"{}|^`\\\x00-\x20]', iri):
        raise InputError(f"{value!r}: not a valid IRI (it holds a space, quote, brace or angle bracket)")
    return URIRef(iri)


def actor(value: str, execute: Execute, notices: list[str]) -> Identifier:
    """The actor ``value`` names: its IRI as written, else the one actor ``find-actor`` finds first (a
    Wikidata id or IRI segment before a label, a label before a form seen in the news)."""
    iri = as_iri(value)
    if iri is not None and not str(iri).startswith(str(WD)):
        return iri
    name = str(iri)[len(str(WD)):] if iri is not None else value
    found = execute(load("find-actor"), {"name": Literal(name)})
    rows = [dict(zip(found["columns"], row)) for row in found["rows"]]
    if not rows:
        notices.append(f"no actor is called {value!r} in the graph; the query will match nothing (in a graph "
                       f"written before actors had name keys, gkg:nameKey, none is found by name: build or ingest "
                       f"it again, or give the actor by IRI)")
        return Literal(value)
    best = min(int(row["rank"]) for row in rows)
    actors = sorted({row["actor"]: row["label"] for row in rows if int(row["rank"]) == best}.items())
    linked = [(iri, label) for iri, label in actors
              if any(row["actor"] == iri and row["linked"].toPython() is True for row in rows)]
    if len(actors) > 1 and len(linked) == 1:
        others = "; ".join(f"{iri} ({label})" for iri, label in actors if iri != linked[0][0])
        notices.append(f"{value!r} also names {others}; taken as {linked[0][0]} ({linked[0][1]}), the one linked "
                       f"to Wikidata: give an IRI for another")
        return linked[0][0]
    if len(actors) > 1:
        choices = "; ".join(f"{iri} ({label})" for iri, label in actors)
        raise InputError(f"{value!r} names several actors: {choices}; give one by its IRI")
    return actors[0][0]


def shortest_path(result: dict, ends: Bindings) -> dict:
    """The links of ``result`` (rows with ``source`` and ``target`` columns) that form the shortest chain from
    ``ends["from"]`` to ``ends["to"]``, each link usable either way round, numbered by a first ``step`` column.
    No rows when there is no chain; among equally short chains, the one met first in row order.

    >>> links = {"columns": ["source", "target"], "rows": [("a", "b"), ("c", "b"), ("c", "d")]}
    >>> [(int(step), source, target) for step, source, target in shortest_path(links, {"from": "a", "to": "d"})["rows"]]
    [(1, 'a', 'b'), (2, 'c', 'b'), (3, 'c', 'd')]
    """
    columns = result["columns"]
    source, target = columns.index("source"), columns.index("target")
    start, goal = ends.get("from"), ends.get("to")
    links: dict = {}
    for row in result["rows"]:
        links.setdefault(row[source], []).append((row[target], row))
        links.setdefault(row[target], []).append((row[source], row))
    came_from: dict = {start: None}
    queue = deque([start])
    while queue and goal not in came_from:
        node = queue.popleft()
        for neighbour, row in links.get(node, ()):
            if neighbour not in came_from:
                came_from[neighbour] = (node, row)
                queue.append(neighbour)
    chain = []
    node = goal if start != goal else None
    while node in came_from and came_from[node] is not None:
        node, row = came_from[node]
        chain.append(row)
    return {"columns": ["step", *columns],
            "rows": [(Literal(step), *row) for step, row in enumerate(reversed(chain), 1)]}


def _valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


#: the steps a query header may name with ``# then: STEP``: the function and the parameters it takes (they are
#: not bound in the SPARQL text).
STEPS: dict[str, tuple[Callable[[dict, Bindings], dict], tuple[str, ...]]] = {
    "shortest-path": (shortest_path, ("from", "to")),
}
