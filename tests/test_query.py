"""kg query: the shipped queries on a hand-written graph, parameters bound as RDF terms, the three engines,
the output formats and the errors of the command."""

from __future__ import annotations

import json
from collections import Counter, defaultdict, deque

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef

import kg.query
import kg.results
import kg.sources
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.namespace import GKG, PLOVER, SEM
from kg.queries import PARAM_TYPES, catalogue, describe, load, names, step_query
from kg.query import run, shortest_chain
from kg.rdf import name_keys
from kg.results import json_text, short, table
from kg.sources import (closing_order, fill_values, load_graph, on_graph, on_store, selected, sort_rows,
                        sparql_term, store_rows, with_values)
from tests.conftest import ROOT

GRAPH = ROOT / "tests" / "data" / "query_graph.ttl"
EDGE_CASES = ROOT / "tests" / "data" / "query_edge_cases.ttl"
REFERENCE = ROOT / "tests" / "data" / "reference_queries"
INJECTION = '"} ; DROP ALL ; {"'


def rows_of(result: dict, *columns: str) -> list[tuple]:
    """The given columns of each row, terms written as a table writes them."""
    index = [result["columns"].index(column) for column in columns]
    return [tuple(short(row[i]) for i in index) for row in result["rows"]]


def graph_rows(query: str, **params) -> dict:
    return run(query, params, graph=GRAPH)


def oxigraph_store(graph: Graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


# --- the shipped queries and their rows -----------------------------------------------------------------------


@pytest.mark.parametrize("name", names())
def test_query_every_shipped_query_has_a_header_naming_its_parameters(name):
    header = describe(load(name))
    assert header["summary"], f"{name}.rq has no description"
    for param in header["params"]:
        assert param["type"] in PARAM_TYPES and param["doc"]
        if header["then"] is None:
            assert f"?{param['name']}" in load(name), f"{name}.rq declares ?{param['name']} but never uses it"


@pytest.mark.parametrize("query, params, columns, expected", [
    ("centrality", {}, ("actor", "pagerank", "edges"), [
        ("gkd:actor/pol", "0.40", "6"), ("gkd:actor/blr", "0.30", "5"), ("gkd:actor/ltu", "0.20", "3"),
        ("gkd:actor/deu", "0.10", "3"), ("gkd:actor/m-ivan-petrenko", "", "3"), ("gkd:actor/andrzej-duda", "", "2"),
        ("gkd:actor/m-ministerstvo-oborony-ltu", "", "1"), ("gkd:actor/chn", "", "0")]),
    ("aid", {}, ("giver_label", "kind", "recipient_label", "weapon_label", "mode"), [
        ("Germany", "AID", "Poland", "Leopard 2", "planned"), ("Germany", "supplies", "Poland", "Leopard 2", "")]),
    ("conflict", {"a": "Poland", "b": "Belarus"}, ("type", "quad", "source_label", "target_label", "date"), [
        ("DISAPPROVE", "3", "Andrzej Duda", "Belarus", ""), ("THREATEN", "3", "Belarus", "Poland", "--03-07"),
        ("SANCTION", "4", "Poland", "Belarus", "2024-03-05")]),  # by the date's text, as events-by-date
    ("conflict", {"a": "blr", "b": "ltu"}, ("type",), []),  # the only conflict between them is negated
    ("conflict", {"a": "Q36", "b": "Q37"}, ("type",), []),  # consulting is cooperation
    ("events-by-date", {"from": "2024-03-01", "to": "2024-03-06"}, ("date", "type", "source_label"), [
        ("2024-03-05", "DISAPPROVE", "Andrzej Duda"), ("2024-03-05", "SANCTION", "Poland")]),
    ("events-by-date", {"from": "2024-02-15", "to": "2024-03-31"}, ("date", "type"), [
        ("--03-07", "THREATEN"), ("2024-02", "AID"), ("2024-03-05", "DISAPPROVE"), ("2024-03-05", "SANCTION")]),
    ("events-by-date", {"from": "2023-12-01", "to": "2024-01-31"}, ("date",), []),
    ("events-by-date", {"from": "2023-03-01", "to": "2024-01-31"}, ("date", "type"), [("--03-07", "THREATEN")]),
    ("leaders", {}, ("person_label", "office", "organization_label", "basis"), [
        ("Andrzej Duda", "head of state", "Poland", "news")]),
    ("espionage", {}, ("kind", "actor_label", "other_label", "place"), [
        ("spies for", "Іван Петренко", "Belarus", ""),
        ("employed by", "Іван Петренко", "міністерство оборони Литви", ""),
        ("COERCE", "Lithuania", "Іван Петренко", "gkd:actor/vilnius")]),
    ("weapons", {}, ("weapon_label", "relation", "actor_label", "other_label"), [
        ("Leopard 2", "origin", "Germany", ""), ("Leopard 2", "produces", "Germany", ""),
        ("Leopard 2", "supplies", "Germany", "Poland"), ("Leopard 2", "uses", "Poland", ""),
        ("Leopard 2", "AID", "Germany", "Poland")]),
    ("path", {"from": "Andrzej Duda", "to": "Lithuania"}, ("step", "source_label", "relation", "target_label"), [
        ("1", "Andrzej Duda", "holdsOfficeIn", "Poland"), ("2", "Poland", "CONSULT", "Lithuania")]),
    ("path", {"from": "chn", "to": "pol"}, ("step",), []),  # China takes part in nothing
    ("find-actor", {"name": "сусіди"}, ("actor", "match"), [
        ("gkd:actor/blr", "alt label"), ("gkd:actor/pol", "alt label")]),
])
def test_query_shipped_query_rows(query, params, columns, expected):
    assert rows_of(graph_rows(query, **params), *columns) == expected


def test_query_actor_profile_has_every_facet():
    result = graph_rows("actor", actor="Литва")
    facets = rows_of(result, "facet", "what", "other_label", "mode", "source")
    assert ("type", "gkg:State", "", "", "") in facets
    assert ("label", "Литва@uk", "", "", "") in facets
    assert ("same as", "wd:Q37", "", "", "") in facets
    assert ("event out", "plover:COERCE", "Іван Петренко", "asserted", "LRT") in facets
    assert ("event in", "plover:CONSULT", "Poland", "asserted", "LRT") in facets
    assert ("event in", "plover:DISAPPROVE", "Belarus", "negated", "PAP") in facets
    duda = rows_of(graph_rows("actor", actor="gkd:actor/andrzej-duda"), "facet", "what", "other_label")
    assert ("office", "gkg:HeadOfState", "Poland") in duda and ("relation out", "gkg:holdsOfficeIn", "Poland") in duda


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_actor_event_without_target_names_no_other_actor(engine):
    """An event with no target leaves ?other unbound: it must not pick up the labels of every other actor."""
    graph = load_graph(GRAPH)
    event, ltu = URIRef("https://w3id.org/geokg/id/event/untargeted"), URIRef("https://w3id.org/geokg/id/actor/ltu")
    for predicate, obj in [(RDF.type, GKG.Event), (GKG.source, ltu), (GKG.mode, Literal("asserted")),
                           (URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/eventType"),
                            URIRef("https://w3id.org/geokg/plover#MOBILIZE"))]:
        graph.add((event, predicate, obj))
    text, bindings = load("actor"), {"actor": ltu}
    result = on_graph(graph, text, bindings) if engine == "rdflib" else on_store(oxigraph_store(graph), text, bindings)
    untargeted = [row for row in rows_of(result, "facet", "what", "other", "other_label")
                  if row[:2] == ("event out", "plover:MOBILIZE")]
    assert untargeted == [("event out", "plover:MOBILIZE", "", "")]


def test_query_centrality_ranks_by_pagerank_written_into_the_graph():
    graph = load_graph(GRAPH)
    chn = URIRef("https://w3id.org/geokg/id/actor/chn")
    graph.add((chn, GKG.pagerank, Literal("0.90", datatype=XSD.decimal)))
    assert rows_of(on_graph(graph, load("centrality")), "actor")[0] == ("gkd:actor/chn",)


# --- actor parameters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Польща", "POLAND", "Польщі", "Q36", "wd:Q36", "pol", "gkd:actor/pol",
                                   "<https://w3id.org/geokg/id/actor/pol>", "https://w3id.org/geokg/id/actor/pol"])
