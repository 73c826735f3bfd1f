"""Load the language data (reference actors, forms, roles, triggers) shipped in ``kg/lexicon/data``.

Phrases are written in the data files as natural nominative text; at start-up every word is lemmatized with the
same analyzer the text goes through, so "Сполучені Штати" matches "Сполученими Штатами".
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterator

import tokenize_uk

from kg.errors import LexiconError
from kg.model import CASES, ENTITY_KINDS, Entity
from kg.text import morph, normalize, readings

@dataclass(frozen=True)
class Phrase:
    """A phrase that names an entity: lemma candidates per word, and what it names."""

    words: tuple[frozenset[str], ...]
    target: str  # entity id, or role id for role phrases, or kind for classifiers
    via: str  # name, alias, demonym, adjective, metonym, role, institution, classifier
    cased: bool  # the data spells it capitalized: the text must too


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str  # VERB or NOUN
    plover: str
    slots: tuple[tuple[str, str], ...]  # (preposition or "", case)
    mode: str


@dataclass(frozen=True)
class RelationCue:
    lemma: str
    relation: str  # at_war_with, spies_for, supplies, ...
    slots: tuple[tuple[str, str], ...]  # where the relation's other party is found


@dataclass
class Lexicon:
    entities: dict[str, Entity] = field(default_factory=dict)
    phrases: dict[str, list[Phrase]] = field(default_factory=lambda: defaultdict(list))  # first lemma -> phrases
    holders: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # (role, org) -> ids
    metonym_for: dict[str, str] = field(default_factory=dict)  # location id -> actor id
    triggers: dict[str, list[Trigger]] = field(default_factory=lambda: defaultdict(list))  # first lemma -> triggers
    trigger_words: dict[Trigger, tuple[str, ...]] = field(default_factory=dict)
    verb_triggers: tuple[str, ...] = ()  # single-word verb trigger lemmas, sorted
    modality: dict[str, str] = field(default_factory=dict)
    relation_cues: dict[str, RelationCue] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)  # month name (any case) -> number
    cues: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # kind -> word -> value
    org_forms: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (kind, owner)
    org_prefixes: tuple[tuple[str, tuple[str, str]], ...] = ()  # ("Мін", (kind, owner)) for the form "Мін-"
    _word_cache: dict[tuple[str, str], tuple] = field(default_factory=dict, repr=False)
    cue_flags: "_CueFlags" = field(init=False, repr=False)  # word -> may be a trigger or a relation cue

    def __post_init__(self) -> None:
        self.cue_flags = _CueFlags(self)

    @property
    def home_state(self) -> str | None:
        """The state a news item's unqualified institutions belong to ("суд", "уряд"): Ukraine for Ukrainian news."""
        found = self.cues.get("home_state", {})
        return next(iter(found)) if found else None

    def word_triggers(self, text: str, pos: str) -> tuple[Trigger, ...]:
        """The triggers whose first word this word may be, by any of its readings (cached per word)."""
        key = ("trigger", text)
        found = self._word_cache.get(key)
        if found is None:
            lemmas = {lemma for lemma, _, _ in readings(text)}
            if pos == "GRND":
                lemmas.update(self.gerund_verbs(text))
            found = tuple(t for lemma in sorted(lemmas) for t in self.triggers.get(lemma, ()))
            self._word_cache[key] = found
        return found

    def word_relation_cue(self, text: str) -> "RelationCue | None":
        """The relation cue this word is, by any of its readings (cached per word)."""
        key = ("relation", text)
        if key not in self._word_cache:
            self._word_cache[key] = next((self.relation_cues[lemma] for lemma, _, _ in readings(text)
                                          if lemma in self.relation_cues), None)
        return self._word_cache[key]

    def org_form(self, text: str) -> tuple[str, str] | None:
        """The (kind, owner) a word of an organization's name says, as a legal form (ДП, ТОВ, LLC), a head noun
        (служба, райрада) or an ownership adjective (державний): abbreviations and Latin forms as written, other
        words by any of their lemmas."""
        found = self.org_forms.get(text)
        if found is None:  # data lemmas are lower case, so an abbreviation never matches by its lemma ("ОДА": ода)
            found = next((self.org_forms[lemma] for lemma, _, _ in readings(text) if lemma in self.org_forms), None)
        if found is None:  # a compound abbreviation: "Мінюст", "Держпраці" (a form written "Мін-")
            found = next((form for prefix, form in self.org_prefixes
                          if text.startswith(prefix) and len(text) >= len(prefix) + 3 and text[len(prefix)].islower()
                          and not any(pos == "ADJF" for _, pos, _ in readings(text))), None)
        return found

    def preposition(self, word: str) -> str:
        """A preposition in its one spelling ("у", "ув" → "в"; "із", "зі" → "з"; "стосовно" → "щодо")."""
        word = word.lower()
        return self.cues.get("preposition_variant", {}).get(word, word)

    def cue_words(self, kind: str) -> frozenset[str]:
        key = ("cue", kind)
        found = self._word_cache.get(key)
        if found is None:
            found = self._word_cache[key] = frozenset(self.cues.get(kind, ()))
        return found

    def add_phrase(self, text: str, target: str, via: str) -> None:
        words = phrase_lemmas(text)
        if not words:
            return
        cased = text[:1].isupper()
        phrase = Phrase(words, target, via, cased)
        for first in words[0]:
            self.phrases[first].append(phrase)

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def complete(self, entities: dict[str, Entity], ids) -> dict[str, Entity]:
        """``entities`` plus every id in ``ids`` and what they refer to (states, organizations of offices)."""
        result = dict(entities)
        pending, seen = [i for i in ids if i], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            entity = result.get(current) or self.entity(current)
            if entity is not None:
                result[current] = entity
                pending.extend(ref for ref in (entity.country, *(org for _, org in entity.roles)) if ref)
        return result

    def gerund_verbs(self, word: str) -> list[str]:
        """Verb trigger lemmas a gerund may come from: the dictionary gives a gerund as its own lemma
        ("передаючи"), so its stem is matched against the stems of the trigger verbs ("передавати")."""
        word = normalize(word).lower()
        for suffix in sorted(self.cues.get("gerund", ()), key=len, reverse=True):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                stem = word[: -len(suffix)]
                return [lemma for lemma in self.verb_triggers if lemma.startswith(stem)]
        return []


