"""Where SPARQL queries run: an rdflib Graph read from a file, an Oxigraph store on disk, or a SPARQL endpoint.

Each ``on_*`` function runs one query with parameters bound as RDF terms and returns a plain dict,
``{"columns": [name, ...], "rows": [(term or None, ...), ...]}`` (CONSTRUCT and DESCRIBE give the columns
subject, predicate, object), or ``{"boolean": bool}`` for ASK; terms are rdflib terms whatever the engine.

Parameters never become query text by pasting: rdflib binds them with ``initBindings``, pyoxigraph with its
``substitutions`` argument (which it accepts only for variables of the SELECT projection), and an endpoint
gets a ``VALUES`` block of serialized RDF terms at the head of the WHERE group (:func:`with_values`), as does
pyoxigraph for a parameter outside the projection. Shipped queries use parameters only in their top-level
group, where all three give the same rows (``tests/test_query.py`` checks that).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier
from rdflib.util import guess_format

from kg.errors import InputError, QueryError, StoreError
from kg.items import read_text
from kg.namespace import ontology_path

Bindings = dict[str, Identifier]
DEFAULT_GRAPH = Path("output/graph.ttl")  # what `kg build` writes by default
ONTOLOGY_FILES = ("plover.ttl", "geokg.ttl")
ENDPOINT_TIMEOUT = 60  # seconds to wait for an endpoint's answer
_SPARQL_RESULTS = "application/sparql-results+json"
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
    read-only, see :func:`open_store`) or a SPARQL endpoint URL (one CONSTRUCT over the default and the named
    graphs)."""
    if re.match(r"https?://", str(location)):
        rows = on_endpoint(str(location), "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
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
    which ``kg ingest`` keeps as the set union of its item graphs and the ontology (see :mod:`kg.store`)."""
    import pyoxigraph

    try:
        result = store_results(store, text, bindings)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return {"boolean": bool(result)}
        if isinstance(result, pyoxigraph.QueryTriples):
            return {"columns": list(_TRIPLE_COLUMNS),
                    "rows": [(_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                             for t in result]}
        columns = [variable.value for variable in result.variables]
        return {"columns": columns,
                "rows": [tuple(_from_oxigraph(solution[name]) for name in columns) for solution in result]}
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {_first_line(error)}") from error
    except OSError as error:
        raise StoreError(f"the store cannot be read ({_first_line(error)})") from error
    except RuntimeError as error:
        raise QueryError(f"the query failed: {_first_line(error)}") from error


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
    :class:`kg.errors.QueryError` with the endpoint's message.
    """
    body = urllib.parse.urlencode({"query": with_values(text, bindings or {})}).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": f"{_SPARQL_RESULTS}, application/n-triples;q=0.9",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            payload = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        message = _first_line(error.read().decode("utf-8", "replace")) or error.reason
        if error.code == 400:
            raise QueryError(f"{url}: the endpoint rejected the query ({message})") from error
        raise StoreError(f"{url}: the endpoint answered HTTP {error.code} ({message})") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StoreError(f"{url}: cannot reach the SPARQL endpoint ({reason})") from error
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
        return _plain(Literal(term.value, datatype=URIRef(term.datatype.value)))
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
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    return _plain(Literal(value["value"], datatype=URIRef(datatype) if datatype else None))


def _first_line(error) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


__all__ = ["DEFAULT_GRAPH", "Bindings", "load_graph", "on_endpoint", "on_graph", "on_store", "open_store",
           "sparql_term", "store_graph", "with_values"]
