"""Resolve mentions to entities: compose role phrases, institutions and classifiers with the names beside them,
mint stable ids for names the lexicon does not know, and record the offices the text states.

"Польський прем'єр-міністр Дональд Туск" → one Person mention (donald-tusk) and a holds_office relation to Poland;
"Лідер Північної Кореї" → the leader the lexicon knows for North Korea; "посольство США" → an embassy of the USA.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kg.ids import mint_id
from kg.lexicon import Lexicon, load
from kg.model import ACTOR_KINDS, CASES, ENTITY_KINDS, Doc, Entity, Mention, Relation
from kg.organizations import OPENING_QUOTES, closing_quote, resolve_names
from kg.phrases import agree_nominative, genitive, is_state, nominative, noun_reading, portfolio, span
from kg.text import lemma

__all__ = ["ItemContext", "link", "mint_id"]

OFFICE_CONFIDENCE = 0.9


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
        if m.first > 0 and "loct" in m.case and lex.preposition(tokens[m.first - 1].text) in places and m.actor:
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


def _link_sentence(doc, index, mentions, lex, entities, context: "ItemContext"):
    persons_by_surname, role_holders = context.persons_by_surname, context.role_holders
    tokens = doc.sentences[index].tokens
    out: list[Mention] = []
    relations: list[Relation] = []
    sentence = doc.sentences[index]
    used = set()

    mentions = resolve_names(doc, mentions, lex, entities, context)

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
            elif state is not None and j + 1 < len(mentions) and mentions[j].kind == "Location" and \
                    _place_after(tokens, last, mentions[j], lex) and _adjacent(mentions[j], mentions[j + 1]) and \
                    mentions[j + 1].kind in ("Person", "Name"):  # "начальник управління Держпраці у Львівській
                person = _person(doc, mentions[j + 1], lex, entities, persons_by_surname)  # області Ігор Росипайло"
                j += 2
            first = prefix_state or m
            end_m = mentions[j - 1]
            if person is not None:
                holder_country = state.actor if state else (lex.entity(person.actor).country
                                                            if lex.entity(person.actor) else None)
                if holder_country:
                    relation("holds_office", person.actor, holder_country, role=m.role)
                    minted = entities.get(person.actor)
                    if minted is not None and minted.country is None:  # an official of a state body is of that state
                        office = _entity(entities, lex, holder_country)
                        country = holder_country if office and office.kind == "State" else (office.country if office
                                                                                            else None)
                        entities[person.actor] = replace(minted, country=country)
                case = (m.case & person.case) or m.case
                phrase = span(doc, first, end_m, person.actor, "Person", person.lemma, case, "role")
                out.append(_headed_by_noun_before(doc, phrase, out))  # "заступник начальника відділу … Павленко"
                role_holders[_role_key(m, tokens, lex)] = (person.actor, person.lemma)
            elif state is not None:
                holders = lex.holders.get((m.role, state.actor), [])
                if len(holders) == 1:
                    relation("holds_office", holders[0], state.actor, role=m.role)
                    ent = lex.entity(holders[0])
                    out.append(span(doc, first, end_m, holders[0], "Person", ent.label_uk, m.case, "role"))
                    role_holders[_role_key(m, tokens, lex)] = (holders[0], ent.label_uk)
                elif state.kind != "State" and m.role not in lex.cue_words("speaks_for") and \
                        _entity(entities, lex, state.actor):
                    official = _official(doc, m, state, entities, lex)  # "директора КВП «Тепломережа»"
                    relation("holds_office", official.actor, state.actor, role=m.role)
                    out.append(official)
                else:  # an office holder the lexicon cannot name: the office acts for its state
                    out.append(span(doc, first, end_m, state.actor, state.kind, state.lemma, m.case, "role"))
            elif _role_key(m, tokens, lex) in role_holders:  # "Прем'єр заявив" after "Прем'єр-міністр Японії …"
                actor, label = role_holders[_role_key(m, tokens, lex)]
                out.append(span(doc, m, m, actor, "Person", label, m.case, "role"))
            i = j
            continue
        if m.via == "institution":
            j = i + 1
            state = prefix_state
            complement = portfolio(tokens, m.last, mentions[j].first if j < len(mentions) else len(tokens))
            if state is None and j < len(mentions) and mentions[j].first == m.last + len(complement) \
                    and is_state(mentions[j]) and "gent" in mentions[j].case:
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
                    out.append(span(doc, first, end_m, state_id, "State", home.label_uk, m.case, "institution"))
                else:  # "посольство США", "міністерство аграрної політики": one id per (institution, portfolio, state)
                    phrase = [*tokens[m.first:m.last], *complement]  # "оборони" in "міністерство оборони"
                    name = nominative(phrase)  # "селищної ради" → "селищна рада"
                    entity_id = mint_id(f"{name} {state_id}")
                    if m.role == "Person":  # "прокурор", "слідчі": unnamed officials of one item, not of every item
                        entity_id = f"{entity_id}-{doc.item.id}"
                    label = f"{name} {genitive(home.label_uk)}"
                    entities.setdefault(entity_id, Entity(entity_id, m.role, label, country=state_id))
                    mention = span(doc, first, end_m, entity_id, m.role, label, m.case, "institution")
                    if state is None and complement:
                        mention = replace(mention, last=m.last + len(complement), end=complement[-1].end,
                                          text=doc.item.text[mention.start:complement[-1].end])
                    out.append(mention)
            i = j
            continue
        if m.via == "classifier":  # "британська компанія «Krederi ltd»": of the state its adjective names
            nm = nxt(i)
            if nm and nm.first - m.last <= 1 and nm.kind in ("Name", "Person", "Location") \
                    and not nm.actor and nm.first >= m.last and not (m.role == "Location" and nm.kind == "Person"):
                quoted = nm.first > 0 and tokens[nm.first - 1].text in OPENING_QUOTES
                name = nm.text if quoted else nm.lemma  # a quoted name does not decline: «Альфа» stays
                entity_id = mint_id(name)
                country = prefix_state.actor if prefix_state else None
                known = entities.get(entity_id)
                if known is None or (known.country is None and country):
                    entities[entity_id] = Entity(entity_id, m.role, name, country=country)
                end = nm
                if quoted:  # and its closing quote
                    last = closing_quote(tokens, nm.last)
                    end = replace(nm, last=last, end=tokens[last - 1].end)
                out.append(span(doc, prefix_state or m, end, entity_id, m.role, name, m.case, "classifier"))
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
            named, end_k = (out[k + 1], k + 1) if k + 1 < len(out) else (None, k)
            if named is not None and named.kind == "Location" and k + 2 < len(out) and \
                    _place_after(tokens, m, named, lex):  # "начальник управління Держпраці в області Ігор Росипайло"
                named, end_k = out[k + 2], k + 2
                placed = True
            else:
                placed = False
            phrase = _official_phrase(doc, m, entities, earlier, lex)
            if phrase and named is not None and named.kind == "Person" and \
                    (named.first == m.last or placed and named.first == out[k + 1].last) \
                    and named.actor in entities and named.actor.startswith("m-") \
                    and not named.actor.endswith(f"-{doc.item.id}"):  # minted from a name, not an unnamed one
                # "заступник начальника відділу АМКУ Андрій Павленко": the official is the person named
                first, _, _, cases, _, _, country = phrase
                official = entities[named.actor]
                if official.country is None:
                    entities[named.actor] = replace(official, country=country)
                relation("employed_by", named.actor, m.actor)
                start = tokens[first].start
                out[k] = replace(named, first=first, start=start, text=doc.item.text[start:named.end], case=cases)
                for j in range(k + 1, end_k + 1):
                    out[j] = None
            elif phrase:
                person = _person_of_state(doc, m, entities, earlier, lex)
                relation("employed_by", person.actor, m.actor)
                out[k] = person
            else:
                out[k] = _unit_of(doc, m, earlier, lex) or m
    out = [m for m in out if m is not None]
    for n, m in enumerate(out):
        found = _employer_in_apposition(doc, m, out, entities, lex)
        if found is not None:  # "спеціалісту відділу … ГУ Держгеокадастру у … області Олександру Тютюннику"
            body, first = found
            entities[m.actor] = replace(entities[m.actor], country=_entity(entities, lex, body.actor).country)
            relation("employed_by", m.actor, body.actor)
            start = tokens[first].start  # the person is the whole phrase, title and all
            out[n] = replace(m, first=first, start=start, text=doc.item.text[start:m.end],
                             case=(m.case & tokens[first].cases()) or m.case)
    spans = [(m.first, m.last) for m in out if m.actor]
    return [m for m in out if m.actor or not any(a <= m.first and m.last <= b for a, b in spans)], relations


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
    last = closing_quote(tokens, m.last) if k < m.first - 1 else m.last
    end = tokens[last - 1].end
    return replace(m, first=first, last=last, start=start, end=end, text=doc.item.text[start:end], case=cases,
                   via="unit")


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
    adjective = agree_nominative(tokens[m.first], (lemma_, pos, tags - {"plur"}))  # "норвезький студент"
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
    noun = noun_reading(tokens[classifier.first])
    adjective_word = agree_nominative(tokens[adjective.first], (noun[0], noun[1], noun[2] - {"plur"})) if noun \
        else tokens[adjective.first].lemma
    label = f"{adjective_word} {noun[0] if noun else classifier.lemma}"
    entity_id = f"{mint_id(label)}-{doc.item.id}"
    entities.setdefault(entity_id, Entity(entity_id, classifier.role, label, country=adjective.actor))
    return span(doc, adjective, classifier, entity_id, classifier.role, label, classifier.case, "adjective")


def _person_nouns(token) -> list:
    """The readings of a token that make it a common noun for a person (студент, громадянин), not a name."""
    return [r for r in token.readings if r[1] == "NOUN" and "anim" in r[2] and not r[2] & {"Name", "Surn", "Patr"}]


def _person_of_state(doc, m: Mention, entities, out: list[Mention], lex=None) -> Mention | None:
    """"громадянина Канади", "уродженця Росії" → a person of that state the text does not name; "посадових осіб
    ДП «…»" → a person of the organization's state (None when it has none)."""
    phrase = _official_phrase(doc, m, entities, out, lex)
    if phrase is None:
        return None
    first, last, end, cases, title, label, country = phrase
    entity_id = f"{mint_id(title + ' ' + m.actor)}-{doc.item.id}"
    entities.setdefault(entity_id, Entity(entity_id, "Person", label, country=country))
    start = doc.sentences[m.sentence].tokens[first].start
    return Mention(m.sentence, first, last, start, end, doc.item.text[start:end], "Person",
                   entity_id, label, cases, via="noun")