def phrase_lemmas(text: str) -> tuple[frozenset[str], ...]:
    """Lemma candidates of each word of a data phrase. Data phrases are nominative, so only nominative readings
    count ("Раїсі" must not match "Раїса", whose dative it also is); an abbreviation ("ГРУ") or a word with no
    nominative reading (an indeclinable foreign name) matches only as written."""
    words = [w for w in tokenize_uk.tokenize_words(normalize(text)) if w.strip()]
    return tuple(_data_word_lemmas(w) for w in words)


def _data_word_lemmas(word: str) -> frozenset[str]:
    surface = normalize(word).lower()
    if word.isupper() and len(word) <= 5:
        return frozenset({surface})
    found = [r for r in readings(word) if "nomn" in r[2] or not r[2] & CASES]
    if word[:1].isupper() and any(pos == "ADJF" for _, pos, _ in found):  # an adjective in a name: its own forms
        return _adjective_forms(word) | {lemma for lemma, pos, _ in found if pos != "ADJF"}
    nominative = {lemma for lemma, _, _ in found}
    return frozenset(nominative | {surface}) if nominative else frozenset({surface})


def _adjective_forms(word: str) -> frozenset[str]:
    """The forms of a capitalized adjective in a name, in its own gender or number only: "Громадське" matches
    "Громадського", not "Громадська" (організація); "Північна" matches "Північної", not "Північний"."""
    forms: set[str] = {normalize(word).lower()}
    for parse in morph().parse(normalize(word)):
        if parse.tag.POS != "ADJF" or "nomn" not in parse.tag:
            continue
        kind = next((g for g in ("plur", "masc", "femn", "neut") if g in parse.tag), None)
        forms |= {form.word for form in parse.lexeme if kind is None or kind in form.tag}
    return frozenset(forms)



class _CueFlags(dict):
    """Word → whether it may be a trigger or a relation cue, by its best reading's part of speech and all its
    lemmas; computed on first sight, so that a loop over a sentence's words is one dict lookup each."""

    def __init__(self, lex: Lexicon):
        super().__init__()
        self.lex = lex

    def __missing__(self, text: str) -> bool:
        found = readings(text)
        pos = found[0][1] if found else ""
        flag = self[text] = bool(self.lex.word_triggers(text, pos) or self.lex.word_relation_cue(text))
        return flag


@lru_cache(maxsize=200_000)
def word_lemmas(word: str) -> frozenset[str]:
    found = {lemma for lemma, _, _ in readings(word)}
    found.add(normalize(word).lower())
    return frozenset(found)


def rows(name: str) -> Iterator[dict[str, str]]:
    """The rows of one data file, each a dict by header; a malformed file is a LexiconError."""
    try:
        text = resources.files("kg.lexicon").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LexiconError(f"kg/lexicon/data/{name}: missing") from exc
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise LexiconError(f"kg/lexicon/data/{name}:{number}: wrong number of columns")
        yield {k: (v or "").strip() for k, v in row.items()}


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def parse_slots(spec: str) -> tuple[tuple[str, str], ...]:
    slots = []
    for part in spec.split(";"):
        part = part.strip()
        if not part:
            continue
        prep, _, case = part.rpartition("+")
        slots.append((normalize(prep).lower(), case))
    return tuple(slots)


