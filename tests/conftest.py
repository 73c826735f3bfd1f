"""Shared fixtures: the repository root, the seed graph built once, and a helper to code one text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.items import read
from kg.model import NewsItem
from kg.pipeline import process, process_all
from kg.rdf import to_graph

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_docs():
    return list(process_all(read([ROOT / "seeds"])))


@pytest.fixture(scope="session")
def seed_graph(seed_docs):
    return to_graph(seed_docs)


def code_text(text: str, date: str | None = None):
    """Run the whole pipeline on one hand-written item."""
    return process(NewsItem(id="t", text=text, date=date))


def triples_of(doc) -> set[tuple]:
    """(PLOVER type, source id, target id) of each event of a doc."""
    return {(e.plover, e.source, e.target) for e in doc.events}


def relations_of(doc) -> set[tuple]:
    return {(r.predicate, r.subject, r.object) for r in doc.relations}


# --- news items written by hand for the store and ingest tests (not the seed) ---------------------------------

_SUBJECTS = ("Японія", "Польща", "Франція", "Канада", "Литва")
_OBJECTS = (("Україну", "Україною", "Україні"), ("Росію", "Росією", "Росії"))
_PREDICATES = ("{s} підтримала {a}.", "{s} засудила {a}.", "{s} провела переговори з {i}.",
               "{s} надала {d} військову допомогу.")


def hand_items() -> list[dict]:
    """40 short news items, one event each, as JSONL records with ids h00…h39."""
    texts = [predicate.format(s=subject, a=a, i=i, d=d) for subject in _SUBJECTS for a, i, d in _OBJECTS
             for predicate in _PREDICATES]
    return [{"id": f"h{number:02d}", "text": text} for number, text in enumerate(texts)]


def write_news(path: Path, records: list[dict]) -> Path:
    """Write ``records`` as a JSONL news file and return its path."""
    import json

    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path
