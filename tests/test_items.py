"""Reading news input: splitting, decoding, JSONL, ids, paths and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kg.errors import InputError
from kg.items import item_id, read
from kg.stories import coheres, parse_date, words

REPO = Path(__file__).resolve().parent.parent
SEED = "000_b1bfc201f43079bd.txt"

TITLED_THEN_UNRELATED = """\
Зеленський зустрівся з канцлером Німеччини у Берліні

Президент України Володимир Зеленський провів переговори з канцлером Німеччини Олафом Шольцом у Берліні.

Сторони обговорили постачання систем протиповітряної оборони для України та нові пакети допомоги від Німеччини.

Землетрус магнітудою 6,1 стався біля узбережжя Чилі, повідомила геологічна служба.
"""

TWO_TITLED = """\
Туреччина закрила протоки для військових кораблів

Анкара заборонила прохід військових кораблів через Босфор і Дарданелли на час війни.

Туреччина посилається на конвенцію Монтре, яка дозволяє закривати протоки для кораблів.

Індія провела випробування нової балістичної ракети

Міністерство оборони Індії повідомило про успішний пуск ракети Agni з острова в Бенгальській затоці.
"""

ONE_PARAGRAPH_ITEMS = """\
Президент Франції Емманюель Макрон прибув із візитом до Бразилії.

Парламент Грузії ухвалив закон про іноземних агентів у третьому читанні.

Армія Ізраїлю завдала ударів по південному Лівану, повідомили в Бейруті.
"""

NO_BLANK_LINES = """\
Україна отримала нову партію гаубиць
Міністерство оборони повідомило про отримання гаубиць від союзників.
Гаубиці вже передано бригадам на сході країни.
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def read_text(folder: Path, content: str | bytes, name: str = "news.txt", notices: list[str] | None = None):
    return list(read([write(folder, name, content)], notices))


def paragraphs(text: str) -> int:
    return len([block for block in text.split("\n\n") if block.strip()])


# --- the seed file ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("argument", ["seeds/", "seeds", f"seeds/{SEED}"])
def test_items_seed_yields_six_items(argument, monkeypatch):
    monkeypatch.chdir(REPO)
    items = list(read([argument]))
    assert [item.path for item in items] == [f"seeds/{SEED}"] * 6
    story, *others = items
    assert story.title == "Японія згодилася на співпрацю зі США для підтримки України озброєнням"
    assert story.source == "Yomiuri"
    assert paragraphs(story.text) == 1 + 1 + 7  # title, metadata line, seven paragraphs
    assert story.text.endswith("пояснили у повідомленні.")
    assert [item.title for item in others] == [None] * 5
    assert [paragraphs(item.text) for item in others] == [1] * 5
    assert [item.text.split()[0] for item in others] == ["Лідер", "Польський", "20-річного", "Невизнаний", "Володимир"]


@pytest.mark.parametrize("argument", [f"seeds/{SEED}"])
def test_items_texts_are_slices_of_the_file(argument, monkeypatch):
    monkeypatch.chdir(REPO)
    text = Path(argument).read_text(encoding="utf-8")
    for item in read([argument]):
        assert text.find(item.text) >= 0
        assert item.text == item.text.strip()


# --- splitting plain text -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content, expected", [
    (TITLED_THEN_UNRELATED, [("Зеленський зустрівся з канцлером Німеччини у Берліні", 3), (None, 1)]),
    (TWO_TITLED, [
        ("Туреччина закрила протоки для військових кораблів", 3),
        ("Індія провела випробування нової балістичної ракети", 2),
    ]),
    (ONE_PARAGRAPH_ITEMS, [(None, 1), (None, 1), (None, 1)]),
    (TWO_TITLED.replace("\n", "\r\n"), [
        ("Туреччина закрила протоки для військових кораблів", 3),
        ("Індія провела випробування нової балістичної ракети", 2),
    ]),
    (NO_BLANK_LINES, [(None, 1)]),
    ("Перший абзац про вибори у Франції.\n\n***\n\nДругий абзац про вибори у Франції.\n", [(None, 1), (None, 1)]),
])
def test_items_split_text_into_items(content, expected, tmp_path):
    items = read_text(tmp_path, content)
    assert [(item.title, paragraphs(item.text)) for item in items] == expected
    assert all("\r" not in item.text for item in items)


