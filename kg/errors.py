"""The one exception hierarchy of geokg; the CLI turns each class into its exit code.

Library code raises these and never exits; ``kg.cli`` prints ``str(error)`` (one line) and exits
with ``error.exit_code``.

Example:
    >>> InputError("seeds/x.jsonl:3: not valid JSON (Expecting value)").exit_code
    2
"""

from __future__ import annotations


class GeokgError(Exception):
    """Any geokg failure the user can act on."""

    exit_code = 1


class InputError(GeokgError):
    """Bad input news: missing path, empty folder or file, binary or undecodable file, malformed JSONL line."""

    exit_code = 2


class LexiconError(GeokgError):
    """A lexicon data file is missing or has a malformed row."""

    exit_code = 3


class StoreError(GeokgError):
    """The triple store cannot be opened, read or written."""

    exit_code = 4


class QueryError(GeokgError):
    """A SPARQL query is unknown, malformed or fails to run."""

    exit_code = 5


class OutputError(GeokgError):
    """An output file or folder cannot be written."""

    exit_code = 6


def _summary(error_class: type[GeokgError]) -> str:
    return f"{error_class.__name__}: {(error_class.__doc__ or '').strip().splitlines()[0]}"


#: exit code -> what it means; the CLI and its help text use this table.
EXIT_CODES: dict[int, str] = {
    0: "success",
    **{
        error_class.exit_code: _summary(error_class)
        for error_class in (GeokgError, InputError, LexiconError, StoreError, QueryError, OutputError)
    },
}