def test_query_actor_parameter_by_iri_wikidata_id_or_label(value):
    result = graph_rows("conflict", a=value, b="Belarus")
    assert {row[0] for row in rows_of(result, "type")} == {"DISAPPROVE", "SANCTION", "THREATEN"}


@pytest.mark.parametrize("value", ["сусіди"])
def test_query_actor_parameter_naming_two_actors_is_an_error(value):
    with pytest.raises(InputError, match="names several actors"):
        graph_rows("conflict", a=value, b="Belarus")


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("name, linked", [("Польща", "pol"), ("сусіди", None)])
def test_query_actor_parameter_prefers_the_one_actor_linked_to_wikidata(engine, name, linked):
    """A newspaper the news calls "Польща" is minted as its own actor: the state, linked to Wikidata, is taken, with
    a notice; a name two linked actors share ("сусіди": Poland and Belarus) stays ambiguous."""
    graph = load_graph(GRAPH)
    paper = URIRef("https://w3id.org/geokg/id/actor/m-polshcha")
    for predicate, obj in [(RDF.type, GKG.MediaOutlet), (RDFS.label, Literal("Польща", lang="uk"))]:
        graph.add((paper, predicate, obj))
    for key in name_keys(paper, "Польща"):
        graph.add((paper, GKG.nameKey, Literal(key)))
    store = oxigraph_store(graph) if engine == "oxigraph" else None
    execute = (lambda text, bindings: on_graph(graph, text, bindings)) if store is None else (  # noqa: E731
        lambda text, bindings: on_store(store, text, bindings))
    notices = []
    if linked is None:
        with pytest.raises(InputError, match="names several actors"):
            kg.query.actor(name, execute, notices)
        return
    assert kg.query.actor(name, execute, notices) == URIRef(f"https://w3id.org/geokg/id/actor/{linked}")
    assert len(notices) == 1 and str(paper) in notices[0]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("value, expected", [("ltu", "ltu"), ("Q37", "ltu"), ("литва", "ltu"), ("сусіди", None)])
def test_query_actor_parameter_in_a_graph_without_name_keys_is_found_by_comparison(engine, value, expected):
    """A graph written before actors had name keys: the name is compared with every actor's names instead."""
    graph = load_graph(GRAPH)
    graph.remove((None, GKG.nameKey, None))
    store = oxigraph_store(graph) if engine == "oxigraph" else None
    execute = (lambda text, bindings: on_graph(graph, text, bindings)) if store is None else (  # noqa: E731
        lambda text, bindings: on_store(store, text, bindings))
    if expected is None:
        with pytest.raises(InputError, match="names several actors"):
            kg.query.actor(value, execute, [])
        return
    assert kg.query.actor(value, execute, []) == URIRef(f"https://w3id.org/geokg/id/actor/{expected}")


# --- parameters are terms, never query text ------------------------------------------------------------------


@pytest.mark.parametrize("query, params", [
    ("actor", {"actor": INJECTION}),
    ("conflict", {"a": INJECTION, "b": "Belarus"}),
    ("find-actor", {"name": INJECTION}),
])
def test_query_injected_value_matches_nothing_and_query_text_is_unchanged(monkeypatch, query, params):
    texts = []

    def recording(graph, text, bindings=None):
        texts.append(text)
        return on_graph(graph, text, bindings)

    monkeypatch.setattr(kg.query, "on_graph", recording)
    notices: list[str] = []
    result = run(query, params, graph=GRAPH, notices=notices)
    assert result["rows"] == []
    plain = (load(query), load("find-actor"), step_query("has-name-keys"))
    if describe(load(query))["then"] is None:
        assert texts[-1] == load(query)
        assert all(text in plain for text in texts)
    else:  # a step puts terms in VALUES blocks: the value is there only as one escaped string
        filled = [text for text in texts if text not in plain]
        assert filled and all(INJECTION not in text.replace(sparql_term(Literal(INJECTION)), "") for text in filled)


