"""Where SPARQL queries run: an rdflib Graph read from a file, an Oxigraph store on disk, or a SPARQL endpoint.

Each ``on_*`` function runs one query with parameters bound as RDF terms and returns a plain dict,
``{"columns": [name, ...], "rows": [(term or None, ...), ...]}`` (CONSTRUCT and DESCRIBE give the columns
subject, predicate, object), or ``{"boolean": bool}`` for ASK; terms are rdflib terms whatever the engine.

Parameters never become query text by pasting: rdflib binds them with ``initBindings``, pyoxigraph with its
``substitutions`` argument (which it accepts only for variables of the SELECT projection), and an endpoint
gets a ``VALUES`` block of serialized RDF terms at the head of the WHERE group (:func:`with_values`), as does
pyoxigraph for a parameter outside the projection. Shipped queries use parameters only in their top-level
group, where all three give the same rows (``tests/test_query.py`` checks that). A set of terms that a step of
``kg.query`` passes (the actors a search has reached) takes the place of ``UNDEF`` in the query's ``VALUES``
blocks (:func:`fill_values`), serialized the same way, and the text then runs alike everywhere.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier
from rdflib.util import guess_format

from kg.errors import InputError, QueryError, StoreError
from kg.items import read_text
from kg.namespace import GKD, ontology_path

Bindings = dict[str, Identifier]
DEFAULT_GRAPH = Path("output/graph.ttl")  # what `kg build` writes by default
ONTOLOGY_FILES = ("plover.ttl", "geokg.ttl")
ENDPOINT_TIMEOUT = 60  # seconds to wait for an endpoint's answer
#: the most terms one VALUES block of a query built from a set of terms holds (a larger set is asked in chunks of
#: this many): from about 1,000 rows on, Oxigraph 0.5 joins a VALUES block by hash, reading every quad the pattern
#: after it matches instead of looking each row's up (the neighbours of 1,000 actors took 0.1 s; of 1,023 at
#: 10,000 items 2.5 s, of 1,024 at 100,000 items 30 s)
VALUES_CHUNK = 500
_SPARQL_RESULTS = "application/sparql-results+json"
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_TRIPLE_COLUMNS = ["subject", "predicate", "object"]


# --- graph files and stores -----------------------------------------------------------------------------------


def load_graph(path: str | Path | None = None, notices: list[str] | None = None) -> Graph:
    """The graph in the RDF file ``path`` (default ``output/graph.ttl``; format from its suffix, Turtle when
    unknown) together with the ontology and the PLOVER scheme, so quad classes and role labels resolve.

    A missing, empty, binary or malformed file raises :class:`kg.errors.InputError` naming it.
    """
    path = Path(path) if path is not None else DEFAULT_GRAPH
    if not path.exists():
        hint = "; build it with `kg build`" if path == DEFAULT_GRAPH else ""
        raise InputError(f"{path}: no such graph file{hint}")
    text = read_text(path, notices)
    graph = Graph()
    try:
        graph.parse(data=text, format=guess_format(str(path)) or "turtle")
    except Exception as error:  # rdflib's parsers raise many types; all mean "not this format"
        raise InputError(f"{path}: not a valid RDF file ({_first_line(error)})") from error
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_path(name))
    return graph


def open_store(path: str | Path):
    """The Oxigraph store in the folder ``path``, opened read-only (another process may serve it meanwhile); a
    ``kg ingest`` writing it meanwhile is an error (:func:`kg.store.read_lock`)."""
    import pyoxigraph

    from kg.store import read_lock

    if not Path(path).is_dir():
        raise StoreError(f"{path}: no such store folder")
    read_lock(path)
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as error:
        raise StoreError(f"{path}: cannot open the Oxigraph store ({_first_line(error)})") from error


def store_graph(location: str | Path) -> Graph:
    """Every triple of a store, whatever graph holds it, as one rdflib Graph: an Oxigraph store folder (opened
    read-only, see :func:`open_store`) or a SPARQL endpoint URL (one SELECT over the default graph and geokg's
    named graphs: a server may hold other graphs, and Virtuoso its own; not a CONSTRUCT, whose answer Virtuoso
    may cut without saying so)."""
    if re.match(r"https?://", str(location)):
        from kg.store import default_graph_uri, without_dataset

        union, mine = default_graph_uri(str(location)), f'STRSTARTS(STR(?g), "{GKD["graph/"]}")'
        if union:  # the graph standing for the default graph, and geokg's: named, without the dataset parameters
            rows = on_endpoint(without_dataset(str(location)), "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                                                               f"FILTER(?g = <{union}> || {mine}) }}")
        else:
            rows = on_endpoint(str(location), "SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION "
                                              f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER({mine}) }} }}")
        graph = Graph()
        for triple in rows["rows"]:
            graph.add(triple)
        return graph
    import pyoxigraph

    store = open_store(location)
    graph = Graph()
    try:
        for name in [pyoxigraph.DefaultGraph(), *store.named_graphs()]:
            graph.parse(data=store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=name), format="nt")
    except OSError as error:
        raise StoreError(f"{location}: cannot read the store ({_first_line(error)})") from error
    return graph


# --- running a query ----------------------------------------------------------------------------------------------


def on_graph(graph: Graph, text: str, bindings: Bindings | None = None) -> dict:
    """Run ``text`` on an rdflib graph, ``bindings`` bound through ``initBindings``.

    >>> from kg.namespace import GKG
    >>> g = Graph().add((URIRef("urn:a"), GKG.source, URIRef("urn:b")))
    >>> on_graph(g, "SELECT ?s WHERE { ?s ?p ?o }", {"o": URIRef("urn:b")})["rows"]
    [(rdflib.term.URIRef('urn:a'),)]
    """
    from pyparsing import ParseException

    try:
        result = graph.query(text, initBindings=bindings or {})
        if result.type == "ASK":
            return {"boolean": bool(result.askAnswer)}
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return {"columns": list(_TRIPLE_COLUMNS), "rows": [tuple(_plain(t) for t in triple)
                                                                 for triple in result.graph]}
        return {"columns": [str(v) for v in result.vars],
                "rows": [tuple(_plain(term) for term in row) for row in result]}
    except ParseException as error:
        raise QueryError(f"SPARQL syntax error: {_first_line(error)}") from error
    except Exception as error:  # an rdflib evaluation error is a failed query, not a crash of kg
        raise QueryError(f"the query failed: {type(error).__name__}: {_first_line(error)}") from error


def on_store(store, text: str, bindings: Bindings | None = None) -> dict:
    """Run ``text`` on a pyoxigraph Store with ``substitutions``, or a VALUES block when pyoxigraph refuses
    to substitute a variable that the SELECT clause does not project. Queries read the store's default graph,
    which ``kg ingest`` keeps as the set union of its item graphs and the ontology (see :mod:`kg.store`).

    A query that ends in ``ORDER BY`` over variables runs without that clause (selecting the keys it does not
    select, see :func:`closing_order`), and its rows are put in the same order here (:func:`sort_rows`): Oxigraph
    reads both strings from disk for every comparison of two IRIs or long strings, which takes a second to sort
    20,000 rows, where Python takes 40 ms. When a key column holds terms whose SPARQL order Python does not copy
    (language-tagged strings, dates, a mix of literal kinds), the query runs again with its ``ORDER BY``.
    """
    try:
        order = closing_order(text)
        if order is not None:
            result = in_order(store_rows(store, order.text, bindings), order)
            if result is not None:
                return result
        return store_rows(store, text, bindings)
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {_first_line(error)}") from error
    except OSError as error:
        raise StoreError(f"the store cannot be read ({_first_line(error)})") from error
    except RuntimeError as error:
        raise QueryError(f"the query failed: {_first_line(error)}") from error


def store_rows(store, text: str, bindings: Bindings | None = None) -> dict:
    """The result of ``text`` on ``store`` as :func:`on_store` gives it, but in the engine's order: an ORDER BY is
    left to Oxigraph."""
    import pyoxigraph

    result = store_results(store, text, bindings)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return {"boolean": bool(result)}
    terms = _Terms()
    if isinstance(result, pyoxigraph.QueryTriples):
        return {"columns": list(_TRIPLE_COLUMNS),
                "rows": [(terms[t.subject], terms[t.predicate], terms[t.object]) for t in result]}
    # a solution iterates over its values in the order of the variables (None where unbound); map() with the
    # dict's own lookup converts each cell without a Python call unless the term is new to this query
    return {"columns": [variable.value for variable in result.variables],
            "rows": [tuple(map(terms.__getitem__, solution)) for solution in result]}


def store_results(store, text: str, bindings: Bindings | None = None):
    """What pyoxigraph's ``store.query`` gives for ``text`` with ``bindings`` (its result object, terms as
    pyoxigraph makes them): through ``substitutions``, or a VALUES block for a variable outside the projection.
    :func:`on_store` turns it into the plain dict; ``bench/query_bench.py`` times it alone (the engine)."""
    import pyoxigraph

    bindings = bindings or {}
    substitutions = {pyoxigraph.Variable(name): _to_oxigraph(term) for name, term in bindings.items()}
    try:
        return store.query(text, substitutions=substitutions or None)
    except RuntimeError as error:
        if "projection" not in str(error):
            raise
        return store.query(with_values(text, bindings))


def on_endpoint(url: str, text: str, bindings: Bindings | None = None, timeout: float = ENDPOINT_TIMEOUT) -> dict:
    """Run ``text`` at the SPARQL endpoint ``url`` by the SPARQL 1.1 Protocol (a form-encoded POST), the
    parameters as a VALUES block (:func:`with_values`).

    An unreachable endpoint raises :class:`kg.errors.StoreError`; one that rejects the query (HTTP 400)
    :class:`kg.errors.QueryError` with the endpoint's message. An answer that Virtuoso may have cut at its
    ``ResultSetMaxRows`` raises :class:`kg.errors.StoreError`: it sends the header ``X-SPARQL-MaxRows`` with an
    answer of that many rows (cut, or exactly that long), though not with a CONSTRUCT's triples, which it cuts
    silently (geokg reads a graph from an endpoint by SELECT, see :func:`store_graph`).
    """
    body = urllib.parse.urlencode({"query": with_values(text, bindings or {})}).encode("utf-8")
    # a graph as N-Triples (Virtuoso would answer a CONSTRUCT with SPARQL results of ?s ?p ?o), rows as JSON
    form = next((word for word in ((token["word"] or "").upper() for token in _TOKEN.finditer(text)) if word in _FORMS),
                None)  # (not _code: a text filled with values is new each time, and only its start is needed)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/n-triples" if graph else f"{_SPARQL_RESULTS}, application/n-triples;q=0.9",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            payload = response.read().decode("utf-8")
            cut = response.headers.get("X-SPARQL-MaxRows")
    except urllib.error.HTTPError as error:
        message = _first_line(error.read().decode("utf-8", "replace")) or error.reason
        if error.code == 400:
            raise QueryError(f"{url}: the endpoint rejected the query ({message})") from error
        raise StoreError(f"{url}: the endpoint answered HTTP {error.code} ({message})") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StoreError(f"{url}: cannot reach the SPARQL endpoint ({reason})") from error
    if cut:
        raise StoreError(f"{url}: the endpoint answered {cut} rows, the most it gives, so the answer may be cut "
                         f"(Virtuoso: raise ResultSetMaxRows in virtuoso.ini above the largest answer)")
    if kind == "application/n-triples":
        graph = Graph().parse(data=payload, format="nt")
        return {"columns": list(_TRIPLE_COLUMNS), "rows": [tuple(triple) for triple in graph]}
    try:
        return _from_json_results(json.loads(payload))
    except (ValueError, KeyError, TypeError) as error:
        # Oxigraph streams results: a query it stops (its time limit) ends the body with the reason
        tail = payload[-200:].rsplit("[", 1)[-1].strip()
        if "cancelled" in tail:
            raise QueryError(f"{url}: the endpoint stopped the query ({tail}; it may have run out of time)") \
                from error
        raise StoreError(f"{url}: not SPARQL JSON results ({_first_line(error)})") from error


# --- parameters as a VALUES block -----------------------------------------------------------------------------

# SPARQL tokens that may hold a brace or the word WHERE without being one: comments, strings, IRIs, variables and
# prefixed names; then keywords, braces, and any other character.
_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*
         |'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
         |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"
         |<[^<>"{}|^`\\\x00-\x20]*>
         |[?$]\w+
         |[A-Za-z_][\w.-]*:[^\s{}()<>,;]*|:[^\s{}()<>,;]*)
      |(?P<word>[A-Za-z]+)
      |(?P<open>\{)|(?P<close>\})
      |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def with_values(text: str, bindings: Bindings) -> str:
    """``text`` with ``VALUES (?name ...) { (term ...) }`` opening its WHERE group, each term serialized by
    :func:`sparql_term`. Nothing else in the text changes.

    >>> print(with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('a "b" }')}))
    SELECT ?s WHERE { VALUES (?o) { ("a \\"b\\" }") } ?s ?p ?o }
    """
    if not bindings:
        return text
    position = _where_group(text)
    names = sorted(bindings)
    block = (" VALUES (" + " ".join("?" + name for name in names) + ") { ("
             + " ".join(sparql_term(bindings[name]) for name in names) + ") }")
    return text[:position] + block + text[position:]


def fill_values(text: str, names: list[str], rows: list[tuple]) -> str:
    """``text`` with each ``VALUES`` block of the variables ``names`` that holds one row of ``UNDEF`` (any value:
    ``VALUES ?node { UNDEF }``, ``VALUES (?source ?target) { (UNDEF UNDEF) }``) holding ``rows`` instead, each term
    serialized by :func:`sparql_term`. A query that takes a set of terms writes such a block in each group that
    needs them, as each branch of a UNION, where Oxigraph reads them before the branch's other patterns (see
    ``kg/queries/steps/``); alone, it reads every value. Raises :class:`kg.errors.QueryError` when ``text`` has no
    such block.

    >>> text = "SELECT ?s { { VALUES ?s { UNDEF } ?s ?p ?o } UNION { VALUES ?s {undef} ?o ?p ?s } }"
    >>> print(fill_values(text, ["s"], [(URIRef("urn:a"),), (Literal("b"),)]))
    SELECT ?s { { VALUES ?s { <urn:a> "b" } ?s ?p ?o } UNION { VALUES ?s { <urn:a> "b" } ?o ?p ?s } }
    >>> fill_values("SELECT * { VALUES (?a ?b) { (UNDEF UNDEF) } }", ["a", "b"], [(URIRef("urn:a"), URIRef("urn:b"))])
    'SELECT * { VALUES (?a ?b) { (<urn:a> <urn:b>) } }'
    """
    blocks = _undefined_blocks(text, tuple(names))
    terms = [" ".join(sparql_term(term) for term in each) for each in rows]
    filled = " " + " ".join(terms if len(names) == 1 else (f"({each})" for each in terms)) + " "
    for opening, closing in reversed(blocks):
        text = text[:opening] + filled + text[closing:]
    return text


@lru_cache(maxsize=64)
def _undefined_blocks(text: str, names: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Where the ``UNDEF`` rows of the VALUES blocks of ``names`` in ``text`` begin and end (after the block's
    opening brace, before its closing one), for :func:`fill_values`; kept for the texts last read."""
    variables = ["?" + name for name in names]
    undefined = ["UNDEF"] * len(names)
    head, row = (variables, undefined) if len(names) == 1 else (["(", *variables, ")"], ["(", *undefined, ")"])
    pattern = ["VALUES", *head, "{", *row, "}"]
    tokens = _code(text)
    blocks = tuple((tokens[index + len(head) + 1].end(), tokens[index + len(pattern) - 1].start())
                   for index in range(len(tokens))
                   if [token.group().upper() if token["word"] else token.group()
                       for token in tokens[index:index + len(pattern)]] == pattern)
    if not blocks:
        block = " ".join(pattern).replace("( ", "(").replace(" )", ")")
        raise QueryError(f"the query has no block {block} to fill")
    return blocks


