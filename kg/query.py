"""``kg query``: run a shipped query, a ``.rq`` file or SPARQL text on the graph, with typed parameters.

:func:`run` does it all: finds the query text (:func:`query_text`), opens the graph file, Oxigraph store or
SPARQL endpoint (:func:`connect`), turns each ``NAME=VALUE`` into an RDF term by the type the query's header
declares (:func:`bind`) and runs the query (:mod:`kg.sources`), or, for a query whose header says
``then: STEP``, hands it to that step (:data:`STEPS`), which runs what it needs. The result is a plain dict (see
:mod:`kg.sources`); :mod:`kg.results` prints it.

An actor parameter accepts an IRI (``<…>``, ``https://…``, ``gkd:actor/jpn``), a Wikidata id (``Q17``,
``wd:Q17``), an IRI's last segment (``jpn``) or a label or form seen in the news (``Японія``, ``Japan``,
``США``), looked up with the shipped ``find-actor`` query. A name that fits no actor is bound as a plain
literal, which matches nothing (with a notice); one that fits several equally well is an error, unless just one
of them is linked to Wikidata ("Україна" the state, not a newspaper of that name the news also gave): that one
is taken, with a notice naming the others.

The shortest chain between two actors (``path``) cannot be read from SPARQL, whose property paths say that a
chain exists but not what it is: :func:`shortest_path` searches breadth-first from both ends, one query per hop
for the actors linked with those of the frontier it grows, and the first link to each (the query
``kg/queries/steps/neighbours.rq``, the frontier in its ``VALUES`` blocks, at most :data:`kg.sources.VALUES_CHUNK` actors
a query), growing the smaller frontier each time, until the two meet (:func:`shortest_chain`); then one query of
``path.rq`` gives the details of the chain's links. Among equally short chains it takes the one whose actors,
from the start, come first by IRI, actor by actor; between two actors, the event or relation first by IRI.

Two other steps make a query cost what its answer holds rather than what the store holds: ``events-by-date``
(:func:`date_range`) asks for the dates in the range that the graph holds, then for the events of those dates;
``conflict`` (:func:`sides`) reads the events of the side with fewer actors and keeps those whose other end is the
other side or belongs to it, then asks for their details.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Identifier

from kg.errors import InputError, QueryError
from kg.items import read_text
from kg.namespace import PREFIXES, WD
from kg.queries import describe, load, names, step_query
from kg.sources import Bindings, closing_order, fill_values, in_order, load_graph, on_endpoint, on_graph, on_store, \
    open_store, selected, values_chunks

Execute = Callable[[str, Bindings], dict]
#: a step that a query's header names with ``# then: STEP``: ``step(execute, text, bindings) -> result`` runs the
#: query ``text`` (and any of ``kg/queries/steps/``) by ``execute`` as it needs, the parameters ``bindings`` typed
#: as the header declares; it binds them in the SPARQL text or not, as it needs
Step = Callable[[Execute, str, Bindings], dict]

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
    :func:`connect`), or by the step its header names (:data:`STEPS`)."""
    notices = notices if notices is not None else []
    header = describe(text)
    bindings = bind(header, params or {}, execute, notices)
    if header["then"] is None:
        return execute(text, bindings)
    if header["then"] not in STEPS:
        raise QueryError(f"the query's header names the unknown step {header['then']!r}; known: "
                         f"{', '.join(STEPS)}")
    return STEPS[header["then"]](execute, text, bindings)


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
        from kg.store import default_graph_uri

        default_graph_uri(store)  # a graph standing for the default graph is checked as kg ingest checks it
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
    if not found["rows"] and not execute(step_query("has-name-keys"), {})["boolean"]:  # a graph from before keys
        found = execute(step_query("find-actor-by-comparison"), {"name": Literal(name)})
    rows = [dict(zip(found["columns"], row)) for row in found["rows"]]
    if not rows:
        notices.append(f"no actor is called {value!r} in the graph; the query will match nothing")
        return Literal(value)
    best = min(int(row["rank"]) for row in rows)
    actors = sorted({row["actor"]: row["label"] for row in rows if int(row["rank"]) == best}.items())
    wikidata = {row["actor"] for row in rows if row["linked"].toPython() is True}
    linked = [(iri, label) for iri, label in actors if iri in wikidata]
    if len(actors) > 1 and len(linked) == 1:
        others = "; ".join(f"{iri} ({label})" for iri, label in actors if iri != linked[0][0])
        notices.append(f"{value!r} also names {others}; taken as {linked[0][0]} ({linked[0][1]}), the one linked "
                       f"to Wikidata: give an IRI for another")
        return linked[0][0]
    if len(actors) > 1:
        choices = "; ".join(f"{iri} ({label})" for iri, label in actors)
        raise InputError(f"{value!r} names several actors: {choices}; give one by its IRI")
    return actors[0][0]