@pytest.mark.parametrize("value", [INJECTION, 'a\\"b', "line\nbreak\r}", '"""', "'''", "# not a comment }",
                                   "\\u0022} DROP ALL {", "\\\\u0022", "x\\", "\\U0001F600", "\\\\", "<urn:x>", "{ ?s ?p ?o }"])
def test_query_values_block_gives_back_the_value_on_both_engines(value):
    text = with_values("SELECT ?value WHERE { }", {"value": Literal(value)})
    assert rows_of(on_graph(Graph(), text), "value") == [(value,)]
    assert [str(row[0]) for row in on_store(pyoxigraph.Store(), text)["rows"]] == [value]


@pytest.mark.parametrize("text, expected", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { VALUES (?o) { (1) } ?s ?p ?o }"),
    ("SELECT * { ?s ?p ?o }", "SELECT * { VALUES (?o) { (1) } ?s ?p ?o }"),
    ("# { WHERE\nSELECT ?where (\"WHERE {\" AS ?x) WHERE { ?s <urn:a#b> ?where }",
     "# { WHERE\nSELECT ?where (\"WHERE {\" AS ?x) WHERE { VALUES (?o) { (1) } ?s <urn:a#b> ?where }"),
    ("PREFIX where: <urn:w#> CONSTRUCT { ?s where:x ?o } WHERE { ?s ?p ?o }",
     "PREFIX where: <urn:w#> CONSTRUCT { ?s where:x ?o } WHERE { VALUES (?o) { (1) } ?s ?p ?o }"),
    ("ASK { ?s ?p ?o }", "ASK { VALUES (?o) { (1) } ?s ?p ?o }"),
])
def test_query_values_block_opens_the_where_group(text, expected):
    one = Literal(1)
    assert with_values(text, {"o": one}).replace(sparql_term(one), "1") == expected


@pytest.mark.parametrize("value", ["<urn:a b>", '<urn:a">'])
def test_query_iri_parameter_with_forbidden_characters_is_refused(value):
    with pytest.raises(InputError, match="not a valid IRI"):
        kg.query.typed(value, "iri")


def _engine_cases():
    for entry in catalogue():
        if entry["name"] in ("edges", "nodes"):
            continue
        params = {"actor": {"actor": "Польща"}, "conflict": {"a": "pol", "b": "blr"},
                  "events-by-date": {"from": "2024-02-01", "to": "2024-03-31"}, "find-actor": {"name": "сусіди"},
                  "path": {"from": "Andrzej Duda", "to": "Lithuania"}}.get(entry["name"], {})
        yield entry["name"], params


@pytest.mark.parametrize("query, params", list(_engine_cases()))
def test_query_rdflib_oxigraph_and_values_block_give_the_same_rows(query, params):
    """The three ways of binding parameters agree on every shipped query (as sets: ties may sort apart); a query
    that kg.query runs in steps gives alone, on any engine, what its steps give (path.rq alone lists every link)."""
    graph = load_graph(GRAPH)
    store = oxigraph_store(graph)
    text = load(query)
    bindings = kg.query.bind(describe(text), params, lambda t, b: on_graph(graph, t, b))
    if describe(text)["then"] == "shortest-path":
        bindings = {}
    elif describe(text)["then"]:
        stepped = kg.query.run_on(lambda t, b: on_graph(graph, t, b), text, params)
        alone = on_graph(graph, text, bindings)
        assert stepped["columns"] == alone["columns"] and Counter(stepped["rows"]) == Counter(alone["rows"])
    by_rdflib = on_graph(graph, text, bindings)
    by_oxigraph = on_store(store, text, bindings)
    by_values = on_graph(graph, with_values(text, bindings))
    assert by_rdflib["rows"], f"{query} gives no rows on the test graph"
    as_set = lambda result: sorted(str(tuple(map(_value, row))) for row in result["rows"])  # noqa: E731
    assert by_rdflib["columns"] == by_oxigraph["columns"] == by_values["columns"]
    assert as_set(by_rdflib) == as_set(by_oxigraph) == as_set(by_values)


def _value(term):
    """A decimal by its value: Oxigraph writes MAX(0.40) as 0.4."""
    return float(term) if isinstance(term, Literal) and term.datatype == XSD.decimal else term


@pytest.mark.parametrize("ends, expected", [
    (("a", "d"), [("a", "b"), ("c", "b"), ("c", "d")]),
    (("d", "a"), [("c", "d"), ("c", "b"), ("a", "b")]),
    (("a", "a"), []),
    (("a", "z"), []),
    (("y", "d"), [("x", "y"), ("a", "x"), ("a", "b"), ("c", "b"), ("c", "d")]),
])
def test_query_shortest_chain_walks_links_either_way(ends, expected):
    links = [("a", "b"), ("c", "b"), ("c", "d"), ("a", "x"), ("x", "y"), ("z", "z")]
    assert shortest_chain(*ends, linked_by(links)) == expected


@pytest.mark.parametrize("ends, expected", [
    (("a", "f"), ["a", "b", "d", "f"]),  # a-b-d-f, a-b-e-f, a-c-d-f and a-c-e-f: the first by IRI, actor by actor
    (("f", "a"), ["f", "d", "b", "a"]),
    (("c", "f"), ["c", "d", "f"]),
])
def test_query_shortest_chain_among_equally_short_ones_takes_the_first_by_iri(ends, expected):
    links = [("e", "f"), ("c", "e"), ("d", "f"), ("a", "c"), ("b", "e"), ("a", "b"), ("b", "d"), ("c", "d")]
    for order in (links, links[::-1]):
        assert actors(ends[0], shortest_chain(*ends, linked_by(order))) == expected


def test_query_shortest_chain_between_two_actors_takes_the_first_link():
    links = [("a", "b"), ("b", "a"), ("b", "c")]
    assert shortest_chain("a", "c", linked_by(links[::-1])) == [("a", "b"), ("b", "c")]