def _official_phrase(doc, m: Mention, entities, out: list[Mention], lex=None):
    """The words for a person before the state or organization m ("громадянина", "посадових осіб", "заступника
    головного лікаря", "начальника відділу … відділення"): (first token, last token, end offset, cases, title,
    label, country), or None when there are none or m has no state."""
    tokens = doc.sentences[m.sentence].tokens
    before = m.first - 1
    if before > 0 and tokens[before].text in OPENING_QUOTES and m.kind != "State":
        before -= 1  # "службових осіб «Укрзалізниці»"
    if m.kind != "State":
        before = _across_department(tokens, before, lex)  # "начальника відділу розслідувань обласного відділення АМКУ"
    if before < 0 or any(x.last > before and x.actor for x in out if x.sentence == m.sentence):
        return None
    noun = tokens[before]
    readings = _person_nouns(noun)
    if not readings or (noun.text[:1].isupper() and before > 0):  # capitalized only opening the sentence
        return None
    if before > 0 and lex is not None and any(f"{r[0]} {n[0]}" in lex.cue_words("not_person") for n in readings
                                              for r in tokens[before - 1].readings if r[1] == "ADJF"):
        return None  # "юридичних осіб ДПІ": legal entities, no persons
    country = m.actor if m.kind == "State" else _entity(entities, lex, m.actor).country
    if country is None:
        return None
    taken = max((x.last for x in out if x.sentence == m.sentence and x.last <= before), default=0)
    first, head = _noun_phrase_start(tokens, before, taken)
    while head - 1 >= taken and (tokens[head - 1].text[:1].islower() or head == 1) \
            and _person_nouns(tokens[head - 1]):
        first, head = _noun_phrase_start(tokens, head - 1, taken)  # "заступника головного лікаря …"
    readings = _person_nouns(tokens[head])
    cases = frozenset(g for r in readings for g in r[2] if g in CASES)
    lemma_, pos, tags = readings[0]
    title = " ".join([*(agree_nominative(t, (lemma_, pos, tags - {"plur"})) for t in tokens[first:head]),
                      lemma_, *(t.text for t in tokens[head + 1:before + 1])])
    last, end = m.last, m.end
    if before < m.first - 1:  # and its closing quote
        last = closing_quote(tokens, m.last)
        end = tokens[last - 1].end
    label = f"{title} {doc.item.text[tokens[before + 1].start:end]}" if before < m.first - 1 else f"{title} {m.text}"
    return first, last, end, cases, title, label, country


