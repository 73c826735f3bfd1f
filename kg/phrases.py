"""Phrases in their nominative forms, and mention spans: the morphology that naming needs.

"селищної ради" → "селищна рада", "Збройних Сил" → "збройні сили", "Сполучені Штати Америки" → "Сполучених Штатів
Америки"; an adjective made to agree with its noun ("норвезький студент").
"""

from __future__ import annotations

from functools import lru_cache

from kg.model import Mention
from kg.text import morph, normalize, readings


def span(doc, first: Mention, last: Mention, actor, kind, lemma_text, case, via) -> Mention:
    text = doc.item.text[first.start:last.end]
    return Mention(first.sentence, first.first, last.last, first.start, last.end, text, kind=kind, actor=actor,
                   lemma=lemma_text, case=case, via=via)


def portfolio(tokens, start: int, stop: int) -> list:
    """The lower-case genitive words after an institution that say which one it is ("міністерство аграрної
    політики", "служба безпеки"), up to the next mention."""
    found = []
    for token in tokens[start:min(stop, start + 4)]:
        if not (token.text[:1].islower() and token.pos in ("NOUN", "ADJF") and "gent" in token.cases()):
            break
        found.append(token)
    while found and found[-1].pos != "NOUN":  # end on a noun
        found.pop()
    return found


def is_state(m: Mention | None) -> bool:
    return m is not None and m.kind == "State" and m.actor is not None


def gender(noun_lemma: str) -> str:
    """The gender of a noun from its dictionary form (a plural form's reading does not say it): особа → femn."""
    for _, pos, tags in readings(noun_lemma):
        if pos == "NOUN" and "nomn" in tags:
            found = next((g for g in ("masc", "femn", "neut") if g in tags), None)
            if found:
                return found
    return "masc"


_AGREEMENT = ("masc", "femn", "neut", "plur", "nomn", "gent", "datv", "accs", "ablt", "loct", "voct")


def noun_reading(token, adjective=None):
    """The token's noun reading: one that agrees with the adjective before it in gender, number and case, if one is
    given and some reading does ("районна рада": рада, not the masculine "рад"), else a singular one ("ради": рада,
    not the plural)."""
    nouns = [r for r in token.readings if r[1] == "NOUN"]
    if adjective is not None:
        forms = [r[2] for r in adjective.readings if r[1] == "ADJF"]
        agreeing = [r for r in nouns if any(_agrees(r[2], form) for form in forms)]
        nouns = agreeing or nouns
    return next((r for r in nouns if "plur" not in r[2]), nouns[0] if nouns else None)


def _agrees(noun: frozenset, adjective: frozenset) -> bool:
    shared = [g for g in _AGREEMENT if g in adjective]
    return bool(shared) and all(g in noun for g in shared if g not in ("masc", "femn", "neut") or "plur" not in noun)


def nominative(tokens) -> str:
    """A lower-case phrase in the nominative: its head noun's lemma, the adjectives before it agreeing, the words
    after it (its genitive complements) as written: "селищної ради" → "селищна рада", "міністерства оборони" →
    "міністерство оборони"."""
    head = next((k for k, t in enumerate(tokens) if t.pos == "NOUN"), 0)
    adjectives = [t for t in tokens[:head] if t.pos == "ADJF"]
    if adjectives and all("plur" in r[2] for t in adjectives for r in t.readings if r[1] == "ADJF"):
        words = [inflected(t, {"nomn", "plur"}) for t in tokens[:head + 1]]  # "Збройні Сили": plural
    else:
        noun = noun_reading(tokens[head], tokens[head - 1] if head and tokens[head - 1].pos == "ADJF" else None)
        lemmas = [*(t.lemma for t in tokens[:head]), noun[0] if noun else tokens[head].lemma]
        words = agreed(tokens[:head + 1], lemmas)
    return " ".join([*words, *(t.text for t in tokens[head + 1:])]).lower()


def inflected(token, grammemes: set[str]) -> str:
    """The token's word in the given form, by its reading of the same part of speech; as written if none."""
    for parse in morph().parse(normalize(token.text)):
        if parse.tag.POS == token.pos:
            form = parse.inflect(grammemes)
            if form:
                return form.word
    return token.text


def agreed(tokens, lemmas: list[str]) -> list[str]:
    """The adjectives before the head noun of a name made to agree with it: "Старовижівський райрада" →
    "Старовижівська райрада"."""
    head = next((k for k, t in enumerate(tokens) if t.pos == "NOUN"), None)
    if head is None:
        return list(lemmas)
    noun = noun_reading(tokens[head], tokens[head - 1] if head and tokens[head - 1].pos == "ADJF" else None)
    out = list(lemmas)
    for k in range(head):
        if tokens[k].pos == "ADJF" and noun is not None:
            word = agree_nominative(tokens[k], noun)
            out[k] = word[:1].upper() + word[1:] if tokens[k].text[:1].isupper() else word
    return out


def spaced(tokens, words: list[str]) -> str:
    """Words joined as their tokens stand in the text: no space where the tokens touch ("«Техпром»")."""
    out = []
    for k, (token, word) in enumerate(zip(tokens, words)):
        if k and token.start > tokens[k - 1].end:
            out.append(" ")
        out.append(word)
    return "".join(out)


def agree_nominative(adjective_token, reading) -> str:
    """The adjective in the nominative, agreeing with the noun whose (lemma, pos, tags) reading is given."""
    return agree(adjective_token.text, adjective_token.lemma, reading[0], frozenset(reading[2]))


@lru_cache(maxsize=20_000)
def agree(adjective: str, adjective_lemma: str, noun_lemma: str, noun_tags: frozenset) -> str:
    number = "plur" if "plur" in noun_tags else next(
        (g for g in ("masc", "femn", "neut") if g in noun_tags), None) or gender(noun_lemma)
    for parse in morph().parse(normalize(adjective)):
        if parse.tag.POS == "ADJF":
            inflected = parse.inflect({"nomn", number})  # the dictionary marks an adjective's gender, not "sing"
            if inflected:
                return inflected.word
            return parse.normal_form
    return adjective_lemma


@lru_cache(maxsize=20_000)
def genitive(label: str) -> str:
    """"Сполучені Штати Америки" → "Сполучених Штатів Америки": each nominative word to the genitive.

    >>> genitive("Сполучені Штати Америки")
    'Сполучених Штатів Америки'
"""
    words = label.split()
    for k, word in enumerate(words):
        parses = [p for p in morph().parse(normalize(word)) if "nomn" in p.tag]
        inflected = parses[0].inflect({"gent"}) if parses else None
        form = inflected.word if inflected else word
        words[k] = "-".join(part[:1].upper() + part[1:] if original[:1].isupper() else part
                            for part, original in zip(form.split("-"), word.split("-")))
        if parses and parses[0].tag.POS == "NOUN":
            break  # the head noun: what follows already depends on it ("Штати Америки")
    return " ".join(words)