def values_chunks(values: list) -> Iterator[list]:
    """``values`` in slices of at most :data:`VALUES_CHUNK`, one VALUES block's worth each.

    >>> [len(chunk) for chunk in values_chunks(list(range(1001)))]
    [500, 500, 1]
    """
    for start in range(0, len(values), VALUES_CHUNK):
        yield values[start:start + VALUES_CHUNK]


def selected(text: str) -> list[str] | None:
    """The variables that the SELECT clause of ``text`` selects, in order; None for ``SELECT *`` or a query of
    another form.

    >>> selected("PREFIX s: <urn:s#> SELECT ?a (COUNT(?c) AS ?n) WHERE { { SELECT ?c { ?a ?p ?c } } } GROUP BY ?a")
    ['a', 'n']
    """
    tokens = _code(text)
    for index, token in enumerate(tokens):
        if (token["word"] or "").upper() == "SELECT":
            return _projection(tokens[index + 1:])[0]
    return None


@lru_cache(maxsize=64)
def _code(text: str) -> tuple:
    """The tokens of the SPARQL ``text`` (:data:`_TOKEN`) but spaces and comments. Kept for the texts last read:
    ``kg query`` reads a step's text for its VALUES blocks, its columns and its closing order (0.2 ms a time)."""
    return tuple(token for token in _TOKEN.finditer(text)
                 if not token.group().isspace() and not token.group().startswith("#"))


