"""Split a sentence into clauses, so each trigger finds its own subject.

Segments run between commas, semicolons, colons, dashes and brackets. A segment opened by a relative word
("який", "якою", "з якою") is a relative clause of the nearest clause before it; one opened by a subordinating
word ("що", "щоб", "якщо") is a clause of its own; a plain segment after a relative clause resumes the clause the
relative clause interrupted; a plain segment opened by a reporting verb ("..., повідомляє влада Норвегії") is an
attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.lexicon import Lexicon
from kg.model import Sentence

SEPARATORS = frozenset({",", ";", ":", "—", "–", "(", ")"})


@dataclass
class Clause:
    kind: str  # main, relative, subordinate, conditional, attribution
    tokens: list[int] = field(default_factory=list)
    parent: "Clause | None" = None
    marker: int | None = None  # token index of the relative / subordinating word

    def __contains__(self, index: int) -> bool:
        return index in self.tokens


def split(sentence: Sentence, lex: Lexicon) -> list[Clause]:
    tokens = sentence.tokens
    segments: list[list[int]] = [[]]
    for i, token in enumerate(tokens):
        if token.text in SEPARATORS:
            segments.append([])
        else:
            segments[-1].append(i)
    main = Clause("main")
    clauses = [main]
    current = main
    for segment in segments:
        if not segment:
            continue
        kind, marker = _segment_kind(tokens, segment, lex)
        if kind == "relative":
            base = current if current.kind != "relative" else (current.parent or main)
            current = Clause("relative", parent=base, marker=marker)
            clauses.append(current)
        elif kind in ("subordinate", "conditional", "attribution"):
            current = Clause(kind, parent=current if current.kind != "relative" else current.parent, marker=marker)
            clauses.append(current)
        elif current.kind == "relative":
            current = current.parent or main
        current.tokens.extend(segment)
    return [c for c in clauses if c.tokens]


def _segment_kind(tokens, segment: list[int], lex: Lexicon) -> tuple[str, int | None]:
    head = segment[:3]
    for k, i in enumerate(head):
        lemmas = {r[0] for r in tokens[i].readings}
        if lemmas & lex.relative and (k == 0 or tokens[segment[0]].pos == "PREP"):
            return "relative", i
        if k == 0 and tokens[i].pos == "CONJ":
            word = tokens[i].text.lower()
            if lex.modality.get(word) == "conditional":
                return "conditional", i
            if "subord" in tokens[i].tags:
                return "subordinate", i
        if k == 0 and lemmas & lex.attribution and tokens[i].pos == "VERB":
            return "attribution", i
    return "plain", None
