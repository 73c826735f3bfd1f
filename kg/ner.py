"""Name spans and their NER types (PERS, LOC, ORG) from a CRF sequence tagger (CRFsuite, BIO tags).

Each token is described by its word (lower form, shape, prefixes and suffixes, capitals, Latin script), its
pymorphy3 readings (part of speech, case, Name/Surn/Patr/Geox/Abbr tags, lemma), where it stands (sentence start,
inside quotes) and the lexicon phrase it belongs to (``B:State``, ``I:role`` …), with the same for its neighbours.
The shipped model (``kg/models/ner-uk.crfsuite``) is trained by ``scripts/train_ner.py``; see the LICENSE-NOTE
beside it.

>>> from kg.text import analyze
>>> from kg.model import NewsItem
>>> tokens = analyze(NewsItem(id="x", text="Олена Петренко очолила ТОВ «Бюро Ейнштейн» у Тернополі.")).sentences[0].tokens
>>> [(tokens[i].text, tokens[j - 1].text, kind) for i, j, kind in tag(tokens)]
[('Олена', 'Петренко', 'PERS'), ('ТОВ', '»', 'ORG'), ('Тернополі', 'Тернополі', 'LOC')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain, repeat
from importlib import resources
from typing import Callable, Sequence

from kg.model import CASES, Token
from kg.text import readings

TYPES = ("PERS", "LOC", "ORG")
MODEL = "ner-uk.crfsuite"
PROPER = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr")
PROPER_SET = frozenset(PROPER)
OPENING = frozenset({"«", "“", "„"})
CLOSING = frozenset({"»", "”"})
STRAIGHT = frozenset({'"'})
NEIGHBOURS = (-2, -1, 1, 2)
_OPENS_CLAUSE = frozenset({"—", "–", "-", ":", "(", '"'})  # after these a word stands as if first
_SHAPE = (re.compile(r"[A-ZА-ЯЄІЇҐ]"), re.compile(r"[a-zа-яєіїґ']"), re.compile(r"\d"))

Span = tuple[int, int, str]  # token indices [first, last) and NER type
Tagger = Callable[[Sequence[Token], Sequence[str]], list[Span]]


def shape(word: str) -> str:
    """"Вернадський" → "Xx", "СБУ" → "X", "F-16" → "X-d": letter classes with runs collapsed."""
    out = []
    for ch in word:
        if _SHAPE[0].match(ch) or (ch.isalpha() and ch.isupper()):
            c = "X"
        elif _SHAPE[1].match(ch) or ch.isalpha():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


@lru_cache(maxsize=200_000)
def word_features(text: str) -> tuple[str, ...]:
    """What one word says by itself, from its surface and its readings (cached per word)."""
    low = text.lower()
    found = readings(text)
    feats = [f"w={low}", f"sh={shape(text)}", f"p2={low[:2]}", f"p3={low[:3]}", f"s2={low[-2:]}",
             f"s3={low[-3:]}", f"s4={low[-4:]}", f"len={min(len(text), 8)}"]
    if text[:1].isupper():
        feats.append("cap")
    if text.isupper() and len(text) > 1:
        feats.append("upper")
    if any("a" <= c.lower() <= "z" for c in text):
        feats.append("latin")
    if "-" in text:
        feats.append("hyphen")
    if found:
        best_lemma, best_pos, best_tags = found[0]
        feats.append(f"lem={best_lemma}")
        feats.append(f"pos={best_pos}")
        feats.extend(f"case={g}" for g in sorted(best_tags & CASES))
        tags = set()
        for _, pos, grammemes in found:
            tags.add(f"anypos={pos}")
            tags.update(f"tag={g}" for g in PROPER if g in grammemes)
        feats.extend(sorted(tags))
        if all(grammemes & PROPER_SET for _, _, grammemes in found):
            feats.append("onlyproper")
    else:
        feats.append("unknown")
    return tuple(feats)


@lru_cache(maxsize=200_000)
def _context_features(text: str, offset: int) -> tuple[str, ...]:
    """The neighbour's share: a few of its features, prefixed with where it stands."""
    keep = ("w=", "sh=", "pos=", "tag=", "cap", "s3=", "lem=") if abs(offset) == 1 else ("w=", "sh=", "tag=", "cap")
    return tuple(f"{offset}:{f}" for f in word_features(text) if f.startswith(keep))


@lru_cache(maxsize=200_000)
def word_record(text: str) -> tuple[tuple[str, ...], ...]:
    """Everything the features of a sentence take from one word: its own features, then its share as each
    neighbour in ``NEIGHBOURS`` order (cached per word)."""
    return (word_features(text), *(_context_features(text, offset) for offset in NEIGHBOURS))


def sentence_features(tokens: Sequence[Token], lexicon: Sequence[str], describe=word_record) -> list[list[str]]:
    """Features of each token of a sentence; ``lexicon`` gives each token's lexicon label ("" when none).
    ``describe`` gives a word's record (see :func:`word_record`); a tagger passes one with only the features its
    model knows, as bytes: the same attributes, less work.

    The features are assembled by columns (one tuple of features per token) and joined per token: the per-word
    parts come from the record cache, only the few positional ones are made here."""
    texts = [token.text for token in tokens]
    records = [describe(text) for text in texts]
    columns = [repeat(("bias",)), [record[0] for record in records], _position_features(texts, lexicon)]
    for column, offset in enumerate(NEIGHBOURS, start=1):
        columns.append(_shift([record[column] for record in records], offset, (f"{offset}:none",)))
        if abs(offset) == 1:
            columns.append(_shift([(f"{offset}:lex={label}",) if label else () for label in lexicon], offset, ()))
    return [list(chain.from_iterable(parts)) for parts in zip(*columns)]