@pytest.mark.parametrize("content", [TWO_TITLED.replace("\n", "\r\n"), TWO_TITLED.replace("\n", "\r")])
def test_items_newlines_normalized(content, tmp_path):
    crlf = read_text(tmp_path, content)
    lf = read_text(tmp_path, TWO_TITLED, name="lf.txt")
    assert [(item.id, item.text) for item in crlf] == [(item.id, item.text) for item in lf]


@pytest.mark.parametrize("paragraph, story, expected", [
    # two shared stems (ракета, оборона) continue the story
    ("Ракети передали силам оборони.", "Ракетні системи для оборони прибули.", True),
    # one shared name, capitalized mid-sentence, is enough
    ("Уряд Японії це підтвердив.", "Японія купує зброю.", True),
    # one shared common word is not
    ("Вибори відбудуться у Франції навесні.", "Парламент обговорив вибори.", False),
    # nothing shared and a name of its own: a new story
    ("Землетрус стався біля узбережжя Перу.", "Японія купує зброю.", False),
    # nothing capitalized at all: nothing signals a new story
    ("мета полягає в тому, щоб зберегти стримування.", "Японія купує зброю.", True),
    # stopwords do not count as shared stems
    ("Також повідомили, що після цього заявили у Франції.", "Також повідомили, що після цього Китай.", False),
])
def test_items_paragraph_coherence(paragraph, story, expected):
    assert coheres(words(paragraph), words(story)) is expected


@pytest.mark.parametrize("content, title", [
    ("Заголовок без крапки\n\nАбзац новини.\n", "Заголовок без крапки"),
    ("Речення з крапкою в кінці.\n\nАбзац новини.\n", None),
    ("Питання в заголовку?\n\nАбзац новини.\n", None),
    ("Цитата в лапках: «так»\n\nАбзац новини.\n", "Цитата в лапках: «так»"),
    ("Речення в лапках закінчується «так.»\n\nАбзац новини.\n", None),
    (" ".join(["слово"] * 26) + "\n\nАбзац новини.\n", None),
])
def test_items_title_detection(content, title, tmp_path):
    assert read_text(tmp_path, content)[0].title == title


@pytest.mark.parametrize("metadata, field, value", [
    ("Джерело: Укрінформ", "source", "Укрінформ"),
    ("SOURCE: Reuters", "source", "Reuters"),
    ("Источник: ТАСС", "source", "ТАСС"),
    ("Посилання: https://example.org/a?b=c", "url", "https://example.org/a?b=c"),
    ("URL: https://example.org/x", "url", "https://example.org/x"),
    ("Дата: 10.04.2024", "date", "2024-04-10"),
    ("Date: 2024-04-10", "date", "2024-04-10"),
    ("Дата: 10 квітня 2024 року", "date", "2024-04-10"),
    ("Дата: 31.02.2024", "date", None),
])
def test_items_metadata_lines_set_fields(metadata, field, value, tmp_path):
    content = f"Заголовок новини про Кенію\n\n{metadata}\nАвтор: Іван Петренко\n\nУ Кенії відбулися протести.\n"
    (item,) = read_text(tmp_path, content)
    assert getattr(item, field) == value
    assert item.title == "Заголовок новини про Кенію"
    assert item.text.endswith("протести.")


@pytest.mark.parametrize("content", ["Заголовок\n\nДата: вчора ввечері\n\nАбзац.\n"])
def test_items_unparseable_date_is_a_notice(content, tmp_path):
    notices: list[str] = []
    (item,) = read_text(tmp_path, content, notices=notices)
    assert item.date is None
    assert any("вчора ввечері" in notice for notice in notices)


