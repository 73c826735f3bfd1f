"""Find mentions: lexicon phrases (on lemma sequences), state adjectives in compounds, and names.

Lexicon phrases link words to actors, roles and institutions; a name finder (the CRF tagger of :mod:`kg.ner`, or
the capitalization rules below) decides which spans are names and of which NER type. A name that is also a lexicon
phrase keeps the phrase's actor; a name over words the lexicon does not know becomes a mention of its own. The names
are kept apart in ``Doc.names``: state adjectives, demonyms and role phrases are mentions for event coding, not names.

>>> from kg.text import analyze
>>> from kg.model import NewsItem
>>> doc = recognize(analyze(NewsItem(id="x", text="Японія домовилася зі Сполученими Штатами.")))
>>> [(m.text, m.actor) for m in doc.mentions]
[('Японія', 'jpn'), ('Сполученими Штатами', 'usa')]
>>> [(kind, m.text) for kind, m in doc.names]
[('LOC', 'Японія'), ('LOC', 'Сполученими Штатами')]
"""

from __future__ import annotations

from operator import attrgetter
from typing import Sequence

from kg.lexicon import Lexicon, Phrase, load, word_lemmas
from kg.model import ACTOR_KINDS, CASES, Doc, Mention, Sentence, Token
from kg.ner import Span, Tagger, shipped_tagger
from kg.text import lemma, normalize, readings

# Which reading of a phrase wins when two phrases of the same length match the same tokens.
PRIORITY = {"name": 0, "alias": 1, "metonym": 2, "demonym": 3, "adjective": 4, "role": 5, "institution": 6,
            "classifier": 7}
NAME_VIAS = frozenset({"name", "alias", "metonym"})  # lexicon phrases that are names; the others describe
NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
PROPER_TAGS = NAME_TAGS | {"Geox", "Orgn", "Abbr"}
OPEN_QUOTES = {"«": "»", "“": "”", "„": "“", '"': '"', "'": "'"}
MAX_QUOTED = 6  # tokens in a quoted name
MAX_ABBREVIATION = 5  # letters; a longer word in capitals is a name written in capitals (ПЕТРЕНКО)
NER_KIND = {"PERS": "Person", "LOC": "Location", "ORG": "Organization"}  # a name's class when no phrase says
MENTION_KIND = {"PERS": "Person", "LOC": "Location", "ORG": "Name"}  # an unknown organization is no actor yet
KIND_NER = {"Person": "PERS", "State": "LOC", "Location": "LOC", **{k: "ORG" for k in ACTOR_KINDS - {"Person", "State"}}}


def recognize(doc: Doc, lexicon: Lexicon | None = None, names: Tagger | None = None) -> Doc:
    """Mentions and names of every sentence; ``names`` finds name spans (default: the shipped CRF model)."""
    return recognize_many([doc], lexicon, names)[0]


def recognize_many(docs: Sequence[Doc], lexicon: Lexicon | None = None, names: Tagger | None = None) -> list[Doc]:
    """:func:`recognize` for several docs, the name finder asked once for all their sentences (what a call of the
    CRF tagger costs besides its sentences is then paid once: :func:`kg.pipeline.process_all` gives it batches)."""
    lex = lexicon or load()
    sentences = [sentence for doc in docs for sentence in doc.sentences]
    phrases = [lexicon_mentions(index, sentence, lex) for doc in docs for index, sentence in enumerate(doc.sentences)]
    spans = find_names(names or shipped_tagger(), sentences, phrases)
    titles = lex.cue_words("title")
    out, start = [], 0
    for doc in docs:
        end = start + len(doc.sentences)
        out.append(_with_mentions(doc, phrases[start:end], [
            [_without_opening_title(sentence.tokens, span, titles) for span in found]
            for sentence, found in zip(doc.sentences, spans[start:end])]))
        start = end
    return out


def _with_mentions(doc: Doc, phrases: list[list[Mention]], spans: list[list[Span]]) -> Doc:
    mentions: list[Mention] = []
    found_names: list[tuple[str, Mention]] = []
    for index, sentence in enumerate(doc.sentences):
        extra, named = name_mentions(index, sentence.tokens, spans[index], phrases[index])
        mentions.extend(sorted(phrases[index] + extra, key=lambda m: (m.start, -m.end, m.actor or "")))
        found_names.extend(named)
    return doc.evolve(mentions=tuple(mentions), names=tuple(found_names))