def shortest_path(execute: Execute, text: str, bindings: Bindings) -> dict:
    """The rows of ``text`` (a query with ``VALUES ?fact { UNDEF }`` blocks and a ``fact`` column, as ``path.rq``)
    for the links of the shortest chain from ``bindings["from"]`` to ``bindings["to"]`` (:func:`shortest_chain`,
    asking ``execute`` for each hop's neighbours, :func:`neighbours`): one row per link, the first ``text`` gives
    for it, numbered by a first ``step`` column. No rows when there is no chain or the two are the same."""
    if "from" not in bindings or "to" not in bindings:
        raise InputError("the shortest-path step needs --param from=… and --param to=…")
    links = shortest_chain(bindings["from"], bindings["to"], lambda frontier: neighbours(execute, frontier))
    if not links:
        return {"columns": ["step", *(selected(text) or [])], "rows": []}
    result = execute(fill_values(text, ["fact"], [(link,) for link in links]), {})
    fact = result["columns"].index("fact")
    first: dict = {}
    for row in result["rows"]:
        first.setdefault(row[fact], row)
    missing = [link for link in links if link not in first]
    if missing:
        raise QueryError(f"the query gives no row for {missing[0]}, a link that kg/queries/steps/neighbours.rq found")
    return {"columns": ["step", *result["columns"]],
            "rows": [(Literal(step), *first[link]) for step, link in enumerate(links, 1)]}


def date_range(execute: Execute, text: str, bindings: Bindings) -> dict:
    """The rows of ``text`` (a query with ``VALUES ?date { UNDEF }`` blocks, ordered first by ``STR(?date)``, as
    ``events-by-date.rq``) for the dates in the range ``bindings["from"]`` … ``bindings["to"]`` that the graph holds
    (``kg/queries/steps/dates-in-range.rq``): ``text`` runs with :data:`kg.sources.VALUES_CHUNK` of them at a time,
    taken in that order, so that its rows, chunk after chunk, are in its own order. Each date's events are then
    found by the store's index, not by testing every event's date."""
    if "from" not in bindings or "to" not in bindings:
        raise InputError("the date-range step needs --param from=… and --param to=…")
    order = closing_order(text)
    if order is None or order.keys[0] != ("date", False, True):
        raise QueryError("the date-range step needs a query that ends in ORDER BY STR(?date) …")
    found = execute(step_query("dates-in-range"), {"from": bindings["from"], "to": bindings["to"]})["rows"]
    return _each(execute, text, ["date"], {row[:1] for row in found if row[0] is not None}, bindings)


def sides(execute: Execute, text: str, bindings: Bindings) -> dict:
    """The rows of ``text`` (a query with a ``VALUES (?event ?source ?target) { (UNDEF UNDEF UNDEF) }`` block and a
    closing ``ORDER BY`` of variables, as ``conflict.rq``) for the events between the sides ``bindings["a"]`` and
    ``bindings["b"]``, either way round: a side is itself and every actor that belongs to it (``gkg:country``).
    The events of the side with fewer actors are read (``kg/queries/steps/side-sizes.rq``, ``members.rq``,
    ``event-ends.rq``), and of each the other end is asked what it belongs to (``belongs.rq``), to keep those that
    are the other side or belong to it, all in VALUES blocks of at most :data:`kg.sources.VALUES_CHUNK`; ``text``
    runs on those events as many times, and its rows are put in its order in Python (:func:`kg.sources.sort_rows`),
    each row once. Where that cannot be done — a blank node among the actors or events, which no VALUES block can
    name, a closing order Python cannot copy (:func:`kg.sources.closing_order`) or a key whose order SPARQL leaves
    to the engine — ``text`` runs alone, testing every event's sides.
    """
    if "a" not in bindings or "b" not in bindings:
        raise InputError("the sides step needs --param a=… and --param b=…")
    order = closing_order(text)
    if order is None:  # rows that Python cannot put in the query's order
        return _once(execute(text, bindings))
    side_a, side_b = bindings["a"], bindings["b"]
    sizes = {row[0]: int(row[1].toPython()) for row in
             execute(fill_values(step_query("side-sizes"), ["side"], [(side_a,), (side_b,)]), {})["rows"]}
    small, large = (side_a, side_b) if sizes.get(side_a, 0) <= sizes.get(side_b, 0) else (side_b, side_a)
    members = {row[0] for row in execute(fill_values(step_query("members"), ["side"], [(small,)]), {})["rows"]}
    if _blank(members):
        return _once(execute(text, bindings))
    ends = set(_each(execute, step_query("event-ends"), ["actor"], {(member,) for member in members})["rows"])
    if any(_blank(row) for row in ends):
        return _once(execute(text, bindings))
    others = members if small == large else {large} | {
        actor for actor, country in _each(execute, step_query("belongs"), ["actor"],
                                          {(end,) for row in ends for end in row[1:]})["rows"] if country == large}
    links = {row for row in ends if (row[1] in members and row[2] in others)
             or (row[2] in members and row[1] in others)}
    ordered = in_order(_each(execute, order.text, ["event", "source", "target"], links, bindings), order)
    return _once(ordered if ordered is not None else execute(text, bindings))


def _blank(terms: Iterable) -> bool:
    return any(isinstance(term, BNode) for term in terms)


def _once(result: dict) -> dict:
    """``result`` with each row once, where it first comes."""
    return {"columns": result["columns"], "rows": list(dict.fromkeys(result["rows"]))}


