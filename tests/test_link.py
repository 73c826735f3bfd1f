"""Recognition and linking: inflected forms, abbreviations, demonyms, metonyms and role phrases land on one id."""

from __future__ import annotations

import pytest

from kg.link import mint_id
from tests.conftest import code_text


def mention_of(text: str, surface: str):
    """The coded doc, its mention with this surface and the entity it resolved to."""
    doc = code_text(text)
    mention = next(m for m in doc.mentions if m.text == surface)
    return doc, mention, doc.entities[mention.actor]


def linked(text: str) -> dict[str, str]:
    return {m.text: m.actor for m in code_text(text).mentions if m.actor}


@pytest.mark.parametrize("text, surface, actor", [
    ("Україна домовилася з Японією.", "Японією", "jpn"),
    ("Україна домовилася зі Сполученими Штатами.", "Сполученими Штатами", "usa"),
    ("Санкції проти РФ посилили.", "РФ", "rus"),
    ("Уряд Кісіди впав.", "Кісіди", "fumio-kishida"),
    ("Зустріч Байдена відбулася.", "Байдена", "joe-biden"),
    ("Ракети з Північної Кореї.", "Північної Кореї", "prk"),
    ("Росіяни відступили.", "Росіяни", "rus"),
    ("Позиції, які росіяни залишили.", "росіяни", "rus"),
    ("Кремль заявив про навчання.", "Кремль", "rus"),
    ("Білий дім відповів.", "Білий дім", "usa"),
    ("Делегація поїхала до Пхеньяна.", "Пхеньяна", "pyongyang"),
    # a quoted name the lexicon knows is that actor, whatever its legal form
    ("Суд арештував майно ПАТ «Укрзалізниця».", "ПАТ «Укрзалізниця»", "ukrzaliznytsia"),
    ("Прокуратура перевіряє ПАТ «Українська залізниця».", "ПАТ «Українська залізниця»", "ukrzaliznytsia"),
])
def test_link_inflected_forms(text, surface, actor):
    assert linked(text).get(surface) == actor


@pytest.mark.parametrize("text, surface, actor", [
    ("Лідер Північної Кореї виступив.", "Лідер Північної Кореї", "kim-jong-un"),
    ("Польський прем'єр-міністр Дональд Туск виступив.", "Польський прем'єр-міністр Дональд Туск", "donald-tusk"),
    ("Президент Білорусі Олександр Лукашенко виступив.", "Президент Білорусі Олександр Лукашенко",
     "alexander-lukashenko"),
])
def test_link_role_phrases(text, surface, actor):
    assert linked(text).get(surface) == actor


def test_link_unknown_person_minted_and_surname_resolved():
    doc = code_text("Посол Іван Петренко прибув до Варшави. Петренко зустрівся з Туском.")
    persons = [m.actor for m in doc.mentions if m.kind == "Person" and "Петренк" in m.text]
    assert len(persons) == 2 and persons[0] == persons[1] == mint_id("Іван Петренко")


def test_link_adjective_and_animate_noun_make_a_person_of_that_state():
    doc = code_text("Затримали литовського дипломата.")
    person = next(m for m in doc.mentions if m.kind == "Person")
    assert doc.entities[person.actor].country == "ltu"
    assert doc.entities[person.actor].label_uk == "литовський дипломат"


@pytest.mark.parametrize("text", ["Японія домовилася з Японією", "Японією", "Японії та США"])
def test_link_offsets_point_at_their_text(text):
    doc = code_text(text)
    assert all(doc.item.text[m.start:m.end] == m.text for m in doc.mentions)


@pytest.mark.parametrize("label, expected", [("Орєшнік", "m-orieshnik"), ("посольство США", "m-posolstvo-ssha"),
                                             ("Іван Петренко", "m-ivan-petrenko")])
def test_link_mint_id_stable_ascii(label, expected):
    assert mint_id(label) == expected


@pytest.mark.parametrize("text, surface, country", [
    ("Суд відмовив прокуратурі.", "Суд", "ukr"),  # unqualified state bodies of Ukrainian news: Ukraine's
    ("Уряд Японії підтримав Україну. Уряд також засудив Росію.", "Уряд", "jpn"),  # the state named earlier
    ("Поліція Фінляндії затримала журналіста. Поліція відпустила його.", "Поліція", "fin"),
])
def test_link_institution_without_state(text, surface, country):
    doc = code_text(text)
    mention = [m for m in doc.mentions if m.text == surface][-1]
    entity = doc.entities[mention.actor]
    assert (entity.id if entity.kind == "State" else entity.country) == country


def test_link_adjective_is_not_an_institution():
    doc = code_text("Японія переглянула правила передачі військового обладнання.")
    assert all("військов" not in m.text for m in doc.mentions)


def test_link_official_of_a_state_body_takes_its_country():
    doc = code_text("Міністр фінансів Естонії Тину Тамм заявив про підтримку.")
    person = next(m.actor for m in doc.mentions if m.kind == "Person")
    assert doc.entities[person].country == "est"