def test_query_shortest_chain_grows_the_smaller_frontier():
    """A hub next to the start: the search grows the goal's side, not the hub's 50 neighbours."""
    links = [("start", f"n{number:02}") for number in range(50)] + [("n07", "m"), ("m", "goal")]
    asked: list[list] = []
    assert actors("start", shortest_chain("start", "goal", linked_by(links, asked))) == ["start", "n07", "m", "goal"]
    assert asked == [["start"], ["goal"], ["m"]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=30), st.integers(0, 11),
       st.integers(0, 11), st.randoms(use_true_random=False))
def test_query_shortest_chain_is_the_plain_breadth_first_one(pairs, start, goal, random):
    """On random graphs, whatever order the neighbours come in: the chain a plain search from the goal gives."""
    links = [(f"n{a:02}", f"n{b:02}") for a, b in pairs]
    linked = linked_by(links)

    def shuffled(frontier: list) -> list[tuple]:
        found = linked(frontier)
        random.shuffle(found)
        return found

    found = shortest_chain(f"n{start:02}", f"n{goal:02}", shuffled)
    assert all(link in links for link in found)
    assert actors(f"n{start:02}", found) == plain_chain(links, f"n{start:02}", f"n{goal:02}")


def linked_by(links: list[tuple], asked: list | None = None):
    """A ``linked`` function for :func:`kg.query.shortest_chain` over the pairs ``links``, each either way round and
    its own link (the first of those between two actors, as ``neighbours.rq`` gives), noting each frontier it is
    asked for in ``asked``."""
    def linked(frontier: list) -> list[tuple]:
        if asked is not None:
            asked.append(list(frontier))
        first: dict = {}
        for link in links:
            for node, neighbour in (link, link[::-1]):
                if node in frontier:
                    first[node, neighbour] = min(first.get((node, neighbour), link), link)
        return [(node, neighbour, link) for (node, neighbour), link in first.items()]
    return linked


def actors(start, links: list[tuple]) -> list:
    """The actors of a chain of ``links`` (pairs, each in its own direction) from ``start``."""
    chain = [start] if links else []
    for link in links:
        chain.append(link[1] if link[0] == chain[-1] else link[0])
    return chain


def plain_chain(links: list[tuple], start, goal) -> list:
    """The reference for :func:`kg.query.shortest_chain`: a breadth-first search from ``goal`` over every link
    (either way round) gives each actor's distance, then the chain from ``start`` takes, hop by hop, the neighbour
    first by IRI among those a hop closer to ``goal``."""
    neighbours = defaultdict(set)
    for a, b in links:
        neighbours[a].add(b)
        neighbours[b].add(a)
    distance, queue = {goal: 0}, deque([goal])
    while queue:
        node = queue.popleft()
        for neighbour in neighbours[node]:
            if neighbour not in distance:
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
    if start == goal or start not in distance:
        return []
    chain = [start]
    while chain[-1] != goal:
        chain.append(min((node for node in neighbours[chain[-1]] if distance[node] == distance[chain[-1]] - 1),
                         key=str))
    return chain


# --- path: the search on a graph, on both engines ---------------------------------------------------------------

#: events (a mode) and stated relations ("relation") between actors: a chain a-b-c-d-e of four hops, each link in its
#: own direction; a negated event a-e; two hubs, h1 and h2, with ten actors each, whose third and seventh are
#: linked; x and y, linked with each other only
LINKS = [("a", "b", "asserted"), ("c", "b", "planned"), ("c", "d", "relation"), ("e", "d", "reported"),
         ("a", "e", "negated"), ("x", "y", "relation"),
         *((f"h{hub}", f"h{hub}-{number}", "asserted") for hub in (1, 2) for number in range(10)),
         ("h1-3", "h2-7", "relation")]


def link_graph(links: list[tuple]) -> Graph:
    """A graph of ``links`` (source, target, mode or ``"relation"``) between actors ``gkd:actor/NAME``: an event
    (CONSULT) with that mode, or a stated relation (alliedWith)."""
    graph = Graph()
    actor = lambda name: URIRef(f"https://w3id.org/geokg/id/actor/{name}")  # noqa: E731
    for number, (source, target, mode) in enumerate(links):
        fact = URIRef(f"https://w3id.org/geokg/id/fact/{number}")
        if mode == "relation":
            graph.add((fact, RDF.type, GKG.Relation))
            graph.add((fact, RDF.subject, actor(source)))
            graph.add((fact, RDF.predicate, GKG.alliedWith))
            graph.add((fact, RDF.object, actor(target)))
        else:
            graph.add((fact, RDF.type, GKG.Event))
            graph.add((fact, SEM.eventType, PLOVER.CONSULT))
            graph.add((fact, GKG.source, actor(source)))
            graph.add((fact, GKG.target, actor(target)))
            graph.add((fact, GKG.mode, Literal(mode)))
        graph.add((fact, GKG.evidence, Literal(f"{source} {target}")))
    return graph