def find_names(find: Tagger, sentences: Sequence[Sentence], phrases: Sequence[list[Mention]]) -> list[list[Span]]:
    """The name spans of each sentence, from the sentences that may hold names; a finder that can take many
    sentences at once (``find.many``, as the CRF tagger does) gets them in one call."""
    asked = [k for k, sentence in enumerate(sentences) if may_hold_names(sentence.tokens, phrases[k])]
    pairs = [(sentences[k].tokens, lexicon_labels(len(sentences[k].tokens), phrases[k])) for k in asked]
    many = getattr(find, "many", None)
    answers = many(pairs) if many else [find(tokens, labels) for tokens, labels in pairs]
    spans: list[list[Span]] = [[] for _ in sentences]
    for k, found in zip(asked, answers):
        spans[k] = found
    return spans


def _without_opening_title(tokens: Sequence[Token], span: Span, titles: frozenset[str]) -> Span:
    """A person's name without the title that opens the sentence before it, capitalized only for standing first
    ("Академік В. І. Вернадський" → "В. І. Вернадський"; cues.tsv ``title``)."""
    i, j, ner = span
    if ner == "PERS" and j - i > 1 and _sentence_initial(tokens, i) and tokens[i].lemma in titles:
        return i + 1, j, ner
    return span


def may_hold_names(tokens: Sequence[Token], phrases: Sequence[Mention]) -> bool:
    """Whether the name finder need look at a sentence at all: a lexicon name, a capital after the first word, a
    Latin word or a quote, or a first word that is not simply a common word. A third of the NER-UK sentences have
    none of these; skipping them saves about a tenth of the pipeline's time."""
    if not tokens:
        return False
    if any(m.via in NAME_VIAS for m in phrases):
        return True
    first = tokens[0]
    if _quote_or_latin(first.text) or first.text[:1].isupper() and (
            not first.readings or not first.pos or any(tags & PROPER_TAGS for _, _, tags in first.readings)):
        return True
    return any(map(_NAME_HINTS.__getitem__, map(_TEXT, tokens[1:])))


def _quote_or_latin(text: str) -> bool:
    return text in OPEN_QUOTES or any("a" <= c <= "z" for c in text.lower())


def _hints_name(text: str) -> bool:
    """A quote, a Latin letter or a capital: past the first word, the word may be or open a name."""
    return text[:1].isupper() or _quote_or_latin(text)


class _PerWord(dict):
    """Word → a function's value for it, computed on first sight (cleared past ``limit`` words): in a loop over
    tokens a dict's own lookup costs less than a cached function's call."""

    def __init__(self, function, limit: int = 200_000):
        super().__init__()
        self.function, self.limit = function, limit

    def __missing__(self, word: str):
        if len(self) >= self.limit:
            self.clear()
        found = self[word] = self.function(word)
        return found


_NAME_HINTS = _PerWord(_hints_name)
_TEXT = attrgetter("text")


def lexicon_mentions(index: int, sentence: Sentence, lex: Lexicon) -> list[Mention]:
    """The lexicon's phrases in a sentence, longest first, and the states in compound adjectives."""
    tokens = sentence.tokens
    found: list[Mention] = []
    i = 0  # the next token not yet inside a phrase
    for k in _phrase_candidates(tokens, lex):
        if k < i:
            continue
        i = k
        match = longest_phrase(tokens, i, lex)
        if match and match[0].via in ("adjective", "demonym") and _opens_longer_quote(tokens, i, i + match[1]):
            match = None  # «Грузинська мрія» is a party's name, not Georgia
        if match:
            phrase, length = match
            found.append(phrase_mention(index, tokens, i, i + length, phrase, lex))
            i += length
            continue
        found.extend(compound_adjective(index, tokens, i, lex))
        i += 1
    return found


def _phrase_candidates(tokens: Sequence[Token], lex: Lexicon) -> list[int]:
    """Where a phrase may start (a lemma some phrase starts with) or a compound adjective may be (a hyphen): most
    words are neither, and one pass over them spares the phrase search."""
    candidate = _PhraseStarts.of(lex).candidate
    return [k for k, flag in enumerate(map(candidate.__getitem__, map(_TEXT, tokens))) if flag]