def _shift(values: list, offset: int, missing) -> list:
    """What each position's neighbour at ``offset`` holds: ``values[i + offset]``, or ``missing`` outside."""
    n = len(values)
    if offset < 0:
        return ([missing] * -offset + values)[:n]
    return (values[offset:] + [missing] * offset)[:n]


def _position_features(texts: Sequence[str], lexicon: Sequence[str]) -> list[tuple[str, ...]]:
    """Where each token stands: sentence start ("first", also after an opening quote, dash, colon or bracket),
    sentence end, inside quotes, and its own lexicon label."""
    n = len(texts)
    quoted = _inside_quotes(texts)
    out = []
    for i, label in enumerate(lexicon):
        feats = []
        if i == 0 or texts[i - 1] in OPENING or texts[i - 1] in _OPENS_CLAUSE:
            feats.append("first")
        if i == n - 1:
            feats.append("last")
        if quoted[i]:
            feats.append("quoted")
        if label:
            feats.append(f"lex={label}")
            feats.append(f"lexkind={label[2:]}")
        out.append(tuple(feats))
    return out


def _inside_quotes(texts: Sequence[str]) -> list[bool]:
    """Whether each word stands inside quotes (the quotes themselves do not)."""
    inside, depth, straight = [], 0, False
    for text in texts:
        if text in CLOSING:
            depth = max(0, depth - 1)
            inside.append(False)
        elif text in OPENING:
            inside.append(False)
            depth += 1
        elif text in STRAIGHT:
            straight = not straight
            inside.append(False)
        else:
            inside.append(depth > 0 or straight)
    return inside


def spans(labels: Sequence[str]) -> list[Span]:
    """BIO labels → spans; an I- without its B- starts a span (CRFsuite rarely emits one)."""
    found: list[Span] = []
    start, kind = None, None
    for i, label in enumerate([*labels, "O"]):
        if label == "O" or label.startswith("B-") or (label.startswith("I-") and label[2:] != kind):
            if start is not None:
                found.append((start, i, kind))
            start, kind = (i, label[2:]) if label != "O" else (None, None)
    return found


def balance_quotes(tokens: Sequence[Token], found: Sequence[Span]) -> list[Span]:
    """A name holds both quotes or neither: ТОВ «Бюро Ейнштейн» takes its closing quote (a first-order CRF
    cannot remember whether the opening one was in the span), and «Легіон Експерт» loses a stray one."""
    out = []
    for i, j, kind in found:
        texts = [t.text for t in tokens[i:j]]
        opened = sum(t in OPENING for t in texts) - sum(t in CLOSING for t in texts)
        if opened > 0 and j < len(tokens) and tokens[j].text in CLOSING:
            j += 1
        elif opened < 0 and texts[-1] in CLOSING:
            j -= 1
        elif opened > 0 and texts[0] in OPENING:
            i += 1
        if i < j:
            out.append((i, j, kind))
    return out


def bio(n: int, found: Sequence[Span]) -> list[str]:
    labels = ["O"] * n
    for i, j, kind in found:
        labels[i] = f"B-{kind}"
        for k in range(i + 1, j):
            labels[k] = f"I-{kind}"
    return labels


def load_tagger(path: str | None = None):
    """A CRFsuite tagger over the shipped model (or the model file at ``path``)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    if path is None:
        with resources.as_file(resources.files("kg") / "models" / MODEL) as shipped:
            tagger.open(str(shipped))
    else:
        tagger.open(str(path))
    return tagger


@lru_cache(maxsize=1)
def shipped_tagger() -> Tagger:
    """The name finder over the shipped model, loaded once."""
    return crf_tagger()


def crf_tagger(model=None) -> Tagger:
    """A name finder over an opened CRFsuite tagger (default: the shipped model, opened on first use).

    A word's features are kept (cached per word) only if the model knows them, and as UTF-8 bytes, which CRFsuite
    takes as they are: the same attributes as the training strings, without encoding each one at every use."""

    known: set[str] = set()

    @lru_cache(maxsize=200_000)
    def describe(text: str) -> tuple[tuple[bytes, ...], ...]:
        return tuple(_known_bytes(part, known) for part in word_record(text))

    def find(tokens: Sequence[Token], lexicon: Sequence[str]) -> list[Span]:
        nonlocal model
        if not tokens:
            return []
        if not known:
            model = model or load_tagger()
            known.update(attribute for attribute, _ in model.info().state_features)
        labels = model.tag(sentence_features(tokens, lexicon, describe))
        return balance_quotes(tokens, spans(labels))

    return find


def _known_bytes(features: Sequence[str], known: set[str]) -> tuple[bytes, ...]:
    return tuple(f.encode("utf-8") for f in features if f in known)


def tag(tokens: Sequence[Token], lexicon: Sequence[str] | None = None) -> list[Span]:
    """Name spans of one sentence with the shipped model."""
    return shipped_tagger()(tokens, lexicon or [""] * len(tokens))
