"""The stream of items: process_all gives what process gives, and settles the collector on the way."""

from __future__ import annotations

import gc
import weakref

import pytest

from kg import pipeline
from kg.model import NewsItem
from kg.pipeline import process, process_all, settle

TEXTS = ["Японія підтримала Україну.", "Росія атакувала Харків.", "Польща засудила напад на Україну."]


def _facts(doc):
    return [(e.plover, e.source, e.target) for e in doc.events], [m.actor for m in doc.mentions]


@pytest.mark.parametrize("batch", [1, 2, 16])
def test_process_all_gives_what_process_gives(monkeypatch, batch):
    """Whatever the batches the name finder gets, and with the collector settled on the way."""
    calls = []
    monkeypatch.setattr(pipeline, "settle", lambda: calls.append(1))
    items = [NewsItem(id=str(k), text=t) for k, t in enumerate(TEXTS)]
    streamed = list(process_all(iter(items), settle_every=2, batch=batch))
    assert [_facts(d) for d in streamed] == [_facts(process(i)) for i in items]
    assert len(calls) == 1  # after the second item; none after the third
    assert list(process_all(iter(items), settle_every=0)) and len(calls) == 1


class _Node:
    def __init__(self):
        self.other = self  # a reference cycle: only the cyclic collector frees it


def test_settle_collects_cycles_before_freezing():
    node = _Node()
    gone = weakref.ref(node)
    del node
    frozen = gc.get_freeze_count()
    settle()
    assert gone() is None  # collected, not frozen for ever
    assert gc.get_freeze_count() >= frozen
    kept = [_Node() for _ in range(10)]
    settle()
    assert gc.get_freeze_count() >= frozen + 10 and kept
    gc.unfreeze()  # leave the test process as it was