class _PhraseStarts(dict):
    """Word → the phrases of one lexicon that may start at it, with their lengths: the phrases one of its lemmas
    starts, but a phrase the data spells capitalized only at a capitalized word (filled on first sight of each
    word). One is kept, for the lexicon last used; it starts afresh for another lexicon, when the lexicon's set of
    first lemmas has grown (phrases added) or past ``LIMIT`` words."""

    LIMIT = 200_000
    _last: "_PhraseStarts | None" = None

    def __init__(self, lex: Lexicon):
        super().__init__()
        self.lex, self.firsts = lex, len(lex.phrases)
        self.candidate = _PerWord(lambda word: bool(self[word]) or "-" in word, self.LIMIT)  # a phrase or a hyphen

    @classmethod
    def of(cls, lex: Lexicon) -> "_PhraseStarts":
        found = cls._last
        if found is None or found.lex is not lex or found.firsts != len(lex.phrases) or len(found) > cls.LIMIT:
            found = cls._last = cls(lex)
        return found

    def __missing__(self, word: str) -> tuple[tuple[Phrase, int], ...]:
        capitalized = word[:1].isupper()
        found = self[word] = tuple((phrase, len(phrase.words)) for first in word_lemmas(word)
                                   for phrase in self.lex.phrases.get(first, ()) if capitalized or not phrase.cased)
        return found


def _opens_longer_quote(tokens, i: int, j: int) -> bool:
    """Whether tokens[i:j] open a quoted name that goes on after them."""
    close = OPEN_QUOTES.get(tokens[i - 1].text) if i > 0 else None
    return bool(close) and j < len(tokens) and tokens[j].text != close and \
        any(t.text == close for t in tokens[j + 1:j + 1 + MAX_QUOTED])


def lexicon_labels(n: int, phrases: Sequence[Mention]) -> list[str]:
    """Each token's place in a lexicon phrase, as the tagger sees it: "B:State", "I:GovernmentBody", "B:role"."""
    labels = [""] * n
    for m in phrases:
        what = m.kind if m.via in NAME_VIAS else m.via
        for k in range(m.first, m.last):
            labels[k] = f"{'B' if k == m.first else 'I'}:{what}"
    return labels


def name_mentions(index: int, tokens, spans: Sequence[Span], phrases: Sequence[Mention]):
    """Mentions for names over words no phrase covers, and every name with its NER type.

    A name over exactly a phrase's words is that phrase (and keeps its actor); a name that overlaps phrases only
    in part is a name, but the phrases stay the mentions (event coding keeps their actors)."""
    if not spans and not phrases:
        return [], []
    taken = [False] * len(tokens)
    exact = {}
    for m in phrases:
        exact.setdefault((m.first, m.last), m)
        for k in range(m.first, m.last):
            taken[k] = True
    extra, named = [], []
    claimed = [False] * len(tokens)
    for i, j, _ in spans:
        for k in range(i, j):
            claimed[k] = True
    # Names the tagger passed over: a known organization, or a known person opening a sentence (where capitals
    # mislead it: "СБУ затримала …", "Кісіда прибув …"); a quoted name after a classifier (партія «Грузинська мрія»).
    for m in phrases:
        ner = KIND_NER.get(m.kind)
        if m.via in ("name", "alias") and m.text[:1].isupper() and not any(claimed[m.first:m.last]) \
                and (ner == "ORG" or (ner == "PERS" and _sentence_initial(tokens, m.first))):
            named.append((ner, m))
            claimed[m.first:m.last] = [True] * (m.last - m.first)
    after_classifier = {m.last + 1 for m in phrases if m.via == "classifier"}  # партія «…», компанія «…»
    if after_classifier:
        spans = [*spans, *((m.first, m.last, "ORG") for m in quoted_names(index, tokens, claimed)
                           if m.first in after_classifier)]
        spans = [*spans, *_latin_after_classifier(tokens, {m.last for m in phrases if m.via == "classifier"},
                                                  claimed)]
    for i, j, ner in spans:
        if (i, j) in exact:
            named.append((ner, exact[i, j]))
            continue
        kind = NER_KIND[ner]
        text = "".join(_surface(tokens, i, j))
        mention = Mention(index, i, j, tokens[i].start, tokens[j - 1].end, text, kind=kind,
                          lemma=name_lemma(tokens[i:j], kind), case=head_cases(tokens, i, j), via="name")
        named.append((ner, mention))
        if not any(taken[i:j]):
            extra.append(_replace_kind(mention, MENTION_KIND[ner]))
        else:  # the words beside the phrases: "Естонії | Тину Тамм", typed by their readings
            extra.extend(capitalized_names(index, tokens, [taken[k] or not i <= k < j for k in range(len(tokens))]))
    return extra, named


