"""Code events: trigger words (lexicon) with their arguments found by case and preposition.

Source: the nominative actor of the trigger's clause (coordinated actors give one event each); a relative clause's
subject is its antecedent; a passive "-но/-то" verb ("Київ було атаковано російськими ракетами") takes its
instrumental actor; an impersonal verb ("заарештували") takes the agent from the context — the state where an
arrest happened, or the state or body that reports it ("..., повідомляє влада Норвегії"). Target: the first
argument slot of the trigger (``з+ablt``, ``datv``, ``проти+gent`` ...) an actor of the same clause fills.
A deverbal noun takes its own genitive as its actor, and borrows the clause's subject only when the verb it depends
on is one of cooperation ("погодилася на співпрацю").
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from itertools import permutations
from operator import attrgetter

from kg.arguments import ARGUMENT_KINDS, VERB_POS, SentenceArguments
from kg.lexicon import Lexicon, Trigger, load, word_lemmas
from kg.model import ACTOR_KINDS, Doc, Event, Mention
from kg.namespace import plover_types
from kg.relations import ORGANIZATION_KINDS, code_relations
from kg.text import lemma as best_lemma, readings

RECIPROCAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "FIGHT"})
PHYSICAL = frozenset({"ASSAULT", "FIGHT", "COERCE"})  # a place they target is where they happened
CONTEXT_AGENT_KINDS = ACTOR_KINDS - {"Person", "MediaOutlet"}  # who may be the agent an impersonal verb omits
_TEXT = attrgetter("text")
DYADIC = frozenset({"AID", "SUPPORT", "CONSULT", "COOPERATE", "SANCTION"})  # meaningless without a recipient
# ("надав дозвіл", "підтримали резолюцію"): coded only with one, or between coordinated actors


def code(doc: Doc, lexicon: Lexicon | None = None) -> Doc:
    lex = lexicon or load()
    events: list[Event] = []
    relations = list(doc.relations)
    by_sentence = doc.mentions_by_sentence()
    for index, sentence in enumerate(doc.sentences):
        mentions = by_sentence[index]
        if not _has_cues(sentence, lex, mentions):
            continue  # no trigger, no relation cue, no organization before a place: nothing to code (most
            # sentences of a text)
        arguments = SentenceArguments(doc, index, lex, mentions)
        found = EventCoder(arguments).events()
        events.extend(found)
        relations.extend(code_relations(arguments, found))
    events = _the_case(events, doc, lex)
    used = {x for e in events for x in (e.source, e.target, e.place, e.instrument, e.attributed_to)}
    used |= {x for r in relations for x in (r.subject, r.object, r.recipient)}
    return doc.evolve(events=tuple(dict.fromkeys(events)), relations=tuple(dict.fromkeys(relations)),
                      entities=lex.complete(doc.entities, used - {None}))


def _the_case(events: list[Event], doc: Doc, lex: Lexicon) -> list[Event]:
    """An investigation told with no target after the item named a suspect is the same case ("Прокуратура підозрює
    посадових осіб «Укрзалізниці» … Провадження розслідує СБУ"): it takes the target of the item's last
    investigation or arrest before it that had one (cues.tsv ``case_word``: the words that refer to the case)."""
    case_words = lex.cue_words("case_word")
    last_target, out = None, []
    for event in events:
        if event.plover in ("INVESTIGATE", "COERCE") and event.target is not None and event.mode != "negated":
            last_target = event
        elif event.plover == "INVESTIGATE" and event.target is None and last_target is not None and \
                event.source != last_target.target and best_lemma(event.trigger) in case_words:
            event = replace(event, target=last_target.target, target_text=last_target.target_text,
                            confidence=round(max(0.3, event.confidence - 0.2), 2))
        out.append(event)
    return out


def _has_cues(sentence, lex: Lexicon, mentions: list[Mention]) -> bool:
    if any(map(lex.cue_flags.__getitem__, map(_TEXT, sentence.tokens))):  # every word of the corpus: kept in C
        return True
    places = lex.cue_words("place_preposition")
    tokens = sentence.tokens
    return any(m.kind in ORGANIZATION_KINDS and m.last + 1 < len(tokens) and lex.preposition(tokens[m.last].text)
               in places for m in mentions)  # "посольство США в Осло", "у Осло": located_in


class EventCoder:
    def __init__(self, arguments: SentenceArguments):
        self.a = arguments
        self.lex = arguments.lex
        self.tokens = arguments.tokens

    def triggers(self):
        """(token index, trigger, index of its last word) for every trigger word outside the names of actors; a multi-word trigger covers its
        tokens, and the longest triggers that match at a word are its only ones ("скасувати санкції" is no mere
        "скасувати")."""
        inside = {k for m in self.a.mentions if m.actor and m.last - m.first > 1 for k in range(m.first, m.last)}
        for i, token in enumerate(self.tokens):
            candidates = self.lex.word_triggers(token.text, token.pos)
            if not candidates or i in inside:
                continue  # no trigger, or a word of a name: "підприємство з іноземними інвестиціями"
            matched = list(self._matching(i, token, candidates))
            if matched:
                longest = max(len(self.lex.trigger_words[t]) for t, _ in matched)
                yield from ((i, t, last) for t, last in matched if len(self.lex.trigger_words[t]) == longest)

    def _matching(self, i: int, token, candidates):
        """(trigger, index of its last word) for the triggers whose words start at token i, save in a fixed phrase
        that is no event."""
        for trigger in candidates:
            if self._in_fixed_phrase(i, trigger.lemma.split()[0]):
                continue
            # the head decides: "ракетний удар" is a noun trigger though it starts with an adjective; a verb form
            # the dictionary ranks after a noun reading ("прибула": прибулий) counts when nothing governs it as a noun
            if trigger.pos == "VERB" and token.pos not in VERB_POS and not self._verb_reading(i, trigger):
                continue
            words = self.lex.trigger_words[trigger]
            if trigger.pos == "VERB" and len(words) > 1:
                last = self._verb_phrase(i, words[1:])
                if last is not None:
                    yield trigger, last
                continue
            span = self.tokens[i:i + len(words)]
            if len(span) < len(words) or not all(
                    word in word_lemmas(t.text) for word, t in zip(words[1:], span[1:])):
                continue
            if trigger.pos == "NOUN" and not any(t.pos == "NOUN" for t in span):
                continue
            yield trigger, i + len(words) - 1

    def controller(self, i: int, clause, pool) -> tuple[list[Mention], float] | None:
        """The actor of an infinitive under a verb of asking or obliging is that verb's object: "Туск закликав ЄС
        посилити санкції" — the EU would impose them (cues.tsv ``object_control``)."""
        if not infinitive(self.tokens[i]):
            return None
        control = self.lex.cue_words("object_control")
        verb = next((k for k in range(i - 1, max(-1, i - 6), -1) if self.tokens[k].pos == "VERB"), None)
        if verb is None or not control & {r[0] for r in self.tokens[verb].readings}:
            return None
        objects = [m for m in pool if verb < m.first < i and m.kind in ACTOR_KINDS and not self.a.has_prep(m)
                   and m.case & {"accs", "datv"}]
        return (self.a.group_of(objects[0]), 0.8) if objects else None

    def complement_target(self, i: int, trigger: Trigger, pool, last: int) -> list[Mention]:
        """The target of a refusal, threat or promise is the object of the infinitive it takes: "суд відмовився
        відпустити Науменка", "погрожує знищити Київ" (cues.tsv ``complement_target``)."""
        if trigger.pos != "VERB" or trigger.lemma not in self.lex.cue_words("complement_target"):
            return []
        k = last + 1
        while k < len(self.tokens) and k - last <= 3 and self.tokens[k].pos in ("ADVB", "PRCL", "NPRO") and \
                not infinitive(self.tokens[k]):
            k += 1
        if k >= len(self.tokens) or not infinitive(self.tokens[k]):
            return []
        return self.a.fill_slots(k, (("", "accs"), ("", "datv")), [m for m in pool if m.first > k], k)

    def _verb_reading(self, i: int, trigger: Trigger) -> bool:
        word = trigger.lemma.split()[0]
        before = self.tokens[i - 1] if i > 0 else None
        return any(r[1] == "VERB" and r[0] == word for r in self.tokens[i].readings) and \
            (before is None or before.pos not in ("ADJF", "PREP"))

    def _in_fixed_phrase(self, i: int, word: str) -> bool:
        """Whether the trigger word at i is part of a fixed phrase that is no event (cues.tsv ``not_trigger``):
        "за допомогою" (by means of), "визнання винуватості" (a plea, not support)."""
        for phrase in self.lex.cue_words("not_trigger"):
            words = phrase.split()
            if word not in words:
                continue
            start = i - words.index(word)
            if start >= 0 and start + len(words) <= len(self.tokens) and all(
                    w in word_lemmas(self.tokens[start + j].text) for j, w in enumerate(words)):
                return True
        return False

    def _verb_phrase(self, i: int, words) -> int | None:
        """The index of the last word of a verb phrase trigger whose other words follow its verb, each maybe after
        a dative or accusative noun or adjectives ("завдало полякам нищівної поразки", "визнав рішення
        недійсним"); None when they do not."""
        k = i + 1
        for word in words:
            skipped = 0
            while k < len(self.tokens) and word not in word_lemmas(self.tokens[k].text):
                if self.amount_word(k) and k - i <= 8:  # "призначив 25,5 тис. грн штрафу"
                    k += 1
                    continue
                if _is_preposition(word) and k - i <= 8 and self.tokens[k].pos not in VERB_POS and \
                        self.tokens[k].text not in (",", ";", ":", "—", "–"):
                    k += 1  # "засуджено в Абу-Дабі (ОАЕ) до двох років": a preposition of the verb comes later
                    continue
                if skipped >= 2 or self.tokens[k].pos not in ("ADJF", "NOUN", "NPRO") or \
                        self.tokens[k].text[:1].isupper() and self.tokens[k].pos == "NOUN":
                    return None
                if self.tokens[k].pos in ("NOUN", "NPRO") and not self.tokens[k].cases() & {"datv", "accs"}:
                    return None
                skipped += 1
                k += 1
            if k >= len(self.tokens):
                return None
            k += 1
        return k - 1

    def other_sense_object(self, i: int, trigger: Trigger) -> bool:
        """A one-word verb trigger whose direct object gives it another sense: "суд надав слідчим доступ до
        рахунків" grants access, no aid (cues.tsv ``other_sense_object``: the object and the type it rules out)."""
        if trigger.pos != "VERB" or " " in trigger.lemma:
            return False
        senses = self.lex.cues.get("other_sense_object", {})
        named = {k for m in self.a.mentions for k in range(m.first, m.last)}
        clause = self.a.clause_of(i)  # across a relative clause: "надав слідчим, які …, доступ до"
        for k in [k for k in clause.tokens if k > i][:8]:
            token = self.tokens[k]
            if token.text in (",", ";", ":", "—", "–") or token.pos in VERB_POS:
                return False
            if token.pos == "NOUN" and "accs" in token.cases() and token.text[:1].islower() and \
                    k not in named and self.tokens[k - 1].pos != "PREP":
                return senses.get(token.lemma) == trigger.plover
        return False

    def amount_word(self, k: int) -> bool:
        """A word of a sum or a number: digits, a number word (cues.tsv ``number_word``), an abbreviation (грн,
        млн) or its full stop."""
        token = self.tokens[k]
        return any(c.isdigit() for c in token.text) or token.text in (".", "$", "€") or "Abbr" in token.tags or \
            token.lemma in self.lex.cue_words("number_word")

    def events(self) -> list[Event]:
        """One event per (clause, type, source, target): a verb and its own deverbal object ("запровадили
        санкції") or a multi-word trigger and its head ("військову допомогу") are one event; the verb wins."""
        found: dict[tuple, Event] = {}
        seen = set()
        candidates = sorted(self.triggers(), key=lambda x: (x[1].pos != "VERB", x[0]))
        for i, trigger, last in candidates:
            if (i, trigger.plover) in seen:
                continue
            seen.add((i, trigger.plover))
            clause = id(self.a.clause_of(i))
            for event in self.code_trigger(i, trigger, last):
                found.setdefault((clause, event.plover, event.source, event.target), event)
        return sorted(found.values(), key=lambda e: (e.trigger_start, e.plover, e.source, e.target or ""))

    # ---- modality -------------------------------------------------------------------------------
    def mode(self, i: int, trigger: Trigger, clause) -> str:
        """negated, conditional, planned or reported, from the words of the trigger's own segment before it
        ("не підтримала санкції", "планують домовитися"); a future-tense trigger is planned."""
        if self.a.negated(i):
            return "negated"
        if clause.kind == "conditional":
            return "conditional"
        before = [k for k in clause.segment(i) if k < i]
        governor = next((k for k in reversed(before) if self.tokens[k].pos in VERB_POS), None)
        if governor is not None and self.a.negated(governor):
            return "negated"  # the complement of a negated verb did not happen either
        for k in reversed(before):
            lemmas = {r[0] for r in self.tokens[k].readings}
            if k + 1 < len(self.tokens):
                lemmas |= {f"{a} {b}" for a in lemmas for b in (r[0] for r in self.tokens[k + 1].readings)}
            for lemma in sorted(lemmas):
                mode = self.lex.modality.get(lemma)
                if mode and lemma not in self.a.negation:  # a bare "не" negates only the word after it
                    return mode
        if clause.kind == "subordinate" and clause.marker is not None and \
                self._hoped(range(max(0, clause.marker - 3), clause.marker)):
            return "conditional"  # "Маємо сподівання, що … знайдуть підтримку": hoped for, not told as done
        if "futr" in self.tokens[i].tags:
            return "planned"
        return trigger.mode

    def _hoped(self, positions) -> bool:
        """A word of hope or wish (a ``conditional`` word of modality.tsv) at one of the positions."""
        return any(self.lex.modality.get(r[0]) == "conditional" for k in positions for r in self.tokens[k].readings)

    # ---- arguments ------------------------------------------------------------------------------
    def governing_trigger(self, i: int, clause) -> Trigger | None:
        """The verb trigger a deverbal noun depends on: the nearest one before it in its clause."""
        for k in reversed([k for k in clause.tokens if k < i]):
            if self.tokens[k].pos in VERB_POS:
                for lemma in sorted({r[0] for r in self.tokens[k].readings}):
                    for trigger in self.lex.triggers.get(lemma, ()):
                        if trigger.pos == "VERB" and " " not in trigger.lemma:  # "посилити", not "посилити санкції"
                            return trigger
        return None

    def noun_arguments(self, i: int, trigger: Trigger, clause, pool, subjects, sure, targets):
        """A deverbal noun's actor and recipient: its own genitive first."""
        end = i + len(self.lex.trigger_words[trigger])
        taken = {id(t) for t in targets}
        genitive = [m for m in pool if m.first == end and "gent" in m.case and m.kind in ARGUMENT_KINDS
                    and id(m) not in taken]
        if self.in_state_of(i):  # "канадець перебуває у розшуку", "Харків опинився під обстрілом": the subject
            # suffers it; the agent is the noun's genitive ("під санкціями США") or "до кого" ("в полон до росіян")
            agents = self.a.group_of(genitive[0]) if genitive else \
                self.a.fill_slots(i, (("до", "gent"),), [m for m in pool if end < m.first <= end + 3])
            return agents, 0.7, [s for s in subjects if s.first < i], True
        adjectives = self.state_adjectives(i, pool)
        if adjectives:  # "російська атака на Київ", "польсько-українська війна": the adjective is the actor
            return adjectives, 0.8, targets, True
        fronted = self.subject_after_fronted_object(i, end, pool)
        if fronted:  # "Досудове розслідування проводить головне управління Нацполіції"
            return fronted, 0.7, targets, True
        if self.adjunct(i):  # "під час обшуку … слідчі виявили": the act the subject of the clause did then
            verb = next((k for k in clause.tokens if k > i and self.tokens[k].pos == "VERB"), None)
            if verb is not None:
                subjects, sure = self.a.subject(clause, verb)
        else:
            subjects = [s for s in subjects if s.first < i]  # a noun borrows only a subject that precedes it
        governor = self.governing_trigger(i, clause)
        borrow = governor is None or governor.plover == trigger.plover or (
            plover_types()[governor.plover]["quad"] <= 2 and plover_types()[trigger.plover]["quad"] <= 2)
        if genitive and genitive[0].via != "adjective":
            group = self.a.group_of(genitive[0])
            if borrow and subjects and not targets:  # "Японія ... для підтримки України": the genitive is the object
                return subjects, sure, group, False
            return group, 0.9 if len(group) > 1 else 0.8, targets, True
        if genitive and borrow and subjects and not targets:  # "закупівля японського озброєння"
            return subjects, sure, genitive, False
        return (subjects, sure, targets, False) if borrow else ([], 0.0, targets, False)

    def adjunct(self, i: int) -> bool:
        """The noun at i is the event of a time adjunct ("під час обшуку", "в ході розслідування"; cues.tsv
        ``time_adjunct``)."""
        for phrase in self.lex.cue_words("time_adjunct"):
            words = phrase.split()
            if i >= len(words) and all(self.tokens[i - len(words) + j].text.lower() == w for j, w in enumerate(words)):
                return True
        return False

    def in_state_of(self, i: int) -> bool:
        """The noun trigger at i names a state its clause's subject is in: a verb of being (cues.tsv
        ``patient_state``) and a preposition before it, maybe across adjectives ("перебуває у міжнародному розшуку",
        "потрапили в полон")."""
        k = i - 1
        while k >= 0 and self.tokens[k].pos == "ADJF":
            k -= 1
        if k < 1 or not any(r[1] == "PREP" for r in self.tokens[k].readings):
            return False
        states = self.lex.cue_words("patient_state")
        return any(r[0] in states for r in self.tokens[k - 1].readings if r[1] in VERB_POS)

    def subject_after_fronted_object(self, i: int, end: int, pool) -> list[Mention]:
        """A noun trigger fronted as the object of the verb right after it has that verb's subject, which follows
        the verb ("Розслідування проводить СБУ"; not "На цей договір звернула увагу …")."""
        k = i - 1
        while k >= 0 and self.tokens[k].pos in ("ADJF", "NPRO"):
            k -= 1
        if (k >= 0 and any(r[1] == "PREP" for r in self.tokens[k].readings)) or \
                "accs" not in self.tokens[end - 1].cases():
            return []
        if end >= len(self.tokens) or not any(r[1] == "VERB" and r[2] & {"pres", "past", "futr"}
                                              for r in self.tokens[end].readings):
            return []  # a finite verb ("проводить" also reads as a short infinitive)
        after = next((m for m in pool if m.first > end), None)
        if after is None or after.first > end + 3 or "nomn" not in after.case or self.a.has_prep(after) \
                or after.kind not in ACTOR_KINDS:
            return []
        return self.a.group_of(after)

    def state_adjectives(self, i: int, pool) -> list[Mention]:
        """The state adjectives right before a noun trigger, maybe across other adjectives ("російська ракетна
        атака"); a compound adjective gives each of its states."""
        k = i
        while k > 0 and i - k < 2 and self.tokens[k - 1].pos == "ADJF" and \
                not any(m.last == k for m in pool if m.via == "adjective"):
            k -= 1
        return [m for m in pool if m.via == "adjective" and m.kind == "State" and m.last == k]

    def context_agent(self, i: int, trigger: Trigger, place: str | None) -> tuple[list[Mention], float]:
        """The agent an impersonal verb leaves out: for an arrest or an investigation, the state where it
        happened; otherwise the state or body that reports it; failing both, for an arrest told in the active
        plural ("Мусаєву затримали"), the authorities of the news' home state (not for a passive: "було
        затримано" says nothing of who). A person or a news outlet reporting it is not taken for the agent."""
        if trigger.plover in ("COERCE", "INVESTIGATE") and place:
            entity = self.a.entity(place)
            if entity and entity.country:
                return [Mention(self.a.index, 0, 0, 0, 0, "", "State", entity.country)], 0.6
        sayers = [m for m in self.a.attribution if m.kind in CONTEXT_AGENT_KINDS]
        if sayers:
            return sayers, 0.7
        tags = self.tokens[i].tags
        if trigger.plover in ("COERCE", "INVESTIGATE") and "plur" in tags and "Impe" not in tags and \
                tags & {"past", "pres", "futr"} and self.lex.home_state:
            return [Mention(self.a.index, 0, 0, 0, 0, "", "State", self.lex.home_state)], 0.5
        return [], 0.0

    def code_trigger(self, i: int, trigger: Trigger, last: int) -> list[Event]:
        a = self.a
        if self.other_sense_object(i, trigger):
            return []
        clause = a.clause_of(i)
        pool = a.in_clause(clause)
        passive = trigger.pos == "VERB" and "Impe" in self.tokens[i].tags
        if passive:  # "Київ було атаковано російськими ракетами": the object is named, the agent is instrumental
            targets = a.fill_slots(i, (("", "nomn"), ("", "accs")), pool) or a.fill_slots(i, trigger.slots, pool)
            agents = [m for m in pool if "ablt" in m.case and not a.has_prep(m) and m.kind in ACTOR_KINDS]
            subjects, sure = (a.group_of(agents[0]), 0.9) if agents else ([], 0.0)
        else:
            subjects, sure = self.controller(i, clause, pool) or a.subject(clause, i)
            chosen = {id(m) for m in subjects}
            targets = a.fill_slots(i, trigger.slots, [m for m in pool if id(m) not in chosen], last) or \
                self.complement_target(i, trigger, [m for m in pool if id(m) not in chosen], last)
        if trigger.lemma in self.lex.cue_words("receive"):  # "Україна отримала від Нідерландів винищувачі"
            if not targets:
                return []
            subjects, targets, sure = targets, subjects, 0.8
        if not targets and clause.kind == "relative" and clause.marker is not None and \
                self.tokens[clause.marker].text.lower() in self.lex.cue_words("relative_place"):
            antecedent = a.antecedent(clause.marker)  # "суду, куди слідчий звернувся": the court
            if antecedent is not None and antecedent.kind in ARGUMENT_KINDS and trigger.slots:
                targets = [antecedent]
        noun = trigger.pos == "NOUN"
        own_source = False
        if noun:
            subjects, sure, targets, own_source = self.noun_arguments(i, trigger, clause, pool, subjects, sure,
                                                                      targets)
            if trigger.slots and not targets and not own_source and \
                    not (len(subjects) > 1 and self.reciprocal(trigger)):
                return []  # a noun whose recipient the text does not give, and no actor of its own: too vague
                # (but "Японія і США посилять співпрацю" is between the two)
        place = a.place
        if not subjects and clause.kind == "main" and not noun:
            subjects, sure = self.context_agent(i, trigger, place)
        pairs: list[tuple[Mention, Mention | None]] = []
        if subjects and targets:
            pairs = [(s, t) for s in subjects for t in targets]
        elif len(subjects) > 1 and self.reciprocal(trigger):
            pairs = list(permutations(subjects, 2))
        elif subjects and trigger.plover not in DYADIC and trigger.lemma not in self.lex.cue_words("needs_target"):
            # ("звернувся Лянґе" without "до кого" is speech, not a demand: cues.tsv needs_target)
            pairs = [(s, None) for s in subjects]
        mode = self.mode(i, trigger, clause)
        instrument = self.instrument(clause)
        sayer = a.attribution[0].actor if a.attribution else None
        events = []
        for source, target in pairs:
            if source.kind not in ACTOR_KINDS:
                continue
            event_place = place
            if target is not None and target.kind == "Location":
                target, event_place = a.place_target(target, trigger.plover in PHYSICAL, place)
            if target is not None and (target.kind not in ACTOR_KINDS or target.actor == source.actor):
                target = None
            confidence = round(max(0.3, 0.9 * sure - (0.1 if noun else 0.0)
                                   - (0.1 if source.actor.startswith("m-") else 0.0)), 2)
            events.append(Event(
                plover=trigger.plover, source=source.actor, target=target.actor if target else None,
                sentence=a.index, start=a.sentence.start, end=a.sentence.end, trigger=self.tokens[i].text,
                trigger_start=self.tokens[i].start, confidence=confidence, date=a.date, place=event_place,
                mode=mode, source_text=source.text, target_text=target.text if target else "",
                instrument=instrument, attributed_to=sayer if sayer != source.actor else None))
        return events

    def reciprocal(self, trigger: Trigger) -> bool:
        """Coordinated actors do it to each other: meetings, agreements, fighting, and the triggers cues.tsv names
        ``reciprocal`` whatever their type ("обмін полоненими" between Ukraine and Russia)."""
        return trigger.plover in RECIPROCAL or trigger.lemma in self.lex.cue_words("reciprocal")

    def instrument(self, clause) -> str | None:
        """The weapon system used: the antecedent of an instrumental relative word ("ракети, якою ... атакували")
        or a weapon in the instrumental ("ракетою «Кинджал»")."""
        a = self.a
        if clause.kind == "relative" and clause.marker is not None and "ablt" in self.tokens[clause.marker].cases():
            before = [m for m in a.mentions if m.last <= clause.marker and m.kind == "WeaponSystem"]
            if before:
                return before[-1].actor
        for m in a.in_clause(clause):
            if m.kind != "WeaponSystem":
                continue
            before = [t for t in self.tokens[max(0, m.first - 2):m.first] if t.pos]
            if "ablt" in m.case or (before and "ablt" in before[-1].cases()):
                return m.actor
        return None


@lru_cache(maxsize=1024)
def _is_preposition(word: str) -> bool:
    return any(pos == "PREP" for _, pos, _ in readings(word))


def infinitive(token) -> bool:
    """An infinitive, also where the dictionary forgot to tag it so ("надавати": a verb that is its own lemma and
    has no tense)."""
    return "infn" in token.tags or (token.pos == "VERB" and token.text.lower() == token.lemma
                                    and not token.tags & {"past", "pres", "futr", "impr"})