@pytest.mark.parametrize("value, expected", [
    ("10.04.2024", "2024-04-10"), ("1/4/2024", "2024-04-01"), ("2024-4-1", "2024-04-01"),
    ("10 квітня 2024", "2024-04-10"), ("3 грудня 2023 р.", "2023-12-03"), ("April 10, 2024", "2024-04-10"),
    ("10 квітня", None), ("32.01.2024", None), ("сьогодні", None),
])
def test_items_parse_date(value, expected):
    assert parse_date(value) == expected


# --- decoding -----------------------------------------------------------------------------------------------

UKRAINIAN = "Міністр закордонних справ України Дмитро Кулеба зустрівся з їхнім послом у Києві.\n"


@pytest.mark.parametrize("encoding", ["cp1251"])
def test_items_windows_1251_decoded_with_notice(encoding, tmp_path):
    notices: list[str] = []
    (item,) = read_text(tmp_path, UKRAINIAN.encode(encoding), name="old.txt", notices=notices)
    assert item.text == UKRAINIAN.strip()
    assert notices == [f"{tmp_path / 'old.txt'}: decoded as windows-1251"]


@pytest.mark.parametrize("raw", [
    UKRAINIAN.encode("utf-16"),  # with BOM, native order
    b"\xff\xfe" + UKRAINIAN.encode("utf-16-le"),
    b"\xfe\xff" + UKRAINIAN.encode("utf-16-be"),
    UKRAINIAN.encode("utf-8-sig"),
    UKRAINIAN.encode("utf-32"),
])
def test_items_unicode_with_bom(raw, tmp_path):
    notices: list[str] = []
    (item,) = read_text(tmp_path, raw, notices=notices)
    assert item.text == UKRAINIAN.strip()
    assert notices == []


@pytest.mark.parametrize("name, raw, message", [
    ("empty.txt", b"", "file is empty"),
    ("blank.txt", b" \n\t\r\n  \n", "file is empty"),
    ("bom-only.txt", b"\xef\xbb\xbf\n", "file is empty"),
    ("picture.txt", bytes(range(256)) * 4, "binary file"),
    ("controls.txt", b"abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0fdef", "binary file"),
    ("latin1.txt", "café naïve résumé à la française".encode("latin-1"), "not UTF-8, UTF-16 or windows-1251"),
    ("undefined.txt", b"\x98\x98 abc", "not UTF-8, UTF-16 or windows-1251"),
    ("utf16-no-bom.txt", UKRAINIAN.encode("utf-16-le"), "binary file"),
])
def test_items_bad_file_raises(name, raw, message, tmp_path):
    path = write(tmp_path, name, raw)
    with pytest.raises(InputError) as raised:
        list(read([path]))
    assert str(raised.value) == f"{path}: {message}" or str(raised.value).startswith(f"{path}: {message}")
    assert "\n" not in str(raised.value)
    assert raised.value.exit_code == 2


@pytest.mark.parametrize("setup, message", [
    (lambda root: root / "missing.txt", "no such file or folder"),
    (lambda root: root / "missing-folder", "no such file or folder"),
    (lambda root: (root / "empty").mkdir() or root / "empty", "folder holds no .txt or .jsonl files"),
    (lambda root: write(root, "other/notes.md", "# нотатки").parent, "folder holds no .txt or .jsonl files"),
    (lambda root: write(root, "hidden/.secret.txt", "Текст.").parent, "folder holds no .txt or .jsonl files"),
])
def test_items_bad_path_raises_at_once(setup, message, tmp_path):
    path = setup(tmp_path)
    with pytest.raises(InputError, match=message) as raised:
        read([path])  # no iteration needed: paths are checked when read is called
    assert str(raised.value).startswith(str(path))


