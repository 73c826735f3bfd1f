"""Names found by recognize (CRF tagger + lexicon) on sentences written by us, not taken from any corpus."""

from __future__ import annotations

from importlib import resources

import pytest

from kg.model import NewsItem
from kg.ner import balance_quotes
from kg.recognize import recognize, rule_names
from kg.text import analyze


def names_of(text: str, **options) -> set[tuple[str, str]]:
    doc = recognize(analyze(NewsItem(id="t", text=text)), **options)
    return {(ner, m.text) for ner, m in doc.names}


@pytest.mark.parametrize("text,name", [
    ("Академік В. І. Вернадський заснував Українську академію наук.", ("PERS", "В. І. Вернадський")),
])
def test_recognize_initials_with_surname(text, name):
    assert name in names_of(text)


@pytest.mark.parametrize("text,name", [
    ("Партія «Грузинська мрія» знову виграла вибори в Тбілісі.", ("ORG", "Грузинська мрія")),
])
def test_recognize_quoted_name(text, name):
    assert name in names_of(text)


@pytest.mark.parametrize("text,names", [
    ("Представники СБУ зустрілися з місією ОБСЄ у Харкові.", {("ORG", "СБУ"), ("ORG", "ОБСЄ")}),
    ("СБУ затримала агента ФСБ.", {("ORG", "СБУ"), ("ORG", "ФСБ")}),
])
def test_recognize_abbreviations(text, names):
    assert names <= names_of(text)


@pytest.mark.parametrize("text,name", [
    ("Про це написала газета The New York Times, пославшись на джерела в Пентагоні.", ("ORG", "The New York Times")),
])
def test_recognize_latin_name(text, name):
    assert name in names_of(text)


@pytest.mark.parametrize("text", ["Україна отримала нові системи HIMARS від Сполучених Штатів."])
def test_recognize_latin_weapon_is_a_mention_not_a_name(text):
    doc = recognize(analyze(NewsItem(id="t", text=text)))
    assert any(m.text == "HIMARS" for m in doc.mentions)
    assert "HIMARS" not in {m.text for _, m in doc.names}


@pytest.mark.parametrize("text,names", [
    ("Делегація прибула до Ріо-де-Жанейро, а згодом до Нью-Йорка.", {("LOC", "Ріо-де-Жанейро"), ("LOC", "Нью-Йорка")}),
    ("Організація Північноатлантичного договору провела навчання в Естонії.",
     {("ORG", "Організація Північноатлантичного договору"), ("LOC", "Естонії")}),
    ("Міністерство закордонних справ України висловило протест.",
     {("ORG", "Міністерство закордонних справ України")}),
])
def test_recognize_multiword_and_hyphenated_names(text, names):
    assert names <= names_of(text)


@pytest.mark.parametrize("text,word", [
    ("Польський уряд схвалив закон. Зокрема, Варшава підтримала Київ.", "Польський"),
    ("Польський уряд схвалив закон. Зокрема, Варшава підтримала Київ.", "Зокрема"),
    ("До кінця року Олена Петренко очолить фонд.", "До"),
])
def test_recognize_sentence_initial_word_is_no_name(text, word):
    assert all(word not in name.split() for _, name in names_of(text))


@pytest.mark.parametrize("text", ["Польський уряд і українська делегація обговорили угоду."])
def test_recognize_state_adjective_is_a_mention_not_a_name(text):
    doc = recognize(analyze(NewsItem(id="t", text=text)))
    assert {m.actor for m in doc.mentions} >= {"pol", "ukr"}
    assert not doc.names


@pytest.mark.parametrize("text", [
    "  Академік В. І. Вернадський заснував академію.\n\nСБУ затримала агента ФСБ у «Харкові» — повідомила ОБСЄ.",
])
def test_recognize_offsets_point_at_their_text(text):
    doc = recognize(analyze(NewsItem(id="t", text=text)))
    assert doc.names and doc.mentions
    for m in [*doc.mentions, *(m for _, m in doc.names)]:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text,name", [("Іван Петренко прибув до Львова.", ("PERS", "Іван Петренко"))])
def test_recognize_rules_only_finder(text, name):
    assert name in names_of(text, names=rule_names)


@pytest.mark.parametrize("words,found,balanced", [
    (["ТОВ", "«", "Альфа", "Груп", "»", "уклало"], [(0, 4, "ORG")], [(0, 5, "ORG")]),
    (["«", "Альфа", "Груп", "»"], [(1, 4, "ORG")], [(1, 3, "ORG")]),
])
def test_recognize_names_hold_both_quotes_or_neither(words, found, balanced):
    tokens = analyze(NewsItem(id="t", text=" ".join(words))).sentences[0].tokens
    assert balance_quotes(tokens, found) == balanced


@pytest.mark.parametrize("name", ["ner-uk.crfsuite", "LICENSE-NOTE"])
def test_recognize_model_ships_in_the_package(name):
    assert (resources.files("kg") / "models" / name).is_file()
