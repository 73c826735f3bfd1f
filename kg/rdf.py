"""Docs → RDF. Nothing else in geokg builds triples.

``item_triples(doc)`` gives the triples of one news item (its events, relations and the actors it mentions);
``to_graph(docs)`` gathers them into one rdflib Graph. IRIs depend only on content: the same input gives the
same graph.
"""

from __future__ import annotations

import hashlib
from typing import Iterable, Iterator
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, SKOS

from kg.model import Doc, Event, Relation
from kg.namespace import GKD, GKG, PLOVER, SEM, WD, bind_prefixes, plover_types

ROLE_TERMS = {
    "head_of_state": GKG.HeadOfState, "head_of_government": GKG.HeadOfGovernment, "minister": GKG.Minister,
    "foreign_minister": GKG.ForeignMinister, "defence_minister": GKG.DefenceMinister, "commander": GKG.Commander,
    "leader": GKG.Leader, "spokesperson": GKG.Spokesperson, "ambassador": GKG.Ambassador, "head": GKG.Head,
}
RELATION_TERMS = {
    "holds_office": GKG.holdsOfficeIn, "member_of": ORG.memberOf, "employed_by": GKG.employedBy,
    "spies_for": GKG.spiesFor, "produces": GKG.produces, "supplies": GKG.supplies, "uses": GKG.uses,
    "at_war_with": GKG.atWarWith, "allied_with": GKG.alliedWith, "located_in": GKG.locatedIn,
}
REFERENCE = GKD["reference"]
Triple = tuple


def _segment(value: str) -> str:
    """An id as one IRI path segment: anything but unreserved characters percent-encoded ("a b/c" → "a%20b%2Fc")."""
    return quote(value, safe="-._~")


def actor_iri(entity_id: str) -> URIRef:
    return GKD[f"actor/{_segment(entity_id)}"]


def name_keys(node: URIRef, *names: str | None) -> list[str]:
    """The keys (``gkg:nameKey``) an entity is found by: the last segment of its IRI and each of ``names``, in
    lower case (the find-actor query lowers the name it is given with SPARQL's LCASE, which Oxigraph and Python
    write alike but for a few dozen letters of recent Unicode versions, none of them Cyrillic or Latin).

    >>> name_keys(URIRef("https://w3id.org/geokg/id/actor/jpn"), "Q17", "Японія", "Japan", None, "Японії")
    ['jpn', 'q17', 'японія', 'japan', 'японії']
    """
    segment = str(node).rsplit("/", 1)[-1]
    return list(dict.fromkeys(name.lower() for name in (segment, *names) if name))


def item_iri(item_id: str) -> URIRef:
    return GKD[f"item/{_segment(item_id)}"]


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:12]


def event_id(item_id: str, event: Event) -> str:
    """Stable for the same text: the item, the event's type, actors and the position of its trigger word."""
    return f"{_segment(item_id)}/{_digest(event.plover, event.source, event.target, event.trigger_start)}"


def event_iri(item_id: str, event: Event) -> URIRef:
    return GKD[f"event/{event_id(item_id, event)}"]


def relation_iri(item_id: str, relation: Relation) -> URIRef:
    key = _digest(relation.predicate, relation.subject, relation.object, relation.recipient, relation.start)
    return GKD[f"relation/{_segment(item_id)}/{key}"]


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_graph(docs: Iterable[Doc]) -> Graph:
    graph = bind_prefixes(Graph())
    for doc in docs:
        for triple in item_triples(doc):
            graph.add(triple)
    return one_label_per_language(graph)


def one_label_per_language(graph: Graph) -> Graph:
    """Two items may name one minted entity differently ("Ман", "МАН"): the first label in sort order stays the
    label, the others become alternative labels, whatever order the items came in."""
    labels: dict[tuple, list[Literal]] = {}
    for subject, label in graph.subject_objects(RDFS.label):
        labels.setdefault((subject, label.language), []).append(label)
    for (subject, _), found in labels.items():
        for extra in sorted(found)[1:]:
            graph.remove((subject, RDFS.label, extra))
            graph.add((subject, SKOS.altLabel, extra))
    return graph


