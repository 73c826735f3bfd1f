"""Hostile and random text never crashes the pipeline, every offset points at its text, and the graph conforms."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import NewsItem
from kg.pipeline import process
from kg.rdf import to_graph
from kg.validate import validate

WORDS = ["Японія", "США", "Росія", "Україну", "підтримала", "атакували", "санкції", "проти", "з", "та", "не",
         "Кісіди", "Байденом", "зустрівся", "«Вагнер»", "HIMARS", "10 квітня", ",", ".", "—", "якою", "що"]
HOSTILE = ["\u200b", "\u200d", "\u202e", "\u2066", "\u00ad", "\u0301", "<script>alert(2)</script>",
           "<img src=x onerror=alert(1)>", "&amp;", "\ufeff", "\t", "\n", "\n\n", "ї" * 300, "\U0001F1FA\U0001F1E6"]
texts = st.lists(st.sampled_from(WORDS + HOSTILE) | st.text(min_size=1, max_size=12), min_size=1, max_size=40).map(
    " ".join)


def check(doc) -> None:
    text = doc.item.text
    for sentence in doc.sentences:
        for token in sentence.tokens:
            assert text[token.start:token.end] == token.text
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text
    for e in doc.events:
        assert 0 <= e.start <= e.end <= len(text)
        assert text[e.trigger_start:].startswith(e.trigger)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_robustness_offsets_point_at_their_text(text):
    check(process(NewsItem(id="h", text=text)))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_robustness_graph_conforms(text):
    conforms, report = validate(to_graph([process(NewsItem(id="h", text=text))]))
    assert conforms, report
