"""Read news from files and folders into :class:`~kg.model.NewsItem` values.

Inputs are ``.txt`` files (one or more news items each), ``.jsonl`` files (one JSON object per line) or folders of
them. Text is decoded robustly (UTF-8 with or without BOM, UTF-16/32 with BOM, windows-1251 as a fallback), newlines
become ``\\n`` and nothing else changes: every later offset points into ``NewsItem.text`` exactly as read here.
Anything unreadable raises :class:`~kg.errors.InputError` with a one-line message naming the file (and line).

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Заголовок новини\\n\\nПерший абзац новини.\\n", encoding="utf-8")
    >>> [item.title for item in read([folder])]
    ['Заголовок новини']
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import InputError
from kg.model import NewsItem
from kg.stories import parse_date, split

SUFFIXES = (".txt", ".jsonl")

# Decoding: share of control characters above which a file is binary; share of Cyrillic among the letters a
# windows-1251 reading must reach before we believe it.
CONTROL_SHARE_MAX = 0.05
CYRILLIC_SHARE_MIN = 0.6
PROBE_BYTES = 1 << 20  # what a JSONL file's encoding is told from before it is read line by line
BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
ITEM_ID_HEX = 16

JSONL_FIELDS = ("title", "date", "source", "url")


def read(inputs: Iterable[str | Path] | str | Path, notices: list[str] | None = None) -> Iterator[NewsItem]:
    """Yield the news items in ``inputs`` (files or folders), in order, each id once.

    Paths are checked at once (a missing path or a folder without news files raises ``InputError`` here);
    files are read lazily. Anything worth telling the user that is not an error (a windows-1251 file, a
    duplicate id, a date not understood) is appended to ``notices``.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    files = [file for argument in inputs for file in news_files(argument)]
    if not files:
        raise InputError("no input files or folders given")
    return _items(files, notices if notices is not None else [])


def news_files(argument: str | Path) -> list[Path]:
    """The news files an input argument names: the file itself, or a folder's ``*.txt``/``*.jsonl`` files.

    Folders are searched recursively in sorted order, skipping hidden files and folders; paths keep the
    argument as their prefix (``seeds/`` gives ``seeds/000_x.txt``).
    """
    root = Path(argument)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputError(f"{argument}: no such file or folder")
    found = sorted(
        (path.relative_to(root) for path in root.rglob("*") if path.is_file()),
        key=lambda relative: relative.parts,
    )
    files = [
        root / relative for relative in found
        if relative.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in relative.parts)
    ]
    if not files:
        raise InputError(f"{argument}: folder holds no .txt or .jsonl files")
    return files


def _items(files: list[Path], notices: list[str]) -> Iterator[NewsItem]:
    first_seen: dict[str, str] = {}
    for path in files:
        items = _jsonl_file_items(path, notices) if path.suffix.lower() == ".jsonl" else \
            _txt_items(decode(_read_bytes(path), str(path), notices), str(path), notices)
        for item in items:
            if item.id in first_seen:
                notices.append(f"{item.path}: duplicate item id {item.id} (first in {first_seen[item.id]}), skipped")
                continue
            first_seen[item.id] = item.path
            yield item


def read_text(path: str | Path, notices: list[str] | None = None) -> str:
    """The whole decoded text of one file, newlines normalized, not split into items (``kg annotate``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return decode(_read_bytes(path), str(path), notices if notices is not None else [])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error


def item_id(text: str) -> str:
    """Content identity of an item: stable across runs, file names and whitespace layout.

    >>> item_id("Японія  згодилася\\n") == item_id("Японія згодилася")
    True
    """
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:ITEM_ID_HEX]


# --- decoding -----------------------------------------------------------------------------------------------


def decode(raw: bytes, path: str, notices: list[str]) -> str:
    """The text of a file's bytes with newlines normalized to ``\\n``; ``InputError`` if it is not text.

    >>> decode("Київ".encode("cp1251"), "x.txt", notices := [])
    'Київ'
    >>> notices
    ['x.txt: decoded as windows-1251']
    """
    if not raw:
        raise InputError(f"{path}: file is empty")
    text = _decode_bom(raw, path)
    if text is None:
        if b"\x00" in raw:
            raise InputError(f"{path}: binary file, not text")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_cp1251(raw, path)
            notices.append(f"{path}: decoded as windows-1251")
    if _control_share(text) > CONTROL_SHARE_MAX:
        raise InputError(f"{path}: binary file, not text")
    if not text.strip():
        raise InputError(f"{path}: file is empty")
    return _normalize_newlines(text)


def _decode_bom(raw: bytes, path: str) -> str | None:
    for bom, codec in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec)
            except UnicodeDecodeError as error:
                raise InputError(f"{path}: not valid {codec.upper()} despite its byte order mark") from error
    return None


def _decode_cp1251(raw: bytes, path: str) -> str:
    undecodable = InputError(f"{path}: not UTF-8, UTF-16 or windows-1251 text")
    try:
        text = raw.decode("cp1251")
    except UnicodeDecodeError as error:
        raise undecodable from error
    if _control_share(text) > CONTROL_SHARE_MAX:
        raise InputError(f"{path}: binary file, not text")
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum("\u0400" <= char <= "\u04ff" for char in letters)
    if not letters or cyrillic < CYRILLIC_SHARE_MIN * len(letters):
        raise undecodable
    return text


def _control_share(text: str) -> float:
    controls = sum(unicodedata.category(char) == "Cc" and char not in "\t\n\r\f\v" for char in text)
    return controls / max(len(text), 1)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- JSONL --------------------------------------------------------------------------------------------------


def _jsonl_file_items(path: Path, notices: list[str]) -> Iterator[NewsItem]:
    """A JSONL file's items, read line by line, so that a feed of any size never sits in memory whole. Its
    encoding is told from its first ``PROBE_BYTES`` as :func:`decode` tells a whole file's; a line that does not
    decode in it later is an error naming the line."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error
    with handle:
        probe = handle.read(PROBE_BYTES)
        codec, start = _probe_codec(probe, str(path), notices)
        handle.seek(start)
        number, content = 0, False
        for line in _lines(handle, codec, str(path)):
            number += 1
            if line.strip():
                content = True
                yield _jsonl_item(line, f"{path}:{number}", str(path), notices)
        if not content:
            raise InputError(f"{path}: file is empty")


