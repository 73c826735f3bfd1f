"""The whole pipeline, one short loop: read → analyze → recognize → link → code → RDF.

>>> from kg.model import NewsItem
>>> doc = process(NewsItem(id="x", text="Японія підтримала Україну."))
>>> [(e.plover, e.source, e.target) for e in doc.events]
[('SUPPORT', 'jpn', 'ukr')]
"""

from __future__ import annotations

from typing import Iterable, Iterator

from kg.events import code
from kg.link import link
from kg.model import Doc, NewsItem
from kg.recognize import recognize
from kg.text import analyze

STAGES = (recognize, link, code)


def process(item: NewsItem) -> Doc:
    doc = analyze(item)
    for stage in STAGES:
        doc = stage(doc)
    return doc


def process_all(items: Iterable[NewsItem]) -> Iterator[Doc]:
    for item in items:
        yield process(item)