def _replace_kind(m: Mention, kind: str) -> Mention:
    return m if m.kind == kind else Mention(m.sentence, m.first, m.last, m.start, m.end, m.text, kind=kind,
                                             lemma=m.lemma, case=m.case, via=m.via)


def rule_names(tokens: Sequence[Token], lexicon: Sequence[str]) -> list[Span]:
    """Names by rules alone (the baseline ``kg.ner`` is measured against): lexicon names, quoted names and runs
    of capitalized words, typed by the lexicon or by the readings' Name/Surn/Geox tags."""
    found: list[Span] = []
    taken = [bool(label) for label in lexicon]
    i = 0
    while i < len(tokens):
        if lexicon[i].startswith("B:"):
            j = i + 1
            while j < len(tokens) and lexicon[j].startswith("I:"):
                j += 1
            if lexicon[i][2:] in KIND_NER:
                found.append((i, j, KIND_NER[lexicon[i][2:]]))
            i = j
            continue
        i += 1
    found += [(m.first, m.last, "ORG") for m in quoted_names(0, tokens, taken)]
    found += [(m.first, m.last, KIND_NER[m.kind]) for m in capitalized_names(0, tokens, taken) if m.kind in KIND_NER]
    return sorted(found)


def longest_phrase(tokens: tuple[Token, ...], i: int, lex: Lexicon) -> tuple[Phrase, int] | None:
    best: tuple[Phrase, int] | None = None
    for phrase, n in _PhraseStarts.of(lex)[tokens[i].text]:
        if i + n > len(tokens):
            continue
        if n == 1 or all(phrase.words[k] & word_lemmas(tokens[i + k].text) for k in range(1, n)):
            if best is None or (n, -PRIORITY.get(phrase.via, 9), best[0].target) > (
                    best[1], -PRIORITY.get(best[0].via, 9), phrase.target):
                best = (phrase, n)
    return best


def phrase_mention(index: int, tokens, i: int, j: int, phrase: Phrase, lex: Lexicon) -> Mention:
    start, end = tokens[i].start, tokens[j - 1].end
    text = "".join(_surface(tokens, i, j))
    if phrase.via in ("role", "institution", "classifier"):
        return Mention(index, i, j, start, end, text, kind=phrase.via.capitalize(), lemma=_phrase_lemma(tokens, i, j),
                       case=head_cases(tokens, i, j), role=phrase.target, via=phrase.via)
    entity = lex.entity(phrase.target)
    return Mention(index, i, j, start, end, text, kind=entity.kind if entity else "Organization",
                   actor=phrase.target, lemma=entity.label_uk if entity else text,
                   case=head_cases(tokens, i, j), via=phrase.via)


def _surface(tokens, i: int, j: int):
    for k in range(i, j):
        if k > i and tokens[k].start > tokens[k - 1].end:
            yield " "
        yield tokens[k].text


def _phrase_lemma(tokens, i: int, j: int) -> str:
    return " ".join(tokens[k].lemma for k in range(i, j))


def head_cases(tokens, i: int, j: int) -> frozenset[str]:
    """The cases the phrase may be in: the cases its nouns agree on (its first noun is the head)."""
    for k in range(i, j):
        if any(pos == "NOUN" for _, pos, _ in tokens[k].readings):
            cases = frozenset(g for _, pos, gs in tokens[k].readings if pos == "NOUN" for g in gs
                              if g in CASES)
            if cases:
                return cases
    return tokens[j - 1].cases() or tokens[i].cases()


def compound_adjective(index: int, tokens, i: int, lex: Lexicon) -> list[Mention]:
    """"російсько-українська", "японсько-американського": one mention per state, all over the same span."""
    token = tokens[i]
    if "-" not in token.text or not any(pos == "ADJF" for _, pos, _ in token.readings):
        return []
    parts = normalize(token.text).lower().split("-")
    last = next((lem for lem, pos, _ in readings(parts[-1]) if pos == "ADJF"), lemma(parts[-1]))
    lemmas = [_compound_stem(part, lex) for part in parts[:-1]] + [last]
    states = []
    for part in lemmas:
        hits = [p for p in lex.phrases.get(part, ()) if p.via == "adjective" and len(p.words) == 1]
        if not hits:
            return []
        states.append(hits[0].target)
    cases = token.cases()
    return [Mention(index, i, i + 1, token.start, token.end, token.text, kind="State", actor=state,
                    lemma=lex.entity(state).label_uk, case=cases, via="adjective") for state in states]