def _lines(handle, codec: str, path: str) -> Iterator[str]:
    """The lines of a binary file in ``codec``, any newline ending one. UTF-8 and windows-1251 lines are split as
    bytes and decoded one by one, so a line that does not decode is named; UTF-16 and UTF-32 go through a text
    stream, which decodes ahead of the line it gives."""
    if codec not in ("utf-8", "cp1251"):
        yield from io.TextIOWrapper(handle, encoding=codec, newline=None)
        return
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            raise InputError(f"{path}:{number}: not valid {codec} text ({error.reason})") from error
        yield from _normalize_newlines(text.rstrip("\r\n")).split("\n")


def _probe_codec(probe: bytes, path: str, notices: list[str]) -> tuple[str, int]:
    """(codec, bytes to skip) of a file from its first bytes: a byte order mark, else UTF-8, else windows-1251
    (told by :func:`_decode_cp1251`, with a notice); binary or empty beginnings are errors."""
    if not probe:
        raise InputError(f"{path}: file is empty")
    for bom, codec in BOMS:
        if probe.startswith(bom):
            return codec, len(bom)
    if b"\x00" in probe:
        raise InputError(f"{path}: binary file, not text")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(probe, final=False)  # a cut last character waits
        codec = "utf-8"
    except UnicodeDecodeError:
        text, codec = _decode_cp1251(probe, path), "cp1251"
        notices.append(f"{path}: decoded as windows-1251")
    if _control_share(text) > CONTROL_SHARE_MAX:
        raise InputError(f"{path}: binary file, not text")
    return codec, 0


def _jsonl_item(line: str, where: str, path: str, notices: list[str]) -> NewsItem:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{where}: not valid JSON ({error.msg}, column {error.colno})") from error
    if not isinstance(record, dict):
        raise InputError(f"{where}: not a JSON object but {type(record).__name__}")
    body = record.get("text")
    if body is None:
        raise InputError(f"{where}: 'text' is missing")
    if not isinstance(body, str):
        raise InputError(f"{where}: 'text' is not a string")
    if not body.strip():
        raise InputError(f"{where}: 'text' is empty")
    body = _normalize_newlines(body)
    values = {}
    for name in JSONL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: '{name}' is not a string")
        values[name] = (value.strip() or None) if value is not None else None
    if values["date"] is not None:
        values["date"] = _item_date(values["date"], where, notices)
    return NewsItem(id=_jsonl_id(record.get("id"), body, where), text=body, path=path, **values)


def _jsonl_id(value: object, body: str, where: str) -> str:
    if value is None:
        return item_id(body)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"{where}: 'id' is not a string or number")
    if not str(value).strip():
        raise InputError(f"{where}: 'id' is empty")
    return str(value).strip()


def _item_date(value: str, where: str, notices: list[str]) -> str | None:
    parsed = parse_date(value)
    if parsed is None:
        notices.append(f"{where}: date {value!r} not understood, left out")
    return parsed


def _txt_items(text: str, path: str, notices: list[str]) -> Iterator[NewsItem]:
    for draft in split(text):
        body = text[draft.start:draft.end]
        raw_date = draft.fields.get("date")
        yield NewsItem(
            id=item_id(body),
            text=body,
            path=path,
            title=draft.title,
            date=_item_date(raw_date, path, notices) if raw_date else None,
            source=draft.fields.get("source"),
            url=draft.fields.get("url"),
        )
