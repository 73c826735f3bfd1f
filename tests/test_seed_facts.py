"""The facts the seed news states must be in the graph built from it (issue: end to end on the seed)."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, XSD

from kg.namespace import GKG, PLOVER, SEM
from kg.rdf import actor_iri
from kg.validate import validate


def A(entity_id: str) -> URIRef:
    return actor_iri(entity_id)


def events(graph, plover: str, source: str, target: str | None):
    found = []
    for event in graph.subjects(SEM.eventType, PLOVER[plover]):
        if (event, GKG.source, A(source)) in graph and (
                target is None or (event, GKG.target, A(target)) in graph):
            found.append(event)
    return found


@pytest.mark.parametrize("plover, source, target", [
    ("COOPERATE", "jpn", "usa"),  # Japan cooperates with the United States
    ("AGREE", "jpn", "usa"),  # and agrees with it
    ("COOPERATE", "usa", "jpn"),  # the United States buys Japanese weapons
    ("CONSULT", "fumio-kishida", "joe-biden"),  # Kishida and Biden meet
    ("CONSULT", "joe-biden", "fumio-kishida"),
    ("AID", "usa", "ukr"),  # the United States aids Ukraine with its own weapons
    ("ASSAULT", "rus", "ukr"),  # Russia attacked Dnipro, in Ukraine
])
def test_seed_facts_event(seed_graph, plover, source, target):
    assert events(seed_graph, plover, source, target), f"no {plover} event {source} → {target}"
    assert (A(source), getattr(GKG, plover.lower()), A(target)) in seed_graph  # mirrored as a direct edge


def test_seed_facts_meeting_date_and_place(seed_graph):
    meeting = events(seed_graph, "CONSULT", "fumio-kishida", "joe-biden")[0]
    assert (meeting, SEM.hasTimeStamp, Literal("--04-10", datatype=XSD.gMonthDay)) in seed_graph
    assert (meeting, SEM.hasPlace, A("washington")) in seed_graph


@pytest.mark.parametrize("person, organization, role", [
    ("fumio-kishida", "jpn", GKG.HeadOfGovernment),
    ("joe-biden", "usa", GKG.HeadOfState),
    ("kim-jong-un", "prk", GKG.Leader),
    ("donald-tusk", "pol", GKG.HeadOfGovernment),
    ("alexander-lukashenko", "blr", GKG.HeadOfState),
    ("vladimir-putin", "rus", GKG.HeadOfState),
])
def test_seed_facts_offices(seed_graph, person, organization, role):
    assert (A(person), GKG.holdsOfficeIn, A(organization)) in seed_graph
    posts = [p for p in seed_graph.objects(A(person), ORG.holds)
             if (p, ORG.postIn, A(organization)) in seed_graph and (p, ORG.role, role) in seed_graph]
    assert posts


def test_seed_facts_offices_stated_in_text_have_evidence(seed_graph):
    stated = [r for r in seed_graph.subjects(RDF.predicate, GKG.holdsOfficeIn)
              if (r, RDF.subject, A("donald-tusk")) in seed_graph]
    assert stated
    evidence = str(seed_graph.value(stated[0], GKG.evidence))
    assert evidence.startswith("Польський прем") and "Дональд Туск" in evidence


def test_seed_facts_patriot_exported_to_usa(seed_graph):
    supplies = [r for r in seed_graph.subjects(RDF.predicate, GKG.supplies)
                if (r, RDF.subject, A("jpn")) in seed_graph and (r, RDF.object, A("patriot")) in seed_graph]
    assert supplies and (supplies[0], GKG.recipient, A("usa")) in seed_graph


def test_seed_facts_source_outlet(seed_graph):
    assert Literal("Yomiuri") in set(seed_graph.objects(None, DCTERMS.source))


@pytest.mark.parametrize("subject, predicate, obj", [
    ("rus", GKG.atWarWith, "ukr"),
    ("rus", GKG.produces, "oreshnik"),
    ("rus", GKG.uses, "oreshnik"),
    ("dnipro", GKG.locatedIn, "ukr"),
    ("oslo", GKG.locatedIn, "nor"),
    ("jpn", GKG.alliedWith, "usa"),
])
def test_seed_facts_relations(seed_graph, subject, predicate, obj):
    assert (A(subject), predicate, A(obj)) in seed_graph


def test_seed_facts_norway_arrests_student_suspected_of_spying(seed_graph):
    arrests = [e for e in seed_graph.subjects(SEM.eventType, PLOVER.COERCE) if (e, GKG.source, A("nor")) in seed_graph]
    assert arrests
    student = seed_graph.value(arrests[0], GKG.target)
    assert (student, RDF.type, GKG.Person) in seed_graph
    assert (student, GKG.country, A("nor")) in seed_graph
    assert {(student, GKG.spiesFor, A("rus")), (student, GKG.spiesFor, A("irn"))} <= set(seed_graph)
    employer = seed_graph.value(student, GKG.employedBy)
    assert (employer, GKG.country, A("usa")) in seed_graph
    assert (employer, GKG.locatedIn, A("oslo")) in seed_graph


@pytest.mark.parametrize("plover, source", [("THREATEN", "alexander-lukashenko"), ("MOBILIZE", "vladimir-putin")])
def test_seed_facts_events_without_target(seed_graph, plover, source):
    assert events(seed_graph, plover, source, None)


def test_seed_facts_attack_instrument_and_place(seed_graph):
    attack = events(seed_graph, "ASSAULT", "rus", "ukr")[0]
    assert (attack, GKG.instrument, A("oreshnik")) in seed_graph
    assert (attack, SEM.hasPlace, A("dnipro")) in seed_graph


def test_seed_facts_graph_conforms(seed_graph):
    conforms, report = validate(seed_graph)
    assert conforms, report


def test_seed_facts_iris_are_stable(seed_graph):
    from kg.items import read
    from kg.pipeline import process_all
    from kg.rdf import to_graph
    from tests.conftest import ROOT

    again = to_graph(process_all(read([ROOT / "seeds"])))
    assert set(again) == set(seed_graph)


def test_seed_facts_one_label_per_language_across_items():
    from rdflib import RDFS, Graph
    from rdflib.namespace import SKOS

    from kg.rdf import one_label_per_language

    graph = Graph()
    for label in ("Ман", "МАН"):  # two items named one minted entity differently
        graph.add((A("m-man"), RDFS.label, Literal(label, lang="uk")))
    graph.add((A("m-man"), RDFS.label, Literal("Man", lang="en")))
    one_label_per_language(graph)
    assert set(graph.objects(A("m-man"), RDFS.label)) == {Literal("МАН", lang="uk"), Literal("Man", lang="en")}
    assert set(graph.objects(A("m-man"), SKOS.altLabel)) == {Literal("Ман", lang="uk")}
