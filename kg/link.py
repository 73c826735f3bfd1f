"""Resolve mentions to entities: compose role phrases, institutions and classifiers with the names beside them,
mint stable ids for names the lexicon does not know, and record the offices the text states.

"Польський прем'єр-міністр Дональд Туск" → one Person mention (donald-tusk) and a holds_office relation to Poland;
"Лідер Північної Кореї" → the leader the lexicon knows for North Korea; "посольство США" → an embassy of the USA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kg.lexicon import Lexicon, load, rows, word_lemmas
from kg.model import ACTOR_KINDS, CASES, ENTITY_KINDS, Doc, Entity, Mention, Relation
from kg.text import lemma, morph, normalize, readings

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
    role_holders: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # role key -> (id, label)
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


def _state_of_place(doc, mentions: list[Mention], lex, institution: Mention) -> str | None:
    """The state of the place the sentence says the institution acts in ("У Грузії поліція …", "поліція в
    Тбілісі"): a locative with no comma between them."""
    tokens = doc.sentences[institution.sentence].tokens
    places = lex.cue_words("place_preposition")
    for m in mentions:
        between = tokens[min(m.last, institution.last):max(m.first, institution.first)]
        if any(t.text in (",", ";", "—", "–") for t in between):
            continue
        if m.first > 0 and "loct" in m.case and tokens[m.first - 1].text.lower() in places | {"у"} and m.actor:
            entity = lex.entity(m.actor)
            if entity is not None and entity.kind in ("State", "Location") and entity.country:
                return entity.country
    return None


def _role_key(role: Mention, tokens, lex) -> tuple[str, str]:
    """What a later bare role word must repeat to mean the same person: the office for the offices of a state
    ("прем'єр" after "прем'єр-міністр"), the very word for generic ones, which many organizations have
    ("директора" after "голову ОДА" is someone else)."""
    if role.role in lex.cue_words("generic_role"):
        return role.role, tokens[role.first].lemma
    return role.role, ""


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

    mentions = _organizations(doc, mentions, lex, entities, context)

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
        if m.via == "adjective" and nxt(i) and _adjacent(m, nxt(i)) and \
                nxt(i).via in ("role", "institution", "classifier"):
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
                span = _span(doc, first, end_m, person.actor, "Person", person.lemma, case, "role")
                out.append(_headed_by_noun_before(doc, span, out))  # "заступник начальника відділу … Павленко"
                role_holders[_role_key(m, tokens, lex)] = (person.actor, person.lemma)
            elif state is not None:
                holders = lex.holders.get((m.role, state.actor), [])
                if len(holders) == 1:
                    relation("holds_office", holders[0], state.actor, role=m.role)
                    ent = lex.entity(holders[0])
                    out.append(_span(doc, first, end_m, holders[0], "Person", ent.label_uk, m.case, "role"))
                    role_holders[_role_key(m, tokens, lex)] = (holders[0], ent.label_uk)
                elif state.kind != "State" and m.role not in lex.cue_words("speaks_for") and \
                        (entities.get(state.actor) or lex.entity(state.actor)):
                    official = _official(doc, m, state, entities, lex)  # "директора КВП «Тепломережа»"
                    relation("holds_office", official.actor, state.actor, role=m.role)
                    out.append(official)
                else:  # an office holder the lexicon cannot name: the office acts for its state
                    out.append(_span(doc, first, end_m, state.actor, state.kind, state.lemma, m.case, "role"))
            elif _role_key(m, tokens, lex) in role_holders:  # "Прем'єр заявив" after "Прем'єр-міністр Японії …"
                actor, label = role_holders[_role_key(m, tokens, lex)]
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
            elif institution in lex.cue_words("needs_state") and institution not in context.institution_states:
                i += 1  # "сторони уклали договір": parties to a contract, not a state (but "Делегація Китаю …
                continue  # Делегація": the one named before)
            else:  # "У Грузії поліція …": the state the sentence places it in; "Суд відмовив прокуратурі": the state
                # named with it earlier in the item, else the home state
                state_id = _state_of_place(doc, mentions, lex, m) or context.institution_states.get(institution) \
                    or lex.home_state
                first = end_m = m
            if state_id and lex.entity(state_id):
                home = lex.entity(state_id)
                if m.role == "State":
                    out.append(_span(doc, first, end_m, state_id, "State", home.label_uk, m.case, "institution"))
                else:  # "посольство США", "міністерство аграрної політики": one id per (institution, portfolio, state)
                    phrase = [*tokens[m.first:m.last], *portfolio]  # "оборони" in "міністерство оборони"
                    name = _nominative(phrase)  # "селищної ради" → "селищна рада"
                    entity_id = mint_id(f"{name} {state_id}")
                    if m.role == "Person":  # "прокурор", "слідчі": unnamed officials of one item, not of every item
                        entity_id = f"{entity_id}-{doc.item.id}"
                    label = f"{name} {_genitive(home.label_uk)}"
                    entities.setdefault(entity_id, Entity(entity_id, m.role, label, country=state_id))
                    mention = _span(doc, first, end_m, entity_id, m.role, label, m.case, "institution")
                    if state is None and portfolio:
                        mention = replace(mention, last=m.last + len(portfolio), end=portfolio[-1].end,
                                          text=doc.item.text[mention.start:portfolio[-1].end])
                    out.append(mention)
            i = j
            continue
        if m.via == "classifier":  # "британська компанія «Krederi ltd»": of the state its adjective names
            nm = nxt(i)
            if nm and nm.first - m.last <= 1 and nm.kind in ("Name", "Person", "Location") \
                    and not nm.actor and nm.first >= m.last:
                entity_id = mint_id(nm.lemma)
                country = prefix_state.actor if prefix_state else None
                known = entities.get(entity_id)
                if known is None or (known.country is None and country):
                    entities[entity_id] = Entity(entity_id, m.role, nm.lemma, country=country)
                out.append(_span(doc, prefix_state or m, nm, entity_id, m.role, nm.lemma, m.case, "classifier"))
                used.add(i + 1)
            elif prefix_state is not None and m.role in ("Organization", "MediaOutlet"):
                out.append(_state_organization(doc, prefix_state, m, entities))  # "іранських компаній"
            elif prefix_state is not None:
                out.append(prefix_state)
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
    for k, m in enumerate(out):  # "посадових осіб ДП «Селидіввугілля»", "колегія Антимонопольного комітету"
        if m is not None and m.kind in ACTOR_KINDS - {"State", "Person"} and "gent" in m.case and m.actor \
                and (m.actor in entities or lex.entity(m.actor)):
            earlier = [x for x in out[:k] if x is not None]
            person = _person_of_state(doc, m, entities, earlier, lex)
            named = out[k + 1] if k + 1 < len(out) else None
            if person and named is not None and named.kind == "Person" and named.first == m.last \
                    and named.actor in entities and named.actor.startswith("m-") and "-" + doc.item.id not in \
                    named.actor:  # "заступник начальника відділу АМКУ Андрій Павленко": the official named
                official = entities[named.actor]
                if official.country is None:
                    entities[named.actor] = replace(official, country=entities[person.actor].country)
                del entities[person.actor]
                relation("employed_by", named.actor, m.actor)
                out[k] = replace(named, first=person.first, start=person.start,
                                 text=doc.item.text[person.start:named.end], case=person.case)
                out[k + 1] = None
            elif person:
                relation("employed_by", person.actor, m.actor)
                out[k] = person
            else:
                out[k] = _unit_of(doc, m, earlier, lex) or m
    return [m for m in out if m is not None], relations


def _headed_by_noun_before(doc, m: Mention, before: list[Mention]) -> Mention:
    """A person phrase that depends on a noun for a person before it takes that noun's case: in "Колишній
    заступник начальника відділу … Андрій Павленко уклав" the phrase is the subject."""
    tokens = doc.sentences[m.sentence].tokens
    taken = max((x.last for x in before if x.sentence == m.sentence), default=0)
    k = m.first - 1
    if k < taken or not _person_nouns(tokens[k]) or (tokens[k].text[:1].isupper() and k > 0):
        return m
    first, head = _noun_phrase_start(tokens, k, taken)
    if first == 1 and taken == 0 and tokens[0].pos == "ADJF":
        first = 0  # a capitalized adjective opening the sentence: "Колишній"
    cases = frozenset(g for r in _person_nouns(tokens[head]) for g in r[2] if g in CASES)
    start = tokens[first].start
    return replace(m, first=first, start=start, text=doc.item.text[start:m.end], case=cases)


def _unit_of(doc, m: Mention, before: list[Mention], lex) -> Mention | None:
    """A unit of an organization acts for it: "Тендерна колегія Антимонопольного комітету", "слідче управління
    Нацполіції" → the organization, in the unit noun's case (cues.tsv ``org_unit``)."""
    tokens = doc.sentences[m.sentence].tokens
    k = m.first - 1
    if k > 0 and tokens[k].text in OPENING_QUOTES:
        k -= 1  # "філія «Укрзалізниці»"
    if k < 0 or any(x.last > k for x in before if x.sentence == m.sentence):
        return None
    unit = tokens[k]
    nouns = [r for r in unit.readings if r[1] == "NOUN" and r[0] in lex.cue_words("org_unit")]
    if not nouns:
        return None
    cases = frozenset(g for r in nouns for g in r[2] if g in CASES)
    first = k
    taken = max((x.last for x in before if x.sentence == m.sentence), default=0)
    while first > taken and tokens[first - 1].pos == "ADJF" and tokens[first - 1].cases() & cases:
        first -= 1  # "Тендерна колегія"
    start = tokens[first].start
    last = m.last + 1 if k < m.first - 1 and m.last < len(tokens) and tokens[m.last].text in QUOTES else m.last
    end = tokens[last - 1].end
    return replace(m, first=first, last=last, start=start, end=end, text=doc.item.text[start:end], case=cases,
                   via="unit")


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
    lemma_, pos, tags = noun_readings[0]
    adjective = _agree_nominative(tokens[m.first], (lemma_, pos, tags - {"plur"}))  # "норвезький студент"
    label = f"{adjective} {noun_readings[0][0]}"
    entity_id = f"{mint_id(label)}-{doc.item.id}"  # "норвезький студент" of one item, not of every item
    entities.setdefault(entity_id, Entity(entity_id, "Person", label, country=m.actor))
    return Mention(m.sentence, m.first, m.last + 1, m.start, noun.end, doc.item.text[m.start:noun.end], "Person",
                   entity_id, label, frozenset(g for _, p, gs in noun.readings if p == "NOUN" for g in gs
                                               if g in CASES),
                   via="adjective")


def _state_organization(doc, adjective: Mention, classifier: Mention, entities) -> Mention:
    """"іранських компаній", "російське видання": organizations of that state the text does not name, one per
    item."""
    tokens = doc.sentences[adjective.sentence].tokens
    noun = _noun_reading(tokens[classifier.first])
    adjective_word = _agree_nominative(tokens[adjective.first], (noun[0], noun[1], noun[2] - {"plur"})) if noun \
        else tokens[adjective.first].lemma
    label = f"{adjective_word} {noun[0] if noun else classifier.lemma}"
    entity_id = f"{mint_id(label)}-{doc.item.id}"
    entities.setdefault(entity_id, Entity(entity_id, classifier.role, label, country=adjective.actor))
    return _span(doc, adjective, classifier, entity_id, classifier.role, label, classifier.case, "adjective")


def _person_nouns(token) -> list:
    """The readings of a token that make it a common noun for a person (студент, громадянин), not a name."""
    return [r for r in token.readings if r[1] == "NOUN" and "anim" in r[2] and not r[2] & {"Name", "Surn", "Patr"}]


def _person_of_state(doc, m: Mention, entities, out: list[Mention], lex=None) -> Mention | None:
    """"громадянина Канади", "уродженця Росії" → a person of that state the text does not name; "посадових осіб
    ДП «…»" → a person of the organization's state (None when it has none)."""
    tokens = doc.sentences[m.sentence].tokens
    before = m.first - 1
    if before > 0 and tokens[before].text in OPENING_QUOTES and m.kind != "State":
        before -= 1  # "службових осіб «Укрзалізниці»"
    if before < 0 or any(x.last > before for x in out if x.sentence == m.sentence):
        return None
    noun = tokens[before]
    readings = _person_nouns(noun)
    if not readings or (noun.text[:1].isupper() and before > 0):  # capitalized only opening the sentence
        return None
    country = m.actor if m.kind == "State" else (entities.get(m.actor) or lex.entity(m.actor)).country
    if country is None:
        return None
    taken = max((x.last for x in out if x.sentence == m.sentence), default=0)
    first, head = _noun_phrase_start(tokens, before, taken)
    while head - 1 > taken and tokens[head - 1].text[:1].islower() and _person_nouns(tokens[head - 1]):
        first, head = _noun_phrase_start(tokens, head - 1, taken)  # "заступника головного лікаря …"
    readings = _person_nouns(tokens[head])
    cases = frozenset(g for r in readings for g in r[2] if g in CASES)
    lemma_, pos, tags = readings[0]
    title = " ".join([*(_agree_nominative(t, (lemma_, pos, tags - {"plur"})) for t in tokens[first:head]),
                      lemma_, *(t.text for t in tokens[head + 1:before + 1])])
    last, end = m.last, m.end
    if before < m.first - 1 and last < len(tokens) and tokens[last].text in QUOTES:
        last, end = last + 1, tokens[last].end  # and its closing quote
    label = f"{title} {doc.item.text[tokens[before + 1].start:end]}" if before < m.first - 1 else f"{title} {m.text}"
    entity_id = f"{mint_id(title + ' ' + m.actor)}-{doc.item.id}"
    entities.setdefault(entity_id, Entity(entity_id, "Person", label, country=country))
    start = tokens[first].start
    return Mention(m.sentence, first, last, start, end, doc.item.text[start:end], "Person",
                   entity_id, label, cases, via="noun")


def _noun_phrase_start(tokens, noun: int, taken: int) -> tuple[int, int]:
    """(first token, noun) of a noun with the lower-case adjectives before it that agree with it ("посадових
    осіб")."""
    cases = tokens[noun].cases()
    first = noun
    while first > taken and tokens[first - 1].pos == "ADJF" and tokens[first - 1].text[:1].islower() \
            and tokens[first - 1].cases() & cases:
        first -= 1
    return first, noun


QUOTES = frozenset("«»“”„\"'")
OPENING_QUOTES = frozenset("«“„\"")


def _organizations(doc, mentions: list[Mention], lex, entities, context: ItemContext) -> list[Mention]:
    """The sentence's mentions with each organization name the lexicon does not know resolved to a minted
    Organization or GovernmentBody (a name right after a classifier is left to it: "партія «…»")."""
    out: list[Mention] = []
    taken = 0  # token index up to which an organization took in its quoted part
    tokens = doc.sentences[mentions[0].sentence].tokens if mentions else ()
    for k, m in enumerate(mentions):
        if m.first < taken:
            continue
        if m.kind == "State" and m.via == "name" and 0 < m.first and m.last < len(tokens) \
                and tokens[m.first - 1].text in OPENING_QUOTES and tokens[m.last].text in QUOTES:
            m = replace(m, kind="Name", actor=None)  # кінотеатр «Україна»: a thing named after the state
        if k + 1 < len(mentions) and mentions[k + 1].first == m.last and _initials_only(tokens[m.first:m.last]):
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
    last = m.last
    if last < len(tokens) and tokens[last].text in QUOTES and tokens[first].text in OPENING_QUOTES \
            and first < m.first:
        last += 1  # the closing quote
    words = [*(t.lemma for t in tokens[start:m.first]), *m.lemma.split(" "), *(t.text for t in tokens[m.last:last])]
    return replace(m, first=start, last=last, start=tokens[start].start, end=tokens[last - 1].end,
                   text=doc.item.text[tokens[start].start:tokens[last - 1].end], lemma=" ".join(words))


INITIAL = re.compile(r"^[A-ZА-ЯІЇЄҐ]\.$")


def _initials_only(tokens) -> bool:
    return bool(tokens) and all(INITIAL.match(t.text) for t in tokens)


def _with_initials(doc, m: Mention, before: list[Mention]) -> Mention:
    """Initials before a name make it a person's surname: "Б. Хмельницький" is no city, "В. І. Вернадський" no
    place. The surname is put in the nominative by its surname reading."""
    tokens = doc.sentences[m.sentence].tokens
    taken = max((x.last for x in before if not _initials_only(tokens[x.first:x.last])), default=0)
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
        portfolio = _portfolio(tokens, m.last, following_first)
        if not portfolio:
            return None
        end = portfolio[-1]
        m = replace(m, last=m.last + len(portfolio), end=end.end, text=doc.item.text[m.start:end.end],
                    lemma=" ".join([m.lemma, *(t.text for t in portfolio)]))
        words = tokens[m.first:m.last]
        quote = len(words)
        forms = [lex.org_form(t.text) for t in words]
    kind = next((f[0] for f in forms if f and f[0]), "Organization")
    owner = next((f[1] for f in forms if f and f[1]), "")
    lemmas = m.lemma.split(" ")
    if len(lemmas) != len(words):
        lemmas = [t.text for t in words]
    lemmas = [*_agreed(words[:quote], lemmas[:quote]), *(t.text for t in words[quote:])]  # «Альфа» stays as written
    label = _spaced(words, lemmas)
    core = [(t, w) for t, w in zip(words[quote:], lemmas[quote:])
            if t.text not in QUOTES and not (t.text.isupper() and lex.org_form(t.text))]
    known_id = _known_actor([t for t, _ in core], lex)
    if known_id is not None:  # "ПАТ «Українська залізниця»": the lexicon's Укрзалізниця
        known = lex.entity(known_id)
        return _span(doc, m, m, known_id, known.kind, known.label_uk, m.case or frozenset(CASES), "organization")
    entity_id = mint_id(_spaced([t for t, _ in core], [w for _, w in core]) if core else label)
    country, end = None, m
    if adjective is not None:  # a state adjective before it says whose it is, owned by the state or not
        country = adjective.actor
        m = replace(m, first=adjective.first, start=adjective.start)
    elif owner == "state":
        if following is not None and _is_state(following) and "gent" in following.case and \
                following.first == m.last:
            country, end = following.actor, following  # "Служба зовнішньої розвідки Росії"
        else:
            country = _state_named_in(words, lex) or context.institution_states.get(lemmas[0].lower()) \
                or lex.home_state
    known = entities.get(entity_id)
    if known is None or (known.country is None and country):
        entities[entity_id] = Entity(entity_id, kind, label, country=country)
    case = m.case or frozenset(CASES)  # an abbreviation the dictionary lacks ("КВП") may stand in any case
    return _span(doc, m, end, entity_id, entities[entity_id].kind, entities[entity_id].label_uk, case, "organization")


def _gender(noun_lemma: str) -> str:
    """The gender of a noun from its dictionary form (a plural form's reading does not say it): особа → femn."""
    for _, pos, tags in readings(noun_lemma):
        if pos == "NOUN" and "nomn" in tags:
            found = next((g for g in ("masc", "femn", "neut") if g in tags), None)
            if found:
                return found
    return "masc"


def _noun_reading(token):
    """The token's noun reading, singular when it has one ("ради": рада, not the plural)."""
    nouns = [r for r in token.readings if r[1] == "NOUN"]
    return next((r for r in nouns if "plur" not in r[2]), nouns[0] if nouns else None)


def _nominative(tokens) -> str:
    """A lower-case phrase in the nominative: its head noun's lemma, the adjectives before it agreeing, the words
    after it (its genitive complements) as written: "селищної ради" → "селищна рада", "міністерства оборони" →
    "міністерство оборони"."""
    head = next((k for k, t in enumerate(tokens) if t.pos == "NOUN"), 0)
    adjectives = [t for t in tokens[:head] if t.pos == "ADJF"]
    if adjectives and all("plur" in r[2] for t in adjectives for r in t.readings if r[1] == "ADJF"):
        words = [_inflected(t, {"nomn", "plur"}) for t in tokens[:head + 1]]  # "Збройні Сили": plural
    else:
        noun = _noun_reading(tokens[head])
        lemmas = [*(t.lemma for t in tokens[:head]), noun[0] if noun else tokens[head].lemma]
        words = _agreed(tokens[:head + 1], lemmas)
    return " ".join([*words, *(t.text for t in tokens[head + 1:])]).lower()


def _inflected(token, grammemes: set[str]) -> str:
    """The token's word in the given form, by its reading of the same part of speech; as written if none."""
    for parse in morph().parse(normalize(token.text)):
        if parse.tag.POS == token.pos:
            form = parse.inflect(grammemes)
            if form:
                return form.word
    return token.text


def _agreed(tokens, lemmas: list[str]) -> list[str]:
    """The adjectives before the head noun of a name made to agree with it: "Старовижівський райрада" →
    "Старовижівська райрада"."""
    head = next((k for k, t in enumerate(tokens) if t.pos == "NOUN"), None)
    if head is None:
        return list(lemmas)
    noun = _noun_reading(tokens[head])
    out = list(lemmas)
    for k in range(head):
        if tokens[k].pos == "ADJF" and noun is not None:
            word = _agree_nominative(tokens[k], noun)
            out[k] = word[:1].upper() + word[1:] if tokens[k].text[:1].isupper() else word
    return out


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


def _spaced(tokens, words: list[str]) -> str:
    """Words joined as their tokens stand in the text: no space where the tokens touch ("«Техпром»")."""
    out = []
    for k, (token, word) in enumerate(zip(tokens, words)):
        if k and token.start > tokens[k - 1].end:
            out.append(" ")
        out.append(word)
    return "".join(out)


def _state_named_in(tokens, lex) -> str | None:
    """A state a word of the name names ("Антимонопольний комітет України")."""
    for token in tokens:
        for lemma_ in word_lemmas(token.text):
            for phrase in lex.phrases.get(lemma_, ()):
                entity = lex.entity(phrase.target)
                if len(phrase.words) == 1 and phrase.via == "name" and entity and entity.kind == "State":
                    return entity.id
    return None


def _official(doc, role: Mention, office: Mention, entities, lex) -> Mention:
    """"директора КВП «Тепломережа»" → an official of that organization the text does not name, of its state."""
    tokens = doc.sentences[role.sentence].tokens
    head = tokens[role.first]
    title = " ".join([head.lemma, *(t.text.lower() for t in tokens[role.first + 1:role.last])])
    organization = entities.get(office.actor) or lex.entity(office.actor)
    label = f"{title} {office.text}"
    entity_id = f"{mint_id(title + ' ' + office.actor)}-{doc.item.id}"
    entities.setdefault(entity_id, Entity(entity_id, "Person", label, country=organization.country))
    return _span(doc, role, office, entity_id, "Person", label, role.case, "role")


def _agree_nominative(adjective_token, noun_reading) -> str:
    return _agree(adjective_token.text, adjective_token.lemma, noun_reading[0], frozenset(noun_reading[2]))


@lru_cache(maxsize=20_000)
def _agree(adjective: str, adjective_lemma: str, noun_lemma: str, noun_tags: frozenset) -> str:
    number = "plur" if "plur" in noun_tags else next(
        (g for g in ("masc", "femn", "neut") if g in noun_tags), None) or _gender(noun_lemma)
    for parse in morph().parse(normalize(adjective)):
        if parse.tag.POS == "ADJF":
            inflected = parse.inflect({"nomn", number})  # the dictionary marks an adjective's gender, not "sing"
            if inflected:
                return inflected.word
            return parse.normal_form
    return adjective_lemma


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
