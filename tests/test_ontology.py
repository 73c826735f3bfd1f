"""The ontology files and the closed namespaces that mirror them."""

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespace import GKD, GKG, PLOVER, SEM, WD, bind_prefixes, ontology_path, plover_types

DESIGN = Path(__file__).resolve().parent.parent / "docs" / "design.md"
ONTOLOGY_IRI = URIRef("https://w3id.org/geokg/ontology")
QUAD_CONCEPTS = {
    1: PLOVER.VerbalCooperation,
    2: PLOVER.MaterialCooperation,
    3: PLOVER.VerbalConflict,
    4: PLOVER.MaterialConflict,
}
# notation: (CAMEO root, quad class), as in the PLOVER/CAMEO crosswalk.
PLOVER_TABLE = {
    "AGREE": ("03", 1),
    "CONSULT": ("04", 1),
    "SUPPORT": ("05", 1),
    "CONCEDE": ("08", 2),
    "COOPERATE": ("06", 2),
    "AID": ("07", 2),
    "RETREAT": ("08", 2),
    "DEMAND": ("10", 3),
    "DISAPPROVE": ("11", 3),
    "REJECT": ("12", 3),
    "THREATEN": ("13", 3),
    "PROTEST": ("14", 4),
    "SANCTION": ("16", 4),
    "MOBILIZE": ("15", 4),
    "COERCE": ("17", 4),
    "ASSAULT": ("18", 4),
    "FIGHT": ("19", 4),
    "INVESTIGATE": ("09", 3),
}
EDGES = [plover_types()[notation]["edge"] for notation in PLOVER_TABLE]


def _graph(name: str) -> Graph:
    return Graph().parse(ontology_path(name))


GEOKG = _graph("geokg.ttl")
PLOVER_GRAPH = _graph("plover.ttl")
SHAPES = _graph("shapes.ttl")


def _subjects_in(graph: Graph, namespace) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(namespace))}


def _iris_in(graph: Graph, namespace) -> set[URIRef]:
    return {n for triple in graph for n in triple if isinstance(n, URIRef) and n.startswith(str(namespace))}


def _declared(namespace) -> set[URIRef]:
    return set(dir(namespace))


@pytest.mark.parametrize("graph", [GEOKG])
def test_ontology_has_version_iri(graph):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/geokg/ontology/0.1.0")
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")


@pytest.mark.parametrize("term", sorted(_subjects_in(GEOKG, GKG)), ids=lambda t: t.split("#")[-1])
def test_ontology_term_has_label_and_comment(term):
    labels = {label.language for label in GEOKG.objects(term, RDFS.label)}
    assert "en" in labels
    assert GEOKG.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("term", sorted(_subjects_in(PLOVER_GRAPH, PLOVER)), ids=lambda t: t.split("#")[-1])
def test_plover_term_has_label_and_definition(term):
    labels = {label.language for label in PLOVER_GRAPH.objects(term, SKOS.prefLabel)}
    assert labels >= {"en", "uk"}
    assert PLOVER_GRAPH.value(term, SKOS.definition) is not None


@pytest.mark.parametrize(
    "namespace, graph", [(GKG, GEOKG), (PLOVER, PLOVER_GRAPH)], ids=["GKG", "PLOVER"]
)
def test_namespace_matches_turtle_declarations(namespace, graph):
    in_turtle = _subjects_in(graph, namespace)
    declared = _declared(namespace)
    assert declared - in_turtle == set(), "declared in kg/namespace.py but not in the Turtle"
    assert in_turtle - declared == set(), "in the Turtle but not declared in kg/namespace.py"


@pytest.mark.parametrize(
    "namespace, graph",
    [(GKG, PLOVER_GRAPH), (GKG, SHAPES), (PLOVER, SHAPES), (GKG, GEOKG), (PLOVER, PLOVER_GRAPH)],
    ids=["gkg-in-plover", "gkg-in-shapes", "plover-in-shapes", "gkg-in-geokg", "plover-in-plover"],
)
def test_ontology_files_use_only_declared_terms(namespace, graph):
    assert _iris_in(graph, namespace) - _declared(namespace) == set()


