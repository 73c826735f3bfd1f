"""kg.annotate reports names (not state adjectives or role phrases), with offsets, NER type and actor."""

from __future__ import annotations

import pytest

from kg.annotate import entities
from kg.model import NewsItem


@pytest.mark.parametrize("text", ["Японія і Сполучені Штати підписали угоду у Вашингтоні."])
def test_annotate_known_names_keep_their_actor(text):
    found = {e["text"]: e for e in entities(NewsItem(id="t", text=text))}
    assert found["Японія"]["type"] == "LOC" and found["Японія"]["wikidata"] == "Q17"
    assert found["Сполучені Штати"]["actor"].endswith("/usa")


@pytest.mark.parametrize("text", ["Українська делегація та польський уряд зустрілися з Оксаною Мельник."])
def test_annotate_state_adjectives_are_no_names(text):
    found = entities(NewsItem(id="t", text=text))
    assert [(e["text"], e["type"]) for e in found] == [("Оксаною Мельник", "PERS")]
    assert found[0]["lemma"] == "Оксана Мельник"


@pytest.mark.parametrize("text", ["Прем'єр-міністр Японії Фуміо Кісіда зустрівся з Джо Байденом.\n\nСБУ затримала агента."])
def test_annotate_offsets_point_into_the_text(text):
    found = entities(NewsItem(id="t", text=text))
    assert {"Фуміо Кісіда", "Джо Байденом", "СБУ"} <= {e["text"] for e in found}
    for e in found:
        assert text[e["start"]:e["end"]] == e["text"]


def test_annotate_name_taken_into_an_official_keeps_its_organization():
    from kg.annotate import entities
    from kg.model import NewsItem
    found = entities(NewsItem(id="x", text="Прокуратура підозрює посадових осіб ДП «Лісгосп» у розтраті."))
    organization = next(e for e in found if e["text"] == "ДП «Лісгосп»")
    assert organization["actor"].endswith("/m-lishosp") and organization["class"] == "Organization"
