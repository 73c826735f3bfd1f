"""``kg annotate``: the names the extractor saw in a text, with offsets, NER type, lemma and the actor they resolve to.

>>> from kg.model import NewsItem
>>> [(e["text"], e["type"]) for e in entities(NewsItem(id="x", text="Кісіда прибув до Вашингтона."))]
[('Кісіда', 'PERS'), ('Вашингтона', 'LOC')]
"""

from __future__ import annotations

from kg.model import ACTOR_KINDS, Doc, NewsItem
from kg.pipeline import process
from kg.rdf import actor_iri

NER_TYPES = {"Person": "PERS", "State": "LOC", "Location": "LOC", "WeaponSystem": "MISC", "Name": "MISC"}
NER_TYPES.update({kind: "ORG" for kind in ACTOR_KINDS - {"Person", "State"}})


def entities(item: NewsItem) -> list[dict]:
    return doc_entities(process(item))


def doc_entities(doc: Doc) -> list[dict]:
    found = []
    for m in sorted(doc.mentions, key=lambda m: (m.start, m.end)):
        if m.kind not in NER_TYPES or (found and (found[-1]["start"], found[-1]["end"]) == (m.start, m.end)):
            continue  # a compound adjective naming two states is one span
        entity = doc.entities.get(m.actor) if m.actor else None
        found.append({"start": m.start, "end": m.end, "text": m.text, "type": NER_TYPES[m.kind], "class": m.kind,
                      "lemma": entity.label_uk if entity else m.lemma,
                      "wikidata": entity.wikidata if entity else None,
                      "actor": str(actor_iri(m.actor)) if m.actor else None})
    return found
