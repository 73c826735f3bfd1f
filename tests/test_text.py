"""Sentences and tokens (kg.text): tokenize-uk's splitter, mended where it breaks a name apart."""

from __future__ import annotations

import pytest

from kg.model import NewsItem
from kg.text import analyze


def sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in analyze(NewsItem(id="t", text=text)).sentences]


@pytest.mark.parametrize("text, expected", [
    # text tokenized with spaces, as corpora are: an initial does not end a sentence
    ("Навесні 1655 р . Б . Хмельницький вирушив на Поділля .",
     ["Навесні 1655 р .", "Б . Хмельницький вирушив на Поділля ."]),
    ("Завідувач кафедри В . І . Іваненко виступив .", ["Завідувач кафедри В . І . Іваненко виступив ."]),
    ("Лист підписав О. М. Тітов. Потім його надіслали.", ["Лист підписав О. М. Тітов.", "Потім його надіслали."]),
])
def test_sentences_not_broken_after_an_initial(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Зупинка на терміналі D. Далі пішки.", ["Зупинка на терміналі D.", "Далі пішки."]),  # Latin: a sentence ends
    ("Автор: В.\n\nНовий абзац тут.", ["Автор: В.", "Новий абзац тут."]),  # a blank line ends it
])
def test_sentences_still_end_where_no_name_goes_on(text, expected):
    assert sentences(text) == expected