@pytest.mark.parametrize("text, country", [
    ("Поліція затримала громадянина Канади.", "can"),
    ("Суд заарештував уродженця Росії.", "rus"),
])
def test_link_person_noun_of_a_state(text, country):
    doc = code_text(text)
    persons = [doc.entities[m.actor] for m in doc.mentions if m.kind == "Person"]
    assert [p.country for p in persons] == [country]
    assert doc.events and doc.events[0].target == persons[0].id


def test_link_institutions_keep_their_portfolio():
    doc = code_text("Міністерство оборони Німеччини заявило протест. Міністерство фінансів Німеччини промовчало. "
                    "Міністерства оборони Німеччини.")
    ids = [m.actor for m in doc.mentions if m.kind == "GovernmentBody"]
    assert len(ids) == 3 and ids[0] == ids[2] != ids[1]
    assert doc.entities[ids[0]].label_uk == "міністерство оборони Німеччини"


def organization(text: str, surface: str):
    doc = code_text(text)
    mention = next(m for m in doc.mentions if m.text == surface)
    return mention, doc.entities[mention.actor]


@pytest.mark.parametrize("text, surface, kind, label, country", [
    ("Суд арештував майно ДП «Укрспирт».", "ДП «Укрспирт»", "Organization", "ДП «Укрспирт»", "ukr"),
    ("Прокуратура перевіряє ТОВ «Альфа».", "ТОВ «Альфа»", "Organization", "ТОВ «Альфа»", None),
    ("Депутати звернулися до Миколаївської облради.", "Миколаївської облради", "GovernmentBody",
     "Миколаївська облрада", "ukr"),
    ("Перевірку провела Державна екологічна інспекція.", "Державна екологічна інспекція", "GovernmentBody",
     "Державна екологічна інспекція", "ukr"),
])
def test_link_unknown_organization_minted_with_kind_and_owner(text, surface, kind, label, country):
    mention, entity = organization(text, surface)
    assert (entity.kind, entity.label_uk, entity.country) == (kind, label, country)


def test_link_organization_forms_and_quotes_give_one_id():
    doc = code_text("Прокуратура підозрює ТОВ «Бета-Сервіс». Суд арештував рахунки «Бета-Сервіс» та ТОВ «Гамма».")
    ids = {m.actor for m in doc.mentions if "Бета" in m.text}
    assert ids == {mint_id("Бета-Сервіс")}


def test_link_adjective_name_before_an_institution_names_that_institution():
    doc = code_text("Прокурор звернувся до Печерського районного суду.")
    court = next(m for m in doc.mentions if "суду" in m.text)
    assert court.text == "Печерського районного суду"
    entity = doc.entities[court.actor]
    assert (entity.kind, entity.label_uk, entity.country) == ("GovernmentBody", "Печерський районний суд", "ukr")
    assert not any(m.text == "Печерського" for m in doc.mentions)


@pytest.mark.parametrize("text, surface, label", [
    ("Поліція затримала посадових осіб ДП «Лісгосп».", "посадових осіб ДП «Лісгосп»", "посадова особа ДП «Лісгосп»"),
    ("Слідчі підозрюють директора КП «Водоканал».", "директора КП «Водоканал»", "директор КП «Водоканал»"),
    ("Поліція підозрює заступника головного лікаря КП «Лікарня № 5».",  # a chain of official nouns: one person
     "заступника головного лікаря КП «Лікарня № 5»", "заступник головного лікаря КП «Лікарня № 5»"),
])
def test_link_official_of_an_organization_is_a_person_of_its_state(text, surface, label):
    doc, mention, person = mention_of(text, surface)
    assert (person.kind, person.label_uk, person.country) == ("Person", label, "ukr")
    assert any(r.subject == mention.actor and r.predicate in ("employed_by", "holds_office") for r in doc.relations)


def test_link_generic_role_word_is_not_the_last_holder_of_another_role():
    doc = code_text("Депутати попросили голову ОДА Івана Сидоренка звільнити директора.")
    assert not any(m.text == "директора" and m.actor == mint_id("Іван Сидоренко") for m in doc.mentions)


@pytest.mark.parametrize("text, surface, country", [
    ("Державне підприємство «Лісгосп» уклало договір.", "Державне підприємство «Лісгосп»", "ukr"),
    ("Договір уклало комунальне підприємство «Водоканал».", "комунальне підприємство «Водоканал»", "ukr"),
])
def test_link_form_words_before_a_quoted_name_join_it(text, surface, country):
    mention, entity = organization(text, surface)
    assert entity.country == country


@pytest.mark.parametrize("text, surface", [("Прокурор звернувся до суду.", "Прокурор"),
                                           ("Слідчі провели обшук.", "Слідчі")])
