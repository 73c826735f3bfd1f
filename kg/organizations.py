"""Names the lexicon does not know, resolved before roles and institutions are composed: organizations by their
legal forms and head nouns ("ДП «Селидіввугілля»" → state-owned, "ТОВ «Альфа»" → private, "Волинської ОДА" → a
government body), initials that make a surname of a place name ("Б. Хмельницький"), and a state's name in quotes
that names a thing (кінотеатр «Україна»).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.ids import mint_id
from kg.lexicon import word_lemmas
from kg.model import ACTOR_KINDS, CASES, Entity, Mention
from kg.phrases import agreed, is_state, noun_reading, portfolio, span, spaced

if TYPE_CHECKING:
    from kg.link import ItemContext


QUOTES = frozenset("«»“”„\"'")
OPENING_QUOTES = frozenset("«“„\"")


INITIAL = re.compile(r"^[A-ZА-ЯІЇЄҐ]\.$")


def resolve_names(doc, mentions: list[Mention], lex, entities, context: ItemContext) -> list[Mention]:
    """The sentence's mentions with the names the lexicon does not know resolved: a state's name alone in quotes
    names a thing, initials make a person of the name after them, an adjective name before an institution names
    it, and each organization name becomes a minted Organization or GovernmentBody (a name right after a
    classifier is left to it: "партія «…»")."""
    out: list[Mention] = []
    taken = 0  # token index up to which an organization took in its quoted part
    tokens = doc.sentences[mentions[0].sentence].tokens if mentions else ()
    for k, m in enumerate(mentions):
        if m.first < taken:
            continue
        if m.kind == "State" and m.via == "name" and 0 < m.first and m.last < len(tokens) \
                and tokens[m.first - 1].text in OPENING_QUOTES and tokens[m.last].text in QUOTES:
            m = replace(m, kind="Name", actor=None)  # кінотеатр «Україна»: a thing named after the state
        if k + 1 < len(mentions) and mentions[k + 1].first == m.last and initials_only(tokens[m.first:m.last]):
            continue  # "Б." before "Хмельницький": taken in by the person below
        if m.first > 0 and INITIAL.match(tokens[m.first - 1].text) and m.kind in ("Location", "Name", "Person") \
                and m.via != "adjective":
            m = _with_initials(doc, m, out)
        if m.via == "institution" and out and out[-1].kind == "Name" and not out[-1].actor \
                and all(t.pos == "ADJF" for t in tokens[out[-1].first:m.first]):
            first = out.pop().first  # "Печерського районного суду": one court, named by its adjective
            m = replace(m, first=first, start=tokens[first].start, text=doc.item.text[tokens[first].start:m.end],
                        kind="Name", actor=None, via="name", role=None,
                        lemma=" ".join(t.lemma for t in tokens[first:m.last]))
        after_classifier = k > 0 and mentions[k - 1].via == "classifier" and m.first - mentions[k - 1].last <= 1
        if m.kind == "Name" and not m.actor and not after_classifier:
            m = _with_form_words(doc, _with_quoted_part(doc, m), lex, out[-1].last if out else 0)
            taken = m.last
            following = next((x for x in mentions[k + 1:] if x.first >= m.last), None)
            adjective = out[-1] if out and out[-1].via == "adjective" and out[-1].kind == "State" \
                and out[-1].last == m.first else None  # "гонконгської фірми «Arida Global»"
            organization = _organization(doc, m, lex, entities, context, following, adjective)
            if organization is not None and adjective is not None and organization.first < m.first:
                out.pop()
            m = organization or m
        out.append(m)
    return out


def closing_quote(tokens, last: int) -> int:
    """The end of a span that stops before a closing quote, taking the quote in ("«Укрзалізниці»")."""
    return last + 1 if last < len(tokens) and tokens[last].text in QUOTES else last


def initials_only(tokens) -> bool:
    return bool(tokens) and all(INITIAL.match(t.text) for t in tokens)


def _with_initials(doc, m: Mention, before: list[Mention]) -> Mention:
    """Initials before a name make it a person's surname: "Б. Хмельницький" is no city, "В. І. Вернадський" no
    place. The surname is put in the nominative by its surname reading."""
    tokens = doc.sentences[m.sentence].tokens
    taken = max((x.last for x in before if not initials_only(tokens[x.first:x.last])), default=0)
    first = m.first
    while first > taken and INITIAL.match(tokens[first - 1].text):
        first -= 1
    if first == m.first:
        return m
    surnames = [r for t in tokens[m.first:m.last] for r in t.readings if "Surn" in r[2] or "Name" in r[2]]
    surname = (surnames[0][0] if surnames else m.lemma)
    surname = " ".join(w[:1].upper() + w[1:] for w in surname.split())
    cases = frozenset(g for r in surnames for g in r[2] if g in CASES) or m.case
    start = tokens[first].start
    lemma_ = " ".join([*(t.text for t in tokens[first:m.first]), surname])
    return replace(m, first=first, start=start, text=doc.item.text[start:m.end], kind="Person", actor=None,
                   lemma=lemma_, case=cases, via="name", role=None)


def _with_quoted_part(doc, m: Mention) -> Mention:
    """A legal form the tagger took alone, with the quoted name right after it: "КВП «Краматорська тепломережа»"."""
    tokens = doc.sentences[m.sentence].tokens
    if m.last >= len(tokens) or tokens[m.last].text not in OPENING_QUOTES:
        return m
    close = next((k for k in range(m.last + 1, min(len(tokens), m.last + 9)) if tokens[k].text in QUOTES), None)
    if close is None or close == m.last + 1:
        return m
    end = tokens[close].end
    return replace(m, last=close + 1, end=end, text=doc.item.text[m.start:end],
                   lemma=" ".join([*m.lemma.split(" "), *(t.text for t in tokens[m.last:close + 1])]))


def _with_form_words(doc, m: Mention, lex, taken: int) -> Mention:
    """A quoted name with the lower-case words before it that say what it is: "державне підприємство
    «Селидіввугілля»" (the tagger took only the name)."""
    tokens = doc.sentences[m.sentence].tokens
    first = m.first
    if first > 0 and tokens[first - 1].text in OPENING_QUOTES:
        first -= 1
    if first == m.first and tokens[first].text not in OPENING_QUOTES:
        return m
    start = first
    while start > taken and start - first < 3 and (tokens[start - 1].text[:1].islower() or start == 1) \
            and lex.org_form(tokens[start - 1].text):
        start -= 1
    if start == first:
        return m
    last = closing_quote(tokens, m.last) if tokens[first].text in OPENING_QUOTES and first < m.first else m.last
    words = [*(t.lemma for t in tokens[start:m.first]), *m.lemma.split(" "), *(t.text for t in tokens[m.last:last])]
    return replace(m, first=start, last=last, start=tokens[start].start, end=tokens[last - 1].end,
                   text=doc.item.text[tokens[start].start:tokens[last - 1].end], lemma=" ".join(words))