def _where_group(text: str) -> int:
    """Where the WHERE group's opening brace ends: the first top-level brace after the keyword WHERE, or the
    first top-level brace of a SELECT or ASK query that leaves the keyword out."""
    depth, form, after_where = 0, None, False
    for token in _TOKEN.finditer(text):
        if token["word"] and depth == 0:
            word = token["word"].upper()
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and form is None:
                form = word
            after_where = after_where or word == "WHERE"
        elif token["open"]:
            if depth == 0 and (after_where or form in ("SELECT", "ASK")):
                return token.end()
            depth += 1
        elif token["close"]:
            depth -= 1
    raise QueryError("parameters need a query with a WHERE group to bind them in")


def sparql_term(term: Identifier) -> str:
    """``term`` written as SPARQL: an IRI in angle brackets (refused if it holds characters an IRI cannot), a
    literal quoted with every quote, backslash and line break escaped.

    >>> sparql_term(Literal('"} ; DROP ALL ; {"'))
    '"\\\\"} ; DROP ALL ; {\\\\""'
    >>> sparql_term(Literal("2024-04-01", datatype=XSD.date))
    '"2024-04-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise InputError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        quoted = '"' + _escape(str(term)) + '"'
        if term.language:
            if not _LANGUAGE.fullmatch(term.language):
                raise InputError(f"not a valid language tag: {term.language!r}")
            return f"{quoted}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{quoted}^^{sparql_term(term.datatype)}"
        return quoted
    raise InputError(f"cannot bind {term!r}: only IRIs and literals can be parameters")


def _escape(text: str) -> str:
    """``text`` inside a SPARQL string: quotes, backslashes and line breaks escaped, and a ``u`` or ``U`` after a
    backslash written as its code point (``\\U00000075``; rdflib reads up to eight digits after ``\\u``): SPARQL
    reads code point escapes before the string, and rdflib does so even after an escaped backslash, which would
    make the value ``\\u0022`` a quote."""
    escaped = []
    for previous, char in zip(" " + text, text):
        escaped.append(f"\\U{ord(char):08X}" if previous == "\\" and char in "uU" else _ECHAR.get(char, char))
    return "".join(escaped)


# --- ORDER BY in Python -------------------------------------------------------------------------------------


#: the keywords ORDER BY anywhere (in a comment or a string too): a text without them has no closing order
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


class Order(NamedTuple):
    """A query's closing ``ORDER BY`` as :func:`closing_order` reads it."""

    text: str  #: the query without the clause, selecting the hidden keys after its own columns
    keys: list[tuple[str, bool, bool]]  #: (variable, descending, by its text: ``STR(?v)``), first key first
    hidden: int  #: how many variables were added to the SELECT clause because the clause orders by them


