"""Sentences, word tokens with offsets, and morphology (tokenize-uk + pymorphy3, Ukrainian).

>>> doc = analyze(NewsItem(id="x", text="Японія підтримала Україну."))
>>> [(t.text, t.lemma) for t in doc.sentences[0].tokens][:3]
[('Японія', 'японія'), ('підтримала', 'підтримати'), ('Україну', 'україна')]
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import tokenize_uk

from kg.model import CASES, Doc, NewsItem, Sentence, Token

# Apostrophe variants normalized to U+0027 before morphology (the dictionary spells прем'єр with ').
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
INVISIBLE = str.maketrans({"\u00ad": None, "\u0301": None, "\u200b": None, "\u200c": None, "\u200d": None,
                           "\u2060": None, "\ufeff": None})  # soft hyphen, stress mark, zero-width characters
SCRIPT_TAGS = frozenset({"LATN", "NUMB", "ROMN", "PNCT", "UNKN"})  # pymorphy3's tags for tokens without a POS
_MAX_WORD = 64  # longer "words" are not analyzed (hostile input); they stay tokens with no reading


def normalize(word: str) -> str:
    """The form given to morphology: NFC, one apostrophe, no soft hyphens or stress marks ("Росі́я" → "Росія").
    Offsets never depend on it: they point into the text as read."""
    if not word.isascii():
        word = unicodedata.normalize("NFC", word).translate(INVISIBLE)
    return word.translate(APOSTROPHES)


@lru_cache(maxsize=1)
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=200_000)
def readings(word: str) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """All (lemma, part of speech, grammemes) readings of a word, best first; cached."""
    if not word or len(word) > _MAX_WORD or not any(c.isalpha() for c in word):
        return ()
    found = []
    try:
        parses = morph().parse(normalize(word))
    except ValueError:  # pymorphy3 fails on characters Unicode gives no name (e.g. unassigned code points)
        return ()
    for parse in parses:
        tag = parse.tag
        grammemes = frozenset(str(g) for g in tag.grammemes)
        if tag.POS == "NOUN" and not grammemes & CASES and parse.word == parse.normal_form:
            grammemes |= {"nomn"}  # some dictionary lemmas ("глава") carry no case: the lemma is the nominative
        pos = str(tag.POS) if tag.POS else next(iter(sorted(grammemes & SCRIPT_TAGS)), "")
        found.append((parse.normal_form, pos, grammemes))
    return tuple(dict.fromkeys(found))


def lemma(word: str) -> str:
    """The best normal form of one word, lower case."""
    found = readings(word)
    return found[0][0] if found else normalize(word).lower()


@lru_cache(maxsize=200_000)
def _analysis(text: str) -> tuple[str, str, frozenset[str], tuple]:
    """(best lemma, part of speech, grammemes, all readings) of one word, cached."""
    found = readings(text)
    if found:
        return found[0][0], found[0][1], found[0][2], found
    return normalize(text).lower(), "", frozenset(), found


@lru_cache(maxsize=200_000)
def _word(surface: str) -> tuple | None:
    """A token's fields after its offsets: (surface, *analysis), or None for a blank "word" (cached per surface)."""
    return (surface, *_analysis(surface)) if surface.strip() else None


def make_token(text: str, start: int, end: int) -> Token:
    return Token(start, end, text, *_analysis(text))


def analyze(item: NewsItem) -> Doc:
    """Split an item into sentences and tokens; every offset points into ``item.text``."""
    text = item.text
    sentences = []
    for _, s_start, s_end in _sentence_spans(text):
        tokens = _sentence_tokens(text, s_start, s_end)
        if tokens:
            sentences.append(Sentence(tokens[0].start, tokens[-1].end, tokens))
    return Doc(item=item, sentences=tuple(sentences))


def _sentence_tokens(text: str, s_start: int, s_end: int) -> tuple[Token, ...]:
    """The word tokens of ``text[s_start:s_end]`` (tokenize-uk's words), built from the per-word cache as plain
    tuples of Token's fields (the named tuple's own constructor is a Python function: slower, same value)."""
    sentence = text[s_start:s_end]
    return tuple(_new_token(Token, (s_start + w_start, s_start + w_end, *fields))
                 for _, w_start, w_end in tokenize_uk.tokenize_words_with_spans(sentence)
                 if (fields := _word(sentence[w_start:w_end])))


_new_token = tuple.__new__


# A sentence may not end in a Cyrillic initial: "Б . Хмельницький вийшов" (text tokenized with spaces, as corpora
# are) and "проф. В. Іваненко" are one sentence each, though tokenize-uk breaks after the initial.
_ENDS_IN_INITIAL = re.compile(r"(?:^|[\s(«\"'])[А-ЯІЇЄҐ] ?\.$")


def _joined_at_initials(text: str, spans):
    """tokenize-uk's sentence spans, each that ends in an initial joined to the next when that one goes on in the
    same line with a capital letter (the surname, or the next initial)."""
    held = None
    for sentence, start, end in spans:
        if held is not None:
            if "\n" not in text[held[2]:start] and sentence[:1].isupper():
                held = (text[held[1]:end], held[1], end)
            else:
                yield held
                held = (sentence, start, end)
        else:
            held = (sentence, start, end)
        if not _ENDS_IN_INITIAL.search(held[0]):
            yield held
            held = None
    if held is not None:
        yield held


def _sentence_spans(text: str):
    """tokenize-uk's sentences over the whole text (one call: its splitter is costly to start), not broken after an
    initial; tokenize-uk breaks at blank lines itself, and a sentence is still cut at one should it ever cross it."""
    for sentence, start, end in _joined_at_initials(text, tokenize_uk.tokenize_sents_with_spans(text)):
        if "\n\n" not in sentence:
            yield sentence, start, end
            continue
        offset = start
        for block in sentence.split("\n\n"):
            if block.strip():
                yield block, offset, offset + len(block)
            offset += len(block) + 2
