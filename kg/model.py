"""The small values passed between pipeline stages.

Every stage is a pure function: ``read`` yields :class:`NewsItem`, ``analyze`` turns one into a
:class:`Doc`, and ``recognize``, ``link`` and ``code`` each return a new ``Doc`` with more filled in.
Offsets are always character offsets into ``NewsItem.text`` exactly as read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple


@dataclass(frozen=True)
class NewsItem:
    """One news item: its id, text and what the input said about it."""

    id: str
    text: str
    path: str = ""
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    source: str | None = None  # the outlet, e.g. "Yomiuri"
    url: str | None = None


class Token(NamedTuple):
    """A word token with its offsets into the item text and its best morphological reading.

    A named tuple rather than a dataclass: a news corpus makes millions of them.
    """

    start: int
    end: int
    text: str  # the surface exactly as in the item text
    lemma: str  # lower-case normal form
    pos: str  # pymorphy3 part of speech (NOUN, VERB, ADJF, PREP, ...), "" for punctuation/numbers
    tags: frozenset[str] = frozenset()  # grammemes of the chosen reading (nomn, gent, plur, Name, ...)
    readings: tuple[tuple[str, str, frozenset[str]], ...] = ()  # all (lemma, pos, grammemes)

    @property
    def is_upper_initial(self) -> bool:
        return self.text[:1].isupper()

    def cases(self) -> frozenset[str]:
        """Every case this token may be in, over all its readings."""
        return frozenset(g for _, _, gs in self.readings for g in gs if g in CASES)


CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct"})
ACTOR_KINDS = frozenset({
    "State", "Person", "Organization", "GovernmentBody", "ArmedForces", "IntelligenceAgency", "MediaOutlet",
    "InternationalOrganization", "ArmedGroup",
})  # the ontology's actor classes (local names)
ENTITY_KINDS = ACTOR_KINDS | {"Location", "WeaponSystem"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class Mention:
    """A span of tokens that names something: an actor, a place, a weapon system, a role phrase."""

    sentence: int  # index into Doc.sentences
    first: int  # token index of the first token in the sentence
    last: int  # token index after the last token
    start: int  # character offsets into the item text
    end: int
    text: str
    kind: str  # ontology class local name: State, Person, GovernmentBody, Location, WeaponSystem, ...
    actor: str | None = None  # entity id (lexicon id or minted), set by link
    lemma: str = ""  # nominative normal form of the whole phrase
    case: frozenset[str] = frozenset()  # grammatical cases the head may be in
    role: str | None = None  # office the phrase names (head_of_state, head_of_government, ...)
    via: str = ""  # how it was found: lexicon, demonym, adjective, metonym, role, name


@dataclass(frozen=True)
class Event:
    """One coded event: who did what to whom, and where the news says so."""

    plover: str  # PLOVER type, e.g. "AGREE"
    source: str  # entity id of the actor
    target: str | None  # entity id of the recipient, if any
    sentence: int
    start: int  # offsets of the evidence sentence in the item text
    end: int
    trigger: str  # the trigger word as written
    confidence: float
    date: str | None = None  # YYYY-MM-DD, or --MM-DD when the year is unknown
    place: str | None = None  # entity id of a Location
    mode: str = "asserted"  # asserted, planned, reported, negated, conditional
    source_text: str = ""  # surface of the actor mention
    target_text: str = ""  # surface of the recipient mention
    trigger_start: int = 0  # offset of the trigger word in the item text
    instrument: str | None = None  # entity id of a weapon system used
    attributed_to: str | None = None  # entity id of who the news says reported it ("..., — Буданов")


@dataclass(frozen=True)
class Relation:
    """A non-event fact the news states: office, membership, employment, supply, war, ..."""

    predicate: str  # holds_office, member_of, employed_by, spies_for, produces, supplies, uses,
    # at_war_with, allied_with, located_in
    subject: str
    object: str
    sentence: int
    start: int
    end: int
    confidence: float
    role: str | None = None  # for holds_office: head_of_state, head_of_government, minister, ...
    recipient: str | None = None  # for supplies: who receives the weapon system


@dataclass(frozen=True)
class Entity:
    """What an entity id resolves to: a reference row from the lexicon, or a name minted from text."""

    id: str
    kind: str  # ontology class local name
    label_uk: str
    label_en: str = ""
    wikidata: str | None = None
    country: str | None = None  # entity id of the state it belongs to
    iso3: str | None = None  # for states; "IGO" for international organizations (events.jsonl)
    aliases: tuple[str, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()  # offices the reference data knows: (role, organization id)


@dataclass(frozen=True)
class Doc:
    """A news item with its analysis; stages fill in mentions, events and relations."""

    item: NewsItem
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    entities: dict[str, Entity] = field(default_factory=dict)  # every id used above -> Entity
    surfaces: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> surface forms seen
    names: tuple[tuple[str, Mention], ...] = ()  # (NER type PERS/LOC/ORG, span) of each name, set by recognize

    def mentions_by_sentence(self) -> list[list[Mention]]:
        """The mentions of each sentence, in one pass over the doc."""
        found: list[list[Mention]] = [[] for _ in self.sentences]
        for m in self.mentions:
            found[m.sentence].append(m)
        return found

    def evolve(self, **changes) -> "Doc":
        return replace(self, **changes)