def closing_order(text: str) -> Order | None:
    """The ``ORDER BY`` clause that ends the SELECT query ``text``, when its keys are variables (``?a``,
    ``DESC(?b)``, ``STR(?c)``; no other expression, no LIMIT or OFFSET after it), so that sorting the rows
    afterwards (:func:`sort_rows`) does all the clause does; else None. A key the query does not select is added
    to its SELECT clause (a hidden column, cut off after sorting), unless the query is DISTINCT or REDUCED (a
    column more would change which rows are the same) or grouped (it could select only what it groups by).

    >>> order = closing_order("SELECT ?a (COUNT(?c) AS ?n) WHERE { ?a ?p ?c } GROUP BY ?a ORDER BY DESC(?n) STR(?a)")
    >>> order.text, order.keys
    ('SELECT ?a (COUNT(?c) AS ?n) WHERE { ?a ?p ?c } GROUP BY ?a ', [('n', True, False), ('a', False, True)])
    >>> closing_order("SELECT ?a WHERE { ?a ?p ?c } ORDER BY ?c").text
    'SELECT ?a ?c WHERE { ?a ?p ?c } '
    >>> [closing_order(q) for q in ("SELECT DISTINCT ?a { ?a ?p ?c } ORDER BY ?c", "SELECT ?a { ?a ?p ?c } ORDER BY ?a LIMIT 1",
    ...                             "SELECT ?a { ?a ?p ?c } ORDER BY LCASE(?a)")]
    [None, None, None]
    """
    if not _ORDER_BY.search(text):
        return None  # (the text of a step, filled with values, is new each time: not read token by token)
    tokens = _code(text)
    depth, start, select, grouped = 0, None, None, False
    for index, token in enumerate(tokens):
        word = (token["word"] or "").upper()
        depth += bool(token["open"]) - bool(token["close"])
        if depth == 0 and word == "SELECT" and select is None:
            select = index
        elif depth == 0 and word == "ORDER" and select is not None:
            start = index
        grouped = grouped or (depth == 0 and word == "GROUP")
    if start is None or (tokens[start + 1]["word"] or "").upper() != "BY":
        return None
    keys, rest = [], tokens[start + 2:]
    while rest:
        key = _order_key(rest)
        if key is None:
            return None
        keys.append(key[0])
        rest = rest[key[1]:]
    selected, where, distinct = _projection(tokens[select + 1:start])
    hidden = [] if selected is None else list(dict.fromkeys(name for name, _, _ in keys if name not in selected))
    if not keys or (hidden and (distinct or grouped)):
        return None
    stripped = text[:tokens[start].start()] + text[tokens[-1].end():]
    if hidden:
        stripped = stripped[:where] + " ".join("?" + name for name in hidden) + " " + stripped[where:]
    return Order(stripped, keys, len(hidden))


