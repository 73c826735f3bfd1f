"""Shape and morphology checks for the event trigger lexicon and the modality cues.

`kg/lexicon/data/triggers.tsv` maps Ukrainian lemmas to PLOVER types; `modality.tsv` lists the
words that make an event planned, reported, negated or conditional. Both are matched against
pymorphy3 normal forms, so every lemma must be one the analyzer actually produces.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pymorphy3
import pytest

DATA = Path(__file__).resolve().parents[1] / "kg" / "lexicon" / "data"
TRIGGERS = DATA / "triggers.tsv"
MODALITY = DATA / "modality.tsv"

PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT DEMAND DISAPPROVE REJECT THREATEN "
    "PROTEST SANCTION MOBILIZE COERCE ASSAULT FIGHT INVESTIGATE".split()
)
EVENT_MODES = frozenset({"asserted", "planned", "reported", "negated", "conditional"})
CASES = frozenset({"accs", "datv", "ablt", "gent", "loct"})  # loct: where a search is made (обшук у приміщенні)
PREPOSITIONS = frozenset(
    {"з", "із", "зі", "проти", "на користь", "на адресу", "на захист", "на підтримку", "до", "в", "у", "на", "від", "щодо",
     "для", "по", "перед", "між", "за"}
)
LEMMA_SHAPE = re.compile(r"^[а-щьюяєіїґ']+(?: [а-щьюяєіїґ']+)*$")
MIN_ROWS_PER_TYPE = 8


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="uk")


def read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


TRIGGER_HEADER, TRIGGER_ROWS = read_tsv(TRIGGERS)
MODALITY_HEADER, MODALITY_ROWS = read_tsv(MODALITY)
TRIGGER_BY_LEMMA = {(row["lemma"], row["pos"]): row for row in TRIGGER_ROWS}


def row_id(row: dict[str, str]) -> str:
    return f"{row['lemma']}/{row.get('pos', row.get('mode'))}"


def is_normal_form(word: str, pos: str | None = None) -> bool:
    """True when some reading of ``word`` has ``word`` itself as normal form (and the right POS)."""
    wanted = {"VERB": {"VERB", "INFN"}, "NOUN": {"NOUN"}}.get(pos or "")
    return any(
        parse.normal_form == word and (wanted is None or str(parse.tag.POS) in wanted)
        for parse in analyzer().parse(word)
    )


def normal_forms(word: str) -> set[str]:
    """The normal forms of every reading of ``word`` (a token keeps them all in ``readings``)."""
    return {parse.normal_form for parse in analyzer().parse(word.lower())}


def types_of(lemmas: set[str]) -> set[str]:
    return {row["plover"] for (lemma, _), row in TRIGGER_BY_LEMMA.items() if lemma in lemmas}


# --- triggers.tsv -------------------------------------------------------------------------


@pytest.mark.parametrize("path, header", [(TRIGGERS, ["lemma", "pos", "plover", "target", "mode"]),
                                          (MODALITY, ["lemma", "mode"])])
def test_triggers_data_header(path, header):
    assert path.read_text(encoding="utf-8").splitlines()[0].split("\t") == header


@pytest.mark.parametrize("path, width", [(TRIGGERS, 5), (MODALITY, 2)])
def test_triggers_data_every_line_has_the_header_width(path, width):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [n for n, line in enumerate(lines, 1) if len(line.split("\t")) != width] == []


@pytest.mark.parametrize("row", TRIGGER_ROWS, ids=row_id)
def test_triggers_data_row_shape(row):
    assert LEMMA_SHAPE.match(row["lemma"]), "lower-case Cyrillic words, ASCII apostrophe, single spaces"
    assert row["pos"] in {"VERB", "NOUN"}
    assert row["plover"] in PLOVER_TYPES
    assert row["mode"] in EVENT_MODES


@pytest.mark.parametrize("row", TRIGGER_ROWS, ids=row_id)
def test_triggers_data_target_slot_syntax(row):
    if not row["target"]:
        return
    for slot in row["target"].split(";"):
        preposition, _, case = slot.rpartition("+")
        assert case in CASES, slot
        assert preposition == "" or preposition in PREPOSITIONS, slot
        assert "+" not in preposition, slot


@pytest.mark.parametrize("plover", sorted(PLOVER_TYPES))
def test_triggers_data_every_type_is_covered(plover):
    assert sum(row["plover"] == plover for row in TRIGGER_ROWS) >= MIN_ROWS_PER_TYPE


@pytest.mark.parametrize("path", [TRIGGERS])
def test_triggers_data_enough_rows(path):
    assert len(read_tsv(path)[1]) >= 300


@pytest.mark.parametrize("rows", [TRIGGER_ROWS])
def test_triggers_data_no_duplicate_lemma_pos(rows):
    """One row per (lemma, pos), but for a verb whose sense its target slot decides ("виступити проти" DISAPPROVE,
    "виступити на захист" SUPPORT): such a lemma needs its target (cues.tsv) and its rows share no slot."""
    needs_target = {row["lemma"] for row in read_tsv(TRIGGERS.parent / "cues.tsv")[1]
                    if row["kind"] == "needs_target"}
    counts = Counter((row["lemma"], row["pos"]) for row in rows)
    for key in [key for key, n in counts.items() if n > 1]:
        slots = [row["target"].split(";") for row in rows if (row["lemma"], row["pos"]) == key]
        assert key[0] in needs_target and all(slots), key
        assert len({s for row_slots in slots for s in row_slots}) == sum(len(s) for s in slots), key


@pytest.mark.parametrize("row", [r for r in TRIGGER_ROWS if " " not in r["lemma"]], ids=row_id)
def test_triggers_data_single_word_lemma_is_its_own_normal_form(row):
    assert is_normal_form(row["lemma"], row["pos"])


@pytest.mark.parametrize("row", [r for r in TRIGGER_ROWS + MODALITY_ROWS if " " in r["lemma"]],
                         ids=row_id)
def test_triggers_data_multi_word_lemma_is_made_of_normal_forms(row):
    assert [word for word in row["lemma"].split() if not is_normal_form(word)] == []


# Inflected forms as they occur in sentences written for this test. Every reading counts, as
# the first one can be wrong ("війну" -> "війнути", "бою" -> "бой"), and together they must name
# exactly one PLOVER type.
INFLECTED = [
    ("Сторони домовилися про обмін полоненими.", "домовилися", "AGREE"),
    ("Японія погодилась співпрацювати зі США.", "погодилась", "AGREE"),
    ("Міністри підписали угоду про безпеку.", "підписали", "AGREE"),
    ("Міністри підписали угоду про безпеку.", "угоду", "AGREE"),
    ("Країни уклали договір про дружбу.", "уклали", "AGREE"),
    ("Президенти зустрілися у Вашингтоні.", "зустрілися", "CONSULT"),
    ("Делегації не дійшли згоди під час переговорів.", "переговорів", "CONSULT"),
    ("Прем'єр відвідає Київ наступного тижня.", "відвідає", "CONSULT"),
    ("Під час візиту до Токіо лідери обговорили торгівлю.", "візиту", "CONSULT"),
    ("Під час візиту до Токіо лідери обговорили торгівлю.", "обговорили", "CONSULT"),
    ("Канцлер зателефонував президенту Франції.", "зателефонував", "CONSULT"),
    ("Парламент підтримав резолюцію.", "підтримав", "SUPPORT"),
    ("Уряд привітав рішення суду.", "привітав", "SUPPORT"),
    ("Міністр подякував партнерам за допомогу.", "подякував", "SUPPORT"),
    ("Сторона поступилася вимогам опонентів.", "поступилася", "CONCEDE"),
    ("Президент помилував засудженого журналіста.", "помилував", "CONCEDE"),
    ("Країни співпрацюють у сфері оборони.", "співпрацюють", "COOPERATE"),
    ("Міністерство закуповує японське озброєння.", "закуповує", "COOPERATE"),
    ("Мова йде про закупівлю дронів.", "закупівлю", "COOPERATE"),
    ("Країна експортує зерно до Єгипту.", "експортує", "COOPERATE"),
    ("Союзники допомагають Україні озброєнням.", "допомагають", "AID"),
    ("Уряд виділив кошти на відновлення.", "виділив", "AID"),
    ("Німеччина передала Україні системи ППО.", "передала", "AID"),
    ("Новий пакет військової допомоги оголосили вчора.", "допомоги", "AID"),
    ("Війська відступили з міста.", "відступили", "RETREAT"),
    ("Почалося відведення сил від лінії фронту.", "відведення", "RETREAT"),
    ("Генсек вимагає негайного припинення вогню.", "вимагає", "DEMAND"),
    ("Лідери закликали Росію вивести війська.", "закликали", "DEMAND"),
    ("Він повторив свій заклик до переговорів.", "заклик", "DEMAND"),
    ("МЗС засудило ракетний удар.", "засудило", "DISAPPROVE"),
    ("Прем'єр розкритикував рішення сусідів.", "розкритикував", "DISAPPROVE"),
    ("Москва звинуватила Київ у провокації.", "звинуватила", "DISAPPROVE"),
    ("Угорщина заблокувала рішення ЄС.", "заблокувала", "REJECT"),
    ("Росія ветувала резолюцію Радбезу.", "ветувала", "REJECT"),
    ("Делегація відмовилася від участі.", "відмовилася", "REJECT"),
    ("Пхеньян погрожує ядерним ударом.", "погрожує", "THREATEN"),
    ("Кремль пригрозив відповіддю.", "пригрозив", "THREATEN"),
    ("Він висунув ультиматум сусідам.", "ультиматум", "THREATEN"),
    ("Тисячі людей протестували проти війни.", "протестували", "PROTEST"),
    ("У столиці пройшов мітинг проти уряду.", "мітинг", "PROTEST"),
    ("ЄС погрожує новими санкціями.", "санкціями", "SANCTION"),
    ("Країна вислала трьох дипломатів.", "вислала", "SANCTION"),
    ("Повне ембарго на нафту набуло чинності.", "ембарго", "SANCTION"),
    ("Армія мобілізувала резервістів.", "мобілізувала", "MOBILIZE"),
    ("Почалися спільні навчання флотів.", "навчання", "MOBILIZE"),
    ("Поліцейські заарештували активістів.", "заарештували", "COERCE"),
    ("Прикордонники затримали судно.", "затримали", "COERCE"),
    ("Суд виніс вирок опозиціонерові.", "вирок", "COERCE"),
    ("Окупанти депортували дітей.", "депортували", "COERCE"),
    ("Окупанти обстріляли Херсон з артилерії.", "обстріляли", "ASSAULT"),
    ("Внаслідок обстрілу загинули троє.", "обстрілу", "ASSAULT"),
    ("Дрони атакували НПЗ.", "атакували", "ASSAULT"),
    ("Удар по Києву зруйнував будинок.", "удар", "ASSAULT"),
    ("Росія веде війну проти України.", "війну", "FIGHT"),
    ("Запеклі бої тривають біля Авдіївки.", "бої", "FIGHT"),
    ("Командир загинув у бою під Бахмутом.", "бою", "FIGHT"),
    ("Армія окупувала півострів.", "окупувала", "FIGHT"),
    ("Після вторгнення в Україну.", "вторгнення", "FIGHT"),
    ("Прокуратура розслідує воєнні злочини.", "розслідує", "INVESTIGATE"),
    ("СБУ повідомила про підозру генералу.", "підозру", "INVESTIGATE"),
    ("Слідчі провели допит свідка.", "допит", "INVESTIGATE"),
]


@pytest.mark.parametrize("sentence, form, plover", INFLECTED, ids=[f for _, f, _ in INFLECTED])
def test_triggers_data_inflected_form_maps_to_type(sentence, form, plover):
    assert form in sentence.lower()
    lemmas = normal_forms(form)
    assert types_of(lemmas) == {plover}, f"{form} -> {lemmas}"


# Light-verb and multi-word triggers: the lemmas of the words, joined by spaces, name a row.
# Some combination of the words' readings must hit the lexicon, all with the same type.
PHRASES = [
    ("ЄС запровадив санкції проти Ірану.", "запровадив санкції", "SANCTION"),
    ("Росія вивела війська з Херсона.", "вивела війська", "RETREAT"),
    ("МЗС вручило ноту протесту послу.", "ноту протесту", "DISAPPROVE"),
    ("Лідери провели переговори у Римі.", "провели переговори", "CONSULT"),
    ("Ракета завдала удару по Одесі.", "завдала удару", "ASSAULT"),
    ("Країни розірвали дипломатичні відносини.", "розірвали дипломатичні відносини", "SANCTION"),
    ("Вони домовилися про спільне виробництво ракет.", "спільне виробництво", "COOPERATE"),
    ("Флот привели в бойову готовність.", "привели в бойову готовність", "MOBILIZE"),
    ("Слідчі оголосили підозру командиру.", "оголосили підозру", "INVESTIGATE"),
    ("Сторони оголосили про обмін полоненими.", "обмін полоненими", "CONCEDE"),
]


@pytest.mark.parametrize("sentence, phrase, plover", PHRASES, ids=[p for _, p, _ in PHRASES])
def test_triggers_data_phrase_maps_to_type(sentence, phrase, plover):
    assert phrase in sentence.lower()
    readings = [sorted(normal_forms(word)) for word in phrase.split()]
    lemmas = {" ".join(words) for words in itertools.product(*readings)}
    assert types_of(lemmas) == {plover}, f"{phrase} -> {readings}"


# --- modality.tsv -------------------------------------------------------------------------


@pytest.mark.parametrize("row", MODALITY_ROWS, ids=row_id)
def test_triggers_data_modality_row_shape(row):
    assert LEMMA_SHAPE.match(row["lemma"])
    assert row["mode"] in EVENT_MODES - {"asserted"}


@pytest.mark.parametrize("row", [r for r in MODALITY_ROWS if " " not in r["lemma"]], ids=row_id)
def test_triggers_data_modality_lemma_is_its_own_normal_form(row):
    assert is_normal_form(row["lemma"])


@pytest.mark.parametrize("rows", [MODALITY_ROWS])
def test_triggers_data_modality_no_duplicate_lemma(rows):
    counts = Counter(row["lemma"] for row in rows)
    assert [lemma for lemma, n in counts.items() if n > 1] == []


MODALITY_CUES = [
    ("США планують домовитись про закупівлю.", "планують", "planned"),
    ("Саміт, запланований на квітень, обговорить безпеку.", "запланований", "planned"),
    ("Зустріч очікується наступного тижня.", "очікується", "planned"),
    ("Агентство повідомляє, що війська відступили.", "повідомляє", "reported"),
    ("Кремль заперечує удар по лікарні.", "заперечує", "negated"),
    ("Жодних домовленостей не досягнуто.", "жодних", "negated"),
    ("Якщо Росія нападе, НАТО відповість.", "якщо", "conditional"),
    ("Пхеньян погрожує завдати удару.", "погрожує", "conditional"),
]


@pytest.mark.parametrize("sentence, cue, mode", MODALITY_CUES, ids=[c for _, c, _ in MODALITY_CUES])
def test_triggers_data_modality_cue_maps_to_mode(sentence, cue, mode):
    assert cue in sentence.lower()
    lemmas = normal_forms(cue)
    assert {row["mode"] for row in MODALITY_ROWS if row["lemma"] in lemmas} == {mode}