def engines(graph: Graph) -> dict:
    """``execute`` functions on ``graph``: rdflib, an Oxigraph store of it, and rdflib with the parameters in a
    VALUES block (as an endpoint gets them)."""
    store = oxigraph_store(graph)
    return {"rdflib": lambda text, bindings: on_graph(graph, text, bindings),
            "oxigraph": lambda text, bindings: on_store(store, text, bindings),
            "values": lambda text, bindings: on_graph(graph, with_values(text, bindings))}


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph", "values"])
@pytest.mark.parametrize("ends, expected", [
    (("a", "e"), [("a", "b"), ("c", "b"), ("c", "d"), ("e", "d")]),  # not the negated a-e
    (("e", "a"), [("e", "d"), ("c", "d"), ("c", "b"), ("a", "b")]),
    (("h1", "h2"), [("h1", "h1-3"), ("h1-3", "h2-7"), ("h2", "h2-7")]),  # through a hub's ten neighbours
    (("h1-0", "h2-9"), [("h1", "h1-0"), ("h1", "h1-3"), ("h1-3", "h2-7"), ("h2", "h2-7"), ("h2", "h2-9")]),
    (("a", "x"), []),
    (("a", "a"), []),
    (("a", "nobody"), []),
])
def test_query_path_finds_the_shortest_chain_on_every_engine(engine, ends, expected):
    result = kg.query.run_on(engines(link_graph(LINKS))[engine], load("path"),
                             {"from": f"gkd:actor/{ends[0]}", "to": f"gkd:actor/{ends[1]}"})
    assert result["columns"] == ["step", "source", "source_label", "relation", "target", "target_label", "evidence",
                                 "item", "fact"]
    links = [(row[1].rsplit("/", 1)[-1], row[4].rsplit("/", 1)[-1]) for row in result["rows"]]
    assert links == expected
    assert [int(row[0]) for row in result["rows"]] == list(range(1, len(expected) + 1))
    assert all(str(row[6]) == f"{source} {target}" for row, (source, target) in zip(result["rows"], links))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_path_negated_event_is_no_link(engine):
    links = [("a", "e", "negated"), ("a", "b", "negated"), ("b", "e", "conditional")]
    result = kg.query.run_on(engines(link_graph(links))[engine], load("path"),
                             {"from": "gkd:actor/a", "to": "gkd:actor/e"})
    assert result["rows"] == [] and result["columns"][0] == "step"


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_path_asks_for_a_large_frontier_in_chunks(monkeypatch, engine):
    """Each hub's ten neighbours make a frontier; with chunks of four, its hop takes three queries."""
    monkeypatch.setattr(kg.sources, "VALUES_CHUNK", 4)
    asked: list[tuple] = []

    def counting(text, names, rows):
        asked.append((*names, len(rows)))
        return fill_values(text, names, rows)

    monkeypatch.setattr(kg.query, "fill_values", counting)
    result = kg.query.run_on(engines(link_graph(LINKS))[engine], load("path"),
                             {"from": "gkd:actor/h1", "to": "gkd:actor/h2"})
    assert [str(row[4]).rsplit("/", 1)[-1] for row in result["rows"]] == ["h1-3", "h2-7", "h2-7"]
    # h1, h2, h1's ten neighbours in three chunks, the chain's three links
    assert asked == [("node", 1), ("node", 1), ("node", 4), ("node", 4), ("node", 2), ("fact", 3)]


def test_query_path_needs_a_query_with_values_blocks_to_fill():
    graph = link_graph(LINKS)
    text = "# then: shortest-path\nSELECT ?source ?target ?fact WHERE { ?fact ?source ?target }"
    with pytest.raises(QueryError, match=r"no block VALUES \?fact \{ UNDEF \}"):
        kg.query.run_on(engines(graph)["rdflib"], text, {"from": "gkd:actor/a", "to": "gkd:actor/e"})


# --- the shipped queries rewritten for speed give the rows of their plain forms ----------------------------------

#: parameters for each rewritten query: the cases its rewrite turns on (a side against itself, a narrow and a wide
#: date range, a name by id, Wikidata id, label and form, and one that no actor has)
REFERENCE_PARAMS = {
    "actor": [{"actor": "gkd:actor/ltu"}, {"actor": "gkd:actor/m-ivan-petrenko"}, {"actor": "gkd:actor/leopard-2"}],
    "conflict": [{"a": "gkd:actor/pol", "b": "gkd:actor/blr"}, {"a": "gkd:actor/ltu", "b": "gkd:actor/ltu"},
                 {"a": "gkd:actor/ltu", "b": "gkd:actor/m-ministerstvo-oborony-ltu"}],
    "events-by-date": [{"from": "2024-03-01", "to": "2024-03-04"}, {"from": "2023-01-01", "to": "2025-12-31"},
                       {"from": "2023-12-20", "to": "2024-03-07"}, {"from": "2019-01-01", "to": "2019-12-31"},
                       {"from": "2024-03-31", "to": "2024-03-01"}],
    "find-actor": [{"name": "СУСІДИ"}, {"name": "ltu"}, {"name": "q37"}, {"name": "литовська республіка"},
                   {"name": "Leopard 2"}, {"name": "no such actor"}],
    "path": [{"from": f"gkd:actor/{start}", "to": f"gkd:actor/{goal}"} for start, goal in [
        ("andrzej-duda", "m-ivan-petrenko"), ("m-ivan-petrenko", "andrzej-duda"), ("leopard-2", "ltu"), ("ltu", "deu"),
        ("m-ministerstvo-oborony-ltu", "deu"), ("blr", "ltu"), ("pol", "m-ivan-petrenko"), ("andrzej-duda", "ltu"),
        ("chn", "pol"), ("pol", "pol")]],
}


#: plain forms that ship, as the step queries kg.query falls back on
SHIPPED_PLAIN = {"find-actor": "find-actor-by-comparison"}


def _plain(query: str) -> str:
    if query in SHIPPED_PLAIN:
        return step_query(SHIPPED_PLAIN[query])
    return (REFERENCE / f"{query}.rq").read_text(encoding="utf-8")


def _reference_cases():
    for query in sorted({path.stem for path in REFERENCE.glob("*.rq")} | set(SHIPPED_PLAIN)):
        if query == "path":  # a listing of every link: see the test after this one
            continue
        for params in REFERENCE_PARAMS.get(query, [{}]):
            yield query, params


