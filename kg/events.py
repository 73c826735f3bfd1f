"""Code events and relations: trigger words (lexicon) with their arguments found by case and preposition.

Subject: the nominative actor of the trigger's clause (coordinated actors give one event each); a relative
clause's subject is its antecedent; an impersonal verb ("заарештували") takes the agent of the attribution
("..., повідомляє влада Норвегії"). Target: the first argument slot of the trigger (``з+ablt``, ``datv``,
``проти+gent`` ...) that an actor of the same clause fills. A place as target stands for its state (the place is
kept as the event's place).
"""

from __future__ import annotations

import hashlib
import re
from itertools import permutations

from kg import clauses as clause_split
from kg.lexicon import Lexicon, Trigger, load, word_lemmas
from kg.model import Doc, Event, Mention, Relation
from kg.link import ACTOR_KINDS

RECIPROCAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "FIGHT"})
PHYSICAL = frozenset({"ASSAULT", "FIGHT", "COERCE"})  # a place they target is where they happened
PREPOSITION_VARIANTS = {"із": "з", "зі": "з", "зо": "з", "у": "в", "ув": "в", "уві": "в", "ві": "в"}
VERB_POS = frozenset({"VERB", "INFN", "GRND"})
NEGATION = frozenset({"не", "ні"})


def code(doc: Doc, lexicon: Lexicon | None = None) -> Doc:
    lex = lexicon or load()
    events: list[Event] = []
    relations: list[Relation] = list(doc.relations)
    for index, sentence in enumerate(doc.sentences):
        mentions = [m for m in doc.mentions if m.sentence == index and m.actor]
        coder = _SentenceCoder(doc, index, mentions, lex)
        events.extend(coder.events())
        relations.extend(coder.relations())
    return doc.evolve(events=tuple(_dedupe(events)), relations=tuple(_dedupe(relations)))


def _dedupe(values):
    return list(dict.fromkeys(values))


def _prep(word: str) -> str:
    word = word.lower()
    return PREPOSITION_VARIANTS.get(word, word)