def item_triples(doc: Doc) -> Iterator[Triple]:
    item = doc.item
    node = item_iri(item.id)
    yield node, RDF.type, GKG.NewsItem
    yield node, DCTERMS.identifier, Literal(item.id)
    yield node, GKG.contentHash, Literal(content_hash(item.text))
    yield node, GKG.text, Literal(item.text)
    if item.title:
        yield node, DCTERMS.title, Literal(item.title, lang="uk")
    if item.source:
        yield node, DCTERMS.source, Literal(item.source)
    if item.date:
        yield node, DCTERMS.date, Literal(item.date, datatype=XSD.date)
    if item.url:
        yield node, PROV.atLocation, Literal(item.url)
    used: set[str] = set()
    for event in doc.events:
        used.update(x for x in (event.source, event.target, event.place, event.instrument, event.attributed_to) if x)
        yield from event_triples(doc, event)
    for relation in doc.relations:
        used.update(x for x in (relation.subject, relation.object, relation.recipient) if x)
        yield from relation_triples(doc, relation)
    mentioned = {m.actor for m in doc.mentions if m.actor}
    for entity_id in sorted(used | mentioned):
        yield from entity_triples(doc, entity_id)


def entity_triples(doc: Doc, entity_id: str) -> Iterator[Triple]:
    entity = doc.entities.get(entity_id)
    if entity is None:
        return
    node = actor_iri(entity_id)
    yield node, RDF.type, GKG[entity.kind]
    yield node, RDFS.label, Literal(entity.label_uk or entity.label_en, lang="uk")
    if entity.label_en:
        yield node, RDFS.label, Literal(entity.label_en, lang="en")
    for surface in doc.surfaces.get(entity_id, ()):
        if surface != entity.label_uk:
            yield node, SKOS.altLabel, Literal(surface, lang="uk")
    if entity.wikidata:
        yield node, OWL.sameAs, WD[entity.wikidata]
    for key in name_keys(node, entity.wikidata, entity.label_uk, entity.label_en, *doc.surfaces.get(entity_id, ())):
        yield node, GKG.nameKey, Literal(key)
    if entity.kind == "State" and entity.iso3:
        yield node, GKG.iso3, Literal(entity.iso3)
    state = doc.entities.get(entity.country) if entity.country and entity.country != entity_id else None
    if state is not None:
        predicate = GKG.locatedIn if entity.kind == "Location" else GKG.country
        yield node, predicate, actor_iri(state.id)
        yield from entity_triples(doc, state.id)
    for role, organization in entity.roles:
        yield from post_triples(doc, entity_id, role, organization, REFERENCE)


def post_triples(doc: Doc, person: str, role: str, organization: str, derived_from: URIRef) -> Iterator[Triple]:
    org = doc.entities.get(organization)
    if role not in ROLE_TERMS or org is None:
        return
    post = GKD[f"post/{_segment(organization)}/{role}"]
    yield post, RDF.type, ORG.Post
    yield post, ORG.postIn, actor_iri(organization)
    yield post, ORG.role, ROLE_TERMS[role]
    yield actor_iri(person), ORG.holds, post
    yield actor_iri(person), GKG.holdsOfficeIn, actor_iri(organization)
    if derived_from == REFERENCE:
        yield post, PROV.wasDerivedFrom, REFERENCE
    yield from entity_triples(doc, organization)


def _evidence(doc: Doc, node, start: int, end: int) -> Iterator[Triple]:
    yield node, GKG.evidence, Literal(doc.item.text[start:end])
    yield node, GKG.beginIndex, Literal(start, datatype=XSD.integer)
    yield node, GKG.endIndex, Literal(end, datatype=XSD.integer)
    yield node, PROV.wasDerivedFrom, item_iri(doc.item.id)


