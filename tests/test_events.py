"""Event and relation coding on sentences written for these tests (not from the seed): other actors,
other inflections, other word orders — the seed facts must come from general rules."""

from __future__ import annotations

import pytest

from tests.conftest import code_text, relations_of, triples_of


@pytest.mark.parametrize("text, expected", [
    # the seed's constructions with other actors and inflections
    ("Сполучені Штати погодилися співпрацювати з Японією в оборонній галузі.",
     {("AGREE", "usa", "jpn"), ("COOPERATE", "usa", "jpn")}),
    ("Уряд Німеччини передав Україні танки Leopard.", {("AID", "deu", "ukr")}),
    ("Литва та Латвія засудили Білорусь.", {("DISAPPROVE", "ltu", "blr"), ("DISAPPROVE", "lva", "blr")}),
    ("Японія та Австралія підписали угоду.", {("AGREE", "jpn", "aus"), ("AGREE", "aus", "jpn")}),
    ("Китай і Росія провели переговори в Пекіні.", {("CONSULT", "chn", "rus"), ("CONSULT", "rus", "chn")}),
    ("Іран передав Росії дрони Shahed, повідомляє Reuters.", {("AID", "irn", "rus")}),
    ("Канцлер Німеччини Олаф Шольц заявив, що Берлін підтримує Україну.", {("SUPPORT", "deu", "ukr")}),
    ("Туск закликав ЄС посилити санкції проти Москви.", {("DEMAND", "donald-tusk", "eu")}),
    # word order: object first, subject after the verb
    ("Україну підтримала Японія.", {("SUPPORT", "jpn", "ukr")}),
])
def test_events_coded(text, expected):
    assert expected <= triples_of(code_text(text))


@pytest.mark.parametrize("text, plover, source, target, place", [
    ("Росіяни обстріляли Харків.", "ASSAULT", "rus", "ukr", "kharkiv"),
    ("Прем'єр-міністр Японії Фуміо Кісіда зустрівся з президентом США Джо Байденом у Вашингтоні.",
     "CONSULT", "fumio-kishida", "joe-biden", "washington"),
])
def test_events_place_of_city_target(text, plover, source, target, place):
    events = [e for e in code_text(text).events if (e.plover, e.source, e.target) == (plover, source, target)]
    assert events and events[0].place == place


def test_events_capital_as_target_stands_for_its_state():
    events = code_text("Туск закликав ЄС посилити санкції проти Москви.").events
    assert ("SANCTION", "rus") in {(e.plover, e.target) for e in events}


@pytest.mark.parametrize("text, source, target", [
    # impersonal verb: the agent comes from the attribution
    ("Російського журналіста затримали за підозрою в шпигунстві, повідомляє влада Фінляндії.", "fin", None),
    ("Поліція Фінляндії затримала російського журналіста.", None, None),
])
def test_events_arrest_agent(text, source, target):
    events = [e for e in code_text(text).events if e.plover == "COERCE"]
    assert events
    if source:
        assert events[0].source == source
    assert events[0].target.startswith("m-")  # a person the text does not name, minted


def test_events_relative_clause_instrument_and_production():
    doc = code_text("Ракетою «Кинджал», яку виробляє Росія, окупанти атакували Київ.")
    attacks = [e for e in doc.events if e.plover == "ASSAULT"]
    assert attacks and (attacks[0].source, attacks[0].target, attacks[0].instrument) == ("rus", "ukr", "kinzhal")
    assert {("produces", "rus", "kinzhal"), ("uses", "rus", "kinzhal")} <= relations_of(doc)


@pytest.mark.parametrize("text, plover", [
    ("Угорщина не підтримала санкції проти Росії.", "SANCTION"),
    ("Угорщина не підтримала Україну.", "SUPPORT"),
])
def test_events_negated_not_happening(text, plover):
    events = [e for e in code_text(text).events if e.plover == plover]
    assert events and all(e.mode == "negated" for e in events)


@pytest.mark.parametrize("text, mode", [
    ("США планують домовитися з Японією.", "planned"),
    ("Японія закуповуватиме зброю у США.", "planned"),
    ("Президент Франції Еммануель Макрон погрожує запровадити санкції проти Росії.", "conditional"),
])
def test_events_modality(text, mode):
    modes = {e.mode for e in code_text(text).events if e.plover != "THREATEN"}
    assert mode in modes


@pytest.mark.parametrize("text, expected", [
    ("Лідер КНДР погрожує Південній Кореї ядерною війною.", ("holds_office", "kim-jong-un", "prk")),
    ("Канцлер Німеччини Олаф Шольц прибув до Києва.", ("holds_office", "olaf-scholz", "deu")),
    ("Французький президент Еммануель Макрон виступив у Брюсселі.", ("holds_office", "emmanuel-macron", "fra")),
    ("Ізраїльсько-палестинська війна триває.", ("at_war_with", "isr", "pse")),
    ("Німеччина передала Україні танки Leopard.", ("supplies", "deu", "leopard-2")),
    ("Китай виробляє дрони Shahed.", ("produces", "chn", "shahed")),
    ("Польського студента, який працював у посольстві Росії у Варшаві, затримали за шпигунство на користь Білорусі.",
     ("spies_for", "m-polskyi-student", "blr")),
])
def test_events_relations(text, expected):
    assert expected in relations_of(code_text(text))


def test_events_date_resolved_against_item_date():
    events = code_text("Японія та США домовилися 10 квітня.", date="2024-03-01").events
    assert events and events[0].date == "2024-04-10"


def test_events_date_without_year_keeps_month_and_day():
    events = code_text("Японія та США домовилися 10 квітня.").events
    assert events and events[0].date == "--04-10"


def test_events_attribution_kept_apart_from_agency():
    events = code_text("Росія відправляє в Білорусь боєголовки, — повідомила Reuters.").events
    assert all(e.source != "reuters" for e in events)