class _SentenceCoder:
    def __init__(self, doc: Doc, index: int, mentions: list[Mention], lex: Lexicon):
        self.doc, self.index, self.lex = doc, index, lex
        self.sentence = doc.sentences[index]
        self.tokens = self.sentence.tokens
        self.mentions = sorted(mentions, key=lambda m: (m.first, m.actor))
        self.clauses = clause_split.split(self.sentence, lex)
        self.date = _date(self.tokens, lex, doc.item.date)
        self.place = next((m.actor for m in self.mentions if m.kind == "Location" and "loct" in m.case
                           and self._prep_before(m) == "в"), None)

    # ---- mentions and clauses -------------------------------------------------------------------
    def clause_of(self, token: int) -> clause_split.Clause:
        return next((c for c in self.clauses if token in c), self.clauses[0])

    def in_clause(self, clause) -> list[Mention]:
        return [m for m in self.mentions if m.first in clause]

    def _prep_before(self, m: Mention, words: int = 1) -> str:
        start = m.first - words
        if start < 0:
            return ""
        return " ".join(_prep(t.text) for t in self.tokens[start:m.first])

    def _modifies_noun(self, m: Mention) -> bool:
        """A genitive right after a noun modifies it ("зустрічі прем'єр-міністра Кісіди"): not a subject."""
        return "gent" in m.case and m.first > 0 and self.tokens[m.first - 1].pos == "NOUN"

    def _has_prep(self, m: Mention) -> bool:
        return m.first > 0 and self.tokens[m.first - 1].pos == "PREP"

    def group(self, m: Mention, pool: list[Mention]) -> list[Mention]:
        """m and the actors coordinated with it ("Японії та США", "Литва, Латвія і Естонія")."""
        members = [m]
        others = [x for x in pool if x.first >= m.last]
        last = m
        for x in sorted(others, key=lambda x: x.first):
            between = self.tokens[last.last:x.first]
            if x.first == last.first:  # same span: a compound adjective names two states
                members.append(x)
                continue
            if between and all(t.text.lower() in {"та", "і", "й", ",", "і/або"} for t in between) and \
                    (not m.case or not x.case or m.case & x.case):
                members.append(x)
                last = x
            elif x.first > last.last:
                break
        if m.via == "adjective":  # compound adjective siblings share the span
            members += [x for x in pool if x.first == m.first and x not in members]
        return members

    def subject(self, clause, trigger: int | None = None) -> tuple[list[Mention], float]:
        """The clause's subject group, and how sure we are of it. Before the trigger first: after it, a
        nominative that may also be accusative is more likely the object ("окупанти атакували Київ")."""
        groups = self.groups(self.in_clause(clause))
        if trigger is not None:
            groups = [g for g in groups if g[0].first < trigger] + [
                g for g in groups if g[0].first > trigger and "accs" not in g[0].case]
        for relaxed in (False, True):
            for group in groups:
                head = group[0]
                if "nomn" in head.case and not self._has_prep(head) and head.kind in ACTOR_KINDS | {"Location"} \
                        and (relaxed or not self._modifies_noun(head)) and head.via != "adjective":
                    return [self._as_actor(x) for x in group], 1.0 if not relaxed else 0.8
        if clause.kind == "relative" and clause.marker is not None:
            marker = self.tokens[clause.marker]
            if "nomn" in marker.cases():
                antecedent = self._antecedent(clause.marker)
                if antecedent:
                    return [antecedent], 0.9
        sayer = self.attribution()
        if sayer and clause.kind == "main":
            return sayer, 0.7
        return [], 0.0

    def groups(self, pool: list[Mention]) -> list[list[Mention]]:
        """The mentions of a clause gathered into coordinated groups, in order."""
        found, seen = [], set()
        for m in pool:
            if id(m) in seen:
                continue
            group = self.group(m, pool)
            seen.update(id(x) for x in group)
            found.append(group)
        return found

    def _as_actor(self, m: Mention) -> Mention:
        """A place acting as a subject is its metonym ("Пхеньян заявив"), else its state."""
        if m.kind != "Location":
            return m
        actor = self.lex.metonym_for.get(m.actor)
        return _retarget(m, actor, "State") if actor else m

    def _antecedent(self, token: int) -> Mention | None:
        before = [m for m in self.mentions if m.last <= token]
        return before[-1] if before else None

    def attribution(self) -> list[Mention]:
        for clause in self.clauses:
            if clause.kind == "attribution":
                found = [m for m in self.in_clause(clause) if "nomn" in m.case and m.kind in ACTOR_KINDS]
                if found:
                    return self.group(found[0], self.in_clause(clause))
        return []

    # ---- events ---------------------------------------------------------------------------------
    def triggers(self):
        for i, token in enumerate(self.tokens):
            lemmas = {r[0] for r in token.readings}
            if token.pos == "GRND":
                lemmas.update(self.lex.gerund_verbs(token.text))
            for lemma in sorted(lemmas):
                for trigger in self.lex.triggers.get(lemma, ()):
                    words = self.lex.trigger_words[trigger]
                    span = self.tokens[i:i + len(words)]
                    if len(span) < len(words) or not all(
                            word in word_lemmas(t.text) for word, t in zip(words[1:], span[1:])):
                        continue
                    # the head decides: "ракетний удар" is a noun trigger though it starts with an adjective
                    if trigger.pos == "VERB" and token.pos not in VERB_POS:
                        continue
                    if trigger.pos == "NOUN" and not any(t.pos == "NOUN" for t in span):
                        continue
                    yield i, trigger

    def events(self) -> list[Event]:
        found = []
        seen = set()
        for i, trigger in self.triggers():
            if (i, trigger.plover) in seen:
                continue
            seen.add((i, trigger.plover))
            found.extend(self.code_trigger(i, trigger))
        return found

    def mode(self, i: int, trigger: Trigger, clause) -> str:
        """Planned, reported, negated or conditional, from the cue words that precede the trigger in its clause
        ("планують домовитися", "заперечує, що"); a future-tense trigger is planned."""
        if clause.kind == "conditional":
            return "conditional"
        before = [k for k in clause.tokens if k < i]
        governor = next((k for k in reversed(before) if self.tokens[k].pos in VERB_POS), None)
        if governor is not None and governor > 0 and self.tokens[governor - 1].text.lower() in NEGATION:
            return "negated"  # "не підтримала санкції": the complement of a negated verb did not happen either
        for k in reversed(before):
            lemmas = {r[0] for r in self.tokens[k].readings}
            if k + 1 < len(self.tokens):
                nxt = {r[0] for r in self.tokens[k + 1].readings}
                lemmas |= {f"{a} {b}" for a in lemmas for b in nxt}
            for lemma in sorted(lemmas):
                mode = self.lex.modality.get(lemma)
                if mode and lemma not in NEGATION:  # a bare "не" negates only the word after it
                    return mode
        if "futr" in self.tokens[i].tags:
            return "planned"
        return trigger.mode

    def code_trigger(self, i: int, trigger: Trigger) -> list[Event]:
        clause = self.clause_of(i)
        pool = [m for m in self.in_clause(clause)]
        subjects, sure = self.subject(clause, i)
        subject_ids = {m.actor for m in subjects}
        targets = self.fill_slots(i, trigger, [m for m in pool if m.actor not in subject_ids])
        noun = trigger.pos == "NOUN"
        genitive_source = False
        if noun and not targets:
            after = [m for m in pool if m.first == i + 1 and "gent" in m.case and m.kind in ACTOR_KINDS | {"Location"}
                     and m.actor not in subject_ids]
            if after:
                genitive = self.group(after[0], pool)
                if subjects:
                    targets = genitive
                elif after[0].via != "adjective":  # "закупівля японського озброєння": Japan is no buyer
                    subjects, sure = genitive, 0.9 if len(genitive) > 1 else 0.8
                    genitive_source = True
        if noun and trigger.slots and not targets and not genitive_source:
            return []  # a noun whose recipient the text does not give, and no actor of its own: too vague
        pairs = []
        if subjects and targets:
            pairs = [(s, t) for s in subjects for t in targets]
        elif len(subjects) > 1 and trigger.plover in RECIPROCAL:
            pairs = list(permutations(subjects, 2))
        elif subjects:
            pairs = [(s, None) for s in subjects]
        negated = i > 0 and self.tokens[i - 1].text.lower() in NEGATION
        mode = "negated" if negated else self.mode(i, trigger, clause)
        instrument = self.instrument(clause)
        sayer = self.attribution()
        events = []
        for source, target in pairs:
            if source.kind not in ACTOR_KINDS:
                continue
            place = self.place
            if target is not None and target.kind == "Location":
                target, place = self._place_target(target, trigger.plover, place)
            if target is not None and (target.kind not in ACTOR_KINDS or target.actor == source.actor):
                target = None
            confidence = round(max(0.3, 0.9 * sure - (0.1 if noun else 0.0)
                                   - (0.1 if source.actor.startswith("m-") else 0.0)), 2)
            events.append(Event(
                plover=trigger.plover, source=source.actor, target=target.actor if target else None,
                sentence=self.index, start=self.sentence.start, end=self.sentence.end,
                trigger=self.tokens[i].text, confidence=confidence, date=self.date, place=place, mode=mode,
                source_text=source.text, target_text=target.text if target else "", instrument=instrument,
                attributed_to=sayer[0].actor if sayer else None))
        return events

    def _place_target(self, target: Mention, plover: str, place: str | None) -> tuple[Mention | None, str | None]:
        """A place as a target: struck or seized, it is where the event happened and its state is the target;
        talked to or sanctioned, a capital stands for its state ("санкції проти Москви")."""
        metonym = self.lex.metonym_for.get(target.actor)
        if metonym and plover not in PHYSICAL:
            return _retarget(target, metonym, "State"), place
        entity = self.doc.entities.get(target.actor) or self.lex.entity(target.actor)
        if entity and entity.country:
            return _retarget(target, entity.country, "State"), target.actor
        return None, target.actor

    def fill_slots(self, i: int, trigger: Trigger, pool: list[Mention]) -> list[Mention]:
        heads = {id(group[0]) for group in self.groups(pool)}  # a coordinated group is judged by its first member
        candidates = sorted((m for m in pool if id(m) in heads), key=lambda m: (m.first < i, abs(m.first - i)))
        for prep, case in trigger.slots:
            words = len(prep.split()) if prep else 0
            for m in candidates:
                if m.kind not in ACTOR_KINDS | {"Location"} or case not in m.case:
                    continue
                if prep:
                    if self._prep_before(m, words) != " ".join(_prep(w) for w in prep.split()):
                        continue
                elif self._has_prep(m) or case == "nomn" or (
                        case != "gent" and "gent" in m.case and m.first - 1 != i and self._modifies_noun(m)):
                    continue  # governed by a preposition, or a genitive of another noun ("на користь Росії")
                return self.group(m, pool)
        return []

    def instrument(self, clause) -> str | None:
        if clause.kind == "relative" and clause.marker is not None and "ablt" in self.tokens[clause.marker].cases():
            before = [m for m in self.mentions if m.last <= clause.marker and m.kind == "WeaponSystem"]
            if before:
                return before[-1].actor
        for m in self.in_clause(clause):
            if m.kind != "WeaponSystem":
                continue
            before = [t for t in self.tokens[max(0, m.first - 2):m.first] if t.pos]
            if "ablt" in m.case or (before and "ablt" in before[-1].cases()):  # "ракетою «Кинджал»"
                return m.actor
        return None

    # ---- relations ------------------------------------------------------------------------------
    def relations(self) -> list[Relation]:
        found: list[Relation] = []

        def add(predicate, subject, obj, confidence=0.8, recipient=None):
            if subject and obj and subject != obj:
                found.append(Relation(predicate, subject, obj, self.index, self.sentence.start, self.sentence.end,
                                      confidence, recipient=recipient))

        for i, token in enumerate(self.tokens):
            cue = next((self.lex.relation_cues[r[0]] for r in token.readings if r[0] in self.lex.relation_cues),
                       None)
            if not cue or (i > 0 and self.tokens[i - 1].text.lower() in NEGATION):
                continue
            clause = self.clause_of(i)
            pool = self.in_clause(clause)
            if cue in ("at_war_with", "allied_with"):
                states = self._parties(i, pool)
                for a, b in permutations(states, 2):
                    if a < b:
                        add(cue, a, b)
            elif cue == "spies_for":
                beneficiaries = [m for m in pool if m.first > i and "gent" in m.case
                                 and self._prep_before(m, 2) == "на користь"]
                spy = self._person_before(i)
                for b in self.group(beneficiaries[0], pool) if beneficiaries else []:
                    add(cue, spy, b.actor, 0.6)
            elif cue in ("produces", "supplies"):
                weapons = [m for m in pool if m.kind == "WeaponSystem" and m.first > i]
                if not weapons and clause.kind == "relative" and clause.marker is not None:
                    antecedent = self._antecedent(clause.marker)  # "ракета, яку виробляє Росія"
                    weapons = [antecedent] if antecedent and antecedent.kind == "WeaponSystem" else []
                subjects, _ = self.subject(clause, i)
                if not weapons or not subjects:
                    continue
                maker = self._state_of(subjects[0])
                if cue == "produces":
                    add(cue, maker, weapons[0].actor)
                else:
                    recipients = self.fill_slots(i, Trigger("", "VERB", "", (("", "datv"), ("в", "accs"),
                                                                             ("до", "gent")), ""),
                                                 [m for m in pool if m.kind in ACTOR_KINDS])
                    for r in recipients or [None]:
                        add(cue, maker, weapons[0].actor, recipient=r.actor if r else None)
            elif cue == "employed_by":
                employers = [m for m in pool if m.first > i and "loct" in m.case and self._prep_before(m) == "в"
                             and m.kind in ACTOR_KINDS - {"Person"}]
                subjects, _ = self.subject(clause)
                if employers and subjects and subjects[0].kind == "Person":
                    add(cue, subjects[0].actor, employers[0].actor)
                    located = [m for m in pool if m.first >= employers[0].last and m.kind == "Location"
                               and self._prep_before(m) == "в"]
                    if located and employers[0].actor.startswith("m-"):
                        add("located_in", employers[0].actor, located[0].actor)
            elif cue == "member_of":
                orgs = [m for m in pool if m.first > i and m.kind in ACTOR_KINDS - {"Person"}]
                subjects, _ = self.subject(clause)
                for s in subjects:
                    if orgs:
                        add(cue, s.actor, orgs[0].actor)
        for event in self.events():
            if event.plover == "ASSAULT" and event.instrument:
                add("uses", event.source, event.instrument)
        return found

    def _parties(self, i: int, pool: list[Mention]) -> list[str]:
        """States named by the cue's compound adjective or genitive group ("війна Росії проти України")."""
        before = [m for m in pool if m.last == i and m.kind == "State"]
        if before:
            return sorted({m.actor for m in pool if m.first == before[0].first and m.kind == "State"})
        after = [m for m in pool if m.first == i + 1 and m.kind == "State"]
        if after:
            parties = {m.actor for m in self.group(after[0], pool)}
            opponent = [m for m in pool if m.first > after[0].last and self._prep_before(m) in ("проти", "з")
                        and m.kind == "State"]
            parties.update(m.actor for m in opponent[:1])
            return sorted(parties)
        return []

    def _person_before(self, i: int) -> str | None:
        before = [m for m in self.mentions if m.last <= i and m.kind == "Person"]
        return before[0].actor if before else None

    def _state_of(self, m: Mention) -> str:
        if m.kind == "State":
            return m.actor
        entity = self.doc.entities.get(m.actor) or self.lex.entity(m.actor)
        return entity.country if entity and entity.country else m.actor


def _retarget(m: Mention, actor: str, kind: str) -> Mention:
    return Mention(m.sentence, m.first, m.last, m.start, m.end, m.text, kind, actor, m.lemma, m.case, m.role, m.via)


def _date(tokens, lex: Lexicon, item_date: str | None) -> str | None:
    """The first day-and-month in the sentence, resolved against the item's date when the year is missing."""
    for k in range(len(tokens) - 1):
        if tokens[k].text.isdigit() and 1 <= int(tokens[k].text) <= 31:
            month = lex.months.get(tokens[k + 1].lemma)
            if month:
                year = tokens[k + 2].text if k + 2 < len(tokens) and re.fullmatch(r"\d{4}", tokens[k + 2].text) \
                    else (item_date[:4] if item_date else None)
                day = int(tokens[k].text)
                return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return None


def event_id(item_id: str, event: Event) -> str:
    key = f"{event.plover}|{event.source}|{event.target}|{event.start}|{event.trigger}"
    return f"{item_id}/{hashlib.sha256(key.encode()).hexdigest()[:12]}"