@pytest.mark.parametrize("inputs", [[]])
def test_items_no_inputs_raises(inputs):
    with pytest.raises(InputError):
        read(inputs)


# --- JSONL --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lines", [[
    {"id": "a1", "text": "Канада запровадила санкції.", "title": "Санкції", "date": "2024-04-10T08:00:00Z",
     "source": "CBC", "url": "https://cbc.ca/x"},
    {"id": 7, "text": "Мексика відкликала посла."},
    {"text": "Перу оголосило надзвичайний стан."},
]])
def test_items_jsonl_records(lines, tmp_path):
    content = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines[:2]) + "\n\n  \n"
    content += json.dumps(lines[2], ensure_ascii=False) + "\n"
    first, second, third = read_text(tmp_path, content, name="feed.jsonl")
    assert (first.id, first.title, first.date, first.source, first.url) == (
        "a1", "Санкції", "2024-04-10", "CBC", "https://cbc.ca/x")
    assert (second.id, second.text, second.title) == ("7", "Мексика відкликала посла.", None)
    assert third.id == item_id("Перу оголосило надзвичайний стан.")
    assert {first.path, second.path, third.path} == {str(tmp_path / "feed.jsonl")}


@pytest.mark.parametrize("bad_line, message", [
    ('{"id": "x", "text": ', "not valid JSON"),
    ("просто текст", "not valid JSON"),
    ('["a", "b"]', "not a JSON object"),
    ('"рядок"', "not a JSON object"),
    ('{"id": "x"}', "'text' is missing"),
    ('{"id": "x", "text": null}', "'text' is missing"),
    ('{"id": "x", "text": ""}', "'text' is empty"),
    ('{"id": "x", "text": "  \\n "}', "'text' is empty"),
    ('{"id": "x", "text": 42}', "'text' is not a string"),
    ('{"id": "x", "text": ["a"]}', "'text' is not a string"),
    ('{"id": ["x"], "text": "Текст."}', "'id' is not a string or number"),
    ('{"id": true, "text": "Текст."}', "'id' is not a string or number"),
    ('{"id": "x", "text": "Текст.", "title": 5}', "'title' is not a string"),
])
def test_items_jsonl_malformed_line_names_path_and_line(bad_line, message, tmp_path):
    good = json.dumps({"id": "ok", "text": "Гарний рядок."}, ensure_ascii=False)
    path = write(tmp_path, "seeds/x.jsonl", f"{good}\n\n{bad_line}\n{good}\n")
    with pytest.raises(InputError) as raised:
        list(read([path]))
    assert str(raised.value).startswith(f"{path}:3: {message}")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("records", [[("a", "Перший текст."), ("b", "Другий текст."), ("a", "Третій текст.")]])
def test_items_duplicate_ids_keep_first_with_notice(records, tmp_path):
    content = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in records)
    notices: list[str] = []
    items = read_text(tmp_path, content, name="dup.jsonl", notices=notices)
    assert [(item.id, item.text) for item in items] == [("a", "Перший текст."), ("b", "Другий текст.")]
    assert len(notices) == 1 and "duplicate item id a" in notices[0]


@pytest.mark.parametrize("content", [ONE_PARAGRAPH_ITEMS])
def test_items_duplicate_files_yield_items_once(content, tmp_path):
    write(tmp_path, "a.txt", content)
    write(tmp_path, "b.txt", content)
    notices: list[str] = []
    items = list(read([tmp_path], notices))
    assert len(items) == 3 and {item.path for item in items} == {str(tmp_path / "a.txt")}
    assert len(notices) == 3


# --- ids and paths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [TWO_TITLED])
def test_items_ids_are_content_based(content, tmp_path):
    first = read_text(tmp_path, content, name="one.txt")
    again = read_text(tmp_path, content, name="other-name.txt")
    relaid = read_text(tmp_path, content.replace("\n\n", "\n  \n\n").replace(" ", "  "), name="spaces.txt")
    assert [item.id for item in first] == [item.id for item in again] == [item.id for item in relaid]
    assert len({item.id for item in first}) == 2
    assert all(item.id == item_id(item.text) and len(item.id) == 16 for item in first)