def _employer_in_apposition(doc, m: Mention, out: list[Mention], entities, lex,
                            most: int = 45) -> tuple[Mention, int] | None:
    """The body a named person works for, when the person's name stands in apposition to a long title that names it:
    a lower-case noun for a person in the same case as the name opens the title, no verb stands between, and the
    last organization of a state between them is the employer. (employer, first token of the title), or None when
    any of this fails or the person has a state already."""
    entity = entities.get(m.actor) if m.kind == "Person" and m.actor else None
    if entity is None or entity.country is not None or m.actor.endswith(f"-{doc.item.id}"):
        return None
    tokens = doc.sentences[m.sentence].tokens
    for k in range(m.first - 1, max(-1, m.first - most), -1):
        token = tokens[k]
        if token.pos in ("VERB", "GRND", "INFN") or token.text in (";", ":", "—", "–", "(", ")"):
            return None
        nouns = _person_nouns(token)
        if nouns and token.text[:1].islower() and {g for r in nouns for g in r[2]} & m.case & set(CASES) \
                and k < m.first - 1:
            bodies = [x for x in out if x.sentence == m.sentence and k < x.first and x.last <= m.first
                      and x.kind in ACTOR_KINDS - {"State", "Person"} and x.actor
                      and getattr(_entity(entities, lex, x.actor), "country", None)]
            if not bodies:
                return None
            return bodies[-1], _noun_phrase_start(tokens, k, 0)[0]  # "колишньому головному спеціалісту"
    return None