def _compound_stem(part: str, lex: Lexicon) -> str:
    """"російсько" → "російський": the first parts of a compound adjective, back to the adjective."""
    for ending, replacement in sorted(lex.cues.get("compound_stem", {}).items(), key=lambda x: -len(x[0])):
        if part.endswith(ending):
            return part[: -len(ending)] + replacement
    return part


def quoted_names(index: int, tokens, taken: list[bool]) -> list[Mention]:
    found = []
    for i, token in enumerate(tokens):
        close = OPEN_QUOTES.get(token.text)
        if not close:
            continue
        for j in range(i + 1, min(len(tokens), i + 2 + MAX_QUOTED)):
            if tokens[j].text == close:
                inner = range(i + 1, j)
                if inner and tokens[i + 1].text[:1].isupper() and not any(taken[k] for k in inner):
                    text = "".join(_surface(tokens, i + 1, j))
                    found.append(Mention(index, i + 1, j, tokens[i + 1].start, tokens[j - 1].end, text,
                                         kind="Name", lemma=text, case=frozenset(), via="quoted"))
                    for k in inner:
                        taken[k] = True
                break
    return found


def is_name_token(token: Token, initial: bool) -> bool:
    if not token.text[:1].isupper() or not any(c.isalpha() for c in token.text):
        return False
    if not initial:
        return True
    # A sentence-initial capital proves nothing: keep the word only if no reading is a common word.
    return bool(token.readings) and all(tags & PROPER_TAGS or pos == "LATN" for _, pos, tags in token.readings)


def capitalized_names(index: int, tokens, taken: list[bool]) -> list[Mention]:
    found = []
    i = 0
    while i < len(tokens):
        if taken[i] or not is_name_token(tokens[i], _sentence_initial(tokens, i)):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and not taken[j] and is_name_token(tokens[j], False):
            j += 1
        kind = name_kind(tokens[i:j])
        text = "".join(_surface(tokens, i, j))
        found.append(Mention(index, i, j, tokens[i].start, tokens[j - 1].end, text, kind=kind,
                             lemma=name_lemma(tokens[i:j], kind), case=head_cases(tokens, i, j), via="name"))
        i = j
    return found


def _latin_after_classifier(tokens, starts: set[int], claimed: list[bool]) -> list[Span]:
    """A capitalized Latin-script name right after a classifier the tagger passed over: "компанія Toyota",
    "концерн Rheinmetall", "компанія Lockheed Martin" (up to three words)."""
    found = []
    for i in sorted(starts):
        j = i
        while j < len(tokens) and j - i < 3 and not claimed[j] and tokens[j].text[:1].isupper() \
                and tokens[j].text.isascii() and tokens[j].text.isalpha():
            j += 1
        if j > i:
            found.append((i, j, "ORG"))
            claimed[i:j] = [True] * (j - i)
    return found


def _sentence_initial(tokens, i: int) -> bool:
    return i == 0 or tokens[i - 1].text in {"«", "“", '"', "„", "(", "—", "–", "-", ":"}


def name_kind(tokens) -> str:
    tags = set().union(*(g for t in tokens for _, _, g in t.readings[:2])) if tokens else set()
    if tags & NAME_TAGS:
        return "Person"
    if "Geox" in tags:
        return "Location"
    return "Name"


def name_lemma(tokens, kind: str) -> str:
    """The nominative of a name: each word's name reading, capitalized as written."""
    words = []
    for token in tokens:
        chosen = token.lemma
        for lem, _, tags in token.readings:
            if kind != "Person" or tags & NAME_TAGS:
                chosen = lem
                break
        if token.text.isupper() and len(token.text) <= MAX_ABBREVIATION:
            words.append(token.text)  # an abbreviation stays as written; a name in capitals does not
        else:
            words.append(chosen[:1].upper() + chosen[1:] if token.text[:1].isupper() else chosen)
    return " ".join(words)
