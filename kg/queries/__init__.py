"""The SPARQL queries shipped with geokg, one ``.rq`` file each, loaded by name.

Each file opens with comment lines that say what the query answers (the first sentence is its summary), then
one ``# param NAME: TYPE — what it is`` line per parameter, and ``# then: STEP`` when a step of ``kg.query`` runs
it (``path``: a search that runs other queries first). The queries such a step runs besides are in ``steps/``
(:func:`step_query`), not listed with the shipped queries nor run by name. :func:`describe` reads the header.

Example
-------
>>> from kg.queries import describe, load, names
>>> "edges" in names()
True
>>> load("edges").lstrip().startswith("#")
True
>>> [(p["name"], p["type"]) for p in describe(load("conflict"))["params"]]
[('a', 'actor'), ('b', 'actor')]
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from kg.errors import QueryError

_SUFFIX = ".rq"
_STEP_FOLDER = "steps"  # the queries that steps run

#: the parameter types a header may declare; ``kg.query`` converts a value to an RDF term by its type.
PARAM_TYPES = ("actor", "iri", "string", "xsd:date", "xsd:integer", "xsd:decimal")

_PARAM = re.compile(r"param\s+(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\S+)\s*(?:(?:—|--|-)\s*(?P<doc>.*))?$")
_THEN = re.compile(r"then\s*:\s*(?P<step>\S+)\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


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


@cache
def step_query(name: str) -> str:
    """The text of ``kg/queries/steps/{name}.rq``, a query that a step of ``kg.query`` runs (not a shipped query).

    >>> "VALUES ?node { UNDEF }" in step_query("neighbours")
    True
    """
    path = files(__name__).joinpath(_STEP_FOLDER, name + _SUFFIX)
    if not path.is_file():
        raise QueryError(f"no query {name!r} in kg/queries/{_STEP_FOLDER}/")
    return path.read_text(encoding="utf-8")


def describe(text: str) -> dict:
    """What the header comment of a query says: ``description``, ``summary`` (its first sentence), ``params``
    (a list of ``{"name", "type", "doc"}``) and ``then`` (the step that reads the rows, or None).

    A query without a header comment has an empty description and no parameters. A parameter type outside
    :data:`PARAM_TYPES` raises :class:`kg.errors.QueryError`.

    >>> header = describe('''# Who aids whom.
    ... # More words.
    ... # param from: xsd:date — the first day
    ... SELECT * {}''')
    >>> header["summary"], header["params"]
    ('Who aids whom.', [{'name': 'from', 'type': 'xsd:date', 'doc': 'the first day'}])
    """
    lines, params, then = [], [], None
    for line in text.lstrip().splitlines():
        if not line.startswith("#"):
            break
        comment = line[1:].strip()
        if (param := _PARAM.match(comment)) is not None:
            if param["type"] not in PARAM_TYPES:
                raise QueryError(f"parameter {param['name']!r} has the unknown type {param['type']!r}; "
                                 f"known: {', '.join(PARAM_TYPES)}")
            params.append({"name": param["name"], "type": param["type"], "doc": (param["doc"] or "").strip()})
        elif (step := _THEN.match(comment)) is not None:
            then = step["step"]
        elif comment:
            lines.append(comment)
    description = " ".join(lines)
    return {
        "description": description,
        "summary": _SENTENCE_END.split(description, 1)[0],
        "params": params,
        "then": then,
    }


def catalogue() -> list[dict]:
    """Every shipped query with its header, by name: ``[{"name", "summary", "description", "params", "then"}]``."""
    return [{"name": name, **describe(load(name))} for name in names()]
