"""``kg annotate``: the names the extractor saw in a text, with offsets, NER type, lemma and the actor they resolve to.

Only names are reported (``Doc.names``: spans the name tagger found, PERS/LOC/ORG): a state adjective
("української"), a demonym or a role phrase is a mention for event coding but not a name.

>>> from kg.model import NewsItem
>>> [(e["text"], e["type"]) for e in entities(NewsItem(id="x", text="Кісіда прибув до Вашингтона."))]
[('Кісіда', 'PERS'), ('Вашингтона', 'LOC')]
"""

from __future__ import annotations

from dataclasses import replace

from kg.model import Doc, Mention, NewsItem
from kg.pipeline import process
from kg.rdf import actor_iri


def entities(item: NewsItem) -> list[dict]:
    return doc_entities(process(item))


def doc_entities(doc: Doc) -> list[dict]:
    """One record per name; the actor is that of the linked mention over the same span, else of the one that
    took the name in: an organization with its legal form or unit around it ("державне підприємство «…»",
    "колегія Антимонопольного комітету"), or the organization an unnamed official of it works for ("посадових
    осіб ДП «…»")."""
    linked = {(m.start, m.end): m for m in doc.mentions if m.actor}
    works_for = {r.subject: r.object for r in doc.relations if r.predicate in ("employed_by", "holds_office")}
    found = []
    for ner, name in sorted(doc.names, key=lambda pair: (pair[1].start, pair[1].end)):
        m: Mention = linked.get((name.start, name.end)) or _taken_in(doc, name, works_for) or name
        entity = doc.entities.get(m.actor) if m.actor else None
        found.append({"start": name.start, "end": name.end, "text": name.text, "type": ner,
                      "class": entity.kind if entity else name.kind,
                      "lemma": entity.label_uk if entity else m.lemma,
                      "wikidata": entity.wikidata if entity else None,
                      "actor": str(actor_iri(m.actor)) if m.actor else None})
    return found


def _taken_in(doc: Doc, name: Mention, works_for: dict[str, str]) -> Mention | None:
    for m in doc.mentions:
        if m.actor and m.sentence == name.sentence and m.start <= name.start and name.end <= m.end:
            if m.via in ("organization", "unit", "classifier"):
                return m
            if m.kind == "Person" and m.actor in works_for and m.via in ("noun", "role"):
                return replace(m, actor=works_for[m.actor])
    return None