@lru_cache(maxsize=1)
def load() -> Lexicon:
    lex = Lexicon()
    _load_states(lex)
    _load_actors(lex)
    _load_locations(lex)
    for row in rows("roles.tsv"):
        lex.add_phrase(row["lemma"], row["role"], "role")
    for row in rows("institutions.tsv"):
        lex.add_phrase(row["lemma"], row["kind"], "institution")
    for row in rows("classifiers.tsv"):
        lex.add_phrase(row["lemma"], row["kind"], "classifier")
    for row in rows("org_forms.tsv"):
        if row["lemma"].endswith("-"):
            lex.org_prefixes += ((normalize(row["lemma"][:-1]), (row["kind"], row["owner"])),)
        else:
            lex.org_forms[normalize(row["lemma"])] = (row["kind"], row["owner"])
    _load_triggers(lex)
    for row in rows("modality.tsv"):
        lex.modality[normalize(row["lemma"]).lower()] = row["mode"]
    for row in rows("cues.tsv"):
        lex.cues[row["kind"]][normalize(row["lemma"]).lower()] = row["value"]
    for row in rows("relations.tsv"):
        lemma = normalize(row["lemma"]).lower()
        lex.relation_cues[lemma] = RelationCue(lemma, row["relation"], parse_slots(row["slot"]))
    for row in rows("item_fields.tsv"):
        if row["group"] == "month":
            for name in split_list(row["labels"]):
                lex.months[name.lower()] = int(row["key"])
    return lex


def _load_states(lex: Lexicon) -> None:
    for row in rows("countries.tsv"):
        state_id = row["id"]
        label_uk = row["label_uk"] or row["label_en"]
        names = [row["label_uk"], *split_list(row["aliases_uk"])]
        lex.entities[state_id] = Entity(
            id=state_id, kind="State", label_uk=label_uk, label_en=row["label_en"],
            wikidata=row["wikidata"] or None, country=state_id, iso3=row["iso3"],
            aliases=tuple(n for n in names if n))
        for name in names:
            if name:
                lex.add_phrase(name, state_id, "name")
    for row in rows("state_forms.tsv"):
        state_id = row["iso3"].lower()
        if state_id in lex.entities:
            lex.add_phrase(row["lemma"], state_id, row["form"])


def _load_actors(lex: Lexicon) -> None:
    for row in rows("actors.tsv"):
        if row["kind"] not in ENTITY_KINDS:
            raise LexiconError(f"kg/lexicon/data/actors.tsv: {row['id']}: unknown kind {row['kind']!r}")
        country = row["country"]
        aliases = [row["label_uk"], *split_list(row["aliases_uk"]), *split_list(row["aliases_en"])]
        if row["label_en"]:
            aliases.append(row["label_en"])
        lex.entities[row["id"]] = Entity(
            id=row["id"], kind=row["kind"], label_uk=row["label_uk"], label_en=row["label_en"],
            wikidata=row["wikidata"] or None,
            country=country.lower() if country and country != "IGO" else None,
            iso3="IGO" if country == "IGO" else (country or None), aliases=tuple(a for a in aliases if a),
            roles=tuple((role, organization.lower())  # organization: an ISO alpha-3 code or an actor id
                        for role, _, organization in (item.partition("@") for item in split_list(row["roles"]))))
        for alias in aliases:
            if alias:
                lex.add_phrase(alias, row["id"], "name")
        for role, organization in lex.entities[row["id"]].roles:
            lex.holders[(role, organization)].append(row["id"])


def _load_locations(lex: Lexicon) -> None:
    for row in rows("locations.tsv"):
        aliases = [row["label_uk"], *split_list(row["aliases_uk"])]
        lex.entities[row["id"]] = Entity(
            id=row["id"], kind="Location", label_uk=row["label_uk"], label_en=row["label_en"],
            wikidata=row["wikidata"] or None, country=row["country"].lower() or None,
            aliases=tuple(a for a in aliases if a))
        for alias in aliases:
            if alias:
                lex.add_phrase(alias, row["id"], "name")
        if row["metonym_for"]:
            target = row["metonym_for"]
            lex.metonym_for[row["id"]] = target.lower() if len(target) == 3 and target.isupper() else target


def _load_triggers(lex: Lexicon) -> None:
    for row in rows("triggers.tsv"):
        words = tuple(normalize(w).lower() for w in row["lemma"].split())
        trigger = Trigger(" ".join(words), row["pos"], row["plover"], parse_slots(row["target"]),
                          row["mode"] or "asserted")
        lex.triggers[words[0]].append(trigger)
        lex.trigger_words[trigger] = words
    lex.verb_triggers = tuple(sorted({t.lemma for t in lex.trigger_words if t.pos == "VERB" and " " not in t.lemma}))
