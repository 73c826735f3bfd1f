"""The SPARQL queries shipped with geokg, one ``.rq`` file each, loaded by name.

Example
-------
>>> from kg.queries import load, names
>>> "edges" in names()
True
>>> load("edges").lstrip().startswith("#")
True
"""

from __future__ import annotations

from importlib.resources import files

from kg.errors import QueryError

_SUFFIX = ".rq"


def names() -> list[str]:
    """The names of every shipped query, sorted."""
    return sorted(
        entry.name[: -len(_SUFFIX)]
        for entry in files(__name__).iterdir()
        if entry.name.endswith(_SUFFIX)
    )


def load(name: str) -> str:
    """The text of the shipped query ``name`` (the file ``kg/queries/{name}.rq``).

    Raises :class:`kg.errors.QueryError` for a name that is not shipped.
    """
    if name not in names():
        raise QueryError(f"no shipped query {name!r}; known: {', '.join(names())}")
    return files(__name__).joinpath(name + _SUFFIX).read_text(encoding="utf-8")
