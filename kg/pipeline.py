"""The whole pipeline, one short loop: read → analyze → recognize → link → code → RDF.

>>> from kg.model import NewsItem
>>> doc = process(NewsItem(id="x", text="Японія підтримала Україну."))
>>> [(e.plover, e.source, e.target) for e in doc.events]
[('SUPPORT', 'jpn', 'ukr')]
"""

from __future__ import annotations

import gc
from itertools import islice
from typing import Iterable, Iterator

from kg.events import code
from kg.link import link
from kg.model import Doc, NewsItem
from kg.recognize import recognize, recognize_many
from kg.text import analyze

AFTER_RECOGNITION = (link, code)
STAGES = (recognize, *AFTER_RECOGNITION)
SETTLE_EVERY = 200  # items between two calls of settle() in a long run
BATCH = 16  # items whose sentences go to the name finder together in process_all


def process(item: NewsItem) -> Doc:
    doc = analyze(item)
    for stage in STAGES:
        doc = stage(doc)
    return doc


def process_all(items: Iterable[NewsItem], settle_every: int = SETTLE_EVERY, batch: int = BATCH) -> Iterator[Doc]:
    """Each item's doc, in order, as :func:`process` gives it. Items are analyzed ``batch`` at a time, so that the
    name finder gets their sentences in one call (:func:`kg.recognize.recognize_many`: its per-call cost was a
    tenth of its time, one call per item); a long run calls :func:`settle` every ``settle_every`` items (0: never)."""
    items = iter(items)
    count = 0
    while chunk := list(islice(items, max(1, batch))):
        for doc in recognize_many([analyze(item) for item in chunk]):
            for stage in AFTER_RECOGNITION:
                doc = stage(doc)
            yield doc
            count += 1
            if settle_every and count % settle_every == 0:
                settle()


def settle() -> None:
    """Collect cyclic garbage, then tell the collector that whatever is still alive lives on (``gc.freeze``).

    What a long run keeps — the lexicon, the name model, the caches of readings, features and phrases (hundreds of
    thousands of small tuples and sets) — is walked by every full collection, and one cost 0.4 s on the NER-UK
    dev corpus: a tenth of the pipeline's time, spent finding nothing, for the pipeline makes no reference
    cycles of its own (1,406 objects of cyclic garbage over the 391 texts, all from loading rdflib once).
    Frozen objects are still freed when nothing refers to them; only a cycle among them would never be, so the
    garbage is collected first. After the first call a collection walks only what came since the last one.
    A process that forks workers settles first, so that the children share the parent's pages (CPython's advice
    for ``gc.freeze``) instead of copying them when they collect."""
    gc.collect()
    gc.freeze()
