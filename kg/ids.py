"""Stable ids for entities the lexicon does not know, minted from their nominative names."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.lexicon import rows
from kg.text import normalize


@lru_cache(maxsize=1)
def translit_table() -> dict[int, str]:
    return str.maketrans({row["letter"]: row["latin"] for row in rows("translit.tsv")})


def mint_id(label: str) -> str:
    """A stable id for a name the lexicon does not know, from its nominative form.

    >>> mint_id("Орєшнік")
    'm-orieshnik'
    """
    ascii_form = normalize(label).lower().translate(translit_table())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_form).strip("-")
    return "m-" + (slug or "x")
