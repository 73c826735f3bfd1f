"""Who fills which argument in one sentence: clauses, coordinated groups, subjects, argument slots, places.

A :class:`SentenceArguments` is built once per sentence and shared by the event coder (``kg.events``) and the
relation coder (``kg.relations``); it computes each clause's groups once.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from functools import cached_property

from kg import clauses as clause_split
from kg.lexicon import Lexicon
from kg.model import ACTOR_KINDS, Doc, Mention
from kg.text import readings

ARGUMENT_KINDS = ACTOR_KINDS | {"Location"}
VERB_POS = frozenset({"VERB", "INFN", "GRND"})


def retarget(m: Mention, actor: str, kind: str) -> Mention:
    return replace(m, actor=actor, kind=kind)


def _genders(label: str) -> set[str]:
    """The genders a person may have, from the nominative of their name: its first name's ("Юлія" → femn), else
    any word's; both when unknown."""
    both = {"masc", "femn"}
    found = [r for word in label.split() for r in readings(word) if "nomn" in r[2]]
    first_names = {g for r in found if "Name" in r[2] for g in r[2]} & both
    return first_names or ({g for r in found for g in r[2]} & both) or both


class SentenceArguments:
    def __init__(self, doc: Doc, index: int, lex: Lexicon, mentions: list[Mention] | None = None):
        """``mentions``: the sentence's mentions, when the caller has them at hand (else taken from the doc)."""
        self.doc, self.index, self.lex = doc, index, lex
        self.sentence = doc.sentences[index]
        self.tokens = self.sentence.tokens
        own = mentions if mentions is not None else [m for m in doc.mentions if m.sentence == index]
        self.mentions = sorted((m for m in own if m.actor), key=lambda m: (m.first, m.actor))
        objects = self.pronoun_objects()
        if objects:
            self.mentions = sorted([*self.mentions, *objects], key=lambda m: (m.first, m.actor))
        self.negation = lex.cue_words("negation")
        self._groups: dict[int, list[list[Mention]]] = {}

    def entity(self, entity_id: str):
        return self.doc.entities.get(entity_id) or self.lex.entity(entity_id)

    # ---- clauses and mentions -------------------------------------------------------------------
    @cached_property
    def clauses(self) -> list[clause_split.Clause]:
        """The sentence's clauses, split when first asked for (a sentence whose cue words code nothing never is)."""
        return clause_split.split(self.sentence, self.lex)

    def clause_of(self, token: int) -> clause_split.Clause:
        return next((c for c in self.clauses if token in c), self.clauses[0])

    def in_clause(self, clause) -> list[Mention]:
        return [m for m in self.mentions if m.first in clause]

    def prep(self, word: str) -> str:
        return self.lex.preposition(word)

    def prep_before(self, m: Mention, words: int = 1) -> str:
        """The preposition before m, over a number that counts it ("проти 300 російських компаній")."""
        end = m.first
        while end > 0 and end > m.first - 3 and self.number(end - 1):
            end -= 1
        start = end - words
        return " ".join(self.prep(t.text) for t in self.tokens[start:end]) if start >= 0 else ""

    def number(self, k: int) -> bool:
        token = self.tokens[k]
        return token.text.replace(",", "").replace(".", "").isdigit() or \
            any(r[1] == "NUMR" or r[0] in self.lex.cue_words("number_word") for r in token.readings)

    def has_prep(self, m: Mention) -> bool:
        return m.first > 0 and self.tokens[m.first - 1].pos == "PREP"

    def modifies_noun(self, m: Mention) -> bool:
        """A genitive right after a noun modifies it ("зустрічі прем'єр-міністра Кісіди"): not a subject."""
        return "gent" in m.case and m.first > 0 and self.tokens[m.first - 1].pos == "NOUN"

    def negated(self, i: int) -> bool:
        return i > 0 and self.tokens[i - 1].text.lower() in self.negation

    # ---- coordination ---------------------------------------------------------------------------
    def group(self, m: Mention, pool: list[Mention]) -> list[Mention]:
        """m and the actors coordinated with it ("Японії та США", "Литва, Латвія і Естонія")."""
        joiners = self.lex.cue_words("coordination")
        members = [x for x in pool if x.first == m.first]  # a compound adjective names several states at once
        last = m
        for x in pool:
            if x.first <= last.first:
                continue
            between = self.tokens[last.last:x.first]
            if between and all(t.text.lower() in joiners for t in between) and (
                    not m.case or not x.case or m.case & x.case):
                members += [y for y in pool if y.first == x.first]
                last = x
            elif x.first >= last.last:
                break
        return members

    def groups(self, clause) -> list[list[Mention]]:
        """The mentions of a clause gathered into coordinated groups, in order (computed once per clause)."""
        key = id(clause)
        if key not in self._groups:
            pool = self.in_clause(clause)
            found, seen = [], set()
            for m in pool:
                if id(m) not in seen:
                    group = self.group(m, pool)
                    seen.update(id(x) for x in group)
                    found.append(group)
            self._groups[key] = found
        return self._groups[key]

    def group_of(self, m: Mention) -> list[Mention]:
        for group in self.groups(self.clause_of(m.first)):
            if any(x is m for x in group):
                return group
        return [m]

    # ---- subjects -------------------------------------------------------------------------------
    def subject(self, clause, trigger: int | None = None) -> tuple[list[Mention], float]:
        """The clause's subject group, and how sure we are of it.

        A nominative relative word stands for its antecedent ("Туреччина, яка є членом НАТО"). Otherwise the
        nominative group nearest before the trigger; after it, only one that cannot be the accusative object
        ("Київ атакували" leaves Київ as the object)."""
        if clause.kind == "relative" and clause.marker is not None and "nomn" in self.tokens[clause.marker].cases():
            antecedent = self.antecedent(clause.marker)
            if antecedent:
                return self.group_of(antecedent), 0.9
        groups = self.groups(clause)
        if trigger is not None:
            groups = [g for g in reversed(groups) if g[0].first < trigger] + [
                g for g in groups if g[0].first > trigger and "accs" not in g[0].case]
        for relaxed in (False, True):
            for group in groups:
                head = group[0]
                if ("nomn" in head.case or self.counted(head)) and not self.has_prep(head) \
                        and head.kind in ARGUMENT_KINDS \
                        and (relaxed or not self.modifies_noun(head)) and not self.bare_adjective(head):
                    if self.as_actor(head).kind == "Location" and self.apposition(head):
                        continue  # "райсуд м. Дніпро призначив": the court's city, not the subject
                    return [self.as_actor(x) for x in group], 1.0 if not relaxed else 0.8
        pronoun = self.pronoun_subject(clause, trigger)
        if pronoun:
            return [pronoun], 0.7
        if clause.kind == "subordinate" and clause.parent is not None and trigger is not None and \
                clause.marker is not None and self.tokens[trigger].pos == "VERB" and not any(
                    self.tokens[k].pos in ("NOUN", "NPRO") and "nomn" in self.tokens[k].cases()
                    for k in clause.tokens if clause.marker < k < trigger):  # "що податківка може знищити": its own
            # "Японія заявила, що надасть Україні допомогу": the subject of the clause it depends on, if the verb
            # agrees with it
            found, sure = self.subject(clause.parent, clause.marker)
            if found and self.agrees(self.tokens[trigger], found):
                return found, min(sure, 0.7)
        return [], 0.0

    def agrees(self, verb, subject: list[Mention]) -> bool:
        """A finite verb agrees in number (and, in the past, gender) with the subject group."""
        tags = verb.tags
        plural = len(subject) > 1 or "plur" in subject[0].case or any(
            "plur" in r[2] for r in self.tokens[subject[0].last - 1].readings[:1])
        if ("plur" in tags) != plural:
            return False
        if "past" in tags and not plural:
            genders = {g for r in self.tokens[subject[0].last - 1].readings for g in r[2]} & {"masc", "femn", "neut"}
            wanted = tags & {"masc", "femn", "neut"}
            return not genders or not wanted or bool(genders & wanted)
        return True

    def apposition(self, m: Mention) -> bool:
        """A place right after another mention, maybe after its classifier ("райсуд м. Дніпро"), names where that
        one is."""
        before = [x for x in self.mentions if x.last <= m.first and x.kind != "Location"]
        if not before:
            return False
        between = self.tokens[before[-1].last:m.first]
        return len(between) <= 2 and all(t.text == "." or "Abbr" in t.tags or t.pos == "NOUN" and t.text.islower()
                                          for t in between)

    def counted(self, m: Mention) -> bool:
        """A genitive counted by a numeral that no preposition governs is a subject: "Двоє литовців потрапили",
        "20 тис. татар розбили"."""
        k = m.first - 1
        while k >= 0 and (self.tokens[k].pos == "ADJF" or self.tokens[k].text in "."):
            k -= 1  # "20 тис. кримських татар"
        if k < 0 or "gent" not in m.case:
            return False
        token = self.tokens[k]  # a numeral that reads as a nominative ("двоє", not "двох": "двох литовців затримали")
        numeral = token.text.isdigit() or any(
            (r[1] == "NUMR" or r[0] in self.lex.cue_words("number_word")) and "nomn" in r[2] for r in token.readings)
        before = self.tokens[k - 1] if k > 0 else None
        return numeral and not (before is not None and before.pos == "PREP")

    def pronoun_subject(self, clause, trigger: int | None) -> Mention | None:
        """"він погрожував …": a personal pronoun subject before the trigger stands for the last person of the
        same gender named in this or the two sentences before, one in the nominative first (cues.tsv ``pronoun``:
        він → masc, вона → femn)."""
        pronouns = self.lex.cues.get("pronoun", {})
        for k in clause.tokens:
            if trigger is not None and k >= trigger:
                break
            gender = pronouns.get(self.tokens[k].text.lower())
            if gender:
                person = self.last_person(k, gender)
                return self.pronoun_mention(person, k, frozenset({"nomn"})) if person else None
        return None

    def pronoun_mention(self, person: Mention, k: int, cases: frozenset[str]) -> Mention:
        """The pronoun at token k as a mention of the person it stands for."""
        token = self.tokens[k]
        return replace(person, sentence=self.index, first=k, last=k + 1, start=token.start, end=token.end,
                       text=token.text, case=cases, via="pronoun")

    def pronoun_objects(self) -> list[Mention]:
        """Personal pronouns as objects ("призначив йому штраф", "затримали її") stand for the last person of their
        gender, when no thing of that gender stands between to be meant instead and the pronoun is no possessive
        before a noun ("його арешт") (cues.tsv ``object_pronoun``)."""
        pronouns = self.lex.cues.get("object_pronoun", {})
        found = []
        for k, token in enumerate(self.tokens):
            if token.pos not in ("NPRO", "NOUN"):  # ("його" reads as a noun first)
                continue
            gender = pronouns.get(token.text.lower())
            if not gender or "gent" in token.cases() and k + 1 < len(self.tokens) and \
                    self.tokens[k + 1].pos in ("NOUN", "ADJF"):
                continue  # "його арешт": whose, not whom
            person = self.last_person(k, gender)
            if person is None or self.thing_between(person, k, gender):
                continue
            found.append(self.pronoun_mention(person, k, frozenset(token.cases() & {"gent", "datv", "accs", "ablt",
                                                                                    "loct"})))
        return found

    def thing_between(self, person: Mention, k: int, gender: str) -> bool:
        """A singular noun for a thing of the pronoun's gender (or neuter, for the masculine) stands between the
        person and the pronoun at k."""
        genders = {"masc", "neut"} if gender == "masc" else {gender}
        spans = [range(m.first, m.last) for m in self.doc.mentions if m.sentence == self.index]
        start = person.last if person.sentence == self.index else 0
        for j in range(start, k):
            token = self.tokens[j]
            if token.pos == "NOUN" and not any(j in r for r in spans) and any(
                    r[1] == "NOUN" and "inan" in r[2] and "sing" not in r[2] and "plur" not in r[2] and r[2] & genders
                    for r in token.readings[:1]):
                return True
        return False

    def last_person(self, before: int, gender: str) -> Mention | None:
        by_sentence = self.doc.mentions_by_sentence()
        for index in range(self.index, max(-1, self.index - 3), -1):
            found = [m for m in by_sentence[index] if m.kind == "Person" and m.actor
                     and (index < self.index or m.last <= before)]
            found.sort(key=lambda m: "nomn" in m.case)  # a subject before the others: tried last-first below
            for m in reversed(found):
                entity = self.entity(m.actor)
                if gender in _genders(entity.label_uk if entity else m.lemma):
                    return m
        return None

    @staticmethod
    def bare_adjective(m: Mention) -> bool:
        """A state adjective alone ("Російська" in "Російська атака") is no subject; "Польські вояки" is."""
        return m.via == "adjective" and m.kind == "State"

    def as_actor(self, m: Mention) -> Mention:
        """A place acting as a subject is its metonym ("Пхеньян заявив")."""
        if m.kind != "Location":
            return m
        actor = self.lex.metonym_for.get(m.actor)
        return retarget(m, actor, "State") if actor else m

    def antecedent(self, token: int) -> Mention | None:
        before = [m for m in self.mentions if m.last <= token]
        return before[-1] if before else None

    @cached_property
    def attribution(self) -> list[Mention]:
        """Who the sentence says reported it ("..., повідомляє влада Норвегії", "..., — Буданов")."""
        for clause in self.clauses:
            if clause.kind == "attribution":  # "За словами Зеленського": the genitive is the source too; a Latin
                opened = clause_split.opened_by_phrase(self.tokens, clause.tokens, self.lex)  # name has no case
                found = [m for m in self.in_clause(clause) if ("nomn" in m.case or not m.case or opened)
                         and m.kind in ACTOR_KINDS]
                if found:
                    return self.group_of(found[0])
        return []

    # ---- slots, places, dates -------------------------------------------------------------------
    def fill_slots(self, i: int, slots, pool: list[Mention], last: int | None = None) -> list[Mention]:
        """The first group of ``pool`` that fills one of ``slots`` ((preposition, case) pairs, in order), judged by
        the group's first member; nearest after the trigger first. ``last``: the trigger's last word, when it has
        several ("оголосила персоною нон грата")."""
        last = i if last is None else last
        allowed = {id(m) for m in pool}
        heads = [g[0] for g in self.groups(self.clause_of(i)) if id(g[0]) in allowed]
        candidates = sorted(heads, key=lambda m: (m.first < i, abs(m.first - i)))
        for prep, case in slots:
            words = len(prep.split()) if prep else 0
            for m in candidates:
                if m.kind not in ARGUMENT_KINDS or case not in m.case or m.first < i and self.subject_between(m, i):
                    continue  # (an object before its verb, "Україну підтримала Японія", but not across another
                    # subject: "Суд скасував рішення, і Мусаєва отримала змогу знищити документи")
                if prep:
                    if self.prep_before(m, words) != " ".join(self.prep(w) for w in prep.split()):
                        continue
                elif self.has_prep(m) or case == "nomn" or (
                        case != "gent" and "gent" in m.case and m.first - 1 not in (i, last)
                        and self.modifies_noun(m) and not (case == "datv" and self.after_object(m, last))):
                    continue  # governed by a preposition, or a genitive of another noun ("на користь Росії")
                return [x for x in self.group_of(m) if id(x) in allowed]
            if case == "accs" and not prep:
                author = self.author_of_document(i, candidates)
                if author is not None and author.sentence != self.index:
                    return [author]  # "це рішення": the author named in an earlier sentence
                if author is not None:
                    return [x for x in self.group_of(author) if id(x) in allowed]
            elif prep and " " not in prep:
                owner = self.owner_of_object(last, prep, case, candidates)
                if owner is not None:
                    return [x for x in self.group_of(owner) if id(x) in allowed]
        return []

    def subject_between(self, m: Mention, i: int) -> bool:
        """Another nominative actor, not coordinated with m, stands between m and token i."""
        group = {id(x) for x in self.group_of(m)}
        return any(m.last <= x.first and x.last <= i and id(x) not in group and "nomn" in x.case
                   and x.kind in ARGUMENT_KINDS and not self.has_prep(x) for x in self.mentions)

    def owner_of_object(self, last: int, prep: str, case: str, candidates: list[Mention]) -> Mention | None:
        """A slot filled by a thing the text says whose it is stands for its owner: "удари по енергетичній
        інфраструктурі України", "атака на енергосистему України" → Україна."""
        wanted = self.prep(prep)
        for m in candidates:
            n = m.first - 1
            if n <= last or "gent" not in m.case or m.kind not in ARGUMENT_KINDS:
                continue
            noun = self.tokens[n]
            if noun.pos != "NOUN" or case not in noun.cases() or noun.text[:1].isupper():
                continue
            j = n
            while j - 1 > last and self.tokens[j - 1].pos == "ADJF":
                j -= 1
            if j - 1 > last and j - 1 - last <= 2 and self.prep(self.tokens[j - 1].text) == wanted:
                return m
        return None

    def after_object(self, m: Mention, last: int) -> bool:
        """m follows the trigger's own accusative object: "постачають дрони Росії" gives to Russia (a dative
        after the object, not Russia's drones)."""
        noun = self.tokens[m.first - 1]
        return m.first - 1 == last + 1 and "accs" in noun.cases() and \
            not any("anim" in r[2] for r in noun.readings if r[1] == "NOUN")

    def author_of_document(self, i: int, candidates: list[Mention]) -> Mention | None:
        """A trigger whose object is a thing stands for whose it is: "скасував ухвалу Печерського районного суду",
        "засудило удари Росії", "атакував позиції Хезболли", "підтримала позицію України" → the court, Russia,
        Hezbollah, Ukraine; a document named with a demonstrative, for its author named before (cues.tsv
        ``document``)."""
        documents = self.lex.cue_words("document")
        for k in range(i + 1, min(len(self.tokens), i + 4)):
            token = self.tokens[k]
            if token.pos == "NOUN" and "accs" in token.cases() and token.text[:1].islower():
                return next((m for m in candidates if m.first == k + 1 and "gent" in m.case
                             and m.kind in ARGUMENT_KINDS), None) or (
                    self.earlier_author(k) if token.lemma in documents else None)
            if token.pos not in ("ADJF", "ADVB", "NPRO"):
                break
        k = i - 1  # fronted: "це рішення оскаржила обласна прокуратура"
        if k >= 1 and self.tokens[k].pos == "NOUN" and self.tokens[k].lemma in documents and \
                "accs" in self.tokens[k].cases():
            return self.earlier_author(k)
        return None

    def earlier_author(self, k: int) -> Mention | None:
        """A document named with a demonstrative ("це рішення", "цю ухвалу") is the one of that name whose author
        the item gave before, in this sentence or the three before it (cues.tsv ``demonstrative``)."""
        if k == 0 or self.tokens[k - 1].text.lower() not in self.lex.cue_words("demonstrative"):
            return None
        lemma_ = self.tokens[k].lemma
        by_sentence = self.doc.mentions_by_sentence()
        for index in range(self.index, max(-1, self.index - 4), -1):
            tokens = self.doc.sentences[index].tokens
            end = k - 1 if index == self.index else len(tokens)
            for j in range(end - 1, -1, -1):
                if tokens[j].lemma == lemma_:
                    author = next((m for m in by_sentence[index] if m.first == j + 1 and "gent" in m.case
                                   and m.kind in ARGUMENT_KINDS), None)
                    if author is not None:
                        return author
        return None

    @cached_property
    def place(self) -> str | None:
        """Where the sentence says things happened: a place after "в/у" in the locative."""
        return next((m.actor for m in self.mentions if self.locative(m)), None)

    def locative(self, m: Mention) -> bool:
        """A place after a preposition of place, in the locative ("у Вашингтоні")."""
        return m.kind == "Location" and "loct" in m.case and \
            self.prep_before(m) in self.lex.cue_words("place_preposition")

    @cached_property
    def date(self) -> str | None:
        """When the sentence says it happened: "10 квітня" (resolved against the item's date, "--04-10" without one),
        "10 квітня 2024", "у грудні минулого року" (a month: "2023-12"), "вчора" (the item's date minus a day)."""
        return self._day_month() or self._month() or self._relative_day()

    def _item_day(self) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.doc.item.date) if self.doc.item.date else None
        except ValueError:
            return None

    def _year_after(self, k: int) -> int | None:
        """An explicit year ("2024", "2024 року") or a relative one ("минулого року") right after token k."""
        item_day = self._item_day()
        following = self.tokens[k + 1:k + 3]
        if following and following[0].text.isdigit() and len(following[0].text) == 4:
            return int(following[0].text)
        year_words = self.lex.cue_words("year")
        if len(following) == 2 and item_day and {r[0] for r in following[1].readings} & year_words:
            shifts = self.lex.cues.get("relative_year", {})
            for lemma in sorted({r[0] for r in following[0].readings} & set(shifts)):
                return item_day.year + int(shifts[lemma])
        return None

    def _month_at(self, k: int) -> int | None:
        """The month a token names, by its form or by any of its noun readings ("грудні" → грудень)."""
        token = self.tokens[k]
        found = self.lex.months.get(token.text.lower())
        if found is None:
            found = next((self.lex.months[lem] for lem, pos, _ in token.readings
                          if pos == "NOUN" and lem in self.lex.months), None)
        return found

    def _day_month(self) -> str | None:
        tokens, item_day = self.tokens, self._item_day()
        for k in range(len(tokens) - 1):
            if not (tokens[k].text.isdigit() and len(tokens[k].text) <= 2):
                continue
            month = self._month_at(k + 1)
            if not month:
                continue
            day = int(tokens[k].text)
            year = self._year_after(k + 1) or (item_day.year if item_day else None)
            try:
                datetime.date(year or 2000, month, day)  # 2000 is a leap year: --02-29 is a valid month-day
            except ValueError:
                continue
            return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        return None

    def _month(self) -> str | None:
        """A month with a year the text gives or implies ("у грудні минулого року", "наприкінці листопада 2023")."""
        item_day = self._item_day()
        for k, token in enumerate(self.tokens):
            month = self._month_at(k)
            if not month or (k > 0 and self.tokens[k - 1].text.isdigit()):
                continue
            year = self._year_after(k)
            if year is None and item_day:  # "у березні" in a news item of May: this year's March; "наприкінці
                future = any("futr" in t.tags for t in self.tokens)  # листопада": last year's, unless told in
                year = item_day.year if month <= item_day.month or future else item_day.year - 1  # the future
            if year:
                return f"{year:04d}-{month:02d}"
        return None

    def _relative_day(self) -> str | None:
        item_day = self._item_day()
        if item_day is None:
            return None
        weekdays, shifts = self.lex.cues.get("weekday", {}), self.lex.cues.get("relative_day", {})
        places = self.lex.cue_words("place_preposition")
        for k, token in enumerate(self.tokens):
            shift = shifts.get(token.text.lower())
            if shift is not None:
                return (item_day + datetime.timedelta(days=int(shift))).isoformat()
            weekday = weekdays.get(token.lemma)
            if weekday is not None and k > 0 and self.prep(self.tokens[k - 1].text) in places \
                    and "accs" in token.cases():  # "у середу": the last such day up to the item's date
                back = (item_day.weekday() - int(weekday)) % 7
                return (item_day - datetime.timedelta(days=back)).isoformat()
        return None

    def place_target(self, target: Mention, physical: bool, place: str | None) -> tuple[Mention | None, str | None]:
        """A place as a target: struck or seized (``physical``), it is where the event happened and its state is
        the target; talked to or sanctioned, a capital stands for its state ("санкції проти Москви")."""
        metonym = self.lex.metonym_for.get(target.actor)
        if metonym and not physical:
            return retarget(target, metonym, "State"), place
        entity = self.entity(target.actor)
        if entity and entity.country:
            return retarget(target, entity.country, "State"), target.actor
        return None, target.actor

    def state_of(self, m: Mention) -> str:
        if m.kind == "State":
            return m.actor
        entity = self.entity(m.actor)
        return entity.country if entity and entity.country else m.actor
