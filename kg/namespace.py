"""The closed namespaces of geokg terms, and where the ontology files are.

Every ontology term the code uses goes through :class:`GKG`, :class:`PLOVER` or :class:`SEM`; each is closed
(``_fail = True``), so a misspelled term raises instead of minting a new IRI:

>>> GKG.Actor
rdflib.term.URIRef('https://w3id.org/geokg/ontology#Actor')
>>> GKG.Actr
Traceback (most recent call last):
...
AttributeError: term 'Actr' not in namespace 'https://w3id.org/geokg/ontology#'

The declarations mirror ``ontology/geokg.ttl`` and ``ontology/plover.ttl``; ``tests/test_ontology.py`` checks that
they match both ways.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, SKOS, XSD, DefinedNamespace, Namespace

GKD = Namespace("https://w3id.org/geokg/id/")
WD = Namespace("http://www.wikidata.org/entity/")


class GKG(DefinedNamespace):
    """geokg ontology terms (``ontology/geokg.ttl``)."""

    _NS = Namespace("https://w3id.org/geokg/ontology#")
    _fail = True

    # classes
    Actor: URIRef
    State: URIRef
    Person: URIRef
    Organization: URIRef
    GovernmentBody: URIRef
    ArmedForces: URIRef
    IntelligenceAgency: URIRef
    MediaOutlet: URIRef
    InternationalOrganization: URIRef
    ArmedGroup: URIRef
    Location: URIRef
    WeaponSystem: URIRef
    NewsItem: URIRef
    Event: URIRef
    Relation: URIRef
    Role: URIRef
    # roles
    HeadOfState: URIRef
    HeadOfGovernment: URIRef
    Minister: URIRef
    ForeignMinister: URIRef
    DefenceMinister: URIRef
    Commander: URIRef
    Leader: URIRef
    Spokesperson: URIRef
    Ambassador: URIRef
    Head: URIRef
    # event properties
    source: URIRef
    target: URIRef
    instrument: URIRef
    trigger: URIRef
    mode: URIRef
    evidence: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    confidence: URIRef
    # direct edges, one per PLOVER type
    agree: URIRef
    consult: URIRef
    support: URIRef
    concede: URIRef
    cooperate: URIRef
    aid: URIRef
    retreat: URIRef
    demand: URIRef
    disapprove: URIRef
    reject: URIRef
    threaten: URIRef
    protest: URIRef
    sanction: URIRef
    mobilize: URIRef
    coerce: URIRef
    assault: URIRef
    fight: URIRef
    investigate: URIRef
    # relation predicates
    holdsOfficeIn: URIRef
    employedBy: URIRef
    spiesFor: URIRef
    produces: URIRef
    supplies: URIRef
    uses: URIRef
    atWarWith: URIRef
    alliedWith: URIRef
    locatedIn: URIRef
    attributedTo: URIRef
    recipient: URIRef
    # actors and news items
    country: URIRef
    iso3: URIRef
    nameKey: URIRef
    contentHash: URIRef
    ingestHash: URIRef
    text: URIRef
    # PLOVER concepts
    quadClass: URIRef
    cameoRoot: URIRef
    edgeProperty: URIRef
    # analytics
    pagerank: URIRef
    betweenness: URIRef
    degree: URIRef
    inDegree: URIRef
    outDegree: URIRef
    eigenvector: URIRef
    closeness: URIRef
    community: URIRef
    cooperationSent: URIRef
    cooperationReceived: URIRef
    conflictSent: URIRef
    conflictReceived: URIRef
    cooperationBalance: URIRef


class PLOVER(DefinedNamespace):
    """PLOVER event types and quad classes (``ontology/plover.ttl``)."""

    _NS = Namespace("https://w3id.org/geokg/plover#")
    _fail = True

    scheme: URIRef
    VerbalCooperation: URIRef
    MaterialCooperation: URIRef
    VerbalConflict: URIRef
    MaterialConflict: URIRef
    AGREE: URIRef
    CONSULT: URIRef
    SUPPORT: URIRef
    CONCEDE: URIRef
    COOPERATE: URIRef
    AID: URIRef
    RETREAT: URIRef
    DEMAND: URIRef
    DISAPPROVE: URIRef
    REJECT: URIRef
    THREATEN: URIRef
    PROTEST: URIRef
    SANCTION: URIRef
    MOBILIZE: URIRef
    COERCE: URIRef
    ASSAULT: URIRef
    FIGHT: URIRef
    INVESTIGATE: URIRef


class SEM(DefinedNamespace):
    """The terms of the Simple Event Model that geokg uses."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    eventType: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef


PREFIXES: dict[str, object] = {
    "gkg": GKG,
    "plover": PLOVER,
    "gkd": GKD,
    "sem": SEM,
    "prov": PROV,
    "org": ORG,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "owl": OWL,
    "wd": WD,
    "xsd": XSD,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the geokg prefixes on ``graph`` and return it.

    >>> g = bind_prefixes(Graph())
    >>> dict(g.namespaces())["plover"]
    rdflib.term.URIRef('https://w3id.org/geokg/plover#')
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, str(namespace), override=True, replace=True)
    return graph


def ontology_path(name: str) -> Path:
    """The path of ``name`` among the ontology files: the repository's ``ontology/`` folder, which an install
    ships as the package ``kg.ontology``.

    >>> ontology_path("geokg.ttl").name
    'geokg.ttl'
    """
    source = Path(__file__).resolve().parent.parent / "ontology" / name
    if source.exists():
        return source
    return Path(str(resources.files("kg.ontology").joinpath(name)))


@cache
def plover_types() -> dict[str, dict]:
    """Each PLOVER event type of ``plover.ttl`` by notation: quad class, CAMEO root, edge property, labels.

    >>> plover_types()["AGREE"]["edge"] == GKG.agree
    True
    >>> plover_types()["FIGHT"]["quad"], plover_types()["FIGHT"]["cameo"]
    (4, '19')
    """
    graph = Graph().parse(ontology_path("plover.ttl"))
    types = {}
    for concept in graph.subjects(GKG.quadClass, None):
        if (concept, SKOS.inScheme, PLOVER.scheme) not in graph:
            continue
        labels = {label.language: str(label) for label in graph.objects(concept, SKOS.prefLabel)}
        types[str(graph.value(concept, SKOS.notation))] = {
            "concept": concept,
            "quad": int(graph.value(concept, GKG.quadClass)),
            "cameo": str(graph.value(concept, GKG.cameoRoot)),
            "edge": graph.value(concept, GKG.edgeProperty),
            "label_en": labels.get("en", ""),
            "label_uk": labels.get("uk", ""),
        }
    return dict(sorted(types.items()))


__all__ = [
    "GKD",
    "GKG",
    "PLOVER",
    "PREFIXES",
    "SEM",
    "WD",
    "bind_prefixes",
    "ontology_path",
    "plover_types",
]
