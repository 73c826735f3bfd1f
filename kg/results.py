"""Query results as text: an aligned table for people, CSV and SPARQL 1.1 JSON results for programs.

Each renderer takes the plain dict of :mod:`kg.sources` (``columns`` and ``rows`` of rdflib terms, or
``boolean``) and returns a string; nothing here prints.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef

from kg.namespace import PREFIXES

FORMATS = ("table", "csv", "json")
CELL_WIDTH = 60  # a table cell longer than this is cut (with "…"); csv and json keep every value whole
_NAMESPACES = sorted(((str(namespace), prefix) for prefix, namespace in PREFIXES.items()), key=lambda p: -len(p[0]))


def render(result: dict, fmt: str = "table") -> str:
    """``result`` in the format ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    return {"table": table, "csv": csv_text, "json": json_text}[fmt](result)


def table(result: dict) -> str:
    """Columns aligned, IRIs shortened by the geokg prefixes, literals as their text (``@lang`` when tagged),
    long cells cut, and the number of rows last.

    >>> print(table({"columns": ["actor", "n"], "rows": [(URIRef("https://w3id.org/geokg/id/actor/jpn"),
    ...                                                  Literal(3))]}), end="")
    actor          n
    -------------  -
    gkd:actor/jpn  3
    (1 row)
    """
    if "boolean" in result:
        return ("true" if result["boolean"] else "false") + "\n"
    columns = result["columns"]
    shown = _Memo(lambda value: _cut(short(value)))
    cells = [list(map(shown.__getitem__, row)) for row in result["rows"]]
    widths = [max([len(column), *(len(row[i]) for row in cells)]) for i, column in enumerate(columns)]
    lines = [columns, ["-" * width for width in widths], *cells]
    text = "".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() + "\n"
                   for line in lines)
    count = len(cells)
    return text + f"({count} row{'' if count == 1 else 's'})\n"


def csv_text(result: dict) -> str:
    """SPARQL 1.1 CSV results: a header of the column names, IRIs whole, literals as their lexical form,
    blank nodes as ``_:id``, unbound as an empty field.

    >>> print(csv_text({"columns": ["s", "o"], "rows": [(URIRef("urn:a"), None)]}), end="")
    s,o
    urn:a,
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    if "boolean" in result:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result["boolean"] else "false"])
        return text.getvalue()
    writer.writerow(result["columns"])
    for row in result["rows"]:
        writer.writerow(["" if value is None else f"_:{value}" if isinstance(value, BNode) else str(value)
                         for value in row])
    return text.getvalue()


def json_text(result: dict) -> str:
    """SPARQL 1.1 Query Results JSON (``head.vars``, ``results.bindings``, or ``boolean``).

    >>> print(json_text({"boolean": True}), end="")
    {"head": {}, "boolean": true}
    """
    if "boolean" in result:
        return json.dumps({"head": {}, "boolean": result["boolean"]}, ensure_ascii=False) + "\n"
    # written piece by piece as json.dumps writes the whole document, each term's JSON made once
    names = [json.dumps(column, ensure_ascii=False) + ": " for column in result["columns"]]
    term = _Memo(lambda value: json.dumps(_json_term(value), ensure_ascii=False))
    bindings = ", ".join("{" + ", ".join(name + term[value] for name, value in zip(names, row) if value is not None)
                         + "}" for row in result["rows"])
    head = json.dumps({"vars": result["columns"]}, ensure_ascii=False)
    return f'{{"head": {head}, "results": {{"bindings": [{bindings}]}}}}\n'


class _Memo(dict):
    """A term → its text, each term written once per result: the rows repeat the same actors, types and labels."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def __missing__(self, value):
        text = self[value] = self.write(value)
        return text


def short(value) -> str:
    """A term as a table shows it: IRIs by prefix, literals as text with their language, unbound as nothing.

    >>> short(URIRef("https://w3id.org/geokg/plover#AID")), short(Literal("Японія", lang="uk"))
    ('plover:AID', 'Японія@uk')
    """
    if value is None:
        return ""
    if isinstance(value, URIRef):
        for namespace, prefix in _NAMESPACES:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{prefix}:{value[len(namespace):]}"
        return str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal) and value.language:
        return f"{value}@{value.language}"
    return str(value)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def _json_term(value) -> dict:
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BNode):
        return {"type": "bnode", "value": str(value)}
    if isinstance(value, Literal):
        term = {"type": "literal", "value": str(value)}
        if value.language:
            term["xml:lang"] = value.language
        elif value.datatype:
            term["datatype"] = str(value.datatype)
        return term
    return {"type": "literal", "value": str(value)}
