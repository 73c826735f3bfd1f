"""Name spans and their NER types (PERS, LOC, ORG) from a CRF sequence tagger (CRFsuite, BIO tags).

Each token is described by its word (lower form, shape, prefixes and suffixes, capitals, Latin script), its
pymorphy3 readings (part of speech, case, Name/Surn/Patr/Geox/Abbr tags, lemma), where it stands (sentence start,
inside quotes) and the lexicon phrase it belongs to (``B:State``, ``I:role`` …), with the same for its neighbours.
The shipped model (``kg/models/ner-uk.crfsuite``) is trained by ``scripts/train_ner.py``; see the LICENSE-NOTE
beside it. Tagging reads the model's weights and decodes with numpy (:class:`CRFTagger`): the scores and the Viterbi
decoding of CRFsuite's own tagger, with the work shared between words and sentences.

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
_STARTERS = OPENING | {"—", "–", "-", ":", "(", '"'}  # after these a word stands as if first in the sentence
_QUOTES = OPENING | CLOSING | STRAIGHT
_STARTER, _QUOTE = 1, 2  # word flags (CRFTagger)
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


def sentence_features(tokens: Sequence[Token], lexicon: Sequence[str]) -> list[list[str]]:
    """Features of each token of a sentence (what the model is trained on); ``lexicon`` gives each token's lexicon
    label ("" when none).

    The features are assembled by columns (one tuple of features per token: the bias, the word's own, its place,
    then each neighbour's share and the next words' lexicon labels) and joined per token. :class:`CRFTagger` sums
    the weights of the same cells."""
    texts = [token.text for token in tokens]
    records = [word_record(text) for text in texts]
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
    marked = _position_cells(texts, lexicon)
    return [marked.get(i, ()) for i in range(len(texts))]


def _position_cells(texts: Sequence[str], lexicon: Sequence[str]) -> dict[int, tuple[str, ...]]:
    """The positional features of the few tokens that have any (see :func:`_position_features`), by index."""
    n = len(texts)
    starts = {0}
    if not _STARTERS.isdisjoint(texts):
        starts.update(k + 1 for k, text in enumerate(texts) if text in _STARTERS)
    quoted = {k for k, inside in enumerate(_inside_quotes(texts)) if inside} if _QUOTES.intersection(texts) else set()
    labelled = {k for k, label in enumerate(lexicon) if label} if any(lexicon) else set()
    cells = {}
    for i in sorted(starts | quoted | labelled | {n - 1}):
        if not 0 <= i < n:
            continue
        feats = []
        if i in starts:
            feats.append("first")
        if i == n - 1:
            feats.append("last")
        if i in quoted:
            feats.append("quoted")
        if i in labelled:
            feats.append(f"lex={lexicon[i]}")
            feats.append(f"lexkind={lexicon[i][2:]}")
        cells[i] = tuple(feats)
    return cells


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
def shipped_tagger() -> "CRFTagger":
    """The name finder over the shipped model, loaded once."""
    return crf_tagger()


def crf_tagger(model=None) -> "CRFTagger":
    """A name finder over an opened CRFsuite tagger (default: the shipped model, opened on first use)."""
    return CRFTagger(model)


class CRFTagger:
    """A name finder over a CRFsuite model: CRFsuite's own scores and Viterbi decoding, done here with the model's
    weights so that the work is shared between words and sentences.

    A token's score for each label is the sum of the weights of its features, and its features come in cells (its
    own word's, each neighbour's share, its place in the sentence: the columns of :func:`sentence_features`). The
    score of each distinct cell is computed once and kept in a table; a sentence's scores are a sum of table rows,
    and the sentences of one call are decoded together (:meth:`many`)."""

    _LIMIT = 300_000  # cached cells; past it the caches start afresh

    def __init__(self, model=None):
        self._model = model
        self._scores = None

    def __call__(self, tokens: Sequence[Token], lexicon: Sequence[str]) -> list[Span]:
        return self.many([(tokens, lexicon)])[0]

    def many(self, sentences: Sequence[tuple[Sequence[Token], Sequence[str]]]) -> list[list[Span]]:
        """Name spans of each (tokens, lexicon labels) sentence."""
        scores = self._loaded()
        found: list[list[Span]] = [[] for _ in sentences]
        todo = [k for k, (tokens, _) in enumerate(sentences) if tokens]
        if todo:
            emissions = scores.emissions([sentences[k] for k in todo])
            for k, labels in zip(todo, scores.decode(emissions)):
                found[k] = balance_quotes(sentences[k][0], spans(labels))
        return found

    def _loaded(self) -> "_Scores":
        if self._scores is None:
            self._model = self._model or load_tagger()
            self._scores = _Scores(self._model, self._LIMIT)
        return self._scores


class _Scores:
    """A CRFsuite model's weights as arrays, and the table of cell scores (row 0: the empty cell)."""

    def __init__(self, model, limit: int):
        import numpy

        self.np = numpy
        info = model.info()
        self.labels = list(model.labels())
        index = {label: k for k, label in enumerate(self.labels)}
        self.weights: dict[str, object] = {}
        for (attribute, label), weight in info.state_features.items():
            self.weights.setdefault(attribute, numpy.zeros(len(self.labels)))[index[label]] = weight
        self.transitions = numpy.zeros((len(self.labels), len(self.labels)))
        for (before, after), weight in info.transitions.items():
            self.transitions[index[before], index[after]] = weight
        self.incoming = numpy.ascontiguousarray(self.transitions.T)  # [label, previous label]
        self.limit = limit
        self._reset()

    def _reset(self) -> None:
        self.table = self.np.zeros((4096, len(self.labels)))
        self.size = 1
        self.cells: dict[tuple[str, ...], int] = {(): 0}
        self.words = _Words(self)
        self.places = self.np.array([self.cell(f) for f in ((), ("first",), ("last",), ("first", "last"))])

    def cell(self, features: tuple[str, ...]) -> int:
        """The table row of a cell of features (added on first sight)."""
        row = self.cells.get(features)
        if row is None:
            if self.size == len(self.table):
                self.table = self.np.concatenate([self.table, self.np.zeros_like(self.table)])
            row = self.size
            for feature in features:
                weight = self.weights.get(feature)
                if weight is not None:
                    self.table[row] += weight
            self.size += 1
            self.cells[features] = row
        return row

    def emissions(self, sentences: Sequence[tuple[Sequence[Token], Sequence[str]]]) -> list:
        """Each token's score for each label, per sentence: the rows of the cells of :func:`sentence_features`,
        summed. The sentences (none empty) are laid end to end and done together."""
        np = self.np
        if len(self.cells) > self.limit:
            self._reset()  # between calls: no row in use is forgotten
        texts = [token.text for tokens, _ in sentences for token in tokens]
        numbers = np.fromiter(map(self.words.__getitem__, texts), dtype=np.intp, count=len(texts))
        words = self.words.rows[numbers]  # (read after the numbers: new words may have grown it)
        flags = self.words.flags[numbers]
        lengths = np.array([len(tokens) for tokens, _ in sentences])
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        size, ends = np.repeat(lengths, lengths), np.repeat(starts, lengths)
        place = np.arange(len(texts)) - ends  # each token's index in its sentence
        cells = np.zeros((3 + 2 * len(NEIGHBOURS), len(texts)), dtype=np.intp)  # bias, own, place, neighbours'
        cells[0] = self.cell(("bias",))
        cells[1] = words[:, 0]
        self._place_cells(cells, sentences, flags, starts, place, size)
        for column, offset in enumerate(NEIGHBOURS, start=1):
            inside = (place + offset >= 0) & (place + offset < size)
            neighbour = words[np.clip(np.arange(len(texts)) + offset, 0, len(texts) - 1), column]
            cells[1 + 2 * column] = np.where(inside, neighbour, self.cell((f"{offset}:none",)))
        summed = self.table[cells].sum(axis=0)
        bounds = [*starts.tolist(), len(texts)]
        return [summed[a:b] for a, b in zip(bounds, bounds[1:])]  # (np.split: the same views, slower)

    def _place_cells(self, cells, sentences, flags, starts, place, size) -> None:
        """The cells that depend on the sentence, not on the words: each token's place (the features of
        :func:`_position_cells`: first, last, quoted, its lexicon label) and its neighbours' lexicon labels. First
        and last come from the arrays of places, for all tokens at once; only tokens inside quotes or in a lexicon
        phrase (found sentence by sentence, in the sentences that have any) are looked at one by one."""
        first = place == 0
        first[1:] |= (flags[:-1] & _STARTER).astype(bool) & (place[1:] > 0)
        last = place == size - 1
        cells[2] = self.places[first + 2 * last]
        quoted: set[int] = set()
        labelled: dict[int, str] = {}
        has_quotes = self.np.logical_or.reduceat(flags & _QUOTE, starts).tolist()
        for (tokens, lexicon), start, quotes in zip(sentences, starts.tolist(), has_quotes):
            if quotes:
                quoted.update(start + k for k, inside in enumerate(_inside_quotes([t.text for t in tokens])) if inside)
            if any(lexicon):
                labelled.update((start + k, label) for k, label in enumerate(lexicon) if label)
        for i in quoted | labelled.keys():
            label = labelled.get(i)
            features = ("first",) * bool(first[i]) + ("last",) * bool(last[i]) + ("quoted",) * (i in quoted)
            cells[2, i] = self.cell(features + ((f"lex={label}", f"lexkind={label[2:]}") if label else ()))
        for i, label in labelled.items():
            for column, offset in enumerate(NEIGHBOURS, start=1):
                if abs(offset) == 1 and 0 <= place[i] - offset < size[i]:
                    cells[2 + 2 * column, i - offset] = self.cell((f"{offset}:lex={label}",))

    def decode(self, emissions: list) -> list[list[str]]:
        """The best label sequence of each sentence (Viterbi, as CRFsuite decodes: no start or end weights, the
        first of equal scores wins), all sentences in step, longest first: at step ``t`` only the first ``active[t]``
        sentences still go on. A step's scores are laid out [sentence, label, previous label] in one buffer, so
        that the best previous label is an argmax over the last axis and its score is picked out of the buffer by
        it (a max over an axis costs numpy more than these two; the value is the same); the emissions are laid
        out [step, sentence, label], so that a step's rows are contiguous."""
        np = self.np
        order = sorted(range(len(emissions)), key=lambda k: -len(emissions[k]))
        lengths = np.array([len(emissions[k]) for k in order])
        count, longest, size = len(order), int(lengths[0]), len(self.labels)
        padded = np.zeros((longest, count, size))
        for row, k in enumerate(order):
            padded[:lengths[row], row] = emissions[k]
        active = (lengths[None, :] > np.arange(longest)[:, None]).sum(axis=1).tolist()
        back = np.zeros((longest, count, size), dtype=np.intp)
        cells = np.arange(count * size).reshape(count, size) * size  # where each (sentence, label)'s row starts
        buffer = np.empty(count * size * size)
        score = padded[0].copy()
        for t in range(1, longest):
            m = active[t]
            paths = buffer[:m * size * size].reshape(m, size, size)
            np.add(score[:m, None, :], self.incoming, out=paths)
            best = paths.argmax(axis=2)
            back[t, :m] = best
            score[:m] = buffer[cells[:m] + best] + padded[t, :m]
        rows = np.arange(count)
        path = np.zeros((longest, count), dtype=np.intp)
        path[lengths - 1, rows] = score.argmax(axis=1)
        for t in range(longest - 1, 0, -1):
            m = active[t]
            path[t - 1, :m] = back[t, rows[:m], path[t, :m]]
        found: list[list[str]] = [[] for _ in emissions]
        for row, (k, labels) in enumerate(zip(order, path.T.tolist())):
            found[k] = [self.labels[y] for y in labels[:lengths[row]]]
        return found


class _Words(dict):
    """Word → its number; ``rows[number]`` holds the table rows of the word's own cell and of its share as each
    neighbour (see :func:`word_record`), computed on first sight of the word."""

    def __init__(self, scores: _Scores):
        super().__init__()
        self.scores = scores
        self.rows = scores.np.zeros((1024, 1 + len(NEIGHBOURS)), dtype=scores.np.intp)
        self.flags = scores.np.zeros(1024, dtype=scores.np.int8)  # _STARTER, _QUOTE

    def __missing__(self, text: str) -> int:
        np = self.scores.np
        number = self[text] = len(self)
        if number == len(self.rows):
            self.rows = np.concatenate([self.rows, np.zeros_like(self.rows)])
            self.flags = np.concatenate([self.flags, np.zeros_like(self.flags)])
        self.rows[number] = [self.scores.cell(part) for part in word_record(text)]
        self.flags[number] = _STARTER * (text in _STARTERS) | _QUOTE * (text in _QUOTES)
        return number


def tag(tokens: Sequence[Token], lexicon: Sequence[str] | None = None) -> list[Span]:
    """Name spans of one sentence with the shipped model."""
    return shipped_tagger()(tokens, lexicon or [""] * len(tokens))