def _organization(doc, m: Mention, lex, entities, context: ItemContext, following: Mention | None,
                  adjective: Mention | None = None) -> Mention | None:
    """"ДП «Селидіввугілля»", "Волинської ОДА", "ТОВ «Альфа»" → a minted actor. Its kind and owner come from the
    words of the name before any quote (org_forms.tsv: ДП/державний → state-owned, ТОВ → private, служба/райрада →
    a government body); a state-owned one belongs to the state named in or right after it, else to the state
    the item's institutions belong to, else to the home state. The id is minted from the quoted part without its
    legal forms, so "ТОВ «НПП «Техпром»" and "НПП «Техпром»" are one actor. A name of adjectives alone
    ("Печерського" before "районного суду") is no organization."""
    tokens = doc.sentences[m.sentence].tokens
    words = tokens[m.first:m.last]
    if all(t.pos == "ADJF" for t in words):
        return None
    quote = next((k for k, t in enumerate(words) if t.text in QUOTES), len(words))
    forms = [lex.org_form(t.text) for t in words[:quote]]
    if len(words) == 1 and not words[0].text.isupper() and \
            any(lemma_ in lex.org_forms for lemma_, _, _ in words[0].readings):  # "Службу автомобільних доріг":
        # a generic word is named by its complement
        following_first = following.first if following is not None else len(tokens)
        complement = portfolio(tokens, m.last, following_first)
        if not complement:
            return None
        end = complement[-1]
        m = replace(m, last=m.last + len(complement), end=end.end, text=doc.item.text[m.start:end.end],
                    lemma=" ".join([m.lemma, *(t.text for t in complement)]))
        words = tokens[m.first:m.last]
        quote = len(words)
        forms = [lex.org_form(t.text) for t in words]
    kind = next((f[0] for f in forms if f and f[0]), None)
    owner = next((f[1] for f in forms if f and f[1]), "")
    if kind is None:  # "Старовижівська районна рада": named, and yet an institution of the state
        kind = _institution_in(words[:quote], lex)
        owner = owner or ("state" if kind else "")
    kind = kind or "Organization"
    lemmas = m.lemma.split(" ")
    if len(lemmas) != len(words):
        lemmas = [t.text for t in words]
    for k in range(1, quote):  # the head noun in the reading its adjective agrees with ("районна рада", not "рад")
        if words[k].pos == "NOUN" and words[k - 1].pos == "ADJF" and lemmas[k].lower() == words[k].lemma:
            noun = noun_reading(words[k], words[k - 1])
            if noun is not None:
                lemmas[k] = noun[0][:1].upper() + noun[0][1:] if lemmas[k][:1].isupper() else noun[0]
    lemmas = [*agreed(words[:quote], lemmas[:quote]), *(t.text for t in words[quote:])]  # «Альфа» stays as written
    label = spaced(words, lemmas)
    core = [(t, w) for t, w in zip(words[quote:], lemmas[quote:])
            if t.text not in QUOTES and not (t.text.isupper() and lex.org_form(t.text))]
    known_id = _known_actor([t for t, _ in core], lex)
    if known_id is not None:  # "ПАТ «Українська залізниця»": the lexicon's Укрзалізниця
        known = lex.entity(known_id)
        return span(doc, m, m, known_id, known.kind, known.label_uk, m.case or frozenset(CASES), "organization")
    entity_id = mint_id(spaced([t for t, _ in core], [w for _, w in core]) if core else label)
    country, end = None, m
    if adjective is not None:  # a state adjective before it says whose it is, owned by the state or not
        country = adjective.actor
        m = replace(m, first=adjective.first, start=adjective.start)
    elif owner == "state":
        if following is not None and is_state(following) and "gent" in following.case and \
                following.first == m.last:
            country, end = following.actor, following  # "Служба зовнішньої розвідки Росії"
        else:
            country = _state_named_in(words, lex) or context.institution_states.get(lemmas[0].lower()) \
                or lex.home_state
    known = entities.get(entity_id)
    if known is None or (known.country is None and country):
        entities[entity_id] = Entity(entity_id, kind, label, country=country)
    case = m.case or frozenset(CASES)  # an abbreviation the dictionary lacks ("КВП") may stand in any case
    return span(doc, m, end, entity_id, entities[entity_id].kind, entities[entity_id].label_uk, case, "organization")