@pytest.mark.parametrize("query, params", list(_reference_cases()))
def test_query_rewritten_for_speed_gives_the_rows_of_its_plain_form(query, params):
    """On both engines, the shipped query and its plain form give the same rows; on Oxigraph (the shipped query's
    rows sorted in Python, the plain form's by Oxigraph) in the same order too, but for actor, which orders a
    label in one language and the same text in another by their text, where SPARQL leaves that to the engine."""
    graph = load_graph(GRAPH).parse(EDGE_CASES)
    store = oxigraph_store(graph)
    plain = _plain(query)
    by_rdflib = lambda text, bindings: on_graph(graph, text, bindings)  # noqa: E731
    rows = [kg.query.run_on(by_rdflib, text, params)["rows"] for text in (load(query), plain)]
    assert Counter(rows[0]) == Counter(rows[1])
    assert rows[0] or params in ({"name": "no such actor"}, {"from": "2024-03-31", "to": "2024-03-01"})
    shipped = kg.query.run_on(lambda text, bindings: on_store(store, text, bindings), load(query), params)
    sorted_by_oxigraph = kg.query.run_on(lambda text, bindings: store_rows(store, text, bindings), plain, params)
    if query == "actor":
        shipped, sorted_by_oxigraph = (Counter(result["rows"]) for result in (shipped, sorted_by_oxigraph))
    assert shipped == sorted_by_oxigraph


def _whole_and_one_at_a_time(monkeypatch, execute, query: str, params: dict) -> tuple[dict, dict, list[str]]:
    """The shipped ``query``'s result with ``params``, then its result with one value a VALUES block
    (``VALUES_CHUNK`` 1), and the texts that second run asked ``execute``."""
    whole = kg.query.run_on(execute, load(query), params)
    asked: list[str] = []
    monkeypatch.setattr(kg.sources, "VALUES_CHUNK", 1)
    one_by_one = kg.query.run_on(lambda text, bindings: asked.append(text) or execute(text, bindings), load(query),
                                 params)
    return whole, one_by_one, asked


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_events_by_date_reads_the_dates_in_chunks_in_order(monkeypatch, engine):
    """Dates a few at a time (here one: a query per date), in the order of the query's first key, give the rows
    that all at once give, in the same order; an event's own date that no range holds keeps its item's date out."""
    graph = load_graph(GRAPH).parse(EDGE_CASES)
    whole, one_by_one, asked = _whole_and_one_at_a_time(monkeypatch, engines(graph)[engine], "events-by-date",
                                                        {"from": "2019-01-01", "to": "2024-12-31"})
    assert one_by_one == whole
    dates = [str(row[0]) for row in whole["rows"]]
    assert dates == sorted(dates) and len(set(dates)) >= 3 and len(asked) == 1 + len(set(dates))
    assert "2019-05-01" in dates and "2024" not in dates


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("sides", [("pol", "blr"), ("blr", "pol"), ("andrzej-duda", "pol"), ("pol", "pol"),
                                   ("blr", "ltu"), ("chn", "pol")])
def test_query_conflict_reads_the_smaller_side_in_chunks(monkeypatch, engine, sides):
    """Actors and events a few at a time (here one) give the rows that all at once give, in the same order; the
    events read are those of the side with fewer actors; no rows still have the query's columns."""
    graph = load_graph(GRAPH).parse(EDGE_CASES)
    whole, one_by_one, asked = _whole_and_one_at_a_time(monkeypatch, engines(graph)[engine], "conflict",
                                                        {"a": f"gkd:actor/{sides[0]}", "b": f"gkd:actor/{sides[1]}"})
    assert one_by_one == whole
    assert whole["columns"] == selected(load("conflict"))
    members = {side: {str(row[0]) for row in graph.query(
        "SELECT ?m { ?m <https://w3id.org/geokg/ontology#country>? ?side }",
        initBindings={"side": URIRef(f"https://w3id.org/geokg/id/actor/{side}")})} for side in sides}
    smaller = min(members.values(), key=len)  # the first side when both are as large
    ends = step_query("event-ends")
    assert sorted(text for text in asked if text.startswith(ends.split("\n")[0])) == \
        sorted(fill_values(ends, ["actor"], [(URIRef(member),)]) for member in smaller)


BLANK_CASES = """
@prefix gkd: <https://w3id.org/geokg/id/> . @prefix gkg: <https://w3id.org/geokg/ontology#> .
@prefix plover: <https://w3id.org/geokg/plover#> .
[] a gkg:Event ; <http://semanticweb.cs.vu.nl/2009/11/sem/eventType> plover:THREATEN ;
   gkg:source gkd:actor\\/blr ; gkg:target gkd:actor\\/pol ; gkg:mode "asserted" .
[] gkg:country gkd:actor\\/pol .
"""


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("case", ["blank nodes", "a notation with a language"])
def test_query_conflict_step_falls_back_to_the_whole_query_where_it_cannot_name_or_order(engine, case):
    """An event or an actor of a side that is a blank node (which no VALUES block can name), or a key that
    Python cannot order as SPARQL does: conflict.rq runs alone and gives the rows of its plain form."""
    graph = load_graph(GRAPH).parse(EDGE_CASES)
    if case == "blank nodes":
        graph.parse(data=BLANK_CASES, format="turtle")
    else:
        threaten = URIRef("https://w3id.org/geokg/plover#THREATEN")
        graph.remove((threaten, SKOS.notation, None))
        graph.add((threaten, SKOS.notation, Literal("THREATEN", lang="en")))
    execute = engines(graph)[engine]
    params = {"a": "gkd:actor/pol", "b": "gkd:actor/blr"}
    asked = []
    shipped = kg.query.run_on(lambda text, bindings: asked.append(text) or execute(text, bindings), load("conflict"),
                              params)
    plain = kg.query.run_on(execute, _plain("conflict"), params)
    assert shipped["columns"] == plain["columns"] and Counter(shipped["rows"]) == Counter(plain["rows"])
    assert asked[-1] == load("conflict")  # alone
    assert len(shipped["rows"]) == 4 if case == "blank nodes" else shipped["rows"]


def test_query_date_range_step_needs_the_date_as_first_key():
    graph = load_graph(GRAPH)
    text = "# then: date-range\nSELECT ?date WHERE { VALUES ?date { UNDEF } ?e ?p ?date } ORDER BY ?e STR(?date)"
    with pytest.raises(QueryError, match=r"ORDER BY STR\(\?date\)"):
        kg.query.run_on(engines(graph)["rdflib"], text, {"from": "2024-01-01", "to": "2024-12-31"})