def test_link_official_named_by_office_alone_is_a_person_of_the_home_state(text, surface):
    doc = code_text(text)
    mention = next(m for m in doc.mentions if m.text == surface)
    assert (doc.entities[mention.actor].kind, doc.entities[mention.actor].country) == ("Person", "ukr")


@pytest.mark.parametrize("text, surface, kind", [
    ("Мінюст просить КМДА надати позицію.", "Мінюст", "GovernmentBody"),
    ("Мінюст просить КМДА надати позицію.", "КМДА", "GovernmentBody"),
])
def test_link_compound_abbreviations_of_state_bodies(text, surface, kind):
    mention, entity = organization(text, surface)
    assert (entity.kind, entity.country) == (kind, "ukr")


def test_link_state_body_prefix_does_not_take_adjectives_or_known_places():
    doc = code_text("Делегація Міністерства поїхала до Мінська.")
    assert {m.text: m.actor for m in doc.mentions}.get("Мінська") == "minsk"


@pytest.mark.parametrize("text, surface, actor", [
    ("Тендерна колегія Антимонопольного комітету зобов'язала замовника скасувати рішення.",
     "Тендерна колегія Антимонопольного комітету", "amcu"),
    ("Львівська філія «Укрзалізниці» замовила обладнання.", "Львівська філія «Укрзалізниці»", "ukrzaliznytsia"),
])
def test_link_unit_of_an_organization_acts_for_it(text, surface, actor):
    doc = code_text(text)
    mention = next(m for m in doc.mentions if m.text == surface)
    assert mention.actor == actor and "nomn" in mention.case


def test_link_generic_organization_word_is_named_by_its_complement():
    mention, entity = organization("Антимонопольний комітет зобов'язав Службу автомобільних доріг скасувати рішення.",
                                   "Службу автомобільних доріг")
    assert entity.label_uk == "Служба автомобільних доріг"


@pytest.mark.parametrize("text, surface, label", [
    ("Гетьман Б. Хмельницький уклав угоду з Польщею.", "Б. Хмельницький", "Б. Хмельницький"),
    ("Війська Б. Хмельницького йшли на Львів.", "Б. Хмельницького", "Б. Хмельницький"),
])
def test_link_initials_make_a_surname_of_a_place_name(text, surface, label):
    doc, mention, person = mention_of(text, surface)
    assert mention.kind == "Person" and person.label_uk == label
    assert not any(m.via == "organization" for m in doc.mentions)


@pytest.mark.parametrize("text, label", [("Збройні Сили перебувають у готовності.", "збройні сили України"),
                                         ("Чисельність Збройних Сил зросла.", "збройні сили України")])
def test_link_plural_institution_keeps_its_number(text, label):
    doc = code_text(text)
    mention = next(m for m in doc.mentions if "Сил" in m.text)
    assert doc.entities[mention.actor].label_uk == label


def test_link_long_department_title_before_a_name():
    doc = code_text("Заступник начальника відділу досліджень і розслідувань обласного відділення Антимонопольного "
                    "комітету України Андрій Павленко уклав угоду з прокурором.")
    person = next(m for m in doc.mentions if m.kind == "Person" and "Павленко" in m.text)
    assert person.text.startswith("Заступник начальника відділу") and "nomn" in person.case
    assert doc.entities[person.actor].country == "ukr"


def test_link_official_phrase_before_a_name_is_that_person_of_the_organization_state():
    doc = code_text("Колишній заступник начальника відділу Антимонопольного комітету України Андрій Павленко уклав угоду.")
    person = next(m for m in doc.mentions if m.kind == "Person")
    assert person.text.startswith("Колишній заступник") and "nomn" in person.case
    assert doc.entities[person.actor].country == "ukr"


def test_link_official_of_a_quoted_organization():
    doc = code_text("Генпрокуратура відкрила провадження стосовно службових осіб «Укрзалізниці».")
    person = next(m for m in doc.mentions if m.kind == "Person")
    assert person.text == "службових осіб «Укрзалізниці»" and doc.entities[person.actor].country == "ukr"


@pytest.mark.parametrize("text, surface, label, country", [
    ("Японська компанія Toyota відкрила завод.", "Японська компанія Toyota", "Toyota", "jpn"),
    ("Компанія «Альфа» уклала договір.", "Компанія «Альфа»", "Альфа", None),
])
def test_link_name_after_a_classifier(text, surface, label, country):
    doc, mention, entity = mention_of(text, surface)
    assert (entity.kind, entity.label_uk, entity.country) == ("Organization", label, country)


@pytest.mark.parametrize("text, actor, expected", [
    # an adjective in a name matches its own gender's forms only
    ("Громадська організація «Центр протидії корупції» звернулася до НАЗК.", "hromadske", False),
    ("Про це повідомило Громадське.", "hromadske", True),
    ("Санкції проти Північної Кореї посилили.", "prk", True),
])
def test_link_adjective_name_in_its_own_gender(text, actor, expected):
    assert (actor in {m.actor for m in code_text(text).mentions}) is expected