def _order_key(tokens) -> tuple[tuple[str, bool, bool], int] | None:
    """The key that ``tokens`` open with, ``?v``, ``STR(?v)``, or ``ASC(…)`` or ``DESC(…)`` of one of those, and how
    many tokens it takes; None for any other expression."""
    if _is_variable(tokens[0]):
        return (tokens[0].group()[1:], False, False), 1
    word = (tokens[0]["word"] or "").upper()
    if word not in ("ASC", "DESC", "STR") or len(tokens) < 4 or tokens[1].group() != "(":
        return None
    inner = _order_key(tokens[2:]) if word != "STR" else None
    if word == "STR" and _is_variable(tokens[2]):
        inner = (tokens[2].group()[1:], False, True), 1
    if inner is None or inner[0][1] or len(tokens) <= 2 + inner[1] or tokens[2 + inner[1]].group() != ")":
        return None  # not a key, a direction inside a direction, or no closing parenthesis
    name, _, as_text = inner[0]
    return (name, word == "DESC", as_text), inner[1] + 3


def _is_variable(token) -> bool:
    return bool(token["skip"]) and token.group()[0] in "?$"


def _projection(tokens) -> tuple[list[str] | None, int, bool]:
    """What the tokens after SELECT say: the variables selected, in order (None for ``SELECT *``), where the clause
    ends (the WHERE keyword or the group's brace) and whether it is DISTINCT or REDUCED."""
    selected, parens, distinct, star = [], 0, False, False
    for previous, token in zip([None, *tokens], tokens):
        word = (token["word"] or "").upper()
        if token["open"] or word == "WHERE":
            return (None if star else selected), token.start(), distinct
        parens += (token.group() == "(") - (token.group() == ")")
        distinct = distinct or (parens == 0 and word in ("DISTINCT", "REDUCED"))
        star = star or (parens == 0 and token.group() == "*")
        if _is_variable(token) and (parens == 0 or (previous is not None and (previous["word"] or "").upper() == "AS")):
            selected.append(token.group()[1:])
    return None, 0, distinct


