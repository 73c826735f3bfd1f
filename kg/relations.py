"""Code the relations a sentence states: war and alliance, espionage, production and supply of weapon systems,
employment, membership, location, and the use of a weapon in an attack.

Each cue word (``kg/lexicon/data/relations.tsv``) names the relation and where its other party is found.
"""

from __future__ import annotations

from itertools import permutations

from kg.arguments import SentenceArguments
from kg.model import ACTOR_KINDS, Event, Mention, Relation

ORGANIZATION_KINDS = ACTOR_KINDS - {"Person", "State"}


def code_relations(a: SentenceArguments, events: list[Event]) -> list[Relation]:
    found: list[Relation] = []

    def add(predicate: str, subject: str | None, obj: str | None, confidence: float = 0.8,
            recipient: str | None = None) -> None:
        if subject and obj and subject != obj:
            found.append(Relation(predicate, subject, obj, a.index, a.sentence.start, a.sentence.end, confidence,
                                  recipient=recipient))

    for i, token in enumerate(a.tokens):
        cue = a.lex.word_relation_cue(token.text)
        if cue is None or a.negated(i):
            continue
        clause = a.clause_of(i)
        pool = a.in_clause(clause)
        if cue.relation in ("at_war_with", "allied_with"):
            states = _parties(a, i, pool, cue)
            for x, y in permutations(states, 2):
                if x < y:
                    add(cue.relation, x, y)
        elif cue.relation == "spies_for":
            spy = _suspect(a, i, clause, events)
            for beneficiary in a.fill_slots(i, cue.slots, [m for m in pool if m.first > i]):
                add(cue.relation, spy, beneficiary.actor, 0.6)
        elif cue.relation in ("produces", "supplies"):
            weapons = [m for m in pool if m.kind == "WeaponSystem" and m.first > i]
            if not weapons and clause.kind == "relative" and clause.marker is not None:
                antecedent = a.antecedent(clause.marker)  # "ракета, яку виробляє Росія"
                weapons = [antecedent] if antecedent and antecedent.kind == "WeaponSystem" else []
            subjects, _ = a.subject(clause, i)
            if not weapons or not subjects:
                continue
            maker = a.state_of(subjects[0])
            if cue.relation == "produces":
                add(cue.relation, maker, weapons[0].actor)
            else:
                recipients = a.fill_slots(i, cue.slots, [m for m in pool if m.kind in ACTOR_KINDS])
                for r in recipients or [None]:
                    add(cue.relation, maker, weapons[0].actor, recipient=r.actor if r else None)
        elif cue.relation == "employed_by":
            subjects, _ = a.subject(clause, i)
            employers = a.fill_slots(i, cue.slots, [m for m in pool if m.kind in ORGANIZATION_KINDS | {"State"}])
            if employers and subjects and subjects[0].kind == "Person":
                add(cue.relation, subjects[0].actor, employers[0].actor)
        elif cue.relation == "member_of":
            subjects, _ = a.subject(clause, i)
            organizations = a.fill_slots(i, cue.slots, [m for m in pool if m.kind in ORGANIZATION_KINDS])
            for s in subjects:
                for o in organizations[:1]:
                    add(cue.relation, s.actor, o.actor)
    for m in a.mentions:  # "посольство США в Осло": an organization and the place after it
        if m.kind in ORGANIZATION_KINDS:
            place = next((x for x in a.mentions if x.first == m.last + 1 and a.locative(x)), None)
            if place:
                add("located_in", m.actor, place.actor)
    for event in events:
        if event.plover == "ASSAULT" and event.instrument and event.mode != "negated":
            add("uses", event.source, event.instrument)
    return found


def _parties(a: SentenceArguments, i: int, pool: list[Mention], cue) -> list[str]:
    """States named by the cue's compound adjective ("російсько-українська війна") or its genitive group and
    opponent ("війна Росії проти України", "воює з Росією")."""
    before = [m for m in pool if m.last == i and m.kind == "State" and m.via == "adjective"]
    if before:
        return sorted({m.actor for m in pool if m.first == before[0].first and m.kind == "State"})
    after = [m for m in pool if m.first == i + 1 and m.kind == "State" and "gent" in m.case]
    parties = {m.actor for m in a.group_of(after[0]) if m.kind == "State"} if after else set()
    subjects, _ = a.subject(a.clause_of(i), i)
    if not after and subjects:
        parties.update(a.state_of(s) for s in subjects)
    opponents = a.fill_slots(i, cue.slots, [m for m in pool if m.first > i and m.kind == "State"])
    parties.update(m.actor for m in opponents)
    return sorted(parties) if len(parties) > 1 else []


def _suspect(a: SentenceArguments, i: int, clause, events: list[Event]) -> str | None:
    """Who is suspected of spying: the person arrested or investigated in the sentence, else the nearest person
    before the cue in its own clause."""
    for event in events:
        if event.plover in ("COERCE", "INVESTIGATE") and event.target:
            entity = a.entity(event.target)
            if entity and entity.kind == "Person":
                return event.target
    before = [m for m in a.in_clause(clause) if m.last <= i and m.kind == "Person"]
    return before[-1].actor if before else None
