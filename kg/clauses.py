"""Split a sentence into clauses, so each trigger finds its own subject.

Segments run between commas, semicolons, colons, dashes and brackets. A segment opened by a relative word
("який", "якою", "з якою") is a relative clause of the clause before it; one opened by a subordinating word ("що",
"щоб", "якщо", "коли") is a clause of its own; one opened by a contrasting conjunction ("а", "але") starts a new
main clause; a plain segment after a relative clause, or after a subordinate clause that opened the sentence,
returns to the main clause; a segment opened by a gerund ("покинувши зброю") is an insertion that leaves the clause it
interrupts open; a segment opened by "і" and a finite verb after a subordinate clause is a second predicate of the
clause above it; a plain segment opened by a reporting verb ("..., повідомляє влада Норвегії") is an
attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from kg.lexicon import Lexicon
from kg.model import Sentence

SEPARATORS = frozenset({",", ";", ":", "—", "–", "(", ")"})


@dataclass
class Clause:
    kind: str  # main, relative, subordinate, conditional, attribution
    tokens: list[int] = field(default_factory=list)
    parent: "Clause | None" = None
    marker: int | None = None  # token index of the relative / subordinating word
    segments: list[list[int]] = field(default_factory=list)
    _members: frozenset[int] = field(default=frozenset(), repr=False)

    def __contains__(self, index: int) -> bool:
        if len(self._members) != len(self.tokens):
            self._members = frozenset(self.tokens)
        return index in self._members

    def segment(self, index: int) -> list[int]:
        """The comma-delimited part of the clause that holds token ``index``."""
        return next((s for s in self.segments if index in s), [])


def segments(sentence: Sentence) -> list[list[int]]:
    found: list[list[int]] = [[]]
    for i, token in enumerate(sentence.tokens):
        if token.text in SEPARATORS:
            found.append([])
        else:
            found[-1].append(i)
    return [s for s in found if s]


def split(sentence: Sentence, lex: Lexicon) -> list[Clause]:
    tokens = sentence.tokens
    main = Clause("main")
    clauses = [main]
    current = main
    parts = segments(sentence)
    inserted = False
    for number, segment in enumerate(parts):
        kind, marker = _segment_kind(tokens, segment, lex)
        if kind == "plain" and number == len(parts) - 1 and number > 0 and _dash_before(tokens, segment) \
                and not any(tokens[k].pos in ("VERB", "INFN") for k in segment):
            kind = "attribution"  # "Росія відправляє в Білорусь боєголовки, — Буданов"
        if kind == "relative":
            base = current if current.kind != "relative" else (current.parent or main)
            current = Clause("relative", parent=base, marker=marker)
            clauses.append(current)
        elif kind in ("subordinate", "conditional", "attribution"):
            parent = current if current.kind not in ("relative", "attribution") else (current.parent or main)
            if number == 0:
                parent = main
            current = Clause(kind, parent=parent, marker=marker)
            clauses.append(current)
        elif kind == "gerund" or (kind == "plain" and inserted):  # "…, якої польське військо, покинувши зброю,
            pass  # відступило": an insertion that shares its clause's subject and leaves the clause open
        elif kind == "coordinate" and number > 0:
            main = current = Clause("main")
            clauses.append(current)
        elif current.kind == "relative" or (current.kind in ("subordinate", "conditional", "attribution")
                                             and current.tokens and current.tokens[0] == 0):
            current = main if current.kind != "relative" else (current.parent or main)
        elif current.kind == "subordinate" and _coordinated_verb(tokens, segment, lex):
            current = current.parent or main  # "Суд врахував, що він визнав вину, і призначив йому штраф"
        inserted = kind == "gerund"
        current.tokens.extend(segment)
        current.segments.append(segment)
    return [c for c in clauses if c.tokens]


def _coordinated_verb(tokens, segment: list[int], lex: Lexicon) -> bool:
    """A segment opened by "і"/"та" and a finite verb: a second predicate of the clause the subordinate one
    depends on."""
    if len(segment) < 2 or tokens[segment[0]].text.lower() not in lex.cue_words("coordination"):
        return False
    verb = tokens[segment[1]]
    return verb.pos == "VERB" and bool(verb.tags & {"past", "pres", "futr"})


def _dash_before(tokens, segment: list[int]) -> bool:
    return segment[0] > 0 and tokens[segment[0] - 1].text in ("—", "–", "-")


@lru_cache(maxsize=8)
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(phrase.split()[0] for phrase in phrases)


def opened_by_phrase(tokens, indices: list[int], lex: Lexicon) -> bool:
    """The words at ``indices`` open with a two-word attribution opener ("За словами", "За даними"; cues.tsv
    ``attribution_opener``)."""
    if len(indices) < 2:
        return False
    openers = lex.cue_words("attribution_opener")
    word = tokens[indices[0]].text.lower()
    return word in _first_words(openers) and f"{word} {tokens[indices[1]].text.lower()}" in openers


def _segment_kind(tokens, segment: list[int], lex: Lexicon) -> tuple[str, int | None]:
    relative = lex.cue_words("relative")
    attribution = lex.cue_words("attribution")
    first = tokens[segment[0]]
    opens_attribution = first.text.lower() in lex.cue_words("attribution_opener")
    if len(segment) > 2 and opened_by_phrase(tokens, segment, lex):
        return "attribution", segment[0]  # "За словами Зеленського, …", "За даними Reuters, …"
    if first.pos == "GRND":
        return "gerund", segment[0]
    if first.text.lower() in lex.cue_words("clause_conjunction"):
        return "coordinate", segment[0]
    for k, i in enumerate(segment[:3]):
        lemmas = {r[0] for r in tokens[i].readings}
        if lemmas & relative and (k == 0 or first.pos == "PREP"):
            return "relative", i
        if k == 0 and (tokens[i].pos == "CONJ" or tokens[i].text.lower() in lex.modality):
            word = tokens[i].text.lower()
            if lex.modality.get(word) == "conditional":
                return "conditional", i
            if "subord" in tokens[i].tags or lex.cues["subordinator"].get(word) is not None:
                return "subordinate", i
        if lemmas & attribution and tokens[i].pos == "VERB" and (k == 0 or opens_attribution):
            return "attribution", i  # "…, повідомляє Reuters", "Як повідомляє Reuters, …"
    return "plain", None