def test_query_events_by_date_tests_the_range_as_its_step_does():
    """events-by-date.rq alone tests each event's date as steps/dates-in-range.rq tests each date: one text."""
    def test_of(text):
        start = text.index("  # the range test of")
        return text[text.index("\n", start):text.index("\n  )\n", start)]

    assert test_of(load("events-by-date")) == test_of(step_query("dates-in-range"))


@pytest.mark.parametrize("params", REFERENCE_PARAMS["path"])
def test_query_path_gives_the_chain_of_a_plain_search_over_every_link(params):
    """On both engines, path gives the links of the chain that a plain breadth-first search finds among every link
    (the reference form lists them): the same chain of actors (the tie rule makes it one), between two actors the
    event or relation first by IRI, and of its rows the first the listing gives."""
    graph = load_graph(GRAPH).parse(EDGE_CASES)
    store = oxigraph_store(graph)
    every = on_graph(graph, (REFERENCE / "path.rq").read_text(encoding="utf-8"))
    source, target, fact = (every["columns"].index(column) for column in ("source", "target", "fact"))
    ends = [kg.query.as_iri(params[end]) for end in ("from", "to")]
    chain = plain_chain([(row[source], row[target]) for row in every["rows"]], *ends)
    first: dict = {}
    for row in sorted(every["rows"], key=lambda row: str(row[fact])):  # sorted() keeps the listing's order on a tie
        first.setdefault(frozenset((row[source], row[target])), row)
    expected = [(Literal(step), *first[frozenset(pair)]) for step, pair in enumerate(zip(chain, chain[1:]), 1)]
    assert expected or params["from"] == params["to"] or "chn" in params["from"]
    for execute in (lambda text, bindings: on_graph(graph, text, bindings),
                    lambda text, bindings: on_store(store, text, bindings)):
        result = kg.query.run_on(execute, load("path"), params)
        assert result["columns"] == ["step", *every["columns"]]
        assert result["rows"] == expected


@pytest.mark.parametrize("text, keys, hidden", [
    ("SELECT ?a ?n WHERE { ?a ?p ?n } ORDER BY DESC(?n) ?a", [("n", True, False), ("a", False, False)], 0),
    ("SELECT ?a WHERE { ?a ?p ?n } ORDER BY ASC(STR(?n)) ?p  # last", [("n", False, True), ("p", False, False)], 2),
    ("SELECT * { ?a ?p ?n } ORDER BY ?n", [("n", False, False)], 0),
    ("SELECT (COUNT(?a) AS ?n) ?p WHERE { ?a ?p ?o } GROUP BY ?p ORDER BY ?n", [("n", False, False)], 0),
])
def test_query_closing_order_by_variables_is_left_to_python(text, keys, hidden):
    order = closing_order(text)
    assert (order.keys, order.hidden) == (keys, hidden) and "ORDER" not in order.text
    assert pyoxigraph.Store().query(order.text).variables  # still a query Oxigraph reads


@pytest.mark.parametrize("text", [
    "SELECT ?a WHERE { ?a ?p ?n }",
    "SELECT ?a WHERE { ?a ?p ?n } ORDER BY LCASE(?n)",  # an expression
    "SELECT ?a WHERE { ?a ?p ?n } ORDER BY ?a LIMIT 2",  # sorted before the slice
    "SELECT DISTINCT ?a WHERE { ?a ?p ?n } ORDER BY ?n",  # a column more would make other rows distinct
    "SELECT ?p WHERE { ?a ?p ?n } GROUP BY ?p ORDER BY ?a",  # a grouped query selects only what it groups by
    "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?n } ORDER BY ?a } }",  # the subquery's, not the query's
    "ASK { ?a ?p ?n }",
])
def test_query_closing_order_of_other_queries_is_left_to_the_engine(text):
    assert closing_order(text) is None


ORDER_TABLE = """PREFIX : <urn:x:> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?k ?n ?s ?w WHERE { VALUES (?k ?n ?s ?w) {
  (:b 2 "b" "x"@en) (:a 10 "é" "y"@uk) (UNDEF 3 "B" "z"@en) (:a 2.5 "a" "x"@en) ("lit" UNDEF "ab" UNDEF)
  (:c 2 UNDEF "y"@en) (:b 0.1 "" "w"@uk) } }"""


@pytest.mark.parametrize("keys", [
    [("k", False)], [("n", False)], [("n", True), ("k", False)], [("s", False)], [("s", True), ("n", True)],
    [("k", True), ("s", False)],
])
def test_query_sort_rows_orders_as_oxigraph_does(keys):
    store = pyoxigraph.Store()
    clause = " ".join(f"DESC(?{name})" if descending else f"?{name}" for name, descending in keys)
    by_oxigraph = store_rows(store, f"{ORDER_TABLE} ORDER BY {clause}")
    result = store_rows(store, ORDER_TABLE)
    assert sort_rows(result["rows"], result["columns"], [(*key, False) for key in keys]) == by_oxigraph["rows"]


@pytest.mark.parametrize("column", ["w"])  # language-tagged strings: their order is the engine's
def test_query_sort_rows_leaves_an_unknown_order_to_the_engine(column):
    store = pyoxigraph.Store()
    result = store_rows(store, ORDER_TABLE)
    assert sort_rows(result["rows"], result["columns"], [(column, False, False)]) is None
    by_oxigraph = store_rows(store, f"{ORDER_TABLE} ORDER BY ?{column}")
    assert on_store(store, f"{ORDER_TABLE} ORDER BY ?{column}") == by_oxigraph


# --- engines, formats and the command -------------------------------------------------------------------------


