"""Split a plain-text file into news items: titles, metadata lines ("Джерело: Yomiuri") and paragraphs that
cohere with the story they follow. A heuristic, kept in one place; JSONL input needs none of it.

>>> [(d.title, d.fields.get("source")) for d in split("Заголовок новини\\n\\nДжерело: Reuters\\n\\nПерший абзац.\\n")]
[('Заголовок новини', 'Reuters')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from kg.errors import LexiconError

DATA = Path(__file__).parent / "lexicon" / "data"

# The item-splitting heuristic for .txt files, in one place. A news title is a short line without final
# punctuation; a paragraph after a titled story stays with it while it shares enough word stems with the story.
TITLE_MAX_WORDS = 25
TITLE_END = re.compile(r"[.!?…:;][\"'”»’)\]]*$")  # a line ending like this is a sentence, not a title
STEM_LETTERS = 5  # stems are the first 5 letters of words at least that long: crude, but no morphology needed
MIN_SHARED_STEMS = 2  # a paragraph sharing this many stems with the story so far continues it ...
MIN_SHARED_NAMES = 1  # ... and so does one sharing the stem of a name (a word capitalized mid-sentence)

WORD = re.compile(r"[^\W\d_]+")  # letters only: hyphens and apostrophes split words
WORD_OR_STOP = re.compile(r"([^\W\d_]+)|[.!?…]")
METADATA = re.compile(r"^\s*([^:\n]{1,40}?)\s*:\s*(\S.*?)\s*$")


# --- plain text: metadata -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _item_fields() -> tuple[dict[str, str], dict[str, int]]:
    """(metadata label -> field, month name -> month number), from ``item_fields.tsv``."""
    labels: dict[str, str] = {}
    months: dict[str, int] = {}
    rows = (DATA / "item_fields.tsv").read_text(encoding="utf-8").splitlines()
    for number, row in enumerate(rows[1:], start=2):
        try:
            group, key, names = row.split("\t")
        except ValueError:
            raise LexiconError(f"kg/lexicon/data/item_fields.tsv:{number}: wrong number of columns") from None
        for name in names.split("|"):
            if group == "field":
                labels[name.lower()] = key
            else:
                months[name.lower()] = int(key)
    return labels, months


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    lines = (DATA / "stopwords_uk.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def metadata(line: str) -> tuple[str, str] | None:
    """``(field, value)`` when ``line`` is a metadata line such as ``Джерело: Yomiuri``, else None.

    >>> metadata("Джерело: Yomiuri")
    ('source', 'Yomiuri')
    >>> metadata("Україна: нові санкції") is None
    True
    """
    found = METADATA.match(line)
    if not found:
        return None
    label = " ".join(found.group(1).lower().split())
    key = _item_fields()[0].get(label)
    return (key, found.group(2)) if key else None


def parse_date(value: str) -> str | None:
    """An ISO date from ``10.04.2024``, ``2024-04-10`` or ``10 квітня 2024``; None when not understood.

    >>> parse_date("10 квітня 2024 року"), parse_date("10.04.2024"), parse_date("2024-04-10T08:00Z")
    ('2024-04-10', '2024-04-10', '2024-04-10')
    """
    months = _item_fields()[1]
    patterns = (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda y, m, d: (y, m, d)),
        (r"(\d{1,2})[./](\d{1,2})[./](\d{4})", lambda d, m, y: (y, m, d)),
        (r"(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})", lambda d, m, y: (y, months.get(m.lower()), d)),
        (r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})", lambda m, d, y: (y, months.get(m.lower()), d)),
    )
    for pattern, order in patterns:
        for found in re.finditer(pattern, value):
            year, month, day = order(*found.groups())
            try:
                return date(int(year), int(month), int(day)).isoformat()
            except (TypeError, ValueError):  # an unknown month name, or no such day
                continue
    return None


# --- plain text: splitting into items -----------------------------------------------------------------------


@dataclass
class _Words:
    """What coherence looks at: word stems, and which of them were written capitalized."""

    stems: set[str] = field(default_factory=set)
    capitalized: set[str] = field(default_factory=set)
    mid_sentence_capitals: set[str] = field(default_factory=set)  # names, as far as capitals tell

    def add(self, other: "_Words") -> None:
        self.stems |= other.stems
        self.capitalized |= other.capitalized
        self.mid_sentence_capitals |= other.mid_sentence_capitals


def words(text: str) -> _Words:
    """Stems of the topic words in ``text`` (see ``STEM_LETTERS``), noting the capitalized ones."""
    found = _Words()
    sentence_start = True
    stopwords = _stopwords()
    for match in WORD_OR_STOP.finditer(text):
        word = match.group(1)
        if word is None:
            sentence_start = True
            continue
        if len(word) >= STEM_LETTERS and word.lower() not in stopwords:
            stem = word.lower()[:STEM_LETTERS]
            found.stems.add(stem)
            if word[0].isupper():
                found.capitalized.add(stem)
                if not sentence_start:
                    found.mid_sentence_capitals.add(stem)
        sentence_start = False
    return found


def coheres(paragraph: _Words, story: _Words) -> bool:
    """Whether a paragraph continues the story so far (a heuristic, see the constants above).

    It does when it shares ``MIN_SHARED_STEMS`` stems with the story, or ``MIN_SHARED_NAMES`` name: a stem
    capitalized in both and mid-sentence in at least one (a sentence-initial "Японія" in the title still names
    the country). A paragraph without any capitalized topic word names nothing that would open a new story, so
    it stays too.
    """
    shared = paragraph.stems & story.stems
    names = {
        stem for stem in shared
        if stem in paragraph.capitalized and stem in story.capitalized
        and (stem in paragraph.mid_sentence_capitals or stem in story.mid_sentence_capitals)
    }
    return len(shared) >= MIN_SHARED_STEMS or len(names) >= MIN_SHARED_NAMES or not paragraph.capitalized


@dataclass
class _Block:
    """A run of non-blank lines; start and end are the offsets of its first and last visible character."""

    start: int
    end: int
    lines: list[str]


@dataclass
class _Draft:
    """An item being assembled from blocks."""

    start: int
    end: int
    title: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    words: _Words = field(default_factory=_Words)
    has_body: bool = False


def blocks(text: str) -> Iterator[_Block]:
    """The blank-line separated blocks of ``text``, with their offsets."""
    for found in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text):
        chunk = found.group()
        start = found.start() + len(chunk) - len(chunk.lstrip())
        yield _Block(start, found.start() + len(chunk.rstrip()), chunk.strip().split("\n"))


def is_title(block: _Block) -> bool:
    """A single short line without final punctuation."""
    line = block.lines[0].strip()
    return len(block.lines) == 1 and len(line.split()) <= TITLE_MAX_WORDS and not TITLE_END.search(line)


def split(text: str) -> list[_Draft]:
    """Split a text file into items (a heuristic; see ``coheres`` and ``is_title``).

    Blocks are separated by blank lines. A title block starts a new item; a block of ``Label: value`` lines
    (labels from ``item_fields.tsv``) sets fields of the current item; a paragraph joins the current item when
    that item has a title and the paragraph coheres with it, and otherwise is an item of its own. A block with
    no letters or digits (``***``) ends the current item.
    """
    drafts: list[_Draft] = []
    current: _Draft | None = None
    pending: _Draft | None = None  # metadata seen before any item
    for block in blocks(text):
        if not any(char.isalnum() for line in block.lines for char in line):
            current = None
            continue
        fields = [metadata(line) for line in block.lines]
        if all(fields):
            target = current or pending or _Draft(block.start, block.end)
            for key, value in fields:
                target.fields.setdefault(key, value)
            target.end = block.end
            pending = None if current else target
            continue
        block_words = words(" ".join(block.lines))
        title = is_title(block)
        if not title and current and current.title is not None and (
            not current.has_body or coheres(block_words, current.words)
        ):
            current.end, current.has_body = block.end, True
            current.words.add(block_words)
            continue
        current = pending or _Draft(block.start, block.end)
        pending = None
        current.end = block.end
        current.words = block_words
        if title:
            current.title = block.lines[0].strip()
        else:
            current.has_body = True
        drafts.append(current)
    return drafts
