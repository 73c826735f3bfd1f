"""Project the RDF knowledge graph onto a networkx graph of actors for analytics and drawing.

Nodes are actors (IRIs as strings); edges are coded events (source → target) and the stated
relations between two actors (office, membership, employment, espionage, war, alliance).
Both come from the shipped queries ``nodes.rq`` and ``edges.rq``.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph

from kg.queries import load


def project(graph: Graph) -> nx.MultiDiGraph:
    """The actor graph of ``graph``: one node per actor, one edge per event or actor relation.

    Node attributes: ``label`` (uk label, else en, else the IRI), ``label_en``, ``kind`` (the most
    specific actor class local name), ``wikidata`` (Q-id or None), ``country`` (state IRI or None).
    Edge attributes: ``kind`` (PLOVER type such as ``"AID"``, or the relation predicate local name
    such as ``"memberOf"``), ``quad`` (1–4 or None), ``evidence``, ``item`` (news item IRI),
    ``event`` and ``relation`` (the IRI of the node the edge comes from, the other one None),
    ``date`` (the event time stamp as written, or None), ``mode`` (an event's mode such as
    ``"asserted"``; None for relations). The edge key is the event or relation IRI.
    Events without a target, and edges whose ends are not both actors, are left out.
    Nodes and edges are added in sorted order, so equal graphs give equal projections.
    ``projection.graph["items"]`` maps each news item IRI to :func:`news_items`' description.
    """
    projection = nx.MultiDiGraph(items=news_items(graph))
    for actor, attributes in sorted(_actors(graph).items()):
        projection.add_node(actor, **attributes)
    for row in sorted(_edges(graph), key=_edge_order):
        if row["source"] in projection and row["target"] in projection:
            source, target = row.pop("source"), row.pop("target")
            projection.add_edge(source, target, key=row["event"] or row["relation"], **row)
    return projection


def _actors(graph: Graph) -> dict[str, dict]:
    """Actor IRI -> node attributes, keeping the most specific class when an actor has several."""
    best: dict[str, tuple] = {}
    for row in graph.query(load("nodes")):
        actor = str(row.actor)
        rank = (int(row.rank), str(row["class"]))
        if actor in best and best[actor][0] <= rank:
            continue
        label_en = _text(row.label_en)
        best[actor] = (
            rank,
            {
                "label": _text(row.label_uk) or label_en or actor,
                "label_en": label_en,
                "kind": _local_name(str(row["class"])),
                "wikidata": _text(row.wikidata),
                "country": _text(row.country),
            },
        )
    return {actor: attributes for actor, (_, attributes) in best.items()}


def _edges(graph: Graph) -> list[dict]:
    edges = []
    for row in graph.query(load("edges")):
        is_event = str(row.family) == "event"
        edges.append(
            {
                "source": str(row.source),
                "target": str(row.target),
                "kind": str(row.kind),
                "quad": int(row.quad) if row.quad is not None else None,
                "evidence": _text(row.evidence),
                "item": _text(row.item),
                "event": str(row.edge) if is_event else None,
                "relation": None if is_event else str(row.edge),
                "date": _text(row.date),
                "mode": _text(row.mode),
            }
        )
    return edges


def news_items(graph: Graph) -> dict[str, dict]:
    """News item IRI -> ``{"id", "title", "source", "date", "url"}`` (None where the graph has none)."""
    return {
        str(row.item): {"id": _text(row.identifier), "title": _text(row.title), "source": _text(row.source),
                        "date": _text(row.date), "url": _text(row.url)}
        for row in graph.query(load("items"))
    }


def _edge_order(edge: dict) -> tuple[str, ...]:
    return (edge["source"], edge["target"], edge["kind"], edge["event"] or edge["relation"])


def _text(term) -> str | None:
    """The lexical form of a literal or the IRI of a node; None when unbound."""
    return None if term is None else str(term)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
