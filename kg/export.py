"""Render what the pipeline found: PLOVER-style event records (events.jsonl) and RDF serializations.

Renderers return strings; ``write_outputs`` is the one thin writer that touches the disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from rdflib import Graph

from kg.errors import OutputError
from kg.model import Doc, Event
from kg.namespace import plover_types
from kg.rdf import actor_iri, event_id


def actor_record(doc: Doc, entity_id: str | None, surface: str) -> dict | None:
    if entity_id is None:
        return None
    entity = doc.entities.get(entity_id)
    if entity is None:
        return {"text": surface, "name": None, "wikidata": None, "country": None, "type": None}
    if entity.iso3 == "IGO" or entity.kind == "InternationalOrganization":
        country = "IGO"
    elif entity.kind == "State":
        country = entity.iso3
    else:
        state = doc.entities.get(entity.country) if entity.country else None
        country = state.iso3 if state else None
    return {"text": surface, "name": entity.label_en or entity.label_uk, "name_uk": entity.label_uk,
            "wikidata": entity.wikidata, "country": country, "type": entity.kind, "iri": str(actor_iri(entity_id))}


def event_record(doc: Doc, event: Event) -> dict:
    plover = plover_types()[event.plover]
    place = doc.entities.get(event.place) if event.place else None
    return {
        "id": event_id(doc.item.id, event),
        "date": event.date or doc.item.date,
        "event": event.plover,
        "quad_code": plover["quad"],
        "cameo": plover["cameo"],
        "actor": actor_record(doc, event.source, event.source_text),
        "recipient": actor_record(doc, event.target, event.target_text),
        "text": doc.item.text[event.start:event.end],
        "doc": {"id": doc.item.id, "path": doc.item.path},
        "confidence": event.confidence,
        "mode": event.mode,
        "trigger": event.trigger,
        "place": (place.label_en or place.label_uk) if place else None,
        "instrument": actor_record(doc, event.instrument, "") if event.instrument else None,
        "attributed_to": actor_record(doc, event.attributed_to, "") if event.attributed_to else None,
        "offsets": [event.start, event.end],
    }


def events_jsonl(docs: Iterable[Doc]) -> Iterator[str]:
    """One JSON line per event, in input order; events the news says did not happen are left out
    (they stay in the RDF graph with ``gkg:mode "negated"``)."""
    for doc in docs:
        for event in doc.events:
            if event.mode == "negated":
                continue
            yield json.dumps(event_record(doc, event), ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Outputs:
    graph: Path
    events: Path
    html: Path
    centrality: Path


def write_outputs(out: Path, turtle: str, events: Iterable[str], html: str, centrality_csv: str) -> Outputs:
    """Write the four files into ``out``; each is written whole to a temporary file, then renamed."""
    paths = Outputs(out / "graph.ttl", out / "events.jsonl", out / "graph.html", out / "centrality.csv")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path, text in ((paths.graph, turtle), (paths.events, "".join(events)), (paths.html, html),
                           (paths.centrality, centrality_csv)):
            write_text(path, text)
    except OSError as error:
        raise OutputError(f"{error.filename or out}: cannot write output ({error.strerror or error})") from error
    return paths


def write_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")
