"""Build ``kg/lexicon/data/countries.tsv`` from the shared reference table of countries.

The input is ``shared/data/reference/countries.csv`` (ISO codes, Wikidata id, Wikidata labels and aliases in
Ukrainian, Russian and English). The output keeps every row and column, sorted by ISO alpha-3, with
``id`` = lower-case alpha-3 and ``name_en`` renamed ``label_en``; text is cleaned so the lexicon can match it:
typographic apostrophes become ``'``, stress marks, invisible marks and stray quotes are removed, and aliases that
are not names (emoji flags, 1-3 letter lower-case codes such as ``af``, ``ua``, single characters) are dropped.
Upper-case abbreviations (США, РФ, КНДР, USA, UK) are kept.

Example::

    python scripts/build_countries.py                     # default input, writes the lexicon file
    python scripts/build_countries.py path/to/countries.csv -o /tmp/countries.tsv
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO / ".." / "shared" / "data" / "reference" / "countries.csv"
DEFAULT_OUTPUT = REPO / "kg" / "lexicon" / "data" / "countries.tsv"

COLUMNS = ("id", "iso2", "iso3", "wikidata", "label_en", "label_uk", "aliases_uk", "label_ru", "aliases_ru",
           "aliases_en")
ALIAS_COLUMNS = ("aliases_uk", "aliases_ru", "aliases_en")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "\u0060": "'", "\u00b4": "'"})
LOWER_CODE = re.compile(r"^[a-z]{1,3}$")  # ISO-like junk aliases: af, ua, lke
QUOTES = "\"«»“”„"


def clean_text(text: str) -> str:
    """Normalize one name: apostrophes to ', no stress marks or invisible marks, single spaces.

    >>> clean_text("Кот-д’Ивуар")
    "Кот-д'Ивуар"
    >>> clean_text("Ліва́нська  Респу́бліка")
    'Ліванська Республіка'
    """
    text = unicodedata.normalize("NFD", text.translate(APOSTROPHES))
    text = "".join(ch for ch in text if ch != "\u0301" and unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFC", text).strip().strip(QUOTES).strip()
    return " ".join(text.split())


def is_name(alias: str) -> bool:
    """Whether an alias is worth keeping as a name (not a flag, a lower-case code or a lone symbol).

    >>> [is_name(a) for a in ("🇺🇦", "ua", "UA", "США", "Ꜵ", "Holland")]
    [False, False, True, True, False, True]
    """
    if len(alias) < 2 or LOWER_CODE.match(alias):
        return False
    return not any(unicodedata.category(ch) == "So" or 0x1F1E6 <= ord(ch) <= 0x1F1FF for ch in alias)


def clean_aliases(value: str, label: str) -> str:
    """Clean a ``|`` list of aliases, dropping junk, duplicates and repeats of the label, keeping order.

    >>> clean_aliases("США|🇺🇸|us|US|США|Сполучені Штати Америки", "Сполучені Штати Америки")
    'США|US'
    """
    kept: list[str] = []
    for alias in (clean_text(a) for a in value.split("|")):
        if is_name(alias) and alias not in kept and alias != label:
            kept.append(alias)
    return "|".join(kept)


def country_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Turn rows of the shared CSV into rows of countries.tsv, sorted by ISO alpha-3."""
    out = []
    for row in rows:
        iso3 = row["iso3"].strip().upper()
        new = {
            "id": iso3.lower(),
            "iso2": row["iso2"].strip().upper(),
            "iso3": iso3,
            "wikidata": row["wikidata"].strip(),
            "label_en": clean_text(row["name_en"]),
            "label_uk": clean_text(row["label_uk"]),
            "label_ru": clean_text(row["label_ru"]),
        }
        for column in ALIAS_COLUMNS:
            new[column] = clean_aliases(row[column], new[column.replace("aliases", "label")])
        out.append(new)
    return sorted(out, key=lambda r: r["iso3"])


def render_tsv(rows: list[dict[str, str]]) -> str:
    """The TSV text: a header row, then one line per country, ``\\n`` line ends."""
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(row[c] for c in COLUMNS) for row in rows]
    return "\n".join(lines) + "\n"


def build(source: Path) -> str:
    """Read the shared CSV at ``source`` and return the text of countries.tsv."""
    with source.open(encoding="utf-8", newline="") as handle:
        return render_tsv(country_rows(list(csv.DictReader(handle))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python scripts/build_countries.py ../shared/data/"
                                            "reference/countries.csv -o kg/lexicon/data/countries.tsv")
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_INPUT, help="the shared countries.csv")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="where to write countries.tsv")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"no such file: {args.source}", file=sys.stderr)
        return 2
    args.output.write_text(build(args.source), encoding="utf-8", newline="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