def _each(execute: Execute, text: str, names: list[str], rows: set[tuple], bindings: Bindings | None = None) -> dict:
    """The result of ``text`` for each of ``rows`` (values of the variables ``names``) in its ``VALUES`` blocks of
    them, asked by ``execute`` :data:`kg.sources.VALUES_CHUNK` rows at a time in the order of their text, the
    results one after the other; the columns of ``text`` when there are no rows."""
    columns, found = selected(text) or [], []
    for chunk in values_chunks(sorted(rows, key=lambda row: tuple(map(str, row)))):
        result = execute(fill_values(text, names, chunk), bindings or {})
        columns = result["columns"]
        found.extend(result["rows"])
    return {"columns": columns, "rows": found}


def neighbours(execute: Execute, frontier: list) -> list[tuple]:
    """Each ``(actor, neighbour, link)`` of an actor of ``frontier``, one linked with it and the first event or
    relation that links the two, by IRI (``kg/queries/steps/neighbours.rq``), asked by ``execute``
    :data:`kg.sources.VALUES_CHUNK` actors at a time (so that a hub's neighbours do not make one enormous query).

    Virtuoso 7 gives back an IRI that the query's VALUES block binds as a plain string: each ``actor`` is taken
    as the actor of ``frontier`` it spells; one that spells none is an error (no traceback further on)."""
    asked = {str(node): node for node in frontier}
    rows = []
    for node, neighbour, link in _each(execute, step_query("neighbours"), ["node"],
                                       {(node,) for node in frontier})["rows"]:
        if str(node) not in asked:
            raise QueryError(f"the neighbours of {len(asked)} actors came back with {node!r}, which is not one of "
                             f"them (kg/queries/steps/neighbours.rq)")
        rows.append((asked[str(node)], neighbour, link))
    return rows


def shortest_chain(start, goal, linked: Callable[[list], Iterable[tuple]]) -> list:
    """The links of the shortest chain from ``start`` to ``goal``, in order, found by breadth-first search from
    both ends: ``linked(frontier)`` gives an ``(actor, neighbour, link)`` for each actor of a frontier (sorted by
    IRI) and each one linked with it, and the smaller frontier (``start``'s on a tie) grows by a hop each time,
    until the two meet or one is empty. Among equally short chains, the one whose actors come first by IRI,
    compared actor by actor from the start, whatever order ``linked`` gives them in. An empty list when there is no
    chain or ``start`` is ``goal``. A blank node is no neighbour: the next query could not name it.

    >>> pairs = [("a", "b"), ("c", "b"), ("c", "d"), ("a", "x"), ("x", "y")]
    >>> linked = lambda frontier: [(node, other, pair) for pair in pairs for node, other in (pair, pair[::-1])
    ...                            if node in frontier]
    >>> shortest_chain("a", "d", linked)
    [('a', 'b'), ('c', 'b'), ('c', 'd')]
    """
    if start == goal:
        return []
    known = ({start: []}, {goal: []})  # each side's actors → (actor of the hop before, link) for each link between
    frontiers = [[start], [goal]]
    while frontiers[0] and frontiers[1]:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        frontiers[side] = _grow(known[side], frontiers[side], linked)
        met = [node for node in frontiers[side] if node in known[1 - side]]
        if met:
            return _walk(start, goal, set(met), known)
    return []


def _grow(known: dict, frontier: list, linked: Callable[[list], Iterable[tuple]]) -> list:
    """The next frontier of one side of the search: the actors linked with those of ``frontier`` that the side
    has not reached, sorted by IRI, each put in ``known`` with each actor of ``frontier`` it is linked with and the
    link."""
    found = defaultdict(list)
    for node, neighbour, link in linked(frontier):
        if neighbour not in known and not isinstance(neighbour, BNode):
            found[neighbour].append((node, link))
    known.update(found)
    return sorted(found, key=str)


def _walk(start, goal, met: set, known: tuple[dict, dict]) -> list:
    """The links of the chain from ``start`` to ``goal`` through the actors ``met`` where the two sides of the
    search met (each as far from ``start`` as the others): from ``start``, to the actor that comes first by IRI
    among those one hop on along some shortest chain; past the meeting, along the goal's side."""
    ahead = defaultdict(list)  # an actor of the start's side → (actor of the next hop towards ``met``, link)
    hop = met
    while hop:
        behind = set()
        for node in hop:
            for parent, link in known[0][node]:
                ahead[parent].append((node, link))
                behind.add(parent)
        hop = behind
    node, links = start, []
    while node not in met:
        node, link = min(ahead[node], key=_by_actor)
        links.append(link)
    while node != goal:
        node, link = min(known[1][node], key=_by_actor)
        links.append(link)
    return links


def _by_actor(step: tuple) -> str:
    """An ``(actor, link)`` pair's place among those of one hop: its actor's IRI."""
    return str(step[0])


def _valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


#: the steps a query header may name with ``# then: STEP`` (see :data:`Step`)
STEPS: dict[str, Step] = {"shortest-path": shortest_path, "date-range": date_range, "sides": sides}