@pytest.mark.parametrize("prefix, namespace", [("gkg", GKG), ("sem", SEM), ("plover", PLOVER)])
def test_ontology_declares_every_design_term(prefix, namespace):
    # One-letter local names (gkg:x, plover:X) are placeholders in the prose.
    names = {m for m in re.findall(rf"\b{prefix}:([A-Za-z][A-Za-z0-9_]+)", DESIGN.read_text("utf-8"))}
    assert names, f"design.md names no {prefix}: terms"
    assert {URIRef(f"{namespace}{name}") for name in names} - _declared(namespace) == set()


@pytest.mark.parametrize("namespace", [GKG, PLOVER, SEM])
def test_namespace_undeclared_term_raises(namespace):
    with pytest.raises(AttributeError):
        namespace.nonsense


@pytest.mark.parametrize("notation, expected", sorted(PLOVER_TABLE.items()))
def test_plover_type_quad_class_and_cameo_root(notation, expected):
    cameo, quad = expected
    concept = PLOVER[notation]
    assert (concept, SKOS.inScheme, PLOVER.scheme) in PLOVER_GRAPH
    assert PLOVER_GRAPH.value(concept, GKG.cameoRoot) == Literal(cameo)
    assert PLOVER_GRAPH.value(concept, GKG.quadClass) == Literal(quad)
    assert PLOVER_GRAPH.value(concept, SKOS.broader) == QUAD_CONCEPTS[quad]
    assert PLOVER_GRAPH.value(QUAD_CONCEPTS[quad], SKOS.notation) == Literal(str(quad))


@pytest.mark.parametrize("notation, expected", sorted(PLOVER_TABLE.items()))
def test_plover_quad_class_follows_cameo_root(notation, expected):
    cameo, quad = expected
    root = int(cameo)
    assert quad == (1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4)


@pytest.mark.parametrize("expected", [set(PLOVER_TABLE)])
def test_plover_types_reads_the_eighteen_types(expected):
    types = plover_types()
    assert set(types) == expected
    assert {notation: (row["cameo"], row["quad"]) for notation, row in types.items()} == PLOVER_TABLE
    assert all(row["label_en"] and row["label_uk"] for row in types.values())
    assert types["AGREE"]["edge"] == GKG.agree


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: e.split("#")[-1])
def test_ontology_edge_property_links_actors(edge):
    assert (edge, RDF.type, OWL.ObjectProperty) in GEOKG
    assert GEOKG.value(edge, RDFS.domain) == GKG.Actor
    assert GEOKG.value(edge, RDFS.range) == GKG.Actor


@pytest.mark.parametrize("edges", [EDGES])
def test_plover_edge_properties_are_distinct(edges):
    assert len(set(edges)) == 18


@pytest.mark.parametrize("prop", [GKG.atWarWith, GKG.alliedWith])
def test_ontology_symmetric_relations(prop):
    assert (prop, RDF.type, OWL.SymmetricProperty) in GEOKG


@pytest.mark.parametrize("prop", [GKG.source, GKG.target])
def test_ontology_event_actor_roles_refine_sem_has_actor(prop):
    assert (prop, RDFS.subPropertyOf, SEM.hasActor) in GEOKG


@pytest.mark.parametrize(
    "subclass, superclass",
    [
        (GKG.State, GKG.Actor),
        (GKG.Person, GKG.Actor),
        (GKG.ArmedGroup, GKG.Organization),
        (GKG.MediaOutlet, GKG.Organization),
        (GKG.Organization, GKG.Actor),
    ],
)
def test_ontology_actor_class_hierarchy(subclass, superclass):
    assert superclass in set(GEOKG.transitive_objects(subclass, RDFS.subClassOf))


@pytest.mark.parametrize("subclass", [GKG.Location, GKG.WeaponSystem, GKG.NewsItem, GKG.Event])
def test_ontology_non_actors_are_not_actors(subclass):
    assert GKG.Actor not in set(GEOKG.transitive_objects(subclass, RDFS.subClassOf))


@pytest.mark.parametrize(
    "prefix, namespace",
    [("gkg", GKG), ("plover", PLOVER), ("gkd", GKD), ("sem", SEM), ("wd", WD), ("org", "http://www.w3.org/ns/org#")],
)
def test_namespace_bind_prefixes(prefix, namespace):
    graph = bind_prefixes(Graph())
    assert dict(graph.namespaces())[prefix] == URIRef(str(namespace))


@pytest.mark.parametrize("name", ["geokg.ttl", "plover.ttl", "shapes.ttl"])
def test_namespace_ontology_path_finds_file(name):
    assert ontology_path(name).is_file()
