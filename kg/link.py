"""Resolve mentions to entities: compose role phrases, institutions and classifiers with the names beside them,
mint stable ids for names the lexicon does not know, and record the offices the text states.

"Польський прем'єр-міністр Дональд Туск" → one Person mention (donald-tusk) and a holds_office relation to Poland;
"Лідер Північної Кореї" → the leader the lexicon knows for North Korea; "посольство США" → an embassy of the USA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kg.lexicon import Lexicon, load, rows
from kg.model import CASES, ENTITY_KINDS, Doc, Entity, Mention, Relation
from kg.text import lemma, morph, normalize

OFFICE_CONFIDENCE = 0.9


@lru_cache(maxsize=1)
def translit_table() -> dict[int, str]:
    return str.maketrans({row["letter"]: row["latin"] for row in rows("translit.tsv")})


def mint_id(label: str) -> str:
    """A stable id for a name the lexicon does not know, from its nominative form.

    >>> mint_id("Орєшнік")
    'm-orieshnik'
    """
    ascii_form = normalize(label).lower().translate(translit_table())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_form).strip("-")
    return "m-" + (slug or "x")


def link(doc: Doc, lexicon: Lexicon | None = None) -> Doc:
    lex = lexicon or load()
    entities: dict[str, Entity] = {}
    resolved: list[Mention] = []
    relations: list[Relation] = []
    context = ItemContext()
    by_sentence = doc.mentions_by_sentence()
    for index, sentence in enumerate(doc.sentences):
        mentions = by_sentence[index]
        out, rels = _link_sentence(doc, index, mentions, lex, entities, context)
        resolved.extend(out)
        relations.extend(rels)
    text = doc.item.text  # a mention's text is its slice of the item, whatever whitespace lies between its words
    resolved = [m if text[m.start:m.end] == m.text else replace(m, text=text[m.start:m.end]) for m in resolved]
    entities = lex.complete(entities, {m.actor for m in resolved} | {x for r in relations for x in (r.subject, r.object)})
    surfaces: dict[str, list[str]] = {}
    for mention in resolved:
        if mention.actor:
            surfaces.setdefault(mention.actor, [])
            if mention.text not in surfaces[mention.actor]:
                surfaces[mention.actor].append(mention.text)
    return doc.evolve(mentions=tuple(resolved), relations=tuple(relations), entities=entities,
                      surfaces={k: tuple(v) for k, v in surfaces.items()})


@dataclass
class ItemContext:
    """What earlier sentences of the same item settled, for the short references of later ones."""

    persons_by_surname: dict[str, str] = field(default_factory=dict)  # surname lemma -> person id
    role_holders: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (person id, label)
    institution_states: dict[str, str] = field(default_factory=dict)  # institution lemma -> state id


def _portfolio(tokens, start: int, stop: int) -> list:
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


def _office_of(role: Mention, b: Mention, tokens) -> bool:
    """b follows the role phrase, maybe after the genitive words of its portfolio ("міністр фінансів Естонії")."""
    between = tokens[role.last:b.first]
    return b.first >= role.last and len(between) <= 3 and all(
        t.text[:1].islower() and t.pos in ("NOUN", "ADJF") and "gent" in t.cases() for t in between)


def _adjacent(a: Mention, b: Mention) -> bool:
    return b.first == a.last


def _is_state(m: Mention | None) -> bool:
    return m is not None and m.kind == "State" and m.actor is not None


def _link_sentence(doc, index, mentions, lex, entities, context: "ItemContext"):
    persons_by_surname, role_holders = context.persons_by_surname, context.role_holders
    tokens = doc.sentences[index].tokens
    out: list[Mention] = []
    relations: list[Relation] = []
    sentence = doc.sentences[index]
    used = set()

    def nxt(i):
        return mentions[i + 1] if i + 1 < len(mentions) else None

    def relation(predicate, subject, obj, role=None, confidence=OFFICE_CONFIDENCE):
        relations.append(Relation(predicate, subject, obj, index, sentence.start, sentence.end, confidence,
                                  role=role))

    i = 0
    while i < len(mentions):
        m = mentions[i]
        if i in used:
            i += 1
            continue
        # [state adjective] + role / institution: "Польський прем'єр-міністр", "американське посольство"
        prefix_state = None
        if m.via == "adjective" and nxt(i) and _adjacent(m, nxt(i)) and nxt(i).via in ("role", "institution"):
            prefix_state, m, i = m, nxt(i), i + 1
        if m.via == "role":
            j = i + 1
            state = prefix_state
            if j < len(mentions) and _office_of(m, mentions[j], tokens) and mentions[j].actor and \
                    mentions[j].kind != "Person" and "gent" in mentions[j].case:
                state = mentions[j]
                j += 1
            last = mentions[j - 1] if j - 1 > i else m
            person = None
            if j < len(mentions) and _adjacent(last, mentions[j]) and mentions[j].kind in ("Person", "Name"):
                person = _person(doc, mentions[j], lex, entities, persons_by_surname)
                j += 1
            first = prefix_state or m
            end_m = mentions[j - 1]
            if person is not None:
                holder_country = state.actor if state else (lex.entity(person.actor).country
                                                            if lex.entity(person.actor) else None)
                if holder_country:
                    relation("holds_office", person.actor, holder_country, role=m.role)
                    minted = entities.get(person.actor)
                    if minted is not None and minted.country is None:  # an official of a state body is of that state
                        office = entities.get(holder_country) or lex.entity(holder_country)
                        country = holder_country if office and office.kind == "State" else (office.country if office
                                                                                            else None)
                        entities[person.actor] = replace(minted, country=country)
                case = (m.case & person.case) or m.case
                out.append(_span(doc, first, end_m, person.actor, "Person", person.lemma, case, "role"))
                role_holders[m.role] = (person.actor, person.lemma)
            elif state is not None:
                holders = lex.holders.get((m.role, state.actor), [])
                if len(holders) == 1:
                    relation("holds_office", holders[0], state.actor, role=m.role)
                    ent = lex.entity(holders[0])
                    out.append(_span(doc, first, end_m, holders[0], "Person", ent.label_uk, m.case, "role"))
                    role_holders[m.role] = (holders[0], ent.label_uk)
                else:  # an office holder the lexicon cannot name: the office acts for its state
                    out.append(_span(doc, first, end_m, state.actor, state.kind, state.lemma, m.case, "role"))
            elif m.role in role_holders:  # "Прем'єр заявив" after "Прем'єр-міністр Японії Фуміо Кісіда"
                actor, label = role_holders[m.role]
                out.append(_span(doc, m, m, actor, "Person", label, m.case, "role"))
            i = j
            continue
        if m.via == "institution":
            j = i + 1
            state = prefix_state
            portfolio = _portfolio(tokens, m.last, mentions[j].first if j < len(mentions) else len(tokens))
            if state is None and j < len(mentions) and mentions[j].first == m.last + len(portfolio) \
                    and _is_state(mentions[j]) and "gent" in mentions[j].case:
                state = mentions[j]
                j += 1
            institution = tokens[m.first].lemma
            if m.last == m.first + 1 and tokens[m.first].pos == "ADJF" and m.last < len(tokens) \
                    and tokens[m.last].pos == "NOUN":
                i += 1  # "військового обладнання": an adjective before its noun, not the institution "військові"
                continue
            first, end_m = prefix_state or m, mentions[j - 1]
            if state is not None:
                state_id = state.actor
                context.institution_states[institution] = state_id
            else:  # "Суд відмовив прокуратурі": the state named with it earlier in the item, else the home state
                state_id = context.institution_states.get(institution) or lex.home_state
                first = end_m = m
            if state_id and lex.entity(state_id):
                home = lex.entity(state_id)
                if m.role == "State":
                    out.append(_span(doc, first, end_m, state_id, "State", home.label_uk, m.case, "institution"))
                else:  # "посольство США", "міністерство аграрної політики": one id per (institution, portfolio, state)
                    rest = [*tokens[m.first + 1:m.last], *portfolio]  # "оборони" in "міністерство оборони"
                    name = " ".join([institution, *(t.text.lower() for t in rest)])
                    entity_id = mint_id(f"{' '.join([institution, *(t.lemma for t in rest)])} {state_id}")
                    label = f"{name} {_genitive(home.label_uk)}"
                    entities.setdefault(entity_id, Entity(entity_id, m.role, label, country=state_id))
                    mention = _span(doc, first, end_m, entity_id, m.role, label, m.case, "institution")
                    if state is None and portfolio:
                        mention = replace(mention, last=m.last + len(portfolio), end=portfolio[-1].end,
                                          text=doc.item.text[mention.start:portfolio[-1].end])
                    out.append(mention)
            i = j
            continue
        if m.via == "classifier":
            nm = nxt(i)
            if nm and nm.first - m.last <= 1 and nm.kind in ("Name", "Person", "Location") \
                    and not nm.actor and nm.first >= m.last:
                entity_id = mint_id(nm.lemma)
                entities.setdefault(entity_id, Entity(entity_id, m.role, nm.lemma))
                out.append(_span(doc, nm, nm, entity_id, m.role, nm.lemma, m.case, "classifier"))
                used.add(i + 1)
            i += 1
            continue
        if m.via == "adjective" and m.kind == "State":
            person = _adjective_person(doc, m, lex, entities)
            if person:
                out.append(person)
                i += 1
                continue
        if m.kind == "State" and m.via == "name" and "gent" in m.case:
            person = _person_of_state(doc, m, entities, out)
            if person:
                out.append(person)
                i += 1
                continue
        if m.kind in ("Person", "Name", "Location") and not m.actor:
            if m.kind == "Person":
                out.append(_person(doc, m, lex, entities, persons_by_surname))
            elif m.kind == "Location":  # a place the lexicon does not know: minted, its state unknown
                entity_id = mint_id(m.lemma)
                entities.setdefault(entity_id, Entity(entity_id, "Location", m.lemma))
                out.append(Mention(m.sentence, m.first, m.last, m.start, m.end, m.text, "Location", entity_id,
                                   m.lemma, m.case, via="name"))
            else:  # a name of unknown kind: kept for annotation, not an actor
                out.append(m)
            i += 1
            continue
        if m.actor and m.kind in ENTITY_KINDS:
            if m.kind == "Person":
                _remember_surname(m.actor, lex.entity(m.actor).label_uk if lex.entity(m.actor) else m.lemma,
                                  persons_by_surname)
            out.append(m)
        i += 1
    return out, relations


def _span(doc, first: Mention, last: Mention, actor, kind, lemma_text, case, via) -> Mention:
    text = doc.item.text[first.start:last.end]
    return Mention(first.sentence, first.first, last.last, first.start, last.end, text, kind=kind, actor=actor,
                   lemma=lemma_text, case=case, via=via)


def _remember_surname(actor: str, label: str, persons_by_surname: dict[str, str]) -> None:
    words = label.split()
    if len(words) > 1:
        persons_by_surname.setdefault(lemma(words[-1]), actor)


def _person(doc, m: Mention, lex, entities, persons_by_surname) -> Mention:
    if m.actor and m.kind == "Person":
        return m
    words = m.lemma.split()
    if len(words) == 1 and lemma(words[0]) in persons_by_surname:  # a bare surname after the full name
        actor = persons_by_surname[lemma(words[0])]
        label = (lex.entity(actor) or entities.get(actor)).label_uk
        return Mention(m.sentence, m.first, m.last, m.start, m.end, m.text, "Person", actor, label, m.case,
                       via="surname")
    actor = mint_id(m.lemma)
    entities.setdefault(actor, Entity(actor, "Person", m.lemma))
    _remember_surname(actor, m.lemma, persons_by_surname)
    return Mention(m.sentence, m.first, m.last, m.start, m.end, m.text, "Person", actor, m.lemma, m.case, via="name")


def _adjective_person(doc, m: Mention, lex, entities) -> Mention | None:
    """"норвезького студента" → a person of that state the text does not name."""
    tokens = doc.sentences[m.sentence].tokens
    if m.last >= len(tokens):
        return None
    noun = tokens[m.last]
    noun_readings = _person_nouns(noun)
    if not noun_readings or noun.text[:1].isupper():
        return None
    adjective = _agree_nominative(tokens[m.first], noun_readings[0])
    label = f"{adjective} {noun_readings[0][0]}"
    entity_id = f"{mint_id(label)}-{doc.item.id}"  # "норвезький студент" of one item, not of every item
    entities.setdefault(entity_id, Entity(entity_id, "Person", label, country=m.actor))
    return Mention(m.sentence, m.first, m.last + 1, m.start, noun.end, doc.item.text[m.start:noun.end], "Person",
                   entity_id, label, frozenset(g for _, p, gs in noun.readings if p == "NOUN" for g in gs
                                               if g in CASES),
                   via="adjective")


def _person_nouns(token) -> list:
    """The readings of a token that make it a common noun for a person (студент, громадянин), not a name."""
    return [r for r in token.readings if r[1] == "NOUN" and "anim" in r[2] and not r[2] & {"Name", "Surn", "Patr"}]


def _person_of_state(doc, m: Mention, entities, out: list[Mention]) -> Mention | None:
    """"громадянина Канади", "уродженця Росії" → a person of that state the text does not name."""
    tokens = doc.sentences[m.sentence].tokens
    if m.first == 0 or any(x.last > m.first - 1 for x in out if x.sentence == m.sentence):
        return None
    noun = tokens[m.first - 1]
    readings = _person_nouns(noun)
    if not readings or noun.text[:1].isupper():
        return None
    label = f"{readings[0][0]} {m.text}"
    entity_id = f"{mint_id(readings[0][0] + ' ' + m.actor)}-{doc.item.id}"
    entities.setdefault(entity_id, Entity(entity_id, "Person", label, country=m.actor))
    cases = frozenset(g for r in readings for g in r[2] if g in CASES)
    return Mention(m.sentence, m.first - 1, m.last, noun.start, m.end, doc.item.text[noun.start:m.end], "Person",
                   entity_id, label, cases, via="noun")


def _agree_nominative(adjective_token, noun_reading) -> str:
    gender = next((g for g in ("masc", "femn", "neut") if g in noun_reading[2]), "masc")
    for parse in morph().parse(normalize(adjective_token.text)):
        if parse.tag.POS == "ADJF":
            inflected = parse.inflect({"nomn", "sing", gender})
            if inflected:
                return inflected.word
            return parse.normal_form
    return adjective_token.lemma


def _genitive(label: str) -> str:
    """"Сполучені Штати Америки" → "Сполучених Штатів Америки": each nominative word to the genitive."""
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