def _known_actor(tokens, lex) -> str | None:
    """The lexicon actor whose whole name these words are, if any."""
    if not tokens:
        return None
    for lemma_ in word_lemmas(tokens[0].text):
        for phrase in lex.phrases.get(lemma_, ()):
            entity = lex.entity(phrase.target)
            if phrase.via == "name" and len(phrase.words) == len(tokens) and entity is not None \
                    and entity.kind in ACTOR_KINDS and \
                    all(word_lemmas(t.text) & words for t, words in zip(tokens, phrase.words)):
                return entity.id
    return None


def _institution_in(tokens, lex) -> str | None:
    """The kind of an institution the lexicon knows whose words stand together in the name ("районна рада" in
    "Старовижівська районна рада"), if any."""
    for k, token in enumerate(tokens):
        for lemma_ in word_lemmas(token.text):
            for phrase in lex.phrases.get(lemma_, ()):
                words = tokens[k:k + len(phrase.words)]
                if phrase.via == "institution" and len(words) == len(phrase.words) > 1 and \
                        all(word_lemmas(t.text) & w for t, w in zip(words, phrase.words)):
                    return phrase.target
    return None


def _state_named_in(tokens, lex) -> str | None:
    """A state a word of the name names ("Антимонопольний комітет України")."""
    for token in tokens:
        for lemma_ in word_lemmas(token.text):
            for phrase in lex.phrases.get(lemma_, ()):
                entity = lex.entity(phrase.target)
                if len(phrase.words) == 1 and phrase.via == "name" and entity and entity.kind == "State":
                    return entity.id
    return None
