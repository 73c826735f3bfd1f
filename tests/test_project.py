"""kg.project: the actor graph projected from a small hand-built RDF graph."""

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from kg.errors import QueryError
from kg.project import project
from kg.queries import load, names

GKG = Namespace("https://w3id.org/geokg/ontology#")
PLOVER = Namespace("https://w3id.org/geokg/plover#")
GKD = Namespace("https://w3id.org/geokg/id/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

JPN, USA, KISHIDA = GKD["actor/jpn"], GKD["actor/usa"], GKD["actor/fumio-kishida"]
KYIV = GKD["actor/kyiv"]
ITEM = GKD["item/n1"]
AID, CONSULT, AGREE, WAR, OFFICE = (
    GKD["event/n1/a"],
    GKD["event/n1/b"],
    GKD["event/n1/c"],
    GKD["relation/n1/d"],
    GKD["relation/n1/e"],
)


def _actor(g, iri, cls, uk, en, qid, country=None):
    g.add((iri, RDF.type, cls))
    if uk:
        g.add((iri, RDFS.label, Literal(uk, lang="uk")))
    g.add((iri, RDFS.label, Literal(en, lang="en")))
    g.add((iri, OWL.sameAs, WD[qid]))
    if country:
        g.add((iri, GKG.country, country))


def _event(g, iri, plover, source, target, evidence, date=None):
    g.add((iri, RDF.type, GKG.Event))
    g.add((iri, SEM.eventType, PLOVER[plover]))
    g.add((iri, GKG.source, source))
    if target:
        g.add((iri, GKG.target, target))
    g.add((iri, GKG.evidence, Literal(evidence)))
    g.add((iri, PROV.wasDerivedFrom, ITEM))
    if date:
        g.add((iri, SEM.hasTimeStamp, Literal(date, datatype=XSD_DATE)))


def _relation(g, iri, subject, predicate, obj, evidence):
    g.add((iri, RDF.type, GKG.Relation))
    g.add((iri, RDF.subject, subject))
    g.add((iri, RDF.predicate, predicate))
    g.add((iri, RDF.object, obj))
    g.add((iri, GKG.evidence, Literal(evidence)))
    g.add((iri, PROV.wasDerivedFrom, ITEM))
    g.add((subject, predicate, obj))


@pytest.fixture
def news_graph():
    g = Graph()
    _actor(g, JPN, GKG.State, "Японія", "Japan", "Q17")
    _actor(g, USA, GKG.State, None, "United States", "Q30")
    _actor(g, KISHIDA, GKG.Person, "Фуміо Кісіда", "Fumio Kishida", "Q1365339", JPN)
    g.add((KISHIDA, RDF.type, GKG.Actor))  # a less specific class too: the Person must win
    g.add((KYIV, RDF.type, GKG.Location))  # not an actor
    g.add((KYIV, RDFS.label, Literal("Київ", lang="uk")))
    for concept, quad in (("AID", 2), ("CONSULT", 1)):  # AGREE's concept is left out
        g.add((PLOVER[concept], SKOS.notation, Literal(concept)))
        g.add((PLOVER[concept], GKG.quadClass, Literal(quad)))
    _event(g, AID, "AID", JPN, USA, "Японія надала США допомогу.", "2024-05-01")
    _event(g, CONSULT, "CONSULT", KISHIDA, USA, "Кісіда провів переговори зі США.")
    _event(g, AGREE, "AGREE", JPN, None, "Японія погодилася.")  # no target: no edge
    _event(g, GKD["event/n1/f"], "ASSAULT", USA, KYIV, "США атакували Київ.")  # target no actor
    _relation(g, WAR, JPN, GKG.atWarWith, USA, "Японія воює зі США.")
    _relation(g, OFFICE, KISHIDA, GKG.holdsOfficeIn, JPN, "Прем'єр Японії Кісіда.")
    _relation(g, GKD["relation/n1/g"], USA, GKG.supplies, GKD["actor/patriot"], "США постачають Patriot.")
    return g


@pytest.mark.parametrize("name", ["edges", "items", "nodes"])
def test_queries_shipped_and_loadable(name):
    assert name in names()
    assert "SELECT" in load(name)


@pytest.mark.parametrize("name", ["no-such-query"])
def test_queries_unknown_name_raises(name):
    with pytest.raises(QueryError):
        load(name)


@pytest.mark.parametrize(
    "actor, attributes",
    [
        (JPN, {"label": "Японія", "label_en": "Japan", "kind": "State", "wikidata": "Q17", "country": None}),
        (USA, {"label": "United States", "label_en": "United States", "kind": "State", "wikidata": "Q30",
               "country": None}),
        (KISHIDA, {"label": "Фуміо Кісіда", "label_en": "Fumio Kishida", "kind": "Person",
                   "wikidata": "Q1365339", "country": str(JPN)}),
    ],
)
def test_project_actor_nodes(news_graph, actor, attributes):
    G = project(news_graph)
    assert set(G.nodes) == {str(JPN), str(USA), str(KISHIDA)}
    assert G.nodes[str(actor)] == attributes


@pytest.mark.parametrize(
    "key, source, target, kind, quad, evidence",
    [
        (AID, JPN, USA, "AID", 2, "Японія надала США допомогу."),
        (CONSULT, KISHIDA, USA, "CONSULT", 1, "Кісіда провів переговори зі США."),
        (WAR, JPN, USA, "atWarWith", 4, "Японія воює зі США."),
        (OFFICE, KISHIDA, JPN, "holdsOfficeIn", None, "Прем'єр Японії Кісіда."),
    ],
)
def test_project_edges(news_graph, key, source, target, kind, quad, evidence):
    G = project(news_graph)
    edge = G.edges[str(source), str(target), str(key)]
    assert (edge["kind"], edge["quad"], edge["evidence"], edge["item"]) == (kind, quad, evidence, str(ITEM))


@pytest.mark.parametrize("left_out", [AGREE, GKD["event/n1/f"], GKD["relation/n1/g"]])
def test_project_skips_edges_without_two_actors(news_graph, left_out):
    G = project(news_graph)
    assert G.number_of_edges() == 4
    assert str(left_out) not in {key for _, _, key in G.edges(keys=True)}


@pytest.mark.parametrize(
    "key, event, relation, date",
    [(AID, AID, None, "2024-05-01"), (CONSULT, CONSULT, None, None), (WAR, None, WAR, None)],
)
def test_project_edge_provenance(news_graph, key, event, relation, date):
    (edge,) = [d for _, _, k, d in project(news_graph).edges(keys=True, data=True) if k == str(key)]
    assert edge["event"] == (str(event) if event else None)
    assert edge["relation"] == (str(relation) if relation else None)
    assert edge["date"] == date


@pytest.mark.parametrize("plover", ["AGREE"])
def test_project_quad_none_without_concept(news_graph, plover):
    event = GKD["event/n1/h"]
    _event(news_graph, event, plover, USA, JPN, "США погодилися з Японією.")
    edge = project(news_graph).edges[str(USA), str(JPN), str(event)]
    assert (edge["kind"], edge["quad"]) == (plover, None)


@pytest.mark.parametrize("repeat", [2])
def test_project_deterministic_order(news_graph, repeat):
    runs = [project(news_graph) for _ in range(repeat)]
    assert len({tuple(G.nodes) for G in runs}) == 1
    assert len({tuple(G.edges(keys=True)) for G in runs}) == 1
    assert list(runs[0].nodes) == sorted(runs[0].nodes)


@pytest.mark.parametrize("key, mode", [(AID, "planned"), (CONSULT, None), (WAR, None)])
def test_project_edge_mode(news_graph, key, mode):
    news_graph.add((AID, GKG.mode, Literal("planned")))
    (edge,) = [d for _, _, k, d in project(news_graph).edges(keys=True, data=True) if k == str(key)]
    assert edge["mode"] == mode


@pytest.mark.parametrize("title, url", [("Японія і США", "https://example.org/1"), (None, None)])
def test_project_news_items(news_graph, title, url):
    dcterms = Namespace("http://purl.org/dc/terms/")
    news_graph.add((ITEM, RDF.type, GKG.NewsItem))
    news_graph.add((ITEM, dcterms.identifier, Literal("n1")))
    news_graph.add((ITEM, dcterms.date, Literal("2024-05-01", datatype=XSD_DATE)))
    if title:
        news_graph.add((ITEM, dcterms.title, Literal(title, lang="uk")))
    if url:
        news_graph.add((ITEM, PROV.atLocation, Literal(url)))
    assert project(news_graph).graph["items"] == {
        str(ITEM): {"id": "n1", "title": title, "source": None, "date": "2024-05-01", "url": url}}


@pytest.mark.parametrize("mode, edge", [("negated", False), ("conditional", False), ("reported", True)])
def test_project_events_that_did_not_happen_are_no_edges(news_graph, mode, edge):
    news_graph.add((AID, GKG.mode, Literal(mode)))
    assert (str(AID) in {k for _, _, k in project(news_graph).edges(keys=True)}) is edge