@pytest.mark.parametrize("row", [
    (URIRef("https://w3id.org/geokg/id/actor/pol"), Literal("Польща", lang="uk"), Literal(3), None,
     Literal('a "quoted"\nline'), Literal("2024-04-10", datatype=XSD.date), BNode("b1")),
])
def test_query_json_results_are_what_json_dumps_writes(row):
    """json_text writes each term once and joins the pieces: the text is json.dumps's of the whole document."""
    columns = ["actor", "label", "n", "none", "text", "date", "node"]
    result = {"columns": columns, "rows": [row, row[::-1]]}
    document = {"head": {"vars": columns}, "results": {"bindings": [
        {column: kg.results._json_term(value) for column, value in zip(columns, values) if value is not None}
        for values in result["rows"]]}}
    assert json_text(result) == json.dumps(document, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("rows", [[(URIRef("https://w3id.org/geokg/id/actor/pol"), Literal("x" * 70)),
                                   (URIRef("https://w3id.org/geokg/id/actor/pol"), None)]])
def test_query_table_shows_a_term_the_same_in_every_row(rows):
    lines = table({"columns": ["actor", "text"], "rows": rows}).splitlines()
    assert lines[2].startswith("gkd:actor/pol  " + "x" * 59 + "…") and lines[3].rstrip() == "gkd:actor/pol"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_cli_formats(capsys, fmt):
    assert main(["query", "aid", "--graph", str(GRAPH), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "table":
        assert out.splitlines()[0].split()[:3] == ["giver", "giver_label", "kind"] and out.endswith("(2 rows)\n")
    elif fmt == "csv":
        assert out.splitlines()[1].startswith("https://w3id.org/geokg/id/actor/deu,Germany,AID,")
    else:
        document = json.loads(out)
        assert document["head"]["vars"][0] == "giver"
        first = document["results"]["bindings"][0]
        assert first["giver"] == {"type": "uri", "value": "https://w3id.org/geokg/id/actor/deu"}
        assert first["evidence"]["type"] == "literal"


def test_query_cli_list_prints_one_query_per_line_name_first(capsys):
    assert main(["query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == names()


@pytest.mark.parametrize("text", ["SELECT ?s WHERE { ?s a <https://w3id.org/geokg/ontology#WeaponSystem> }"])
def test_query_cli_sparql_text_and_rq_file(capsys, tmp_path, text):
    rq = tmp_path / "weapons.rq"
    rq.write_text(text, encoding="utf-8")
    for query in (text, str(rq)):
        assert main(["query", query, "--graph", str(GRAPH), "--format", "csv"]) == 0
        assert capsys.readouterr().out == "s\nhttps://w3id.org/geokg/id/actor/leopard-2\n"


@pytest.mark.parametrize("text", ["SELECT ?v WHERE { BIND(?x AS ?v) }"])
def test_query_cli_undeclared_parameter_is_typed_by_its_look(capsys, text):
    assert main(["query", text, "--param", "x=gkd:actor/pol", "--graph", str(GRAPH), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "v\nhttps://w3id.org/geokg/id/actor/pol\n"


def test_query_on_an_oxigraph_store_folder(tmp_path):
    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.load(load_graph(GRAPH).serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    result = run("conflict", {"a": "Poland", "b": "Belarus"}, store=str(tmp_path / "store"))
    assert {row[0] for row in rows_of(result, "type")} == {"DISAPPROVE", "SANCTION", "THREATEN"}


@pytest.mark.parametrize("args, code, message", [
    (["query"], 2, "give a QUERY"),
    (["query", "no-such-query"], 5, "no shipped query 'no-such-query'"),
    (["query", "missing.rq"], 2, "missing.rq: no such file"),
    (["query", "SELECT * WHERE { ?s ?p }"], 5, "SPARQL syntax error"),
    (["query", "DROP ALL"], 5, "SPARQL syntax error"),
    (["query", "aid", "--graph", "no/such/graph.ttl"], 2, "no/such/graph.ttl: no such graph file"),
    (["query", "aid", "--store", "http://127.0.0.1:9/query"], 4, "cannot reach the SPARQL endpoint"),
    (["query", "aid", "--store", "no/such/store"], 4, "no/such/store: no such store folder"),
    (["query", "events-by-date", "--param", "from=2024-02-30", "--param", "to=2024-03-01"], 2, "not a date"),
    (["query", "events-by-date", "--param", "from=2024-02-01"], 2, "needs --param to="),
    (["query", "aid", "--param", "actor=pol"], 2, "takes no parameter actor"),
    (["query", "aid", "--param", "=pol"], 2, "expected NAME=VALUE"),
])
def test_query_cli_errors_are_one_line(capsys, tmp_path, args, code, message):
    if "--graph" not in args and "--store" not in args:
        args = [*args, "--graph", str(GRAPH)]
    assert main(args) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg: error:") and message in err[0], err


@pytest.mark.parametrize("content, message", [(b"", "file is empty"), (b"\x00\x01\x02binary", "binary file")])
def test_query_cli_unreadable_rq_file(capsys, tmp_path, content, message):
    rq = tmp_path / "bad.rq"
    rq.write_bytes(content)
    assert main(["query", str(rq), "--graph", str(GRAPH)]) == 2
    assert message in capsys.readouterr().err


def test_query_cli_bad_graph_file(capsys, tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("this is { not turtle", encoding="utf-8")
    assert main(["query", "aid", "--graph", str(bad)]) == 2
    assert f"{bad}: not a valid RDF file" in capsys.readouterr().err


def test_query_unknown_param_type_in_header_is_a_query_error():
    with pytest.raises(QueryError, match="unknown type"):
        describe("# Q.\n# param x: number — a number\nSELECT * {}")


def test_query_neighbours_take_back_an_iri_an_endpoint_gives_as_a_string():
    """Virtuoso 7 answers the neighbours step with its VALUES-bound actor as a plain string; the path must still
    be found, and a node the step was not asked about is a one-line error, not a KeyError further on."""
    from kg.namespace import GKD
    from kg.query import neighbours

    rus, ukr, link = URIRef(GKD["actor/rus"]), URIRef(GKD["actor/ukr"]), URIRef(GKD["event/x/1"])
    stringly = lambda text, bindings: {"columns": ["node", "neighbour", "link"],  # noqa: E731
                                      "rows": [(Literal(str(rus)), ukr, link)]}
    assert neighbours(stringly, [rus]) == [(rus, ukr, link)]
    with pytest.raises(QueryError, match="not one of them"):
        neighbours(stringly, [ukr])