def _entity(entities, lex, entity_id: str) -> Entity | None:
    """An entity minted in this item, else the lexicon's."""
    return entities.get(entity_id) or lex.entity(entity_id)


def _place_after(tokens, m: Mention, place: Mention, lex) -> bool:
    """The place follows the organization with a preposition of place ("Держпраці в Івано-Франківській
    області")."""
    return place.first == m.last + 1 and lex.preposition(tokens[m.last].text) == lex.preposition("в")


def _across_department(tokens, k: int, lex, most: int = 8) -> int:
    """The word before the genitive chain that names a department of an organization ("відділу досліджень і
    розслідувань Луганського обласного територіального відділення"), when a person noun stands there; else k.
    The chain may hold the conjunctions of coordination (cues.tsv), not a comma."""
    joiners = {w for w in lex.cue_words("coordination") if w.isalpha()}
    j = k
    while j >= 0 and k - j < most and not _person_nouns(tokens[j]):
        token = tokens[j]
        genitive = token.pos in ("NOUN", "ADJF") and "gent" in token.cases()
        if not (genitive or token.text in joiners):
            return k
        j -= 1
    return j if j >= 0 and j != k and _person_nouns(tokens[j]) else k


def _noun_phrase_start(tokens, noun: int, taken: int) -> tuple[int, int]:
    """(first token, noun) of a noun with the lower-case adjectives before it that agree with it ("посадових
    осіб")."""
    cases = tokens[noun].cases()
    first = noun
    while first > taken and tokens[first - 1].pos == "ADJF" and tokens[first - 1].text[:1].islower() \
            and tokens[first - 1].cases() & cases:
        first -= 1
    return first, noun


def _official(doc, role: Mention, office: Mention, entities, lex) -> Mention:
    """"директора КВП «Тепломережа»" → an official of that organization the text does not name, of its state."""
    tokens = doc.sentences[role.sentence].tokens
    head = tokens[role.first]
    title = " ".join([head.lemma, *(t.text.lower() for t in tokens[role.first + 1:role.last])])
    organization = _entity(entities, lex, office.actor)
    label = f"{title} {office.text}"
    entity_id = f"{mint_id(title + ' ' + office.actor)}-{doc.item.id}"
    entities.setdefault(entity_id, Entity(entity_id, "Person", label, country=organization.country))
    return span(doc, role, office, entity_id, "Person", label, role.case, "role")