@given(st.text(min_size=1), st.sampled_from([" ", "  ", "\n", "\t", " \n "]))
def test_items_id_ignores_whitespace_layout(text, gap):
    assert item_id(text) == item_id(gap + gap.join(text.split()) + gap)


@pytest.mark.parametrize("text, other", [("Японія купує зброю.", "Японія продає зброю.")])
def test_items_id_changes_with_content(text, other):
    assert item_id(text) != item_id(other)


@pytest.mark.parametrize("argument_suffix", ["news/", "news"])
def test_items_folder_paths_sorted_recursive_and_as_given(argument_suffix, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "news/b.txt", "Новина Б про Молдову.")
    write(tmp_path, "news/a/z.jsonl", json.dumps({"text": "Новина З про Литву."}, ensure_ascii=False))
    write(tmp_path, "news/a.txt", "Новина А про Естонію.")
    write(tmp_path, "news/.hidden.txt", "Прихована новина про Латвію.")
    write(tmp_path, "news/.git/c.txt", "Прихована тека про Польщу.")
    write(tmp_path, "news/notes.md", "Нотатки про Чехію.")
    items = list(read([argument_suffix]))
    # sorted by path components: a folder's files come where the folder's name sorts
    assert [item.path for item in items] == ["news/a/z.jsonl", "news/a.txt", "news/b.txt"]


@pytest.mark.parametrize("name", ["story.news", "README"])
def test_items_unknown_extension_read_as_text(name, tmp_path):
    (item,) = read_text(tmp_path, "Заголовок\n\nАбзац про Кенію.\n", name=name)
    assert item.title == "Заголовок" and item.path == str(tmp_path / name)


def _feed(records, newline="\n") -> str:
    return "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + newline for i, t in records)


FEED = [(f"n{k}", f"Новина номер {k}: Литва засудила Росію, «лапки» і апостроф м'яч.") for k in range(40)]


@pytest.mark.parametrize("encoding, newline", [("utf-8", "\n"), ("utf-8", "\r\n"), ("utf-8-sig", "\n"),
                                               ("utf-16", "\n"), ("cp1251", "\r\n")])
def test_items_jsonl_streamed_in_any_encoding_across_the_probe(encoding, newline, tmp_path, monkeypatch):
    """A JSONL feed is read line by line after its encoding is told from a probe of its first bytes: here a
    probe of 101 bytes, which ends inside a two-byte Cyrillic letter in UTF-8."""
    import kg.items

    monkeypatch.setattr(kg.items, "PROBE_BYTES", 101)
    path = tmp_path / "feed.jsonl"
    path.write_bytes(_feed(FEED, newline).encode(encoding))
    notices: list[str] = []
    items = list(read([path], notices))
    assert [(item.id, item.text) for item in items] == FEED
    assert notices == ([f"{path}: decoded as windows-1251"] if encoding == "cp1251" else [])


def test_items_jsonl_streamed_lazily_a_bad_line_late_names_its_line(tmp_path, monkeypatch):
    import kg.items

    monkeypatch.setattr(kg.items, "PROBE_BYTES", 64)
    path = tmp_path / "feed.jsonl"
    path.write_bytes(_feed(FEED[:3]).encode("utf-8") + b'{"id": "x", "text": "\xff\xfe"}\n' + _feed(FEED[3:5]).encode())
    items = read([path])
    assert [next(items).id for _ in range(3)] == ["n0", "n1", "n2"]  # read before the bad line is reached
    with pytest.raises(InputError, match=rf"^{path}:4: not valid utf-8 text"):
        next(items)


@pytest.mark.parametrize("content", [b"", b"\n  \n\n"])
def test_items_jsonl_empty_feed_is_an_error(content, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"^{path}: file is empty$"):
        list(read([path]))