_NUMERIC = frozenset(XSD[name] for name in (
    "integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))


def in_order(result: dict, order: Order) -> dict | None:
    """``result``, the rows of ``order.text`` (see :func:`closing_order`), put in the order of the clause that text
    was stripped of (:func:`sort_rows`), without the columns added for its keys; None where Python cannot copy that
    order."""
    rows = sort_rows(result["rows"], result["columns"], order.keys)
    if rows is None:
        return None
    width = len(result["columns"]) - order.hidden
    return {"columns": result["columns"][:width], "rows": [row[:width] for row in rows] if order.hidden else rows}


def sort_rows(rows: list[tuple], columns: list[str], keys: list[tuple[str, bool, bool]]) -> list[tuple] | None:
    """``rows`` in the order ``ORDER BY`` gives them for ``keys`` (``(column, descending, by its text)``, first key
    first; ties keep their order): unbound first, then IRIs by their text, then literals: plain strings by their
    text, integers and decimals by value; a key by its text (``STR(?v)``) is a string, unbound for a blank node.
    None when a key column holds other terms (blank nodes, language-tagged strings, dates) or literals of more than
    one of these kinds: SPARQL leaves their order to the engine.

    >>> from rdflib import URIRef as I
    >>> rows = [(I("urn:b"), Literal(2)), (None, Literal(2)), (I("urn:a"), Literal(3)), (Literal("x"), Literal(3))]
    >>> [tuple(map(str, row)) for row in sort_rows(rows, ["s", "n"], [("n", True, False), ("s", False, False)])]
    [('urn:a', '3'), ('x', '3'), ('None', '2'), ('urn:b', '2')]
    >>> sort_rows(rows, ["s", "n"], [("s", False, False), ("n", False, False)])[0]
    (None, rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')))
    """
    order = list(range(len(rows)))
    for name, descending, as_text in reversed(keys):
        if name not in columns:  # SELECT * of a variable bound nowhere: every row ties
            continue
        position = columns.index(name)
        places = _places([row[position] for row in rows], as_text)
        if places is None:
            return None
        order.sort(key=places.__getitem__, reverse=descending)  # Python's sort is stable, also reversed
    return [rows[index] for index in order]


def _places(terms: list, as_text: bool = False) -> list | None:
    """Each term as a value that Python orders as SPARQL does (see :func:`sort_rows`), or None."""
    places, literals, known = [], set(), {None: (0, "")}
    for term in terms:
        place = known.get(term)
        if place is None:
            if as_text:
                place = (0, "") if isinstance(term, BNode) else (3, str(term))
            elif isinstance(term, URIRef):
                place = (2, str(term))
            elif isinstance(term, Literal) and term.language is None and term.datatype is None:
                place = (3, str(term))
                literals.add("string")
            elif isinstance(term, Literal) and term.datatype in _NUMERIC and type(term.value) in (int, Decimal):
                place = (3, term.value)
                literals.add("number")
            else:
                return None
            known[term] = place
        places.append(place)
    return places if len(literals) <= 1 else None


# --- terms between engines ------------------------------------------------------------------------------------


def _plain(term):
    """An rdflib term with ``xsd:string`` literals made plain, so every engine gives equal terms."""
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def _to_oxigraph(term: Identifier):
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise InputError(f"cannot bind {term!r}: only IRIs and literals can be parameters")


class _Terms(dict):
    """pyoxigraph term → the equal rdflib term, each converted once: the rows of one query repeat the same
    actors, types, modes and labels many times over, and making an rdflib Literal is slow (it parses the value).

    >>> import pyoxigraph
    >>> terms = _Terms()
    >>> terms[pyoxigraph.Literal("2024-04-10", datatype=pyoxigraph.NamedNode(str(XSD.date)))], terms[None]
    (rdflib.term.Literal('2024-04-10', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date')), None)
    >>> terms[pyoxigraph.Literal("Japan")] is terms[pyoxigraph.Literal("Japan")]
    True
    """

    def __missing__(self, term):
        converted = self[term] = _from_oxigraph(term)
        return converted


_XSD_STRING = str(XSD.string)


def _from_oxigraph(term):
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    return Literal(str(term))  # an RDF-star triple term: shown as text


def _from_json_results(document: dict) -> dict:
    if "boolean" in document:
        return {"boolean": bool(document["boolean"])}
    columns = list(document["head"]["vars"])
    rows = [tuple(_from_json_term(binding.get(name)) for name in columns)
            for binding in document["results"]["bindings"]]
    return {"columns": columns, "rows": rows}


def _from_json_term(value: dict | None):
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    language = value.get("xml:lang", value.get("lang"))  # "lang": Virtuoso 7's key, not the standard's
    if language:
        return Literal(value["value"], lang=language)
    datatype = value.get("datatype")
    return _plain(Literal(value["value"], datatype=URIRef(datatype) if datatype else None))


def _first_line(error) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


__all__ = ["DEFAULT_GRAPH", "Bindings", "Order", "closing_order", "fill_values", "in_order", "load_graph",
           "on_endpoint", "on_graph", "on_store", "open_store", "selected", "sort_rows", "sparql_term", "store_graph",
           "store_results", "store_rows", "with_values"]