def event_triples(doc: Doc, event: Event) -> Iterator[Triple]:
    node = event_iri(doc.item.id, event)
    yield node, RDF.type, GKG.Event
    yield node, SEM.eventType, PLOVER[event.plover]
    yield node, GKG.source, actor_iri(event.source)
    if event.target:
        yield node, GKG.target, actor_iri(event.target)
    yield from _evidence(doc, node, event.start, event.end)
    yield node, GKG.confidence, Literal(_decimal(round(event.confidence, 2)), datatype=XSD.decimal)
    yield node, GKG.mode, Literal(event.mode)
    yield node, GKG.trigger, Literal(event.trigger)
    if event.date:
        datatype = XSD.gMonthDay if event.date.startswith("--") else XSD.date if len(event.date) == 10 \
            else XSD.gYearMonth
        yield node, SEM.hasTimeStamp, Literal(event.date, datatype=datatype)
    if event.place:
        yield node, SEM.hasPlace, actor_iri(event.place)
    if event.instrument:
        yield node, GKG.instrument, actor_iri(event.instrument)
    if event.attributed_to:
        yield node, GKG.attributedTo, actor_iri(event.attributed_to)
    if event.target and event.mode in ("asserted", "reported", "planned"):
        yield actor_iri(event.source), plover_types()[event.plover]["edge"], actor_iri(event.target)


def relation_triples(doc: Doc, relation: Relation) -> Iterator[Triple]:
    predicate = RELATION_TERMS[relation.predicate]
    node = relation_iri(doc.item.id, relation)
    subject, obj = actor_iri(relation.subject), actor_iri(relation.object)
    yield node, RDF.type, GKG.Relation
    yield node, RDF.subject, subject
    yield node, RDF.predicate, predicate
    yield node, RDF.object, obj
    yield from _evidence(doc, node, relation.start, relation.end)
    yield node, GKG.confidence, Literal(_decimal(round(relation.confidence, 2)), datatype=XSD.decimal)
    yield subject, predicate, obj
    if relation.recipient:
        yield node, GKG.recipient, actor_iri(relation.recipient)
    if relation.predicate == "holds_office" and relation.role:
        yield from post_triples(doc, relation.subject, relation.role, relation.object, node)


#: column of an analysis row (kg.analyze) -> the property its figure is written with, and its datatype
FIGURE_TERMS = {
    "degree": (GKG.degree, XSD.integer), "in_degree": (GKG.inDegree, XSD.integer),
    "out_degree": (GKG.outDegree, XSD.integer), "pagerank": (GKG.pagerank, XSD.decimal),
    "betweenness": (GKG.betweenness, XSD.decimal), "eigenvector": (GKG.eigenvector, XSD.decimal),
    "closeness": (GKG.closeness, XSD.decimal), "community": (GKG.community, XSD.integer),
    "cooperation_sent": (GKG.cooperationSent, XSD.integer),
    "cooperation_received": (GKG.cooperationReceived, XSD.integer),
    "conflict_sent": (GKG.conflictSent, XSD.integer), "conflict_received": (GKG.conflictReceived, XSD.integer),
    "balance": (GKG.cooperationBalance, XSD.decimal),
}


def _decimal(value: float) -> str:
    """A float as an xsd:decimal lexical form with 12 places at most and no exponent (2e-05 → "0.00002"), no
    trailing zeros: the canonical form, which Oxigraph stores whatever form it is given (0.90 → "0.9")."""
    text = f"{value:.12f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def figure_triples(rows: list[dict]) -> Iterator[Triple]:
    """The analysis figures of each row (``row["actor"]`` is the actor IRI) as triples on the actor; a figure
    that is None (a balance without cooperation or conflict) gives no triple."""
    for row in rows:
        node = URIRef(row["actor"])
        for column, (term, datatype) in FIGURE_TERMS.items():
            value = row.get(column)
            if value is not None:
                text = _decimal(value) if datatype == XSD.decimal else str(int(value))
                yield node, term, Literal(text, datatype=datatype)


def figures_graph(rows: list[dict]) -> Graph:
    """A graph of the figures alone (see :func:`figure_triples`)."""
    graph = bind_prefixes(Graph())
    for triple in figure_triples(rows):
        graph.add(triple)
    return graph


def with_figures(graph: Graph, rows: list[dict]) -> Graph:
    """A copy of ``graph`` whose analysis figures are those of ``rows``: figures of an earlier analysis are
    dropped first, so analysing twice gives one value per actor and property."""
    terms = {term for term, _ in FIGURE_TERMS.values()}
    combined = bind_prefixes(Graph())
    for prefix, namespace in graph.namespaces():
        combined.bind(prefix, namespace, override=False)
    for triple in graph:
        if triple[1] not in terms:
            combined.add(triple)
    for triple in figure_triples(rows):
        combined.add(triple)
    return combined
